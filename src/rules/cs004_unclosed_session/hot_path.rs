//! Whether a function that creates a session per call runs often enough
//! for that to matter. A session per call costs a connection pool per call;
//! that is worth reporting only where calls are frequent and the session
//! could be shared:
//!
//! - not when the session is configured for this call (an argument built
//!   from the function's parameters or locals: cookies, auth, a transport, a
//!   base URL, `**client_kwargs`): a shared session cannot carry it;
//! - not when the function's result is cached (`functools.cache`,
//!   `lru_cache`, `alru_cache`, `cached`, or a module or instance cache
//!   checked first and returned from);
//! - not in code that runs once per process or per set-up: start-up
//!   (`async_setup*`, `setup*`, `init*`), command-line commands (a
//!   `command`/`callback` decorator, or a module under a `cli` folder),
//!   Home Assistant config flows (`async_step_*`, `config_flow.py`, classes
//!   deriving from `ConfigFlow`/`OptionsFlow`), and periodic jobs that run at
//!   most once a minute (a `timedelta` of a minute or more in a decorator or
//!   a parameter default), and coroutines alone on their event loop (CS003's
//!   fact: a CLI command, or a script's coroutine reached only from its
//!   entry point, `asyncio.run(fetch())` under `if __name__ == "__main__":`).

use ruff_python_ast::helpers::any_over_expr;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::rules::cs003_blocking_call::alone::alone_on_loop;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::{ScopeId, ScopeKind};

/// Why a per-call session is not worth reporting, if it is not.
pub(super) fn cold_reason(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    call: &ast::ExprCall,
    creation_start: ruff_text_size::TextSize,
) -> Option<&'static str> {
    if configured_per_call(checker, scope, def, call) {
        return Some("configured per call");
    }
    if is_cached(checker, scope, def, creation_start) {
        return Some("cached");
    }
    if runs_once(checker, scope, def) {
        return Some("runs once");
    }
    None
}

/// An argument of the constructor uses the function's parameters or locals
/// (other than `self`/`cls`).
fn configured_per_call(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    call: &ast::ExprCall,
) -> bool {
    let receiver = first_parameter_of_method(checker, scope, def);
    let local = |expr: &Expr| {
        matches!(expr, Expr::Name(name) if Some(name.id.as_str()) != receiver
            && checker
                .semantic
                .resolve_name(name.id.as_str(), scope, name.start())
                .is_some_and(|b| b.scope == scope))
    };
    call.arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|k| &k.value))
        .any(|arg| any_over_expr(arg, local))
}

fn first_parameter_of_method<'a>(
    checker: &Checker,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
) -> Option<&'a str> {
    let parent = checker.semantic.scope(scope).parent?;
    if !matches!(checker.semantic.scope(parent).kind, ScopeKind::Class(_)) {
        return None;
    }
    def.parameters
        .iter_non_variadic_params()
        .next()
        .map(|p| p.parameter.name.id.as_str())
}

const CACHE_DECORATORS: &[&str] = &[
    "functools.cache",
    "functools.lru_cache",
    "functools.cached_property",
    "async_lru.alru_cache",
    "aiocache.cached",
    "cachetools.cached",
    "asyncstdlib.lru_cache",
    "asyncstdlib.cache",
];

fn is_cached(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    creation_start: ruff_text_size::TextSize,
) -> bool {
    let outer = checker
        .semantic
        .scope(scope)
        .parent
        .unwrap_or(ScopeId::MODULE);
    let decorated = def.decorator_list.iter().any(|decorator| {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        checker
            .semantic
            .resolve_qualified_name(target, outer)
            .is_some_and(|q| q.is_any_of(CACHE_DECORATORS))
    });
    if decorated {
        return true;
    }
    // A cache checked first: a statement before the creation returns a
    // value read from a module-level name or an instance attribute. The
    // first such statement of the function, found once for all its
    // creations.
    let first_check = checker.memo("cs004:first-cache-check", def.range(), || {
        first_cache_check(checker, scope, def)
    });
    first_check.is_some_and(|end| end <= creation_start)
}

