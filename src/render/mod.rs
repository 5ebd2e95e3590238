//! Turning findings into output. Each format has its own module; they share
//! [`FileReport`] and [`Located`] positions.

pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod grouped;
pub mod json;
pub mod junit;
pub mod pylint;
pub mod rdjson;
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

impl FileError {
    /// The 1-based line and column the error points at, when it names one
    /// (a syntax error's `(line L, column C)`, an encoding error's
    /// `on line L`); machine formats attach it to the record.
    pub fn location(&self) -> Option<(usize, usize)> {
        let number = |text: &str| -> Option<usize> {
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        };
        if let Some(at) = self.message.rfind("(line ") {
            let rest = &self.message[at + "(line ".len()..];
            let line = number(rest)?;
            let column = rest
                .find("column ")
                .and_then(|c| number(&rest[c + "column ".len()..]))
                .unwrap_or(1);
            return Some((line, column));
        }
        if let Some(at) = self.message.find("on line ") {
            return Some((number(&self.message[at + "on line ".len()..])?, 1));
        }
        None
    }

    /// [`Self::location`], or the start of the file.
    pub fn line_column(&self) -> (usize, usize) {
        self.location().unwrap_or((1, 1))
    }
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
    /// One JSON object per line (the elements of `json`).
    JsonLines,
    /// Reviewdog Diagnostic Format: fixes become suggested changes on a pull request.
    Rdjson,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML: one test case per finding.
    Junit,
    /// Pylint's parseable format: `path:line: [CODE] message`.
    Pylint,
    /// Findings grouped under their file.
    Grouped,
}

impl OutputFormat {
    /// Formats meant for people, which get summary lines.
    pub fn is_human(self) -> bool {
        matches!(
            self,
            OutputFormat::Text | OutputFormat::Concise | OutputFormat::Grouped
        )
    }

    /// Formats that carry errors themselves (the others leave them to stderr).
    pub fn reports_errors(self) -> bool {
        !matches!(self, OutputFormat::Text | OutputFormat::Concise)
    }
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

/// Writes `files`' findings, and in the formats that carry them the
/// `errors` (files that could not be read or parsed), in `format`.
pub fn render(
    format: OutputFormat,
    files: &[FileReport],
    errors: &[FileError],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::render(files, unsafe_fixes, out),
        OutputFormat::Concise => concise::render(files, unsafe_fixes, out),
        OutputFormat::Json => json::render(files, errors, out),
        OutputFormat::JsonLines => json::render_lines(files, errors, out),
        OutputFormat::Sarif => sarif::render(files, errors, out),
        OutputFormat::Github => github::render(files, errors, out),
        OutputFormat::Rdjson => rdjson::render(files, errors, unsafe_fixes, out),
        OutputFormat::Gitlab => gitlab::render(files, errors, out),
        OutputFormat::Junit => junit::render(files, errors, out),
        OutputFormat::Pylint => pylint::render(files, errors, out),
        OutputFormat::Grouped => grouped::render(files, errors, unsafe_fixes, out),
    }
}

/// The findings and errors of a run as one list, sorted by path, line and
/// column: what the line-oriented machine formats walk.
pub enum Entry<'a> {
    Finding {
        file: &'a FileReport,
        diagnostic: &'a Diagnostic,
        at: Located,
    },
    Error(&'a FileError),
}

impl Entry<'_> {
    pub fn path(&self) -> &str {
        match self {
            Entry::Finding { file, .. } => &file.path,
            Entry::Error(error) => &error.path,
        }
    }

    pub fn line_column(&self) -> (usize, usize) {
        match self {
            Entry::Finding { at, .. } => (at.line, at.column),
            Entry::Error(error) => error.line_column(),
        }
    }
}

pub fn entries<'a>(files: &'a [FileReport], errors: &'a [FileError]) -> Vec<Entry<'a>> {
    let mut entries = Vec::new();
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for diagnostic in &file.diagnostics {
            entries.push(Entry::Finding {
                file,
                diagnostic,
                at: Located::new(&lines, &file.source, diagnostic.range),
            });
        }
    }
    entries.extend(errors.iter().map(Entry::Error));
    entries.sort_by(|a, b| (a.path(), a.line_column()).cmp(&(b.path(), b.line_column())));
    entries
}
