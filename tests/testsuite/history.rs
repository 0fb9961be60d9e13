//! Git history: one walk gives each record its revisions, authors (after
//! `.mailmap`), first and last commit; merges are skipped; a shallow clone
//! or no repository warns and still builds; `--rev` builds from a commit.
//! Every repository here is made with git2 in a temp dir.

use std::path::Path;

use crate::support::{Project, fixture, list_files};

const TODAY: &str = "2026-11-30";
const RECORD: &str = "incidents/2026-11-02-api-error-spike.md";

/// A record whose front matter never ends: broken, and never committed.
fn unterminated_record() -> String {
    std::fs::read_to_string(fixture("records/unterminated.md")).expect("read the broken record")
}

/// Commits the whole work tree as `author` at `when` (unix seconds), with
/// `parents` (HEAD when empty and HEAD exists).
fn commit(p: &Project, author: &str, email: &str, when: i64, message: &str) -> git2::Oid {
    let repo = git2::Repository::open(p.root())
        .or_else(|_| git2::Repository::init(p.root()))
        .expect("repo");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new(author, email, &git2::Time::new(when, 0)).expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit")
}

fn edit(p: &Project, rel: &str, marker: &str) {
    let text = format!("{}\n{marker}\n", p.read(rel));
    p.file(rel, text);
}

fn log(p: &Project, id: &str) -> String {
    let out = p.pm(["log", id]).output();
    out.code(0);
    out.stdout
}

#[test]
fn revisions_authors_and_mailmap() {
    let p = Project::from_fixture("basic");
    commit(
        &p,
        "alice",
        "alice@old.example",
        1_762_000_000,
        "Add the API error spike record",
    );
    edit(&p, RECORD, "<!-- timeline checked -->");
    commit(
        &p,
        "Bob",
        "bob@example.com",
        1_762_100_000,
        "Review: timeline checked",
    );
    edit(&p, "pm.toml", "# unrelated");
    commit(
        &p,
        "Carol",
        "carol@example.com",
        1_762_200_000,
        "Tune pm.toml",
    );
    edit(&p, RECORD, "<!-- action items owned -->");
    commit(
        &p,
        "alice",
        "alice@new.example",
        1_762_300_000,
        "Review: owners",
    );
    p.file(
        ".mailmap",
        "Alice Smith <alice@new.example>\nAlice Smith <alice@new.example> <alice@old.example>\n",
    );
    let text = log(&p, "2026-11-02-api-error-spike");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "three commits touched the record, pm.toml's does not count:\n{text}"
    );
    assert!(
        lines[0].contains("Alice Smith") && lines[0].ends_with("Review: owners"),
        "{text}"
    );
    assert!(
        lines[1].contains("Bob") && lines[1].contains("2025-11-0"),
        "{text}"
    );
    assert!(
        lines[2].contains("Alice Smith") && lines[2].ends_with("Add the API error spike record"),
        "{text}"
    );
}

#[test]
fn merges_are_skipped_and_both_sides_count() {
    let p = Project::from_fixture("basic");
    let base = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "base");
    let repo = git2::Repository::open(p.root()).expect("open");
    // A side branch edits the record...
    edit(&p, RECORD, "<!-- side -->");
    let side = commit(&p, "Sid", "sid@example.com", 1_762_100_000, "side edit");
    // ...and main edits the playbook from the base.
    repo.set_head_detached(base).expect("detach");
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout base");
    edit(&p, "playbooks/config-change.md", "<!-- main -->");
    let main = commit(&p, "Mia", "mia@example.com", 1_762_200_000, "main edit");
    // Merge: the record as on the side branch, the playbook as on main.
    edit(&p, RECORD, "<!-- side -->");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new(
        "Merger",
        "m@example.com",
        &git2::Time::new(1_762_300_000, 0),
    )
    .expect("sig");
    let (a, b) = (
        repo.find_commit(main).expect("main"),
        repo.find_commit(side).expect("side"),
    );
    repo.commit(Some("HEAD"), &sig, &sig, "Merge side", &tree, &[&a, &b])
        .expect("merge");
    let record = log(&p, "2026-11-02-api-error-spike");
    assert!(
        !record.contains("Merge side"),
        "merges are skipped:\n{record}"
    );
    assert!(
        record.contains("side edit") && record.contains("base"),
        "{record}"
    );
    let playbook = log(&p, "config-change");
    assert!(
        playbook.contains("main edit") && !playbook.contains("side edit"),
        "{playbook}"
    );
}

