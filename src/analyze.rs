//! Analysing one source text: parse, build the semantic model, run the
//! enabled rules and drop suppressed findings.

use std::path::Path;

use ruff_python_parser::parse_module;
use ruff_source_file::LineIndex;

use crate::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::rules::RULES;
use crate::settings::Settings;
use crate::suppression::Suppressions;

/// The source is not valid Python.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "syntax error at {}:{}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Whether `source` parses as a Python module.
pub fn parses(source: &str) -> bool {
    parse_module(source).is_ok()
}

/// Runs every enabled rule on `source`. Findings come back sorted by
/// position, with suppressed ones removed.
pub fn analyze(
    path: &Path,
    source: &str,
    settings: &Settings,
) -> Result<Vec<Diagnostic>, SyntaxError> {
    let lines = LineIndex::from_source_text(source);
    let parsed = parse_module(source).map_err(|err| {
        let location = lines.line_column(err.location.start(), source);
        SyntaxError {
            line: location.line.get(),
            column: location.column.get(),
            message: err.error.to_string(),
        }
    })?;
    let suppressions = Suppressions::from_tokens(parsed.tokens(), source, &lines);
    if suppressions.is_file_ignored() {
        return Ok(Vec::new());
    }
    let checker = Checker::new(path, source, &parsed, &lines, settings);
    let mut diagnostics = Vec::new();
    for rule in RULES.iter().filter(|r| settings.rules.is_enabled(r.info)) {
        (rule.check)(&checker, &mut diagnostics);
    }
    diagnostics.retain(|d| {
        let line = lines.line_index(d.range.start()).get();
        !suppressions.is_suppressed(d.rule.code, line)
    });
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.rule.code, &a.message).cmp(&(b.range.start(), b.rule.code, &b.message))
    });
    diagnostics.dedup_by(|a, b| {
        a.range == b.range && a.rule.code == b.rule.code && a.message == b.message
    });
    Ok(diagnostics)
}
