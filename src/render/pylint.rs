//! Pylint's parseable format, which many editors and CI log parsers read:
//! `path:line: [CODE] message`. Errors read `path:line: [error] message`.

use std::io::{self, Write};

use super::{Entry, FileError, FileReport, entries};

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    for entry in entries(files, errors) {
        match entry {
            Entry::Finding {
                file,
                diagnostic,
                at,
            } => writeln!(
                out,
                "{}:{}: [{}] {}",
                file.path, at.line, diagnostic.rule.code, diagnostic.message
            )?,
            Entry::Error(error) => writeln!(
                out,
                "{}:{}: [error] {}",
                error.path,
                error.line_column().0,
                error.message
            )?,
        }
    }
    Ok(())
}
