//! JSON lines: one object per finding, as `pm lint --format json` prints.

use crate::diag::Diagnostics;

/// One JSON object per finding, one per line.
pub fn json_lines(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diags.items() {
        out.push_str(&crate::diag::render_json_line(d, &diags.sources));
        out.push('\n');
    }
    out
}
