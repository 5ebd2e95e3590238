//! Applying fixes to a source text.
//!
//! Fixing runs in passes: analyse, take the preferred fix of every finding,
//! apply the ones that do not overlap a fix already taken, and check that the
//! result still parses. Fixes that were left out because of an overlap get
//! their turn in the next pass, on the updated text. It stops when a pass
//! has nothing left to apply, or fails after [`MAX_PASSES`]. A fix whose
//! result does not parse is dropped (and reported), never written. Then
//! the imports the fixes left unused are removed and the new lines take the
//! file's style (quotes, line length); when that makes another fix
//! possible, the passes go on, so the result is a fixed point.

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

/// A fix that was not applied although it was chosen.
#[derive(Debug, Clone)]
pub struct DroppedFix {
    pub code: &'static str,
    pub title: String,
    pub reason: DropReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DropReason {
    /// Its result was not valid Python.
    InvalidPython,
    /// The fix itself is malformed (its own edits overlap, or fall outside
    /// the text or inside a character): a bug in the rule that made it.
    Malformed(String),
}

#[derive(Debug)]
pub struct FixOutcome {
    pub text: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    /// Findings left in the fixed text.
    pub remaining: Vec<Diagnostic>,
    /// Findings in the text as it was read: what remains when the fixed
    /// text cannot be written.
    pub original: Vec<Diagnostic>,
    /// The chooser asked to stop (an interactive review ended early).
    pub stopped: bool,
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

/// What a [`Chooser`] decided for the findings of one pass.
pub struct PassChoice<'d> {
    /// One entry per finding, in order: the fix to apply, or none.
    pub fixes: Vec<Option<&'d CodeFix>>,
    /// Apply these and stop: no further pass (the user quit).
    pub stop: bool,
}

/// Picks the fixes of each pass. Bulk fixing is a [`FixChooser`] applied to
/// every finding; the interactive review asks the user. Both go through the
/// same engine, so what the user accepted is applied exactly as bulk fixing
/// would apply it (conflicts deferred, broken fixes dropped, offsets always
/// those of the text the fixes were computed for).
pub trait Chooser {
    /// Chooses, for each finding on `text`, the fix to apply (if any).
    fn choose<'d>(&mut self, text: &str, diagnostics: &'d [Diagnostic]) -> PassChoice<'d>;
}

/// A [`Chooser`] applying a [`FixChooser`] to every finding (bulk fixing).
pub struct EachFinding<'c, 'f>(pub &'c FixChooser<'f>);

impl Chooser for EachFinding<'_, '_> {
    fn choose<'d>(&mut self, _text: &str, diagnostics: &'d [Diagnostic]) -> PassChoice<'d> {
        PassChoice {
            fixes: diagnostics.iter().map(|d| (self.0)(d)).collect(),
            stop: false,
        }
    }
}

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

/// Fixes `source` with the fix `choose` picks for each finding.
pub fn fix_source_with(
    path: &Path,
    source: &str,
    settings: &Settings,
    choose: &FixChooser<'_>,
) -> Result<FixOutcome, FixError> {
    fix_source_choosing(path, source, settings, &mut EachFinding(choose))
}

