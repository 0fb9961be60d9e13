//! `pm serve` rebuilds incrementally: after a run of edits, every file it
//! serves is the file `pm build` writes from the same records (pages but
//! for the reload script and its Content-Security-Policy, which only the
//! preview adds).

use std::path::Path;

use crate::serve::Server;
use crate::support::{Project, copy_tree, list_files, repo_root};

/// A page as `pm build` would write it: the preview's reload script taken
/// out and every Content-Security-Policy emptied (the preview widens it).
fn as_built(html: &str) -> String {
    let mut page = html.to_owned();
    if let Some(start) = page.find("<script src=\"/__pm/livereload.js")
        && let Some(len) = page[start..].find("</script>\n")
    {
        page.replace_range(start..start + len + "</script>\n".len(), "");
    }
    let marker = "http-equiv=\"Content-Security-Policy\" content=\"";
    if let Some(at) = page.find(marker).map(|i| i + marker.len())
        && let Some(len) = page[at..].find('"')
    {
        page.replace_range(at..at + len, "");
    }
    page
}

fn edit(project: &Project, rel: &str, edit: impl FnOnce(String) -> String) {
    let text = project.read(rel);
    project.file(rel, edit(text));
}

fn retitle(text: &str, title: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("title = "))
        .unwrap();
    lines[at] = format!("title = {title}");
    lines.join("\n") + "\n"
}

#[test]
fn after_edits_the_served_site_is_the_built_site() {
    let project = Project::empty();
    let here = repo_root();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&here.join(dir), &project.root().join(dir));
    }
    project.file("pm.toml", std::fs::read(here.join("pm.toml")).unwrap());
    let server = Server::start(&project, &[]);
    let refunds = "incidents/2026/2026-06-11-refund-events-schema-fix-forward.md";
    let page = "/incidents/2026-06-11-refund-events-schema-fix-forward/";
    let has = |text: &'static str| move |body: &str| body.contains(text);
    server.wait_for(page, "the first build", has("</html>"));

    edit(&project, refunds, |t| {
        t + "\nA sentence added while serving.\n"
    });
    server.wait_for(
        page,
        "the new sentence",
        has("A sentence added while serving."),
    );

    edit(&project, refunds, |t| retitle(&t, "1"));
    server.wait_for("/index.html", "the overlay", has("pm-serve-overlay"));

    edit(&project, refunds, |t| {
        retitle(&t, "\"Refunds held, retitled in the preview\"")
    });
    server.wait_for(
        page,
        "the new title",
        has("Refunds held, retitled in the preview"),
    );
    server.wait_for("/index.html", "no overlay", |b| {
        !b.contains("pm-serve-overlay")
    });

    let dashboard = "incidents/2025/2025-03-18-dashboard-slow-transaction-list.md";
    let text = project.read(dashboard).replace("2025-03-18", "2025-03-19");
    project.file("incidents/2025/2025-03-19-dashboard-again.md", text);
    server.wait_for(
        "/incidents/2025-03-19-dashboard-again/",
        "the new record",
        has("</html>"),
    );

    std::fs::remove_file(project.root().join(dashboard)).unwrap();
    server.wait_for(
        "/incidents/2025-03-18-dashboard-slow-transaction-list/",
        "the deleted record gone",
        |body| body.contains("Page not found"),
    );

    edit(&project, "playbooks/database.md", |t| {
        t + "\nA line added to the playbook while serving.\n"
    });
    server.wait_for(
        "/playbooks/database/",
        "the playbook's new line",
        has("A line added to the playbook while serving."),
    );

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    project
        .pm(["build", "--base-url", "/", "-o", site.to_str().unwrap()])
        .output()
        .code(0);
    let files = list_files(&site);
    assert!(files.len() > 50, "only {} files built", files.len());
    for rel in files {
        if Path::new(&rel).file_name().is_some_and(|n| n == ".pm-site") {
            continue;
        }
        let built = String::from_utf8_lossy(&std::fs::read(site.join(&rel)).unwrap()).into_owned();
        let (status, served) = server.get(&format!("/{rel}"));
        assert_eq!(status, 200, "{rel}");
        if rel.ends_with(".html") {
            assert_eq!(as_built(&served), as_built(&built), "{rel}");
        } else {
            assert!(served == built, "{rel} differs");
        }
    }
    server.stop();
}

/// After a save, the saved record's page is served before the files across
/// records are up to date (a debug build holds them back for the time
/// `PM_SERVE_ACROSS_DELAY_MS` says), and a request for one of those files
/// meanwhile waits for it: the index and `incidents.json` asked for once,
/// right after the page shows the new title, show it too, never the
/// build before's.
#[test]
fn a_file_across_records_asked_for_during_the_rebuild_waits_for_it() {
    let project = Project::empty();
    let here = repo_root();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&here.join(dir), &project.root().join(dir));
    }
    project.file("pm.toml", std::fs::read(here.join("pm.toml")).unwrap());
    let server = Server::start_with_env(&project, &[], &[("PM_SERVE_ACROSS_DELAY_MS", "1500")]);
    let refunds = "incidents/2026/2026-06-11-refund-events-schema-fix-forward.md";
    let page = "/incidents/2026-06-11-refund-events-schema-fix-forward/";
    // Builds finished, first and later ones (`built …`, `rebuilt …`).
    let builds = |s: String| s.matches("built ").count();
    // The first build is served from its first stage too: wait for its end.
    server.wait_for(page, "the first build", |b| {
        b.contains("</html>") && builds(server.stderr()) == 1
    });
    let (status, index) = server.get("/index.html");
    assert_eq!(status, 200);
    assert!(!index.contains("Refunds retitled while the index waits"));

    edit(&project, refunds, |t| {
        retitle(&t, "\"Refunds retitled while the index waits\"")
    });
    server.wait_for(page, "the new title", |b| {
        b.contains("Refunds retitled while the index waits")
    });
    // The page came from the first stage: the rebuild is not done.
    assert_eq!(builds(server.stderr()), 1, "{}", server.stderr());
    // The index (the page looked at last, rendered first) and a file no
    // page asked for (rendered last) each wait for their stage.
    for path in ["/index.html", "/incidents.json", "/actions/"] {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("Refunds retitled while the index waits"),
            "{path} is stale:\n{body}"
        );
    }
    server.wait_for("/index.html", "the rebuild's end", |_| {
        builds(server.stderr()) == 2
    });
    server.stop();
}
