//! CS005: results of `asyncio.gather(..., return_exceptions=True)` that are
//! never checked for exceptions.
//!
//! Detection follows the result list where a reader would (see [`flow`]);
//! the fixes follow where the results go: [`fix_extend`] extends the
//! handling the code has where it tests some exception types,
//! [`fix_log`] logs each failure and changes nothing else, [`fix_raise`]
//! raises when the results flow on as values.

mod facts;
mod fix_extend;
mod fix_log;
mod fix_raise;
mod flow;
mod handled;
mod observed;

use std::collections::HashMap;

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::fix::names::FreshNames;
use crate::rules::rule::FixAvailability;
use crate::semantic::{ScopeId, ScopeKind};
use facts::{FunctionFacts, Site, squash, target_names};
use flow::Tracker;

declare_rule! {
    /// ## What it does
    /// Finds `asyncio.gather(..., return_exceptions=True)` whose results
    /// are never checked for exceptions: the list is discarded, or its
    /// elements flow on as values (returned, passed on, summed, indexed as
    /// data, stored) without a test.
    ///
    /// The results count as checked when the code a reader sees checks
    /// them, wherever the list or its elements go: through names bound to
    /// them (`result = results[i]`, `for r in results`, `a, b = results`,
    /// `zip(items, results)`, `dict(zip(...))` and its `.items()`), into a
    /// function of the same module that receives the list or an element
    /// (the call is followed into its definition, `self.method(...)`
    /// included), by an `isinstance(r, Exception)` or
    /// `isinstance(r, BaseException)` test, a `raise`, or logging the
    /// element at warning level or above. Filtering on the expected type
    /// (`[r for r in results if isinstance(r, Item)]`), on `r is True`, or
    /// with `if r is not None:` whose branch reports `r` (awaitables that
    /// return `None`) also counts: exceptions never flow on as values. An
    /// `if isinstance(r, Item):` statement with no `elif` or `else` does
    /// not: it acts on the successes and skips the failures without a
    /// trace, so nothing checks them (a reply that failed is as good as
    /// one never sent, and the code carries on as if all succeeded). A
    /// test for some exception types only (`isinstance(r, TimeoutError)`)
    /// is reported, naming the types tested: any other exception passes
    /// unchecked.
    ///
    /// Not reported: best-effort teardown, where the gather waits for work
    /// that is being stopped and nothing flows on (a `finally:` block, an
    /// `except` handler that ends with a bare `raise`, or a function whose
    /// name says it closes: `close`, `aclose`, `stop`,
    /// `shutdown`, `disconnect...`, `cleanup`, `unload`, `terminate`,
    /// `__aexit__`, `tearDown`...; or whose name says it cancels work in
    /// flight, `cancel_all`, `_cancel_workers`, when the gather waits for
    /// tasks that exist already rather than calls it starts), and the
    /// cancel-then-gather idiom
    /// (`for t in tasks: t.cancel()`, `t.cancel()` for each task, or
    /// `tasks.append(t)` next to `t.cancel()` while building the list;
    /// `t.throw(exc)` counts as a cancel),
    /// here or in a function of the same module that returns the list it
    /// cancelled (`tasks = cancel_siblings(...)`); a task whose coroutine
    /// runs under a cancel scope it is given (`with scope:`) that was
    /// cancelled after the task was made (`scope.cancel()`); and a gather
    /// future cancelled before it is awaited (`fut.cancel()` then `await
    /// fut`, which raises `CancelledError`). Nor are gathers of coroutines
    /// of this module that handle their own failures: each one's awaited
    /// work runs in a `try` whose handler catches `Exception` (or wider) and
    /// does not raise (it logs, or returns a failure value), so the list
    /// holds no failure but a cancellation (the coroutine is found through
    /// calls, `self.method(...)`, comprehensions, tasks made of them and
    /// lists built of such tasks); or each one logs its exceptions (its
    /// decorator does, `@log_exceptions(...)` or a decorator of this module
    /// whose wrapper logs in a handler of `Exception`, or its own handler of
    /// `Exception` logs at warning level or above before raising again),
    /// when the results are not used as values. Nor are an instance's
    /// background tasks (`*self._tasks`, or a copy of it) whose failures a
    /// done callback observes already: every task the class's methods add
    /// to the attribute gets `task.add_done_callback(cb)` where it is
    /// created, and `cb` (a function or method of the module, or a `lambda`)
    /// reports the failure: it calls `task.result()` (which raises it into
    /// the callback's handler or the loop's), or hands `task.exception()` to
    /// a call (`exc_info=task.exception()`); the gather only waits for
    /// them.
    /// `return_exceptions` that is not the literal `True` is not reported.
    ///
    /// Names are resolved through imports and aliases (`import asyncio as
    /// aio`, `from asyncio import gather`); `asyncio.wait_for(...)` and
    /// `asyncio.shield(...)` around the gather, `loop.run_until_complete(...)`
    /// and a future bound to a name and awaited later are followed too.
    ///
    /// ## Why is this bad?
    /// With `return_exceptions=True`, `gather` never raises: an exception
    /// raised by an awaitable becomes an element of the result list, in the
    /// place of the value. Unless each element is inspected, the failure is
    /// invisible: the code completes "successfully" with partial data, and
    /// whatever consumes the list later fails with an unrelated error (a
    /// `TypeError` on the exception object) far from the cause, or not at
    /// all.
    ///
    /// Wrapping the call in `try: ... except ExceptionGroup:` does not help:
    /// a gather with `return_exceptions=True` does not raise, so the handler
    /// never runs.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def total_price(ids):
    ///     prices = await asyncio.gather(*map(fetch_price, ids), return_exceptions=True)
    ///     return sum(prices)
    ///
    /// async def refresh_all(devices):
    ///     await asyncio.gather(*(d.refresh() for d in devices), return_exceptions=True)
    /// ```
    ///
    /// Use instead (Python 3.11+):
    /// ```python
    /// import asyncio
    /// import logging
    ///
    /// _LOGGER = logging.getLogger(__name__)
    ///
    /// async def total_price(ids):
    ///     prices = await asyncio.gather(*map(fetch_price, ids), return_exceptions=True)
    ///     errors = [price for price in prices if isinstance(price, BaseException)]
    ///     for error in errors:
    ///         if isinstance(error, asyncio.CancelledError):
    ///             raise error
    ///     if errors:
    ///         raise BaseExceptionGroup(
    ///             f"total_price: {len(errors)} of {len(prices)} awaitables failed", errors
    ///         )
    ///     return sum(prices)
    ///
    /// async def refresh_all(devices):
    ///     results = await asyncio.gather(*(d.refresh() for d in devices), return_exceptions=True)
    ///     for result in results:
    ///         if isinstance(result, Exception):
    ///             _LOGGER.error("Awaitable failed in refresh_all", exc_info=result)
    /// ```
    ///
    /// ## What the fixes do
    /// The fix follows where the results go.
    ///
    /// - Tested for some exception types only: the handling the code has is
    ///   extended to the other failures, where the results are tested (in
    ///   the loop over them, on the element taken from them, in the helper
    ///   that classifies them), never with a loop of its own:
    ///   - the last test of a chain of `if isinstance(result, T):` branches
    ///     is widened to `Exception` when its branch treats the failure as a
    ///     whole (logs it, wraps it: `raise UpdateFailed(result) from
    ///     result`), not when it is about its type (reads an attribute of
    ///     it, or raises an error that does not carry it, like a
    ///     "log in again" error);
    ///   - otherwise an `elif isinstance(result, Exception):` follows the
    ///     chain and does what the chain does: raises like its last branch
    ///     that raises a failure as a whole (`from result`), or logs with the
    ///     chain's logger at its level (its message when it is a plain
    ///     sentence), and marks the failure in the mapping the loop walks
    ///     where a branch marks one (`status[key] = False`); types whose
    ///     branch lets the element go on to later tests are left out of the
    ///     new test (`and not isinstance(result, T)`);
    ///   - in an expression (`sum(isinstance(r, (A, B)) for r in results)`)
    ///     the test is widened to `Exception`, or, when some types count
    ///     only under a condition (`isinstance(r, C) and r.code != 1207`),
    ///     one more `or` operand counts the other failures and leaves those
    ///     types to their condition.
    ///
    ///   Each place that tests the results is extended, in one fix. Where
    ///   the handling cannot be extended (an `else:` takes the rest already,
    ///   tests of several shapes), the logging fix below is offered instead.
    /// - Discarded, never read, tested only for some exception types in a
    ///   way that cannot be extended, or in teardown: log each failure (an `Exception` element; a cancelled
    ///   awaitable is not a failure) with the instance's logger in a
    ///   method of a class that keeps one (`self.logger`, `self._logger`,
    ///   `self.log`, `self._log`, assigned only loggers: a `getLogger(...)`
    ///   call or an injected `logger` parameter), else the module's logger (`_LOGGER`,
    ///   `LOGGER`, `logger`, `log`, `_log`, `_logger` bound to
    ///   `logging.getLogger(...)`, or any module-level name bound once to a
    ///   `...get_logger(__name__)`/`getLogger(__name__)` call, a project's
    ///   or structlog's), or `logging.getLogger(__name__)` when there is
    ///   none, and carry on as before. When some types are already
    ///   tested, only the others are logged.
    /// - Flowing on as values (and no exception type tested yet, outside
    ///   teardown): raise, because carrying on only turns the failure into a
    ///   later `TypeError` or a wrong value. From `--target-version py311`
    ///   the failures are raised together as a `BaseExceptionGroup` (an
    ///   `ExceptionGroup` when all are `Exception`s, so `except*` works); a
    ///   `CancelledError` result is re-raised as itself, so cancellation
    ///   still propagates as cancellation. Before 3.11 the first failure is
    ///   re-raised. Logging is offered as the alternative fix (an unsafe
    ///   one: choose it with `fix --interactive`).
    ///
    /// A raise is never inserted in front of handling the code already has
    /// (a partial test), nor in teardown. The check goes right after the
    /// statement that binds the results; when they were not bound, they are
    /// bound to a new name on a line of their own first. No fix is offered
    /// where that cannot be done (inside a comprehension, a `lambda`, a
    /// short-circuiting operand, or a statement sharing its line).
    ///
    /// ## Fix safety
    /// Extending the existing handling is safe when it only adds log records
    /// (a widened or new branch that logs, and nothing flows on as a value).
    /// It is unsafe when the branch raises, marks a result, or counts: the
    /// failures the code dropped now take the path of the expected ones (an
    /// update that reported success now fails; a count grows), which is the
    /// point, but callers see it. Types the code tests already are handled
    /// as before.
    ///
    /// The logging fix is safe when nothing flows on as a value (the results
    /// were discarded, never read, or only some exception types are tested
    /// and the rest are dropped): it only adds log records for failures that
    /// were silently lost, and control flow, return values and exceptions
    /// are unchanged. It is unsafe when the results flow on as values
    /// (logging alone leaves the failure in the values, so it is an
    /// alternative to choose, not one to apply in bulk), and when the gather
    /// has to be hoisted out of a larger statement (the parts of that
    /// statement before the gather then run after it).
    ///
    /// The raising fix is unsafe: it turns silent partial results into a
    /// raised error, which callers may not expect. The names the fixes
    /// introduce are not used anywhere else in the function.
    pub struct UncheckedGatherResults {
        code: "CS005",
        name: "unchecked-gather-exceptions",
        summary: "Results of `gather(..., return_exceptions=True)` never checked for exceptions",
        fixes: FixAvailability::BOTH,
    }
}

