/* benches/search.sh's probe: a copy of the site's index.html loads this script (deferred, just before
 * search.js), so it runs right before search.js applies the query of the page's URL. It notes that
 * moment, watches the filter form's status line, and each time search.js has drawn matching rows
 * and said how many there are (first the best 20 matches, then the whole page), writes into the
 * page (a <pre id="bench-result">) how long the first and the latest drawing took and every script
 * the page added and loaded since (Resource Timing leaves out file:// loads), one per line:
 *
 *   first_result_ms 41.2
 *   page_ms 120.4
 *   rows 100
 *   status Showing the first 100 of 2,310 matching incidents (10,000 in all).
 *   resource 0.8 3.9 file:///.../search-engine.js
 *
 * (added and loaded, in milliseconds from the same moment). Chromium's --dump-dom prints the page once it
 * has loaded, and the scripts search.js adds before then hold the load event back, so the result is in
 * the dump. File sizes are read from disk by the script: a file:// load reports no transfer size.
 */
(function () {
  "use strict";
  var start = performance.now();
  var status = document.querySelector("#incident-filter .filter-status");
  var body = document.querySelector("#incident-list tbody");
  if (!status || !body) {
    return;
  }
  // Resource Timing leaves out file:// loads: note each script added to the page as it loads.
  var loads = [];
  var added = {};
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (node) {
        if (node.tagName === "SCRIPT" && node.src && !added[node.src]) {
          added[node.src] = performance.now() - start;
        }
      });
    });
  }).observe(document.head, { childList: true });
  document.addEventListener("load", function (e) {
    var node = e.target;
    if (node && node.tagName === "SCRIPT" && node.src && added[node.src] !== undefined) {
      loads.push((added[node.src]).toFixed(1) + " " + (performance.now() - start).toFixed(1) + " " + node.src);
    }
  }, true);
  var first = null;
  var pre = null;
  var observer = new MutationObserver(function () {
    var text = status.textContent || "";
    if (text.indexOf("Showing") !== 0) {
      return;
    }
    // The first answer is the best matches; the page is whole when no row is left to load.
    var took = performance.now() - start;
    if (first === null) {
      first = took;
    }
    var lines = [
      "first_result_ms " + first.toFixed(1),
      "page_ms " + took.toFixed(1),
      "rows " + body.rows.length,
      "status " + text
    ];
    loads.forEach(function (line) {
      lines.push("resource " + line);
    });
    if (!pre) {
      pre = document.createElement("pre");
      pre.id = "bench-result";
      document.body.appendChild(pre);
    }
    pre.textContent = lines.join("\n");
  });
  observer.observe(status, { childList: true, characterData: true, subtree: true });
})();
