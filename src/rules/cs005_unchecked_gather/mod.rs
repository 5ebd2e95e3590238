//! CS005: results of `asyncio.gather(..., return_exceptions=True)` used
//! without checking them for exceptions.
//!
//! Detection follows where the gather's result goes: discarded, returned,
//! passed on, iterated, unpacked, or bound to a name whose later reads are
//! followed. It counts as checked when the elements go through an
//! `isinstance(x, Exception | BaseException)` test (or are re-raised) in a
//! loop, a comprehension or a `lambda` over the result.

use std::collections::HashMap;

use ruff_diagnostics::Edit;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rules::rule::FixAvailability;
use crate::semantic::scope_walk::is_type_checking_guard;
use crate::semantic::{ScopeId, ScopeKind};

declare_rule! {
    /// ## What it does
    /// Finds `asyncio.gather(..., return_exceptions=True)` whose results are
    /// used without being checked for exceptions: the awaited result is
    /// discarded, returned, passed to a call, iterated, indexed or unpacked,
    /// or bound to a name that is then used that way (or never read).
    ///
    /// The results count as checked when the function tests the elements
    /// with `isinstance(x, Exception)` or `isinstance(x, BaseException)` (or
    /// a tuple holding one of them) in a loop, comprehension, `any`/`all`,
    /// `filter(lambda ...)` or by indexing, or re-raises an element.
    /// `return_exceptions=False`, a missing `return_exceptions` and a value
    /// that is not the literal `True` are not reported. Neither is the
    /// shutdown idiom that cancels tasks and then gathers them only to wait
    /// for them to finish (`for t in tasks: t.cancel()` followed by
    /// `await asyncio.gather(*tasks, return_exceptions=True)`), nor a gather
    /// whose results are discarded inside a `finally:` block or a cleanup
    /// hook (`__exit__`, `__aexit__`, unittest's `tearDown`,
    /// `asyncTearDown`, `tearDownClass`, `tearDownModule`): that is cleanup
    /// waiting for work to end (often work stopped just before, whose
    /// `CancelledError` is the expected result), and raising there would
    /// replace the exception already in flight.
    ///
    /// Names are resolved through imports and aliases (`import asyncio as
    /// aio`, `from asyncio import gather`); `asyncio.wait_for(...)` and
    /// `asyncio.shield(...)` around the gather, `loop.run_until_complete(...)`
    /// and a future bound to a name and awaited later are followed too. Each
    /// function is checked on its own, nested functions included.
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
    /// never runs. The results can also hold `BaseException`s such as
    /// `asyncio.CancelledError`, which `ExceptionGroup` refuses.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def fetch_all():
    ///     return await asyncio.gather(
    ///         fetch(1), fetch(2), fetch(3), return_exceptions=True
    ///     )
    /// ```
    ///
    /// Use instead (Python 3.11+):
    /// ```python
    /// import asyncio
    ///
    /// async def fetch_all():
    ///     results = await asyncio.gather(
    ///         fetch(1), fetch(2), fetch(3), return_exceptions=True
    ///     )
    ///     errors = [result for result in results if isinstance(result, BaseException)]
    ///     if errors:
    ///         raise BaseExceptionGroup(
    ///             f"fetch_all: {len(errors)} of {len(results)} awaitables failed", errors
    ///         )
    ///     return results
    /// ```
    ///
    /// `BaseExceptionGroup` accepts `CancelledError` and the like, and
    /// returns an `ExceptionGroup` when every error is an `Exception`, so
    /// `except* ValueError` and `except ExceptionGroup` work on it. Before
    /// Python 3.11 there are no exception groups; re-raise the first error:
    /// ```python
    ///     for result in results:
    ///         if isinstance(result, BaseException):
    ///             raise result
    /// ```
    ///
    /// ## Fix safety
    /// The fix is unsafe: it turns silent partial results into a raised
    /// error, which callers may not expect. It binds the result to a new
    /// name when it was not bound, inserts the check right after it
    /// (`BaseExceptionGroup` for `--target-version py311` and later, a
    /// re-raise of the first error before that), and then returns or passes
    /// on the result as before; the rest of the function is untouched. When
    /// the result is hoisted out of a larger statement, the parts of that
    /// statement before the gather now run after it. The names it introduces
    /// are not used anywhere else in the module. No fix is offered where the
    /// result cannot be bound on a line of its own (inside a comprehension,
    /// a `lambda`, a short-circuiting operand, or a statement sharing its
    /// line).
    pub struct UncheckedGatherResults {
        code: "CS005",
        name: "unchecked-gather-exceptions",
        summary: "Results of `gather(..., return_exceptions=True)` used without checking for exceptions",
        fixes: FixAvailability::UNSAFE,
    }
}

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    // Names chosen by fixes in this run, per outermost function, so two
    // fixes in one function (applied in the same pass) do not share names.
    let mut taken: HashMap<ScopeId, Taken> = HashMap::new();
    for (scope, def) in checker.semantic.functions() {
        let mut facts = Collector::new(checker, scope);
        facts.visit_body(&def.body);
        for gather in &facts.gathers {
            let (root, function) = root_function(checker, scope, def);
            let names = taken.entry(root).or_insert_with(|| Taken {
                names: Vec::new(),
                function,
            });
            if let Some(diagnostic) = analyze(checker, scope, def, &facts, gather, names) {
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// An expression with the statement it is part of and the expressions of
/// that statement enclosing it (outermost first).
#[derive(Clone)]
struct Site<'a> {
    expr: &'a Expr,
    stmt: &'a Stmt,
    ancestors: Vec<&'a Expr>,
    /// In a `finally:` block (cleanup, where raising would replace the
    /// exception in flight).
    in_finally: bool,
}

/// A `for` loop, a comprehension generator or a `lambda` passed to a call:
/// the names in `targets` take the elements of `iter` within `extent`.
struct Iteration<'a> {
    iter: TextRange,
    /// A `lambda` parameter rather than a loop or comprehension target.
    is_lambda: bool,
    targets: Vec<&'a str>,
    extent: TextRange,
}

/// Facts about one function body (nested `def` and `class` bodies skipped).
struct Collector<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    stmts: Vec<&'a Stmt>,
    exprs: Vec<&'a Expr>,
    lambda_depth: usize,
    /// `gather(..., return_exceptions=True)` calls.
    gathers: Vec<Site<'a>>,
    /// `await name` expressions.
    awaits: Vec<Site<'a>>,
    iterations: Vec<Iteration<'a>>,
    /// Subjects of `isinstance(subject, <exception class>)` and of `raise`.
    checks: Vec<&'a Expr>,
    /// `x.cancel()` calls: the receiver's text without whitespace, and
    /// where the call is.
    cancels: Vec<(String, TextSize)>,
    /// Inside a `finally:` block.
    in_finally: bool,
    /// Start of a name bound by an assignment -> end of that statement.
    assign_ends: HashMap<TextSize, TextSize>,
    /// Start of a name read -> how its value is used.
    name_usage: HashMap<TextSize, &'static str>,
}

