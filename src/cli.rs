//! The command line, as clap types. Parsing only: [`crate::run`] acts on it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  pm lint                          check every record under incidents/ and playbooks/
  pm lint incidents/2026           check only the records under that folder
  pm build                         publish the site into public/
  pm serve --open                  preview the site; it reloads as you edit
  $EDITOR $(pm new \"Checkout latency after deploy\" --type bad-deploy --severity SEV2)
  pm explain unexplained_timeline_gaps
  pm event <id> \"Rolled back 4f2a91\" --step mitigate   keep the timeline as you go

Exit status: 0 when no errors were found (warnings allowed), 1 when records have errors,
2 when pm could not run (bad usage, unreadable folder, template error).

Docs (built into pm): `pm explain format` (the record format, docs/format.md),
`pm explain <lint>` (each lint), `pm explain <step>` (each checklist step), `pm man` (man page).";

/// Postmortems and playbooks as code: lint incident records in review, publish them as a site.
///
/// pm reads incident records (`incidents/<id>.md`, TOML front matter + Markdown)
/// and playbooks (`playbooks/<type>.md`) from a git repository, checks them
/// against the incident checklist, and builds a static site: one postmortem
/// page per incident, an action-item tracker and one page per playbook.
#[derive(Debug, Parser)]
#[command(name = "pm", version = env!("PM_LONG_VERSION"), about, long_about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// The records repository (default: the current folder). Relative paths
    /// given to other options (`-o`, `--output`) are taken from it.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// When to colour output; `NO_COLOR` and `CLICOLOR=0` turn it off in `auto`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Print more about what pm is doing.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check records: schema, incident checklist, timeline gaps, action items.
    #[command(after_help = "\
Examples:
  pm lint                                   every record, rustc-style output
  pm lint incidents/2026/                   only these records
  pm lint -D unexplained_timeline_gaps      make one lint an error for this run
  pm lint --changed-since origin/main       only the records a pull request touches
  pm lint --format github                   annotations on a pull request (GitHub Actions)
  pm lint --format sarif --output pm.sarif  for code scanning
  pm lint --format gitlab --output gl-code-quality-report.json

Levels: group default, then pm.toml [lints], then -A/-W/-D, then a record's own
`allow = [{ lint, reason }]`. `pm explain <lint>` says what a lint checks and why.

Exit status: 0 clean or warnings only, 1 errors found (or warnings with
--fail-on warning), 2 pm could not run.")]
    Lint(LintArgs),
    /// Build the static site (into public/ by default).
    #[command(
        after_help = "The site is written to a staging folder beside the output and swapped in whole: a failed build leaves the last good site in place. pm refuses to replace a non-empty folder it did not create unless --force."
    )]
    Build(BuildArgs),
    /// Preview the site: build it in memory, serve it, rebuild and reload on every change.
    #[command(after_help = "\
Watches incidents/, playbooks/, site-template/ and pm.toml; open pages reload
after each rebuild. A record with errors does not stop the server: the
findings are printed here and shown over every page. Nothing is written to
disk. Stop with Ctrl-C.

Examples:
  pm serve --open                  preview on http://127.0.0.1:1111/
  pm serve -p 0                    any free port (the URL is printed)
  pm serve --interface 0.0.0.0     let other machines see the preview")]
    Serve(ServeArgs),
    /// Scaffold a new incident record (or playbook) and print its path.
    New(NewArgs),
    /// Scaffold a new records repository: pm.toml, an example incident and playbook.
    Init(InitArgs),
    /// Print a lint's documentation, or list every lint.
    Explain(ExplainArgs),
    /// Print the revision history of an incident or playbook, from git.
    Log(LogArgs),
    /// Print the figures of the site's index: counts, median and p90 time to
    /// detect, mitigate and resolve, open and overdue action items.
    #[command(after_help = "\
Each duration reads `median (p90) n/m`: measured for n of the group's m
incidents (a duration is absent, never zero, when a milestone is missing).

Examples:
  pm stats --by severity
  pm stats --since 2026-01-01 --by month --format csv > monthly.csv")]
    Stats(StatsArgs),
    /// Draft a playbook from a type's incidents, or show what they teach
    /// that the curated playbook does not say yet.
    #[command(after_help = "\
Examples:
  pm playbook draft database                 write playbooks/database.md from its incidents
  pm playbook draft database --output -      print the draft instead
  pm playbook diff database                  what the incidents teach that the playbook lacks

