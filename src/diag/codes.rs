//! The schema checks: every diagnostic code that is not a lint.
//!
//! Lints live in `lint::LINTS` and can be allowed; these codes report records
//! (and `pm.toml`) that pm cannot read as written, so they are always errors
//! (or, for skipped files, warnings) and cannot be allowed. `pm explain <code>`
//! and the SARIF rules table read this list; a test keeps it in step with the
//! codes the source emits.

/// A schema check's documentation.
#[derive(Debug)]
pub struct Code {
    /// The snake_case name shown as `error[<name>]`.
    pub name: &'static str,
    /// One line: what the check reports.
    pub summary: &'static str,
    /// Markdown with the sections "What it does", "Why is this bad", "Example".
    pub explanation: &'static str,
}

/// Every schema check, sorted by name.
pub static CODES: &[Code] = &[
    Code {
        name: "duplicate_id",
        summary: "two records have the same id",
        explanation: "### What it does\nChecks that no two incident files (or bundles) give the same id: the file name \
without `.md`, or the bundle folder's name.\n\n### Why is this bad\nThe id names the incident's page and its \
place in `incidents.json`; two records with one id would overwrite each other in the site, so pm refuses both.\n\n\
### Example\nRename one of `incidents/2026-11-03-db-failover.md` and `incidents/2026/2026-11-03-db-failover.md`, \
for example to `2026-11-03-db-failover-replica.md`.\n",
    },
    Code {
        name: "front_matter",
        summary: "the file has no `+++` front matter, or it is not closed",
        explanation: "### What it does\nChecks that a record starts with a line `+++`, holds its TOML, and closes it \
with a second `+++` line before the Markdown body.\n\n### Why is this bad\nWithout the fences pm cannot tell the \
record's fields from its narrative, so it cannot read the file at all.\n\n### Example\n```toml\n+++\n\
title = \"Checkout latency\"\nseverity = \"SEV2\"\n+++\n\n## Summary\n```\n",
    },
    Code {
        name: "ignored_file",
        summary: "a file in a records folder is not read",
        explanation: "### What it does\nReports files under `incidents/`, `playbooks/` or `site-template/` that pm \
skips: symbolic links (which could name files outside the repository), also when one stands for a whole \
folder (`incidents -> /srv/other`), git submodules (their files belong to another repository, and a commit \
holds only their id), files that are not `.md`, and folders that are not bundles. The working tree and \
`--rev` skip the same entries.\n\n\
### Why is this bad\nA record that is silently skipped is a postmortem missing from the site. The warning says \
why the file was skipped so it can be moved or renamed.\n\n### Example\nMove `incidents/notes.txt` into a bundle \
(`incidents/<id>/notes.txt` beside `index.md`), or out of `incidents/`.\n",
    },
    Code {
        name: "internal_error",
        summary: "pm panicked while processing this record: a bug in pm",
        explanation: "### What it does\nReports a record whose parsing, validation, analysis, linting or rendering \
made pm panic. The panic is caught at that record's boundary: the record is left out, every other record is \
processed as usual, and `pm build` writes nothing (the previous site stays). The message carries the panic's \
own text.\n\n### Why is this bad\nIt is a bug in pm (or a library it uses), not a mistake in the record; \
but until it is fixed, the record cannot be checked or published.\n\n### Example\n```text\n\
error[internal_error]: pm failed while rendering this record: index out of bounds\n\
 --> incidents/2026-11-03-db-failover.md\n```\nReport it with the record attached (or a smaller copy \
that still fails).\n",
    },
    Code {
        name: "invalid_config",
        summary: "a value in `pm.toml` is not usable",
        explanation: "### What it does\nChecks values in `pm.toml`: durations, time zones, severities, checklist steps \
and lint levels must be ones pm knows.\n\n### Why is this bad\nA wrong setting would change every record's \
findings; pm stops instead of guessing.\n\n### Example\n```toml\n[timeline]\ngap = \"30m\"\n\n[site]\n\
timezone = \"Europe/Berlin\"\n```\n",
    },
    Code {
        name: "invalid_datetime",
        summary: "a datetime cannot be read as one instant",
        explanation: "### What it does\nChecks every `at`: a TOML datetime with an offset, a local datetime with a time \
zone from the record or `pm.toml`, or a bare time after an earlier event. A local time that falls in a \
daylight-saving gap or fold is reported too.\n\n### Why is this bad\nDurations and gaps are computed from these \
instants; a time read in the wrong zone moves every figure of the postmortem.\n\n### Example\n```toml\n\
[[timeline]]\nat = 2026-10-25T02:30:00+01:00   # the second 02:30, after the clocks went back\n\
text = \"Batch job restarted\"\n```\n",
    },
    Code {
        name: "invalid_id",
        summary: "an id or type is not lowercase letters, digits and `-`",
        explanation: "### What it does\nChecks incident ids (file or bundle names) and playbook types: lowercase ASCII \
letters, digits and `-`, starting with a letter or digit.\n\n### Why is this bad\nIds become folder names and \
URLs of the site. Restricting them keeps every page inside the output folder and every link stable.\n\n\
### Example\nRename `incidents/DB Failover.md` to `incidents/2026-11-03-db-failover.md`.\n",
    },
    Code {
        name: "invalid_toml",
        summary: "the front matter is not valid TOML",
        explanation: "### What it does\nReports TOML syntax errors in front matter or `pm.toml`, at the place the \
parser stopped.\n\n### Why is this bad\npm cannot read any field of a record whose TOML does not parse.\n\n\
### Example\n```toml\ntitle = \"Checkout latency\"   # strings need quotes\nservices = [\"checkout\", \"orders-db\"]\n```\n",
    },
    Code {
        name: "invalid_url",
        summary: "a URL uses a scheme other than http, https or mailto",
        explanation: "### What it does\nChecks `link` and `evidence` URLs: only `http`, `https` and `mailto` are \
accepted.\n\n### Why is this bad\nThe site is published to the whole organisation; a `javascript:` or `data:` URL \
in a record would run in readers' browsers. pm refuses it rather than publish it.\n\n### Example\n```toml\n\
link = \"https://tracker.example/OPS-123\"\n```\n",
    },
    Code {
        name: "invalid_utf8",
        summary: "the file is not valid UTF-8",
        explanation: "### What it does\nChecks that records are UTF-8 text.\n\n### Why is this bad\npm cannot show a \
record whose bytes are not text; guessing an encoding would garble names and logs.\n\n### Example\nSave the file \
as UTF-8 (most editors offer \"Save with encoding\"), or convert it with `iconv -f latin1 -t utf-8`.\n",
    },
    Code {
        name: "invalid_value",
        summary: "a value is not one of those the key allows",
        explanation: "### What it does\nChecks keyword values such as `severity`, `status`, `kind`, `detected_by` and \
timeline `step` against the values pm knows (severities and checklist steps come from `pm.toml`).\n\n\
### Why is this bad\nFilters, milestones and trends group records by these values; a misspelt one would drop the \
record from them silently.\n\n### Example\n```toml\nseverity = \"SEV2\"\nstatus = \"resolved\"   # active | mitigated | resolved\n```\n",
    },
    Code {
        name: "limit_exceeded",
        summary: "a record is larger than a `[limits]` setting allows",
        explanation: "### What it does\nRefuses a record that is over one of the limits in `pm.toml [limits]`: the \
file's size (`record_size`, default 1 MiB, checked before the file is decoded), the front matter's size \
(`front_matter_size`, default 256 KiB, checked before the TOML is parsed), the number of timeline events \
(`timeline_events`, default 1000), or the number of an incident's `services` (default 100), `tags` (100), \
`responders` (100) or `[[actions]]` items (`actions`, 500), checked before the record is validated; or a bundle attachment's size \
(`attachment_size`, default 25 MiB, checked before it is read). The other \
records are read as usual.\n\n### Why is this bad\nEvery build \
and every review reads every record: one pasted 50 MB log, or a timeline generated by a script, would cost each of \
them seconds and gigabytes, and no reader scrolls through it. Each service and each action owner gets a page \
that shows the record, so a record with thousands of services would make the site quadratic in its size. The \
limits keep the cost of one file bounded; they are far above any real postmortem.\n\n### Example\nMove the log into an attachment: make \
`incidents/2026-11-03-db-failover.md` a bundle, `incidents/2026-11-03-db-failover/index.md` with \
`postgres.log` beside it, and link it from an event's `evidence`. Or, if your records really are that large:\n\
```toml\n[limits]\nrecord_size = \"4 MiB\"\nfront_matter_size = \"1 MiB\"\ntimeline_events = 5000\n```\n",
    },
    Code {
        name: "malformed_export",
        summary: "an export given to `pm import` cannot be read",
        explanation: "### What it does\nChecks the file or folder given to `pm import`: a Slack export's JSON, a CSV \
file's header and rows, a JSON Lines file's lines, and every time in them (with an offset, or in `--zone`, and \
one that exists there).\n\n### Why is this bad\nA half-read export would put some messages in the timeline and \
silently leave others out, so pm imports nothing until the export reads whole.\n\n### Example\n```text\n\
time,who,text\n,carol,Escalated to the search team   <- a row without a time\n```\nFill the `time` column, or \
delete the row.\n",
    },
    Code {
        name: "missing_key",
        summary: "a required key is missing",
        explanation: "### What it does\nChecks that every key the format requires is present: `title`, `severity`, \
`type` and `status` for incidents, `at` and `text` for timeline events, and so on.\n\n### Why is this bad\nThe \
site and the analysis need these to place the record at all.\n\n### Example\n```toml\n[[timeline]]\n\
at = 2026-11-03T14:02:00Z\ntext = \"Alert: checkout p99 above 2 s\"\n```\n",
    },
    Code {
        name: "unknown_key",
        summary: "a key the format does not define",
        explanation: "### What it does\nReports keys pm does not know, with the closest known key as a suggestion.\n\n\
### Why is this bad\nA misspelt key (`severty`) is silently lost in most tools; here it would mean a field \
missing from the postmortem.\n\n### Example\n```toml\nseverity = \"SEV2\"   # not `severty`\n```\n",
    },
    Code {
        name: "unknown_lint",
        summary: "a lint name that does not exist",
        explanation: "### What it does\nChecks lint names in `pm.toml [lints]`, in a record's `allow`, and on the \
command line (`-A/-W/-D`), with the closest lint as a suggestion.\n\n### Why is this bad\nA misspelt lint name \
would silence or raise nothing, leaving the setting with no effect.\n\n### Example\n```toml\n[lints]\n\
unexplained_timeline_gaps = \"deny\"\n```\n",
    },
    Code {
        name: "unsafe_attachment",
        summary: "an attachment a browser would run: an HTML or XML document, or an SVG with script",
        explanation: "### What it does\nRefuses bundle attachments that a browser opens as documents able to run \
script: HTML, XHTML and XML files (and `.svgz`), by name, `index.html` among them; and SVG drawings that hold \
`<script>` (in any namespace), `<foreignObject>`, animation, HTML elements, `on…` event handlers, links to \
`javascript:` or HTML `data:`, or a DOCTYPE that declares entities. Other SVGs are published as a clean copy \
pm writes from the parsed drawing.\n\n### Why is this bad\nThe site's Content-Security-Policy protects its \
pages, but an attachment opened on its own is a document of its own: a script in it would run in the reader's \
browser, on the site's origin, and could read every record the site publishes.\n\n### Example\nExport the \
graph again as plain SVG (no interactivity), or attach a PNG: `incidents/<id>/p99.png`. Attach an HTML report \
zipped (`report.html.zip`) or as text (`report.html.txt`).\n",
    },
    Code {
        name: "wrong_type",
        summary: "a value has the wrong TOML type",
        explanation: "### What it does\nChecks that every value has the type the format gives it: strings, arrays, \
datetimes, dates, booleans, integers.\n\n### Why is this bad\nA datetime written in quotes is a string, not a time: \
pm cannot place it on the timeline.\n\n### Example\n```toml\nat = 2026-11-03T14:02:00Z   # not \"2026-11-03T14:02:00Z\"\n```\n",
    },
];

/// The documentation of a schema check.
pub fn find(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_documented() {
        assert!(CODES.windows(2).all(|w| w[0].name < w[1].name));
        for c in CODES {
            for heading in ["### What it does", "### Why is this bad", "### Example"] {
                assert!(
                    c.explanation.contains(heading),
                    "{} lacks {heading}",
                    c.name
                );
            }
        }
    }
}
