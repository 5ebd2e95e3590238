//! Analysing one source text: parse, build the semantic model, run the
//! enabled rules and drop suppressed findings.

pub mod nesting;
pub mod prefilter;
pub mod project;
pub mod suppression;
pub mod workers;

use std::path::Path;
use std::sync::OnceLock;

use ruff_python_parser::parse_module;
use ruff_source_file::LineIndex;

use ruff_text_size::TextSize;

use crate::checker::Checker;
use crate::diagnostic::Diagnostic;

use crate::analysis::suppression::Suppressions;
use crate::config::settings::Settings;
use crate::rules::RULES;

pub use prefilter::{applicable_rules, may_have_findings};

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
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

pub use workers::{WORKER_STACK, configure_workers, max_depth};

/// The largest file analysed, in bytes: 64 MiB, over six times the largest
/// source file in the test corpora's popular packages, and well below the
/// 4 GiB the parser's offsets can address. A larger file is reported and
/// skipped (see `io::source`).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Whether `source` parses as a Python module (and is shallow enough to
/// analyse).
pub fn parses(source: &str) -> bool {
    let limit = max_depth();
    !(nesting::needs_scan(source, limit) && nesting::exceeds(source, limit).is_some())
        && parse_module(source).is_ok()
}

/// Runs every enabled rule on `source`. Findings come back sorted by
/// position, with suppressed ones removed.
pub fn analyze(
    path: &Path,
    source: &str,
    settings: &Settings,
) -> Result<Vec<Diagnostic>, SyntaxError> {
    analyze_source(path, source, settings, false)
}

/// [`analyze`], and with `always_parse` the source is parsed (and a syntax
/// error reported) even when no rule applies to it: the fix engine uses
/// this to check each pass's result and analyse it in one parse.
pub fn analyze_source(
    path: &Path,
    source: &str,
    settings: &Settings,
    always_parse: bool,
) -> Result<Vec<Diagnostic>, SyntaxError> {
    let mut applies = applicable_rules(source, |i| settings.rules.is_enabled(RULES[i].info));
    // A rule that looks into the project's other modules also applies to a
    // file that names something the project index knows.
    for (applies, rule) in applies.iter_mut().zip(RULES) {
        if !*applies
            && rule.prefilter.project_index
            && settings.rules.is_enabled(rule.info)
            && settings.project.is_named_in(source)
        {
            *applies = true;
        }
    }
    let enabled: Vec<_> = RULES
        .iter()
        .zip(applies)
        .filter(|(_, applies)| *applies)
        .map(|(rule, _)| rule)
        .collect();
    if enabled.is_empty() && !always_parse {
        return Ok(Vec::new());
    }
    injected_panic(source);
    if source.len() as u64 > MAX_FILE_SIZE {
        return Err(SyntaxError {
            line: 1,
            column: 1,
            message: format!(
                "file is too large to analyse ({} MiB; the limit is {} MiB)",
                source.len() / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            ),
        });
    }
    let lines = LineIndex::from_source_text(source);
    let limit = max_depth();
    let too_deep = if nesting::needs_scan(source, limit) {
        nesting::exceeds(source, limit)
    } else {
        None
    };
    if let Some((depth, offset)) = too_deep {
        let location = lines.line_column(TextSize::try_from(offset).unwrap_or_default(), source);
        return Err(SyntaxError {
            line: location.line.get(),
            column: location.column.get(),
            message: format!(
                "code nests too deeply to analyse safely (more than {depth} levels; the limit is {limit})"
            ),
        });
    }
    let parsed = parse_module(source).map_err(|err| {
        let location = lines.line_column(err.location.start(), source);
        SyntaxError {
            line: location.line.get(),
            column: location.column.get(),
            message: format!("syntax error: {}", err.error),
        }
    })?;
    if enabled.is_empty() {
        return Ok(Vec::new());
    }
    let suppressions = Suppressions::from_tokens(parsed.tokens(), source, &lines);
    if suppressions.is_file_ignored() {
        return Ok(Vec::new());
    }
    let checker = Checker::new(path, source, &parsed, &lines, settings);
    let mut diagnostics = Vec::new();
    for rule in enabled {
        (rule.check)(&checker, &mut diagnostics);
    }
    diagnostics.retain(|d| {
        let line = lines.line_index(d.range.start()).get();
        !suppressions.is_suppressed_with_peers(d.rule.code, line, settings.honour_peer_noqa)
    });
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.rule.code, &a.message).cmp(&(b.range.start(), b.rule.code, &b.message))
    });
    diagnostics.dedup_by(|a, b| {
        a.range == b.range && a.rule.code == b.rule.code && a.message == b.message
    });
    Ok(diagnostics)
}

/// A testing hook: with `CODESIGHT_PANIC_ON=TEXT` in the environment,
/// analysing a source that contains TEXT panics, as a rule bug would. The
/// tests use it to check that one file's panic becomes that file's error
/// (see `cli::guard`).
fn injected_panic(source: &str) {
    static MARKER: OnceLock<Option<String>> = OnceLock::new();
    let marker = MARKER.get_or_init(|| {
        std::env::var("CODESIGHT_PANIC_ON")
            .ok()
            .filter(|m| !m.is_empty())
    });
    if let Some(marker) = marker
        && source.contains(marker.as_str())
    {
        panic!("CODESIGHT_PANIC_ON: the source contains {marker:?}");
    }
}
