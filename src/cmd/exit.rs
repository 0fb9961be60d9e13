//! How a command ends: its exit code, and the data it leaves to the process
//! exit instead of freeing it.

/// Exit code: success (warnings allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code: errors found in records.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: pm could not run.
pub const EXIT_FAILURE: u8 = 2;

/// Lets go of a command's data without freeing it piece by piece, because
/// the process exits next and the OS takes the memory back at once. Records,
/// analyses and findings are millions of small allocations: at 10,000
/// records freeing them took about a tenth of `pm lint`'s time. Only for
/// what a command of `cmd::run` holds at its very end.
pub(crate) fn leave_to_exit<T>(data: T) {
    std::mem::forget(data);
}