/// The engine: fixes `source` in passes, with the fixes `chooser` picks.
pub fn fix_source_choosing(
    path: &Path,
    source: &str,
    settings: &Settings,
    chooser: &mut dyn Chooser,
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
    let original = diagnostics.clone();
    // The text [`finish`] last produced: fixing is done when a pass on it
    // has nothing to apply. Removing the imports the fixes left unused can
    // make another fix possible (a module-level statement that came before
    // the last import now comes after it), so finishing is followed by one
    // more pass, and the result is a fixed point: fixing it again changes
    // nothing.
    let mut finished_text: Option<String> = None;
    let mut passes = 0;
    while passes < MAX_PASSES {
        let choice = chooser.choose(&text, &diagnostics);
        let stop = choice.stop;
        let mut candidates: Vec<(&Diagnostic, &CodeFix)> = Vec::new();
        for (d, f) in diagnostics.iter().zip(choice.fixes) {
            let Some(f) = f else { continue };
            if f.edits.is_empty() || rejected.contains(&fix_key(&text, f)) {
                continue;
            }
            if let Some(problem) = malformed(&text, f) {
                rejected.insert(fix_key(&text, f));
                dropped.push(DroppedFix {
                    code: d.rule.code,
                    title: f.title.clone(),
                    reason: DropReason::Malformed(problem),
                });
                continue;
            }
            candidates.push((d, f));
        }
        if candidates.is_empty() {
            if text != source && finished_text.as_ref() != Some(&text) {
                if let Some(finished) = finish(path, source, &text, settings)
                    && let Ok(next) = analyze_source(path, &finished, settings, true)
                {
                    text = finished;
                    diagnostics = next;
                }
                finished_text = Some(text.clone());
                if !stop {
                    continue;
                }
            }
            return Ok(FixOutcome {
                text,
                applied,
                dropped,
                remaining: diagnostics,
                original,
                stopped: stop,
            });
        }
        passes += 1;
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
        } else {
            // Something in this pass broke the file: find out what, one fix
            // at a time, keep the rest.
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
                        reason: DropReason::InvalidPython,
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
        if stop {
            return Ok(FixOutcome {
                text,
                applied,
                dropped,
                remaining: diagnostics,
                original,
                stopped: true,
            });
        }
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
pub fn finish(path: &Path, original: &str, fixed: &str, settings: &Settings) -> Option<String> {
    let cleaned = super::unused_imports::remove_newly_unused(path, original, fixed, settings);
    let current = cleaned.as_deref().unwrap_or(fixed);
    let styled = super::style::restyle(original, current, settings);
    let result = styled.or(cleaned)?;
    parses(&result).then_some(result)
}

/// Why a fix cannot be applied to `text` at all, if it cannot: an edit
/// outside the text or splitting a character, or two of its own edits
/// overlapping (their result would depend on the order).
pub fn malformed(text: &str, fix: &CodeFix) -> Option<String> {
    let mut previous: Option<&Edit> = None;
    for edit in &fix.edits {
        let (start, end) = (edit.start().to_usize(), edit.end().to_usize());
        if start > end || end > text.len() {
            return Some(format!(
                "an edit at {start}..{end} is outside the text ({} bytes)",
                text.len()
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Some(format!("an edit at {start}..{end} splits a character"));
        }
        if let Some(previous) = previous
            && edit.start() < previous.end()
        {
            return Some(format!(
                "its edits at {:?} and {:?} overlap",
                previous.range(),
                edit.range()
            ));
        }
        previous = Some(edit);
    }
    None
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
/// An insertion right at the end of another edit's range conflicts with it
/// too.
///
/// An edit that only indents a line (blanks inserted at its start, as fixes
/// that wrap a block in `async with` do line by line) claims the whole line,
/// its end included: another fix's edit on that line, computed at the old
/// indentation (new lines it inserts after the line's last statement, say),
/// would not match it. Such a fix waits for the next pass.
fn conflicts(text: &str, a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    let (a_range, b_range) = (claimed(text, a), claimed(text, b));
    let overlap = a_range.start() < b_range.end() && b_range.start() < a_range.end();
    let same_insertion_point = a.start() == b.start() && (a.is_insertion() || b.is_insertion());
    // Text inserted right where another fix's replacement ends was computed
    // for the text that replacement rewrites (lines after a block that the
    // other fix re-indents or moves, say).
    let at_end = |insertion: &Edit, other: &Edit| {
        insertion.is_insertion() && !other.range().is_empty() && insertion.start() == other.end()
    };
    overlap || same_insertion_point || at_end(a, b) || at_end(b, a)
}

/// The range an edit owns: its own, or the whole line for an indentation.
fn claimed(text: &str, edit: &Edit) -> TextRange {
    let indents = edit.is_insertion()
        && edit
            .content()
            .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b == b' ' || b == b'\t'))
        && text[text.line_start(edit.start()).to_usize()..edit.start().to_usize()]
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\x0c'));
    if indents {
        // One past the line's end, so that an insertion right at its end
        // (before the line break) overlaps the claim too. An edit of the next
        // line starts after the line break: it does not.
        TextRange::new(
            edit.start(),
            text.line_end(edit.start()) + TextSize::from(1),
        )
    } else {
        edit.range()
    }
}

/// Applies as many of `fixes` as do not conflict, in order of position.
/// Returns the new text and the indices of the fixes taken. A malformed fix
/// (see [`malformed`]) is never taken.
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
        if malformed(text, fix).is_some() || fix.edits.iter().any(|e| accepted.conflicts(text, e)) {
            continue;
        }
        for edit in &fix.edits {
            accepted.insert(text, edit);
        }
        taken.push(i);
    }
    taken.sort_unstable();
    (apply_edits(text, accepted.into_edits()), taken)
}

/// The edits taken so far, by the range each claims. Taken edits never
/// conflict, so their claimed ranges are disjoint and sorted by start they
/// are sorted by end too: whether a new edit conflicts is answered by
/// looking at the few ranges around it, not at all of them (thousands of
/// fixes in one file stay fast).
#[derive(Default)]
struct Accepted<'e> {
    by_range: std::collections::BTreeMap<(TextSize, TextSize), Vec<&'e Edit>>,
}