impl<'c, 'a> Collector<'c, 'a> {
    fn new(checker: &'c Checker<'a>, scope: ScopeId) -> Self {
        Self {
            checker,
            scope,
            stmts: Vec::new(),
            exprs: Vec::new(),
            lambda_depth: 0,
            gathers: Vec::new(),
            awaits: Vec::new(),
            iterations: Vec::new(),
            checks: Vec::new(),
            cancels: Vec::new(),
            in_finally: false,
            assign_ends: HashMap::new(),
            name_usage: HashMap::new(),
        }
    }

    fn site(&self, expr: &'a Expr) -> Option<Site<'a>> {
        Some(Site {
            expr,
            stmt: self.stmts.last().copied()?,
            ancestors: self.exprs.clone(),
            in_finally: self.in_finally,
        })
    }

    fn qualified(&self, expr: &Expr) -> Option<String> {
        self.checker.semantic.qualified_name(expr, self.scope)
    }

    fn is_exception_class(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Tuple(tuple) => tuple.elts.iter().any(|e| self.is_exception_class(e)),
            _ => matches!(
                self.qualified(expr).as_deref(),
                Some("builtins.Exception" | "builtins.BaseException")
            ),
        }
    }

    fn record_assignment_targets(&mut self, target: &'a Expr, end: TextSize) {
        for name in target_names(target) {
            self.assign_ends.insert(name.start(), end);
        }
    }

