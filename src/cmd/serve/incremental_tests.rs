//! The incremental build gives, after every kind of edit, the very site
//! and findings of a full build of the same files.

#![expect(
    clippy::disallowed_methods,
    reason = "the tests write the repository they serve; pm itself writes through output"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::incremental::Cache;
use crate::cli::SourceArgs;
use crate::diag::Diagnostics;
use crate::pipeline::Ui;
use crate::pipeline::load::Overrides;
use crate::pipeline::site::{SiteOptions, load_site};

const UI: Ui = Ui {
    color: false,
    quiet: true,
    verbose: 0,
    progress: false,
};

/// A site by path, and its findings as JSON lines.
type Seen = (Option<BTreeMap<String, Vec<u8>>>, Vec<String>);

fn findings(diags: &Diagnostics) -> Vec<String> {
    let items = diags.items().iter();
    items
        .map(|d| crate::diag::render_json_line(d, &diags.sources))
        .collect()
}

fn overrides() -> Overrides {
    Overrides::default().base_url("/").unwrap()
}

/// The site of the whole corpus, loaded and rendered at once.
fn whole(root: &Path, drafts: bool) -> Seen {
    let source = SourceArgs {
        rev: None,
        require_history: false,
    };
    let opts = SiteOptions {
        source: &source,
        drafts,
        today: None,
        overrides: overrides(),
    };
    let mut diags = Diagnostics::new();
    let Some(site) = load_site(root, &opts, UI, &mut diags).unwrap() else {
        return (None, findings(&diags));
    };
    let files = site.render_all(&diags).unwrap().into_iter().collect();
    (Some(files), findings(&diags))
}

/// The site as `cache` builds it now, and how many records it passed:
/// in two stages, as `pm serve` serves it. Every file the first stage has,
/// and every file the second hands out early (the index, the tracker and
/// listing pages first, then `incidents.json`), is already the file of the
/// finished build, which the callers compare with a full build's. A site
/// that leaves `incidents.json` out (`[site] leave_out`) hands out the
/// pages of lists alone.
fn incremental(cache: &mut Cache, root: &Path) -> (Seen, usize) {
    let mut diags = Diagnostics::new();
    let built = cache.build_own(root, None, UI, &mut diags).unwrap();
    let passed = built.as_ref().map_or(0, |b| b.passed);
    let Some(built) = built else {
        return ((None, findings(&diags)), passed);
    };
    let first: BTreeSet<String> = [
        "index.html",
        "actions/index.html",
        "severities/sev1/index.html",
        "severities/sev2/index.html",
        "incidents.json",
        "no/such/page.html",
    ]
    .map(str::to_owned)
    .into();
    // Each early hand-out: every file rendered so far.
    let mut handed: Vec<BTreeMap<String, axum::body::Bytes>> = Vec::new();
    let across = cache
        .across(&diags, &first, &|| false, |soon| handed.push(soon.clone()))
        .unwrap()
        .unwrap();
    // The pages of lists first, from the sorted lists alone; then the
    // other files looked at (`incidents.json`), which wait for the rest.
    let lists = handed.first().expect("files handed out early");
    assert!(lists.contains_key("index.html"), "the index came first");
    assert!(
        lists.contains_key("actions/index.html"),
        "the tracker came first"
    );
    assert!(!lists.contains_key("incidents.json"), "{:?}", lists.keys());
    assert!(handed.len() <= 2, "{} hand-outs", handed.len());
    let early = handed.last().expect("files handed out early");
    let json = !std::fs::read_to_string(root.join("pm.toml"))
        .unwrap_or_default()
        .contains("\"incidents.json\"");
    assert_eq!(
        early.contains_key("incidents.json"),
        json,
        "{:?}",
        early.keys()
    );
    assert!(early.keys().all(|path| first.contains(path)));
    let mut files = built.files.clone();
    for (path, bytes) in &across {
        assert!(
            files.insert(path.clone(), bytes.clone()).is_none(),
            "`{path}` is in both stages"
        );
    }
    for (path, bytes) in handed.iter().flatten() {
        assert_eq!(Some(bytes), files.get(path), "`{path}` handed out early");
    }
    let files = (files.into_iter())
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect();
    ((Some(files), findings(&diags)), passed)
}

