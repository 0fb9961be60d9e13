//! The commands: one file per subcommand, each a thin function from its
//! arguments to an exit code, running the stages through
//! [`crate::pipeline`]. [`run`] picks the command and turns an error into
//! exit code 2. Files: `exit`, `repo` and `report` (used by the others), `event`
//! (also the record editing `import`, `new --now` and `status-update
//! --record` share), then one per command; `serve` is a folder of its own.

mod build;
mod completions;
mod event;
mod exit;
mod explain;
mod import;
mod init;
mod lint;
mod log;
mod man;
mod new;
mod playbook;
mod prompt;
mod repo;
mod report;
mod serve;
mod stats;
mod status_update;

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::pipeline::Ui;
pub use exit::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};

/// Runs a parsed command line and returns the process exit code. Meant to
/// be called once, by the binary, which exits right after: a command leaves
/// its data to the exit rather than free it (see `leave_to_exit`).
pub fn run(cli: Cli) -> ExitCode {
    let ui = Ui::new(&cli);
    let result = match &cli.command {
        Command::Lint(args) => lint::run(&cli, args, ui),
        Command::Build(args) => build::run(&cli, args, ui),
        Command::Serve(args) => serve::run(&cli, args, ui),
        Command::New(args) => new::run(&cli, args, ui),
        Command::Init(args) => init::run(args, ui),
        Command::Explain(args) => explain::run(&cli, args.lint.as_deref(), ui),
        Command::Log(args) => log::run(&cli, args),
        Command::Stats(args) => stats::run(&cli, args, ui),
        Command::Playbook(args) => playbook::run(&cli, args, ui),
        Command::Completions(args) => completions::run(args),
        Command::Man => man::run(),
        Command::StatusUpdate(args) => status_update::run(&cli, args, ui),
        Command::Event(args) => event::run(&cli, args, ui),
        Command::Import(args) => import::run(&cli, args, ui),
        Command::Prompt(args) => prompt::run(&cli, args, ui),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::from(EXIT_OK),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let prefix = if ui.color {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            };
            let _ = writeln!(err, "{prefix}: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
