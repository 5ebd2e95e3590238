//! Fix 1 in Home Assistant code: the framework's own way to run a task in
//! the background, `hass.async_create_background_task(coro, name)` (or the
//! config entry's `entry.async_create_background_task(hass, coro, name)`
//! when one is in scope). Home Assistant keeps a reference to such tasks
//! and cancels them at shutdown (or when the entry unloads); its developer
//! documentation names these methods as the way to start coroutines from
//! an integration (developers.home-assistant.io, "Deprecating
//! `async_run_job` and `async_add_job`", 2024), and
//! `HomeAssistant.async_create_background_task` says integrations should
//! prefer the config entry's method.
//!
//! Offered for `hass.loop.create_task(coro)` / `self.hass.loop...` (and
//! `asyncio.create_task(coro)` where a `hass` parameter is in scope) in a
//! module that imports from `homeassistant` or lives in its package.

use ruff_diagnostics::Edit;
use ruff_python_ast::Expr;
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextSize};

use super::{Creator, Site};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::{BindingKind, ScopeKind};

pub(super) fn background_task_fix(checker: &Checker, site: &Site) -> Option<CodeFix> {
    if !checker.belongs_to_package("homeassistant") {
        return None;
    }
    let arguments = &site.call.arguments;
    let [coroutine] = arguments.args.as_ref() else {
        return None;
    };
    if coroutine.is_starred_expr()
        || arguments
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() != "name"))
    {
        return None;
    }
    // The `hass` object: the loop's owner, or a `hass` parameter in scope.
    let hass = match site.creator {
        Creator::LoopCreateTask => {
            let Expr::Attribute(create) = &*site.call.func else {
                return None;
            };
            let Expr::Attribute(loop_attr) = &*create.value else {
                return None;
            };
            let owner = checker.text(&*loop_attr.value);
            if loop_attr.attr.as_str() != "loop"
                || !matches!(owner, "hass" | "self.hass" | "self._hass")
            {
                return None;
            }
            owner.to_string()
        }
        Creator::CreateTask | Creator::EnsureFuture => {
            let binding = checker
                .semantic
                .resolve_name("hass", site.scope, site.call.start())?;
            if !matches!(binding.kind, BindingKind::Parameter { .. }) {
                return None;
            }
            "hass".to_string()
        }
        Creator::RunCoroutineThreadsafe | Creator::Helper => return None,
    };
    let quote = checker.fixer().quote();
    let name = match arguments.find_keyword("name") {
        Some(keyword) => checker.text(&keyword.value).to_string(),
        None => format!("{quote}{}{quote}", task_name(checker, coroutine)),
    };
    let coroutine_start = coroutine.start();
    let coroutine = checker.text(coroutine);
    let (method, arguments, title) = match config_entry(checker, site) {
        Some(entry) => (
            format!("{entry}.async_create_background_task"),
            vec![hass.clone(), coroutine.to_string(), name],
            format!(
                "Run it with `{entry}.async_create_background_task(...)` (Home Assistant keeps it, cancels it on unload)"
            ),
        ),
        None => (
            format!("{hass}.async_create_background_task"),
            vec![coroutine.to_string(), name],
            format!(
                "Run it with `{hass}.async_create_background_task(...)` (Home Assistant keeps it, cancels it at shutdown)"
            ),
        ),
    };
    let replacement = wrap_call(checker, site, coroutine_start, &method, &arguments);
    Some(CodeFix::safe(
        title,
        vec![Edit::range_replacement(replacement, site.call.range())],
    ))
}

/// A parameter of an enclosing function annotated as a config entry
/// (`ConfigEntry`, `KebaConfigEntry`...).
fn config_entry<'a>(checker: &Checker<'a>, site: &Site) -> Option<&'a str> {
    let mut scope = Some(site.scope);
    while let Some(id) = scope {
        let s = checker.semantic.scope(id);
        if let ScopeKind::Function(def) = s.kind {
            for parameter in def.parameters.iter() {
                if parameter
                    .annotation()
                    .is_some_and(|a| checker.text(a).ends_with("ConfigEntry"))
                {
                    return Some(parameter.name().id.as_str());
                }
            }
        }
        scope = s.parent;
    }
    None
}

/// `"<integration> <coroutine>"`: the folder under `components/` (when
/// there is one) and the coroutine function's name.
fn task_name(checker: &Checker, coroutine: &Expr) -> String {
    let components: Vec<&str> = checker
        .path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let domain = components
        .iter()
        .position(|c| *c == "components")
        .and_then(|i| components.get(i + 1).copied());
    let callee = match coroutine {
        Expr::Call(call) => match &*call.func {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            _ => None,
        },
        _ => None,
    };
    match (domain, callee) {
        (Some(domain), Some(callee)) => format!("{domain} {}", callee.trim_start_matches('_')),
        (None, Some(callee)) => callee.trim_start_matches('_').to_string(),
        (Some(domain), None) => domain.to_string(),
        (None, None) => "background task".to_string(),
    }
}

/// `method(arguments)`, split over lines the way a formatter would when the
/// line would grow past the project's line length (the engine's restyling
/// leaves calls whose arguments span lines alone).
fn wrap_call(
    checker: &Checker,
    site: &Site,
    coroutine_start: TextSize,
    method: &str,
    arguments: &[String],
) -> String {
    let line_length = checker.settings.style.line_length;
    let one_line = format!("{method}({})", arguments.join(", "));
    let source = checker.source;
    let line_start = source.line_start(site.call.start());
    let before = site.call.start() - line_start;
    let after = source.line_end(site.call.end()) - site.call.end();
    let multi_line = one_line.contains('\n');
    if !multi_line && before.to_usize() + one_line.len() + after.to_usize() <= line_length {
        return one_line;
    }
    let fixer = checker.fixer();
    let indent = fixer.line_indentation(site.call.start());
    let unit = fixer.indent_unit();
    let nl = fixer.line_ending();
    if multi_line {
        // The coroutine's own lines keep their indentation: only right when
        // it already starts one level in.
        let column = coroutine_start - source.line_start(coroutine_start);
        if source.line_start(coroutine_start) == line_start
            || column.to_usize() != indent.len() + unit.len()
        {
            return one_line;
        }
    } else {
        let joined = format!("{indent}{unit}{}", arguments.join(", "));
        if joined.len() <= line_length {
            return format!("{method}({nl}{joined}{nl}{indent})");
        }
    }
    let mut text = format!("{method}({nl}");
    for argument in arguments {
        text.push_str(&format!("{indent}{unit}{argument},{nl}"));
    }
    text.push_str(indent);
    text.push(')');
    text
}
