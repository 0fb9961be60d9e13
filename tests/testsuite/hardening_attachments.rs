//! Attachments that would run script (issue 16, items 1, 2 and 9): the
//! browser is the judge.
//!
//! `tests/fixtures/hostile-attachments/` holds one bundle whose every
//! attachment runs a script when opened on its own: SVGs that slipped past
//! pm's old text filter (a newline or spaces before `=`, a `>` inside an
//! earlier value, a namespace prefix, a script built by a DOCTYPE entity),
//! and HTML, XHTML and XML documents (one of them named `index.html`, the
//! incident page's own name). The control test opens each raw file in
//! headless Chromium and requires its script to run, so the payloads are
//! live; the others require pm to refuse every one, and to publish SVGs
//! that it accepts only in a form that runs nothing when opened directly.

use std::collections::BTreeSet;

use crate::browser::chromium;
use crate::hardening::{dump, marker};
use crate::support::{Project, fixture, list_files};

const TODAY: &str = "2026-11-30";
const BUNDLE: &str = "incidents/2026-03-01-scripted-attachments";

/// The hostile attachments of the fixture, by file name.
fn hostile_files() -> Vec<String> {
    let dir = fixture("hostile-attachments").join(BUNDLE);
    let files: Vec<String> = list_files(&dir)
        .into_iter()
        .filter(|f| f != "index.md")
        .collect();
    assert!(files.len() >= 9, "{files:?}");
    files
}

#[test]
fn every_hostile_attachment_runs_its_script_when_opened_raw() {
    let Some(browser) = chromium() else { return };
    let dir = fixture("hostile-attachments").join(BUNDLE);
    for file in hostile_files() {
        let dom = dump(&browser, &dir.join(&file));
        assert!(
            marker(&dom).is_some(),
            "{file} is not a live payload: Chromium ran no script\n{dom}"
        );
    }
}

#[test]
fn every_hostile_attachment_is_refused_at_its_place_and_nothing_is_published() {
    let p = Project::from_fixture("hostile-attachments");
    let out = p
        .pm(["lint", "--format", "json", "--today", TODAY])
        .output();
    out.code(1);
    let mut refused = BTreeSet::new();
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["lint"] == "unsafe_attachment" {
            assert_eq!(v["level"], "error", "{line}");
            assert!(v["help"].as_str().is_some_and(|h| !h.is_empty()), "{line}");
            let file = v["file"].as_str().unwrap();
            if file.ends_with(".svg") {
                assert!(v["column"].as_u64() > Some(1), "no place: {line}");
            }
            refused.insert(file.rsplit('/').next().unwrap().to_owned());
        }
    }
    let all: BTreeSet<String> = hostile_files().into_iter().collect();
    assert_eq!(refused, all, "{}", out.stdout);
    // Links to a refused file are not reported again as unresolved.
    assert!(!out.stdout.contains("unresolved_links"), "{}", out.stdout);
    assert!(
        out.stdout.contains("the incident's own page"),
        "index.html is not named as the page it would replace"
    );

    let built = p.pm(["build", "--today", TODAY]).output();
    built.code(1);
    assert!(
        built.stderr.contains("error[unsafe_attachment]"),
        "{}",
        built.stderr
    );
    assert!(!p.exists("public"), "a site was written");
}

