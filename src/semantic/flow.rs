//! What runs in a block, in order: the statements of a body (nested blocks
//! included, nested `def`/`class` bodies and `if TYPE_CHECKING:` bodies
//! not), the compound statements around a statement, whether a statement
//! always binds a name, where a scope's code can suspend (`await`,
//! `async for`, `async with`, async comprehensions), and which coroutines
//! never suspend at all.
//!
//! Rules iterate these instead of walking blocks themselves.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::scope_walk::ScopeVisitor;
use super::statements::{BlockKind, StmtId};
use super::{ScopeId, ScopeKind, SemanticModel};

/// A point where a coroutine can give control back to the event loop.
#[derive(Debug, Clone, Copy)]
pub struct Suspension<'a> {
    pub kind: SuspensionKind<'a>,
    /// The `await` expression, the `async for`/`async with` statement, or the
    /// comprehension.
    pub range: TextRange,
    /// The scope whose frame suspends (a comprehension's is the scope
    /// around it).
    pub scope: ScopeId,
}

#[derive(Debug, Clone, Copy)]
pub enum SuspensionKind<'a> {
    Await(&'a ast::ExprAwait),
    AsyncFor(&'a ast::StmtFor),
    AsyncWith(&'a ast::StmtWith),
    /// A comprehension with an `async for` clause.
    AsyncComprehension(&'a Expr),
}

/// Every suspension point, sorted by scope and then by position (recorded
/// when the model is built).
pub(super) type Suspensions<'a> = Vec<Suspension<'a>>;

impl<'a> SemanticModel<'a> {
    /// Every statement that runs as part of `body`, in source order: the
    /// statements of the block and of the blocks nested in them, the `def`
    /// and `class` statements themselves but not their bodies, and the
    /// `elif`/`else` clauses of an `if TYPE_CHECKING:` but not its body
    /// (by [`SemanticModel::is_type_checking_block`]). `body` must be a
    /// block of this module (a function's body, a loop's, a handler's...).
    pub fn statements_in(&self, body: &'a [Stmt]) -> impl Iterator<Item = StmtId> + '_ {
        let ids = match (body.first(), body.last()) {
            (Some(first), Some(last)) => self
                .statement_id(first)
                .zip(self.statement_id(last))
                .map(|(first, last)| (first.index(), self.subtree_end(last))),
            _ => None,
        };
        let (mut next, end) = ids.unwrap_or((0, 0));
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let id = StmtId::from_index_usize(next);
            next = match self.statement(id) {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => self.subtree_end(id),
                stmt @ Stmt::If(if_stmt) if self.is_type_checking_block(stmt) => if_stmt
                    .body
                    .last()
                    .and_then(|last| self.statement_id(last))
                    .map_or(next + 1, |last| self.subtree_end(last)),
                _ => next + 1,
            };
            Some(id)
        })
    }

    fn subtree_end(&self, id: StmtId) -> usize {
        self.statements().subtree_end(id)
    }

    /// The statement and the compound statements whose blocks hold it,
    /// innermost first, up to the statement at the top of its function's,
    /// class's or module's body (a `def` or `class` ends the chain).
    pub fn statement_and_ancestors(&self, id: StmtId) -> impl Iterator<Item = StmtId> + '_ {
        let mut current = Some(id);
        std::iter::from_fn(move || {
            let this = current?;
            let info = self.statements().info(this);
            current = match info.block_kind {
                BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => None,
                _ => info.parent,
            };
            Some(this)
        })
    }

    /// The compound statements (`if`, `for`, `while`, `with`, `try`,
    /// `match`) whose blocks hold the statement, innermost first, within
    /// its function (or class, or the module).
    pub fn enclosing_statements(&self, id: StmtId) -> impl Iterator<Item = &'a Stmt> + '_ {
        self.statement_and_ancestors(id)
            .skip(1)
            .map(|id| self.statement(id))
    }

    /// Whether running `stmt` to its end always binds `name`: an
    /// assignment to it (a target of `=`, `x: T = v`, `+=`, unpacking
    /// included), a `with ... as` to it, or a compound statement every path
    /// through which does: a `with` whose body does, an `if` whose every
    /// branch (an `else` included) does, a `try` whose `finally` does or
    /// whose body (or `else`) and every handler do. Loops may not run and
    /// walrus targets sit in expressions that may not be evaluated: they do
    /// not count.
    pub fn always_binds(&self, stmt: &Stmt, name: &str) -> bool {
        let binds = |target: &Expr| target_binds(target, name);
        let block_binds = |body: &[Stmt]| body.iter().any(|s| self.always_binds(s, name));
        match stmt {
            Stmt::Assign(s) => s.targets.iter().any(binds),
            Stmt::AnnAssign(s) => s.value.is_some() && binds(&s.target),
            Stmt::AugAssign(s) => binds(&s.target),
            Stmt::With(s) => {
                s.items
                    .iter()
                    .any(|item| item.optional_vars.as_deref().is_some_and(binds))
                    || block_binds(&s.body)
            }
            Stmt::If(s) => {
                block_binds(&s.body)
                    && s.elif_else_clauses.last().is_some_and(|c| c.test.is_none())
                    && s.elif_else_clauses.iter().all(|c| block_binds(&c.body))
            }
            Stmt::Try(s) => {
                block_binds(&s.finalbody)
                    || ((block_binds(&s.body) || block_binds(&s.orelse))
                        && s.handlers.iter().all(|h| {
                            let ast::ExceptHandler::ExceptHandler(h) = h;
                            block_binds(&h.body)
                        }))
            }
            _ => false,
        }
    }

    /// Where the code running in `scope`'s own frame (a function, lambda,
    /// class or the module) can suspend, in source order: `await`s (in
    /// comprehensions too, and in decorators and defaults of nested
    /// functions, which run here), `async for`, `async with`, and
    /// comprehensions with an `async for`. Nested function, class and
    /// lambda bodies are theirs; `if TYPE_CHECKING:` bodies never run.
    pub fn suspensions(&self, scope: ScopeId) -> &[Suspension<'a>] {
        let all = &self.suspensions;
        let from = all.partition_point(|s| s.scope < scope);
        let to = all.partition_point(|s| s.scope <= scope);
        &all[from..to]
    }

    /// The suspension points of `scope` that start inside `range`.
    pub fn suspensions_in(&self, scope: ScopeId, range: TextRange) -> &[Suspension<'a>] {
        let all = self.suspensions(scope);
        let from = all.partition_point(|s| s.range.start() < range.start());
        let to = all.partition_point(|s| s.range.start() < range.end());
        &all[from..to.max(from)]
    }

    /// Whether the code of `scope` awaits (or otherwise suspends) between
    /// the offsets `from` and `to`.
    pub fn suspends_between(&self, scope: ScopeId, from: TextSize, to: TextSize) -> bool {
        from < to
            && !self
                .suspensions_in(scope, TextRange::new(from, to))
                .is_empty()
    }
}

fn target_binds(target: &Expr, name: &str) -> bool {
    match target {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().any(|e| target_binds(e, name))
        }
        Expr::Starred(starred) => target_binds(&starred.value, name),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Coroutines that never suspend

impl<'a> SemanticModel<'a> {
    /// Whether the coroutine function opening `function` runs to its end
    /// without ever giving control back to the event loop, once started:
    /// its own frame (nested functions aside) has no `async for`, no
    /// `async with`, no async comprehension, and awaits only calls that do
    /// not suspend ([`SemanticModel::call_does_not_suspend`]): coroutines of
    /// this module that do not suspend, and `put` on an asyncio queue that
    /// is never full. An async generator (a `yield` in its frame) is no
    /// coroutine and does not count.
    ///
    /// Computed once for the whole module, as the largest set of functions
    /// that satisfies this: coroutines that await one another in a cycle,
    /// with no other suspension point, never suspend either (the awaits run
    /// in the same step, however deep the recursion goes). Anything the
    /// code does not show answers "it suspends": an await of an unknown
    /// awaitable, of `asyncio.sleep(0)`, of a method a subclass may
    /// override, of a queue that may be bounded.
    pub fn does_not_suspend(&self, function: ScopeId) -> bool {
        self.non_suspending
            .get_or_init(|| self.find_non_suspending())
            .contains(&function)
    }

    /// Whether `expr`, read in `scope`, is a call whose coroutine never
    /// suspends: a call of a coroutine function of this module that does
    /// not suspend ([`SemanticModel::coroutine_callee`] decides which
    /// function a call certainly runs), or `queue.put(item)` on an asyncio
    /// queue that is never full ([`SemanticModel::is_unbounded_queue`]),
    /// which only appends.
    pub fn call_does_not_suspend(&self, expr: &'a Expr, scope: ScopeId) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        self.is_unbounded_queue_put(call, scope)
            || self
                .coroutine_callee(call, scope)
                .is_some_and(|(callee, _)| self.does_not_suspend(callee))
    }

    /// Whether a call is `queue.put(...)` on an asyncio queue that is never
    /// full.
    pub fn is_unbounded_queue_put(&self, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        matches!(&*call.func, Expr::Attribute(method)
            if method.attr.as_str() == "put" && self.is_unbounded_queue(&method.value, scope))
    }

    fn find_non_suspending(&self) -> rustc_hash::FxHashSet<ScopeId> {
        let mut found = rustc_hash::FxHashSet::default();
        // Each candidate with the coroutines of this module it awaits.
        let mut candidates: Vec<(ScopeId, Vec<ScopeId>)> = Vec::new();
        for (scope, def) in self.functions() {
            if !def.is_async {
                continue;
            }
            let mut awaited = Vec::new();
            let only_calm_awaits = self.suspensions(scope).iter().all(|s| {
                let SuspensionKind::Await(ast::ExprAwait { value, .. }) = s.kind else {
                    return false;
                };
                let Expr::Call(call) = &**value else {
                    return false;
                };
                let at = self.scope_at(scope, call.start());
                if self.is_unbounded_queue_put(call, at) {
                    return true;
                }
                match self.coroutine_callee(call, at) {
                    Some((callee, _)) => {
                        awaited.push(callee);
                        true
                    }
                    None => false,
                }
            });
            if only_calm_awaits && !self.is_generator(&def.body) {
                found.insert(scope);
                candidates.push((scope, awaited));
            }
        }
        // Drop every candidate that awaits one that is not in the set, and
        // then those that await a dropped one (each once, through the
        // reverse edges).
        let mut awaited_by: rustc_hash::FxHashMap<ScopeId, Vec<ScopeId>> = Default::default();
        let mut dropped = Vec::new();
        for (scope, awaited) in &candidates {
            for callee in awaited {
                awaited_by.entry(*callee).or_default().push(*scope);
            }
            if awaited.iter().any(|callee| !found.contains(callee)) {
                dropped.push(*scope);
            }
        }
        while let Some(scope) = dropped.pop() {
            if found.remove(&scope) {
                for caller in awaited_by.get(&scope).into_iter().flatten() {
                    if found.contains(caller) {
                        dropped.push(*caller);
                    }
                }
            }
        }
        found
    }

    /// Whether a function body's own frame yields (an `async def` that
    /// yields is an async generator).
    pub(super) fn is_generator(&self, body: &'a [Stmt]) -> bool {
        struct Yields(bool);
        impl<'a> ScopeVisitor<'a> for Yields {
            fn expr(&mut self, expr: &'a Expr) {
                if matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_)) {
                    self.0 = true;
                }
            }
        }
        let mut yields = Yields(false);
        self.walk_scope(body, &mut yields);
        yields.0
    }

    /// Whether the coroutine of the call `expr` (read in `scope`) may raise
    /// an exception that its code raises on purpose: a `raise` or `assert`
    /// in the coroutine function or in a function of this module it calls
    /// (transitively, through [`SemanticModel::reachable_functions`]), or a
    /// `put` on a queue the module shuts down (`QueueShutDown`, Python
    /// 3.13). `put` on another queue raises nothing. A call this module
    /// does not define answers yes. Exceptions no code raises by name (a
    /// bug's `AttributeError`, a library's error) are not weighed: any
    /// line can fail that way.
    pub fn call_raises_explicitly(&self, expr: &'a Expr, scope: ScopeId) -> bool {
        let Expr::Call(call) = expr else {
            return true;
        };
        if let Expr::Attribute(method) = &*call.func
            && method.attr.as_str() == "put"
            && self.is_unbounded_queue(&method.value, scope)
        {
            return self.is_shut_down(&method.value);
        }
        let Some((callee, _)) = self.coroutine_callee(call, scope) else {
            return true;
        };
        std::iter::once(callee)
            .chain(self.reachable_functions(callee))
            .any(|function| self.frame_raises(function))
    }

    /// A `raise` or `assert` in a function's own code, or an await of
    /// `put` on a queue the module shuts down.
    fn frame_raises(&self, function: ScopeId) -> bool {
        let ScopeKind::Function(def) = self.scope(function).kind else {
            return false;
        };
        self.statements_in(&def.body)
            .any(|id| matches!(self.statement(id), Stmt::Raise(_) | Stmt::Assert(_)))
            || self.suspensions(function).iter().any(|s| {
                matches!(s.kind, SuspensionKind::Await(ast::ExprAwait { value, .. })
                    if matches!(&**value, Expr::Call(call)
                        if matches!(&*call.func, Expr::Attribute(method)
                            if method.attr.as_str() == "put" && self.is_shut_down(&method.value))))
            })
    }

    /// Whether the module calls `.shutdown()` on something named like
    /// `receiver` (the same name, or an attribute of the same name).
    pub fn is_shut_down(&self, receiver: &Expr) -> bool {
        let key = |expr: &Expr| match expr {
            Expr::Name(name) => Some(name.id.to_string()),
            Expr::Attribute(attribute) => Some(attribute.attr.id.to_string()),
            _ => None,
        };
        let shut_down = self.shut_down.get_or_init(|| {
            let mut names = rustc_hash::FxHashSet::default();
            self.each_call(&mut |call, _| {
                if let Expr::Attribute(method) = &*call.func
                    && method.attr.as_str() == "shutdown"
                    && let Some(name) = key(&method.value)
                {
                    names.insert(name);
                }
            });
            names
        });
        key(receiver).is_some_and(|k| shut_down.contains(&k))
    }
}