Items merge across incidents only when their text is the same after
normalisation (case, spaces, backticks, trailing punctuation); drafts are
left out. A draft never overwrites a file.")]
    Playbook(PlaybookArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "\
Examples:
  pm completions bash > ~/.local/share/bash-completion/completions/pm
  pm completions zsh > ~/.zfunc/_pm
  pm completions fish > ~/.config/fish/completions/pm.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `pm man > pm.1`.
    Man,
    /// Draft the next stakeholder update for an incident, from its record.
    #[command(after_help = "\
The text comes from site-template/status-update.md (override it in your
repository). Customers get the impact in their terms and what is being done;
internal readers also get the latest timeline events.

Examples:
  pm status-update 2026-11-12-duplicate-captures-idempotency-eviction
  pm status-update <id> --audience internal --format text | pbcopy
  pm status-update <id> --record       also add it to the record's [[updates]]")]
    StatusUpdate(StatusUpdateArgs),
    // During the incident: `pm event` and `pm import` edit a record in place.
    /// Add an event to an incident's timeline, at the current time or `--at`.
    #[command(after_help = "\
The event goes into the record's front matter in time order, written in the
record's time zone; every comment, blank line and key of the file is kept.
The event is printed as TOML; the file is replaced only if nobody changed it
meanwhile. PM_NOW=2026-12-06T14:02:00Z stands in for the clock (for tests).

Examples:
  pm event 2026-12-06-checkout-errors \"Rolled back checkout to 91c0de\" --step mitigate --who bob
  pm event <id> \"Paged the database team\" --at 14:02
  pm event <id> \"Vendor confirms the fix\" --at 2026-12-06T16:45:00+01:00 --source email")]
    Event(EventArgs),
    /// Add timeline events from a Slack channel export, a CSV or a JSON Lines file.
    #[command(after_help = "\
A folder is read as a Slack export (channels.json, users.json, one folder of
per-day files per channel); a .csv file needs a header row with time, who
and text columns; any other file is JSON Lines ({\"time\", \"who\", \"text\"}
per line). Times are converted to the record's zone. Each imported event
carries `source` and a comment marking it for you to prune; events already
in the record are skipped. A malformed export changes nothing.

Examples:
  pm import <id> slack-export/ --channel inc-42 --from 2026-12-06 --dry-run
  pm import <id> pager.csv --zone America/New_York
  pm import <id> bot-log.jsonl --source \"deploy bot\"")]
    Import(ImportArgs),
    /// Print a prompt for an AI assistant, filled from an incident record
    /// (or, for `playbook`, from a type's incidents).
    #[command(after_help = "\
A prompt is a short frame with the record's facts in it and a few questions,
ready to paste into the assistant you use. Whatever the record lacks is shown
as a placeholder naming the key to fill, e.g.
`[not recorded yet: add [triage] error]`. pm never sends anything anywhere:
it prints the text, and you decide where it goes.

Examples:
  pm prompt --list                                     the kinds, and the keys each reads
  pm prompt triage 2026-11-03-checkout-latency         the first look at a fire
  pm prompt stuck 2026-11-03-checkout-latency          a fresh angle from what was checked and tried
  pm prompt postmortem <id> --format text | pbcopy     plain text for a chat box
  pm prompt playbook database                          a playbook from the type's incidents

The texts are templates under site-template/prompts/<kind>.md; a repository
overrides one with its own file of that name (see docs/templates.md).

Exit status: 0 printed, 1 printed but the record has errors (shown above the
prompt on stderr), 2 pm could not run (unknown id or type, template error).")]
    Prompt(PromptArgs),
}

/// `pm event`.
#[derive(Debug, Args)]
pub struct EventArgs {
    /// The incident id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// What happened (inline Markdown).
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// When: a datetime with offset (`2026-12-06T14:02:00Z`), a local
    /// datetime (`2026-12-06T14:02`) or a time of today (`14:02`), in the
    /// record's zone. Default: now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The milestone or checklist step this event is evidence of (`detected`, `mitigate`…).
    #[arg(long, value_name = "STEP")]
    pub step: Option<String>,

    /// Who did or saw it.
    #[arg(long, value_name = "NAME")]
    pub who: Option<String>,

    /// Where the fact comes from (`pagerduty`, `slack #inc-42`).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Print the event and the file it would go to; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `pm import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The incident id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// The export: a Slack export folder (unzipped), a .csv file or a JSON Lines file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The export's format (default: from the path).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ImportFormat>,

    /// The Slack channel to read (needed when the export holds several).
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,

    /// Only messages on or after this day (YYYY-MM-DD, in the record's zone).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,

    /// Only messages on or before this day (YYYY-MM-DD, in the record's zone).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,

    /// The IANA zone of CSV and JSON Lines times written without an offset.
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,

