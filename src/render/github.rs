//! GitHub Actions workflow commands: one `::error` annotation per finding,
//! shown on the pull request's diff.

use std::io::{self, Write};

use ruff_source_file::LineIndex;

use super::{FileError, FileReport, Located};

/// Escapes a message for a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (file name, title) for a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    for error in errors {
        let (line, column) = error.line_column();
        writeln!(
            out,
            "::error title=CodeSight error,file={},line={line},col={column}::{}",
            escape_property(&error.path),
            escape_data(&error.message)
        )?;
    }
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for d in &file.diagnostics {
            let at = Located::new(&lines, &file.source, d.range);
            writeln!(
                out,
                "::error title={},file={},line={},col={},endLine={},endColumn={}::{}",
                escape_property(&format!("CodeSight {}", d.rule.code)),
                escape_property(&file.path),
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                escape_data(&format!("{} {}", d.rule.code, d.message))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