/// Where the first statement of `def`'s body that returns a cached value
/// (see [`is_cached`]) ends.
fn first_cache_check(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
) -> Option<ruff_text_size::TextSize> {
    let receiver = first_parameter_of_method(checker, scope, def);
    def.body
        .iter()
        .find(|stmt| match stmt {
            Stmt::If(if_stmt) => {
                matches!(if_stmt.body.last(), Some(Stmt::Return(ret))
                    if ret.value.as_deref().is_some_and(|v| reads_cache(checker, scope, v, receiver)))
                    && reads_cache(checker, scope, &if_stmt.test, receiver)
            }
            Stmt::Try(try_stmt) => matches!(try_stmt.body.as_slice(), [Stmt::Return(ret)]
                if ret.value.as_deref().is_some_and(|v| reads_cache(checker, scope, v, receiver))),
            _ => false,
        })
        .map(Ranged::end)
}

/// `expr` reads a module-level name or an attribute of `self`.
fn reads_cache(checker: &Checker, scope: ScopeId, expr: &Expr, receiver: Option<&str>) -> bool {
    let module_name = any_over_expr(expr, |e| {
        matches!(e, Expr::Name(name) if checker
        .semantic
        .resolve_name(name.id.as_str(), scope, name.start())
        .is_some_and(|b| {
            b.scope == ScopeId::MODULE
                && matches!(b.kind, crate::semantic::BindingKind::Assignment { .. })
        }))
    });
    let self_attribute = receiver.is_some_and(|me| {
        any_over_expr(expr, |e| {
            matches!(e, Expr::Attribute(a)
                if a.value.as_name_expr().is_some_and(|n| n.id.as_str() == me))
        })
    });
    module_name || self_attribute
}

fn runs_once(checker: &Checker, scope: ScopeId, def: &ast::StmtFunctionDef) -> bool {
    let name = def.name.id.as_str();
    if name.starts_with("async_step_")
        || name.starts_with("async_setup")
        || name.starts_with("setup")
        || name.starts_with("_setup")
        || name.starts_with("init")
        || name.starts_with("_init")
    {
        return true;
    }
    let path = checker.path;
    if path.file_name().is_some_and(|f| f == "config_flow.py")
        || path
            .parent()
            .is_some_and(|p| p.components().any(|c| c.as_os_str() == "cli"))
    {
        return true;
    }
    let outer = checker
        .semantic
        .scope(scope)
        .parent
        .unwrap_or(ScopeId::MODULE);
    if let ScopeKind::Class(class) = checker.semantic.scope(outer).kind
        && class.bases().iter().any(|base| {
            let text = checker.text(base);
            text.ends_with("ConfigFlow") || text.ends_with("OptionsFlow")
        })
    {
        return true;
    }
    // A coroutine alone on its loop: a CLI command, or reached only from a
    // script's entry point (`asyncio.run(main())` under
    // `if __name__ == "__main__":`).
    if def.is_async
        && checker
            .memo("cs004:alone-on-loop", TextRange::default(), || {
                alone_on_loop(checker)
            })
            .contains(&scope)
    {
        return true;
    }
    let cli_command = def.decorator_list.iter().any(|decorator| {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        matches!(target, Expr::Attribute(a) if matches!(a.attr.as_str(), "command" | "callback"))
    });
    if cli_command {
        return true;
    }
    // A periodic job running at most once a minute.
    let mut periods = def
        .decorator_list
        .iter()
        .map(|d| &d.expression)
        .chain(def.parameters.iter().filter_map(|p| p.default()));
    periods.any(|expr| has_long_timedelta(checker, expr, outer))
}

/// A `datetime.timedelta(...)` of at least a minute somewhere in `expr`.
fn has_long_timedelta(checker: &Checker, expr: &Expr, scope: ScopeId) -> bool {
    any_over_expr(expr, |expr| {
        let Expr::Call(call) = expr else {
            return false;
        };
        if !checker
            .semantic
            .resolve_qualified_name(&call.func, scope)
            .is_some_and(|q| q.is("datetime.timedelta"))
        {
            return false;
        }
        call.arguments.keywords.iter().any(|k| {
            let value = match &k.value {
                Expr::NumberLiteral(n) => match &n.value {
                    ast::Number::Int(i) => i.as_u64().map(|v| v as f64),
                    ast::Number::Float(f) => Some(*f),
                    ast::Number::Complex { .. } => None,
                },
                _ => None,
            };
            match k.arg.as_ref().map(|a| a.as_str()) {
                Some("seconds") => value.is_some_and(|v| v >= 60.0),
                Some("minutes" | "hours" | "days" | "weeks") => value.is_none_or(|v| v >= 1.0),
                _ => false,
            }
        })
    })
}
