//! `pm man`: the manual page.

use std::io::Write as _;
use std::path::Path;

use crate::EXIT_OK;
use crate::error::{Error, Result};

pub(crate) fn run() -> Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(crate::cli::command())
        .render(&mut out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}
