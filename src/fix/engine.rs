//! Applying fixes to a source text.
//!
//! Fixing runs in passes: analyse, take the preferred fix of every finding,
//! apply the ones that do not overlap a fix already taken, and check that the
//! result still parses. Fixes that were left out because of an overlap get
//! their turn in the next pass, on the updated text. It stops when a pass
//! has nothing left to apply, or fails after [`MAX_PASSES`]. A fix whose
//! result does not parse is dropped (and reported), never written. Then
//! the imports the fixes left unused are removed and the new lines take the
//! file's style (quotes, line length).

use std::collections::HashSet;
use std::path::Path;

use ruff_diagnostics::Edit;
use ruff_source_file::{LineRanges, find_newline};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::{SyntaxError, analyze, analyze_source, parses};
use crate::config::settings::Settings;
use crate::diagnostic::{CodeFix, Diagnostic};

pub const MAX_PASSES: usize = 20;

/// A fix that was applied.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub code: &'static str,
    pub title: String,
    pub is_safe: bool,
}

/// A fix dropped because its result was not valid Python.
#[derive(Debug, Clone)]
pub struct DroppedFix {
    pub code: &'static str,
    pub title: String,
}

#[derive(Debug)]
pub struct FixOutcome {
    pub text: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    /// Findings left in the fixed text.
    pub remaining: Vec<Diagnostic>,
}

impl FixOutcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

#[derive(Debug)]
pub enum FixError {
    Syntax(SyntaxError),
    NotConverged {
        passes: usize,
        rules: Vec<&'static str>,
    },
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::Syntax(err) => err.fmt(f),
            FixError::NotConverged { passes, rules } => write!(
                f,
                "fixes did not converge after {passes} passes (rules {})",
                rules.join(", ")
            ),
        }
    }
}

/// Which fix of a finding to apply: bulk mode takes the first one allowed.
pub type FixChooser<'c> = dyn Fn(&Diagnostic) -> Option<&CodeFix> + 'c;

/// Fixes `source` as far as the chosen fixes go.
pub fn fix_source(
    path: &Path,
    source: &str,
    settings: &Settings,
    unsafe_ok: bool,
) -> Result<FixOutcome, FixError> {
    fix_source_with(path, source, settings, &|d: &Diagnostic| {
        d.preferred_fix(unsafe_ok)
    })
}

pub fn fix_source_with(
    path: &Path,
    source: &str,
    settings: &Settings,
    choose: &FixChooser<'_>,
) -> Result<FixOutcome, FixError> {
    let mut text = source.to_string();
    let mut applied = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    // Fixes known to break the file, by rule, title and edits on the text
    // they were computed for.
    let mut rejected: HashSet<(String, String)> = HashSet::new();
    let mut last_rules = Vec::new();
    // Each pass's result is parsed once: that parse both checks the fixes
    // and analyses the text for the next pass.
    let mut diagnostics = analyze(path, &text, settings).map_err(FixError::Syntax)?;
    for _ in 0..MAX_PASSES {
        let candidates: Vec<(&Diagnostic, &CodeFix)> = diagnostics
            .iter()
            .filter_map(|d| choose(d).map(|f| (d, f)))
            .filter(|(_, f)| !f.edits.is_empty() && !rejected.contains(&fix_key(&text, f)))
            .collect();
        if candidates.is_empty() {
            if text != source
                && let Some(finished) = finish(path, source, &text, settings)
                && let Ok(next) = analyze_source(path, &finished, settings, true)
            {
                text = finished;
                diagnostics = next;
            }
            return Ok(FixOutcome {
                text,
                applied,
                dropped,
                remaining: diagnostics,
            });
        }
        last_rules = candidates.iter().map(|(d, _)| d.rule.code).collect();
        let fixes: Vec<&CodeFix> = candidates.iter().map(|(_, f)| *f).collect();
        let (new_text, taken) = apply_fixes(&text, &fixes);
        if let Ok(next) = analyze_source(path, &new_text, settings, true) {
            applied.extend(
                taken
                    .iter()
                    .map(|&i| applied_fix(candidates[i].0, candidates[i].1)),
            );
            text = new_text;
            diagnostics = next;
            continue;
        }
        // Something in this pass broke the file: find out what, one fix at a
        // time, keep the rest.
        let mut kept: Vec<usize> = Vec::new();
        for &i in &taken {
            let mut trial: Vec<&CodeFix> = kept.iter().map(|&k| fixes[k]).collect();
            trial.push(fixes[i]);
            let (trial_text, trial_taken) = apply_fixes(&text, &trial);
            if trial_taken.len() == trial.len() && parses(&trial_text) {
                kept.push(i);
            } else {
                rejected.insert(fix_key(&text, fixes[i]));
                dropped.push(DroppedFix {
                    code: candidates[i].0.rule.code,
                    title: fixes[i].title.clone(),
                });
            }
        }
        let kept_fixes: Vec<&CodeFix> = kept.iter().map(|&k| fixes[k]).collect();
        let (new_text, _) = apply_fixes(&text, &kept_fixes);
        applied.extend(
            kept.iter()
                .map(|&i| applied_fix(candidates[i].0, candidates[i].1)),
        );
        text = new_text;
        diagnostics = analyze(path, &text, settings).map_err(FixError::Syntax)?;
    }
    last_rules.sort();
    last_rules.dedup();
    Err(FixError::NotConverged {
        passes: MAX_PASSES,
        rules: last_rules,
    })
}

