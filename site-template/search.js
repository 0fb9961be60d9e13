/* pm: search and list filters, for the incident list and the action-item tracker.
 *
 * Progressive enhancement only: every page works without this file (the filters are then the
 * pre-rendered listing pages). When it runs, it reveals the page's hidden <form class="list-filter">,
 * hides the rows that do not match and keeps the state in the URL, so a filtered list can be shared:
 *
 *   index.html?q=redis&severity=sev2        actions/index.html?owner=lena&state=overdue
 *   index.html#q=redis                       (the fragment form works too, e.g. for file:// links)
 *
 * Rows are the elements the form's data-rows selector names. A <select name="x"> keeps the rows whose
 * data-x attribute (space-separated slugs) holds its value. The search box keeps the rows containing
 * every word typed, looking at the row's text and, for incidents, the search index that
 * search-index.js puts in window.PM_SEARCH (summaries and an excerpt of each write-up).
 *
 * No eval, no inline script, no network: the page's Content-Security-Policy allows only
 * script-src 'self'.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.list-filter");
  if (!form || !window.URLSearchParams) {
    return;
  }
  var toArray = function (list) {
    return Array.prototype.slice.call(list);
  };
  var rows = toArray(document.querySelectorAll(form.getAttribute("data-rows") || "tbody tr"));
  var noun = form.getAttribute("data-noun") || "item";
  var status = form.querySelector(".filter-status");
  var fields = toArray(form.elements).filter(function (el) {
    return el.name && (el.tagName === "SELECT" || el.tagName === "INPUT");
  });

  // Extra text per incident id from the search index, when it loaded.
  var extra = {};
  var data = window.PM_SEARCH;
  if (data && Array.isArray(data.incidents)) {
    data.incidents.forEach(function (e) {
      extra[e.id] = [e.title, e.id, e.type, e.severity, e.status, (e.services || []).join(" "),
        e.year, e.summary, e.text].join(" ");
    });
  }
  var haystacks = rows.map(function (row) {
    return (row.textContent + " " + (extra[row.getAttribute("data-id")] || "")).toLowerCase();
  });

  // The tables the rows sit in, each with its optional "nothing matches" note (#<table id>-none).
  var tables = [];
  rows.forEach(function (row) {
    var table = row.closest("table");
    if (table && tables.indexOf(table) === -1) {
      tables.push(table);
    }
  });

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) {
      return w.length > 0;
    });
  }

  /** Sets the controls from ?key=value and #key=value parameters; unknown values are ignored. */
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var hash = window.location.hash.slice(1);
    if (hash.indexOf("=") !== -1) {
      new URLSearchParams(hash).forEach(function (value, key) {
        params.set(key, value);
      });
    }
    fields.forEach(function (el) {
      var value = params.get(el.name);
      if (value === null) {
        return;
      }
      if (el.tagName === "SELECT") {
        var known = toArray(el.options).some(function (o) {
          return o.value === value;
        });
        if (known) {
          el.value = value;
        }
      } else {
        el.value = value;
      }
    });
  }

  /** Puts the current state in the address bar, without adding a history entry. */
  function writeUrl() {
    var params = new URLSearchParams();
    fields.forEach(function (el) {
      var value = el.value.trim();
      if (value) {
        params.set(el.name, value);
      }
    });
    var query = params.toString();
    var hash = window.location.hash.indexOf("=") === -1 ? window.location.hash : "";
    try {
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + hash);
    } catch (e) {
      // Some browsers refuse to change the URL of file:// pages; filtering still works.
    }
  }

  function apply(updateUrl) {
    var query = "";
    var selects = [];
    fields.forEach(function (el) {
      if (el.tagName === "SELECT") {
        if (el.value) {
          selects.push(el);
        }
      } else if (el.name === "q") {
        query = el.value;
      }
    });
    var terms = words(query);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = selects.every(function (el) {
        var values = " " + (row.getAttribute("data-" + el.name) || "") + " ";
        return values.indexOf(" " + el.value + " ") !== -1;
      }) && terms.every(function (term) {
        return haystacks[i].indexOf(term) !== -1;
      });
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    tables.forEach(function (table) {
      var any = toArray(table.tBodies).some(function (body) {
        return toArray(body.rows).some(function (row) {
          return !row.hidden;
        });
      });
      var box = table.closest(".table-scroll") || table;
      box.hidden = !any;
      var none = table.id ? document.getElementById(table.id + "-none") : null;
      if (none) {
        none.hidden = any;
      }
    });
    var active = terms.length > 0 || selects.length > 0;
    form.classList.toggle("is-active", active);
    if (status) {
      status.textContent = active
        ? "Showing " + shown + " of " + plural(rows.length, noun) + "."
        : "";
    }
    if (updateUrl) {
      writeUrl();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("input", function () {
    apply(true);
  });
  form.addEventListener("change", function () {
    apply(true);
  });
  form.addEventListener("reset", function () {
    // The reset happens after this event: filter once the controls are cleared.
    window.setTimeout(function () {
      apply(true);
    }, 0);
  });
  // "/" jumps to the search box, as on many sites.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var box = form.querySelector("input[name=q]");
      if (box) {
        event.preventDefault();
        box.focus();
      }
    }
  });

  readUrl();
  form.hidden = false;
  document.documentElement.classList.add("has-js");
  // The listing-page links stay, folded away: the form does their job in place.
  var browse = document.querySelector("details.browse");
  if (browse) {
    browse.open = false;
  }
  apply(false);
})();
