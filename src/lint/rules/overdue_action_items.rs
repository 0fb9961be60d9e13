//! `overdue_action_items`: an open action item past its due date.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding, open_actions};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "overdue_action_items",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "an open action item is past its due date",
    explanation: "### What it does\nFinds open or in-progress action items whose `due` date is before today. \
\"Today\" is `--today`, else `SOURCE_DATE_EPOCH`, else the system clock in `pm lint` and the newest day the records mention in `pm build`.\n\n### Why is this bad\nOverdue \
follow-ups are how the same incident happens twice. The lint keeps them visible in every review until they are \
done, re-dated or dropped with `status = \"wont-do\"`.\n\n### Example\n```toml\n[[actions]]\nkind = \"prevention\"\n\
text = \"Rotate certificates with cert-manager\"\nowner = \"platform\"\ndue = 2026-10-01\nstatus = \"done\"\n\
closed = 2026-09-28\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for (incident, action) in open_actions(cx) {
        let Some(due) = action.due.filter(|d| *d < cx.today) else {
            continue;
        };
        out.push(
            incident_finding(incident, format!("action item was due {due} and is still {}", action.status.as_str()))
                .at(action.span.clone())
                .help("finish it and set `status = \"done\"` with `closed = <date>`, move `due`, or set `status = \"wont-do\"`"),
        );
    }
}
