//! What CS001 needs to know about the code around a task: whether a
//! receiver is an event loop, and what the scheduled coroutine does.
//!
//! These facts are kept here, behind three functions, until the semantic
//! model offers attribute and annotation facts itself; the rule only asks
//! [`is_event_loop`], [`coroutine_def`], [`finishes_in_first_step`] and
//! [`delivers_own_outcome`].

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

const LOOP_GETTERS: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
    "asyncio.events.get_running_loop",
    "asyncio.events.get_event_loop",
    "asyncio.events.new_event_loop",
];

const LOOP_CLASSES: &[&str] = &[
    "asyncio.AbstractEventLoop",
    "asyncio.events.AbstractEventLoop",
    "asyncio.BaseEventLoop",
    "asyncio.base_events.BaseEventLoop",
];

/// Whether `func` is one of asyncio's loop getters.
pub(super) fn is_loop_getter(checker: &Checker, func: &Expr, scope: ScopeId) -> bool {
    checker
        .semantic
        .qualified_name(func, scope)
        .is_some_and(|q| LOOP_GETTERS.contains(&q.as_str()))
}

/// Whether `expr`, evaluated in `scope`, is an event loop as far as the
/// code shows: a loop getter's result, a name or `self.x` assigned one, a
/// parameter or attribute annotated `asyncio.AbstractEventLoop` /
/// `BaseEventLoop`, or an attribute whose name is one of the configured
/// loop attributes (`hass.loop`, `self._loop`).
pub(super) fn is_event_loop(checker: &Checker, expr: &Expr, scope: ScopeId) -> bool {
    is_loop_value(checker, expr, scope, 0)
}

fn is_loop_value(checker: &Checker, expr: &Expr, scope: ScopeId, depth: u8) -> bool {
    if depth > 6 {
        return false;
    }
    match expr {
        Expr::Call(call) => is_loop_getter(checker, &call.func, scope),
        Expr::Attribute(attr) => {
            if checker
                .settings
                .loop_attributes
                .iter()
                .any(|a| a == attr.attr.as_str())
            {
                return true;
            }
            self_attribute_is_loop(checker, attr, scope, depth)
        }
        Expr::Name(name) => {
            let Some(binding) =
                checker
                    .semantic
                    .resolve_name(name.id.as_str(), scope, name.start())
            else {
                return false;
            };
            match binding.kind {
                BindingKind::Assignment { value: Some(value) } => {
                    is_loop_value(checker, value, binding.scope, depth + 1)
                }
                BindingKind::Parameter => {
                    parameter_annotation(checker, binding.scope, name.id.as_str())
                        .is_some_and(|a| is_loop_annotation(checker, a, binding.scope))
                }
                _ => false,
            }
        }
        Expr::BoolOp(op) => op
            .values
            .iter()
            .any(|v| is_loop_value(checker, v, scope, depth + 1)),
        Expr::If(ternary) => {
            is_loop_value(checker, &ternary.body, scope, depth + 1)
                || is_loop_value(checker, &ternary.orelse, scope, depth + 1)
        }
        _ => false,
    }
}

/// The annotation of parameter `name` of the function opening `scope`.
fn parameter_annotation<'a>(checker: &Checker<'a>, scope: ScopeId, name: &str) -> Option<&'a Expr> {
    let ScopeKind::Function(def) = checker.semantic.scope(scope).kind else {
        return None;
    };
    def.parameters
        .iter()
        .find(|p| p.name().id.as_str() == name)?
        .annotation()
}

/// `asyncio.AbstractEventLoop`, `Optional[...]` or `... | None` of it.
fn is_loop_annotation(checker: &Checker, annotation: &Expr, scope: ScopeId) -> bool {
    match annotation {
        Expr::BinOp(op) => {
            is_loop_annotation(checker, &op.left, scope)
                || is_loop_annotation(checker, &op.right, scope)
        }
        Expr::Subscript(sub) => {
            checker
                .semantic
                .qualified_name(&sub.value, scope)
                .is_some_and(|q| matches!(q.as_str(), "typing.Optional" | "typing.Union"))
                && match &*sub.slice {
                    Expr::Tuple(t) => t.elts.iter().any(|e| is_loop_annotation(checker, e, scope)),
                    other => is_loop_annotation(checker, other, scope),
                }
        }
        other => checker
            .semantic
            .qualified_name(other, scope)
            .is_some_and(|q| LOOP_CLASSES.contains(&q.as_str())),
    }
}