    fn call(&mut self, expr: &'a Expr, call: &'a ast::ExprCall) {
        let qualified = self.qualified(&call.func);
        if self.lambda_depth == 0
            && matches!(
                qualified.as_deref(),
                Some("asyncio.gather" | "asyncio.tasks.gather")
            )
            && call
                .arguments
                .find_keyword("return_exceptions")
                .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
            && let Some(site) = self.site(expr)
        {
            self.gathers.push(site);
        }
        if qualified.as_deref() == Some("builtins.isinstance")
            && call.arguments.keywords.is_empty()
            && let [subject, class] = &*call.arguments.args
            && self.is_exception_class(class)
        {
            self.checks.push(subject);
        }
        if let Expr::Attribute(attribute) = &*call.func
            && attribute.attr.id.as_str() == "cancel"
            && call.arguments.is_empty()
        {
            let receiver = squash(self.checker.text(&*attribute.value));
            self.cancels.push((receiver, call.start()));
        }
        // `filter(lambda r: isinstance(r, Exception), results)`.
        for arg in &call.arguments.args {
            if let Expr::Lambda(lambda) = arg
                && let Some(parameters) = &lambda.parameters
            {
                self.iterations.push(Iteration {
                    iter: call.arguments.range(),
                    is_lambda: true,
                    targets: parameters.iter().map(|p| p.name().id.as_str()).collect(),
                    extent: lambda.range(),
                });
            }
        }
    }

    fn comprehension(&mut self, expr: &'a Expr, generators: &'a [ast::Comprehension]) {
        for generator in generators {
            self.iterations.push(Iteration {
                iter: generator.iter.range(),
                is_lambda: false,
                targets: target_names(&generator.target)
                    .map(|n| n.id.as_str())
                    .collect(),
                extent: expr.range(),
            });
        }
    }
}

impl<'a> Visitor<'a> for Collector<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // They run elsewhere, whenever they are called.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::For(for_stmt) => self.iterations.push(Iteration {
                iter: for_stmt.iter.range(),
                is_lambda: false,
                targets: target_names(&for_stmt.target)
                    .map(|n| n.id.as_str())
                    .collect(),
                extent: for_stmt.range(),
            }),
            Stmt::Raise(raise) => {
                self.checks.extend(raise.exc.as_deref());
                self.checks.extend(raise.cause.as_deref());
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.record_assignment_targets(target, assign.end());
                }
            }
            Stmt::AnnAssign(assign) => self.record_assignment_targets(&assign.target, assign.end()),
            Stmt::AugAssign(assign) => self.record_assignment_targets(&assign.target, assign.end()),
            _ => {}
        }
        self.stmts.push(stmt);
        match stmt {
            Stmt::If(if_stmt) if is_type_checking_guard(&if_stmt.test) => {
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_body(&clause.body);
                }
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    self.visit_except_handler(handler);
                }
                self.visit_body(&try_stmt.orelse);
                let outer = std::mem::replace(&mut self.in_finally, true);
                self.visit_body(&try_stmt.finalbody);
                self.in_finally = outer;
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(lambda) => {
                self.exprs.push(expr);
                self.lambda_depth += 1;
                self.visit_expr(&lambda.body);
                self.lambda_depth -= 1;
                self.exprs.pop();
                return;
            }
            Expr::Call(call) => self.call(expr, call),
            Expr::Name(name) if name.ctx.is_load() => {
                if let Some(stmt) = self.stmts.last() {
                    let used = usage(stmt, &self.exprs, expr);
                    self.name_usage.insert(name.start(), used);
                }
            }
            Expr::Await(await_expr)
                if self.lambda_depth == 0 && await_expr.value.is_name_expr() =>
            {
                if let Some(site) = self.site(expr) {
                    self.awaits.push(site);
                }
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                self.comprehension(expr, generators);
            }
            _ => {}
        }
        self.exprs.push(expr);
        visitor::walk_expr(self, expr);
        self.exprs.pop();
    }
}

