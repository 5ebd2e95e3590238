//! Functions that hand a freshly made object straight back to their caller:
//! every value they return is the result of a call they make, and they
//! keep no other reference to it ([`SemanticModel::handed_back_call`]).
//!
//! Rules decide what the call must be: CS001 asks whether it spawns a task
//! (`def spawn(coro): return asyncio.create_task(coro)`), so that a call of
//! `spawn(...)` whose result is dropped drops the task as surely as a bare
//! `asyncio.create_task(...)` does.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::{BindingKind, ScopeId, ScopeKind, SemanticModel, StmtId};

/// The calls whose results a function returns and keeps no other
/// reference to (see [`SemanticModel::handed_back_call`]).
#[derive(Debug, Clone)]
pub struct HandedBack<'a> {
    /// The calls, one per `return` (or per local returned), in source order.
    pub calls: Vec<&'a ast::ExprCall>,
    /// The function's parameter that every one of the calls receives, as
    /// is, as its first positional argument (`spawn(coro)` passing `coro`
    /// to `create_task(coro)`), if there is one.
    pub parameter: Option<HandedParameter<'a>>,
}

/// A parameter passed straight on, and where a caller's argument for it is.
#[derive(Debug, Clone, Copy)]
pub struct HandedParameter<'a> {
    pub name: &'a str,
    /// Its position among the positional parameters (`self` included), or
    /// `None` for a keyword-only one.
    pub position: Option<usize>,
}

/// What is memoised per function: statement ids rather than nodes (a cell
/// holding the model's lifetime would make the model invariant in it).
#[derive(Debug, Clone)]
pub(super) struct HandedBackIds {
    /// Each a `return <call>` or the `name = <call>` whose name is returned.
    statements: Vec<StmtId>,
    /// The index of the parameter in [`parameters`].
    parameter: Option<usize>,
}

/// The methods a function may call on the object before handing it back:
/// they register a callback or a name, and keep nothing.
const CONFIGURING_METHODS: &[&str] = &["add_done_callback", "set_name"];

/// A function's parameters in order: positional-only, positional,
/// keyword-only (not `*args` or `**kwargs`).
fn parameters(def: &ast::StmtFunctionDef) -> impl Iterator<Item = &ast::Parameter> {
    let p = &def.parameters;
    p.posonlyargs
        .iter()
        .chain(&p.args)
        .map(|a| &a.parameter)
        .chain(p.kwonlyargs.iter().map(|a| &a.parameter))
}

