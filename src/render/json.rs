//! The JSON format: one array of findings sorted by path, line and column.
//! Other tools (and our own checks) read it, so its shape is kept stable.

use std::io::{self, Write};

use ruff_source_file::LineIndex;
use serde::Serialize;

use super::{FileReport, Located};

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
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

pub fn render(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut findings = Vec::new();
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for d in &file.diagnostics {
            let at = Located::new(&lines, &file.source, d.range);
            findings.push(JsonFinding {
                code: d.rule.code,
                name: d.rule.name,
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
    findings.sort_by(|a, b| {
        (a.path, a.line, a.column, a.code).cmp(&(b.path, b.line, b.column, b.code))
    });
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}

use ruff_text_size::Ranged;