/// The names an assignment or loop target binds.
fn target_names(target: &Expr) -> Box<dyn Iterator<Item = &ast::ExprName> + '_> {
    match target {
        Expr::Name(name) => Box::new(std::iter::once(name)),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            Box::new(elts.iter().flat_map(target_names))
        }
        Expr::Starred(starred) => target_names(&starred.value),
        _ => Box::new(std::iter::empty()),
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

/// How an expression's value is used, in words: `returned`, `iterated`...
fn usage(stmt: &Stmt, ancestors: &[&Expr], expr: &Expr) -> &'static str {
    let is = |slot: &Expr| std::ptr::eq(slot, expr);
    match ancestors.last() {
        None => match stmt {
            Stmt::Return(_) => "returned",
            Stmt::Expr(_) => "discarded",
            Stmt::For(s) if is(&s.iter) => "iterated",
            Stmt::Assign(ast::StmtAssign { targets, value, .. }) if is(value) => {
                match targets.as_slice() {
                    [Expr::Tuple(_) | Expr::List(_)] => "unpacked",
                    [Expr::Name(_)] => "passed on",
                    _ => "stored",
                }
            }
            Stmt::AnnAssign(ast::StmtAnnAssign { target, .. }) => match &**target {
                Expr::Name(_) => "passed on",
                _ => "stored",
            },
            _ => "used",
        },
        Some(parent) => match parent {
            Expr::Call(call) if !is(&call.func) => "passed to a call",
            Expr::Starred(_) => match ancestors.iter().rev().nth(1) {
                Some(Expr::Call(_)) => "passed to a call",
                _ => "unpacked",
            },
            Expr::Subscript(subscript) if is(&subscript.value) => "indexed",
            Expr::Yield(_) | Expr::YieldFrom(_) => "yielded",
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
                if generators.iter().any(|g| is(&g.iter)) =>
            {
                "iterated"
            }
            _ => "used",
        },
    }
}

/// Where the gathered results go.
enum Flow<'a> {
    /// `await gather(...)` as a statement.
    Discarded,
    /// `name = await gather(...)`.
    Bound(&'a ast::ExprName),
    /// `return await gather(...)`.
    Returned,
    /// Anything else: passed to a call, iterated, unpacked, yielded...
    Used,
}

fn analyze<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    facts: &Collector<'_, 'a>,
    gather: &Site<'a>,
    taken: &mut Taken,
) -> Option<Diagnostic> {
    let Expr::Call(call) = gather.expr else {
        return None;
    };
    if cancelled_before(checker, facts, call) {
        return None;
    }
    let result = result_site(checker, scope, facts, gather)?;

    let flow = match (result.ancestors.is_empty(), result.stmt) {
        (true, Stmt::Expr(_)) => Flow::Discarded,
        (true, Stmt::Return(_)) => Flow::Returned,
        (true, Stmt::Assign(assign)) => match &*assign.targets {
            [Expr::Name(name)] => Flow::Bound(name),
            _ => Flow::Used,
        },
        (true, Stmt::AnnAssign(assign)) => match &*assign.target {
            Expr::Name(name) => Flow::Bound(name),
            _ => Flow::Used,
        },
        _ => Flow::Used,
    };

    let function = def.name.id.as_str();
    let mut unread = false;
    let what = "Results of `gather(..., return_exceptions=True)`";
    let unchecked = |usage: &str| match usage {
        "returned" => {
            format!("returned from `{function}` unchecked; callers get failures as ordinary values")
        }
        _ => format!(
            "{usage} in `{function}` without a check for exceptions; failures pass as ordinary values"
        ),
    };
    let message = match flow {
        // Waiting for cleanup in `finally:`, where raising would replace the
        // exception in flight.
        Flow::Discarded if result.in_finally || is_cleanup_hook(def) => return None,
        Flow::Discarded => {
            format!("{what} are discarded in `{function}`; failures are silently lost")
        }
        Flow::Returned | Flow::Used => {
            format!(
                "{what} are {}",
                unchecked(usage(result.stmt, &result.ancestors, result.expr))
            )
        }
        Flow::Bound(name) => {
            let reads = reads_of(checker, scope, def, facts, name);
            if is_checked(facts, &reads, name.id.as_str()) {
                return None;
            }
            unread = reads.is_empty();
            if unread && (result.in_finally || is_cleanup_hook(def)) {
                return None;
            }
            if unread {
                format!(
                    "{what} are bound to `{}` in `{function}` and never read; failures are silently lost",
                    name.id
                )
            } else {
                let first = facts
                    .name_usage
                    .get(&reads[0].start())
                    .copied()
                    .unwrap_or("used");
                format!(
                    "`{}` holds the results of `gather(..., return_exceptions=True)` and is {}",
                    name.id,
                    unchecked(first)
                )
            }
        }
    };
    if !matches!(flow, Flow::Bound(_)) && is_checked(facts, &[result.expr.range()], "") {
        return None;
    }

    let mut diagnostic = Diagnostic::new(&UncheckedGatherResults::INFO, message, call.func.range());
    if let Some(fix) = fix(checker, scope, function, &result, &flow, unread, taken) {
        diagnostic = diagnostic.with_fix(fix);
    }
    Some(diagnostic)
}