/// After the passes: the imports the fixes left unused go
/// ([`unused_imports`](super::unused_imports)), and the lines they wrote
/// take the file's style ([`style`](super::style)). `None` when that
/// changes nothing (or would not parse).
fn finish(path: &Path, original: &str, fixed: &str, settings: &Settings) -> Option<String> {
    let cleaned = super::unused_imports::remove_newly_unused(path, original, fixed, settings);
    let current = cleaned.as_deref().unwrap_or(fixed);
    let styled = super::style::restyle(original, current, settings);
    let result = styled.or(cleaned)?;
    parses(&result).then_some(result)
}

fn applied_fix(diagnostic: &Diagnostic, fix: &CodeFix) -> AppliedFix {
    AppliedFix {
        code: diagnostic.rule.code,
        title: fix.title.clone(),
        is_safe: fix.is_safe(),
    }
}

fn fix_key(text: &str, fix: &CodeFix) -> (String, String) {
    let mut key = String::new();
    for edit in &fix.edits {
        key.push_str(&format!(
            "{:?}:{}:{}|",
            edit.range(),
            &text[edit.range()],
            edit.content().unwrap_or("")
        ));
    }
    (fix.title.clone(), key)
}

/// Two edits conflict when their ranges overlap, or when both insert at the
/// same point (their order would be ambiguous). Identical edits do not
/// conflict: the second is simply not applied twice.
///
/// An edit that only indents a line (blanks inserted at its start, as fixes
/// that wrap a block in `async with` do line by line) claims the whole line:
/// another fix's edit on that line, computed at the old indentation (new
/// lines it inserts, say), would not match it. Such a fix waits for the next
/// pass.
fn conflicts(text: &str, a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    let (a_range, b_range) = (claimed(text, a), claimed(text, b));
    let overlap = a_range.start() < b_range.end() && b_range.start() < a_range.end();
    let same_insertion_point = a.start() == b.start() && (a.is_insertion() || b.is_insertion());
    overlap || same_insertion_point
}

/// The range an edit owns: its own, or the whole line for an indentation.
fn claimed(text: &str, edit: &Edit) -> TextRange {
    let indents = edit.is_insertion()
        && edit
            .content()
            .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b == b' ' || b == b'\t'))
        && text.line_start(edit.start()) == edit.start();
    if indents {
        TextRange::new(edit.start(), text.line_end(edit.start()))
    } else {
        edit.range()
    }
}

/// The edits taken so far, by the start of the range they claim. Their
/// claimed ranges do not overlap (an overlapping edit is refused), so ends
/// grow with starts and a conflict check looks at a few neighbours only
/// (thousands of fixes in a file stay linear-logarithmic).
#[derive(Default)]
struct Accepted<'e> {
    by_start: std::collections::BTreeMap<TextSize, Vec<(TextRange, &'e Edit)>>,
}

impl<'e> Accepted<'e> {
    fn conflicts(&self, text: &str, edit: &Edit) -> bool {
        let claimed = claimed(text, edit);
        for (_, entries) in self.by_start.range(..=claimed.end()).rev() {
            for (range, accepted) in entries {
                if conflicts(text, accepted, edit) {
                    return true;
                }
                if range.start() < claimed.start() && range.end() <= claimed.start() {
                    // Every edit before this one ends before `edit` starts.
                    return false;
                }
            }
        }
        false
    }

