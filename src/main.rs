//! The `pm` binary: parse the command line, run, exit with pm's status.

/// mimalloc instead of the system allocator: pm allocates many small strings
/// (TOML values, template values, HTML fragments) across threads, and glibc's
/// malloc was about a third of all CPU time in the profiles of
/// docs/performance.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = match pm::cli::try_parse() {
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