#[test]
fn a_renamed_record_starts_its_history_at_the_rename() {
    let p = Project::from_fixture("basic");
    commit(&p, "Ann", "ann@example.com", 1_762_000_000, "add");
    let text = p.read(RECORD);
    std::fs::remove_file(p.root().join(RECORD)).expect("remove");
    p.file("incidents/2026-11-02-api-errors.md", text);
    commit(&p, "Ben", "ben@example.com", 1_762_100_000, "rename");
    let out = log(&p, "2026-11-02-api-errors");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("rename"), "{out}");
}

#[test]
fn no_repository_warns_in_build_not_in_lint_and_still_builds() {
    let p = Project::from_fixture("basic");
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(0);
    assert!(
        build.stderr.contains("warning: no git history"),
        "{}",
        build.stderr
    );
    assert!(p.exists("public/index.html"));
    let lint = p.pm(["lint", "--today", TODAY]).output();
    lint.code(0);
    assert!(!lint.stderr.contains("git"), "{}", lint.stderr);
    let strict = p
        .pm([
            "build",
            "--today",
            TODAY,
            "--require-history",
            "-o",
            "strict",
        ])
        .output();
    strict.code(2);
    assert!(!p.exists("strict"));
}

#[test]
fn a_shallow_clone_warns_with_the_fix_and_still_builds() {
    let p = Project::from_fixture("basic");
    let head = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "add");
    p.file(".git/shallow", format!("{head}\n"));
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(0);
    assert!(
        build.stderr.contains("shallow") && build.stderr.contains("fetch-depth: 0"),
        "{}",
        build.stderr
    );
    let lint = p.pm(["lint", "--today", TODAY]).output();
    lint.code(0);
    assert!(
        lint.stderr.contains("shallow"),
        "CI users learn why history-based checks are off: {}",
        lint.stderr
    );
    let log = p.pm(["log", "2026-11-02-api-error-spike"]).output();
    log.code(2);
}

fn site_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).expect("read");
            (rel, bytes)
        })
        .collect()
}

/// Clones the project into `clone/` and checks `rev` out there.
fn checkout_clone(p: &Project, rev: git2::Oid) {
    let clone_dir = p.root().join("clone");
    let clone =
        git2::Repository::clone(p.root().to_str().expect("utf-8"), &clone_dir).expect("clone");
    clone.set_head_detached(rev).expect("detach");
    clone
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout");
}

#[test]
fn a_build_from_rev_matches_a_build_of_a_checkout_of_that_rev() {
    let p = Project::from_fixture("basic");
    let first = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "first");
    // The working tree moves on: an edited record, a new one, a new template.
    edit(&p, RECORD, "## Follow-up\n\nAdded after the review.");
    p.file(
        "incidents/2026-11-25-queue.md",
        p.read("incidents/2026-11-20-queue-backlog.md")
            .replace("draft = true\n", ""),
    );
    commit(&p, "Ben", "ben@example.com", 1_762_100_000, "second");
    p.file("incidents/2026-11-26-uncommitted.md", unterminated_record());
    p.pm([
        "build",
        "--today",
        TODAY,
        "--rev",
        &first.to_string(),
        "-o",
        "from-rev",
    ])
    .output()
    .code(0);

    checkout_clone(&p, first);
    p.pm([
        "--root",
        "clone",
        "build",
        "--today",
        TODAY,
        "-o",
        "../from-checkout",
    ])
    .output()
    .code(0);

    let (a, b) = (
        site_bytes(&p.root().join("from-rev")),
        site_bytes(&p.root().join("from-checkout")),
    );
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between --rev and a checkout");
    }
    assert!(
        !a.iter().any(|(n, _)| n.contains("2026-11-25-queue")),
        "the later record is not in --rev"
    );
}

