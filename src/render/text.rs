//! Human-readable findings: a header line, the source excerpt with the span
//! marked, and the fix on offer.

use std::io::{self, Write};

use console::style;
use ruff_source_file::{LineIndex, OneIndexed};

use super::{FileReport, Located};
use crate::diagnostic::Diagnostic;

pub fn render(files: &[FileReport], unsafe_fixes: bool, out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for diagnostic in &file.diagnostics {
            render_one(file, &lines, diagnostic, unsafe_fixes, out)?;
        }
    }
    Ok(())
}

fn render_one(
    file: &FileReport,
    lines: &LineIndex,
    diagnostic: &Diagnostic,
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let at = Located::new(lines, &file.source, diagnostic.range);
    writeln!(
        out,
        "{}:{}:{}: {} {}",
        style(&file.path).bold(),
        at.line,
        at.column,
        style(diagnostic.rule.code).red().bold(),
        diagnostic.message
    )?;
    let gutter = at.end_line.to_string().len();
    writeln!(out, "{:gutter$} |", "")?;
    for line_number in at.line..=at.end_line {
        let line_text = line_at(&file.source, lines, line_number);
        writeln!(out, "{line_number:>gutter$} | {line_text}")?;
        let width = line_text.chars().count();
        let from = if line_number == at.line {
            at.column - 1
        } else {
            0
        };
        let to = if line_number == at.end_line {
            at.end_column - 1
        } else {
            width
        };
        // Keep tabs so the markers line up with the source above.
        let pad: String = line_text
            .chars()
            .take(from)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let marks = "^".repeat(to.saturating_sub(from).max(1));
        writeln!(out, "{:gutter$} | {pad}{}", "", style(marks).red())?;
    }
    for (i, fix) in diagnostic.fixes.iter().enumerate() {
        let label = if diagnostic.fixes.len() > 1 {
            format!("help ({})", i + 1)
        } else {
            "help".to_string()
        };
        let availability = if fix.is_safe() {
            "safe fix".to_string()
        } else if unsafe_fixes {
            "unsafe fix".to_string()
        } else {
            "unsafe fix, available with --unsafe-fixes".to_string()
        };
        writeln!(
            out,
            "{:gutter$} = {label}: {} ({availability})",
            "", fix.title
        )?;
    }
    writeln!(out)
}

fn line_at<'s>(source: &'s str, lines: &LineIndex, line: usize) -> &'s str {
    let range = lines.line_range(OneIndexed::new(line).unwrap_or(OneIndexed::MIN), source);
    source[range]
        .trim_end_matches(['\n', '\r'])
        .trim_start_matches('\u{feff}')
}