/// Only a `gather` told to return exceptions is judged (the keyword in
/// code, not only in a comment or a string).
pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &["return_exceptions"],
    words: Some(|| vec![vec!["return_exceptions"]]),
    text: None,
    project_index: false,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    // Names chosen by fixes in this run, per outermost function, so two
    // fixes in one function (applied in the same pass) do not share names.
    let mut taken: HashMap<ScopeId, FreshNames> = HashMap::new();
    for (scope, def) in checker.semantic.functions() {
        // Collected once per function, shared by its gathers' flows.
        let facts = std::rc::Rc::new(FunctionFacts::collect(checker, scope, def));
        for gather in &facts.gathers {
            let (root, function) = root_function(checker, scope, def);
            let names = taken
                .entry(root)
                .or_insert_with(|| FreshNames::new(function));
            if let Some(diagnostic) = analyze(checker, &facts, gather, names) {
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// Where the gathered results go, for the message and the fix.
pub(super) enum Flow<'a> {
    /// `await gather(...)` as a statement.
    Discarded,
    /// `name = await gather(...)`.
    Bound(&'a ast::ExprName),
    /// Anything else: returned, passed to a call, iterated, unpacked...
    Used,
}

fn analyze<'a>(
    checker: &Checker<'a>,
    facts: &std::rc::Rc<FunctionFacts<'a>>,
    gather: &Site<'a>,
    taken: &mut FreshNames,
) -> Option<Diagnostic> {
    let Expr::Call(call) = gather.expr else {
        return None;
    };
    if cancelled_before(checker, facts, call)
        || observed::observed_by_callbacks(checker, facts, call)
    {
        return None;
    }
    // Coroutines that contain their own failures leave none in the list.
    let handling = handled::gathered_handling(checker, facts, call);
    if handling == Some(handled::Handling::Contained) {
        return None;
    }
    let result = result_site(checker, facts, gather)?;
    if awaited_after_cancel(facts, gather, &result) {
        return None;
    }
    let flow = match (result.ancestors.is_empty(), result.stmt()) {
        (true, Stmt::Expr(_)) => Flow::Discarded,
        (true, Stmt::Assign(assign)) => match &*assign.targets {
            [Expr::Name(name)] => Flow::Bound(name),
            _ => Flow::Used,
        },
        // The value, not the annotation (`g: await gather(...)` binds
        // nothing: the results are thrown away where a fix cannot name them).
        (true, Stmt::AnnAssign(assign))
            if assign
                .value
                .as_deref()
                .is_some_and(|value| std::ptr::eq(value, result.expr)) =>
        {
            match &*assign.target {
                Expr::Name(name) => Flow::Bound(name),
                _ => Flow::Used,
            }
        }
        _ => Flow::Used,
    };

    let def = facts.def;
    let mut tracker = Tracker::new(checker);
    tracker.follow(facts.clone(), &result);
    let outcome = tracker.outcome;
    if outcome.checked || outcome.filtered {
        return None;
    }
    let teardown = result.in_finally || is_teardown(checker, facts, def, call);
    // Failures already reported where they happen (the coroutines log
    // them) are lost only if the results flow on as values.
    let logged = handling == Some(handled::Handling::Logged);
    if (teardown || logged) && outcome.values.is_empty() {
        return None;
    }

    let function = def.name.id.as_str();
    let subject = match flow {
        Flow::Bound(name) => format!(
            "`{}`, the result list of `gather(..., return_exceptions=True)` in `{function}`,",
            name.id
        ),
        _ => format!("The result list of `gather(..., return_exceptions=True)` in `{function}`"),
    };
    let message = if !outcome.partial.is_empty() {
        let tested = outcome
            .partial
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let rest = match outcome.values.first() {
            Some(value) => format!("any other exception passes unchecked, and the list {value}"),
            None => "any other exception passes unchecked and is silently lost".to_string(),
        };
        format!("{subject} is tested only for {tested}; {rest}")
    } else if let Some(value) = outcome.values.first() {
        format!(
            "{subject} {value} without a check for exceptions; failures pass on as ordinary values"
        )
    } else if matches!(flow, Flow::Discarded) {
        format!("{subject} is discarded; failures are silently lost")
    } else {
        format!("{subject} is never checked for exceptions; failures are silently lost")
    };

    let mut diagnostic = Diagnostic::new(&UncheckedGatherResults::INFO, message, call.func.range());
    let site = FixSite {
        result: &result,
        flow: &flow,
        function,
        scope: facts.scope,
    };
    // Raising is for values that flow on: carrying on would turn the failure
    // into a later error or a wrong value. Never in front of handling that
    // exists (some types are tested), never in teardown.
    if !outcome.values.is_empty()
        && outcome.partial.is_empty()
        && !teardown
        && let Some(fix) = fix_raise::fix(checker, &site, taken)
    {
        diagnostic = diagnostic.with_fix(fix);
    }
    let values_flow = !outcome.values.is_empty();
    // Where the code handles some failures already, the fix extends that
    // handling; a loop of its own is for results nothing looks at.
    if let Some(fix) = fix_extend::fix(checker, &outcome.partial_tests, values_flow) {
        diagnostic = diagnostic.with_fix(fix);
    } else if let Some(fix) = fix_log::fix(checker, &site, &outcome.partial, values_flow, taken) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Some(diagnostic)
}

/// What the fixes need to know about one finding.
pub(super) struct FixSite<'s, 'a> {
    pub result: &'s Site<'a>,
    pub flow: &'s Flow<'a>,
    pub function: &'a str,
    pub scope: ScopeId,
}

/// The expression that evaluates to the gathered list: the `await` around
/// the gather (through `wait_for`/`shield`), `loop.run_until_complete(...)`,
/// or the later `await fut` of a future bound by `fut = gather(...)`.
fn result_site<'a>(
    checker: &Checker<'a>,
    facts: &std::rc::Rc<FunctionFacts<'a>>,
    gather: &Site<'a>,
) -> Option<Site<'a>> {
    let scope = facts.scope;
    let mut level = 0;
    loop {
        let site = gather.up(level)?;
        let Some(parent) = site.parent() else { break };
        match parent {
            Expr::Await(_) => return site.up(1),
            Expr::Call(wrapper)
                if wrapper
                    .arguments
                    .args
                    .first()
                    .is_some_and(|first| std::ptr::eq(first, site.expr)) =>
            {
                let qualified = checker
                    .semantic
                    .resolve_qualified_name(&wrapper.func, scope);
                if qualified.is_some_and(|q| {
                    matches!(
                        q.segments(),
                        ["asyncio", "wait_for" | "shield"]
                            | ["asyncio", "tasks", "wait_for" | "shield"]
                    )
                }) {
                    level += 1;
                    continue;
                }
                if matches!(&*wrapper.func, Expr::Attribute(a) if a.attr.id.as_str() == "run_until_complete")
                {
                    return site.up(1);
                }
                return None;
            }
            _ => return None,
        }
    }
    // `fut = gather(...)`, awaited later.
    let Stmt::Assign(assign) = gather.stmt() else {
        return None;
    };
    let [Expr::Name(future)] = &*assign.targets else {
        return None;
    };
    if !gather.ancestors.is_empty() {
        return None;
    }
    facts
        .loads
        .iter()
        .find(|load| {
            let Expr::Name(name) = load.expr else {
                return false;
            };
            matches!(load.parent(), Some(Expr::Await(_)))
                && name.id == future.id
                && name.start() > assign.end()
                && checker
                    .semantic
                    .resolve_name(name.id.as_str(), scope, name.start())
                    .is_some_and(|b| b.range == future.range)
        })
        .and_then(|load| load.up(1))
}

