//! `pm prompt`: every kind filled from a full record and from a nearly
//! empty one (whose prompts are mostly named placeholders), the text
//! format, `--list`, bad kinds, ids and types, a repository's own prompt
//! template, records with errors, and the prompt boxes of the incident and
//! playbook pages (escaped, and copied by their button in Chromium).

use crate::browser::{chromium, load_with};
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

    // A record pm cannot read at all: its errors, and no prompt.
    p.file(
        &format!("incidents/{EMPTY}.md"),
        "+++\ntitle = \"Checkout errors\"\nseverity = \"SEV3\"\ntype = \"network\"\nstatus = \"active\"\ncolour = \"red\"\n+++\n",
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

/// The text of the box's `<pre>`, unescaped.
fn pre_text(html: &str) -> String {
    let start = html.find("<pre class=\"prompt-text\"").expect("a pre");
    let open_end = start + html[start..].find('>').expect("tag end") + 1;
    let end = open_end + html[open_end..].find("</pre>").expect("pre closed");
    unescape(&html[open_end..end])
}

#[test]
fn the_pages_offer_the_prompt_without_javascript_and_escaped() {
    let p = fixture();
    // Record text that would run if it were not escaped.
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
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    // The page holds the same text `pm prompt` prints.
    let printed = p.pm(["prompt", "postmortem", FULL]).output();
    assert_eq!(pre_text(html), printed.stdout);
    assert!(html.contains(&format!("<code>pm prompt postmortem {FULL}</code>")));

    let page = p.read("public/playbooks/database/index.html");
    let printed = p.pm(["prompt", "playbook", "database"]).output();
    assert_eq!(pre_text(prompt_box(&page)), printed.stdout);
}

#[test]
#[expect(
    clippy::disallowed_methods,
    reason = "the test writes its own page and script into the built site"
)]
fn browser_the_copy_button_copies_the_prompt() {
    let Some(browser) = chromium() else { return };
    let p = fixture();
    p.pm(["build"]).output().code(0);
    let dir = p.root().join(format!("public/incidents/{FULL}"));
    // The built page, with a test script after prompt.js that stands in for
    // the clipboard (headless Chromium has none) and clicks the button.
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
    let loaded = load_with(
        &browser,
        &dir.join("click.html"),
        "",
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
}
