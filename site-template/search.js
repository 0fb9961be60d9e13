/* pm: search and list filters, for the incident list and the action-item tracker; copy buttons for
 * a playbook's commands.
 *
 * Progressive enhancement only: every page works without this file (the filters are then the
 * pre-rendered listing pages, and the lists are paginated). When it runs, it reveals the page's
 * hidden <form class="list-filter"> and keeps the state in the URL, so a filtered list can be shared:
 *
 *   index.html?q=redis&severity=sev2        actions/index.html?owner=lena&state=overdue
 *   index.html#q=redis                       (the fragment form works too, e.g. for file:// links)
 *
 * A list is cut into pages, so filtering the rows of one page would miss most matches. When a filter
 * is used, this script searches the data pm wrote for the whole list and draws the matching rows into
 * the page's table, a page at a time ("Show more"), in place of the page's own rows and page links.
 * For the incident list that is the search index in search/, read by search-engine.js (the form's
 * data-engine), which loads the index's manifest (data-index) and then only the files a query needs,
 * and ranks the incidents that have every word typed (stemmed: "deploys" finds "deployed") in their
 * title, summary, write-up or facts. For the tracker it is the tracker's index (data-index,
 * window.PM_ACTIONS), whose items are kept when they contain every word typed. A <select name="x">
 * keeps the entries whose value for x has the option's slug. Clearing the filters puts the page's own
 * rows back. Should the data fail to load, the rows of this page are filtered in place instead.
 *
 * On the tracker, a link to an item's anchor (actions/index.html#action-<id>-<n>) that is not on the
 * page being shown is taken to the page that holds it.
 *
 * On a playbook page, each command (<figure class="command"> with a <pre>) gets a "Copy" button that
 * puts the command on the clipboard; without this script the command is still there to select.
 *
 * Rows are built with DOM methods and textContent only: record text is never parsed as HTML. No eval,
 * no inline script, no network beyond the site's own files: the page's Content-Security-Policy allows
 * only script-src 'self'.
 */
(function () {
  "use strict";

  // Copy buttons for commands: the button says what happened, for screen readers too.
  Array.prototype.forEach.call(document.querySelectorAll("figure.command"), function (figure) {
    var pre = figure.querySelector("pre");
    if (!pre) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    var said = document.createElement("span");
    said.className = "visually-hidden";
    said.setAttribute("role", "status");
    var done = function (ok) {
      button.textContent = ok ? "Copied" : "Select and copy";
      said.textContent = ok ? "Command copied" : "Could not copy: select the command and copy it";
      window.setTimeout(function () {
        button.textContent = "Copy";
        said.textContent = "";
      }, 2000);
    };
    button.addEventListener("click", function () {
      var text = pre.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        done(false);
      }
    });
    figure.classList.add("has-copy");
    figure.insertBefore(button, pre);
    figure.appendChild(said);
  });
})();

