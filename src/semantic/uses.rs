//! How a variable is used: every occurrence of it with the statement
//! holding it ([`SemanticModel::name_uses`]), the expressions around a load
//! ([`SemanticModel::load_context`]), what the code does with the value a
//! load reads ([`SemanticModel::value_use`]: passes it on, returns it,
//! stores it, enters it with `with`, or only reads an attribute of it),
//! whether a load runs repeatedly ([`SemanticModel::load_in_loop`]), and
//! whether a statement can suspend its coroutine
//! ([`SemanticModel::suspends`]).
//!
//! Rules ask these instead of walking statement blocks for a name: the
//! loads are the model's resolved references, so a name shadowed in a
//! comprehension or a nested function is not mistaken for the variable.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::{BindingId, Reference, ReferenceId, ScopeId, ScopeKind, SemanticModel, StmtId};

/// One occurrence of a variable: a binding of it or a load of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameUse {
    /// The range of the name.
    pub range: TextRange,
    /// The innermost statement holding it.
    pub stmt: Option<StmtId>,
    pub kind: NameUseKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameUseKind {
    /// A binding made in the variable's scope (assignment, `del`, ...).
    Binding(BindingId),
    /// A load of one of its bindings, from its scope or a nested one.
    Load(ReferenceId),
}

/// The occurrences among `uses` (in source order, as
/// [`SemanticModel::name_uses`] gives them) that lie inside `range`.
pub fn uses_in(uses: &[NameUse], range: TextRange) -> &[NameUse] {
    let start = uses.partition_point(|u| u.range.start() < range.start());
    let end = uses.partition_point(|u| u.range.end() <= range.end());
    &uses[start..end.max(start)]
}

/// A load and the expressions around it, within the statement holding it.
#[derive(Debug, Clone)]
pub struct LoadContext<'a> {
    /// The load (an `Expr::Name`).
    pub expr: &'a Expr,
    /// Its name.
    pub name: &'a str,
    /// The innermost statement holding it.
    pub stmt: &'a Stmt,
    pub stmt_id: StmtId,
    /// The expressions enclosing the load inside `stmt`, outermost first
    /// (the last one is its parent expression).
    pub ancestors: Vec<&'a Expr>,
}

impl<'a> LoadContext<'a> {
    /// The expression directly around the load.
    pub fn parent(&self) -> Option<&'a Expr> {
        self.ancestors.last().copied()
    }

    /// The expression `levels` above the load (1: its parent).
    pub fn ancestor(&self, levels: usize) -> Option<&'a Expr> {
        let index = self.ancestors.len().checked_sub(levels)?;
        self.ancestors.get(index).copied()
    }

    /// Whether the load is inside a `lambda` of its statement (its body
    /// runs when the lambda is called, not where it is written).
    pub fn in_lambda(&self) -> bool {
        self.ancestors.iter().any(|a| a.is_lambda_expr())
    }
}

/// What the code does with the value a load reads.
///
/// A lambda reading the value holds it: what the statement does with the
/// lambda counts (`return lambda: x` returns it, `f(lambda: x)` passes it
/// on), while the calls, `yield`s and walruses inside the lambda's body run
/// only when it is called, and do not. Comprehensions run in place: a call
/// in one counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct ValueUse<'a> {
    /// Only an attribute of the value is read (`x.attr`,
    /// `x.method(...)`): the value itself goes nowhere, and no other field
    /// is set.
    pub attribute: Option<&'a ast::ExprAttribute>,
    /// The value, or an expression made from it (`[x]`, `g(x)`, `x[0]`, a
    /// lambda reading it), is an argument of a call.
    pub passed: bool,
    /// ... is the value of a `return`, `yield` or `yield from`.
    pub returned: bool,
    /// ... is assigned to something other than the variable itself:
    /// `self.x = x`, `y = x`, `d[k] = [x]`, `y: T = x`, `y += x`,
    /// `(y := x)` (`x = f(x)` is not a store of `x`).
    pub stored: bool,
    /// The value is a `with` item's context expression (`with x:`,
    /// `async with x as y:`).
    pub entered: bool,
}

impl<'a> SemanticModel<'a> {
    /// Every binding made in `scope`, in source order.
    pub fn scope_bindings(&self, scope: ScopeId) -> Vec<BindingId> {
        let mut ids: Vec<BindingId> = self
            .scope(scope)
            .bindings
            .values()
            .flatten()
            .copied()
            .collect();
        ids.sort_by_key(|&id| self.binding(id).range.start());
        ids
    }

    /// The function, class or module whose statements hold the code of
    /// `scope`: the scope itself, or the one around a lambda, a
    /// comprehension or a type-parameter scope.
    pub fn code_frame(&self, mut scope: ScopeId) -> ScopeId {
        while matches!(
            self.scope(scope).kind,
            ScopeKind::Lambda(_) | ScopeKind::Comprehension(_) | ScopeKind::TypeParams
        ) {
            match self.scope(scope).parent {
                Some(parent) => scope = parent,
                None => break,
            }
        }
        scope
    }