impl<'e> Accepted<'e> {
    fn conflicts(&self, text: &str, edit: &Edit) -> bool {
        let claim = claimed(text, edit);
        // Everything starting at or before the end of the claim, latest
        // first; once a range ends before the claim starts, the earlier ones
        // do too.
        for (&(start, end), edits) in self
            .by_range
            .range(..=(claim.end(), TextSize::from(u32::MAX)))
            .rev()
        {
            if edits.iter().any(|a| conflicts(text, a, edit)) {
                return true;
            }
            if end < claim.start() || (end == claim.start() && start < claim.start()) {
                break;
            }
        }
        false
    }

    fn insert(&mut self, text: &str, edit: &'e Edit) {
        let claim = claimed(text, edit);
        let at = self
            .by_range
            .entry((claim.start(), claim.end()))
            .or_default();
        if !at.contains(&edit) {
            at.push(edit);
        }
    }

    fn into_edits(self) -> Vec<&'e Edit> {
        self.by_range.into_values().flatten().collect()
    }
}

/// Applies non-conflicting edits. Inserted text uses the file's line ending,
/// so a CRLF file stays CRLF. An edit that overlaps one before it, or does
/// not fit the text, is skipped rather than applied out of place (callers
/// check fixes with [`malformed`] and report them).
pub fn apply_edits(text: &str, mut edits: Vec<&Edit>) -> String {
    edits.sort_by_key(|e| (e.start(), e.end()));
    let crlf = matches!(
        find_newline(text),
        Some((_, ruff_source_file::LineEnding::CrLf))
    );
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in edits {
        let (start, end) = (edit.start().to_usize(), edit.end().to_usize());
        if start < last
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[last..start]);
        if let Some(content) = edit.content() {
            if crlf {
                out.push_str(&to_crlf(content));
            } else {
                out.push_str(content);
            }
        }
        last = end;
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
        // Found by the long fuzz: new lines inserted right at the end of an
        // indented line (after its statement) are at the old indentation
        // too. The next line's own edits are not on the claimed line.
        let after = CodeFix::safe(
            "after",
            vec![Edit::insertion("\n    b = 1".into(), 23.into())],
        );
        let (_, taken) = apply_fixes(text, &[&wrap, &after]);
        assert_eq!(taken, vec![0]);
        // Nor may new lines follow a block that another fix rewrites.
        let block = CodeFix::safe("block", vec![edit("def g():\n    a = f()", 12, 23)]);
        let (_, taken) = apply_fixes(text, &[&block, &after]);
        assert_eq!(taken, vec![0]);
        let next_line = CodeFix::safe("next", vec![Edit::insertion("c = 2\n".into(), 24.into())]);
        let (_, taken) = apply_fixes(text, &[&wrap, &next_line]);
        assert_eq!(taken, vec![0, 1]);
    }

    /// A rule bug, not an input: a fix whose own edits overlap (or fall
    /// outside the text, or split a character) is never taken, and
    /// applying it never panics.
    #[test]
    fn malformed_fix_is_refused_not_a_panic() {
        let text = "x = 1\ny = 'é'\n";
        let overlapping = CodeFix::safe("overlap", vec![edit("A", 0, 3), edit("B", 2, 5)]);
        let outside = CodeFix::safe("outside", vec![edit("C", 10, 40)]);
        let split = CodeFix::safe("split", vec![edit("D", 11, 12)]);
        let fine = CodeFix::safe("fine", vec![edit("z", 0, 1)]);
        for bad in [&overlapping, &outside, &split] {
            assert!(malformed(text, bad).is_some(), "{}", bad.title);
            let (out, taken) = apply_fixes(text, &[bad, &fine]);
            assert_eq!(taken, vec![1], "{}", bad.title);
            assert_eq!(out, "z = 1\ny = 'é'\n");
        }
        assert!(malformed(text, &fine).is_none());
        let a = Edit::replacement("A".to_string(), 0.into(), 3.into());
        let b = Edit::replacement("B".to_string(), 2.into(), 5.into());
        assert_eq!(apply_edits(text, vec![&a, &b]), "A 1\ny = 'é'\n");
    }

    /// Conflicts are found among thousands of taken edits without
    /// comparing each with all the others, and exactly as before.
    #[test]
    fn conflicts_among_many_fixes() {
        let text = format!("head\n{}", "ab\n".repeat(3000));
        let import = Edit::insertion("import asyncio\n".to_string(), 0.into());
        let line = |i: u32| 5 + i * 3;
        let fixes: Vec<CodeFix> = (0..3000u32)
            .map(|i| CodeFix::safe("f", vec![import.clone(), edit("X", line(i), line(i) + 1)]))
            .chain((0..3000u32).map(|i| CodeFix::safe("g", vec![edit("Y", line(i), line(i) + 2)])))
            .collect();
        let refs: Vec<&CodeFix> = fixes.iter().collect();
        let (out, taken) = apply_fixes(&text, &refs);
        assert!(taken == (0..3000).collect::<Vec<_>>(), "{:?}", &taken[..5]);
        assert_eq!(
            out,
            format!("import asyncio\nhead\n{}", "Xb\n".repeat(3000))
        );
    }

    /// The scenario of issue 19: three accepted fixes (an import insertion,
    /// a fix whose result does not parse, `2 -> 3` further down). The
    /// interactive review used to apply them one at a time at offsets
    /// computed for the original text (`import asy3cio`); through the
    /// engine the broken one is dropped and the others land where they
    /// belong.
    #[test]
    fn accepted_fixes_that_do_not_parse_together_are_sorted_out_by_the_engine() {
        struct Script(Vec<&'static CodeFix>, bool);
        impl Chooser for Script {
            fn choose<'d>(&mut self, _text: &str, diagnostics: &'d [Diagnostic]) -> PassChoice<'d> {
                let mut fixes = vec![None; diagnostics.len()];
                if !self.1 {
                    self.1 = true;
                    for (slot, fix) in fixes.iter_mut().zip(&self.0) {
                        *slot = Some(*fix);
                    }
                }
                PassChoice { fixes, stop: false }
            }
        }
        let source = "import time\n\n\nasync def a():\n    time.sleep(1)\n    time.sleep(2)\n    time.sleep(5)\n";
        let at = |needle: &str| u32::try_from(source.find(needle).unwrap()).unwrap();
        let leak = |fix: CodeFix| &*Box::leak(Box::new(fix));
        let import = leak(CodeFix::safe(
            "import",
            vec![Edit::insertion("import asyncio\n".to_string(), 0.into())],
        ));
        let broken = leak(CodeFix::safe(
            "broken",
            vec![edit("def def", at("def"), at("def") + 3)],
        ));
        let two = at("sleep(2)") + 6;
        let three = leak(CodeFix::safe("three", vec![edit("3", two, two + 1)]));
        let mut script = Script(vec![import, broken, three], false);
        let outcome =
            fix_source_choosing(Path::new("a.py"), source, &Settings::default(), &mut script)
                .unwrap();
        assert_eq!(
            outcome.text,
            "import asyncio\nimport time\n\n\nasync def a():\n    time.sleep(1)\n    time.sleep(3)\n    time.sleep(5)\n"
        );
        assert_eq!(outcome.applied.len(), 2);
        assert_eq!(outcome.dropped.len(), 1);
        assert_eq!(outcome.dropped[0].title, "broken");
        assert_eq!(outcome.dropped[0].reason, DropReason::InvalidPython);
    }

    /// A chooser that stops (the user quit) gets what it accepted so far
    /// applied, and nothing after.
    #[test]
    fn stopping_applies_what_was_accepted() {
        struct FirstThenQuit;
        impl Chooser for FirstThenQuit {
            fn choose<'d>(&mut self, _text: &str, diagnostics: &'d [Diagnostic]) -> PassChoice<'d> {
                let mut fixes = vec![None; diagnostics.len()];
                fixes[0] = diagnostics[0].preferred_fix(false);
                PassChoice { fixes, stop: true }
            }
        }
        let source = "import time\n\n\nasync def a():\n    time.sleep(1)\n    time.sleep(2)\n";
        let outcome = fix_source_choosing(
            Path::new("a.py"),
            source,
            &Settings::default(),
            &mut FirstThenQuit,
        )
        .unwrap();
        assert!(outcome.stopped);
        assert_eq!(outcome.applied.len(), 1);
        assert!(outcome.text.contains("await asyncio.sleep(1)"));
        assert!(outcome.text.contains("    time.sleep(2)"));
        assert_eq!(outcome.remaining.len(), 1);
        assert_eq!(outcome.original.len(), 2);
    }

    #[test]
    fn inserted_lines_follow_crlf() {
        let import = Edit::insertion("import asyncio\n".to_string(), 0.into());
        let fix = CodeFix::safe("a", vec![import]);
        let (text, _) = apply_fixes("x = 1\r\n", &[&fix]);
        assert_eq!(text, "import asyncio\r\nx = 1\r\n");
    }

    #[test]
    fn fixing_ends_at_a_fixed_point_after_unused_imports_go() {
        // Found by the long fuzz: the requests call becomes an aiohttp one,
        // which leaves the late `import requests` unused; only once it is
        // removed does the task's keeper helper (placed after the imports)
        // come before the module-level task, so its fix appears then. A
        // second `fix` applied it: the first must.
        let source = "import asyncio\nasync def idle(): ...\nloop = asyncio.new_event_loop()\n\
                      loop.create_task(work())\nimport requests\nasync def ping(url):\n\
                      \x20   requests.get(url)\n";
        let settings = Settings {
            target_version: crate::config::settings::TargetVersion { minor: 8 },
            ..Settings::default()
        };
        let path = Path::new("t.py");
        let first = fix_source(path, source, &settings, true).unwrap();
        assert!(first.applied.iter().any(|a| a.code == "CS001"), "{first:?}");
        let again = fix_source(path, &first.text, &settings, true).unwrap();
        assert_eq!(again.text, first.text);
        assert!(again.applied.is_empty());
    }
}