(function () {
  "use strict";

  var form = document.querySelector("form.list-filter");
  if (!form || !window.URLSearchParams) {
    return;
  }
  var toArray = function (list) {
    return Array.prototype.slice.call(list);
  };
  var source = form.getAttribute("data-source") || "";
  var indexUrl = form.getAttribute("data-index") || "";
  var root = form.getAttribute("data-root") || "";
  var pageSize = parseInt(form.getAttribute("data-page-size"), 10) || 50;
  var rowSelector = form.getAttribute("data-rows") || "tbody tr";
  var rows = toArray(document.querySelectorAll(rowSelector));
  var noun = form.getAttribute("data-noun") || "item";
  var today = form.getAttribute("data-today") || "";
  var status = form.querySelector(".filter-status");
  var fields = toArray(form.elements).filter(function (el) {
    return el.name && (el.tagName === "SELECT" || el.tagName === "INPUT");
  });

  // The tables the list is drawn in: the rows' tables, or (for the tracker) the tables named in
  // the form's data-rows, which may be empty on this page.
  var tables = [];
  rowSelector.split(",").forEach(function (sel) {
    var table = document.querySelector(sel.trim().replace(/\s+tbody\s+tr$/, ""));
    if (table && table.tagName === "TABLE" && tables.indexOf(table) === -1) {
      tables.push(table);
    }
  });
  rows.forEach(function (row) {
    var table = row.closest("table");
    if (table && tables.indexOf(table) === -1) {
      tables.push(table);
    }
  });
  // What each table held as the page was written, to put back when the filters are cleared.
  var original = tables.map(function (table) {
    var body = table.tBodies[0];
    var box = table.closest(".table-scroll") || table;
    return { table: table, rows: body ? toArray(body.rows) : [], hidden: box.hidden };
  });
  var pageLinks = toArray(document.querySelectorAll("nav.pagination, .page-elsewhere"));

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) {
      return w.length > 0;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The data of the whole list

  var data = null;
  var failed = !source || !indexUrl;
  var loading = false;
  var waiting = [];
  // The incident list's search engine (search-engine.js), once loaded.
  var engine = null;
  var engineUrl = form.getAttribute("data-engine") || "";

  function loaded() {
    return source === "incidents" ? window.PM_SEARCH_ENGINE : window.PM_ACTIONS;
  }

  /** Loads the list's data once (the incident list: its engine and manifest), then calls `then`. */
  function load(then) {
    if (data || failed) {
      then();
      return;
    }
    waiting.push(then);
    if (loading) {
      return;
    }
    loading = true;
    var finish = function () {
      loading = false;
      var calls = waiting;
      waiting = [];
      calls.forEach(function (f) {
        f();
      });
    };
    var done = function () {
      var value = loaded();
      if (source === "incidents" && value && typeof value.open === "function") {
        value.open(indexUrl).then(function (manifest) {
          engine = value;
          data = { value: manifest, entries: null };
          finish();
        }, function () {
          failed = true;
          finish();
        });
        return;
      }
      if (source !== "incidents" && value && Array.isArray(value.items)) {
        data = prepare(value);
      } else {
        failed = true;
      }
      finish();
    };
    if (loaded()) {
      done();
      return;
    }
    var url = source === "incidents" ? engineUrl : indexUrl;
    if (!url) {
      failed = true;
      finish();
      return;
    }
    var script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = done;
    script.onerror = function () {
      failed = true;
      finish();
    };
    document.head.appendChild(script);
  }

  /** The tracker's entries with what filtering needs: per filter key the entry's slugs, and its text. */
  function prepare(value) {
    var entries = [];
    if (Array.isArray(value.items)) {
      var owners = value.owners || [];
      var kinds = value.kinds || [];
      var incidents = value.incidents || [];
      value.items.forEach(function (it, position) {
        var incident = incidents[it[0]] || ["", "", ""];
        var owner = owners[it[3]] || ["", ""];
        var kind = kinds[it[4]] || ["", ""];
        entries.push({
          e: it,
          position: position,
          incident: incident,
          owner: owner,
          kind: kind,
          anchor: "action-" + incident[0] + "-" + it[1],
          keys: {
            owner: [owner[0]],
            kind: [kind[0]],
            state: it[6] === "overdue" ? ["open", "overdue"] : [it[6]]
          },
          text: [it[2], incident[1], incident[0], owner[1], kind[1], it[5], it[7], it[8]].join(" ").toLowerCase()
        });
      });
    }
    return { value: value, entries: entries };
  }

  // ---------------------------------------------------------------------------------------------
  // Drawing rows (DOM methods and textContent only)

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) {
        node.setAttribute(k, attrs[k]);
      }
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) {
        return;
      }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function muted(text) {
    return el("span", { "class": "muted" }, [text]);
  }

  function capitalize(s) {
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
  }

  /** Site-relative page paths pm wrote; anything else (a scheme, a leading slash) is refused. */
  function sitePath(path) {
    return typeof path === "string" && /^[a-z0-9][a-z0-9._\/-]*(#[a-z0-9._-]*)?$/i.test(path) && path.indexOf("..") === -1
      ? root + path : null;
  }

  /** A path pattern of the site's URL scheme (render/urls.rs), its {slots} filled in. */
  function fill(pattern, slots) {
    return typeof pattern === "string"
      ? pattern.replace(/\{(\w+)\}/g, function (all, name) { return String(slots[name]); })
      : null;
  }

  function paths() {
    return data.value.paths || {};
  }

  /** The first `max` characters of `text`, cut at a word, with "…" when cut (as pm cuts a
   * row's summary: markdown::excerpt). */
  function excerpt(text, max) {
    var chars = Array.from(text);
    if (chars.length <= max) {
      return text;
    }
    var cut = chars.slice(0, max).join("");
    var space = cut.lastIndexOf(" ");
    if (space > max / 2) {
      cut = cut.slice(0, space);
    }
    return cut.replace(/\s+$/, "") + "\u2026";
  }

  /** How many characters of a summary a row shows (render/listing.rs, SUMMARY_SHOWN). */
  var SUMMARY_SHOWN = 90;

  /** An incident of the search index as a row of the list, as incident-row.html writes it. */
  function incidentRow(e) {
    var rank = (data.value.severity_rank || {})[e.severity] || 0;
    var services = e.services || [];
    return el("tr", { "class": e.draft ? "is-draft" : null }, [
      el("td", {}, [e.date || "\u2014"]),
      el("th", { scope: "row" }, [
        el("a", { href: sitePath(e.url) }, [e.title]),
        e.draft ? " " : null,
        e.draft ? el("span", { "class": "badge badge-draft" }, ["Draft"]) : null,
        e.summary ? el("small", {}, [excerpt(e.summary, SUMMARY_SHOWN)]) : null
      ]),
      el("td", {}, [el("span", { "class": "sev-" + rank }, [e.severity])]),
      el("td", {}, [e.type]),
      el("td", {}, [el("span", { "class": "state-" + e.status }, [capitalize(e.status)])]),
      el("td", {}, [services.length ? services.join(",\n") : "\u2014"]),
      el("td", {}, [e.time_to_resolve || "\u2014"]),
      el("td", {}, [String(e.open_actions || 0)])
    ]);
  }

  var STATUS_LABELS = { "in-progress": "In progress", "wont-do": "Won\u2019t do" };

  /** The tracker page holding the item at `position` of the whole tracker. */
  function trackerPage(position) {
    var size = data.value.page_size || pageSize;
    var page = Math.floor(position / size) + 1;
    return page === 1 ? paths().tracker : fill(paths().tracker_page, { n: page });
  }

  /** Days from the page's "today" to `date` (both YYYY-MM-DD), or NaN. */
  function daysUntil(date) {
    return (Date.parse(date + "T00:00:00Z") - Date.parse(today + "T00:00:00Z")) / 86400000;
  }

  /** An open item's urgency in words, as pm writes it (render/tracker.rs, due_note). */
  function dueNote(due) {
    if (!due || !today) return null;
    var d = daysUntil(due);
    if (isNaN(d) || d > 7) return null;
    if (d < 0) return "Overdue by " + -d + (d === -1 ? " day" : " days");
    if (d === 0) return "Due today";
    if (d === 1) return "Due tomorrow";
    return "Due in " + d + " days";
  }

  /** A tracker row's permalink: pm writes rows without it (action-table.html), search.js adds it. */
  function permalink(href) {
    return el("a", { "class": "permalink", href: href, title: "Link to this item", "aria-label": "Link to this item" }, ["#"]);
  }

  /** Makes the text of a row's cell a link to `href` (when it has no element in it yet). */
  function linkCell(cell, href) {
    if (!cell || !href || cell.children.length > 0 || !cell.textContent) {
      return;
    }
    var link = el("a", { href: href }, [cell.textContent]);
    cell.textContent = "";
    cell.appendChild(link);
  }

  /**
   * What pm leaves out of each row it writes (action-table.html), added here: the permalink
   * (before the line naming the incident), and the links of the owner and kind cells to their
   * pages (the form's data-owner-url and data-kind-url, {slug} filled from the row's data-*).
   */
  function enhanceRows() {
    if (source !== "actions") {
      return;
    }
    var pattern = function (name, slug) {
      var p = form.getAttribute(name) || "";
      return slug && slug.charAt(0) !== "_" && /^[a-z0-9._-]+$/i.test(slug) && p ? fill(p, { slug: slug }) : null;
    };
    rows.forEach(function (row) {
      var th = row.querySelector("th");
      if (!th || !row.id || th.querySelector(".permalink")) {
        return;
      }
      // After the text with a no-break space (as actionRow draws it), so "#" never wraps alone.
      var small = th.querySelector(":scope > small");
      var before = small ? small.previousSibling : th.lastChild;
      if (before && before.nodeType === 3) {
        before.nodeValue = before.nodeValue.replace(/\s+$/, "");
      }
      var link = permalink("#" + row.id);
      th.insertBefore(document.createTextNode("\u00a0"), small);
      th.insertBefore(link, small);
      th.insertBefore(document.createTextNode(" "), small);
      linkCell(row.cells[1], pattern("data-kind-url", row.getAttribute("data-kind")));
      linkCell(row.cells[2], pattern("data-owner-url", row.getAttribute("data-owner")));
    });
  }

  /** A tracker row as pm writes it (action-table.html), with its permalink. */
  function actionRow(entry, closed) {
    var it = entry.e;
    var state = it[6];
    var link = typeof it[9] === "string" && /^(https?:\/\/|mailto:)/i.test(it[9]) ? it[9] : null;
    var incidentUrl = sitePath(entry.incident[2]);
    var kindSlug = entry.kind[0];
    var ownerSlug = entry.owner[0];
    var owned = ownerSlug && ownerSlug !== "_unowned";
    var due = [];
    if (it[7]) {
      due.push(el("time", {}, [it[7]]));
    } else {
      due.push(closed ? "\u2014" : "no due date");
    }
    var note = closed ? null : dueNote(it[7]);
    if (note) {
      due.push(" ", el("span", { "class": "flag " + (state === "overdue" ? "flag-overdue" : "flag-soon") }, [note]));
    }
    var cells = [
      el("th", { scope: "row" }, [it[2], "\u00a0",
        permalink(sitePath(trackerPage(entry.position) + "#" + entry.anchor)),
        " ", el("small", {}, ["From ",
          el("a", { href: incidentUrl ? incidentUrl + "#review-actions" : null }, [entry.incident[1]])])]),
      el("td", {}, [kindSlug && kindSlug !== "_none"
        ? el("a", { href: sitePath(fill(paths().tracker_kind, { slug: kindSlug })) }, [capitalize(kindSlug)])
        : "\u2014"]),
      el("td", {}, [owned
        ? el("a", { href: sitePath(fill(paths().tracker_owner, { slug: ownerSlug })) }, [entry.owner[1]])
        : closed ? "unowned" : el("span", { "class": "flag flag-warn" }, ["Unowned"])]),
      el("td", {}, due)
    ];
    if (closed) {
      cells.push(el("td", {}, [it[8] ? el("time", {}, [it[8]]) : "not recorded"]));
    }
    cells.push(
      el("td", {}, [el("span", { "class": "state-" + it[5] }, [STATUS_LABELS[it[5]] || capitalize(it[5])])]),
      el("td", {}, [link ? el("a", { href: link, rel: "noreferrer" }, ["Tracker"]) : "\u2014"])
    );
    return el("tr", {
      id: entry.anchor,
      "data-owner": ownerSlug,
      "data-kind": kindSlug,
      "data-state": entry.keys.state.join(" ")
    }, cells);
  }

  // ---------------------------------------------------------------------------------------------
  // Filtering

  var limit = pageSize;
  var lastQuery = null;
  var more = null;
  var searches = 0;

  function moreButton() {
    if (!more) {
      var button = el("button", { type: "button" }, ["Show more"]);
      button.addEventListener("click", function () {
        limit += pageSize;
        apply(false);
      });
      more = el("p", { "class": "filter-more", hidden: "hidden" }, [button]);
      var last = tables[tables.length - 1];
      var after = last ? last.closest(".table-scroll") || last : form;
      var none = last && last.id ? document.getElementById(last.id + "-none") : null;
      after = none || after;
      after.parentNode.insertBefore(more, after.nextSibling);
    }
    return more;
  }

  /** Shows a table (and its "nothing matches" note) according to whether it has rows. */
  function showTable(table, any, active) {
    var box = table.closest(".table-scroll") || table;
    box.hidden = !any;
    var none = table.id ? document.getElementById(table.id + "-none") : null;
    if (none) {
      none.hidden = any || !active;
    }
  }

  function setBody(table, list) {
    var body = table.tBodies[0] || table.appendChild(document.createElement("tbody"));
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    list.forEach(function (row) {
      body.appendChild(row);
    });
  }

  /** Puts the page back as it was written. */
  function restore() {
    original.forEach(function (o) {
      setBody(o.table, o.rows);
      o.rows.forEach(function (row) {
        row.hidden = false;
      });
      var box = o.table.closest(".table-scroll") || o.table;
      box.hidden = o.hidden;
      var none = o.table.id ? document.getElementById(o.table.id + "-none") : null;
      if (none) {
        none.hidden = true;
      }
    });
    pageLinks.forEach(function (n) {
      n.hidden = false;
    });
    if (more) {
      more.hidden = true;
    }
  }

  function matches(keys, selects, terms, text) {
    return selects.every(function (s) {
      return (keys[s.name] || []).indexOf(s.value) !== -1;
    }) && terms.every(function (term) {
      return text.indexOf(term) !== -1;
    });
  }

  /** Hides the page links and shows "Show more" when there are more matches than rows drawn. */
  function drawn(shown, matched) {
    pageLinks.forEach(function (n) {
      n.hidden = true;
    });
    var button = moreButton();
    button.hidden = matched <= shown;
  }

  /** Draws the incident rows the engine found; returns [shown, matched, total]. */
  function drawIncidents(result) {
    var shown = result.rows.map(incidentRow);
    if (tables[0]) {
      setBody(tables[0], shown);
      showTable(tables[0], shown.length > 0, true);
    }
    drawn(shown.length, result.matched);
    return [shown.length, result.matched, result.total];
  }

  /** Draws the matching entries of the whole tracker; returns [shown, matched, total]. */
  function drawFromData(selects, terms) {
    var found = data.entries.filter(function (entry) {
      return matches(entry.keys, selects, terms, entry.text);
    });
    var shown = found.slice(0, limit);
    {
      var open = [];
      var closed = [];
      shown.forEach(function (entry) {
        if (entry.e[6] === "closed") {
          closed.push(actionRow(entry, true));
        } else {
          open.push(actionRow(entry, false));
        }
      });
      [[open, "actions-open-table"], [closed, "actions-closed-table"]].forEach(function (part) {
        var table = document.getElementById(part[1]);
        if (table) {
          setBody(table, part[0]);
          showTable(table, part[0].length > 0, true);
        }
      });
    }
    drawn(shown.length, found.length);
    return [shown.length, found.length, data.entries.length];
  }

  /** The incident list's columns that hold a filter's value (incident-row.html), 0-based. */
  var COLUMNS = { year: 0, severity: 2, type: 3, status: 4, service: 5 };

  /**
   * A row's values for a filter: its data-<key> slugs (the tracker's rows), or else the text of
   * the filter's column (the incident list's rows carry no slugs), a value that is the label of
   * the option chosen standing for its slug.
   */
  function rowKeys(row, s) {
    var attr = row.getAttribute("data-" + s.name);
    if (attr !== null) {
      return attr.split(/\s+/);
    }
    var cell = COLUMNS.hasOwnProperty(s.name) ? row.cells[COLUMNS[s.name]] : null;
    if (!cell) {
      return [];
    }
    var text = cell.textContent.trim();
    var values = s.name === "year" ? [text.slice(0, 4)] : s.name === "service" ? text.split(",\n") : [text];
    return values.map(function (v) {
      return v === s.label ? s.value : v;
    });
  }

  /** Without the data: hides the rows of this page that do not match. */
  function filterInPlace(selects, terms) {
    var shown = 0;
    rows.forEach(function (row) {
      var keys = {};
      selects.forEach(function (s) {
        keys[s.name] = rowKeys(row, s);
      });
      var match = matches(keys, selects, terms, row.textContent.toLowerCase());
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
      showTable(table, any, true);
    });
    return [shown, shown, rows.length];
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
    fields.forEach(function (field) {
      var value = params.get(field.name);
      if (value === null) {
        return;
      }
      if (field.tagName === "SELECT") {
        var known = toArray(field.options).some(function (o) {
          return o.value === value;
        });
        if (known) {
          field.value = value;
        }
      } else {
        field.value = value;
      }
    });
  }

  /** Puts the current state in the address bar, without adding a history entry. */
  function writeUrl() {
    var params = new URLSearchParams();
    fields.forEach(function (field) {
      var value = field.value.trim();
      if (value) {
        params.set(field.name, value);
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
    fields.forEach(function (field) {
      if (field.tagName === "SELECT") {
        if (field.value) {
          // The option's label, without its count: "SEV2 (14)" is SEV2.
          var option = field.options[field.selectedIndex];
          var label = option ? option.textContent.replace(/\s*\([\d,]+\)\s*$/, "").trim() : "";
          selects.push({ name: field.name, value: field.value, label: label });
        }
      } else if (field.name === "q") {
        query = field.value;
      }
    });
    var terms = words(query);
    var key = JSON.stringify([selects, terms]);
    if (key !== lastQuery) {
      limit = pageSize;
      lastQuery = key;
    }
    var active = terms.length > 0 || selects.length > 0;
    form.classList.toggle("is-active", active);
    if (updateUrl) {
      writeUrl();
    }
    // A search answered after a newer one started (or after the filters were cleared) is dropped.
    searches += 1;
    if (!active) {
      restore();
      if (status) {
        status.textContent = "";
      }
      return;
    }
    if (!data && !failed) {
      if (status) {
        status.textContent = "Loading the list\u2026";
      }
      load(function () {
        apply(false);
      });
      return;
    }
    if (data && engine) {
      var ticket = searches;
      var answer = function (result) {
        if (ticket === searches) {
          report(drawIncidents(result));
        }
      };
      // A new search draws its best matches first, the rest of the page once its rows have loaded
      // ("Show more" keeps the rows shown until the longer list is ready).
      engine.search(query, selects, limit, limit <= pageSize ? answer : null).then(answer, function () {
        if (ticket === searches) {
          data = null;
          failed = true;
          report(filterInPlace(selects, terms));
        }
      });
      return;
    }
    report(data ? drawFromData(selects, terms) : filterInPlace(selects, terms));
  }

  /** Says how many rows are shown, of how many matches. */
  function report(counts) {
    if (status) {
      var text;
      if (counts[0] < counts[1]) {
        text = "Showing the first " + counts[0].toLocaleString("en") + " of " + plural(counts[1], "matching " + noun) +
          " (" + counts[2].toLocaleString("en") + " in all).";
      } else {
        text = "Showing " + counts[0].toLocaleString("en") + " of " + plural(counts[2], noun) + ".";
      }
      if (!data) {
        text += " Only this page was searched: the list\u2019s index did not load.";
      }
      status.textContent = text;
    }
  }

  /** A link to a tracker item that is on another page goes to that page. */
  function followAnchor() {
    var hash = window.location.hash;
    if (source !== "actions" || !/^#action-[a-z0-9-]+$/i.test(hash) || document.getElementById(hash.slice(1))) {
      return;
    }
    load(function () {
      if (!data) {
        return;
      }
      var anchor = hash.slice(1);
      var entry = data.entries.filter(function (e) {
        return e.anchor === anchor;
      })[0];
      var target = entry ? sitePath(trackerPage(entry.position)) : null;
      if (target) {
        window.location.replace(target + hash);
      }
    });
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
  // The incident list's search engine and index manifest load when the search box gets the focus,
  // so the first word typed only waits for the files it needs.
  var searchBox = form.querySelector("input[name=q]");
  if (searchBox && source === "incidents") {
    searchBox.addEventListener("focus", function () {
      load(function () {});
    });
  }
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
  enhanceRows();
  apply(false);
  followAnchor();
})();
