//! `pm prompt`: every kind filled from a full record and from a nearly
//! empty one (whose prompts are mostly named placeholders), the text
//! format, `--list`, bad kinds, ids and types, a repository's own prompt
//! template, records with errors, and the prompt boxes of the incident and
//! playbook pages (escaped, and copied by their button in Chromium).

use crate::browser::{chromium, load_url, load_with};
use crate::support::Project;

/// The fixture's full incident: a bundle with a log attachment, every
/// table filled, one unexplained gap and two checklist steps missing.
const FULL: &str = "2026-11-03-checkout-latency";
/// The fixture's incident with only the required keys.
const EMPTY: &str = "2026-12-01-nearly-empty";

/// Every kind that takes an incident id.
const INCIDENT_KINDS: &[&str] = &[
    "triage",
    "stack-trace",
    "logs",
    "correlation",
    "mitigation",
    "database",
    "rollback",
    "stuck",
    "commands",
    "status-update",
    "postmortem",
];

fn fixture() -> Project {
    Project::from_fixture("prompt")
}

#[test]
fn every_kind_on_a_full_record() {
    let p = fixture();
    for kind in INCIDENT_KINDS {
        let out = p.pm(["prompt", kind, FULL]).output();
        out.code(0);
        assert_eq!(out.stderr, "", "{kind}");
        assert!(
            !out.stdout.contains("[not recorded yet"),
            "{kind}: the full record lacks nothing a prompt reads\n{}",
            out.stdout
        );
        insta::assert_snapshot!(format!("full_{kind}"), out.stdout);
    }
    let out = p.pm(["prompt", "playbook", "database"]).output();
    out.code(0);
    insta::assert_snapshot!("full_playbook", out.stdout);
}

#[test]
fn every_kind_on_a_nearly_empty_record_names_what_to_fill() {
    let p = fixture();
    // Each kind's placeholders, by the key they name: none may be dropped.
    let expected: &[(&str, &[&str])] = &[
        (
            "triage",
            &[
                "[triage] error",
                "[triage] symptoms",
                "[[changes]]",
                "[triage] system",
            ],
        ),
        ("stack-trace", &["[triage] stack_trace", "[triage] error"]),
        (
            "logs",
            &[
                "[triage] logs",
                "a [[timeline]] event with step = \"impact-start\"",
            ],
        ),
        ("correlation", &["[triage] symptoms", "[[changes]]"]),
        (
            "mitigation",
            &["[impact] summary", "[rollback] possible", "[[mitigations]]"],
        ),
        ("database", &["[triage] logs", "playbooks/network.md"]),
        (
            "rollback",
            &[
                "kind = \"deploy\"",
                "[rollback] possible",
                "[rollback] reason",
            ],
        ),
        (
            "stuck",
            &["[[hypotheses]]", "[[mitigations]] with chosen = true"],
        ),
        (
            "commands",
            &["[triage] system", "services", "playbooks/network.md"],
        ),
        ("status-update", &["summary", "[impact] summary"]),
        (
            "postmortem",
            &["[[timeline]]", "## Root cause", "[[actions]]"],
        ),
    ];
    assert_eq!(expected.len(), INCIDENT_KINDS.len());
    for (kind, keys) in expected {
        let out = p.pm(["prompt", kind, EMPTY]).output();
        out.code(0);
        for key in *keys {
            let named = out
                .stdout
                .split("[not recorded yet: add ")
                .skip(1)
                .any(|rest| rest.lines().next().is_some_and(|p| p.contains(key)));
            assert!(named, "{kind}: no placeholder naming {key}\n{}", out.stdout);
        }
        insta::assert_snapshot!(format!("empty_{kind}"), out.stdout);
    }
    let out = p.pm(["prompt", "playbook", "network"]).output();
    out.code(0);
    assert!(
        out.stdout
            .contains("[not recorded yet: add playbooks/network.md]")
    );
    insta::assert_snapshot!("empty_playbook", out.stdout);
}

#[test]
fn the_postmortem_prompt_includes_what_pm_found() {
    let out = fixture().pm(["prompt", "postmortem", FULL]).output();
    out.code(0);
    for found in [
        "Gap: 43m of silence from 2026-11-03 14:12 CET to 2026-11-03 14:55 CET (unexplained)",
        "Missing checklist step: Communicate the resolution (step = \"communicate-resolution\")",
        "Missing checklist step: Schedule the postmortem (step = \"schedule-postmortem\")",
        // The whole Root cause section, both paragraphs.
        "Nothing checked `pool_size` against peak traffic.",
    ] {
        assert!(out.stdout.contains(found), "no {found:?}\n{}", out.stdout);
    }
}