/// The expression that evaluates to the gathered list: the `await` around
/// the gather (through `wait_for`/`shield`), `loop.run_until_complete(...)`,
/// or the later `await fut` of a future bound by `fut = gather(...)`.
fn result_site<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    facts: &Collector<'_, 'a>,
    gather: &Site<'a>,
) -> Option<Site<'a>> {
    let mut current = gather.expr;
    let mut depth = gather.ancestors.len();
    while let Some(&parent) = depth.checked_sub(1).and_then(|i| gather.ancestors.get(i)) {
        let enclosing = || gather.ancestors[..depth - 1].to_vec();
        match parent {
            Expr::Await(_) => {
                return Some(Site {
                    expr: parent,
                    stmt: gather.stmt,
                    ancestors: enclosing(),
                    in_finally: gather.in_finally,
                });
            }
            Expr::Call(wrapper)
                if wrapper
                    .arguments
                    .args
                    .first()
                    .is_some_and(|first| std::ptr::eq(first, current)) =>
            {
                let qualified = checker.semantic.qualified_name(&wrapper.func, scope);
                if matches!(
                    qualified.as_deref(),
                    Some(
                        "asyncio.wait_for"
                            | "asyncio.shield"
                            | "asyncio.tasks.wait_for"
                            | "asyncio.tasks.shield"
                    )
                ) {
                    current = parent;
                    depth -= 1;
                    continue;
                }
                if matches!(&*wrapper.func, Expr::Attribute(a) if a.attr.id.as_str() == "run_until_complete")
                {
                    return Some(Site {
                        expr: parent,
                        stmt: gather.stmt,
                        ancestors: enclosing(),
                        in_finally: gather.in_finally,
                    });
                }
                return None;
            }
            _ => return None,
        }
    }
    // `fut = gather(...)`, awaited later.
    let Stmt::Assign(assign) = gather.stmt else {
        return None;
    };
    let [Expr::Name(future)] = &*assign.targets else {
        return None;
    };
    if !std::ptr::eq(&*assign.value, current) {
        return None;
    }
    facts
        .awaits
        .iter()
        .find(|site| {
            let Expr::Await(await_expr) = site.expr else {
                return false;
            };
            let Expr::Name(name) = &*await_expr.value else {
                return false;
            };
            name.id == future.id
                && name.start() > assign.end()
                && checker
                    .semantic
                    .resolve_name(name.id.as_str(), scope, name.start())
                    .is_some_and(|b| b.range == future.range)
        })
        .cloned()
}

