//! One record through the pipeline, all in memory: the library entry point
//! of the fuzz targets.

use jiff::civil::Date;

use crate::diag::Diagnostics;
use crate::error::Result;
use crate::lint::CliLevels;
use crate::markdown::Depth;
use crate::{render, source};

use super::lint::lint_loaded;
use super::load::{Overrides, load_set};
use super::site::Site;

/// What [`check_record`] found.
#[derive(Debug)]
pub struct Checked {
    /// Every diagnostic of the record, sorted, as `pm lint` reports them.
    pub diagnostics: Diagnostics,
    /// The files of a site made of the record alone (path and bytes), when
    /// templates were given and the record was valid enough to be read.
    pub pages: Vec<(String, Vec<u8>)>,
}

/// Runs one record, given as its repository path and its bytes, through the
/// stages of `pm lint` (parse, validate, analyse, lint) and, with
/// `templates`, renders the site made of it, all in memory: nothing is read
/// from or written to the disk, and there is no git history.
///
/// `rel` is where the record would be (`incidents/<id>.md`,
/// `incidents/<id>/index.md` for a bundle, or `playbooks/<type>.md`); the id
/// comes from it, as in a repository. `today` stands in for `--today`.
/// Unlike `pm build`, pages are rendered even when errors stand, for
/// whatever was valid. This is the entry point of the fuzz targets in
/// `fuzz/`; an `Err` is a template that failed to render.
pub fn check_record(
    rel: &str,
    bytes: &[u8],
    today: Date,
    templates: Option<&render::Templates>,
) -> Result<Checked> {
    let (kind, stem, attachments) = match rel.strip_suffix(".md") {
        Some(rest) if rel.starts_with(source::PLAYBOOKS_DIR) => {
            (source::RecordKind::Playbook, rest.rsplit('/').next(), None)
        }
        Some(rest) => match rest.strip_suffix("/index") {
            Some(bundle) => (
                source::RecordKind::Incident,
                bundle.rsplit('/').next(),
                Some(Vec::new()),
            ),
            None => (source::RecordKind::Incident, rest.rsplit('/').next(), None),
        },
        None => (source::RecordKind::Incident, Some(rel), None),
    };
    let set = source::SourceSet {
        config: None,
        records: vec![source::SourceFile {
            kind,
            rel: rel.to_owned(),
            stem: stem.unwrap_or(rel).to_owned(),
            bytes: bytes.to_vec(),
            attachments,
        }],
        templates: Vec::new(),
    };
    let depth = if templates.is_some() {
        Depth::Page
    } else {
        Depth::Outline
    };
    let mut diagnostics = Diagnostics::new();
    let Some(mut loaded) = load_set(set, depth, &Overrides::default(), &mut diagnostics) else {
        diagnostics.sort();
        return Ok(Checked {
            diagnostics,
            pages: Vec::new(),
        });
    };
    lint_loaded(&mut loaded, &CliLevels::default(), today, &mut diagnostics);
    diagnostics.sort();
    let pages = match templates {
        Some(templates) => Site { loaded, today }.render_with(templates, &diagnostics)?,
        None => Vec::new(),
    };
    Ok(Checked { diagnostics, pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_record_from_bytes_is_linted_and_rendered() {
        let record = "+++\ntitle = \"Disk full\"\nseverity = \"SEV3\"\ntype = \"capacity\"\nstatus = \"resolved\"\n\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"Alert\"\n+++\n\n## Summary\n\nThe disk filled.\n";
        let today = Date::constant(2026, 11, 30);
        let templates = render::Templates::load(&[]).unwrap();
        let checked = check_record(
            "incidents/2026-01-01-disk-full.md",
            record.as_bytes(),
            today,
            Some(&templates),
        )
        .unwrap();
        assert!(!checked.diagnostics.has_errors());
        assert!(
            checked
                .diagnostics
                .items()
                .iter()
                .any(|d| d.code == "missing_playbooks")
        );
        let page = checked
            .pages
            .iter()
            .find(|(path, _)| path == "incidents/2026-01-01-disk-full/index.html")
            .unwrap();
        assert!(String::from_utf8_lossy(&page.1).contains("The disk filled."));
        let broken = check_record("playbooks/x.md", b"+++\n", today, None).unwrap();
        assert!(broken.diagnostics.has_errors());
        assert!(broken.pages.is_empty());
    }
}
