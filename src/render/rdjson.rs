//! Reviewdog Diagnostic Format (rdjson): `reviewdog -f=rdjson` posts each
//! finding as a review comment on a pull request, and the edits of its
//! preferred fix as a suggested change the author can commit with a click.
//! Positions are 1-based; columns count UTF-8 bytes, as the format asks.

use std::io::{self, Write};

use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};
use serde_json::{Value, json};

use super::{FileError, FileReport};

fn position(lines: &LineIndex, source: &str, offset: TextSize) -> Value {
    let line = lines.line_index(offset);
    let start = lines.line_start(line, source);
    json!({"line": line.get(), "column": (offset - start).to_usize() + 1})
}

fn range(lines: &LineIndex, source: &str, range: TextRange) -> Value {
    json!({
        "start": position(lines, source, range.start()),
        "end": position(lines, source, range.end()),
    })
}

pub fn render(
    files: &[FileReport],
    errors: &[FileError],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        for d in &file.diagnostics {
            let mut diagnostic = json!({
                "message": d.message,
                "location": {"path": file.path, "range": range(&lines, &file.source, d.range)},
                "severity": "ERROR",
                "code": {"value": d.rule.code},
            });
            if let Some(fix) = d.preferred_fix(unsafe_fixes) {
                diagnostic["suggestions"] = Value::Array(
                    fix.edits
                        .iter()
                        .map(|e| {
                            json!({
                                "range": range(&lines, &file.source, e.range()),
                                "text": e.content().unwrap_or(""),
                            })
                        })
                        .collect(),
                );
            }
            diagnostics.push(diagnostic);
        }
    }
    for error in errors {
        let (line, column) = error.line_column();
        diagnostics.push(json!({
            "message": error.message,
            "location": {"path": error.path, "range": {"start": {"line": line, "column": column}}},
            "severity": "ERROR",
        }));
    }
    let result = json!({
        "source": {"name": "codesight"},
        "severity": "ERROR",
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &result)?;
    writeln!(out)
}
