//! `[site] leave_out`: a site that leaves out the prompts, `incidents.json`,
//! `actions.csv` and `search-index.json` publishes none of them, and none of
//! its pages links to them; an unknown value is refused where it is written.

use std::path::Path;

use crate::browser::{TODAY, chromium, load_with, site_problems};
use crate::support::{Project, copy_tree, list_files, repo_root};

/// Every value `leave_out` takes, as pm.toml writes them.
const ALL: &str =
    r#"leave_out = ["prompts", "incidents.json", "actions.csv", "search-index.json"]"#;

/// What a page must not link to when everything is left out.
const LEFT_OUT: [&str; 4] = [
    "prompts/",
    "incidents.json",
    "actions.csv",
    "search-index.json",
];

/// A copy of the repository's records whose `[site]` table starts with `line`.
fn examples_with(line: &str) -> Project {
    let p = Project::empty();
    let repo = repo_root();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&repo.join(dir), &p.root().join(dir));
    }
    let config = std::fs::read_to_string(repo.join("pm.toml")).expect("read pm.toml");
    assert!(config.contains("[site]\n"), "pm.toml has no [site] table");
    p.file(
        "pm.toml",
        config.replacen("[site]\n", &format!("[site]\n{line}\n"), 1),
    );
    p
}

fn build(p: &Project) {
    p.pm(["build", "--today", TODAY]).output().code(0);
}

/// The values of the attributes of `html` that name another file: `href`,
/// `src` and `data-*-url`.
fn linked(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in html.split("=\"").skip(1) {
        let value = piece.split('"').next().unwrap_or("");
        out.push(value.to_owned());
    }
    // Only the attributes that link: the text before each `="`.
    let names: Vec<&str> = html
        .split("=\"")
        .map(|before| before.rsplit([' ', '<', '\n']).next().unwrap_or(""))
        .collect();
    (names.iter().zip(out))
        .filter(|(name, _)| {
            **name == "href"
                || **name == "src"
                || (name.starts_with("data-") && name.ends_with("-url"))
        })
        .map(|(_, value)| value)
        .collect()
}

/// Every link of every page of `public` to a file `leave_out` names.
fn links_to_left_out(public: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for rel in list_files(public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = std::fs::read_to_string(public.join(&rel)).expect("read page");
        for value in linked(&html) {
            if LEFT_OUT.iter().any(|name| value.contains(name)) {
                found.push(format!("{rel}: {value}"));
            }
        }
    }
    found
}

#[test]
fn the_link_finder_sees_links_to_the_copies() {
    let html = r#"<a class="x" href="../../incidents.json">j</a><p data-copy-url="../prompts/a.txt">
<a href="actions.csv">c</a> <span title="prompts/ in a title">t</span>"#;
    assert_eq!(
        linked(html),
        ["../../incidents.json", "../prompts/a.txt", "actions.csv"]
    );
    // A default build links every one of them: the walk below can fail.
    let p = examples_with("");
    build(&p);
    let found = links_to_left_out(&p.root().join("public")).join("\n");
    for name in LEFT_OUT.iter().filter(|n| **n != "search-index.json") {
        assert!(found.contains(name), "no link to {name}:\n{found}");
    }
}

#[test]
fn a_site_leaving_out_the_copies_publishes_and_links_none() {
    let p = examples_with(ALL);
    build(&p);
    let public = p.root().join("public");
    let files = list_files(&public);
    for name in LEFT_OUT {
        let name = name.trim_end_matches('/');
        assert!(
            !files
                .iter()
                .any(|f| f == name || f.starts_with(&format!("{name}/"))),
            "`{name}` was published"
        );
    }
    // The browser's own search index and the feed stay.
    for kept in ["search/index.js", "atom.xml", "actions-index.js"] {
        assert!(files.iter().any(|f| f == kept), "`{kept}` is missing");
    }
    let found = links_to_left_out(&public);
    assert!(
        found.is_empty(),
        "links to left-out files:\n{}",
        found.join("\n")
    );
    let problems = site_problems(&public);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The prompt box gives the command, and nothing to fetch or open.
    let id = "2026-06-11-refund-events-schema-fix-forward";
    let page = p.read(&format!("public/incidents/{id}/index.html"));
    let start = page
        .find("<details class=\"prompt-box\"")
        .expect("a prompt box");
    let rest = &page[start..];
    let html = &rest[..rest.find("</details>").expect("its end")];
    assert!(
        html.contains(&format!("<code>pm prompt postmortem {id}</code>")),
        "{html}"
    );
    assert!(
        html.contains("does not publish the prompt as a file"),
        "{html}"
    );
    assert!(!html.contains("prompt-actions"), "{html}");
    assert!(!page.contains("prompt.js"), "nothing for prompt.js to do");
    let footer = &page[page.find("<footer").expect("a footer")..];
    assert!(footer.contains("Atom feed</a></p>"), "{footer}");
    let tracker = p.read("public/actions/index.html");
    assert!(!tracker.contains("Also as"), "the tracker offers no CSV");
    let playbook = p.read("public/playbooks/database/index.html");
    assert!(playbook.contains("<code>pm prompt playbook database</code>"));
    // `pm prompt` still prints what the page would have linked.
    let printed = p.pm(["prompt", "postmortem", id]).output();
    printed.code(0);
    assert!(!printed.stdout.is_empty());
}

