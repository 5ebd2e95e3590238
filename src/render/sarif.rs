//! SARIF 2.1.0, the format GitHub code scanning and other dashboards read:
//! the rules with their documentation, each finding's location, and its
//! fixes as replacements.

use std::io::{self, Write};

use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange};
use serde_json::{Value, json};

use super::{FileError, FileReport, Located};
use crate::rules::RULES;

fn region(lines: &LineIndex, source: &str, range: TextRange) -> Value {
    let at = Located::new(lines, source, range);
    json!({
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
    })
}

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    // Files that could not be read or parsed: tool execution notifications
    // of the run's invocation, so dashboards show them next to the results.
    let notifications: Vec<Value> = errors
        .iter()
        .map(|error| {
            let (line, column) = error.line_column();
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", error.path, error.message)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": error.path},
                        "region": {"startLine": line, "startColumn": column},
                    }
                }],
            })
        })
        .collect();
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let info = r.info;
            json!({
                "id": info.code,
                "name": info.name,
                "shortDescription": {"text": info.summary},
                "fullDescription": {"text": info.documentation()},
                "help": {"text": info.documentation(), "markdown": info.documentation()},
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let lines = LineIndex::from_source_text(&file.source);
        let artifact = json!({"uri": file.path});
        for d in &file.diagnostics {
            let rule_index = RULES.iter().position(|r| r.info.code == d.rule.code);
            let fixes: Vec<Value> = d
                .fixes
                .iter()
                .map(|fix| {
                    let replacements: Vec<Value> = fix
                        .edits
                        .iter()
                        .map(|e| {
                            json!({
                                "deletedRegion": region(&lines, &file.source, e.range()),
                                "insertedContent": {"text": e.content().unwrap_or("")},
                            })
                        })
                        .collect();
                    json!({
                        "description": {"text": format!("{} ({} fix)", fix.title, fix.applicability_name())},
                        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.rule.code,
                "level": "error",
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(&lines, &file.source, d.range),
                    }
                }],
            });
            if let Some(index) = rule_index {
                result["ruleIndex"] = json!(index);
            }
            if !fixes.is_empty() {
                result["fixes"] = Value::Array(fixes);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "codesight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
