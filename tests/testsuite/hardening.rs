//! Hostile input (issue 9): no script from a record ever runs, paths stay
//! inside the repository and the output folder, and a killed build never
//! loses the site.
//!
//! The browser tests build `tests/fixtures/hostile/` (payloads in every
//! string field and Markdown construct, each trying to set `document.title =
//! 'PWNED'` or `<body data-pwned>`), open every page in headless Chromium and
//! fail if a marker is set; they also strip the CSP and check again, so the
//! escaping holds on its own.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::browser::{chromium, load_with};
use crate::support::{Project, copy_tree, list_files, repo_root};

const TODAY: &str = "2026-11-30";

// ---------------------------------------------------------------------------
// 1. No script from a record ever runs

/// What a marker payload achieved on a dumped DOM, if anything.
pub(crate) fn marker(dom: &str) -> Option<String> {
    if let Some(start) = dom.find("<title>") {
        let rest = &dom[start + "<title>".len()..];
        let title = rest.split("</title>").next().unwrap_or("");
        if title.trim() == "PWNED" {
            return Some("document.title was set to PWNED".to_owned());
        }
    }
    if let Some(i) = dom.find("data-pwned=") {
        let end = dom.len().min(i + 40);
        return Some(format!("marker attribute set: {}", &dom[i..end]));
    }
    None
}

/// Loads a page with deferred scripts run and returns its DOM.
pub(crate) fn dump(browser: &Path, page: &Path) -> String {
    load_with(
        browser,
        page,
        "",
        &["--virtual-time-budget=5000", "--dump-dom"],
    )
    .dom
}

fn build_hostile() -> Project {
    let p = Project::from_fixture("hostile");
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(0);
    assert!(out.stderr.contains("warning"), "expected warnings");
    p
}

#[test]
fn hostile_site_pages_run_no_record_script() {
    let Some(browser) = chromium() else { return };
    let p = build_hostile();
    let public = p.root().join("public");
    let pages: Vec<String> = list_files(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    for must in [
        "index.html",
        "actions/index.html",
        "incidents/2026-01-10-hostile-fields/index.html",
        "incidents/2026-02-01-hostile-bundle/index.html",
        "playbooks/hostile/index.html",
        "types/hostile/index.html",
    ] {
        assert!(pages.iter().any(|p| p == must), "no page {must}");
    }
    let csp = "<meta http-equiv=\"Content-Security-Policy\"";
    for page in &pages {
        let path = public.join(page);
        let dom = dump(&browser, &path);
        if let Some(what) = marker(&dom) {
            panic!("{page}: a record's script ran: {what}");
        }
        // The escaping holds without the CSP too.
        let html = std::fs::read_to_string(&path).expect("read page");
        let Some(start) = html.find(csp) else {
            panic!("{page}: no Content-Security-Policy");
        };
        let end = start + html[start..].find('>').expect("end of meta") + 1;
        let stripped = format!("{}{}", &html[..start], &html[end..]);
        let naked = path.with_file_name("no-csp-probe.html");
        p.file(
            naked
                .strip_prefix(p.root())
                .expect("inside")
                .to_str()
                .expect("utf-8"),
            stripped,
        );
        let dom = dump(&browser, &naked);
        if let Some(what) = marker(&dom) {
            panic!("{page} without its CSP: a record's script ran: {what}");
        }
        std::fs::remove_file(&naked).expect("remove probe");
    }

    // The payloads are shown as text, and template syntax stays literal.
    let dom = dump(
        &browser,
        &public.join("incidents/2026-01-10-hostile-fields/index.html"),
    );
    for field in [
        "title",
        "summary",
        "service",
        "commander",
        "timeline-text",
        "who",
        "source",
        "triage-error",
        "symptom",
        "stack-trace",
        "change",
        "hypothesis",
        "mitigation",
        "update",
        "action",
    ] {
        let shown = format!("onerror=\"document.body.setAttribute('data-pwned','{field}')\"");
        let shown = shown.replace('"', "&quot;").replace("&quot;", "\"");
        assert!(
            dom.contains(&shown) || dom.contains(&shown.replace('"', "&quot;")),
            "the payload of `{field}` is not shown as text"
        );
    }
    assert!(dom.contains("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"));
    assert!(dom.contains("{{ 7*191 }}"), "template syntax not shown");
    assert!(dom.contains("{% raw %}"), "template syntax not shown");
    assert!(!dom.contains("1337"), "template syntax was evaluated");
    let dom = dump(&browser, &public.join("playbooks/hostile/index.html"));
    for field in [
        "playbook-title",
        "pb-symptom",
        "pb-command-run",
        "pb-mitigation",
    ] {
        assert!(
            dom.contains(&format!("'data-pwned','{field}'")),
            "the payload of playbook `{field}` is not shown as text"
        );
    }
    assert!(!dom.contains("1337"), "template syntax was evaluated");

    // No link or image in any page points at a script or HTML data URL.
    for page in &pages {
        let html = std::fs::read_to_string(public.join(page)).expect("read");
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url: String = part
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .replace("&#x27;", "'")
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_lowercase();
                assert!(
                    !url.starts_with("javascript:")
                        && !url.starts_with("vbscript:")
                        && !url.starts_with("data:text")
                        && !url.starts_with("data:image/svg"),
                    "{page}: dangerous URL {attr}{url}"
                );
            }
        }
    }
}