fn assert_same(at: &str, got: &Seen, expected: &Seen) {
    assert_eq!(got.1, expected.1, "{at}: findings");
    let (Some(got), Some(expected)) = (&got.0, &expected.0) else {
        assert_eq!(got.0.is_some(), expected.0.is_some(), "{at}: built");
        return;
    };
    let paths: Vec<&String> = got.keys().collect();
    assert_eq!(paths, expected.keys().collect::<Vec<_>>(), "{at}: files");
    for (path, bytes) in got {
        if expected[path] != *bytes {
            let same = (bytes.iter().zip(&expected[path])).take_while(|(a, b)| a == b);
            let from = same.count().saturating_sub(200);
            panic!(
                "{at}: `{path}` differs from byte {from}:\n{}\n---- expected:\n{}",
                String::from_utf8_lossy(&bytes[from..(from + 600).min(bytes.len())]),
                String::from_utf8_lossy(
                    &expected[path][from..(from + 600).min(expected[path].len())]
                )
            );
        }
    }
}

/// The repository's own examples, copied into `dir`.
fn examples(dir: &Path) {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&here.join("incidents"), &dir.join("incidents"));
    copy(&here.join("playbooks"), &dir.join("playbooks"));
    std::fs::copy(here.join("pm.toml"), dir.join("pm.toml")).unwrap();
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// How many bundles (records that are a folder) the repository has.
fn bundles(root: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![root.join("incidents"), root.join("playbooks")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                n += usize::from(path.join("index.md").is_file());
                stack.push(path);
            }
        }
    }
    n
}

/// Rewrites the file at `path` with `edit`.
fn edit(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "{}: the edit changed nothing", path.display());
    std::fs::write(path, edited).unwrap();
}

/// Its `title = …` line made `line`.
fn retitle(text: &str, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("title = "))
        .unwrap();
    lines[at] = line;
    lines.join("\n") + "\n"
}

/// One edit of the sequence: what it does, and how many records the
/// incremental build may pass again at most for it (`None`: a full build).
type Step = (&'static str, Option<usize>, Box<dyn Fn(&Path)>);

fn steps() -> Vec<Step> {
    let refunds = "incidents/2026/2026-06-11-refund-events-schema-fix-forward.md";
    let dashboard = "incidents/2025/2025-03-18-dashboard-slow-transaction-list.md";
    let later = "incidents/2026/2026-12-24-dashboard-again.md";
    let twin = "incidents/2024/2026-06-11-refund-events-schema-fix-forward.md";
    let unplaybooked = [
        "incidents/2025/2025-01-10-brand-new.md",
        "incidents/2025/2025-02-10-brand-new.md",
    ];
    let bundle_log = "incidents/2026/2026-04-16-settlement-deadlocks/db-errors.log";
    vec![
        (
            "a sentence added to a body",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| t + "\nOne more sentence.\n");
            }),
        ),
        (
            "a title changed",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| {
                    retitle(&t, "title = \"Refunds stuck, retitled\"")
                });
            }),
        ),
        (
            "a record made invalid",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| retitle(&t, "title = 1"));
            }),
        ),
        (
            "the record fixed",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| {
                    retitle(&t, "title = \"Refunds stuck, fixed again\"")
                });
            }),
        ),
        (
            "a new record, newer than every other",
            None,
            Box::new(move |root: &Path| {
                let text = std::fs::read_to_string(root.join(dashboard)).unwrap();
                std::fs::write(root.join(later), text.replace("2025-03-18", "2026-12-24")).unwrap();
            }),
        ),
        (
            "a record of a type with no playbook",
            Some(1),
            Box::new(move |root: &Path| {
                let text = std::fs::read_to_string(root.join(dashboard)).unwrap();
                let text = text.replace("2025-03-18", "2025-01-10");
                let text = text.replacen("type = \"database\"", "type = \"brand-new\"", 1);
                std::fs::write(root.join(unplaybooked[0]), text).unwrap();
            }),
        ),
        (
            // `missing_playbooks` moves to the newer one: the older one's
            // page, not passed again, must lose the finding.
            "a newer record of that type",
            Some(1),
            Box::new(move |root: &Path| {
                let text = std::fs::read_to_string(root.join(dashboard)).unwrap();
                let text = text.replace("2025-03-18", "2025-02-10");
                let text = text.replacen("type = \"database\"", "type = \"brand-new\"", 1);
                std::fs::write(root.join(unplaybooked[1]), text).unwrap();
            }),
        ),
        (
            "a new record with an id taken",
            Some(1),
            Box::new(move |root: &Path| {
                std::fs::copy(root.join(refunds), root.join(twin)).unwrap();
            }),
        ),
        (
            "the record with the id taken deleted",
            Some(0),
            Box::new(move |root: &Path| std::fs::remove_file(root.join(twin)).unwrap()),
        ),
        (
            "a record made a draft",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| {
                    t.replacen("+++\n", "+++\ndraft = true\n", 1)
                });
            }),
        ),
        (
            "the draft published",
            Some(1),
            Box::new(move |root: &Path| {
                edit(&root.join(refunds), |t| t.replacen("draft = true\n", "", 1));
            }),
        ),
        (
            "an attachment of a bundle changed",
            Some(0),
            Box::new(move |root: &Path| {
                edit(&root.join(bundle_log), |t| t + "ERROR: one more deadlock\n");
            }),
        ),
        (
            "a playbook changed",
            None,
            Box::new(|root: &Path| {
                edit(&root.join("playbooks/database.md"), |t| {
                    t + "\nCheck the pool first.\n"
                });
            }),
        ),
        (
            "the newest record deleted",
            None,
            Box::new(move |root: &Path| std::fs::remove_file(root.join(later)).unwrap()),
        ),
        (
            "pm.toml changed",
            None,
            Box::new(|root: &Path| {
                edit(&root.join("pm.toml"), |t| {
                    t.replacen("title = \"Acme Payments", "title = \"Acme Pay", 1)
                });
            }),
        ),
    ]
}

