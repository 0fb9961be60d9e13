// The accessibility test's probe (tests/testsuite/accessibility.rs), loaded
// after axe.min.js into a copy of a built page. It never ships in a site.
//
// It runs axe-core, walks every interactive control with the keyboard's
// focus, checks that every chart's figures are on the page as text, and
// measures sideways scrolling; then it writes its findings as JSON into a
// <pre id="pm-a11y-result"> that the test reads from Chromium's --dump-dom.
(function () {
  "use strict";

  function describe(el) {
    var s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    var cls = el.getAttribute("class");
    if (cls) s += "." + cls.trim().split(/\s+/).join(".");
    var text = (el.textContent || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
    if (text) s += " \"" + text.slice(0, 40) + "\"";
    return s;
  }

  // What a focus ring can change: outline, shadow, border, background, underline.
  function look(el) {
    var c = getComputedStyle(el);
    return [
      c.outlineStyle, c.outlineWidth, c.outlineColor, c.outlineOffset, c.boxShadow,
      c.borderColor, c.backgroundColor, c.textDecorationLine, c.color
    ].join("|");
  }

  function shown(el) {
    if (el.getClientRects().length === 0) return false;
    var c = getComputedStyle(el);
    return c.visibility !== "hidden";
  }

  function focusProblems() {
    var out = [];
    // An element with tabindex="-1" (the skip link's target, say) is focused
    // by script or link only, on purpose: not a control.
    var controls = document.querySelectorAll(
      "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"
    );
    for (var i = 0; i < controls.length; i++) {
      var el = controls[i];
      // Inside a closed <details> (its own summary aside): the reader opens
      // it first, and only then can its controls take the focus.
      var closed = el.closest("details:not([open])");
      if (closed) {
        var summary = closed.querySelector(":scope > summary");
        if (!summary || !summary.contains(el)) continue;
      }
      // Hidden until a script shows it.
      if (!shown(el) && !el.classList.contains("skip-link")) continue;
      if (el.tabIndex < 0) {
        out.push(describe(el) + ": not in the tab order (tabindex " + el.tabIndex + ")");
        continue;
      }
      var before = look(el);
      el.focus();
      if (document.activeElement !== el) {
        out.push(describe(el) + ": cannot take the keyboard's focus");
        continue;
      }
      var after = look(el);
      if (before === after) out.push(describe(el) + ": looks the same with and without focus");
      // And the difference is one a reader sees at a glance: an outline at
      // least 2 px wide, or a ring drawn with box-shadow.
      else {
        var c = getComputedStyle(el);
        var ring = (c.outlineStyle !== "none" && parseFloat(c.outlineWidth) >= 2) ||
          (c.boxShadow !== "none" && before.indexOf(c.boxShadow) < 0);
        if (!ring) out.push(describe(el) + ": no focus outline (outline " + c.outlineStyle + " " + c.outlineWidth + ")");
      }
      el.blur();
    }
    return out;
  }

  // Every drawn value of a chart is printed as text: a bar's column carries a
  // value label, a point is followed by its label.
  function chartProblems() {
    var out = [];
    var figures = document.querySelectorAll("figure.chart-figure");
    for (var f = 0; f < figures.length; f++) {
      var fig = figures[f];
      var rects = fig.querySelectorAll("svg .chart-bars rect");
      for (var r = 0; r < rects.length; r++) {
        var col = rects[r].closest(".chart-column");
        var label = col && col.querySelector("text.chart-value");
        // A column too narrow beside its neighbours leaves its value to the
        // figure's data table (checked below), rather than overprint it.
        var thinned = col && col.hasAttribute("data-thinned");
        if (!thinned && (!label || !label.textContent.trim())) {
          out.push(fig.id + ": a bar without its value as text (" +
            (rects[r].textContent || "").trim() + ")");
        }
      }
      var points = fig.querySelectorAll("svg circle.chart-point");
      for (var p = 0; p < points.length; p++) {
        var next = points[p].nextElementSibling;
        if (!next || !next.matches("text.chart-value") || !next.textContent.trim()) {
          out.push(fig.id + ": a point without its value as text");
        }
      }
      if (!fig.querySelector("table")) out.push(fig.id + ": no data table");
    }
    return out;
  }

  function report(result) {
    var pre = document.createElement("pre");
    pre.id = "pm-a11y-result";
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  }

  var result = {
    axe: [],
    focus: focusProblems(),
    charts: chartProblems(),
    scroll_width: document.documentElement.scrollWidth,
    inner_width: window.innerWidth,
    error: null
  };
  window.axe
    .run(document, { resultTypes: ["violations"] })
    .then(function (r) {
      result.axe = r.violations
        .filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
        .map(function (v) {
          return {
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 6).map(function (n) { return n.target.join(" "); })
          };
        });
      report(result);
    })
    .catch(function (e) {
      result.error = String(e);
      report(result);
    });
})();