#[test]
fn the_logs_prompt_quotes_the_attachment() {
    let out = fixture().pm(["prompt", "logs", FULL]).output();
    out.code(0);
    assert!(
        out.stdout
            .contains("  14:02:03 FATAL remaining connection slots are reserved"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("14:02:11 ERROR pool timeout after 5000 ms\n")
    );
}

#[test]
fn text_format_has_no_markup() {
    let p = fixture();
    for kind in ["triage", "postmortem"] {
        let out = p.pm(["prompt", kind, FULL, "--format", "text"]).output();
        out.code(0);
        for markup in ["**", "```", "`"] {
            assert!(
                !out.stdout.contains(markup),
                "{kind}: `{markup}` in the text format\n{}",
                out.stdout
            );
        }
        insta::assert_snapshot!(format!("text_{kind}"), out.stdout);
    }
}

#[test]
fn list_names_every_kind_and_its_keys() {
    let out = fixture().pm(["prompt", "--list"]).output();
    out.code(0);
    for kind in INCIDENT_KINDS.iter().chain(&["playbook"]) {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{kind} "))),
            "{kind}"
        );
    }
    assert!(out.stdout.contains("never sends it anywhere"));
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn bad_kinds_ids_and_types_are_refused_with_a_suggestion() {
    let p = fixture();
    let out = p.pm(["prompt", "triag", FULL]).output();
    out.code(2);
    assert!(out.stderr.contains("'triage'"), "{}", out.stderr);

    let out = p
        .pm(["prompt", "triage", "2026-11-03-checkout-latncy"])
        .output();
    out.code(2);
    insta::assert_snapshot!("unknown_id", out.snapshot());

    let out = p.pm(["prompt", "playbook", "databse"]).output();
    out.code(2);
    assert!(
        out.stderr.contains("did you mean `database`?"),
        "{}",
        out.stderr
    );

    // An incident id where a type belongs: its type is named.
    let out = p.pm(["prompt", "playbook", FULL]).output();
    out.code(2);
    assert!(
        out.stderr
            .contains("is an incident of type `database`: `pm prompt playbook database`"),
        "{}",
        out.stderr
    );

    let out = p.pm(["prompt", "triage"]).output();
    out.code(2);
    assert!(
        out.stderr.contains("needs an incident id"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_repository_overrides_a_prompt_template() {
    let p = fixture();
    p.file(
        "site-template/prompts/triage.md",
        "Our own triage for {{ title }}:\n{{ error }}\n{% for s in symptoms %}* {{ s }}\n{% endfor %}",
    );
    let out = p.pm(["prompt", "triage", EMPTY]).output();
    out.code(0);
    assert_eq!(
        out.stdout,
        "Our own triage for Checkout errors:\n[not recorded yet: add [triage] error]\n\
         * [not recorded yet: add [triage] symptoms]\n"
    );
    // The other kinds keep the built-in text.
    let out = p.pm(["prompt", "stuck", EMPTY]).output();
    out.code(0);
    assert!(out.stdout.starts_with("We are stuck"), "{}", out.stdout);
    // And the override is a prompt, not a file of the site.
    p.pm(["build"]).output().code(0);
    assert!(!p.exists("public/prompts/triage.md"));

    // A file under prompts/ that names no kind is refused, not ignored.
    p.file("site-template/prompts/triag.md", "x");
    let out = p.pm(["prompt", "stuck", EMPTY]).output();
    out.code(2);
    assert!(
        out.stderr
            .contains("`site-template/prompts/triag.md` is not a prompt pm knows"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_record_with_errors_still_gives_a_prompt_and_says_so() {
    let p = fixture();
    // A quoted datetime: that one event is dropped, the rest is read.
    let text = p.read(&format!("incidents/{FULL}/index.md")).replacen(
        "at = 14:05:00",
        "at = \"14:05:00\"",
        1,
    );
    p.file(&format!("incidents/{FULL}/index.md"), text);
    let out = p.pm(["prompt", "triage", FULL]).output();
    out.code(1);
    assert!(out.stdout.contains("FATAL: remaining connection slots"));
    insta::assert_snapshot!("record_with_errors", out.snapshot());

    // A record pm cannot read at all (a TOML syntax error; an unknown key
    // alone leaves the rest readable): its errors, and no prompt.
    p.file(
        &format!("incidents/{EMPTY}.md"),
        "+++\ntitle = \"Checkout errors\"\nseverity = \"SEV3\"\ntype = \"network\"\nstatus = \"active\"\ncolour \"red\"\n+++\n",
    );
    let out = p.pm(["prompt", "triage", EMPTY]).output();
    out.code(1);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!("unreadable_record", out.snapshot());
}

/// The part of a page between the prompt box's `<details` and its `</details>`.
fn prompt_box(page: &str) -> &str {
    let start = page
        .find("<details class=\"prompt-box\"")
        .expect("a prompt box");
    let end = start + page[start..].find("</details>").expect("the box is closed");
    &page[start..end]
}

/// Undoes Tera's HTML escaping.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

#[test]
fn the_pages_link_their_prompt_published_as_text() {
    let p = fixture();
    // Record text that would run if it reached a page unescaped.
    let text = p.read(&format!("incidents/{FULL}/index.md")).replacen(
        "text = \"Alice takes command\"",
        "text = \"Alice takes command <script>alert(1)</script>\"",
        1,
    );
    p.file(&format!("incidents/{FULL}/index.md"), text);
    p.pm(["build"]).output().code(0);

    let page = p.read(&format!("public/incidents/{FULL}/index.html"));
    let html = prompt_box(&page);
    assert!(html.contains("<summary>"), "{html}");
    assert!(
        !html.contains("<button"),
        "the button is JavaScript's to add\n{html}"
    );
    // The prompt is not in the page: readers do not download it.
    assert!(!html.contains("alert(1)"), "{html}");
    let link = format!("../../prompts/postmortem/{FULL}.txt");
    assert!(
        html.contains(&format!("data-copy-url=\"{link}\""))
            && html.contains(&format!("href=\"{link}\"")),
        "{html}"
    );
    assert!(html.contains(&format!("<code>pm prompt postmortem {FULL}</code>")));
    // The linked file is the text `pm prompt` prints, record text and all.
    let printed = p.pm(["prompt", "postmortem", FULL]).output();
    let published = p.read(&format!("public/prompts/postmortem/{FULL}.txt"));
    assert_eq!(published, printed.stdout);
    assert!(published.contains("Alice takes command <script>alert(1)</script>"));

    let page = p.read("public/playbooks/database/index.html");
    assert!(prompt_box(&page).contains("href=\"../../prompts/playbook/database.txt\""));
    let printed = p.pm(["prompt", "playbook", "database"]).output();
    assert_eq!(
        p.read("public/prompts/playbook/database.txt"),
        printed.stdout
    );
}

/// Serves `dir` over HTTP on a free loopback port until the test ends, as
/// a site host would: a GET of a path under `dir` gets the file, anything
/// else a 404. Returns the base URL.
fn serve_folder(dir: std::path::PathBuf) -> String {
    use std::io::{BufRead as _, BufReader, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Read the head to its end, so the browser sees a full exchange.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("/");
            let rel = path.trim_start_matches('/').split('?').next().unwrap_or("");
            let file = dir.join(rel);
            let (status, body) = match std::fs::read(&file) {
                Ok(body) if !rel.contains("..") => ("200 OK", body),
                _ => ("404 Not Found", Vec::new()),
            };
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                _ => "text/plain; charset=utf-8",
            };
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(&body);
        }
    });
    base
}

/// The test page: the built incident page with a script after prompt.js
/// that stands in for the clipboard (headless Chromium has none) and clicks
/// the button.
#[expect(
    clippy::disallowed_methods,
    reason = "the test writes its own page and script into the built site"
)]
fn page_that_clicks_copy(dir: &std::path::Path) {
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let with_test = page.replacen(
        "prompt.js\" defer></script>",
        "prompt.js\" defer></script><script src=\"click.js\" defer></script>",
        1,
    );
    assert_ne!(page, with_test, "the page loads prompt.js");
    std::fs::write(dir.join("click.html"), with_test).unwrap();
    std::fs::write(
        dir.join("click.js"),
        r#"(function () {
  var copied = document.createElement("output");
  copied.id = "copied";
  document.body.appendChild(copied);
  Object.defineProperty(navigator, "clipboard", {
    value: { writeText: function (t) { copied.textContent = t; return Promise.resolve(); } }
  });
  document.querySelector(".prompt-copy").click();
})();
"#,
    )
    .unwrap();
}

