//! One line per finding: `path:line:col: CODE [*] message`, where `[*]`
//! marks a finding `codesight fix` can fix at the chosen safety level.

use std::io::{self, Write};

use ruff_source_file::LineIndex;

use super::{FileReport, Located};

pub fn render(files: &[FileReport], unsafe_fixes: bool, out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for d in &file.diagnostics {
            let at = Located::new(&lines, &file.source, d.range);
            let mark = if d.preferred_fix(unsafe_fixes).is_some() {
                " [*]"
            } else {
                ""
            };
            writeln!(
                out,
                "{}:{}:{}: {}{} {}",
                file.path, at.line, at.column, d.rule.code, mark, d.message
            )?;
        }
    }
    Ok(())
}
