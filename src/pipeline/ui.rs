//! How pm talks to the person running it: colour, quiet and verbose
//! levels, progress lines, all on stderr. Decided once from the command line
//! and the environment (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `CI`).

use std::io::{IsTerminal, Write};

use std::path::Path;

use crate::cli::{Cli, ColorChoice};
use crate::diag;

/// How to talk to the user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ui {
    pub(crate) color: bool,
    pub(crate) quiet: bool,
    pub(crate) verbose: u8,
    pub(crate) progress: bool,
}

impl Ui {
    pub(crate) fn new(cli: &Cli) -> Ui {
        let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("CLICOLOR").is_ok_and(|v| v == "0");
        let env_force = std::env::var("CLICOLOR_FORCE").is_ok_and(|v| !v.is_empty() && v != "0");
        let tty = std::io::stderr().is_terminal();
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env_force || (tty && !env_off),
        };
        Ui {
            color,
            quiet: cli.quiet,
            verbose: cli.verbose,
            progress: tty && !cli.quiet && std::env::var_os("CI").is_none(),
        }
    }

    /// A status line on stderr, unless quiet.
    pub(crate) fn status(&self, message: &str) {
        if !self.quiet {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{message}");
        }
    }
}

/// A path as pm prints it in messages: control characters in a file or
/// folder name are written as escapes, so it cannot drive the terminal.
pub(crate) fn shown(path: &Path) -> String {
    diag::printable(&path.to_string_lossy()).into_owned()
}
