//! What every machine format reads of a finding: its record (resolved
//! lines and columns, stable field order), and stable fingerprints.

use crate::diag::{Diagnostic, DiagnosticRecord, Diagnostics};

/// The records of every finding, in the sorted order of `diags`.
pub(super) fn records(diags: &Diagnostics) -> Vec<(&Diagnostic, DiagnosticRecord<'_>)> {
    diags
        .items()
        .iter()
        .map(|d| (d, DiagnosticRecord::new(d, &diags.sources)))
        .collect()
}

/// Whether the finding points into a file of the repository (not the
/// command line or another pseudo-file such as `<command line>`).
pub(super) fn has_file(record: &DiagnosticRecord<'_>) -> bool {
    !record.file.is_empty() && !record.file.starts_with('<')
}

/// The message with its help, as one text for formats with a single field.
pub(super) fn message_with_help(record: &DiagnosticRecord<'_>) -> String {
    match record.help {
        Some(help) => format!("{}\nhelp: {help}", record.message),
        None => record.message.to_owned(),
    }
}

/// Stable fingerprints: a hash of lint, file and message (not the line, so
/// an edit above a finding does not make it "new"), with a counter that
/// tells identical findings in one file apart.
pub(super) fn fingerprints(records: &[(&Diagnostic, DiagnosticRecord<'_>)]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<u64, u32>::new();
    records
        .iter()
        .map(|(_, r)| {
            let base = fnv1a(&[r.lint, r.file, r.message]);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            format!("{:016x}{:08x}", base, *n)
        })
        .collect()
}

/// FNV-1a, 64 bits, over parts separated by a zero byte: small, stable
/// across platforms and releases (unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a 64 of "a" is af63dc4c8601ec8c; our parts add a zero byte.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        h ^= u64::from(b'a');
        h = h.wrapping_mul(0x0100_0000_01b3);
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(&["a", "b"]), fnv1a(&["ab"]));
    }
}
