// Measures the loaded page for tests/testsuite/page_layout.rs and posts the
// result, as JSON, to the parent frame, which writes it into the DOM that
// Chromium's --dump-dom prints (page_layout_frame.js). Loaded only into the
// test's copy of the site, never shipped.
(function () {
  "use strict";
  var report = { page: location.pathname, width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth };
  // What sticks out of the viewport, outside any scroll container: names the culprit.
  var wide = [];
  function scrolls(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  }
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    // An absolutely placed element escapes a scroll container that is not
    // positioned, so it counts wherever it is.
    var escapes = getComputedStyle(el).position === "absolute";
    if (r.width > 0 && r.right > window.innerWidth + 0.5 && (escapes || !scrolls(el))) {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
        " right=" + Math.round(r.right));
    }
  });
  report.wide = wide.slice(0, 8);
  // Boxes whose content is wider than they are: they scroll sideways inside.
  var boxes = [];
  document.querySelectorAll(".table-scroll, .tl-scroll").forEach(function (el) {
    if (el.getClientRects().length && el.scrollWidth > el.clientWidth + 1) {
      boxes.push((el.getAttribute("aria-labelledby") || el.className) + " " + el.scrollWidth + ">" + el.clientWidth);
    }
  });
  report.boxes = boxes.slice(0, 8);
  // Text boxes in each SVG, in the SVG's viewport (getBBox mapped through the
  // element's transform), compared pairwise.
  var overlaps = [];
  document.querySelectorAll("svg").forEach(function (svg, n) {
    var boxes = [];
    svg.querySelectorAll("text").forEach(function (t) {
      if (!t.textContent.trim()) return;
      var b = t.getBBox();
      if (b.width === 0 || b.height === 0) return;
      var m = t.getCTM(), s = svg.getCTM();
      var k = s && m ? s.inverse().multiply(m) : null;
      var x = b.x, y = b.y;
      if (k) { x = k.a * b.x + k.c * b.y + k.e; y = k.b * b.x + k.d * b.y + k.f; }
      var sx = k ? Math.abs(k.a) : 1, sy = k ? Math.abs(k.d) : 1;
      boxes.push({ t: t.textContent.trim(), x0: x, y0: y, x1: x + b.width * sx, y1: y + b.height * sy });
    });
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], c = boxes[j], tol = 0.5;
        if (a.x0 + tol < c.x1 && c.x0 + tol < a.x1 && a.y0 + tol < c.y1 && c.y0 + tol < a.y1) {
          overlaps.push("svg " + (svg.getAttribute("class") || n) + ": \u201c" + a.t + "\u201d and \u201c" + c.t + "\u201d");
        }
      }
    }
  });
  report.overlaps = overlaps.slice(0, 12);
  // Controls a finger must hit: at least 24 px tall.
  var small = [];
  document.querySelectorAll("summary, button, .toc a, .site-nav a, .pager a").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.height < 24) small.push(el.tagName.toLowerCase() + " \u201c" + el.textContent.trim().slice(0, 40) + "\u201d " + Math.round(r.height) + "px");
  });
  report.small_targets = small.slice(0, 8);
  // The timeline: the drawing, or at a phone's width the event table instead, shown open
  // and stacked into a vertical timeline (display: block, not a table). What a finger taps
  // (each event's time, the drawing's marks with their transparent stroke) is at least 24 px
  // each way; every text of it is at least 11 px as rendered.
  var drawing = document.querySelector(".tl-scroll"), list = document.querySelector("table.timeline");
  if (drawing || list) {
    var shownEl = function (el) { return !!el && el.getClientRects().length > 0; };
    // checkVisibility: a closed <details> lays its content out but does not show it.
    var stacked = !!list && list.checkVisibility() && getComputedStyle(list).display === "block";
    var tl = { drawing: shownEl(drawing), vertical: stacked, small: [], tiny: [], overlap: [], rows: 0 };
    if (tl.vertical) {
      list.querySelectorAll("tbody th a").forEach(function (a) {
        var r = a.getBoundingClientRect();
        tl.rows++;
        if (r.height < 24 || r.width < 24) tl.small.push("row \u201c" + a.textContent.trim().slice(0, 30) + "\u201d " + Math.round(r.width) + "x" + Math.round(r.height));
        // A time beside its text (not a day's first row, which has a line of its own)
        // ends at least 4 px before the text begins ("≈11:20" once ran into its text).
        var text = a.closest("th").nextElementSibling;
        if (text && !a.closest("tr").classList.contains("day-change") && r.right + 4 > text.getBoundingClientRect().left) tl.overlap.push("\u201c" + a.textContent.trim() + "\u201d ends at " + Math.round(r.right) + " px, its text begins at " + Math.round(text.getBoundingClientRect().left) + " px");
      });
      var walker = document.createTreeWalker(list, NodeFilter.SHOW_ELEMENT);
      for (var el = walker.currentNode; el; el = walker.nextNode()) {
        var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
        var size = parseFloat(getComputedStyle(el).fontSize);
        if (own && size < 11) tl.tiny.push(el.tagName.toLowerCase() + " " + size + "px");
        var before = getComputedStyle(el, "::before");
        if (before.content && before.content !== "none" && before.content !== "\"\"" && parseFloat(before.fontSize) < 11) tl.tiny.push(el.tagName.toLowerCase() + "::before " + before.fontSize);
      }
    }
    if (tl.drawing) {
      var svg = drawing.querySelector("svg.tl"), ctm = svg.getScreenCTM(), k = ctm ? Math.abs(ctm.a) : 1;
      svg.querySelectorAll(".tl-events circle, .tl-events polygon").forEach(function (m) {
        var r = m.getBoundingClientRect(), stroke = parseFloat(getComputedStyle(m).strokeWidth) * k;
        if (r.width + stroke < 24 || r.height + stroke < 24) tl.small.push("mark " + Math.round(r.width + stroke) + "x" + Math.round(r.height + stroke));
      });
      svg.querySelectorAll("text").forEach(function (t) {
        var px = parseFloat(getComputedStyle(t).fontSize) * k;
        if (t.textContent.trim() && px < 10.95) tl.tiny.push("\u201c" + t.textContent.trim().slice(0, 20) + "\u201d " + px.toFixed(1) + "px");
      });
    }
    tl.small = tl.small.slice(0, 8);
    tl.tiny = tl.tiny.slice(0, 8);
    tl.overlap = tl.overlap.slice(0, 8);
    report.timeline = tl;
  }
  // The write-up's first heading of its own (after the "Write-up" title).
  var heads = document.querySelectorAll("#review-narrative h2, #review-narrative h3");
  if (heads.length > 1) report.writeup_top = Math.round(heads[1].getBoundingClientRect().top + window.scrollY);
  // The page runs in a frame of the test's width (a headless window cannot be
  // narrower than 500 px): hand the report to the frame's parent.
  window.parent.postMessage(JSON.stringify(report), "*");
})();
