/* pm: the copy button of a page's prompt box (prompt-box.html).
 *
 * Progressive enhancement only: without this file the box links to the prompt, a text file
 * published beside the pages (prompts/<kind>/<name>.txt), to open, read and copy. When it runs,
 * it adds a "Copy prompt" button to each <p class="prompt-actions" data-copy-url="URL">, which
 * fetches that file (same origin; the page's Content-Security-Policy allows connect-src 'self'
 * only) and copies its text through the Clipboard API. A status line says whether it worked.
 * A site opened from a folder on disk (file://) cannot fetch: the status line then says to open
 * the link and copy the text from there.
 *
 * The text is never parsed as HTML. No inline script. pm never sends the prompt anywhere.
 */
(function () {
  "use strict";

  var boxes = document.querySelectorAll(".prompt-actions[data-copy-url]");

  Array.prototype.forEach.call(boxes, function (box) {
    if (box.querySelector("button")) {
      return;
    }
    var url = box.getAttribute("data-copy-url");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "prompt-copy";
    button.textContent = "Copy prompt";
    var status = document.createElement("span");
    status.className = "prompt-status";
    status.setAttribute("role", "status");
    var failed = function () {
      status.textContent = "Could not copy here: open the prompt as text and copy it from there.";
    };
    button.addEventListener("click", function () {
      if (!window.fetch || !navigator.clipboard || !navigator.clipboard.writeText) {
        failed();
        return;
      }
      fetch(url)
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text();
        })
        .then(function (text) {
          return navigator.clipboard.writeText(text);
        })
        .then(function () {
          status.textContent = "Copied.";
        }, failed);
    });
    box.insertBefore(button, box.firstChild);
    box.appendChild(status);
  });
})();
