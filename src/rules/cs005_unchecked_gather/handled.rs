//! Gathered coroutines that deal with their own failures: each gathered
//! awaitable runs a coroutine function of this module that contains its
//! failures ([`SemanticModel::contains_own_failures`]: the list holds its
//! return values, never an exception but a cancellation) or logs them
//! through its decorator ([`SemanticModel::logs_own_failures`]: the failure
//! is reported where it happens).
//!
//! The coroutines are found where the gathered awaitables come from: a call
//! (`self.fetch(x)`, `fetch(x)`), the task made of one
//! (`asyncio.create_task(...)`, `loop.create_task(...)`,
//! `asyncio.ensure_future(...)`), a comprehension of them (`*(f(x) for x in
//! xs)`), a name bound to one of those, or a list built empty and given
//! such tasks by `append`/`add` only (`tasks.append(task)`).
//!
//! [`SemanticModel::contains_own_failures`]: crate::semantic::SemanticModel::contains_own_failures
//! [`SemanticModel::logs_own_failures`]: crate::semantic::SemanticModel::logs_own_failures

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextSize};

use crate::checker::Checker;
use crate::semantic::{BindingKind, ScopeId};

use super::facts::FunctionFacts;

/// How deep names and tasks are followed to the coroutine they hold.
const MAX_DEPTH: u8 = 6;

/// What the gathered coroutines do with their failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Handling {
    /// Every one contains them: the results hold no failure.
    Contained,
    /// Every one contains them or logs them (and may re-raise them): no
    /// failure goes unreported, but the results may hold some.
    Logged,
}

/// What every awaitable `gather` is given does with its failures, when the
/// code shows each one's coroutine function.
pub(super) fn gathered_handling(
    checker: &Checker,
    facts: &FunctionFacts,
    call: &ast::ExprCall,
) -> Option<Handling> {
    if call.arguments.args.is_empty() {
        return None;
    }
    let mut functions = Vec::new();
    for arg in &*call.arguments.args {
        let value = match arg {
            Expr::Starred(starred) => &*starred.value,
            other => other,
        };
        coroutines_of(
            checker,
            facts,
            value,
            facts.scope,
            call.start(),
            0,
            &mut functions,
        )?;
    }
    let semantic = &checker.semantic;
    if functions.iter().all(|f| semantic.contains_own_failures(*f)) {
        Some(Handling::Contained)
    } else if functions
        .iter()
        .all(|f| semantic.contains_own_failures(*f) || semantic.logs_own_failures(*f))
    {
        Some(Handling::Logged)
    } else {
        None
    }
}

/// Pushes the coroutine functions whose coroutines `expr` (read in `scope`
/// before `before`) holds: one for an awaitable, each element's for a
/// collection. `None` when one of them is not known.
fn coroutines_of(
    checker: &Checker,
    facts: &FunctionFacts,
    expr: &Expr,
    scope: ScopeId,
    before: TextSize,
    depth: u8,
    found: &mut Vec<ScopeId>,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let semantic = &checker.semantic;
    let depth = depth + 1;
    match expr {
        Expr::Call(call) => {
            if let Some(coroutine) = task_coroutine(checker, call, scope) {
                return coroutines_of(checker, facts, coroutine, scope, before, depth, found);
            }
            let (callee, def) = semantic.resolve_callee(&call.func, scope)?;
            if !def.is_async {
                return None;
            }
            found.push(callee);
            Some(())
        }
        Expr::Generator(ast::ExprGenerator { elt, .. })
        | Expr::ListComp(ast::ExprListComp { elt, .. })
        | Expr::SetComp(ast::ExprSetComp { elt, .. }) => {
            let inner = semantic.scope_at(scope, elt.start());
            coroutines_of(checker, facts, elt, inner, before, depth, found)
        }
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })
            if !elts.is_empty() =>
        {
            for elt in elts {
                coroutines_of(checker, facts, elt, scope, before, depth, found)?;
            }
            Some(())
        }
        Expr::Name(name) => {
            let binding = semantic.resolve_name(name.id.as_str(), scope, name.start())?;
            let BindingKind::Assignment { value: Some(value) } = binding.kind else {
                return None;
            };
            if is_empty_display(value) {
                return appended_coroutines(checker, facts, name, before, depth, found);
            }
            coroutines_of(checker, facts, value, scope, before, depth, found)
        }
        _ => None,
    }
}

/// For a list built empty in this function, the coroutines of every task
/// added to it (`tasks.append(t)`, `tasks.add(t)`) before `before`; `None`
/// when it is given elements another way, or none.
fn appended_coroutines(
    checker: &Checker,
    facts: &FunctionFacts,
    collection: &ast::ExprName,
    before: TextSize,
    depth: u8,
    found: &mut Vec<ScopeId>,
) -> Option<()> {
    let text = collection.id.as_str();
    // Every binding of the name in this function starts it empty.
    let semantic = &checker.semantic;
    let all_empty = semantic
        .bindings_in_scope(text, facts.scope)
        .all(|b| matches!(b.kind, BindingKind::Assignment { value: Some(value) } if is_empty_display(value)));
    let grows = facts.grows.iter().any(|(receiver, _, _)| receiver == text);
    if !all_empty || grows {
        return None;
    }
    let mut any = false;
    for (receiver, element) in &facts.appended {
        if receiver != text || element.start() >= before {
            continue;
        }
        let scope = semantic.scope_at(facts.scope, element.start());
        coroutines_of(checker, facts, element, scope, before, depth, found)?;
        any = true;
    }
    any.then_some(())
}

/// The coroutine a task is made of: the first argument of
/// `asyncio.create_task(...)`, `asyncio.ensure_future(...)`, `asyncio.shield(...)`,
/// or of a `create_task(...)` method (an event loop's, a task group's).
pub(super) fn task_coroutine<'e>(
    checker: &Checker,
    call: &'e ast::ExprCall,
    scope: ScopeId,
) -> Option<&'e Expr> {
    let first = call.arguments.args.first()?;
    let wraps = checker
        .semantic
        .resolve_qualified_name(&call.func, scope)
        .is_some_and(|q| {
            matches!(
                q.segments(),
                ["asyncio", "create_task" | "ensure_future" | "shield"]
                    | [
                        "asyncio",
                        "tasks",
                        "create_task" | "ensure_future" | "shield"
                    ]
            )
        })
        || matches!(&*call.func, Expr::Attribute(method) if method.attr.as_str() == "create_task");
    wraps.then_some(first)
}

/// `[]`, `set()`, `list()`.
fn is_empty_display(value: &Expr) -> bool {
    match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Set(set) => set.elts.is_empty(),
        Expr::Call(call) => {
            call.arguments.is_empty()
                && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set"))
        }
        _ => false,
    }
}