/// `for t in tasks: t.cancel()` (or `t.cancel()`) before gathering them: the
/// gather only waits for the cancelled tasks to finish, and their
/// `CancelledError`s are expected.
fn cancelled_before(checker: &Checker, facts: &Collector, call: &ast::ExprCall) -> bool {
    !call.arguments.args.is_empty()
        && call.arguments.args.iter().all(|arg| match arg {
            Expr::Starred(starred) => {
                let collection = squash(checker.text(&*starred.value));
                facts.iterations.iter().any(|iteration| {
                    !iteration.is_lambda
                        && iteration.extent.end() <= call.start()
                        && squash(checker.text(iteration.iter)) == collection
                        && facts.cancels.iter().any(|(receiver, at)| {
                            iteration.targets.contains(&receiver.as_str())
                                && iteration.extent.contains(*at)
                        })
                })
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                let task = squash(checker.text(arg));
                facts
                    .cancels
                    .iter()
                    .any(|(receiver, at)| *receiver == task && *at < call.start())
            }
            _ => false,
        })
}

/// A function that only runs to clean up: a context manager's exit, or a
/// unittest tear-down. Like a `finally:` block, it waits for work that was
/// stopped to end, and raising there replaces the exception in flight (or
/// turns the test's own outcome into a tear-down error).
fn is_cleanup_hook(def: &ast::StmtFunctionDef) -> bool {
    matches!(
        def.name.id.as_str(),
        "__exit__"
            | "__aexit__"
            | "tearDown"
            | "asyncTearDown"
            | "tearDownClass"
            | "tearDownModule"
    )
}

/// Source text without whitespace, to compare expressions written alike.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reads of the binding `name` (in the function or closures that see it)
/// until the name is bound again.
fn reads_of(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    facts: &Collector,
    name: &ast::ExprName,
) -> Vec<TextRange> {
    let id = name.id.as_str();
    let end = checker
        .semantic
        .bindings_in_scope(id, scope)
        .map(|b| b.range.start())
        .filter(|start| *start > name.start())
        .min()
        .map(|next| facts.assign_ends.get(&next).copied().unwrap_or(next))
        .unwrap_or(def.end());
    checker
        .semantic
        .references()
        .iter()
        .filter(|r| r.name == id && r.range.start() > name.end() && r.range.end() <= end)
        .filter(|r| sees_binding(checker, r.scope, scope, id))
        .map(|r| r.range)
        .collect()
}

/// Whether a read of `name` in `from` sees the binding in `scope`: `from` is
/// `scope` or nested in it without binding `name` itself.
fn sees_binding(checker: &Checker, from: ScopeId, scope: ScopeId, name: &str) -> bool {
    let mut current = from;
    loop {
        if current == scope {
            return true;
        }
        if checker
            .semantic
            .bindings_in_scope(name, current)
            .next()
            .is_some()
        {
            return false;
        }
        match checker.semantic.scope(current).parent {
            Some(parent) => current = parent,
            None => return false,
        }
    }
}

/// Whether the results, read at `reads` (or produced at one of them), have
/// their elements checked: an `isinstance(x, Exception)` test or a `raise`
/// on a name iterating over them, or on an index into them (`name[i]`).
fn is_checked(facts: &Collector, reads: &[TextRange], name: &str) -> bool {
    let element_iterations: Vec<&Iteration> = facts
        .iterations
        .iter()
        .filter(|it| reads.iter().any(|read| it.iter.contains_range(*read)))
        .collect();
    facts.checks.iter().any(|subject| {
        let mut base = *subject;
        let mut indexed = false;
        while let Expr::Subscript(subscript) = base {
            base = &subscript.value;
            indexed = true;
        }
        let Expr::Name(base) = base else {
            return false;
        };
        let id = base.id.as_str();
        element_iterations
            .iter()
            .any(|it| it.targets.contains(&id) && it.extent.contains_range(base.range()))
            || (indexed && id == name && reads.contains(&base.range()))
    })
}