/// The shutdown idiom: the gathered tasks were cancelled just before, and
/// the gather only waits for them to finish (their `CancelledError`s are
/// the expected results). The tasks are cancelled in a loop over the
/// collection (`for t in tasks: t.cancel()`), one by one (`t.cancel()`), or
/// as they are added to a collection built empty (`tasks.append(t)` next to
/// `t.cancel()`), or by a same-module function that returns them
/// ([`cancelled_by_callee`]).
fn cancelled_before(checker: &Checker, facts: &FunctionFacts, call: &ast::ExprCall) -> bool {
    !call.arguments.args.is_empty()
        && call.arguments.args.iter().all(|arg| match arg {
            Expr::Starred(starred) => {
                let collection = squash(checker.text(&*starred.value));
                cancelled_in_loop(checker, facts, &collection, call.start())
                    || copied_from(checker, facts, &starred.value, call.start()).is_some_and(
                        |source| cancelled_in_loop(checker, facts, &source, call.start()),
                    )
                    || cancelled_as_added(checker, facts, &starred.value, &collection, call.start())
                    || cancelled_by_callee(checker, facts, &starred.value, call.start())
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                let task = squash(checker.text(arg));
                facts
                    .cancels
                    .iter()
                    .any(|(receiver, at, _)| *receiver == task && *at < call.start())
                    || scope_cancelled(checker, facts, arg, call.start())
            }
            _ => false,
        })
}

