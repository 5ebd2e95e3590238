//! The rule registry. Each rule lives in its own module, documented by the
//! doc comment on its `declare_rule!` struct, and exposes
//! `check(&Checker, &mut Vec<Diagnostic>)`.

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::rules::rule::RuleInfo;

pub mod cs001_dangling_task;
pub mod cs002_shared_state;
pub mod cs003_blocking_call;
pub mod cs004_unclosed_session;
pub mod cs005_unchecked_gather;
pub mod cs006_blocking_filesystem_metadata;
pub mod rule;

/// An `async def` (the keywords may be split by spaces, tabs or a line
/// continuation).
pub(crate) const ASYNC_DEF: &str = r"async(?:[ \t]|\\\r?\n)+def";

pub type CheckFn = fn(&Checker, &mut Vec<Diagnostic>);

pub struct RegisteredRule {
    pub info: &'static RuleInfo,
    pub check: CheckFn,
    /// What a file must contain for the rule to find anything in it,
    /// declared next to the rule. The rule is not run on other files, and a
    /// file no rule can apply to is not even parsed.
    pub prefilter: Prefilter,
}

/// Every rule, in code order.
pub static RULES: &[RegisteredRule] = &[
    RegisteredRule {
        info: &cs001_dangling_task::DanglingTask::INFO,
        check: cs001_dangling_task::check,
        prefilter: cs001_dangling_task::PREFILTER,
    },
    RegisteredRule {
        info: &cs002_shared_state::SharedMutableState::INFO,
        check: cs002_shared_state::check,
        prefilter: cs002_shared_state::PREFILTER,
    },
    RegisteredRule {
        info: &cs003_blocking_call::BlockingCallInAsync::INFO,
        check: cs003_blocking_call::check,
        prefilter: cs003_blocking_call::PREFILTER,
    },
    RegisteredRule {
        info: &cs004_unclosed_session::UnclosedSession::INFO,
        check: cs004_unclosed_session::check,
        prefilter: cs004_unclosed_session::PREFILTER,
    },
    RegisteredRule {
        info: &cs005_unchecked_gather::UncheckedGatherResults::INFO,
        check: cs005_unchecked_gather::check,
        prefilter: cs005_unchecked_gather::PREFILTER,
    },
    RegisteredRule {
        info: &cs006_blocking_filesystem_metadata::BlockingFilesystemMetadata::INFO,
        check: cs006_blocking_filesystem_metadata::check,
        prefilter: cs006_blocking_filesystem_metadata::PREFILTER,
    },
];

pub fn all_infos() -> Vec<&'static RuleInfo> {
    RULES.iter().map(|r| r.info).collect()
}

/// Looks a rule up by code (case-insensitive) or by name.
pub fn find(code_or_name: &str) -> Option<&'static RegisteredRule> {
    RULES
        .iter()
        .find(|r| r.info.code.eq_ignore_ascii_case(code_or_name) || r.info.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_in_code_order_with_unique_codes_and_names() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.info.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        let mut names: Vec<&str> = RULES.iter().map(|r| r.info.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }
}