/// Whether `target` (inside `stmt`, under `ancestors`) can be evaluated on a
/// line before the statement without changing whether or how often it runs.
fn hoistable(stmt: &Stmt, ancestors: &[&Expr], target: &Expr) -> bool {
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

/// Names the fixes in one function (and the functions nested in it) may
/// not use: names chosen already, and where the function's text is.
struct Taken {
    names: Vec<String>,
    function: TextRange,
}

/// A name for the fix to introduce: not bound at module level, not written
/// anywhere in the (outermost) function, and not chosen by another fix there.
fn fresh_name(checker: &Checker, base: &str, taken: &mut Taken) -> String {
    let name = checker
        .fixer()
        .unused_name_in(base, taken.function, |candidate| {
            taken.names.iter().any(|n| n == candidate)
                || checker
                    .semantic
                    .bindings_in_scope(candidate, ScopeId::MODULE)
                    .next()
                    .is_some()
        });
    taken.names.push(name.clone());
    name
}

/// The lines (without indentation) that check `results` and raise.
fn check_lines(checker: &Checker, function: &str, results: &str, taken: &mut Taken) -> Vec<String> {
    let unit = checker.fixer().indent_unit();
    let element = fresh_name(checker, "result", taken);
    if checker.settings.target_version.at_least(11) {
        let errors = fresh_name(checker, "errors", taken);
        vec![
            format!(
                "{errors} = [{element} for {element} in {results} if isinstance({element}, BaseException)]"
            ),
            format!("if {errors}:"),
            format!("{unit}raise BaseExceptionGroup("),
            format!(
                "{unit}{unit}f\"{function}: {{len({errors})}} of {{len({results})}} awaitables failed\", {errors}"
            ),
            format!("{unit})"),
        ]
    } else {
        vec![
            format!("for {element} in {results}:"),
            format!("{unit}if isinstance({element}, BaseException):"),
            format!("{unit}{unit}raise {element}"),
        ]
    }
}

fn fix(
    checker: &Checker,
    scope: ScopeId,
    function: &str,
    result: &Site,
    flow: &Flow,
    unread: bool,
    taken: &mut Taken,
) -> Option<CodeFix> {
    let stmt = result.stmt;
    if !checker.fixer().is_own_lines(stmt) {
        return None;
    }
    let py311 = checker.settings.target_version.at_least(11);
    // The check uses these builtins; leave code that rebinds them alone.
    let builtins: &[&str] = if py311 {
        &["isinstance", "BaseException", "BaseExceptionGroup", "len"]
    } else {
        &["isinstance", "BaseException"]
    };
    if builtins.iter().any(|b| {
        checker
            .semantic
            .resolve_name(b, scope, stmt.start())
            .is_some()
    }) {
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
    let title = if py311 {
        "Check the results and raise the failures as a `BaseExceptionGroup`"
    } else {
        "Check the results and re-raise the first failure"
    };
    let line_end = checker.source.line_end(stmt.end());
    let edits = match flow {
        // `_ = await gather(...)`: give the results a real name.
        Flow::Bound(name) if name.id.as_str() == "_" && unread => {
            let results = fresh_name(checker, "results", taken);
            let lines = check_lines(checker, function, &results, taken);
            vec![
                Edit::range_replacement(results, name.range()),
                Edit::insertion(format!("\n{}", block(lines)), line_end),
            ]
        }
        Flow::Bound(name) => {
            let lines = check_lines(checker, function, name.id.as_str(), taken);
            vec![Edit::insertion(format!("\n{}", block(lines)), line_end)]
        }
        Flow::Discarded => {
            let results = fresh_name(checker, "results", taken);
            let lines = check_lines(checker, function, &results, taken);
            let statement = &checker.source[TextRange::new(stmt.start(), line_end)];
            vec![Edit::range_replacement(
                format!("{results} = {statement}\n{}", block(lines)),
                TextRange::new(stmt.start(), line_end),
            )]
        }
        Flow::Returned | Flow::Used => {
            if !hoistable(stmt, &result.ancestors, result.expr) {
                return None;
            }
            let results = fresh_name(checker, "results", taken);
            let lines = check_lines(checker, function, &results, taken);
            let before = &checker.source[TextRange::new(stmt.start(), result.expr.start())];
            vec![Edit::range_replacement(
                format!(
                    "{results} = {}\n{}\n{indent}{before}{results}",
                    checker.text(result.expr),
                    block(lines)
                ),
                TextRange::new(stmt.start(), result.expr.end()),
            )]
        }
    };
    Some(CodeFix::unsafe_(title, edits))
}
