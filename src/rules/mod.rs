//! The rule registry. Each rule lives in its own module, documented by the
//! doc comment on its `declare_rule!` struct, and exposes
//! `check(&Checker, &mut Vec<Diagnostic>)`.

use crate::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::rule::RuleInfo;

pub mod cs002_shared_state;
pub mod cs003_blocking_call;

pub type CheckFn = fn(&Checker, &mut Vec<Diagnostic>);

pub struct RegisteredRule {
    pub info: &'static RuleInfo,
    pub check: CheckFn,
}

/// Every rule, in code order.
pub static RULES: &[RegisteredRule] = &[
    RegisteredRule {
        info: &cs002_shared_state::SharedMutableState::INFO,
        check: cs002_shared_state::check,
    },
    RegisteredRule {
        info: &cs003_blocking_call::BlockingCallInAsync::INFO,
        check: cs003_blocking_call::check,
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