/// Drawings built at random from pieces of real exports and of attacks, each
/// attack trying to set the marker the browser tests look for. pm refuses
/// some; every one it publishes is opened directly in Chromium, which must
/// draw it and run nothing.
#[test]
fn every_svg_pm_publishes_runs_nothing_when_opened_directly() {
    let Some(browser) = chromium() else { return };
    const RUN: &str = "document.documentElement.setAttribute('data-pwned','1')";
    let pieces: Vec<String> = vec![
        "<g>".into(),
        "</g>".into(),
        "<rect width='10' height='10' fill='#08f'/>".into(),
        "<a href='#r'>".into(),
        "</a>".into(),
        "<text x='1' y='9'>onload=<tspan>script</tspan></text>".into(),
        "<!-- <script>x</script> -->".into(),
        "<text><![CDATA[<script>x</script>]]></text>".into(),
        "<text>&lt;script&gt;&lt;/script&gt;</text>".into(),
        "<style>rect { fill: red } g > rect { stroke: blue }</style>".into(),
        "<metadata><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/></metadata>".into(),
        "<?xml-stylesheet href='x.xsl' type='text/xsl'?>".into(),
        "<x:note xmlns:x='urn:editor' onload=\"RUN\"><script>RUN</script></x:note>".into(),
        "<image href='data:image/png;base64,iVBORw0KGgo=' width='1' height='1'/>".into(),
        "<rect width='1' height='1' onload=\"RUN\"/>".into(),
        "<script>RUN</script>".into(),
        "<s:script xmlns:s='http://www.w3.org/2000/svg'>RUN</s:script>".into(),
        "<set attributeName='fill' to='red' onbegin=\"RUN\"/>".into(),
        "<foreignObject><body xmlns='http://www.w3.org/1999/xhtml'><script>RUN</script></body></foreignObject>".into(),
    ];
    let pieces: Vec<String> = pieces.into_iter().map(|p| p.replace("RUN", RUN)).collect();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let p = Project::from_fixture("hostile-svg");
    p.file(
        "incidents/2026-02-01-scripted-svg/graph.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    let bundle = "incidents/2026-02-01-scripted-svg";
    for i in 0..40 {
        let mut svg =
            String::from("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'>");
        for _ in 0..(1 + next() % 6) {
            svg.push_str(&pieces[(next() % pieces.len() as u64) as usize]);
        }
        svg.push_str("</svg>");
        p.file(&format!("{bundle}/d{i:02}.svg"), &svg);
    }
    // pm's own verdict: drop what it refuses, then publish the rest.
    let lint = p
        .pm(["lint", "--format", "json", "--today", TODAY])
        .output();
    let mut refused = 0;
    for line in lint.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["lint"] == "unsafe_attachment" {
            std::fs::remove_file(p.root().join(v["file"].as_str().unwrap())).unwrap();
            refused += 1;
        }
    }
    p.pm(["build", "--today", TODAY]).output().code(0);
    let public = p.root().join("public").join(bundle);
    let published: Vec<String> = list_files(&public)
        .into_iter()
        .filter(|f| f.starts_with('d') && f.ends_with(".svg"))
        .collect();
    assert!(
        refused >= 5 && published.len() >= 10,
        "the mix is off: {refused} refused, {} published",
        published.len()
    );
    for file in &published {
        let path = public.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("<!--") && !text.contains("<?"),
            "{file} was published as written, not as pm's copy:\n{text}"
        );
        let dom = dump(&browser, &path);
        assert!(dom.contains("<svg"), "Chromium did not draw {file}:\n{dom}");
        assert_eq!(marker(&dom), None, "{file} ran a script:\n{text}");
    }
}

/// `--rev` reads attachments from git one at a time, sized before they are
/// read: it refuses what a checkout refuses and publishes the same bytes.
#[test]
fn attachments_from_a_commit_are_checked_and_published_as_from_the_checkout() {
    let p = Project::from_fixture("hostile-svg");
    let bundle = "incidents/2026-02-01-scripted-svg";
    p.file(
        &format!("{bundle}/graph.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'><!-- axes --><rect width='1' height='1'/></svg>",
    );
    p.file(
        &format!("{bundle}/notes.txt"),
        "the minutes around the spike\n",
    );
    p.file("pm.toml", "[limits]\nattachment_size = 100\n");
    p.file(&format!("{bundle}/big.log"), "x".repeat(101));
    p.commit_all("records", 1_767_000_000);

    for rev in [&[][..], &["--rev", "HEAD"][..]] {
        let mut args = vec!["lint", "--format", "json", "--today", TODAY];
        args.extend(rev);
        let out = p.pm(args).output();
        out.code(1);
        let refused: Vec<&str> = out
            .stdout
            .lines()
            .filter(|l| l.contains("\"limit_exceeded\""))
            .collect();
        assert_eq!(refused.len(), 1, "{rev:?}: {}", out.stdout);
        assert!(refused[0].contains("big.log") && refused[0].contains("over the 100 bytes limit"));
    }

    std::fs::remove_file(p.root().join(bundle).join("big.log")).unwrap();
    p.commit_all("without the big log", 1_767_000_100);
    p.pm(["build", "--today", TODAY, "-o", "from-tree"])
        .output()
        .code(0);
    p.pm(["build", "--today", TODAY, "--rev", "HEAD", "-o", "from-rev"])
        .output()
        .code(0);
    for name in ["graph.svg", "notes.txt"] {
        let tree = p.read(&format!("from-tree/{bundle}/{name}"));
        assert_eq!(tree, p.read(&format!("from-rev/{bundle}/{name}")), "{name}");
        assert!(!tree.contains("axes"), "{name} was not cleaned: {tree}");
    }
}

/// An attachment is streamed to the site, never read whole: a 1.2 GB file
/// (sparse, so the test costs no disk to make) is published by a build
/// whose address space is capped at 1 GiB.
#[test]
fn a_large_attachment_is_streamed_not_read_into_memory() {
    let p = Project::from_fixture("hostile-svg");
    let bundle = "incidents/2026-02-01-scripted-svg";
    p.file(
        &format!("{bundle}/graph.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    p.file("pm.toml", "[limits]\nattachment_size = \"2 GiB\"\n");
    let size: u64 = 1200 * 1024 * 1024;
    let out = p
        .pm_after(
            &format!("truncate -s {size} {bundle}/dump.bin && ulimit -v 1048576"),
            ["build", "--today", TODAY],
        )
        .env("RAYON_NUM_THREADS", "2")
        .output();
    out.code(0);
    let published = p.root().join("public").join(bundle).join("dump.bin");
    assert_eq!(std::fs::metadata(published).unwrap().len(), size);
}