    fn insert(&mut self, text: &str, edit: &'e Edit) {
        let claimed = claimed(text, edit);
        let entries = self.by_start.entry(claimed.start()).or_default();
        if !entries.iter().any(|(_, e)| *e == edit) {
            entries.push((claimed, edit));
        }
    }

    fn edits(self) -> Vec<&'e Edit> {
        self.by_start
            .into_values()
            .flatten()
            .map(|(_, edit)| edit)
            .collect()
    }
}

/// Applies as many of `fixes` as do not conflict, in order of position.
/// Returns the new text and the indices of the fixes taken.
pub fn apply_fixes(text: &str, fixes: &[&CodeFix]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        fixes[i]
            .range()
            .map(|r| (r.start(), r.end()))
            .unwrap_or((TextSize::default(), TextSize::default()))
    });
    let mut accepted = Accepted::default();
    let mut taken = Vec::new();
    for i in order {
        let fix = fixes[i];
        if fix.edits.iter().any(|e| accepted.conflicts(text, e)) {
            continue;
        }
        for edit in &fix.edits {
            accepted.insert(text, edit);
        }
        taken.push(i);
    }
    taken.sort_unstable();
    (apply_edits(text, accepted.edits()), taken)
}

/// Applies non-conflicting edits. Inserted text uses the file's line ending,
/// so a CRLF file stays CRLF.
pub fn apply_edits(text: &str, mut edits: Vec<&Edit>) -> String {
    edits.sort_by_key(|e| (e.start(), e.end()));
    let crlf = matches!(
        find_newline(text),
        Some((_, ruff_source_file::LineEnding::CrLf))
    );
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in edits {
        let start = edit.start().to_usize();
        out.push_str(&text[last..start]);
        if let Some(content) = edit.content() {
            if crlf {
                out.push_str(&to_crlf(content));
            } else {
                out.push_str(content);
            }
        }
        last = edit.end().to_usize();
    }
    out.push_str(&text[last..]);
    out
}

fn to_crlf(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 8);
    let mut previous = '\0';
    for c in content.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(content: &str, start: u32, end: u32) -> Edit {
        Edit::replacement(content.to_string(), start.into(), end.into())
    }

    #[test]
    fn overlapping_fix_is_left_for_next_pass() {
        let a = CodeFix::safe("a", vec![edit("X", 0, 3)]);
        let b = CodeFix::safe("b", vec![edit("Y", 2, 5)]);
        let c = CodeFix::safe("c", vec![edit("Z", 6, 7)]);
        let (text, taken) = apply_fixes("0123456789", &[&a, &b, &c]);
        assert_eq!(text, "X345Z789");
        assert_eq!(taken, vec![0, 2]);
    }

    #[test]
    fn identical_import_edits_apply_once() {
        let import = Edit::insertion("import asyncio\n".to_string(), 0.into());
        let a = CodeFix::safe("a", vec![edit("A", 2, 3), import.clone()]);
        let b = CodeFix::safe("b", vec![edit("B", 4, 5), import]);
        let (text, taken) = apply_fixes("x\ny\nz\n", &[&a, &b]);
        assert_eq!(text, "import asyncio\nx\nA\nB\n");
        assert_eq!(taken, vec![0, 1]);
    }

    #[test]
    fn indenting_a_line_claims_the_whole_line() {
        // Found by fuzzing: one fix wraps a block (indenting each line),
        // another replaces a statement in it with several lines at the old
        // indentation. Applied together the block no longer parses.
        let text = "for x in y:\n    a = f()\n";
        let wrap = CodeFix::safe(
            "wrap",
            vec![
                Edit::insertion("async with g:\n    ".to_string(), 0.into()),
                Edit::insertion("    ".to_string(), 12.into()),
            ],
        );
        let lines = CodeFix::safe("lines", vec![edit("b = 1\n    a = b", 16, 23)]);
        let (out, taken) = apply_fixes(text, &[&wrap, &lines]);
        assert_eq!(taken, vec![0]);
        assert_eq!(out, "async with g:\n    for x in y:\n        a = f()\n");
        // Alone, the other fix applies.
        let (_, taken) = apply_fixes(text, &[&lines]);
        assert_eq!(taken, vec![0]);
    }

    #[test]
    fn inserted_lines_follow_crlf() {
        let import = Edit::insertion("import asyncio\n".to_string(), 0.into());
        let fix = CodeFix::safe("a", vec![import]);
        let (text, _) = apply_fixes("x = 1\r\n", &[&fix]);
        assert_eq!(text, "import asyncio\r\nx = 1\r\n");
    }
}