/// For `task` bound to a task (or coroutine) of a function of this module
/// that runs under a cancel scope it is given (`with scope:` on a
/// parameter), whether that scope was cancelled after the task was made and
/// before `before`: `task = create_task(pull(scope))`, then
/// `scope.cancel()`. The task is being stopped as surely as by
/// `task.cancel()`.
fn scope_cancelled(
    checker: &Checker,
    facts: &FunctionFacts,
    task: &Expr,
    before: TextSize,
) -> bool {
    let Expr::Name(name) = task else {
        return false;
    };
    let semantic = &checker.semantic;
    let Some(binding) = semantic.resolve_name(name.id.as_str(), facts.scope, name.start()) else {
        return false;
    };
    let crate::semantic::BindingKind::Assignment { value: Some(value) } = binding.kind else {
        return false;
    };
    let value = match value {
        Expr::Call(call) => handled::task_coroutine(checker, call, facts.scope).unwrap_or(value),
        other => other,
    };
    let Expr::Call(coroutine) = value else {
        return false;
    };
    let Some((_, def)) = semantic.resolve_callee(&coroutine.func, facts.scope) else {
        return false;
    };
    // The parameters that positional arguments fill (`self` is given by
    // `self.m(...)`).
    let parameters: Vec<&str> = def
        .parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .map(|p| p.parameter.name.id.as_str())
        .collect();
    let bound_receiver = matches!(&*coroutine.func, Expr::Attribute(_))
        && parameters
            .first()
            .is_some_and(|first| matches!(*first, "self" | "cls"));
    let positional = parameters.iter().skip(usize::from(bound_receiver));
    let given =
        coroutine
            .arguments
            .args
            .iter()
            .zip(positional.copied())
            .chain(
                coroutine.arguments.keywords.iter().filter_map(|keyword| {
                    Some((&keyword.value, keyword.arg.as_ref()?.id.as_str()))
                }),
            );
    let enters = |parameter: &str| {
        semantic.statements_in(&def.body).any(|id| {
            matches!(semantic.statement(id), Stmt::With(with)
            if with.items.iter().any(|item| {
                matches!(&item.context_expr, Expr::Name(n) if n.id.as_str() == parameter)
            }))
        })
    };
    given
        .filter(|(argument, _)| matches!(argument, Expr::Name(_) | Expr::Attribute(_)))
        .any(|(argument, parameter)| {
            let handle = squash(checker.text(argument));
            enters(parameter)
                && facts.cancels.iter().any(|(receiver, at, _)| {
                    *receiver == handle && binding.range.start() < *at && *at < before
                })
        })
}

