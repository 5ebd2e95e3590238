//! `codesight rules` and `codesight explain`.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::rules::{RULES, find};

pub fn list() -> u8 {
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

pub fn explain(code: &str) -> u8 {
    match find(code) {
        Some(rule) => {
            print!("{}", rule.info.markdown_page());
            EXIT_CLEAN
        }
        None => {
            eprintln!("error: unknown rule `{code}` (see `codesight rules`)");
            EXIT_ERROR
        }
    }
}