#[test]
fn hostile_text_in_scripts_json_and_svg_does_not_break_out() {
    let p = build_hostile();
    // The search index's files are scripts: no record text may close them.
    for file in list_files(&p.root().join("public/search")) {
        let js = p.read(&format!("public/search/{file}"));
        assert!(!js.to_lowercase().contains("</script"), "search/{file}");
        assert!(!js.contains("<!--"), "search/{file}");
    }
    // Inline SVG and JSON embedded in pages: no raw payload tags anywhere.
    for page in list_files(&p.root().join("public")) {
        if !page.ends_with(".html") && !page.ends_with(".js") {
            continue;
        }
        let text = p.read(&format!("public/{page}"));
        for raw in [
            "<script>document",
            "<img src=x",
            "<svg onload",
            "</style></script>",
        ] {
            assert!(!text.contains(raw), "{page}: raw payload `{raw}`");
        }
    }
    // The JSON still round-trips the payload exactly.
    let json = p.read("public/incidents.json");
    assert!(
        json.contains("document.title='PWNED'") || json.contains("document.title=\\u0027PWNED")
    );
}

#[test]
fn marker_detector_can_fail() {
    let Some(browser) = chromium() else { return };
    let p = Project::empty();
    p.file(
        "control/script.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>control</title></head><body><h1>c</h1>\
         <script>document.title='PWNED'</script></body></html>",
    );
    p.file(
        "control/onerror.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>control</title></head><body><h1>c</h1>\
         <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"></body></html>",
    );
    for page in ["control/script.html", "control/onerror.html"] {
        let dom = dump(&browser, &p.root().join(page));
        assert!(marker(&dom).is_some(), "{page}: the detector saw nothing");
    }
    // A hostile page's text alone does not trip the detector.
    let dom = "<html><head><title>x</title></head><body>document.title='PWNED' \
               setAttribute('data-pwned','1')</body></html>";
    assert_eq!(marker(dom), None);
}

#[test]
fn svg_attachment_is_not_shown_inline() {
    // The bundle's SVG holds a script. Pages reference it only as a link or
    // an <img> (where SVG scripts never run), never inline.
    let p = build_hostile();
    let page = p.read("public/incidents/2026-02-01-hostile-bundle/index.html");
    assert!(!page.contains("svg-attachment"), "the SVG was inlined");
    assert!(!page.contains("<object") && !page.contains("<embed") && !page.contains("<iframe"));
}

#[test]
fn forbidden_url_schemes_in_link_and_evidence_are_refused() {
    for (field, value) in [
        ("link", "javascript:alert(1)"),
        ("link", "JaVaScRiPt:alert(1)"),
        ("link", " javascript:alert(1)"),
        ("link", "java\\tscript:alert(1)"),
        ("link", "data:text/html,<script>alert(1)</script>"),
    ] {
        let p = Project::from_fixture("hostile");
        let record = p.read("incidents/2026-01-10-hostile-fields.md");
        let record = record.replacen(
            "status = \"open\"\n",
            &format!("status = \"open\"\n{field} = \"{value}\"\n"),
            1,
        );
        p.file("incidents/2026-01-10-hostile-fields.md", record);
        let out = p.pm(["build", "--today", TODAY]).output();
        assert_ne!(
            out.code,
            Some(0),
            "{field} = {value:?} accepted:\n{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("error"),
            "{field} = {value:?}: no diagnostic:\n{}",
            out.stderr
        );
        assert!(!p.exists("public/index.html"));
    }
    for value in [
        "javascript:alert(1)",
        "data:text/html,x",
        "/etc/passwd",
        "../../pm.toml",
    ] {
        let p = Project::from_fixture("hostile");
        let record = p.read("incidents/2026-02-01-hostile-bundle/index.md");
        let record = record.replacen(
            "evidence = \"evil.svg\"",
            &format!("evidence = \"{value}\""),
            1,
        );
        p.file("incidents/2026-02-01-hostile-bundle/index.md", record);
        let out = p.pm(["build", "--today", TODAY]).output();
        let site = if p.exists("public") {
            list_files(&p.root().join("public"))
                .iter()
                .map(|f| p.read(&format!("public/{f}")))
                .collect::<String>()
        } else {
            String::new()
        };
        assert!(
            out.code != Some(0) || !site.contains(&format!("href=\"{value}")),
            "evidence = {value:?} linked as is"
        );
    }
}

