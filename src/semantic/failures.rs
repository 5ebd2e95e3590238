//! Coroutines that deal with their own failures.
//!
//! A coroutine function whose awaited work runs inside a `try` whose
//! handler catches every `Exception` and does not raise (it logs the
//! failure, or returns or records a failure value) never ends with an
//! exception other than a cancellation: whoever awaits it (a `gather`, a
//! task) gets its return value. One decorated with a function that logs the
//! exceptions it sees (`@log_exceptions(logger=...)`) reports its failures
//! itself, whatever it then does with them, and so does one whose work runs
//! inside a `try` whose handler of `Exception` logs the failure before
//! raising it again.
//!
//! Rules ask [`SemanticModel::contains_own_failures`] and
//! [`SemanticModel::logs_own_failures`] about a function of this module.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::flow::SuspensionKind;
use super::{ScopeId, ScopeKind, SemanticModel};

/// How deep [`SemanticModel::contains_own_failures`] follows awaited
/// coroutines of this module.
const MAX_DEPTH: usize = 8;

/// asyncio's synchronisation primitives: entering one (`async with lock:`)
/// or waiting on one raises nothing but a cancellation.
const ASYNCIO_PRIMITIVES: &[&str] = &[
    "asyncio.Lock",
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "asyncio.Condition",
    "asyncio.Event",
    "asyncio.locks.Lock",
    "asyncio.locks.Semaphore",
    "asyncio.locks.BoundedSemaphore",
    "asyncio.locks.Condition",
    "asyncio.locks.Event",
];

/// Logging methods at warning level or above (`logger.exception(...)`).
const REPORTING_LEVELS: &[&str] = &["exception", "error", "warning", "warn", "critical", "fatal"];

/// What a `try` around a coroutine's work must do with a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handling {
    /// Catch it and not raise (log it, return or record a failure value).
    Contain,
    /// Contain it, or log it at warning level or above (and maybe raise it
    /// again).
    Report,
}

impl<'a> SemanticModel<'a> {
    /// Whether the coroutine function opening `function` ends with an
    /// exception only when it is cancelled: it handles every `Exception`
    /// its work raises and does not raise one itself.
    ///
    /// That is, every point where its own frame suspends (`await`,
    /// `async for`, `async with`: where asynchronous work fails) is
    ///
    /// - inside the body of a `try` that contains failures: one of its
    ///   handlers catches `Exception` or wider (`BaseException`, a bare
    ///   `except:`, a tuple with one of them), and no handler raises,
    ///   except those that catch only cancellation (`except
    ///   asyncio.CancelledError: raise`);
    /// - or an await that fails only by cancellation: of a coroutine of this
    ///   module that contains its own failures (followed through the call
    ///   graph), of `asyncio.sleep(...)`, of `put`/`get`/`join` on an
    ///   asyncio queue the module never shuts down, of `wait()` on an
    ///   asyncio event, or `async with` on an asyncio lock, semaphore or
    ///   condition;
    ///
    /// no `raise` or `assert` is outside such a `try` body (or a
    /// cancellation handler), and at least one suspension is in such a
    /// body or awaits such a coroutine (the function handles something).
    ///
    /// Exceptions of its synchronous lines outside the `try` (a bug's
    /// `AttributeError`) are not weighed, as in
    /// [`SemanticModel::call_raises_explicitly`]. Decorators are taken to
    /// pass the function's outcome on (tracing, logging and retrying ones
    /// do). An async generator is no coroutine and answers no.
    pub fn contains_own_failures(&self, function: ScopeId) -> bool {
        self.handles_failures_depth(function, Handling::Contain, &mut Vec::new())
    }

    fn handles_failures_depth(
        &self,
        function: ScopeId,
        mode: Handling,
        visiting: &mut Vec<ScopeId>,
    ) -> bool {
        if visiting.contains(&function) || visiting.len() > MAX_DEPTH {
            return false;
        }
        let ScopeKind::Function(def) = self.scope(function).kind else {
            return false;
        };
        if !def.is_async || self.is_generator(&def.body) {
            return false;
        }
        visiting.push(function);
        let answer = self.handles_failures_of(function, def, mode, visiting);
        visiting.pop();
        answer
    }

