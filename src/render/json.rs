//! The JSON format: one array of findings sorted by path, line and column.
//! Other tools (and our own checks) read it, so its shape is kept stable.
//! A file that could not be read or parsed is a record of the same shape
//! with `"code": null` and `"name": null`, its message, and the position of
//! the error (line 1, column 1 when there is none). `json-lines` writes the
//! same records one per line.

use std::io::{self, Write};

use ruff_source_file::LineIndex;
use serde::Serialize;

use super::{FileError, FileReport, Located};

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: Option<&'static str>,
    name: Option<&'static str>,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    let findings = records(files, errors);
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

/// `json-lines`: one record per line.
pub fn render_lines(
    files: &[FileReport],
    errors: &[FileError],
    out: &mut dyn Write,
) -> io::Result<()> {
    for record in records(files, errors) {
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

fn records<'a>(files: &'a [FileReport], errors: &'a [FileError]) -> Vec<JsonFinding<'a>> {
    let mut findings = Vec::new();
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for d in &file.diagnostics {
            let at = Located::new(&lines, &file.source, d.range);
            findings.push(JsonFinding {
                code: Some(d.rule.code),
                name: Some(d.rule.name),
                message: &d.message,
                path: &file.path,
                line: at.line,
                column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| JsonFix {
                        title: &f.title,
                        applicability: f.applicability_name(),
                        edits: f
                            .edits
                            .iter()
                            .map(|e| {
                                let at = Located::new(&lines, &file.source, e.range());
                                JsonEdit {
                                    content: e.content().unwrap_or(""),
                                    line: at.line,
                                    column: at.column,
                                    end_line: at.end_line,
                                    end_column: at.end_column,
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    for error in errors {
        let (line, column) = error.line_column();
        findings.push(JsonFinding {
            code: None,
            name: None,
            message: &error.message,
            path: &error.path,
            line,
            column,
            end_line: line,
            end_column: column,
            fixes: Vec::new(),
        });
    }
    findings.sort_by(|a, b| {
        (a.path, a.line, a.column, a.code).cmp(&(b.path, b.line, b.column, b.code))
    });
    findings
}

use ruff_text_size::Ranged;
