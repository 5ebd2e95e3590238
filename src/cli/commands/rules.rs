//! `codesight rules` and `codesight explain`.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::cli::RulesFormat;
use crate::rules::{RULES, find};

pub fn list(format: RulesFormat) -> u8 {
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
            Ok(text) => println!("{text}"),
            Err(err) => {
                eprintln!("error: {err}");
                return EXIT_ERROR;
            }
        }
        return EXIT_CLEAN;
    }
    println!("{:<7} {:<28} {:<13} summary", "code", "name", "fixes");
    for rule in RULES {
        let info = rule.info;
        println!(
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
        print!("{}", pages.join("\n"));
        return EXIT_CLEAN;
    }
    match code.and_then(find) {
        Some(rule) => {
            print!("{}", rule.info.markdown_page());
            EXIT_CLEAN
        }
        None => {
            eprintln!(
                "error: unknown rule `{}` (see `codesight rules`)",
                code.unwrap_or_default()
            );
            EXIT_ERROR
        }
    }
}