    /// The events' `source` (default: `slack:#<channel>`, `csv:<file>`, `jsonl:<file>`).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Print the events that would be added; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `pm import --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// A Slack export folder.
    Slack,
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `pm prompt`.
#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Which prompt (`pm prompt --list` says what each asks and reads).
    #[arg(value_enum, value_name = "KIND", required_unless_present = "list")]
    pub kind: Option<PromptKind>,

    /// The incident id; for `playbook`, the incident type.
    #[arg(value_name = "ID|TYPE")]
    pub target: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PromptFormat::Markdown)]
    pub format: PromptFormat,

    /// List the kinds, what each asks and the record keys each reads.
    #[arg(long, conflicts_with_all = ["kind", "target"])]
    pub list: bool,
}

/// `pm prompt <KIND>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PromptKind {
    /// The first look: likely cause, what to check, how to confirm, quickest mitigation.
    Triage,
    /// Read the stack trace.
    StackTrace,
    /// Read the logs: when it started, before vs after, correlations.
    Logs,
    /// One cause for several symptoms.
    Correlation,
    /// Mitigation options ranked by speed, risk and effectiveness.
    Mitigation,
    /// A database in trouble: cause, the query that shows it, the quick fix.
    Database,
    /// Roll back or fix forward.
    Rollback,
    /// A fresh angle from what was checked and tried.
    Stuck,
    /// Commands to gather data: resources, processes, logs, network, health.
    Commands,
    /// A customer update: honest, plain, with the next update's time.
    StatusUpdate,
    /// The postmortem: timeline with gaps, monitoring, prevention, action items.
    Postmortem,
    /// A playbook for an incident type (takes a type, not an id).
    Playbook,
}

/// `pm prompt --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PromptFormat {
    /// Markdown: labels in bold, verbatim text in fenced blocks.
    Markdown,
    /// Plain text, without markup, for chat boxes.
    Text,
}

/// `pm status-update`.
#[derive(Debug, Args)]
pub struct StatusUpdateArgs {
    /// The incident id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Who the update is for.
    #[arg(long, value_enum, default_value_t = UpdateAudience::Customers)]
    pub audience: UpdateAudience,

    /// Output format.
    #[arg(long, value_enum, default_value_t = UpdateFormat::Markdown)]
    pub format: UpdateFormat,

    /// Also add the drafted update to the record's `[[updates]]`, sent now.
    #[arg(long)]
    pub record: bool,
}

/// `pm status-update --audience`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpdateAudience {
    /// Status page, email: impact in customers' terms.
    Customers,
    /// Inside the company: with the latest timeline.
    Internal,
}

/// `pm status-update --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UpdateFormat {
    /// Markdown (status pages, chat).
    Markdown,
    /// Plain text (email, SMS).
    Text,
}

/// `pm stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only incidents that started on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Group the figures.
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<StatsBy>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub source: SourceArgs,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub today: TodayArgs,
}

/// `pm stats --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsBy {
    /// SEV1, SEV2, ... worst first.
    Severity,
    /// Incident type.
    Type,
    /// Service (an incident counts for each of its services).
    Service,
    /// The month the incident started.
    Month,
}

/// `pm stats --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// An aligned table.
    Table,
    /// JSON (version 1).
    Json,
    /// CSV, durations in seconds.
    Csv,
}

/// `pm playbook`.
#[derive(Debug, Args)]
pub struct PlaybookArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PlaybookCommand,
}

/// `pm playbook` subcommands.
#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// Write a playbook file drafted from a type's incidents, with the
    /// incidents each item came from as TOML comments. Never overwrites.
    Draft(PlaybookDraftArgs),
    /// Print what a type's incidents teach that its playbook does not say
    /// yet, section by section.
    Diff(PlaybookDiffArgs),
}

/// `pm playbook draft`.
#[derive(Debug, Args)]
pub struct PlaybookDraftArgs {
    /// The incident type (`database`).
    #[arg(value_name = "TYPE")]
    pub kind: String,

    /// Where to write the draft (default: `playbooks/<TYPE>.md`); `-` prints it.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `pm playbook diff`.
#[derive(Debug, Args)]
pub struct PlaybookDiffArgs {
    /// The incident type (`database`).
    #[arg(value_name = "TYPE")]
    pub kind: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// `pm playbook diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text, section by section.
    Text,
    /// JSON (version 1).
    Json,
}

/// `pm completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `pm log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// An incident id (`2026-11-03-checkout-latency`) or a playbook type (`database`).
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Options shared by commands that read the records (from the working tree
/// or a commit) and their history.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Read records, pm.toml and templates from this commit (branch, tag or
    /// id) instead of the working tree, e.g. `--rev origin/main` in CI.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Fail (exit 2) when git history cannot be read (no repository, a
    /// shallow clone, a repository owned by another user) instead of warning.
    #[arg(long)]
    pub require_history: bool,
}

/// Options shared by commands that compute "today".
#[derive(Debug, Clone, Args)]
pub struct TodayArgs {
    /// The date overdue action items are measured against (YYYY-MM-DD).
    /// Default: `SOURCE_DATE_EPOCH`, else for `lint` the system clock, for
    /// `build` and `stats` the newest day the records mention.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// `pm lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Report only on these files or folders (default: every record).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report only on records changed since REV (committed, staged, unstaged
    /// or new), e.g. `origin/main` in a pull request. A change to pm.toml puts
    /// every record in scope.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Write the findings to FILE instead of the terminal (replaced if it
    /// exists; the summary line still goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Which level fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Allow a lint or group (repeatable).
    #[arg(short = 'A', long = "allow", value_name = "LINT")]
    pub allow: Vec<String>,