/// `pm lint --rev` lints the commit, read from git, as `pm lint` lints a
/// checkout of it: the working tree's later and broken files are not seen.
#[test]
fn lint_from_rev_matches_lint_of_a_checkout_of_that_rev() {
    let p = Project::from_fixture("basic");
    let first = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "first");
    edit(&p, RECORD, "<b>raw</b> [log](missing.log)");
    p.file("incidents/2026-11-26-uncommitted.md", unterminated_record());
    let lint = |args: &[&str]| {
        let mut all = vec![
            "lint", "--today", TODAY, "--format", "json", "-W", "pedantic",
        ];
        all.extend(args);
        p.pm(all).output().stdout.clone()
    };
    let working_tree = lint(&[]);
    assert!(working_tree.contains("2026-11-26-uncommitted.md"));
    assert!(working_tree.contains("missing.log"));
    let from_rev = lint(&["--rev", &first.to_string()]);

    checkout_clone(&p, first);
    let from_checkout = lint(&["--root", "clone"]);
    assert!(
        !from_rev.is_empty(),
        "the fixture has findings at any revision"
    );
    assert_eq!(from_rev, from_checkout);
    assert!(!from_rev.contains("uncommitted") && !from_rev.contains("missing.log"));
}

#[test]
fn pages_show_history_edit_links_and_stale_playbooks() {
    let p = Project::from_fixture("basic");
    // The playbook is committed before the incident started (2026-11-02).
    commit(&p, "Ann", "ann@example.com", 1_761_000_000, "records");
    edit(&p, RECORD, "<!-- reviewed -->");
    commit(&p, "Ben", "ben@example.com", 1_763_000_000, "review");
    let repo = git2::Repository::open(p.root()).expect("open");
    repo.remote("origin", "git@github.com:acme/incident-records.git")
        .expect("remote");
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/incidents/2026-11-02-api-error-spike/index.html");
    assert!(
        page.contains("First recorded <time datetime=\"2025-10-20\">2025-10-20</time> by Ann"),
        "{page}"
    );
    assert!(
        page.contains("last revised <time datetime=\"2025-11-13\">2025-11-13</time> by Ben"),
        "{page}"
    );
    let branch = repo
        .head()
        .expect("head")
        .shorthand()
        .expect("utf-8")
        .to_owned();
    assert!(
        page.contains(&format!(
            "https://github.com/acme/incident-records/edit/{branch}/incidents/2026-11-02-api-error-spike.md"
        )),
        "edit link"
    );
    assert!(
        page.contains("https://github.com/acme/incident-records/commit/"),
        "revision links"
    );
    let index = p.read("public/index.html");
    assert!(
        index.contains("from commit <a href=\"https://github.com/acme/incident-records/commit/"),
        "footer names the commit"
    );
    let playbook = p.read("public/playbooks/config-change/index.html");
    assert!(
        playbook.contains("This playbook may be out of date"),
        "stale warning on the page"
    );
    assert!(
        playbook.contains("incidents/2026-11-02-api-error-spike/index.html"),
        "names the incident since"
    );
    let lint = p.pm(["lint", "--today", TODAY]).output();
    assert!(
        lint.stderr.contains("warning[stale_playbooks]"),
        "{}",
        lint.stderr
    );
}

