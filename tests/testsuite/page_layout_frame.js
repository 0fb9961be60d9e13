// The parent side of page_layout.js: the frame around the page under test
// writes each page's report into a <pre class="pm-layout-report">, for --dump-dom.
window.addEventListener("message", function (e) {
  var pre = document.createElement("pre");
  pre.className = "pm-layout-report";
  pre.textContent = e.data;
  document.body.appendChild(pre);
});