// ---------------------------------------------------------------------------
// 2. Paths stay inside

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-REPO";

fn minimal_record(title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nseverity = \"SEV3\"\ntype = \"x\"\nstatus = \"resolved\"\n\
         services = [\"api\"]\ncommander = \"alex\"\ndetected_by = \"monitoring\"\n\
         summary = \"s\"\n\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"t\"\n\
         step = \"impact-start\"\n+++\n\n## Summary\n\nS.\n"
    )
}

#[cfg(unix)]
#[test]
fn paths_stay_inside_the_repository() {
    use std::os::unix::fs::symlink;
    let outside = Project::empty();
    outside.file("secret.md", minimal_record(SECRET));
    outside.file("secret.log", SECRET);
    let secret_md = outside.root().join("secret.md");
    let secret_log = outside.root().join("secret.log");

    let p = Project::empty();
    p.file("pm.toml", "[lints]\nmissing_playbooks = \"allow\"\n");
    p.file(
        "incidents/2026-01-01-ok/index.md",
        minimal_record("A fine record"),
    );
    let inc = p.root().join("incidents");
    symlink(&secret_md, inc.join("2026-01-02-link-out.md")).unwrap();
    symlink(
        inc.join("2026-01-03-loop.md"),
        inc.join("2026-01-03-loop.md"),
    )
    .unwrap();
    symlink(inc.join("nowhere.md"), inc.join("2026-01-04-dangling.md")).unwrap();
    symlink(outside.root(), inc.join("2026-01-05-dir-out")).unwrap();
    symlink(&inc, inc.join("2026-01-06-dir-loop")).unwrap();
    let bundle = inc.join("2026-01-01-ok");
    symlink(&secret_log, bundle.join("leak.log")).unwrap();
    symlink(bundle.join("loop.log"), bundle.join("loop.log")).unwrap();
    symlink(bundle.join("gone.log"), bundle.join("dangling.log")).unwrap();
    std::fs::create_dir_all(p.root().join("playbooks")).unwrap();
    symlink(&secret_md, p.root().join("playbooks/x.md")).unwrap();
    // A record that names files outside its bundle.
    let rec = minimal_record("Escaping references").replace(
        "step = \"impact-start\"\n",
        &format!(
            "step = \"impact-start\"\nevidence = \"../../../{}\"\n\n[triage]\nlogs = [\"{}\", \"../2026-01-01-ok/index.md\"]\n",
            "secret.log",
            secret_log.display()
        ),
    );
    p.file("incidents/2026-01-07-escape/index.md", rec);

    // `-v`: a build folds warnings into one line per lint; this one prints each.
    let out = p.pm(["build", "-v", "--today", TODAY]).output();
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("2026-01-02-link-out") && all.contains("2026-01-04-dangling"),
        "no diagnostic names the symlinks:\n{all}"
    );
    assert!(!all.contains(SECRET), "pm printed the outside file:\n{all}");
    if p.exists("public") {
        for f in list_files(&p.root().join("public")) {
            let bytes = std::fs::read(p.root().join("public").join(&f)).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "public/{f} holds the outside file's content"
            );
        }
    }
    // Nothing was written outside the repository (or next to the outside files).
    assert_eq!(list_files(outside.root()), ["secret.log", "secret.md"]);
    for f in list_files(p.root()) {
        assert!(!f.starts_with("..") && !f.starts_with('/'), "wrote {f}");
    }
}

#[test]
fn ids_with_dots_or_slashes_give_diagnostics() {
    let p = Project::empty();
    p.file("pm.toml", "[lints]\nmissing_playbooks = \"allow\"\n");
    p.file("incidents/..md", minimal_record("dots"));
    p.file("incidents/.../index.md", minimal_record("dots bundle"));
    p.file(
        "incidents/2026-01-01 a b/index.md",
        minimal_record("spaces"),
    );
    let out = p.pm(["build", "--today", TODAY]).output();
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(!all.is_empty());
    for f in list_files(p.root()) {
        assert!(!f.contains("/../"), "wrote {f}");
    }
    assert_eq!(
        list_files(&p.root().join("incidents")).len(),
        3,
        "pm changed the records"
    );
}