/// For results read by `await fut` of a future bound to the gather
/// (`fut = gather(...)`), whether `fut.cancel()` comes before that await in
/// the statement list holding it or one around it: the await raises
/// `CancelledError` (a cancelled gather propagates the cancellation
/// whatever `return_exceptions` says), so no list is ever read there.
fn awaited_after_cancel(facts: &FunctionFacts, gather: &Site, result: &Site) -> bool {
    let Expr::Await(awaited) = result.expr else {
        return false;
    };
    let Expr::Name(future) = &*awaited.value else {
        return false;
    };
    facts.cancels.iter().any(|(receiver, at, block)| {
        receiver == future.id.as_str()
            && gather.expr.end() < *at
            && *at < awaited.start()
            && block.contains(awaited.start())
    })
}

/// For `tasks` bound once (before `before`) to a copy of another
/// collection (`list(c)`, `tuple(c)`, `set(c)`, `c.copy()`, `[t for t in
/// c]`), the text of `c`: cancelling the tasks of `c` cancels those of the
/// copy.
fn copied_from(
    checker: &Checker,
    facts: &FunctionFacts,
    collection: &Expr,
    before: TextSize,
) -> Option<String> {
    let Expr::Name(name) = collection else {
        return None;
    };
    let mut bindings = checker
        .semantic
        .bindings_in_scope(name.id.as_str(), facts.scope)
        .filter(|b| b.range.start() < before);
    let binding = bindings.next()?;
    if bindings.next().is_some() {
        return None;
    }
    let crate::semantic::BindingKind::Assignment { value: Some(value) } = binding.kind else {
        return None;
    };
    let source = match value {
        Expr::Call(call) => match (&*call.func, &*call.arguments.args) {
            (Expr::Name(f), [source])
                if matches!(f.id.as_str(), "list" | "tuple" | "set")
                    && call.arguments.keywords.is_empty() =>
            {
                source
            }
            (Expr::Attribute(attribute), []) if attribute.attr.id.as_str() == "copy" => {
                &attribute.value
            }
            _ => return None,
        },
        Expr::ListComp(comp) => match (&*comp.elt, comp.generators.as_slice()) {
            (Expr::Name(element), [generator])
                if generator.ifs.is_empty()
                    && matches!(&generator.target, Expr::Name(t) if t.id == element.id) =>
            {
                &generator.iter
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(squash(checker.text(source)))
}

/// For `tasks` bound once (before `before`) to what a function of this
/// module returns (`tasks = cancel_pending(...)`, awaited or not), whether
/// that function returns only collections whose tasks it cancelled: each
/// `return` gives a name whose tasks were cancelled in a loop over it or as
/// they were added to it ([`cancelled_in_loop`], [`cancelled_as_added`] in
/// the callee's body).
fn cancelled_by_callee(
    checker: &Checker,
    facts: &FunctionFacts,
    collection: &Expr,
    before: TextSize,
) -> bool {
    let Expr::Name(name) = collection else {
        return false;
    };
    let mut bindings = checker
        .semantic
        .bindings_in_scope(name.id.as_str(), facts.scope)
        .filter(|b| b.range.start() < before);
    let (Some(binding), None) = (bindings.next(), bindings.next()) else {
        return false;
    };
    let crate::semantic::BindingKind::Assignment { value: Some(value) } = binding.kind else {
        return false;
    };
    let value = match value {
        Expr::Await(awaited) => &*awaited.value,
        value => value,
    };
    let Expr::Call(call) = value else {
        return false;
    };
    let Some((scope, def)) = checker.semantic.resolve_callee(&call.func, facts.scope) else {
        return false;
    };
    if std::ptr::eq(def, facts.def) {
        return false;
    }
    let callee = FunctionFacts::collect(checker, scope, def);
    let mut returns = checker.semantic.return_statements(def).peekable();
    returns.peek().is_some()
        && returns.all(|ret| {
            ret.value.as_deref().is_some_and(|value| {
                let returned = squash(checker.text(value));
                cancelled_in_loop(checker, &callee, &returned, ret.start())
                    || cancelled_as_added(checker, &callee, value, &returned, ret.start())
            })
        })
}

/// `for t in collection: ... t.cancel()` before `before`.
fn cancelled_in_loop(
    checker: &Checker,
    facts: &FunctionFacts,
    collection: &str,
    before: TextSize,
) -> bool {
    facts.iterations.iter().any(|iteration| {
        let targets: Vec<&str> = target_names(iteration.target)
            .map(|n| n.id.as_str())
            .collect();
        iteration.extent.end() <= before
            && squash(checker.text(iteration.iter)) == collection
            && facts.cancels.iter().any(|(receiver, at, _)| {
                targets.contains(&receiver.as_str()) && iteration.extent.contains(*at)
            })
    })
}

/// `tasks = []` and every `tasks.append(t)` before `before` sits next to a
/// `t.cancel()` in the same statement list, and nothing else adds to it
/// (`tasks.extend(...)`, `tasks += ...`).
fn cancelled_as_added(
    checker: &Checker,
    facts: &FunctionFacts,
    collection_expr: &Expr,
    collection: &str,
    before: TextSize,
) -> bool {
    let Expr::Name(name) = collection_expr else {
        return false;
    };
    // Every binding of the collection before the gather is an empty display.
    let bindings: Vec<_> = checker
        .semantic
        .bindings_in_scope(name.id.as_str(), facts.scope)
        .filter(|b| b.range.start() < before)
        .collect();
    let starts_empty = !bindings.is_empty()
        && bindings.iter().all(|b| match b.kind {
            crate::semantic::BindingKind::Assignment { value: Some(value) } => match value {
                Expr::List(list) => list.elts.is_empty(),
                Expr::Set(set) => set.elts.is_empty(),
                Expr::Call(call) => {
                    call.arguments.is_empty()
                        && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set"))
                }
                _ => false,
            },
            _ => false,
        });
    let appends: Vec<_> = facts
        .appends
        .iter()
        .filter(|(receiver, _, at, _)| receiver == collection && *at < before)
        .collect();
    let grows_otherwise = facts
        .grows
        .iter()
        .any(|(receiver, _, at)| receiver == collection && *at < before);
    starts_empty
        && !grows_otherwise
        && !appends.is_empty()
        && appends.iter().all(|(_, element, _, block)| {
            facts.cancels.iter().any(|(receiver, at, cancel_block)| {
                receiver == element && cancel_block == block && *at < before
            })
        })
}

/// A function whose role is closing: `close`, `aclose`, `stop`, `shutdown`,
/// `disconnect...`, `cleanup`, `unload`, `terminate`, `dispose`, context
/// manager exits and unittest tear-downs (as a word of its name, so
/// `async_stop` and `_stop_watchdog` are too). Like a `finally:` block, it
/// waits for work that was stopped to end, on a best-effort basis.
///
/// A function whose role is cancelling work in flight (`cancel_all`,
/// `_cancel_spawned_workers`) is teardown too when
/// its gather waits for tasks that exist already
/// ([`waits_for_existing_tasks`]); one that starts new work there
/// (`cancel_orders` gathering `api.cancel(order)` requests) is not: those
/// requests can fail like any other.
fn is_teardown(
    checker: &Checker,
    facts: &FunctionFacts,
    def: &ast::StmtFunctionDef,
    gather: &ast::ExprCall,
) -> bool {
    const ROLES: &[&str] = &[
        "close",
        "aclose",
        "stop",
        "shutdown",
        "disconnect",
        "cleanup",
        "teardown",
        "unload",
        "terminate",
        "dispose",
        "exit",
        "aexit",
    ];
    const STOPPING: &[&str] = &["cancel"];
    let words = crate::semantic::names::identifier_words(def.name.id.as_str());
    let joined = words.concat();
    words.iter().any(|w| ROLES.contains(&w.as_str()))
        || ROLES.iter().any(|role| joined == *role)
        || joined.contains("teardown")
        || joined.starts_with("disconnect")
        || (words.iter().any(|w| STOPPING.contains(&w.as_str()))
            && waits_for_existing_tasks(checker, facts, gather))
}

/// Whether every awaitable a gather is given is a task or future that
/// exists already, not work started for the gather: no argument is a call
/// (`api.cancel(order)`, `create_task(...)`; a view or copy of a
/// collection, `tasks.values()`, `list(tasks)`, is what the collection
/// is), and no starred collection is
/// a comprehension or a display of calls (`*(f(x) for x in xs)`), nor a
/// local name any binding of which is one, or is built empty and then
/// given calls (`tasks.append(create_task(...))`) or anything by another
/// way (`extend`, `+=`). `*[t.task for t in running]` waits for existing
/// tasks.
fn waits_for_existing_tasks(
    checker: &Checker,
    facts: &FunctionFacts,
    gather: &ast::ExprCall,
) -> bool {
    fn makes_work(checker: &Checker, facts: &FunctionFacts, expr: &Expr, depth: u8) -> bool {
        match expr {
            // A view or copy of a collection (`tasks.values()`,
            // `list(tasks)`) holds what the collection holds.
            Expr::Call(call) => match (&*call.func, &*call.arguments.args) {
                (Expr::Attribute(method), [])
                    if call.arguments.keywords.is_empty()
                        && matches!(method.attr.as_str(), "values" | "copy") =>
                {
                    makes_work(checker, facts, &method.value, depth)
                }
                (Expr::Name(f), [collection])
                    if call.arguments.keywords.is_empty()
                        && matches!(f.id.as_str(), "list" | "tuple" | "set")
                        && checker
                            .semantic
                            .resolve_name(f.id.as_str(), facts.scope, f.start())
                            .is_none() =>
                {
                    makes_work(checker, facts, collection, depth)
                }
                _ => true,
            },
            Expr::Await(_) => true,
            Expr::Generator(ast::ExprGenerator { elt, .. })
            | Expr::ListComp(ast::ExprListComp { elt, .. })
            | Expr::SetComp(ast::ExprSetComp { elt, .. }) => makes_work(checker, facts, elt, depth),
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                elts.iter().any(|e| makes_work(checker, facts, e, depth))
            }
            // A local collection: what it was built from.
            Expr::Name(name) if depth < 4 => {
                let text = name.id.as_str();
                let added = |element: &Expr| makes_work(checker, facts, element, depth + 1);
                checker
                    .semantic
                    .bindings_in_scope(text, facts.scope)
                    .filter(|b| b.range.start() < name.start())
                    .any(|binding| match binding.kind {
                        crate::semantic::BindingKind::Assignment { value: Some(value) }
                            if is_empty_collection(value) =>
                        {
                            facts.grows.iter().any(|(receiver, ..)| receiver == text)
                                || facts
                                    .appended
                                    .iter()
                                    .any(|(receiver, element)| receiver == text && added(element))
                        }
                        crate::semantic::BindingKind::Assignment { value: Some(value) } => {
                            matches!(
                                value,
                                Expr::Generator(_)
                                    | Expr::ListComp(_)
                                    | Expr::SetComp(_)
                                    | Expr::List(_)
                                    | Expr::Tuple(_)
                                    | Expr::Set(_)
                            ) && added(value)
                        }
                        _ => false,
                    })
            }
            _ => false,
        }
    }
    !gather.arguments.args.is_empty()
        && gather.arguments.args.iter().all(|arg| {
            let value = match arg {
                Expr::Starred(starred) => &*starred.value,
                other => other,
            };
            !makes_work(checker, facts, value, 0)
        })
}

/// `[]`, `()`, `set()`, `list()`.
fn is_empty_collection(value: &Expr) -> bool {
    match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Tuple(tuple) => tuple.elts.is_empty(),
        Expr::Call(call) => {
            call.arguments.is_empty()
                && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set"))
        }
        _ => false,
    }
}

/// The outermost function of a chain of nested functions (a method's own
/// scope, not its class) and its range.
fn root_function(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
) -> (ScopeId, TextRange) {
    let mut current = (scope, def.range());
    while let Some(parent) = checker.semantic.scope(current.0).parent {
        match checker.semantic.scope(parent).kind {
            ScopeKind::Function(outer) => current = (parent, outer.range()),
            _ => break,
        }
    }
    current
}

/// Whether `target` (inside `stmt`, under `ancestors`) can be evaluated on a
/// line before the statement without changing whether or how often it runs.
pub(super) fn hoistable(stmt: &Stmt, ancestors: &[&Expr], target: &Expr) -> bool {
    let top = ancestors.first().copied().unwrap_or(target);
    let is = |slot: &Expr| std::ptr::eq(slot, top);
    let top_ok = match stmt {
        Stmt::Expr(s) => is(&s.value),
        Stmt::Return(s) => s.value.as_deref().is_some_and(is),
        Stmt::Assign(s) => is(&s.value),
        Stmt::AnnAssign(s) => s.value.as_deref().is_some_and(is),
        Stmt::AugAssign(s) => is(&s.value),
        Stmt::For(s) => is(&s.iter),
        Stmt::If(s) => is(&s.test),
        Stmt::With(s) => s.items.first().is_some_and(|i| is(&i.context_expr)),
        _ => false,
    };
    let mut chain = ancestors.to_vec();
    chain.push(target);
    top_ok
        && chain.windows(2).all(|pair| {
            let (parent, child) = (pair[0], pair[1]);
            let is = |slot: &Expr| std::ptr::eq(slot, child);
            match parent {
                Expr::BoolOp(op) => op.values.first().is_some_and(is),
                Expr::If(ternary) => is(&ternary.test),
                Expr::Compare(compare) => is(&compare.left),
                Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. })
                | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                    generators.first().is_some_and(|g| is(&g.iter))
                }
                Expr::Lambda(_) => false,
                _ => true,
            }
        })
}

