//! Gathered tasks whose outcome a done callback observes already: an
//! instance's background tasks, each given `task.add_done_callback(cb)`
//! where it is created, with a callback that reports the task's failure
//! (`task.result()`, or `task.exception()` handed to a logger). Gathering
//! them later only waits for them.

use ruff_python_ast::helpers::any_over_body;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::semantic::ScopeId;
use crate::semantic::instance_state::receiver_of;

use super::facts::{FunctionFacts, squash};

/// Whether every argument of the gather is `*receiver.attr` (or a copy of
/// it: `list(self._tasks)`), an attribute of the instance whose tasks all
/// carry an observing done callback ([`every_addition_observed`]).
pub(super) fn observed_by_callbacks(
    checker: &Checker,
    facts: &FunctionFacts,
    call: &ast::ExprCall,
) -> bool {
    let Some(class) = checker.semantic.method_class(facts.scope) else {
        return false;
    };
    let Some(receiver) = receiver_of(facts.def) else {
        return false;
    };
    !call.arguments.args.is_empty()
        && call.arguments.args.iter().all(|arg| {
            let Expr::Starred(starred) = arg else {
                return false;
            };
            let collection = super::copied_from(checker, facts, &starred.value, call.start())
                .unwrap_or_else(|| squash(checker.text(&*starred.value)));
            collection
                .strip_prefix(receiver)
                .and_then(|rest| rest.strip_prefix('.'))
                .filter(|attr| attr.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .is_some_and(|attr| every_addition_observed(checker, class, attr))
        })
}

/// Whether the class's `receiver.attr` is only ever assigned an empty
/// container (or `None`), and every task its methods add to it carries an
/// observing done callback: `receiver.attr.append(t)` / `.add(t)` with
/// `t.add_done_callback(cb)` in the same method, or
/// `receiver.attr.extend(tasks)` of a local list whose every task does
/// (`tasks.append(t)` next to `t.add_done_callback(cb)` or
/// `tasks[-1].add_done_callback(cb)`). Any other way of adding to it
/// (`insert`, `+=`, an item assignment seen as a non-empty assignment) says
/// nothing.
fn every_addition_observed(checker: &Checker, class: &ast::StmtClassDef, attr: &str) -> bool {
    let semantic = &checker.semantic;
    let Some(class_scope) = semantic.class_scope(class) else {
        return false;
    };
    let starts_empty = semantic
        .attribute_assignments(class_scope, attr)
        .iter()
        .all(|a| a.value.is_none_or(is_empty_container));
    if !starts_empty {
        return false;
    }
    let mut additions = 0;
    for stmt in &class.body {
        let Stmt::FunctionDef(def) = stmt else {
            continue;
        };
        let (Some(scope), Some(receiver)) = (semantic.function_scope(def), receiver_of(def)) else {
            continue;
        };
        let target = format!("{receiver}.{attr}");
        let facts = FunctionFacts::collect(checker, scope, def);
        for (collection, element, _, _) in &facts.appends {
            if *collection == target {
                additions += 1;
                if !has_observer(checker, &facts, element) {
                    return false;
                }
            }
        }
        for (collection, extended, _) in &facts.grows {
            if *collection == target {
                additions += 1;
                let Some(list) = extended else {
                    return false;
                };
                if !list_observed(checker, &facts, list) {
                    return false;
                }
            }
        }
    }
    additions > 0
}

/// Every task added to the local `list` carries an observing done callback,
/// and the list gains elements only by `append`/`add`.
fn list_observed(checker: &Checker, facts: &FunctionFacts, list: &str) -> bool {
    let mut appended = facts
        .appends
        .iter()
        .filter(|(collection, ..)| collection == list)
        .peekable();
    let last = format!("{list}[-1]");
    appended.peek().is_some()
        && !facts
            .grows
            .iter()
            .any(|(collection, ..)| collection == list)
        && appended.all(|(_, element, _, _)| {
            has_observer(checker, facts, element) || has_observer(checker, facts, &last)
        })
}

/// `task.add_done_callback(cb)` somewhere in the function, with a callback
/// that observes the task's outcome.
fn has_observer(checker: &Checker, facts: &FunctionFacts, task: &str) -> bool {
    facts
        .done_callbacks
        .iter()
        .any(|(receiver, callback)| receiver == task && observes(checker, facts.scope, callback))
}

/// Whether the done callback `callback` (a function or method of the module,
/// or a `lambda`) reports the outcome of the future it is given (its last
/// positional parameter): calls `future.result()`, or hands
/// `future.exception()` to a call (a logger's `exc_info=`). Reading
/// `exception()` and dropping it only silences the failure.
fn observes(checker: &Checker, scope: ScopeId, callback: &Expr) -> bool {
    // `parameter.<method>()`.
    fn outcome_call(parameter: &str, expr: &Expr, method: &str) -> bool {
        matches!(expr, Expr::Call(call)
            if call.arguments.is_empty()
                && matches!(&*call.func, Expr::Attribute(attr)
                    if attr.attr.as_str() == method
                        && matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == parameter)))
    }
    // `result()` raises the failure (into the callback's handler, or to the
    // loop's exception handler, which logs it); `exception()` only returns
    // it, so it counts when handed on (`exc_info=task.exception()`).
    fn reads_outcome(parameter: &str, expr: &Expr) -> bool {
        outcome_call(parameter, expr, "result")
            || matches!(expr, Expr::Call(call)
                if call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value))
                    .any(|arg| outcome_call(parameter, arg, "exception")))
    }
    if let Expr::Lambda(lambda) = callback {
        let Some(parameter) = lambda
            .parameters
            .as_deref()
            .and_then(|p| p.posonlyargs.iter().chain(&p.args).last())
        else {
            return false;
        };
        let name = parameter.parameter.name.id.as_str();
        return ruff_python_ast::helpers::any_over_expr(&lambda.body, |e: &Expr| {
            reads_outcome(name, e)
        });
    }
    let Some((_, def)) = checker.semantic.resolve_callee(callback, scope) else {
        return false;
    };
    let Some(parameter) = def
        .parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .last()
    else {
        return false;
    };
    let name = parameter.parameter.name.id.as_str();
    any_over_body(&def.body, |e| reads_outcome(name, e))
}

/// `[]`, `set()`, `{}`, `list()`, `dict()` or `None`.
fn is_empty_container(value: &Expr) -> bool {
    match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Set(set) => set.elts.is_empty(),
        Expr::Dict(dict) => dict.is_empty(),
        Expr::Call(call) => {
            call.arguments.is_empty()
                && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set" | "dict"))
        }
        Expr::NoneLiteral(_) => true,
        _ => false,
    }
}
