//! Turning findings into output. Each format has its own module; they share
//! [`FileReport`] and [`Located`] positions.

pub mod concise;
pub mod diff;
pub mod github;
pub mod json;
pub mod sarif;
pub mod statistics;
pub mod summary;
pub mod text;

use std::io::{self, Write};
use std::path::Path;

use clap::ValueEnum;
use ruff_source_file::LineIndex;
use ruff_text_size::TextRange;

use crate::diagnostic::Diagnostic;

/// The findings of one file, with the text they were computed on.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that could not be checked or fixed, and why.
#[derive(Debug, Clone)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Each finding with its source excerpt and fix.
    Text,
    /// One line per finding.
    Concise,
    /// A JSON array of findings (stable; see the README).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other dashboards).
    Sarif,
    /// GitHub Actions annotations (`::error` workflow commands).
    Github,
}

/// 1-based line and character column of a range's start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Located {
    pub fn new(lines: &LineIndex, source: &str, range: TextRange) -> Self {
        let start = lines.line_column(range.start(), source);
        let end = lines.line_column(range.end(), source);
        Located {
            line: start.line.get(),
            column: start.column.get(),
            end_line: end.line.get(),
            end_column: end.column.get(),
        }
    }
}

/// A path as shown to users: as given, without a leading `./`, with `/`.
pub fn display_path(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => shown,
    }
}

pub fn render(
    format: OutputFormat,
    files: &[FileReport],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::render(files, unsafe_fixes, out),
        OutputFormat::Concise => concise::render(files, unsafe_fixes, out),
        OutputFormat::Json => json::render(files, out),
        OutputFormat::Sarif => sarif::render(files, out),
        OutputFormat::Github => github::render(files, out),
    }
}