    /// Warn on a lint or group (repeatable).
    #[arg(short = 'W', long = "warn", value_name = "LINT")]
    pub warn: Vec<String>,

    /// Deny a lint or group (repeatable).
    #[arg(short = 'D', long = "deny", value_name = "LINT")]
    pub deny: Vec<String>,

    /// List every lint with its group and level, and exit.
    #[arg(long)]
    pub list: bool,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub source: SourceArgs,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub today: TodayArgs,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets, on stderr.
    Human,
    /// One JSON object per line (fields in docs/format.md).
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request, and
    /// a table in the job summary when `GITHUB_STEP_SUMMARY` is set.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitLab Code Quality JSON (`artifacts: reports: codequality`).
    Gitlab,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on errors only.
    Error,
    /// Fail on warnings too.
    Warning,
}

/// `pm build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder.
    #[arg(short, long, default_value = "public", value_name = "DIR")]
    pub output: PathBuf,

    /// Base URL the site is served from (overrides pm.toml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Include records with `draft = true`.
    #[arg(long)]
    pub drafts: bool,

    /// Replace the output folder even if pm did not create it.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub source: SourceArgs,

    #[command(flatten)]
    #[expect(missing_docs, reason = "flattened args are documented on their fields")]
    pub today: TodayArgs,
}

/// `pm serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Anything but loopback makes the preview
    /// visible to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub interface: std::net::IpAddr,

    /// The port to listen on (0: any free port).
    #[arg(short, long, default_value_t = 1111, value_name = "PORT")]
    pub port: u16,

    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,

    /// Include records with `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

/// `pm new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title (its id is `<date>-<slug of the title>`).
    #[arg(value_name = "TITLE", required_unless_present = "playbook")]
    pub title: Option<String>,

    /// Incident type (names `playbooks/<type>.md`).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,

    /// Severity (one of pm.toml's severities).
    #[arg(long, value_name = "SEV")]
    pub severity: Option<String>,

    /// The incident's date (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Create a bundle (`<id>/index.md`) so graphs and logs can sit beside it.
    #[arg(long)]
    pub bundle: bool,

    /// Start a live record: `status = "active"`, dated today, with a
    /// `detected` event now (`PM_NOW` stands in for the clock).
    #[arg(long, conflicts_with = "date")]
    pub now: bool,

    /// Scaffold `playbooks/<TYPE>.md` instead of an incident: pm's seed
    /// playbook for a common type (`pm init --playbooks` lists them), else a
    /// blank one.
    #[arg(long, value_name = "TYPE", conflicts_with_all = ["title", "kind", "severity", "date", "bundle", "now"])]
    pub playbook: Option<String>,
}

/// `pm init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the repository in (default: the current folder).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Scaffold into a non-empty folder (existing files are still never overwritten).
    #[arg(long)]
    pub force: bool,

    /// Only copy the built-in templates into `site-template/` of an existing
    /// repository, to customise them (files that exist are kept).
    #[arg(long, conflicts_with = "force")]
    pub templates: bool,

    /// Only write pm's seed playbooks (database, bad-deploy, dependency-outage,
    /// config-change, capacity, certificate-expiry, data-corruption, network)
    /// into `playbooks/`: starting points to adapt (files that exist are kept).
    #[arg(long, conflicts_with_all = ["force", "templates"])]
    pub playbooks: bool,
}

/// `pm explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The lint, schema check or milestone (`mitigate`, ...) to explain;
    /// without it, every lint is listed.
    #[arg(value_name = "LINT")]
    pub lint: Option<String>,
}

/// Parses the process's arguments. The error is clap's: a wrong command
/// line, or `--help`/`--version`, each with the text to print.
pub fn try_parse() -> Result<Cli, clap::Error> {
    <Cli as clap::Parser>::try_parse()
}

/// The command line's definition, for completion scripts and the manual.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
