//! `--statistics`: how many findings each rule produced, and how many of
//! them `codesight fix` can fix. A table for people; with `json` or
//! `json-lines` output, a JSON array (or lines) of
//! `{"code", "name", "count", "fixable"}`.

use std::io::{self, Write};

use serde_json::json;

use super::{FileReport, OutputFormat};
use crate::rules::RULES;

pub fn render(
    files: &[FileReport],
    unsafe_fixes: bool,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rows = Vec::new();
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
        rows.push((rule.info, findings.len(), fixable));
    }
    let record = |(info, count, fixable): &(&crate::rules::rule::RuleInfo, usize, usize)| json!({"code": info.code, "name": info.name, "count": count, "fixable": fixable});
    match format {
        OutputFormat::Json => {
            let all: Vec<_> = rows.iter().map(record).collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)
        }
        OutputFormat::JsonLines => {
            for row in &rows {
                serde_json::to_writer(&mut *out, &record(row))?;
                writeln!(out)?;
            }
            Ok(())
        }
        _ => {
            for (info, count, fixable) in rows {
                writeln!(
                    out,
                    "{:>5}  {}  {:<28} {} fixable",
                    count, info.code, info.name, fixable
                )?;
            }
            Ok(())
        }
    }
}
