//! `codesight rules` and `codesight explain`.

use std::io::Write;

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::cli::RulesFormat;
use crate::rules::{RULES, find};

// Output goes through `writeln!` with errors ignored: `codesight rules |
// head -3` ends quietly when the pipe closes.

pub fn list(format: RulesFormat) -> u8 {
    let mut out = std::io::stdout().lock();
    if format == RulesFormat::Json {
        let rules: Vec<serde_json::Value> = RULES
            .iter()
            .map(|rule| {
                let info = rule.info;
                serde_json::json!({
                    "code": info.code,
                    "name": info.name,
                    "summary": info.summary,
                    "fixes": {"safe": info.fixes.safe, "unsafe": info.fixes.unsafe_},
                    "explanation": info.documentation(),
                })
            })
            .collect();
        match serde_json::to_string_pretty(&rules) {
            Ok(text) => {
                let _ = writeln!(out, "{text}");
            }
            Err(err) => {
                say!("error: {err}");
                return EXIT_ERROR;
            }
        }
        return EXIT_CLEAN;
    }
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

pub fn explain(code: Option<&str>, all: bool) -> u8 {
    if all {
        let pages: Vec<String> = RULES.iter().map(|r| r.info.markdown_page()).collect();
        let _ = write!(std::io::stdout(), "{}", pages.join("\n"));
        return EXIT_CLEAN;
    }
    match code.and_then(find) {
        Some(rule) => {
            let _ = write!(std::io::stdout(), "{}", rule.info.markdown_page());
            EXIT_CLEAN
        }
        None => {
            say!(
                "error: unknown rule `{}` (see `codesight rules`)",
                code.unwrap_or_default()
            );
            EXIT_ERROR
        }
    }
}
