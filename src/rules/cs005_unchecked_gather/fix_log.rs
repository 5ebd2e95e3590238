//! The fix for results that are discarded or only waited on: log each
//! failure with the module's logger and carry on as before.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use super::{FixSite, Taken, fresh_name, insert_check, shadows_builtins};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::{BindingKind, ScopeId};

/// Module-level names a logger is usually bound to.
const LOGGER_NAMES: &[&str] = &[
    "_LOGGER", "LOGGER", "logger", "log", "_log", "_logger", "LOG",
];

/// `partial`: the exception types the code tests already (not logged again).
pub(super) fn fix(
    checker: &Checker,
    site: &FixSite,
    partial: &[String],
    taken: &mut Taken,
) -> Option<CodeFix> {
    if shadows_builtins(checker, site, &["isinstance", "Exception"]) {
        return None;
    }
    let (logger, import) = match module_logger(checker, site) {
        Some(name) => (name.to_string(), None),
        None => {
            let (logging, edit) = checker.import_module("logging");
            (format!("{logging}.getLogger(__name__)"), edit)
        }
    };
    let unit = checker.indent_unit().to_string();
    let function = site.function;
    let (edits, hoisted) = insert_check(checker, site, taken, |results, taken| {
        let element = fresh_name(checker, "result", taken);
        let test = match partial {
            [] => format!("isinstance({element}, Exception)"),
            [one] => {
                format!("isinstance({element}, Exception) and not isinstance({element}, {one})")
            }
            many => format!(
                "isinstance({element}, Exception) and not isinstance({element}, ({}))",
                many.join(", ")
            ),
        };
        vec![
            format!("for {element} in {results}:"),
            format!("{unit}if {test}:"),
            format!(
                "{unit}{unit}{logger}.error(\"Awaitable failed in {function}\", exc_info={element})"
            ),
        ]
    })?;
    let title = if partial.is_empty() {
        format!("Log each failure with `{logger}` and carry on")
    } else {
        format!("Log the failures of other types with `{logger}` and carry on")
    };
    let edits = edits.into_iter().chain(import).collect();
    Some(if hoisted {
        CodeFix::unsafe_(title, edits)
    } else {
        CodeFix::safe(title, edits)
    })
}

/// The module's logger: a module-level name like `_LOGGER` bound to
/// `logging.getLogger(...)`, visible where the check goes.
fn module_logger<'a>(checker: &Checker<'a>, site: &FixSite) -> Option<&'a str> {
    let at = site.result.stmt().start();
    LOGGER_NAMES.iter().copied().find_map(|name| {
        let binding = checker.semantic.resolve_name(name, site.scope, at)?;
        if binding.scope != ScopeId::MODULE {
            return None;
        }
        let BindingKind::Assignment {
            value: Some(Expr::Call(call)),
        } = binding.kind
        else {
            return None;
        };
        let qualified = checker
            .semantic
            .qualified_name(&call.func, ScopeId::MODULE)?;
        (qualified == "logging.getLogger").then_some(binding.name)
    })
}