/// Puts `lines` (built for the name holding the results) right after the
/// statement that binds the results, binding them to a new name on a line
/// of their own first when they were not bound. Returns the edits and
/// whether the gather had to be hoisted out of a larger statement.
pub(super) fn insert_check(
    checker: &Checker,
    site: &FixSite,
    taken: &mut FreshNames,
    lines: impl FnOnce(&str, &mut FreshNames) -> Vec<String>,
) -> Option<(Vec<Edit>, bool)> {
    let stmt = site.result.stmt();
    if !checker.fixer().is_own_lines(stmt) {
        return None;
    }
    let indent = checker.fixer().line_indentation(stmt.start());
    let block = |lines: Vec<String>| -> String {
        lines
            .iter()
            .map(|line| format!("{indent}{line}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let line_end = checker.source.line_end(stmt.end());
    let result = site.result;
    Some(match site.flow {
        // `_ = await gather(...)`: give the results a real name.
        Flow::Bound(name) if name.id.as_str() == "_" => {
            let results = checker.fixer().fresh_name(taken, "results");
            let lines = lines(&results, taken);
            (
                vec![
                    Edit::range_replacement(results, name.range()),
                    Edit::insertion(format!("\n{}", block(lines)), line_end),
                ],
                false,
            )
        }
        Flow::Bound(name) => {
            let lines = lines(name.id.as_str(), taken);
            (
                vec![Edit::insertion(format!("\n{}", block(lines)), line_end)],
                false,
            )
        }
        Flow::Discarded => {
            let results = checker.fixer().fresh_name(taken, "results");
            let lines = lines(&results, taken);
            let statement = &checker.source[TextRange::new(stmt.start(), line_end)];
            (
                vec![Edit::range_replacement(
                    format!("{results} = {statement}\n{}", block(lines)),
                    TextRange::new(stmt.start(), line_end),
                )],
                false,
            )
        }
        Flow::Used => {
            if !hoistable(stmt, &result.ancestors, result.expr) {
                return None;
            }
            let results = checker.fixer().fresh_name(taken, "results");
            let lines = lines(&results, taken);
            let before = &checker.source[TextRange::new(stmt.start(), result.expr.start())];
            (
                vec![Edit::range_replacement(
                    format!(
                        "{results} = {}\n{}\n{indent}{before}{results}",
                        movable_text(checker, result.expr),
                        block(lines)
                    ),
                    TextRange::new(stmt.start(), result.expr.end()),
                )],
                !result.ancestors.is_empty(),
            )
        }
    })
}

/// The text of `expr` to write elsewhere on its own: parenthesized when it
/// goes on to another line only because brackets around it allow it
/// (`(await\ngather(...),)`), which is invalid outside them.
pub(super) fn movable_text<'a>(checker: &Checker<'a>, expr: &Expr) -> std::borrow::Cow<'a, str> {
    let text = checker.text(expr);
    if checker.fixer().breaks_line_outside_brackets(expr.range()) {
        format!("({text})").into()
    } else {
        text.into()
    }
}

/// Whether one of `names` is bound where the check goes (the fix relies on
/// the builtins).
pub(super) fn shadows_builtins(checker: &Checker, site: &FixSite, names: &[&str]) -> bool {
    let at = site.result.stmt().start();
    names
        .iter()
        .any(|b| checker.semantic.resolve_name(b, site.scope, at).is_some())
}
