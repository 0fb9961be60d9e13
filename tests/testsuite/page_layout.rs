//! Every kind of page of the example site, laid out by headless Chromium at a
//! phone's width (390 px) and a laptop's (1280 px), in light and dark:
//!
//! - no page scrolls sideways (`scrollWidth <= innerWidth`): what is wide
//!   scrolls inside its own container;
//! - no two texts of any SVG overlap (the `getBBox()` of every `<text>`,
//!   compared pairwise);
//! - controls a finger must hit (summaries, buttons, navigation links) are
//!   at least 24 px tall;
//! - the index's "By severity" table does not scroll sideways, not even
//!   inside its box;
//! - an incident's timeline is the event table, open and stacked into a
//!   vertical timeline, at 390 px and the drawing at 1280 px; the table's
//!   times (each the link to its event) and the drawing's marks are tap
//!   targets of at least 24 by 24 px, and none of its text renders under
//!   11 px;
//! - on an incident page at 1280 px, the write-up's first heading is within
//!   the first 2,500 px: the story comes before the working notes.
//!
//! How: the test copies two scripts into the built site (never shipped:
//! `page_layout.js` measures a page and posts a JSON report to its parent;
//! `page_layout_frame.js` writes each report into the parent's DOM), adds
//! the first to every page under test, and opens one frame page per width
//! and colour scheme holding every page in an `<iframe>` of that width (a
//! headless window cannot be narrower than 500 px, a frame can). Chromium's
//! `--dump-dom` then prints the reports. Four browser runs measure every
//! page; more runs take the screenshots, one per kind of page, width and
//! colour scheme, written to `target/screenshots/pages/` for a reviewer (see
//! CONTRIBUTING.md).

use std::path::Path;

use crate::browser::{build_examples, chromium, load_with, screenshots_dir};
use crate::support::{Project, list_files};

/// The widths pages are laid out at: a phone's and a laptop's.
const WIDTHS: [u32; 2] = [390, 1280];

/// How far down the write-up's first heading may start at 1280 px.
const WRITEUP_WITHIN_PX: i64 = 2500;

/// Smallest height of a control a finger must hit.
const MIN_TARGET_PX: f64 = 24.0;

/// Below this width (48rem, style.css) an incident's timeline is the
/// event table, open and stacked; from it on, the drawing.
const PHONE_BELOW_PX: u32 = 768;

/// The pages under test, relative to `public/`: every incident, and the
/// first page of every other kind (index, tracker and its sub-lists,
/// playbooks, listing pages, 404).
fn pages(public: &Path) -> Vec<String> {
    let all = list_files(public);
    let mut out: Vec<String> = all
        .iter()
        .filter(|p| p.starts_with("incidents/") && p.ends_with("/index.html"))
        .cloned()
        .collect();
    out.extend([
        "index.html".to_owned(),
        "404.html".to_owned(),
        "actions/index.html".to_owned(),
    ]);
    for kind in [
        "actions/owners/",
        "actions/kinds/",
        "playbooks/",
        "services/",
        "types/",
        "severities/",
        "statuses/",
        "years/",
    ] {
        if let Some(first) = all
            .iter()
            .filter(|p| {
                p.starts_with(kind)
                    && p.ends_with("/index.html")
                    && p.matches('/').count() == kind.matches('/').count() + 1
            })
            .min()
        {
            out.push(first.clone());
        }
    }
    out
}

/// `../` once per folder of `rel`: the way back to the site's root.
fn up(rel: &str) -> String {
    "../".repeat(rel.matches('/').count())
}

/// Adds the measuring script to `rel` and, for the 404 page, makes its
/// root-relative links (`/style.css`: it is served at any depth) relative,
/// since a `file://` page has no server root.
fn instrument(p: &Project, rel: &str) {
    let path = p.root().join("public").join(rel);
    let mut html = std::fs::read_to_string(&path).expect("read page");
    if rel == "404.html" {
        html = html.replace("href=\"/", "href=\"");
    }
    let tag = format!(
        "<script src=\"{}pm-layout.js\" defer></script></head>",
        up(rel)
    );
    assert!(html.contains("</head>"), "{rel}: no </head>");
    html = html.replacen("</head>", &tag, 1);
    p.file(&format!("public/{rel}"), html);
}

