//! The fix for results that flow on as values: raise the failures right
//! after the gather, before anything consumes them.

use super::{FixSite, insert_check, shadows_builtins};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::fix::names::FreshNames;

pub(super) fn fix(checker: &Checker, site: &FixSite, taken: &mut FreshNames) -> Option<CodeFix> {
    let py311 = checker.settings.target_version.at_least(11);
    let builtins: &[&str] = if py311 {
        &["isinstance", "BaseException", "BaseExceptionGroup", "len"]
    } else {
        &["isinstance", "BaseException"]
    };
    if shadows_builtins(checker, site, builtins) {
        return None;
    }
    let unit = checker.fixer().indent_unit().to_string();
    let function = site.function;
    let mut import = None;
    let (edits, _) = insert_check(checker, site, taken, |results, taken| {
        let element = checker.fixer().fresh_name(taken, "result");
        if !py311 {
            return vec![
                format!("for {element} in {results}:"),
                format!("{unit}if isinstance({element}, BaseException):"),
                format!("{unit}{unit}raise {element}"),
            ];
        }
        let errors = checker.fixer().fresh_name(taken, "errors");
        let error = checker.fixer().fresh_name(taken, "error");
        let (asyncio, edit) = checker.fixer().import_module("asyncio");
        import = edit;
        vec![
            format!(
                "{errors} = [{element} for {element} in {results} if isinstance({element}, BaseException)]"
            ),
            format!("for {error} in {errors}:"),
            format!("{unit}if isinstance({error}, {asyncio}.CancelledError):"),
            format!("{unit}{unit}raise {error}"),
            format!("if {errors}:"),
            format!("{unit}raise BaseExceptionGroup("),
            format!(
                "{unit}{unit}f\"{function}: {{len({errors})}} of {{len({results})}} awaitables failed\", {errors}"
            ),
            format!("{unit})"),
        ]
    })?;
    let title = if py311 {
        "Raise the failures as a `BaseExceptionGroup` before the results are used"
    } else {
        "Re-raise the first failure before the results are used"
    };
    Some(CodeFix::unsafe_(
        title,
        edits.into_iter().chain(import).collect(),
    ))
}