/// The class whose method (or a function nested in it) `scope` is, the
/// method's scope, and the name of its first parameter (`self`, `cls`).
fn enclosing_class<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
) -> Option<(&'a ast::StmtClassDef, ScopeId, &'a str)> {
    let mut current = scope;
    loop {
        let s = checker.semantic.scope(current);
        let parent = s.parent?;
        if let ScopeKind::Function(def) = s.kind
            && let ScopeKind::Class(class) = checker.semantic.scope(parent).kind
        {
            let first = def.parameters.iter_non_variadic_params().next()?;
            return Some((class, current, first.parameter.name.id.as_str()));
        }
        current = parent;
    }
}

/// `self.x` where some method of the class assigns `self.x` a loop, or
/// annotates it (or the class annotates `x`) as one.
fn self_attribute_is_loop(
    checker: &Checker,
    attr: &ast::ExprAttribute,
    scope: ScopeId,
    depth: u8,
) -> bool {
    let Expr::Name(receiver) = &*attr.value else {
        return false;
    };
    let Some((class, method_scope, self_name)) = enclosing_class(checker, scope) else {
        return false;
    };
    if receiver.id.as_str() != self_name
        || !checker
            .semantic
            .resolve_name(self_name, scope, receiver.start())
            .is_some_and(|b| b.scope == method_scope)
    {
        return false;
    }
    let wanted = attr.attr.as_str();
    let class_scope = checker
        .semantic
        .scope(method_scope)
        .parent
        .unwrap_or(ScopeId::MODULE);
    for stmt in &class.body {
        match stmt {
            Stmt::AnnAssign(a)
                if a.target
                    .as_name_expr()
                    .is_some_and(|n| n.id.as_str() == wanted)
                    && is_loop_annotation(checker, &a.annotation, class_scope) =>
            {
                return true;
            }
            Stmt::FunctionDef(def) => {
                let Some(scope) = checker.semantic.function_scope(def) else {
                    continue;
                };
                let Some(first) = def.parameters.iter_non_variadic_params().next() else {
                    continue;
                };
                let me = first.parameter.name.id.as_str();
                let mut found = false;
                each_statement(&def.body, &mut |s| {
                    let (target, value, annotation) = match s {
                        Stmt::Assign(a) if a.targets.len() == 1 => {
                            (&a.targets[0], Some(&*a.value), None)
                        }
                        Stmt::AnnAssign(a) => {
                            (&*a.target, a.value.as_deref(), Some(&*a.annotation))
                        }
                        _ => return,
                    };
                    let Expr::Attribute(t) = target else { return };
                    if t.attr.as_str() != wanted
                        || !t.value.as_name_expr().is_some_and(|n| n.id.as_str() == me)
                    {
                        return;
                    }
                    found |= annotation.is_some_and(|a| is_loop_annotation(checker, a, scope))
                        || value.is_some_and(|v| {
                            // `self._loop = self._loop or ...` must not recurse forever.
                            !matches!(v, Expr::Attribute(_))
                                && is_loop_value(checker, v, scope, depth + 1)
                        });
                });
                if found {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Calls `f` on every statement of `body`, nested blocks included, nested
/// functions and classes not.
fn each_statement<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Stmt)) {
    struct Each<'f, 'a> {
        f: &'f mut dyn FnMut(&'a Stmt),
    }
    impl<'a> ruff_python_ast::statement_visitor::StatementVisitor<'a> for Each<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            (self.f)(stmt);
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                ruff_python_ast::statement_visitor::walk_stmt(self, stmt);
            }
        }
    }
    use ruff_python_ast::statement_visitor::StatementVisitor;
    Each { f }.visit_body(body);
}