/// The reports `--dump-dom` printed, as JSON values.
fn reports(dom: &str) -> Vec<serde_json::Value> {
    let open = "<pre class=\"pm-layout-report\">";
    dom.split(open)
        .skip(1)
        .filter_map(|rest| rest.split("</pre>").next())
        .map(|text| {
            let json = text
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("report {json}: {e}"))
        })
        .collect()
}

/// What is wrong with one page's report, as sentences.
fn problems(r: &serde_json::Value, width: u32) -> Vec<String> {
    let page = r["page"].as_str().unwrap_or("?");
    let list = |key: &str| -> Vec<String> {
        r[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let (scroll, inner) = (
        r["scrollWidth"].as_i64().unwrap_or(0),
        r["width"].as_i64().unwrap_or(0),
    );
    if inner != i64::from(width) {
        out.push(format!("{page}: laid out {inner} px wide, not {width}"));
    }
    if scroll > inner {
        out.push(format!(
            "{page}: scrolls sideways at {width} px ({scroll} > {inner}); wide: {}",
            list("wide").join(", ")
        ));
    }
    // The index's "By severity" table fits a phone without scrolling even
    // inside its box: it stacks instead.
    if page.ends_with("/public/index.html") {
        for b in list("boxes")
            .iter()
            .filter(|b| b.starts_with("by-severity"))
        {
            out.push(format!("{page}: a box scrolls sideways at {width} px: {b}"));
        }
    }
    for o in list("overlaps") {
        out.push(format!("{page}: overlapping SVG texts at {width} px: {o}"));
    }
    for s in list("small_targets") {
        out.push(format!(
            "{page}: tap target under {MIN_TARGET_PX} px at {width} px: {s}"
        ));
    }
    if let Some(tl) = r["timeline"].as_object() {
        let shown = |k: &str| tl.get(k).and_then(serde_json::Value::as_bool) == Some(true);
        // A phone gets the vertical timeline instead of the drawing; a laptop the drawing.
        let (want_vertical, want_drawing) = (width < PHONE_BELOW_PX, width >= PHONE_BELOW_PX);
        if shown("vertical") != want_vertical || shown("drawing") != want_drawing {
            out.push(format!(
                "{page}: at {width} px the timeline shows the drawing: {}, the stacked event table: {}",
                shown("drawing"),
                shown("vertical")
            ));
        }
        if want_vertical && tl.get("rows").and_then(serde_json::Value::as_u64) == Some(0) {
            out.push(format!(
                "{page}: the stacked event table has no times to tap"
            ));
        }
        for key in ["small", "tiny", "overlap"] {
            for s in tl
                .get(key)
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_str)
            {
                let what = match key {
                    "small" => "tap target under 24 px",
                    "tiny" => "text under 11 px",
                    _ => "time less than 4 px from its text",
                };
                out.push(format!("{page}: timeline {what} at {width} px: {s}"));
            }
        }
    }
    if width == 1280 && page.contains("/incidents/") {
        match r["writeup_top"].as_i64() {
            Some(top) if top <= WRITEUP_WITHIN_PX => {}
            Some(top) => out.push(format!(
                "{page}: the write-up's first heading starts at {top} px, below {WRITEUP_WITHIN_PX} px"
            )),
            None => out.push(format!("{page}: no write-up heading found")),
        }
    }
    out
}

/// Loads every page in frames `width` wide, light or dark, and returns the
/// problems found.
fn measure(browser: &Path, p: &Project, pages: &[String], width: u32, dark: bool) -> Vec<String> {
    let public = p.root().join("public");
    let name = format!(
        "pm-frame-{width}-{}.html",
        if dark { "dark" } else { "light" }
    );
    let frames: String = pages
        .iter()
        .map(|p| format!("<iframe src=\"{p}\" width=\"{width}\" height=\"900\"></iframe>\n"))
        .collect();
    p.file(
        &format!("public/{name}"),
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"pm-layout-frame.js\"></script></head><body>\n{frames}</body></html>\n"
        ),
    );
    let mut args = vec![
        "--hide-scrollbars",
        "--window-size=1400,1000",
        "--virtual-time-budget=10000",
        "--dump-dom",
    ];
    if dark {
        args.push("--blink-settings=preferredColorScheme=0");
    }
    let loaded = load_with(browser, &public.join(&name), "", &args);
    let reports = reports(&loaded.dom);
    let mut out: Vec<String> = Vec::new();
    let seen: Vec<&str> = reports.iter().filter_map(|r| r["page"].as_str()).collect();
    for p in pages {
        if !seen.iter().any(|s| s.ends_with(&format!("/{p}"))) {
            out.push(format!(
                "{p}: no report at {width} px (the page did not load or its script failed)"
            ));
        }
    }
    for r in &reports {
        out.extend(
            problems(r, width)
                .into_iter()
                .map(|p| format!("{}: {p}", if dark { "dark" } else { "light" })),
        );
    }
    out
}

