//! The fix for results that are discarded or only waited on: log each
//! failure with the instance's logger in a method of a class that keeps one
//! (`self.logger`), else the module's, and carry on as before.

use ruff_text_size::Ranged;

use super::{FixSite, insert_check, shadows_builtins};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::fix::names::FreshNames;
use crate::semantic::{BindingKind, ScopeId};

/// The line length the inserted lines try to keep to (Black's and Ruff's
/// default).
const MAX_WIDTH: usize = 88;

/// Module-level names a logger is usually bound to.
const LOGGER_NAMES: &[&str] = &[
    "_LOGGER", "LOGGER", "logger", "log", "_log", "_logger", "LOG",
];

/// `partial`: the exception types the code tests already (not logged again).
/// `values_flow`: the results flow on as values, which logging does not
/// stop (the fix is then an alternative to choose, never applied in bulk).
pub(super) fn fix(
    checker: &Checker,
    site: &FixSite,
    partial: &[String],
    values_flow: bool,
    taken: &mut FreshNames,
) -> Option<CodeFix> {
    if shadows_builtins(checker, site, &["isinstance", "Exception"]) {
        return None;
    }
    let instance = checker.fixer().instance_logger(site.result.stmt());
    // A module that logs through loguru gets loguru's call.
    let loguru = instance
        .is_none()
        .then(|| checker.fixer().loguru_logger())
        .flatten()
        .filter(|name| {
            checker
                .semantic
                .resolve_name(name, site.scope, site.result.stmt().start())
                .is_some_and(|b| b.scope == ScopeId::MODULE)
        });
    let (logger, import) = match instance
        .or_else(|| module_logger(checker, site))
        .or_else(|| loguru.clone())
    {
        Some(name) => (name, None),
        None => {
            let (logging, edit) = checker.fixer().import_module("logging");
            (format!("{logging}.getLogger(__name__)"), edit)
        }
    };
    let through_loguru = loguru.as_deref() == Some(logger.as_str());
    // The types tested already must be visible where the check goes.
    if partial.iter().any(|name| !visible(checker, site, name)) {
        return None;
    }
    let unit = checker.fixer().indent_unit().to_string();
    let function = site.function;
    let indent_width = checker
        .fixer()
        .line_indentation(site.result.stmt().start())
        .len();
    let (edits, hoisted) = insert_check(checker, site, taken, |results, taken| {
        let element = checker.fixer().fresh_name(taken, "outcome");
        let mut lines = vec![format!("for {element} in {results}:")];
        match partial {
            [] => {}
            [one] => {
                lines.push(format!("{unit}if isinstance({element}, {one}):"));
                lines.push(format!("{unit}{unit}continue"));
            }
            many => {
                let types = format!("({})", many.join(", "));
                let test = format!("{unit}if isinstance({element}, {types}):");
                if indent_width + test.len() <= MAX_WIDTH {
                    lines.push(test);
                } else {
                    lines.push(format!("{unit}if isinstance("));
                    lines.push(format!("{unit}{unit}{element}, {types}"));
                    lines.push(format!("{unit}):"));
                }
                lines.push(format!("{unit}{unit}continue"));
            }
        }
        lines.push(format!("{unit}if isinstance({element}, Exception):"));
        // One line: the engine's clean-up wraps a call too long for the
        // project's line length the way the formatter would.
        if through_loguru {
            lines.push(format!(
                "{unit}{unit}{logger}.opt(exception={element}).error(\"Awaitable failed in {function}\")"
            ));
        } else {
            let call = format!("\"Awaitable failed in {function}\", exc_info={element}");
            lines.push(format!("{unit}{unit}{logger}.error({call})"));
        }
        lines
    })?;
    let title = if partial.is_empty() {
        format!("Log each failure with `{logger}` and carry on")
    } else {
        format!("Log the failures of other types with `{logger}` and carry on")
    };
    let edits = edits.into_iter().chain(import).collect();
    Some(if hoisted || values_flow {
        CodeFix::unsafe_(title, edits)
    } else {
        CodeFix::safe(title, edits)
    })
}

/// Whether the head of a dotted name (`aiohttp` in `aiohttp.ClientError`)
/// is bound, or a builtin, where the check goes.
fn visible(checker: &Checker, site: &FixSite, name: &str) -> bool {
    let head = name.split('.').next().unwrap_or(name);
    checker
        .semantic
        .resolve_name(head, site.scope, site.result.stmt().start())
        .is_some()
        || ruff_python_stdlib::builtins::is_python_builtin(head, 13, false)
}

/// The module's logger, visible where the check goes: the one the fix
/// toolbox finds (`_LOGGER = logging.getLogger(__name__)` and the like), or
/// one imported from the project under a logger's name
/// (`from .const import LOGGER`).
fn module_logger(checker: &Checker, site: &FixSite) -> Option<String> {
    let at = site.result.stmt().start();
    let visible = |name: &str| {
        checker
            .semantic
            .resolve_name(name, site.scope, at)
            .is_some_and(|b| b.scope == ScopeId::MODULE)
    };
    if let Some(name) = checker.fixer().module_logger() {
        return visible(&name).then_some(name);
    }
    LOGGER_NAMES.iter().copied().find_map(|name| {
        let binding = checker.semantic.resolve_name(name, site.scope, at)?;
        match binding.kind {
            BindingKind::FromImport { module, member }
                if binding.scope == ScopeId::MODULE
                    && module.starts_with('.')
                    && LOGGER_NAMES.contains(&member) =>
            {
                Some(name.to_string())
            }
            _ => None,
        }
    })
}
