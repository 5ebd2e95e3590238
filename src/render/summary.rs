//! `codesight fix --summary FILE`: a Markdown pull-request body for an
//! automated migration: what was fixed per rule, each changed file, the
//! unsafe fixes a reviewer must read, and what is left.

use std::collections::BTreeMap;
use std::fmt::Write;

use ruff_source_file::LineIndex;

use super::{FileError, FileReport, Located};
use crate::fix::engine::AppliedFix;
use crate::rules::RULES;

/// One changed file and the fixes applied to it.
pub struct ChangedFile<'a> {
    pub path: &'a str,
    pub applied: &'a [AppliedFix],
}

pub fn render(changed: &[ChangedFile], remaining: &[FileReport]) -> String {
    render_with(changed, remaining, &[], false)
}

/// [`render`]; with `dry_run` (`fix --diff`) it says what *would* be applied.
/// `errors` (files that could not be read, parsed or written) get their
/// own section, so a bot's pull request says what it could not look at.
pub fn render_with(
    changed: &[ChangedFile],
    remaining: &[FileReport],
    errors: &[FileError],
    dry_run: bool,
) -> String {
    let mut md = String::new();
    let total: usize = changed.iter().map(|f| f.applied.len()).sum();
    let _ = writeln!(md, "## CodeSight: asyncio fixes\n");
    let _ = writeln!(
        md,
        "CodeSight {} {total} fix{} in {} file{}.\n",
        if dry_run { "would apply" } else { "applied" },
        if total == 1 { "" } else { "es" },
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    );

    let _ = writeln!(
        md,
        "### {}, by rule\n",
        if dry_run { "Would be fixed" } else { "Fixed" }
    );
    let _ = writeln!(md, "| rule | name | fixes | unsafe |");
    let _ = writeln!(md, "|---|---|---:|---:|");
    for rule in RULES {
        let of_rule: Vec<&AppliedFix> = changed
            .iter()
            .flat_map(|f| f.applied)
            .filter(|a| a.code == rule.info.code)
            .collect();
        if of_rule.is_empty() {
            continue;
        }
        let unsafe_count = of_rule.iter().filter(|a| !a.is_safe).count();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            rule.info.code,
            rule.info.name,
            of_rule.len(),
            unsafe_count
        );
    }

    let _ = writeln!(
        md,
        "\n### {}\n",
        if dry_run {
            "Files that would change"
        } else {
            "Changed files"
        }
    );
    for file in changed {
        let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for a in file.applied {
            *per_rule.entry(a.code).or_default() += 1;
        }
        let rules: Vec<String> = per_rule
            .iter()
            .map(|(code, n)| format!("{code} ×{n}"))
            .collect();
        let _ = writeln!(md, "- `{}`: {}", file.path, rules.join(", "));
    }

    let _ = writeln!(md, "\n### Needs a reviewer's eye\n");
    let unsafe_fixes: Vec<(&str, &AppliedFix)> = changed
        .iter()
        .flat_map(|f| f.applied.iter().map(move |a| (f.path, a)))
        .filter(|(_, a)| !a.is_safe)
        .collect();
    if unsafe_fixes.is_empty() {
        let _ = writeln!(
            md,
            "Nothing: every fix {} safe (behaviour-preserving).",
            if dry_run { "is" } else { "applied is" }
        );
    } else {
        let _ = writeln!(
            md,
            "These fixes are unsafe: they may change behaviour (timing, error propagation). Read each one:\n"
        );
        for (path, fix) in unsafe_fixes {
            let _ = writeln!(md, "- [ ] `{path}`: {} {}", fix.code, fix.title);
        }
    }

    let left: usize = remaining.iter().map(|r| r.diagnostics.len()).sum();
    let _ = writeln!(
        md,
        "\n### {}\n",
        if dry_run {
            "Would not be fixed"
        } else {
            "Not fixed"
        }
    );
    if left == 0 {
        let _ = writeln!(md, "Nothing: no findings remain.");
    } else {
        let _ = writeln!(
            md,
            "{left} finding{} remain{} and need a person:\n",
            if left == 1 { "" } else { "s" },
            if left == 1 { "s" } else { "" }
        );
        for report in remaining {
            let lines = LineIndex::from_source_text(&report.source);
            for d in &report.diagnostics {
                let at = Located::new(&lines, &report.source, d.range);
                let _ = writeln!(
                    md,
                    "- `{}:{}:{}` {} {}",
                    report.path, at.line, at.column, d.rule.code, d.message
                );
            }
        }
    }
    if !errors.is_empty() {
        let _ = writeln!(md, "\n### Could not be checked\n");
        for error in errors {
            let _ = writeln!(md, "- `{}`: {}", error.path, error.message);
        }
    }
    md
}

/// `--summary-format json`: the same facts for bots that write their own text.
pub fn render_json(
    changed: &[ChangedFile],
    remaining: &[FileReport],
    errors: &[FileError],
    dry_run: bool,
) -> String {
    use serde_json::json;
    let files: Vec<_> = changed
        .iter()
        .map(|file| {
            json!({
                "path": file.path,
                "fixes": file.applied.iter().map(|a| json!({
                    "code": a.code,
                    "title": a.title,
                    "applicability": if a.is_safe { "safe" } else { "unsafe" },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut left = Vec::new();
    for report in remaining {
        let lines = LineIndex::from_source_text(&report.source);
        for d in &report.diagnostics {
            let at = Located::new(&lines, &report.source, d.range);
            left.push(json!({
                "path": report.path, "line": at.line, "column": at.column,
                "code": d.rule.code, "message": d.message,
            }));
        }
    }
    let applied: usize = changed.iter().map(|f| f.applied.len()).sum();
    let unsafe_count = changed
        .iter()
        .flat_map(|f| f.applied)
        .filter(|a| !a.is_safe)
        .count();
    let summary = json!({
        "dry_run": dry_run,
        "fixes_applied": applied,
        "unsafe_fixes_applied": unsafe_count,
        "files_changed": changed.len(),
        "remaining": left.len(),
        "files": files,
        "not_fixed": left,
        "errors": errors.iter().map(|e| json!({"path": e.path, "message": e.message})).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&summary).unwrap_or_default();
    text.push('\n');
    text
}