#[test]
fn browser_pages_fit_phones_and_laptops_and_tell_the_story_first() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let public = p.root().join("public");
    let pages = pages(&public);
    assert!(pages.len() > 15, "too few pages: {pages:?}");
    for (file, text) in [
        ("pm-layout.js", include_str!("page_layout.js")),
        ("pm-layout-frame.js", include_str!("page_layout_frame.js")),
    ] {
        p.file(&format!("public/{file}"), text);
    }
    // Screenshots first, of the site as built (one page of each kind).
    screenshots(&browser, &public, &pages);
    for page in &pages {
        instrument(&p, page);
    }
    let runs: Vec<(u32, bool)> = WIDTHS
        .iter()
        .flat_map(|&w| [(w, false), (w, true)])
        .collect();
    let found: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .chunks(2)
            .map(|chunk| {
                let (browser, p, pages) = (&browser, &p, &pages);
                s.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|&(w, dark)| measure(browser, p, pages, w, dark))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("measuring thread"))
            .collect()
    });
    assert!(
        found.is_empty(),
        "{} layout problems:\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

/// One screenshot per kind of page (the first incident, not all of them),
/// width and colour scheme, in `target/screenshots/pages/`, named
/// `<page>-<width>.png` (light) and `<page>-<width>-dark.png`.
fn screenshots(browser: &Path, public: &Path, pages: &[String]) {
    let dir = screenshots_dir().join("pages");
    std::fs::create_dir_all(&dir).expect("create target/screenshots/pages");
    // The newest incident (the richest example), and the first page of each
    // other kind; the listing pages by severity, type and status look like
    // the service pages.
    let newest = pages.iter().filter(|p| p.starts_with("incidents/")).max();
    let kinds: Vec<&String> = newest
        .into_iter()
        .chain(pages.iter().filter(|p| {
            ![
                "incidents/",
                "actions/kinds/",
                "severities/",
                "statuses/",
                "types/",
            ]
            .iter()
            .any(|k| p.starts_with(k))
        }))
        .collect();
    let shots: Vec<(&String, u32, bool)> = kinds
        .iter()
        .flat_map(|&p| {
            WIDTHS
                .iter()
                .flat_map(move |&w| [(p, w, false), (p, w, true)])
        })
        .collect();
    std::thread::scope(|s| {
        for chunk in shots.chunks(shots.len().div_ceil(2).max(1)) {
            let dir = &dir;
            s.spawn(move || {
                for (page, width, dark) in chunk {
                    let name = page
                        .trim_end_matches("/index.html")
                        .trim_end_matches(".html")
                        .replace('/', "_");
                    let scheme = if *dark { "-dark" } else { "" };
                    let out = dir.join(format!("{name}-{width}{scheme}.png"));
                    let _ = std::fs::remove_file(&out);
                    let height = if *width == 390 { 3200 } else { 2400 };
                    let mut args = vec![
                        "--hide-scrollbars".to_owned(),
                        format!("--window-size={width},{height}"),
                        format!("--screenshot={}", out.display()),
                    ];
                    if *dark {
                        args.push("--blink-settings=preferredColorScheme=0".to_owned());
                    }
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    load_with(browser, &public.join(page.as_str()), "", &args);
                    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
                    assert!(size > 5_000, "{}: no screenshot written", out.display());
                }
            });
        }
    });
}