// ---------------------------------------------------------------------------
// 3. Nothing is lost

pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    list_files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

pub(crate) fn examples() -> Project {
    let p = Project::empty();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&repo_root().join(dir), &p.root().join(dir));
    }
    p.file(
        "pm.toml",
        std::fs::read(repo_root().join("pm.toml")).unwrap(),
    );
    p
}

pub(crate) fn leftovers(p: &Project) -> Vec<String> {
    std::fs::read_dir(p.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.pm-"))
        .collect()
}

#[test]
fn killed_builds_never_lose_the_site() {
    let p = examples();
    let title_path = "playbooks/database.md";
    let original = p.read(title_path);
    let changed = original.replacen("title = \"", "title = \"Changed: ", 1);
    assert_ne!(original, changed);
    let states = [original, changed];
    let mut refs = Vec::new();
    for s in &states {
        p.file(title_path, s);
        p.pm(["build", "--today", TODAY]).output().code(0);
        refs.push(tree(&p.root().join("public")));
    }
    assert_ne!(refs[0], refs[1]);
    let mut current = 1;
    for (i, delay) in (0..=40).step_by(2).enumerate() {
        let next = 1 - current;
        p.file(title_path, &states[next]);
        let mut cmd = crate::support::pm_command();
        cmd.current_dir(p.root())
            .args(["build", "--today", TODAY])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let public = p.root().join("public");
        if public.exists() {
            let t = tree(&public);
            assert!(
                t == refs[0] || t == refs[1],
                "kill {i} after {delay} ms: public/ is neither the old nor the new site"
            );
        } else {
            // Killed between the two renames: the complete old site waits
            // beside it, and the next build puts it back.
            let old = leftovers(&p)
                .into_iter()
                .find(|n| n.starts_with(".public.pm-old-"))
                .unwrap_or_else(|| panic!("kill {i} after {delay} ms: the site is gone"));
            assert_eq!(tree(&p.root().join(old)), refs[current]);
        }
        p.pm(["build", "--today", TODAY]).output().code(0);
        assert_eq!(tree(&public), refs[next], "after rebuild {i}");
        assert_eq!(leftovers(&p), Vec::<String>::new(), "after rebuild {i}");
        current = next;
    }
}

#[test]
fn a_site_moved_aside_by_a_killed_build_is_restored() {
    // The state a kill between `public -> .public.pm-old-N` and
    // `staging -> public` leaves; the next build fails (a broken record), and
    // the old site must still be there.
    let p = examples();
    p.pm(["build", "--today", TODAY]).output().code(0);
    let before = tree(&p.root().join("public"));
    std::fs::rename(
        p.root().join("public"),
        p.root().join(".public.pm-old-999999"),
    )
    .unwrap();
    p.file("incidents/2026-12-01-broken.md", "+++\ntitle = \n+++\n");
    let out = p.pm(["build", "--today", TODAY]).output();
    assert_ne!(out.code, Some(0));
    assert!(p.exists("public"), "the old site was lost");
    assert_eq!(tree(&p.root().join("public")), before);
    assert!(leftovers(&p).is_empty());
}

/// pm copies an SVG attachment byte for byte and links to it, and no page
/// CSP applies to an SVG opened on its own; so pm publishes only inert SVGs
/// (scripted ones are refused, see below). The hostile bundle's SVG mentions
/// `onload=` and `<script>` only as text: opened directly, nothing runs.
#[test]
fn svg_attachment_opened_directly_runs_no_script() {
    let Some(browser) = chromium() else { return };
    let p = build_hostile();
    let svg = p
        .root()
        .join("public/incidents/2026-02-01-hostile-bundle/evil.svg");
    assert!(svg.exists(), "evil.svg was not published");
    let dom = dump(&browser, &svg);
    assert!(dom.contains("<svg"), "chromium did not load evil.svg");
    assert_eq!(marker(&dom), None, "evil.svg ran its script");
}

/// An SVG attachment with active content is refused: the page's CSP does not
/// protect an SVG opened on its own, so pm publishes only inert drawings.
#[test]
fn a_scripted_svg_attachment_is_refused_and_nothing_is_written() {
    let p = Project::from_fixture("hostile-svg");
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(1);
    assert!(
        out.stderr.contains("error[unsafe_attachment]")
            && out
                .stderr
                .contains("incidents/2026-02-01-scripted-svg/graph.svg:1:"),
        "{}",
        out.stderr
    );
    assert!(!p.exists("public"));
}
