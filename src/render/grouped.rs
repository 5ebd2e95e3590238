//! Findings grouped under their file: the path once, then one indented
//! `line:col CODE [*] message` per finding, a blank line between files.

use std::io::{self, Write};

use console::style;

use super::{Entry, FileError, FileReport, entries};

pub fn render(
    files: &[FileReport],
    errors: &[FileError],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut current: Option<String> = None;
    for entry in entries(files, errors) {
        if current.as_deref() != Some(entry.path()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}:", style(entry.path()).bold().underlined())?;
            current = Some(entry.path().to_string());
        }
        let (line, column) = entry.line_column();
        match entry {
            Entry::Finding { diagnostic, .. } => {
                let mark = if diagnostic.preferred_fix(unsafe_fixes).is_some() {
                    " [*]"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "  {line}:{column} {}{mark} {}",
                    style(diagnostic.rule.code).red().bold(),
                    diagnostic.message
                )?;
            }
            Entry::Error(error) => writeln!(
                out,
                "  {line}:{column} {} {}",
                style("error:").red().bold(),
                error.message
            )?,
        }
    }
    if current.is_some() {
        writeln!(out)?;
    }
    Ok(())
}