/// The same-module `async def` that `call` (`f(...)`, `self.m(...)`)
/// creates a coroutine of, with its scope.
pub(super) fn coroutine_def<'a>(
    checker: &Checker<'a>,
    call: &Expr,
    scope: ScopeId,
) -> Option<(&'a ast::StmtFunctionDef, ScopeId)> {
    let Expr::Call(call) = call else { return None };
    let def = match &*call.func {
        Expr::Name(name) => {
            let binding = checker
                .semantic
                .resolve_name(name.id.as_str(), scope, name.start())?;
            match binding.kind {
                BindingKind::FunctionDef(def) => def,
                _ => return None,
            }
        }
        Expr::Attribute(attr) => {
            let receiver = attr.value.as_name_expr()?;
            let (class, method_scope, self_name) = enclosing_class(checker, scope)?;
            if receiver.id.as_str() != self_name
                || !checker
                    .semantic
                    .resolve_name(self_name, scope, receiver.start())
                    .is_some_and(|b| b.scope == method_scope)
            {
                return None;
            }
            class.body.iter().rev().find_map(|s| match s {
                Stmt::FunctionDef(def) if def.name.id == attr.attr.id => Some(def),
                _ => None,
            })?
        }
        _ => return None,
    };
    if !def.is_async {
        return None;
    }
    Some((def, checker.semantic.function_scope(def)?))
}

/// Whether the coroutine of `def` runs to its end in its first step: no
/// `async for`, `async with` or `await` in its body, except awaits of
/// same-module coroutines that themselves never suspend. Such a coroutine is
/// done before anything else runs on the loop, so it cannot be collected
/// half-way.
pub(super) fn finishes_in_first_step(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
) -> bool {
    let mut seen = Vec::new();
    never_suspends(checker, def, scope, &mut seen)
}

fn never_suspends<'a>(
    checker: &Checker<'a>,
    def: &'a ast::StmtFunctionDef,
    scope: ScopeId,
    seen: &mut Vec<*const ast::StmtFunctionDef>,
) -> bool {
    if seen.contains(&std::ptr::from_ref(def)) {
        // A recursive coroutine: assume the worst.
        return false;
    }
    seen.push(def);
    struct Scan<'c, 'a, 's> {
        checker: &'c Checker<'a>,
        scope: ScopeId,
        seen: &'s mut Vec<*const ast::StmtFunctionDef>,
        suspends: bool,
    }
    impl<'a> Visitor<'a> for Scan<'_, 'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(f) if f.is_async => self.suspends = true,
                Stmt::With(w) if w.is_async => self.suspends = true,
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Await(awaited) => {
                    let inner = coroutine_def(self.checker, &awaited.value, self.scope);
                    match inner {
                        Some((def, scope))
                            if never_suspends(self.checker, def, scope, self.seen) => {}
                        _ => self.suspends = true,
                    }
                    visitor::walk_expr(self, expr);
                }
                Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. })
                | Expr::Generator(ast::ExprGenerator { generators, .. })
                    if generators.iter().any(|g| g.is_async) =>
                {
                    self.suspends = true;
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut scan = Scan {
        checker,
        scope,
        seen,
        suspends: false,
    };
    scan.visit_body(&def.body);
    !scan.suspends
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
                .qualified_name(t, scope)
                .is_some_and(|q| q == "builtins.BaseException")
        });
        catches_all && {
            let mut delivers = false;
            each_statement(&h.body, &mut |s| {
                if let Stmt::Expr(e) = s
                    && let Expr::Call(call) = &*e.value
                    && let Expr::Attribute(method) = &*call.func
                    && matches!(method.attr.as_str(), "set_exception" | "set_result" | "set")
                    && root_name(&method.value).is_some_and(|n| parameters.contains(&n))
                {
                    delivers = true;
                }
            });
            delivers
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
