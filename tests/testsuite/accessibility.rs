//! Accessibility of the built example site, judged in headless Chromium.
//!
//! Every kind of page (the index, an incident with its git history, a
//! playbook, the action tracker, an owner's and a kind's page, the listing
//! pages of a severity, a service and a year, and the 404 page) is loaded at 390 and 1280 pixels wide, in light and dark, with
//! axe-core (vendored for tests only under `tests/vendor/axe-core/`) and
//! `accessibility_probe.js` added to a copy of the page. The probe reports:
//!
//! - axe-core's serious and critical violations: there must be none;
//! - keyboard: every shown control is in the tab order, takes the focus,
//!   and then shows an outline of at least 2 px or a focus ring (a
//!   `:focus-visible` style); on an incident page at 390 px that includes
//!   each row of the vertical timeline;
//! - charts: every bar and point of the index's trend charts has its value
//!   printed as text, and every chart has a data table, so nothing needs a
//!   hover;
//! - no sideways scrolling at either width on the pages of the index, the
//!   playbooks and the tracker.
//!
//! Like the other browser tests this needs Debian's `chromium`, unless
//! `PM_SKIP_BROWSER=1` is set.

use std::path::Path;

use crate::browser::{TODAY, build_examples, chromium, load_with};
use crate::support::{Project, repo_root};

/// The kinds of page, by a page of each in the built example site.
fn pages(p: &Project) -> Vec<String> {
    let newest = std::fs::read_dir(p.root().join("public/incidents"))
        .expect("public/incidents")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .max()
        .expect("an incident page");
    let owner = std::fs::read_dir(p.root().join("public/actions/owners"))
        .expect("public/actions/owners")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .min()
        .expect("an owner page");
    let first = |dir: &str| -> String {
        std::fs::read_dir(p.root().join("public").join(dir))
            .unwrap_or_else(|e| panic!("public/{dir}: {e}"))
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("index.html").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .min()
            .unwrap_or_else(|| panic!("no page under public/{dir}"))
    };
    vec![
        "index.html".to_owned(),
        format!("incidents/{newest}/index.html"),
        "playbooks/database/index.html".to_owned(),
        "actions/index.html".to_owned(),
        format!("actions/owners/{owner}/index.html"),
        format!("actions/kinds/{}/index.html", first("actions/kinds")),
        "severities/sev2/index.html".to_owned(),
        format!("services/{}/index.html", first("services")),
        format!("years/{}/index.html", first("years")),
        "404.html".to_owned(),
    ]
}

/// The pages whose layout this test answers for at 390 px (the incident
/// page's layout has its own test).
fn owns_layout(page: &str) -> bool {
    page == "index.html" || page.starts_with("playbooks/") || page.starts_with("actions/")
}

/// What the probe found on one page.
#[derive(Debug)]
struct Findings {
    axe: Vec<String>,
    focus: Vec<String>,
    charts: Vec<String>,
    scroll_width: f64,
    inner_width: f64,
}

/// Adds the probe to a copy of `page` (next to it, so relative links still
/// work and the page's Content-Security-Policy, `script-src 'self'`, lets
/// the scripts run), loads it and reads the findings from the DOM.
fn probe(browser: &Path, p: &Project, page: &str, width: u32, dark: bool) -> Findings {
    let public = p.root().join("public");
    let html = p.read(&format!("public/{page}"));
    let depth = page.matches('/').count();
    let up = "../".repeat(depth);
    let scripts = format!(
        "<script src=\"{up}pm-axe.min.js\"></script><script src=\"{up}pm-a11y-probe.js\"></script></body>"
    );
    assert!(html.contains("</body>"), "{page}: no </body>");
    // The 404 page links the site from its root (`/style.css`), as a server
    // shows it for any missing path; from a file its root is the folder.
    let html = if page == "404.html" {
        html.replace("href=\"/", "href=\"./")
            .replace("src=\"/", "src=\"./")
    } else {
        html
    };
    let probed = page
        .replace("index.html", "pm-probe.html")
        .replace("404.html", "404-probe.html");
    p.file(
        &format!("public/{probed}"),
        html.replacen("</body>", &scripts, 1),
    );
    let scheme = if dark { 0 } else { 1 };
    let loaded = load_with(
        browser,
        &public.join(&probed),
        "",
        &[
            "--hide-scrollbars",
            "--virtual-time-budget=20000",
            &format!("--window-size={width},1000"),
            &format!("--blink-settings=preferredColorScheme={scheme}"),
            "--dump-dom",
        ],
    );
    let start = loaded
        .dom
        .find("<pre id=\"pm-a11y-result\">")
        .unwrap_or_else(|| {
            panic!(
                "{page}: the probe wrote no result; console: {:?}",
                loaded.console
            )
        });
    let rest = &loaded.dom[start + "<pre id=\"pm-a11y-result\">".len()..];
    let json = rest.split("</pre>").next().unwrap_or_default();
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{page}: the probe's result is not JSON ({e}): {json}"));
    assert!(
        v["error"].is_null(),
        "{page}: axe-core failed: {}",
        v["error"]
    );
    let strings = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Findings {
        axe: strings("axe"),
        focus: strings("focus"),
        charts: strings("charts"),
        scroll_width: v["scroll_width"].as_f64().unwrap_or(0.0),
        inner_width: v["inner_width"].as_f64().unwrap_or(0.0),
    }
}

#[test]
fn browser_every_kind_of_page_passes_axe_core_the_keyboard_and_the_chart_checks() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    // Commit the records, so pages carry their git history section too.
    p.commit_all("the example records", 1_764_000_000);
    p.pm(["build", "--today", TODAY]).output().code(0);
    let vendor = repo_root().join("tests/vendor/axe-core/axe.min.js");
    p.file(
        "public/pm-axe.min.js",
        std::fs::read(&vendor).expect("tests/vendor/axe-core/axe.min.js"),
    );
    p.file(
        "public/pm-a11y-probe.js",
        include_str!("accessibility_probe.js"),
    );

    let mut problems = Vec::new();
    let mut saw_charts = false;
    for page in pages(&p) {
        for (width, dark) in [(1280, false), (1280, true), (390, false), (390, true)] {
            let f = probe(&browser, &p, &page, width, dark);
            let at = format!(
                "{page} at {width} px, {}",
                if dark { "dark" } else { "light" }
            );
            problems.extend(f.axe.iter().map(|v| format!("{at}: axe-core: {v}")));
            problems.extend(f.focus.iter().map(|v| format!("{at}: keyboard: {v}")));
            problems.extend(f.charts.iter().map(|v| format!("{at}: chart: {v}")));
            if owns_layout(&page) && f.scroll_width > f.inner_width {
                problems.push(format!(
                    "{at}: scrolls sideways ({} px of content in {} px)",
                    f.scroll_width, f.inner_width
                ));
            }
            saw_charts |= page == "index.html";
        }
    }
    assert!(
        saw_charts,
        "the index page (with the charts) was not checked"
    );
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} accessibility problems:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}