    fn handles_failures_of(
        &self,
        function: ScopeId,
        def: &'a ast::StmtFunctionDef,
        mode: Handling,
        visiting: &mut Vec<ScopeId>,
    ) -> bool {
        // The bodies of the `try`s that handle failures (as `mode` asks),
        // and the handlers that may raise: those that catch only a
        // cancellation, and (to report) those that log what they re-raise.
        let mut guarded: Vec<TextRange> = Vec::new();
        let mut may_raise: Vec<TextRange> = Vec::new();
        for id in self.statements_in(&def.body) {
            let Stmt::Try(try_stmt) = self.statement(id) else {
                continue;
            };
            for handler in &try_stmt.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                if handler
                    .type_
                    .as_deref()
                    .is_some_and(|t| self.catches_only_cancellation(t, function))
                    || (mode == Handling::Report && self.reports_in_handler(handler, function))
                {
                    may_raise.push(handler.range());
                }
            }
            let handles = match mode {
                Handling::Contain => self.contains_failures_try(try_stmt, function),
                Handling::Report => {
                    self.contains_failures_try(try_stmt, function)
                        || self.reports_failures_try(try_stmt, function)
                }
            };
            if handles
                && let (Some(first), Some(last)) = (try_stmt.body.first(), try_stmt.body.last())
            {
                guarded.push(TextRange::new(first.start(), last.end()));
            }
        }
        let in_guarded = |range: TextRange| guarded.iter().any(|g| g.contains_range(range));
        let mut handles_something = false;
        for suspension in self.suspensions(function) {
            if in_guarded(suspension.range) {
                handles_something = true;
                continue;
            }
            let at = self.scope_at(function, suspension.range.start());
            match suspension.kind {
                SuspensionKind::Await(ast::ExprAwait { value, .. }) => {
                    if let Expr::Call(call) = &**value
                        && let Some((callee, _)) = self.resolve_callee(&call.func, at)
                    {
                        let handled = self.handles_failures_depth(callee, mode, visiting)
                            || (mode == Handling::Report && self.decorated_to_log(callee));
                        if !handled {
                            return false;
                        }
                        handles_something = true;
                        continue;
                    }
                    if !self.fails_only_by_cancellation(value, at) {
                        return false;
                    }
                }
                SuspensionKind::AsyncWith(with) => {
                    if !with.items.iter().all(|item| {
                        item.optional_vars.is_none()
                            && self
                                .type_of(&item.context_expr, at)
                                .is_some_and(|fact| fact.is_any_of(ASYNCIO_PRIMITIVES))
                    }) {
                        return false;
                    }
                }
                SuspensionKind::AsyncFor(_) | SuspensionKind::AsyncComprehension(_) => {
                    return false;
                }
            }
        }
        let raises_unguarded = self.statements_in(&def.body).any(|id| {
            let stmt = self.statement(id);
            matches!(stmt, Stmt::Raise(_) | Stmt::Assert(_))
                && !in_guarded(stmt.range())
                && !may_raise.iter().any(|h| h.contains_range(stmt.range()))
        });
        handles_something && !raises_unguarded
    }

    /// A `try` one of whose handlers catches every `Exception` and none of
    /// whose handlers raises (but one that catches only cancellation).
    fn contains_failures_try(&self, try_stmt: &'a ast::StmtTry, scope: ScopeId) -> bool {
        let mut broad = false;
        for handler in &try_stmt.handlers {
            let ast::ExceptHandler::ExceptHandler(handler) = handler;
            let type_ = handler.type_.as_deref();
            if type_.is_some_and(|t| self.catches_only_cancellation(t, scope)) {
                continue;
            }
            if self
                .statements_in(&handler.body)
                .any(|id| matches!(self.statement(id), Stmt::Raise(_) | Stmt::Assert(_)))
            {
                return false;
            }
            broad |= type_.is_none_or(|t| self.catches_every_exception(t, scope));
        }
        broad
    }

    /// A `try` one of whose handlers catches every `Exception` and logs it
    /// at warning level or above (`logger.exception(...)`), raising it again
    /// or not.
    fn reports_failures_try(&self, try_stmt: &'a ast::StmtTry, scope: ScopeId) -> bool {
        try_stmt.handlers.iter().any(|handler| {
            let ast::ExceptHandler::ExceptHandler(handler) = handler;
            self.reports_in_handler(handler, scope)
        })
    }

    /// A handler of `Exception` (or wider) that logs at warning level or
    /// above.
    fn reports_in_handler(
        &self,
        handler: &'a ast::ExceptHandlerExceptHandler,
        scope: ScopeId,
    ) -> bool {
        handler
            .type_
            .as_deref()
            .is_none_or(|t| self.catches_every_exception(t, scope))
            && self.statements_in(&handler.body).any(
                |id| matches!(self.statement(id), Stmt::Expr(e) if is_reporting_log_call(&e.value)),
            )
    }

    /// `Exception`, `BaseException`, or a tuple holding one of them.
    pub fn catches_every_exception(&self, type_: &Expr, scope: ScopeId) -> bool {
        match type_ {
            Expr::Tuple(tuple) => tuple
                .elts
                .iter()
                .any(|t| self.catches_every_exception(t, scope)),
            _ => self.resolve_qualified_name(type_, scope).is_some_and(|q| {
                matches!(q.segments(), ["builtins", "Exception" | "BaseException"])
            }),
        }
    }

    /// `asyncio.CancelledError` (or `concurrent.futures`'), `GeneratorExit`,
    /// `KeyboardInterrupt`, `SystemExit`, or a tuple of them: what stops a
    /// task rather than fails it.
    fn catches_only_cancellation(&self, type_: &Expr, scope: ScopeId) -> bool {
        match type_ {
            Expr::Tuple(tuple) => {
                !tuple.elts.is_empty()
                    && tuple
                        .elts
                        .iter()
                        .all(|t| self.catches_only_cancellation(t, scope))
            }
            _ => self.resolve_qualified_name(type_, scope).is_some_and(|q| {
                matches!(
                    q.segments(),
                    ["asyncio", "CancelledError"]
                        | ["asyncio", "exceptions", "CancelledError"]
                        | ["concurrent", "futures", "CancelledError"]
                        | [
                            "builtins",
                            "GeneratorExit" | "KeyboardInterrupt" | "SystemExit"
                        ]
                )
            }),
        }
    }

    /// An awaited expression that raises nothing but a cancellation:
    /// `asyncio.sleep(...)`, `put`/`get`/`join` on an asyncio queue the
    /// module never shuts down, `wait()` on an asyncio event.
    fn fails_only_by_cancellation(&self, awaited: &'a Expr, scope: ScopeId) -> bool {
        let Expr::Call(call) = awaited else {
            return false;
        };
        if self
            .resolve_qualified_name(&call.func, scope)
            .is_some_and(|q| matches!(q.segments(), ["asyncio", "sleep"]))
        {
            return true;
        }
        let Expr::Attribute(method) = &*call.func else {
            return false;
        };
        match method.attr.as_str() {
            "put" | "get" | "join" => {
                self.is_asyncio_queue(&method.value, scope) && !self.is_shut_down(&method.value)
            }
            "wait" => self
                .type_of(&method.value, scope)
                .is_some_and(|fact| fact.is_any_of(&["asyncio.Event", "asyncio.locks.Event"])),
            _ => false,
        }
    }

    /// Whether the coroutine function opening `function` reports every
    /// failure of its work where it happens, whatever it then does with it:
    /// it contains them ([`SemanticModel::contains_own_failures`]), or its
    /// work runs (as that function's must) inside `try`s whose handler of
    /// `Exception` (or wider) logs at warning level or above, raising
    /// again or not, or awaits coroutines of this module that report
    /// theirs; or it is decorated with a function that logs the exceptions
    /// it raises: a decorator named for it (its name has the words `log`
    /// and `exception(s)` or `error(s)`: `@log_exceptions(logger=logger)`,
    /// `@utils.log_errors`), or a decorator of this module (or a decorator
    /// factory) whose code has such a handler. Whoever awaits the coroutine
    /// may get the failure again, or its result.
    pub fn logs_own_failures(&self, function: ScopeId) -> bool {
        self.decorated_to_log(function)
            || self.handles_failures_depth(function, Handling::Report, &mut Vec::new())
    }

    /// Whether a function is decorated with one that logs the exceptions it
    /// raises (see [`SemanticModel::logs_own_failures`]).
    fn decorated_to_log(&self, function: ScopeId) -> bool {
        let ScopeKind::Function(def) = self.scope(function).kind else {
            return false;
        };
        let Some(parent) = self.scope(function).parent else {
            return false;
        };
        def.decorator_list.iter().any(|decorator| {
            let callee = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            named_for_logging(callee)
                || self
                    .resolve_callee(callee, parent)
                    .is_some_and(|(_, decorator)| self.decorator_logs(decorator))
        })
    }

    /// Whether a decorator's code (its nested wrappers included) has a
    /// handler of `Exception` or wider that logs at warning level or above.
    fn decorator_logs(&self, decorator: &'a ast::StmtFunctionDef) -> bool {
        let range = decorator.range();
        self.functions()
            .filter(|(_, def)| range.contains_range(def.range()))
            .any(|(scope, def)| {
                self.statements_in(&def.body).any(|id| {
                    matches!(self.statement(id), Stmt::Try(try_stmt)
                        if self.reports_failures_try(try_stmt, scope))
                })
            })
    }
}

/// `logger.exception(...)`, `self._log.error(...)`, `logging.warning(...)`:
/// a call of a reporting level's method on a receiver whose last name says
/// it logs.
fn is_reporting_log_call(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let receiver = match &*method.value {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    REPORTING_LEVELS.contains(&method.attr.as_str())
        && receiver.to_ascii_lowercase().contains("log")
}

/// A decorator whose name says it logs exceptions: the words `log` (or
/// `logs`, `logged`) and `exception(s)`/`error(s)` in its last name
/// (`log_exceptions`, `utils.log_errors`, `logExceptions`).
fn named_for_logging(callee: &Expr) -> bool {
    let name = match callee {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    let words = super::names::identifier_words(name);
    let has = |options: &[&str]| words.iter().any(|w| options.contains(&w.as_str()));
    has(&["log", "logs", "logged"]) && has(&["exception", "exceptions", "error", "errors"])
}