    /// Every occurrence of the variable `name` of `scope`: the bindings of
    /// `name` made in `scope` and the loads that read them (from `scope` or
    /// from a nested scope), in source order, each with its statement.
    pub fn name_uses(&self, name: &str, scope: ScopeId) -> Vec<NameUse> {
        let mut uses = Vec::new();
        for id in self.binding_ids_in_scope(name, scope) {
            let binding = self.binding(id);
            uses.push(NameUse {
                range: binding.range,
                stmt: binding.stmt,
                kind: NameUseKind::Binding(id),
            });
            uses.extend(binding.references.iter().map(|&r| {
                let reference = self.reference(r);
                NameUse {
                    range: reference.range,
                    stmt: reference.stmt,
                    kind: NameUseKind::Load(r),
                }
            }));
        }
        uses.sort_by_key(|u| u.range.start());
        uses
    }

    /// The load and the expressions around it in its statement (`None` for
    /// a load the model holds no statement for).
    pub fn load_context(&self, reference: &Reference<'a>) -> Option<LoadContext<'a>> {
        let stmt_id = reference.stmt?;
        let stmt = self.statement(stmt_id);
        let mut finder = PathFinder {
            target: reference.range,
            path: Vec::new(),
            found: None,
        };
        finder.visit_stmt(stmt);
        let (expr, ancestors) = finder.found?;
        Some(LoadContext {
            expr,
            name: reference.name,
            stmt,
            stmt_id,
            ancestors,
        })
    }

    /// What the code does with the value the load reads (see
    /// [`ValueUse`]).
    pub fn value_use(&self, load: &LoadContext<'a>) -> ValueUse<'a> {
        let mut use_ = ValueUse::default();
        if let Some(Expr::Attribute(attribute)) = load.parent()
            && std::ptr::eq(&*attribute.value, load.expr)
        {
            use_.attribute = Some(attribute);
            return use_;
        }
        let range = load.expr.range();
        // Outermost first, up to the first lambda: what is inside it runs
        // when it is called.
        for ancestor in &load.ancestors {
            match ancestor {
                Expr::Lambda(_) => break,
                Expr::Call(call) => use_.passed |= call.arguments.range().contains_range(range),
                Expr::Yield(_) | Expr::YieldFrom(_) => use_.returned = true,
                Expr::Named(named) => use_.stored |= named.value.range().contains_range(range),
                _ => {}
            }
        }
        let is_self = |target: &Expr| matches!(target, Expr::Name(n) if n.id.as_str() == load.name);
        match load.stmt {
            Stmt::Return(_) => use_.returned = true,
            Stmt::Assign(assign) => {
                use_.stored |= assign.value.range().contains_range(range)
                    && assign.targets.iter().any(|t| !is_self(t));
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                value: Some(value),
                target,
                ..
            }) => use_.stored |= value.range().contains_range(range) && !is_self(target),
            Stmt::AugAssign(assign) => use_.stored |= assign.value.range().contains_range(range),
            Stmt::With(with) => {
                use_.entered = with
                    .items
                    .iter()
                    .any(|item| item.context_expr.range() == range);
            }
            _ => {}
        }
        use_
    }

    /// Whether the load runs repeatedly each time its statement's frame
    /// runs: in the body of a loop of its function, in a `while` test, or
    /// in a comprehension (but for the first iterable, evaluated once). A
    /// load in a lambda's body runs when the lambda is called: no.
    pub fn load_in_loop(&self, load: &LoadContext<'a>) -> bool {
        if load.in_lambda() {
            return false;
        }
        let range = load.expr.range();
        if self.in_loop(load.stmt_id) {
            return true;
        }
        if let Stmt::While(while_stmt) = load.stmt
            && while_stmt.test.range().contains_range(range)
        {
            return true;
        }
        load.ancestors.iter().any(|ancestor| {
            let generators = match ancestor {
                Expr::ListComp(c) => &c.generators,
                Expr::SetComp(c) => &c.generators,
                Expr::DictComp(c) => &c.generators,
                Expr::Generator(c) => &c.generators,
                _ => return false,
            };
            generators
                .first()
                .is_none_or(|first| !first.iter.range().contains_range(range))
        })
    }

    /// Whether running `stmt`, a statement of `scope`'s code, can suspend
    /// its coroutine: it holds an `await`, an `async for`, an `async with` or
    /// an asynchronous comprehension that runs in its frame (nested
    /// functions, classes and lambdas run elsewhere; `if TYPE_CHECKING:`
    /// blocks never). Answered from the suspension points recorded when the
    /// model was built.
    pub fn suspends(&self, scope: ScopeId, stmt: &Stmt) -> bool {
        !self
            .suspensions_in(self.frame_of(scope), stmt.range())
            .is_empty()
    }
}

/// Finds the name spanning `target` in a statement, with the expressions
/// around it; only the nodes containing `target` are descended into.
struct PathFinder<'a> {
    target: TextRange,
    path: Vec<&'a Expr>,
    found: Option<(&'a Expr, Vec<&'a Expr>)>,
}

impl<'a> Visitor<'a> for PathFinder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_none() && stmt.range().contains_range(self.target) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() || !expr.range().contains_range(self.target) {
            return;
        }
        if expr.is_name_expr() && expr.range() == self.target {
            self.found = Some((expr, self.path.clone()));
            return;
        }
        self.path.push(expr);
        visitor::walk_expr(self, expr);
        self.path.pop();
    }
}