#[test]
fn a_deleted_and_re_added_record_starts_its_history_at_the_re_add() {
    let p = Project::from_fixture("basic");
    // Every fixture file is added here, so walking back from HEAD other
    // files are still undated when the walk passes the record's old life.
    commit(
        &p,
        "Ann",
        "ann@example.com",
        1_762_000_000,
        "Add every record",
    );
    edit(&p, RECORD, "<!-- first life -->");
    commit(
        &p,
        "Ben",
        "ben@example.com",
        1_762_100_000,
        "Review the timeline",
    );
    let text = p.read(RECORD);
    std::fs::remove_file(p.root().join(RECORD)).expect("remove");
    commit(
        &p,
        "Cid",
        "cid@example.com",
        1_762_200_000,
        "Withdraw the record",
    );
    p.file(RECORD, text);
    commit(
        &p,
        "Dee",
        "dee@example.com",
        1_762_300_000,
        "Restore the record",
    );
    let log = log(&p, "2026-11-02-api-error-spike");
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("Restore the record"), "{log}");
    // The page says the same as `pm log`, whatever else the walk still needs.
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/incidents/2026-11-02-api-error-spike/index.html");
    assert!(page.contains("by Dee"), "first recorded by Dee");
    for earlier in [
        "by Ann",
        "by Ben",
        "Review the timeline",
        "Add every record",
    ] {
        assert!(
            !page.contains(earlier),
            "{earlier} is the record's old life"
        );
    }
}