impl<'a> SemanticModel<'a> {
    /// The calls whose results the function `function` hands back: a plain
    /// (not `async`, not generator) `def`, undecorated (`staticmethod` and
    /// `classmethod` aside), whose every `return` with a value other than
    /// `None` returns either a call (`return asyncio.create_task(coro)`) or
    /// a local bound once, to a call, whose value goes nowhere else: its
    /// other loads are only the receiver of `.add_done_callback(...)` or
    /// `.set_name(...)` as statements, and no nested function reads it.
    /// Storing it (`self._tasks.add(task)`, `tasks.append(task)`,
    /// `self.task = task`) or passing it to any other call rules the
    /// function out: the object is then kept elsewhere. At least one
    /// `return` must return such a call. Memoised per function.
    ///
    /// ```python
    /// def spawn(coro, *, name=None):
    ///     task = asyncio.create_task(coro, name=name)
    ///     task.add_done_callback(_log_failure)
    ///     return task
    /// ```
    pub fn handed_back_call(&self, function: ScopeId) -> Option<HandedBack<'a>> {
        let ScopeKind::Function(def) = self.scope(function).kind else {
            return None;
        };
        let known = self.handed_back.borrow().get(&function).cloned();
        let ids = match known {
            Some(ids) => ids,
            None => {
                let ids = self.compute_handed_back(function, def);
                self.handed_back.borrow_mut().insert(function, ids.clone());
                ids
            }
        }?;
        let calls = ids
            .statements
            .iter()
            .filter_map(|&id| match self.statement(id) {
                Stmt::Return(ret) => ret.value.as_deref().and_then(Expr::as_call_expr),
                Stmt::Assign(assign) => assign.value.as_call_expr(),
                Stmt::AnnAssign(assign) => assign.value.as_deref().and_then(Expr::as_call_expr),
                _ => None,
            })
            .collect();
        let positional = def.parameters.posonlyargs.len() + def.parameters.args.len();
        let parameter = ids.parameter.and_then(|index| {
            let parameter = parameters(def).nth(index)?;
            Some(HandedParameter {
                name: parameter.name.as_str(),
                position: (index < positional).then_some(index),
            })
        });
        Some(HandedBack { calls, parameter })
    }

    fn compute_handed_back(
        &self,
        function: ScopeId,
        def: &'a ast::StmtFunctionDef,
    ) -> Option<HandedBackIds> {
        if def.is_async
            || self.is_generator(&def.body)
            || def.decorator_list.iter().any(|d| {
                !matches!(&d.expression, Expr::Name(n)
                    if matches!(n.id.as_str(), "staticmethod" | "classmethod"))
            })
        {
            return None;
        }
        let mut statements = Vec::new();
        let mut calls: Vec<&'a ast::ExprCall> = Vec::new();
        for ret in self.return_statements(def) {
            let Some(value) = ret.value.as_deref().filter(|v| !v.is_none_literal_expr()) else {
                continue;
            };
            match value {
                Expr::Call(call) => {
                    statements.push(self.statements().at(ret.start())?);
                    calls.push(call);
                }
                Expr::Name(name) => {
                    let (id, call) = self.handed_back_local(function, name)?;
                    statements.push(id);
                    calls.push(call);
                }
                _ => return None,
            }
        }
        if calls.is_empty() {
            return None;
        }
        statements.dedup();
        // The parameter every call receives as its first argument.
        let mut parameter = None;
        for (i, call) in calls.iter().enumerate() {
            let this = match call.arguments.args.first() {
                Some(Expr::Name(arg)) => self
                    .resolve_name(arg.id.as_str(), function, arg.start())
                    .filter(|b| b.scope == function)
                    .and_then(|b| match b.kind {
                        BindingKind::Parameter {
                            parameter,
                            variadic: false,
                            ..
                        } => parameters(def).position(|p| std::ptr::eq(p, parameter)),
                        _ => None,
                    }),
                _ => None,
            };
            if i == 0 {
                parameter = this;
            } else if parameter != this {
                parameter = None;
            }
        }
        Some(HandedBackIds {
            statements,
            parameter,
        })
    }

    /// For `return name`: the statement binding `name` to a call, when it
    /// is the name's only binding in the function and the value goes
    /// nowhere but back to the caller.
    fn handed_back_local(
        &self,
        function: ScopeId,
        name: &'a ast::ExprName,
    ) -> Option<(StmtId, &'a ast::ExprCall)> {
        let id = name.id.as_str();
        let mut bindings = self.binding_ids_in_scope(id, function);
        let binding = bindings.next()?;
        if bindings.next().is_some() || self.is_captured(id, function) {
            return None;
        }
        let binding = self.binding(binding);
        let BindingKind::Assignment {
            value: Some(Expr::Call(call)),
        } = binding.kind
        else {
            return None;
        };
        let stmt = binding.stmt?;
        // A plain `name = call(...)`, not a chained or unpacking target.
        if !matches!(self.statement(stmt), Stmt::Assign(a) if a.targets.len() == 1)
            && !matches!(self.statement(stmt), Stmt::AnnAssign(_))
        {
            return None;
        }
        for &reference in &binding.references {
            let reference = self.reference(reference);
            let load = self.load_context(reference)?;
            match load.stmt {
                Stmt::Return(ret)
                    if ret
                        .value
                        .as_deref()
                        .is_some_and(|v| v.range() == reference.range) => {}
                Stmt::Expr(statement) => {
                    let Expr::Call(configure) = &*statement.value else {
                        return None;
                    };
                    let Expr::Attribute(method) = &*configure.func else {
                        return None;
                    };
                    if method.value.range() != reference.range
                        || !CONFIGURING_METHODS.contains(&method.attr.as_str())
                    {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        Some((stmt, call))
    }
}
