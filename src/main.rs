//! The `pm` binary: parse the command line, run, exit with pm's status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match pm::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                pm::EXIT_FAILURE
            } else {
                pm::EXIT_OK
            };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    pm::run(cli)
}
