//! `pm lint`: check the records, report findings in a format, exit 1 on errors.

use std::path::{Path, PathBuf};

use crate::cli::*;
use crate::config::{self};
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, resolve_today};
use crate::{EXIT_FINDINGS, EXIT_OK, source};

use crate::lint::{CliLevels, LintLevel};
use crate::pipeline::lint::lint_repository;
use crate::pipeline::location::check_output_location;
use std::time::Instant;

use super::exit::leave_to_exit;
use super::repo::root_of;
use super::report::report_to;

pub(crate) fn cli_levels(args: &LintArgs) -> CliLevels {
    let mut overrides = Vec::new();
    // clap keeps each flag's values in order; apply allow, then warn, then deny,
    // so the strictest wins when the same name is given twice.
    overrides.extend(args.allow.iter().map(|n| (n.clone(), LintLevel::Allow)));
    overrides.extend(args.warn.iter().map(|n| (n.clone(), LintLevel::Warn)));
    overrides.extend(args.deny.iter().map(|n| (n.clone(), LintLevel::Deny)));
    CliLevels { overrides }
}

/// Whether a repo-relative file is inside one of the requested paths.
pub(crate) fn selected(file: &str, filters: &[String]) -> bool {
    filters.is_empty()
        || filters
            .iter()
            .any(|f| file == f || file.starts_with(&format!("{f}/")) || f.is_empty())
}

/// Turns `PATHS` into repo-relative, `/`-separated prefixes; `.` (or the
/// root itself) is the empty prefix, which selects everything. An absolute
/// path is made relative to the root's real location, so `pm lint "$PWD"`
/// and `pm lint "$PWD/incidents"` select what `.` and `incidents` do.
pub(crate) fn path_filters(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    let real_root = root.canonicalize().ok();
    paths
        .iter()
        .map(|p| {
            let real = || -> Option<PathBuf> {
                let rel = p.canonicalize().ok()?;
                Some(rel.strip_prefix(real_root.as_ref()?).ok()?.to_path_buf())
            };
            let rel = match p.strip_prefix(root) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) if p.is_absolute() => real().unwrap_or_else(|| p.clone()),
                Err(_) => p.clone(),
            };
            let s = source::rel_string(&rel);
            let s = s.trim_start_matches("./").trim_end_matches('/');
            if s == "." {
                String::new()
            } else {
                s.to_owned()
            }
        })
        .collect()
}

/// Refuses a `PATHS` argument that selects no record, no reported file and
/// not `pm.toml`: a mistyped folder (`incident/`) would otherwise lint
/// nothing and pass. Exit code 2, naming the path and the nearest records
/// folder.
pub(crate) fn check_paths_match(
    paths: &[PathBuf],
    filters: &[String],
    files: &[String],
    diags: &Diagnostics,
) -> Result<()> {
    for (path, filter) in paths.iter().zip(filters) {
        let one = std::slice::from_ref(filter);
        if filter.is_empty()
            || filter == config::CONFIG_FILE
            || files.iter().any(|f| selected(f, one))
            || diags.items().iter().any(|d| selected(&d.file, one))
        {
            continue;
        }
        let shown = diag::printable(&path.to_string_lossy()).into_owned();
        let (first, rest) = filter.split_once('/').unwrap_or((filter, ""));
        let folders = [source::INCIDENTS_DIR, source::PLAYBOOKS_DIR];
        let help = match diag::suggest(first, folders).filter(|s| *s != first) {
            Some(folder) => {
                let trailing = if rest.is_empty() && shown.ends_with('/') {
                    "/"
                } else {
                    ""
                };
                let sep = if rest.is_empty() { "" } else { "/" };
                format!("did you mean `{folder}{sep}{rest}{trailing}`?")
            }
            None => format!(
                "pm lints `.md` records in `{}/` and `{}/`, and `pm.toml`; give one of those, a folder in them or a record file",
                source::INCIDENTS_DIR,
                source::PLAYBOOKS_DIR
            ),
        };
        return Err(Error::Usage(format!(
            "`{shown}` matches no record\n  help: {}",
            diag::printable(&help)
        )));
    }
    Ok(())
}

pub(crate) fn run(cli: &Cli, args: &LintArgs, ui: Ui) -> Result<u8> {
    if args.list {
        return super::explain::list_lints();
    }
    let started = Instant::now();
    let root = root_of(cli);
    let today = resolve_today(args.today.today.as_deref())?;
    let mut diags = Diagnostics::new();
    let linted = lint_repository(
        &root,
        &args.source,
        &cli_levels(args),
        today,
        ui,
        &mut diags,
    )?;
    let filters = path_filters(&root, &args.paths);
    if let Some(linted) = &linted {
        check_paths_match(&args.paths, &filters, &linted.files, &diags)?;
    }
    let changed = match &args.changed_since {
        Some(rev) => {
            let changed = source::git::changed_since(&root, rev)?;
            // A new pm.toml can change the findings of every record.
            (!changed.contains(config::CONFIG_FILE)).then_some(changed)
        }
        None => None,
    };
    let in_scope =
        |file: &str| selected(file, &filters) && changed.as_ref().is_none_or(|c| c.contains(file));
    let files = match &linted {
        Some(linted) => linted.files.iter().filter(|f| in_scope(f)).count(),
        // Only `pm.toml` was read: its errors stop the run before the records.
        None => 1,
    };
    diags.retain(|d| in_scope(&d.file) || d.file == config::CONFIG_FILE || d.file.starts_with('<'));
    diags.sort();
    let report_file = args.output.as_ref().map(|p| root.join(p));
    if let (Some(path), Some(shown)) = (&report_file, &args.output) {
        check_output_location(&root, path, shown)?;
    }
    report_to(&diags, args.format, ui, report_file.as_deref(), files)?;
    let (errors, warnings) = (diags.count(Level::Error), diags.count(Level::Warning));
    // The history warning was printed on stderr above the findings; the
    // summary counts it, as `pm build`'s does.
    let history_warning = linted.as_ref().is_some_and(|l| l.history_warning);
    // The summary is for people and goes to stderr, so machine formats on
    // stdout stay machine-readable.
    if !ui.quiet {
        let mut line = diag::summary_line(errors, warnings + usize::from(history_warning), files);
        if ui.verbose > 0 {
            line.push_str(&format!(" ({:.2} s)", started.elapsed().as_secs_f64()));
        }
        ui.status(&line);
    }
    let failed =
        errors > 0 || (args.fail_on == FailOn::Warning && warnings > 0) || linted.is_none();
    leave_to_exit(diags);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_selection() {
        let f = vec!["incidents/2026".to_owned()];
        assert!(selected("incidents/2026/a.md", &f));
        assert!(!selected("incidents/2025/a.md", &f));
        assert!(!selected("incidents/20261/a.md", &f));
        assert!(selected("anything", &[]));
        let root = Path::new(".");
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            path_filters(
                root,
                &[
                    PathBuf::from("."),
                    PathBuf::from("./incidents/"),
                    here.clone(),
                    here.join("src")
                ]
            ),
            ["", "incidents", "", "src"]
        );
    }
}
