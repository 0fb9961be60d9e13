//! `pm completions`: shell completion scripts.

use std::io::Write as _;
use std::path::Path;

use crate::EXIT_OK;
use crate::cli::*;
use crate::error::{Error, Result};

pub(crate) fn run(args: &CompletionsArgs) -> Result<u8> {
    let mut command = crate::cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "pm", &mut out);
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}
