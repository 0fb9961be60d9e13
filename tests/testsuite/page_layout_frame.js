// The parent side of page_layout.js: the frame around the page under test
// writes the page's report into <pre id="pm-layout-report">, for --dump-dom.
window.addEventListener("message", function (e) {
  var pre = document.createElement("pre");
  pre.id = "pm-layout-report";
  pre.textContent = e.data;
  document.body.appendChild(pre);
});
