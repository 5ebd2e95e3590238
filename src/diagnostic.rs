//! Findings and the fixes attached to them.

use ruff_diagnostics::{Applicability, Edit};
use ruff_text_size::TextRange;

use crate::rules::rule::RuleInfo;

/// One way to fix a finding: text edits applied together, with a title for
/// people and an applicability (`Safe` preserves behaviour, `Unsafe` may not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl CodeFix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Safe,
            edits: normalize(edits),
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits: normalize(edits),
        }
    }

    pub fn is_safe(&self) -> bool {
        self.applicability == Applicability::Safe
    }

    pub fn applicability_name(&self) -> &'static str {
        applicability_name(self.applicability)
    }

    /// The range covered by all edits of this fix.
    pub fn range(&self) -> Option<TextRange> {
        let start = self.edits.iter().map(|e| e.start()).min()?;
        let end = self.edits.iter().map(|e| e.end()).max()?;
        Some(TextRange::new(start, end))
    }
}

pub fn applicability_name(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// Sorts edits by position and removes exact duplicates (two parts of one fix
/// asking for the same import, for example).
fn normalize(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.start(), e.end()));
    edits.dedup();
    edits
}

/// A finding of one rule at one place.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleInfo,
    pub message: String,
    pub range: TextRange,
    /// Alternatives, best first. Bulk fixing takes the first one allowed.
    pub fixes: Vec<CodeFix>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleInfo, message: impl Into<String>, range: TextRange) -> Self {
        Self {
            rule,
            message: message.into(),
            range,
            fixes: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: CodeFix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// The first fix allowed at the given level (`unsafe_ok` admits unsafe fixes).
    pub fn preferred_fix(&self, unsafe_ok: bool) -> Option<&CodeFix> {
        self.fixes.iter().find(|f| f.is_safe() || unsafe_ok)
    }
}

use ruff_text_size::Ranged;