#[test]
fn browser_the_copy_button_copies_the_prompt() {
    let Some(browser) = chromium() else { return };
    let p = fixture();
    p.pm(["build"]).output().code(0);
    let site = p.root().join("public");
    let dir = site.join(format!("incidents/{FULL}"));
    page_that_clicks_copy(&dir);

    // Served, as a published site is: the button fetches the text and copies it.
    let base = serve_folder(site.clone());
    let loaded = load_url(
        &browser,
        &format!("{base}incidents/{FULL}/click.html"),
        &["--virtual-time-budget=5000", "--dump-dom"],
    );
    assert!(
        loaded.console.is_empty(),
        "the page logged to the console:\n  {}",
        loaded.console.join("\n  ")
    );
    let dom = &loaded.dom;
    assert!(
        dom.contains("<button type=\"button\" class=\"prompt-copy\">Copy prompt</button>"),
        "{dom}"
    );
    assert!(dom.contains(">Copied.</span>"), "{dom}");
    let start = dom
        .find("<output id=\"copied\">")
        .expect("the stand-in clipboard")
        + 20;
    let copied = unescape(&dom[start..start + dom[start..].find("</output>").unwrap()]);
    let printed = p.pm(["prompt", "postmortem", FULL]).output();
    assert_eq!(copied, printed.stdout);

    // Opened from disk, the browser refuses the fetch: the button says to
    // open the link instead of failing silently.
    let loaded = load_with(
        &browser,
        &dir.join("click.html"),
        "",
        &["--virtual-time-budget=5000", "--dump-dom"],
    );
    assert!(
        loaded
            .dom
            .contains("open the prompt as text and copy it from there"),
        "{}",
        loaded.dom
    );
}