#[test]
fn each_value_leaves_out_its_file_alone() {
    for (value, gone, kept) in [
        ("incidents.json", "incidents.json", "actions.csv"),
        ("actions.csv", "actions.csv", "incidents.json"),
        ("search-index.json", "search-index.json", "incidents.json"),
        (
            "prompts",
            "prompts/playbook/database.txt",
            "search-index.json",
        ),
    ] {
        let p = examples_with(&format!("leave_out = [\"{value}\"]"));
        build(&p);
        assert!(
            !p.exists(&format!("public/{gone}")),
            "{value}: `{gone}` published"
        );
        assert!(
            p.exists(&format!("public/{kept}")),
            "{value}: `{kept}` missing"
        );
        let found = links_to_left_out(&p.root().join("public"));
        let to_gone: Vec<&String> = found.iter().filter(|l| l.contains(gone)).collect();
        assert!(to_gone.is_empty(), "{value}: {to_gone:?}");
    }
}

#[test]
fn a_previous_sites_copies_are_not_carried_over() {
    let p = examples_with("");
    build(&p);
    assert!(p.exists("public/incidents.json") && p.exists("public/prompts"));
    let config = p.read("pm.toml");
    p.file(
        "pm.toml",
        config.replacen("[site]\n", &format!("[site]\n{ALL}\n"), 1),
    );
    build(&p);
    for name in LEFT_OUT {
        let name = name.trim_end_matches('/');
        assert!(
            !p.exists(&format!("public/{name}")),
            "`{name}` carried over"
        );
    }
    assert!(p.exists("public/index.html"));
}

#[test]
fn an_unknown_value_is_refused_where_it_is_written_with_a_suggestion() {
    let p = examples_with(r#"leave_out = ["prompts", "incident.json"]"#);
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(1);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(text.contains("pm.toml:5:25"), "{text}");
    assert!(
        text.contains("`leave_out` names no file pm can leave out: `incident.json`"),
        "{text}"
    );
    assert!(text.contains("did you mean `incidents.json`?"), "{text}");
    assert!(!p.exists("public"), "nothing is published");
    p.pm(["lint"]).output().code(1);
}

#[test]
fn browser_a_prompt_box_without_a_file_shows_the_command_and_no_button() {
    let Some(browser) = chromium() else { return };
    let id = "2026-06-11-refund-events-schema-fix-forward";
    let page = format!("public/incidents/{id}/index.html");
    for (line, published) in [("", true), (ALL, false)] {
        let p = examples_with(line);
        build(&p);
        let loaded = load_with(&browser, &p.root().join(&page), "", &["--dump-dom"]);
        assert!(
            loaded.console.is_empty(),
            "the page logged to the console:\n  {}",
            loaded.console.join("\n  ")
        );
        let dom = &loaded.dom;
        let start = dom
            .find("<details class=\"prompt-box\"")
            .expect("a prompt box");
        let rest = &dom[start..];
        let html = &rest[..rest.find("</details>").expect("its end")];
        assert_eq!(html.contains("prompt-copy"), published, "{html}");
        assert_eq!(
            html.contains("Open the prompt as text"),
            published,
            "{html}"
        );
        assert!(
            html.contains(&format!("pm prompt postmortem {id}")),
            "{html}"
        );
    }
}

#[test]
fn pm_serve_leaves_out_what_pm_build_does() {
    let p = examples_with(ALL);
    let server = crate::serve::Server::start(&p, &[]);
    let id = "2026-06-11-refund-events-schema-fix-forward";
    let page = server.wait_for(&format!("/incidents/{id}/"), "the first build", |b| {
        b.contains("</html>")
    });
    assert!(page.contains("does not publish the prompt as a file"));
    assert!(!page.contains("data-copy-url"));
    for gone in [
        "/incidents.json".to_owned(),
        "/actions.csv".to_owned(),
        "/search-index.json".to_owned(),
        format!("/prompts/postmortem/{id}.txt"),
        "/prompts/playbook/database.txt".to_owned(),
    ] {
        let (status, _) = server.get(&gone);
        assert_eq!(status, 404, "{gone} is served");
    }
    let (status, _) = server.get("/search/index.js");
    assert_eq!(status, 200, "the browser's search index is served");
    server.stop();
}