/// After each edit of the sequence, the site built incrementally is the
/// site of the whole corpus, file for file and finding for finding; and
/// an edit of one record passes only that record again. Run with file
/// stamps trusted at once and with the default wait, so both the stamp
/// and the bytes tell a change.
#[test]
fn every_edit_gives_the_site_of_a_full_build() {
    for recent in [Duration::ZERO, super::incremental::RECENT] {
        let dir = tempfile::tempdir().unwrap();
        let root: PathBuf = dir.path().to_path_buf();
        examples(&root);
        let mut cache = Cache::new(false, overrides());
        cache.recent = recent;
        let (first, _) = incremental(&mut cache, &root);
        assert_same("first build", &first, &whole(&root, false));
        let mut previous = first;
        for (what, most, step) in steps() {
            step(&root);
            let at = format!("{what} (stamps trusted after {recent:?})");
            let (got, passed) = incremental(&mut cache, &root);
            assert_same(&at, &got, &whole(&root, false));
            assert!(got != previous, "{at}: the site did not change");
            // Bundles are passed on every build.
            if let Some(most) = most
                && recent.is_zero()
            {
                let most = most + bundles(&root);
                assert!(passed <= most, "{at}: {passed} records passed again");
            }
            previous = got;
        }
    }
}

/// With `[site] leave_out` set, every edit still gives the site of a full
/// build, which lacks the files left out; and setting the key, or taking it
/// away, between two builds does so too.
#[test]
fn every_edit_gives_the_site_of_a_full_build_leaving_out_the_copies() {
    const ALL: &str =
        "leave_out = [\"prompts\", \"incidents.json\", \"actions.csv\", \"search-index.json\"]\n";
    let dir = tempfile::tempdir().unwrap();
    let root: PathBuf = dir.path().to_path_buf();
    examples(&root);
    let set = |t: String| t.replacen("[site]\n", &format!("[site]\n{ALL}"), 1);
    edit(&root.join("pm.toml"), set);
    let mut cache = Cache::new(false, overrides());
    let (first, _) = incremental(&mut cache, &root);
    let whole_site = whole(&root, false);
    assert_same("first build", &first, &whole_site);
    let paths = whole_site.0.as_ref().unwrap();
    for gone in ["incidents.json", "actions.csv", "search-index.json"] {
        assert!(!paths.contains_key(gone), "`{gone}` built");
    }
    assert!(!paths.keys().any(|p| p.starts_with("prompts/")));
    let mut previous = first;
    let mut steps = steps();
    steps.push((
        "the key taken away",
        None,
        Box::new(|root: &Path| edit(&root.join("pm.toml"), |t| t.replacen(ALL, "", 1))),
    ));
    steps.push((
        "the key set again",
        None,
        Box::new(move |root: &Path| edit(&root.join("pm.toml"), set)),
    ));
    for (what, _, step) in steps {
        step(&root);
        let (got, _) = incremental(&mut cache, &root);
        assert_same(what, &got, &whole(&root, false));
        assert!(got != previous, "{what}: the site did not change");
        previous = got;
    }
}

/// A first build, with nothing kept, is the site of the whole corpus on
/// every fixture repository, errors and all, with drafts and without.
#[test]
fn a_first_build_is_the_site_of_the_whole_corpus() {
    let roots = crate::pipeline::site::fixture_roots();
    for root in roots {
        for drafts in [false, true] {
            let mut cache = Cache::new(drafts, overrides());
            let (got, _) = incremental(&mut cache, &root);
            let at = format!("{} (drafts: {drafts})", root.display());
            assert_same(&at, &got, &whole(&root, drafts));
            // Built again with nothing changed: the same again.
            let (again, _) = incremental(&mut cache, &root);
            assert_same(&format!("{at}, again"), &again, &got);
        }
    }
}
