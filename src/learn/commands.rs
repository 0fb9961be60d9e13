//! The shell commands a postmortem quotes: which code blocks hold one, and
//! the label its lead sentence gives it. Uses nothing else of `learn/`.

use crate::markdown::CodeBlock;

/// Info strings of code blocks that hold commands to run, whole.
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh"];
/// Info strings of terminal sessions: only the `$ ` lines are commands.
const SESSION_LANGS: &[&str] = &["console", "shell-session", ""];

/// The command a code block holds: a `sh`/`bash`/`shell`/`zsh` block whole
/// (a leading `$ ` prompt dropped from each line), or the `$ ` lines of a
/// `console` block or a block without a language (the rest is output, logs
/// or a stack trace, and is left out). Other languages (`sql`, `text`,
/// `diff`) are not commands to paste into a shell.
pub fn command_of(block: &CodeBlock) -> Option<String> {
    let lang = block.lang.as_str();
    let lines: Vec<String> = if SHELL_LANGS.contains(&lang) {
        block
            .literal
            .lines()
            .map(|l| l.strip_prefix("$ ").unwrap_or(l).trim_end().to_owned())
            .collect()
    } else if SESSION_LANGS.contains(&lang) {
        block
            .literal
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("$ "))
            .map(|l| l.trim_end().to_owned())
            .collect()
    } else {
        return None;
    };
    let text = lines.join("\n").trim_matches('\n').to_owned();
    (!text.trim().is_empty()).then_some(text)
}

/// A label for a command from the sentence that introduces it: the lead
/// paragraph's last sentence, without its colon and Markdown code marks.
pub(super) fn label_from_lead(lead: &str) -> Option<String> {
    let lead = lead
        .replace('`', "")
        .trim()
        .trim_end_matches([':', '.', ' '])
        .to_owned();
    let start = [". ", "? ", "! "]
        .iter()
        .filter_map(|sep| lead.rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let sentence = lead.get(start..).unwrap_or("").trim();
    if sentence.is_empty() {
        return None;
    }
    const MAX: usize = 120;
    if sentence.chars().count() <= MAX {
        return Some(sentence.to_owned());
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ' '])))
}
