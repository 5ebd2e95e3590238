//! What CS001 needs to know about the code around a task: whether a
//! receiver is an event loop, and what the scheduled coroutine does.
//!
//! Type facts and callees come from the semantic model; this file adds
//! the rule's own conventions on top ([`is_event_loop`]'s loop attributes)
//! and what a coroutine's body shows ([`delivers_own_outcome`],
//! [`is_queue_put`]).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::{BindingKind, ScopeId};

/// Whether `func` is one of asyncio's loop getters.
pub(super) fn is_loop_getter(checker: &Checker, func: &Expr, scope: ScopeId) -> bool {
    checker
        .semantic
        .resolve_qualified_name(func, scope)
        .is_some_and(|q| {
            matches!(
                q.segments(),
                [
                    "asyncio",
                    "get_running_loop" | "get_event_loop" | "new_event_loop"
                ] | [
                    "asyncio",
                    "events",
                    "get_running_loop" | "get_event_loop" | "new_event_loop"
                ]
            )
        })
}

/// Whether `expr`, evaluated in `scope`, is an event loop as far as the
/// code shows (the model's type facts: a loop getter's result, a name or
/// `self.x` assigned one, an `asyncio.AbstractEventLoop` / `BaseEventLoop`
/// annotation), or by the documented conventions: an attribute whose name is
/// one of the configured loop attributes (`hass.loop`, `self._loop`), a call
/// of a function named like asyncio's loop getters (`helpers.get_running_loop()`),
/// or a name assigned one of these.
pub(super) fn is_event_loop<'a>(checker: &Checker<'a>, expr: &'a Expr, scope: ScopeId) -> bool {
    checker
        .semantic
        .type_of(expr, scope)
        .is_some_and(|fact| fact.is_event_loop())
        || by_convention(checker, expr, scope, 0)
}

fn by_convention<'a>(checker: &Checker<'a>, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
    if depth > 4 {
        return false;
    }
    match expr {
        Expr::Attribute(attr) => checker
            .settings
            .loop_attributes
            .iter()
            .any(|a| names_loop_attribute(a, attr.attr.as_str())),
        Expr::Name(name) => checker
            .semantic
            .resolve_name(name.id.as_str(), scope, name.start())
            .is_some_and(|binding| match binding.kind {
                BindingKind::Assignment { value: Some(value) } => {
                    by_convention(checker, value, binding.scope, depth + 1)
                }
                _ => false,
            }),
        Expr::BoolOp(op) => op
            .values
            .iter()
            .any(|v| by_convention(checker, v, scope, depth + 1)),
        Expr::Call(call) => is_loop_getter_by_name(&call.func),
        _ => false,
    }
}

/// Whether `func` is named like one of asyncio's loop getters, wherever it
/// comes from: a project's own wrapper (`helpers.get_running_loop()`,
/// `from .utils import get_event_loop`) in a module the model cannot see
/// returns the loop it gets, as its name promises.
fn is_loop_getter_by_name(func: &Expr) -> bool {
    let name = match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => return false,
    };
    matches!(
        name,
        "get_running_loop" | "get_event_loop" | "new_event_loop"
    )
}

/// Whether the `loop-attributes` entry `pattern` names the attribute
/// `name`: the name itself, or, with a leading `*`, any name ending in the
/// rest (`*_loop`: `thread_loop`, `main_loop`, `event_loop`).
fn names_loop_attribute(pattern: &str, name: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => name.ends_with(suffix),
        None => pattern == name,
    }
}

/// Whether `call` is `queue.put(item)` on an `asyncio.Queue` (or its
/// `PriorityQueue`/`LifoQueue`), as the model's type facts show the queue:
/// the coroutine either finishes in its first step (room in the queue) or
/// waits on a future the queue keeps in its putters, which keeps the task
/// alive; it fails only with `CancelledError` (or `QueueShutDown` after the
/// queue's `shutdown()`, 3.13+).
pub(super) fn is_queue_put<'a>(checker: &Checker<'a>, call: &'a Expr, scope: ScopeId) -> bool {
    let Expr::Call(call) = call else { return false };
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    method.attr.as_str() == "put" && checker.semantic.is_asyncio_queue(&method.value, scope)
}

/// Whether the receiver of `queue.put(...)` is something the module calls
/// `.shutdown()` on (the model's [`crate::semantic::SemanticModel::is_shut_down`]).
pub(super) fn queue_is_shut_down(checker: &Checker, call: &Expr) -> bool {
    matches!(call, Expr::Call(call)
        if matches!(&*call.func, Expr::Attribute(method)
            if checker.semantic.is_shut_down(&method.value)))
}

/// The same-module `async def` that `call` (`f(...)`, `self._m(...)`)
/// certainly creates a coroutine of, with its scope (the model's
/// [`crate::semantic::SemanticModel::coroutine_callee`]: a public method may
/// be overridden by a subclass, an empty `on_timeout` hook is there to be).
pub(super) fn coroutine_def<'a>(
    checker: &Checker<'a>,
    call: &'a Expr,
    scope: ScopeId,
) -> Option<(&'a ast::StmtFunctionDef, ScopeId)> {
    let Expr::Call(call) = call else { return None };
    let (def_scope, def) = checker.semantic.coroutine_callee(call, scope)?;
    Some((def, def_scope))
}

/// Whether the coroutine of `def` delivers its own outcome: its body is a
/// `try` whose `except BaseException` (or bare `except`) hands the
/// exception to a future or event it was given (`fut.set_exception(exc)`,
/// `call.future.set_exception(exc)`, `done.set()`), so the dropped handle's
/// exception is never the only record of a failure.
pub(super) fn delivers_own_outcome(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
) -> bool {
    let mut body = &def.body[..];
    if let Some(Stmt::Expr(e)) = body.first()
        && e.value.is_string_literal_expr()
    {
        body = &body[1..];
    }
    let [Stmt::Try(try_stmt)] = body else {
        return false;
    };
    let parameters: Vec<&str> = def
        .parameters
        .iter()
        .map(|p| p.name().id.as_str())
        .collect();
    try_stmt.handlers.iter().any(|handler| {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        let catches_all = h.type_.as_deref().is_none_or(|t| {
            checker
                .semantic
                .resolve_qualified_name(t, scope)
                .is_some_and(|q| q.is_builtin("BaseException"))
        });
        catches_all && {
            checker.semantic.statements_in(&h.body).any(|id| {
                if let Stmt::Expr(e) = checker.semantic.statement(id)
                    && let Expr::Call(call) = &*e.value
                    && let Expr::Attribute(method) = &*call.func
                    && matches!(method.attr.as_str(), "set_exception" | "set_result" | "set")
                {
                    root_name(&method.value).is_some_and(|n| parameters.contains(&n))
                } else {
                    false
                }
            })
        }
    })
}

fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => root_name(&a.value),
        _ => None,
    }
}