/// The walk against a naive model of the same rule, on seeded random
/// repositories: for each file, newest first, every non-merge commit whose
/// blob at the path differs from its first parent's, back to the one whose
/// parent lacks the path. Covers a flat folder of many files, folders by
/// year, records below a subfolder of the repository, deletes and re-adds
/// (sometimes of the same bytes), renames, mode-only changes, commits that
/// touch only other files, side branches merged back, and clock skew.
mod model {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use git2::{Oid, Repository, Signature, Sort, Time};

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn pct(&mut self, p: usize) -> bool {
            self.below(100) < p
        }
    }

    /// Path → (blob, mode).
    type Files = BTreeMap<String, (Oid, i32)>;

    fn write_tree(repo: &Repository, files: &Files, dir: &str) -> Oid {
        let mut builder = repo.treebuilder(None).expect("builder");
        let mut subdirs = BTreeSet::new();
        for (path, (id, mode)) in files.range(dir.to_owned()..) {
            let Some(rest) = path.strip_prefix(dir) else {
                break;
            };
            match rest.split_once('/') {
                Some((sub, _)) => {
                    subdirs.insert(sub.to_owned());
                }
                None => {
                    builder.insert(rest, *id, *mode).expect("insert");
                }
            }
        }
        for sub in subdirs {
            let id = write_tree(repo, files, &format!("{dir}{sub}/"));
            builder.insert(&sub, id, 0o040000).expect("insert dir");
        }
        builder.write().expect("write tree")
    }

    struct Branch {
        files: Files,
        tip: Option<Oid>,
    }

    struct Builder<'r> {
        repo: &'r Repository,
        rng: Rng,
        time: i64,
        serial: usize,
        /// Where record files go: `incidents/` or `incidents/<year>/`.
        sharded: bool,
        prefix: &'static str,
        graveyard: Vec<(String, Oid)>,
    }

    impl Builder<'_> {
        fn blob(&mut self) -> Oid {
            self.serial += 1;
            self.repo
                .blob(format!("+++\nversion = {}\n+++\n", self.serial).as_bytes())
                .expect("blob")
        }

        fn record_path(&mut self) -> String {
            self.serial += 1;
            let name = format!(
                "2024-01-{:02}-incident-{}.md",
                1 + self.serial % 28,
                self.serial
            );
            if self.sharded {
                format!(
                    "{}incidents/{}/{name}",
                    self.prefix,
                    2021 + self.rng.below(5)
                )
            } else {
                format!("{}incidents/{name}", self.prefix)
            }
        }

        fn records(&self, b: &Branch) -> Vec<String> {
            b.files
                .keys()
                .filter(|p| p.ends_with(".md") && !p.ends_with("README.md"))
                .cloned()
                .collect()
        }

        /// One random change to a branch's files.
        fn change(&mut self, b: &mut Branch) -> &'static str {
            let records = self.records(b);
            let pick = |rng: &mut Rng| records.get(rng.below(records.len())).cloned();
            match self.rng.below(100) {
                0..30 => {
                    let (path, blob) = (self.record_path(), self.blob());
                    b.files.insert(path, (blob, 0o100644));
                    "add"
                }
                30..55 => {
                    if let Some(path) = pick(&mut self.rng) {
                        let blob = self.blob();
                        b.files.insert(path, (blob, 0o100644));
                    }
                    "revise"
                }
                55..62 => {
                    if let Some(path) = pick(&mut self.rng)
                        && let Some((id, _)) = b.files.remove(&path)
                    {
                        self.graveyard.push((path, id));
                    }
                    "delete"
                }
                62..70 => {
                    if !self.graveyard.is_empty() {
                        let i = self.rng.below(self.graveyard.len());
                        let (path, old) = self.graveyard.swap_remove(i);
                        // Sometimes the very same bytes come back.
                        let blob = if self.rng.pct(50) { old } else { self.blob() };
                        b.files.insert(path, (blob, 0o100644));
                    }
                    "re-add"
                }
                70..76 => {
                    if let Some(path) = pick(&mut self.rng)
                        && let Some(entry) = b.files.remove(&path)
                    {
                        let to = self.record_path();
                        b.files.insert(to, entry);
                    }
                    "rename"
                }
                76..80 => {
                    if let Some(path) = pick(&mut self.rng)
                        && let Some(entry) = b.files.get_mut(&path)
                    {
                        entry.1 = if entry.1 == 0o100644 {
                            0o100755
                        } else {
                            0o100644
                        };
                    }
                    "mode only"
                }
                80..86 => {
                    let book = format!("{}playbooks/kind-{}.md", self.prefix, self.rng.below(4));
                    let blob = self.blob();
                    b.files.insert(book, (blob, 0o100644));
                    "playbook"
                }
                _ => {
                    let other = [
                        "README.md",
                        "pm.toml",
                        "tools/rota.py",
                        "incidents-notes.txt",
                    ][self.rng.below(4)];
                    let blob = self.blob();
                    b.files
                        .insert(format!("{}{other}", self.prefix), (blob, 0o100644));
                    "other files only"
                }
            }
        }

        fn commit(&mut self, b: &mut Branch, message: &str, also: Option<Oid>) -> Oid {
            // Mostly forward in time, sometimes a skewed clock.
            self.time += if self.rng.pct(10) {
                -5_000
            } else {
                1_000 + self.rng.below(50_000) as i64
            };
            let tree = self
                .repo
                .find_tree(write_tree(self.repo, &b.files, ""))
                .expect("tree");
            let sig = Signature::new(
                &format!("author{}", self.rng.below(5)),
                "a@example.com",
                &Time::new(self.time, 0),
            )
            .expect("signature");
            let parents: Vec<git2::Commit<'_>> = b
                .tip
                .into_iter()
                .chain(also)
                .map(|id| self.repo.find_commit(id).expect("parent"))
                .collect();
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let id = self
                .repo
                .commit(None, &sig, &sig, message, &tree, &parents)
                .expect("commit");
            b.tip = Some(id);
            id
        }
    }

    /// Makes a repository in `dir`; returns the record files at HEAD, relative
    /// to the records root (`prefix`).
    fn build(
        dir: &Path,
        seed: u64,
        sharded: bool,
        prefix: &'static str,
        commits: usize,
        start: usize,
    ) -> BTreeSet<String> {
        let repo = Repository::init(dir).expect("init");
        let mut b = Builder {
            repo: &repo,
            rng: Rng(seed),
            time: 1_700_000_000,
            serial: 0,
            sharded,
            prefix,
            graveyard: Vec::new(),
        };
        let mut main = Branch {
            files: Files::new(),
            tip: None,
        };
        for _ in 0..start {
            b.change(&mut main);
        }
        b.commit(&mut main, "start", None);
        let mut side: Option<Branch> = None;
        for _ in 0..commits {
            let roll = b.rng.below(100);
            if roll < 8 && side.is_none() {
                side = Some(Branch {
                    files: main.files.clone(),
                    tip: main.tip,
                });
            } else if roll < 14 && side.is_some() {
                // Merge: main's files, then the side's where they differ.
                let mut s = side.take().expect("side");
                let mut merged = main.files.clone();
                merged.extend(s.files.clone());
                // The merge itself may change a file too (a conflict fix).
                let mut m = Branch {
                    files: merged,
                    tip: main.tip,
                };
                if b.rng.pct(50) {
                    b.change(&mut m);
                }
                let side_tip = s.tip.take();
                b.commit(&mut m, "Merge side", side_tip);
                main = m;
            } else if let Some(s) = side.as_mut().filter(|_| b.rng.pct(50)) {
                let what = b.change(s);
                b.commit(s, &format!("side: {what}"), None);
            } else {
                let what = b.change(&mut main);
                b.commit(&mut main, what, None);
            }
        }
        let tip = main.tip.expect("commits");
        repo.reference("refs/heads/main", tip, true, "model")
            .expect("ref");
        repo.set_head("refs/heads/main").expect("head");
        main.files
            .keys()
            .filter(|p| p.ends_with(".md") && !p.ends_with("README.md"))
            .filter_map(|p| p.strip_prefix(prefix).map(str::to_owned))
            .filter(|p| p.starts_with("incidents/") || p.starts_with("playbooks/"))
            .collect()
    }

    /// The rule, file by file, the slow way.
    fn expected(dir: &Path, prefix: &str, files: &BTreeSet<String>) -> BTreeMap<String, Vec<Oid>> {
        let repo = Repository::open(dir).expect("open");
        let blob_at = |tree: &git2::Tree<'_>, path: &str| {
            tree.get_path(Path::new(path))
                .ok()
                .filter(|e| e.kind() != Some(git2::ObjectType::Tree))
                .map(|e| e.id())
        };
        let mut walk = repo.revwalk().expect("walk");
        walk.set_sorting(Sort::TIME | Sort::TOPOLOGICAL)
            .expect("sort");
        walk.push_head().expect("head");
        let mut out: BTreeMap<String, Vec<Oid>> = BTreeMap::new();
        let mut dated = BTreeSet::new();
        for id in walk {
            let commit = repo.find_commit(id.expect("id")).expect("commit");
            if commit.parent_count() > 1 {
                continue;
            }
            let tree = commit.tree().expect("tree");
            let parent = commit.parent(0).ok().map(|p| p.tree().expect("tree"));
            for file in files {
                if dated.contains(file) {
                    continue;
                }
                let path = format!("{prefix}{file}");
                let new = blob_at(&tree, &path);
                let old = parent.as_ref().and_then(|t| blob_at(t, &path));
                if new.is_some() && new != old {
                    out.entry(file.clone()).or_default().push(commit.id());
                    if old.is_none() {
                        dated.insert(file.clone());
                    }
                }
            }
        }
        out
    }

    fn check(seed: u64, sharded: bool, prefix: &'static str, commits: usize, start: usize) {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = build(dir.path(), seed, sharded, prefix, commits, start);
        assert!(files.len() > 20, "a real test needs files: {}", files.len());
        let root = dir.path().join(prefix);
        std::fs::create_dir_all(&root).expect("records root");
        let history = pm::source::git::history(&root, None, &files, None).expect("history");
        let got: BTreeMap<String, Vec<Oid>> = history
            .files
            .iter()
            .map(|(file, h)| {
                let ids = h
                    .revisions
                    .iter()
                    .map(|r| Oid::from_str(&r.id).expect("oid"))
                    .collect();
                (file.clone(), ids)
            })
            .collect();
        let want = expected(dir.path(), prefix, &files);
        for file in files.iter() {
            assert_eq!(got.get(file), want.get(file), "seed {seed}, {file}");
        }
        assert_eq!(got.len(), want.len(), "seed {seed}");
    }

    #[test]
    fn a_flat_folder_of_many_files() {
        for seed in 1..=3 {
            check(seed, false, "", 150, 300);
        }
    }

    #[test]
    fn folders_by_year() {
        for seed in 11..=13 {
            check(seed, true, "", 150, 60);
        }
    }

    #[test]
    fn records_below_a_subfolder_of_the_repository() {
        check(21, true, "ops/records/", 120, 60);
        check(22, false, "ops/records/", 120, 60);
    }
}
