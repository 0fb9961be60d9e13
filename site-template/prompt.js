/* pm: the copy button of a page's prompt box (prompt-box.html).
 *
 * Progressive enhancement only: without this file the prompt is in the page, in a <pre>, to read
 * and select. When it runs, it puts a "Copy prompt" button in each empty
 * <div class="prompt-actions" data-copy-for="ID">, which copies the text of the element with that
 * id: through the Clipboard API where the page may use it, else by selecting the text and asking
 * the browser to copy it. A status line says whether it worked; when it did not, the text stays
 * selected so Ctrl-C (Cmd-C) copies it.
 *
 * The text is read with textContent and never parsed as HTML. No inline script, no network: the
 * page's Content-Security-Policy allows only script-src 'self'. pm never sends the prompt anywhere.
 */
(function () {
  "use strict";

  var boxes = document.querySelectorAll(".prompt-actions[data-copy-for]");

  var select = function (el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };

  var copyBySelection = function (el) {
    select(el);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  };

  Array.prototype.forEach.call(boxes, function (box) {
    var source = document.getElementById(box.getAttribute("data-copy-for"));
    if (!source || box.querySelector("button")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "prompt-copy";
    button.textContent = "Copy prompt";
    var status = document.createElement("span");
    status.className = "prompt-status";
    status.setAttribute("role", "status");
    var done = function (ok) {
      if (ok) {
        status.textContent = "Copied.";
      } else {
        select(source);
        status.textContent = "Could not copy: the prompt is selected, press Ctrl-C (Cmd-C on a Mac).";
      }
    };
    button.addEventListener("click", function () {
      var text = source.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () {
            done(true);
          },
          function () {
            done(copyBySelection(source));
          }
        );
      } else {
        done(copyBySelection(source));
      }
    });
    box.appendChild(button);
    box.appendChild(status);
  });
})();
