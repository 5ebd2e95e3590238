//! `codesight rules` and `codesight explain`.

use std::io::Write;

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::rules::{RULES, find};

// Output goes through `writeln!` with errors ignored: `codesight rules |
// head -3` ends quietly when the pipe closes.

pub fn list() -> u8 {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{:<7} {:<28} {:<13} summary", "code", "name", "fixes");
    for rule in RULES {
        let info = rule.info;
        let _ = writeln!(
            out,
            "{:<7} {:<28} {:<13} {}",
            info.code,
            info.name,
            info.fixes.describe(),
            info.summary
        );
    }
    EXIT_CLEAN
}

pub fn explain(code: &str) -> u8 {
    match find(code) {
        Some(rule) => {
            let _ = write!(std::io::stdout(), "{}", rule.info.markdown_page());
            EXIT_CLEAN
        }
        None => {
            say!("error: unknown rule `{code}` (see `codesight rules`)");
            EXIT_ERROR
        }
    }
}
