//! `--statistics`: how many findings each rule produced, and how many of
//! them `codesight fix` can fix.

use std::io::{self, Write};

use super::FileReport;
use crate::rules::RULES;

pub fn render(files: &[FileReport], unsafe_fixes: bool, out: &mut dyn Write) -> io::Result<()> {
    for rule in RULES {
        let findings: Vec<_> = files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.rule.code == rule.info.code)
            .collect();
        if findings.is_empty() {
            continue;
        }
        let fixable = findings
            .iter()
            .filter(|d| d.preferred_fix(unsafe_fixes).is_some())
            .count();
        writeln!(
            out,
            "{:>5}  {}  {:<28} {} fixable",
            findings.len(),
            rule.info.code,
            rule.info.name,
            fixable
        )?;
    }
    Ok(())
}
