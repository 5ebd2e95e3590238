//! Code that runs once per object (or per process): the branch of a lazily
//! filled cache that fills it.
//!
//! ```python
//! async def get_data(self):
//!     if self._data is None:           # or `not self._data`, `not hasattr(self, "_data")`
//!         self._data = load(path)      # runs on the first call only
//!     return self._data
//! ```
//!
//! The cache is a receiver attribute (`self._data`) or a module variable
//! the function declares `global`. Its test is `x`, `not x`, `x is None`,
//! `x is not None`, `x == None`, `x != None` or `[not] hasattr(self, "x")`;
//! the guarded code is the branch taken while it is empty (the `if` body of
//! a "missing" test, an `elif`/`else` after a "present" test), or the rest
//! of the block after `if <present>: return ...`. That code must fill the
//! slot: assign it, or call a method of the class that assigns it. A slot
//! that some other method empties again (assigns it only `None` or `False`: a
//! `close()` that drops a connection) is not a cache: the guarded code runs
//! again after each reset.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::instance_state::receiver_of;
use super::{BindingKind, ScopeId, ScopeKind, SemanticModel};

/// A place a cached value is kept in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot<'a> {
    /// `self.NAME`.
    Attribute(&'a str),
    /// A module variable declared `global` in the function.
    Global(&'a str),
}

/// What a test says about a slot when it is true.
enum Test<'a> {
    Missing(Slot<'a>),
    Present(Slot<'a>),
}

struct Context<'m, 'a> {
    model: &'m SemanticModel<'a>,
    def: &'a ast::StmtFunctionDef,
    scope: ScopeId,
    /// The receiver parameter, for a method.
    receiver: Option<&'a str>,
}

impl<'a> SemanticModel<'a> {
    /// Whether the code at `offset`, in the function `scope`, only runs
    /// while a cache slot is still empty, and fills it (see the module
    /// docs): once per object, or once per process for a module variable.
    pub fn fills_empty_cache(&self, offset: TextSize, scope: ScopeId) -> bool {
        let ScopeKind::Function(def) = self.scope(scope).kind else {
            return false;
        };
        let receiver = self.method_class(scope).and_then(|_| receiver_of(def));
        let context = Context {
            model: self,
            def,
            scope,
            receiver,
        };
        let statements = self.statements();
        let Some(id) = statements.at(offset) else {
            return false;
        };
        for ancestor in statements.ancestors(id) {
            let info = statements.info(ancestor);
            if matches!(info.stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                break;
            }
            if let Stmt::If(if_stmt) = info.stmt
                && context.guarded_branch(if_stmt, offset)
            {
                return true;
            }
            // `if <present>: return ...` earlier in the same block.
            let rest_end = info.block.last().map_or(info.stmt.end(), Ranged::end);
            let guards = self.early_exit_guards(info.block);
            let before = guards.partition_point(|&i| i < info.index);
            for &index in &guards[..before] {
                let Stmt::If(guard) = &info.block[index as usize] else {
                    continue;
                };
                if let Some(Test::Present(slot)) = context.test(&guard.test) {
                    let region = TextRange::new(guard.end(), rest_end);
                    if context.is_cache(slot, region) {
                        return true;
                    }
                }
            }
        }
        false
    }
}

impl<'a> SemanticModel<'a> {
    /// The positions in `block` of its `if` statements with no `elif` or
    /// `else` whose body ends in `return` or `raise`, in order; found once
    /// per block (every call in a long block asks).
    fn early_exit_guards(&self, block: &'a [Stmt]) -> std::rc::Rc<Vec<u32>> {
        let key = block.as_ptr() as usize;
        if let Some(found) = self.early_exit_guards.borrow().get(&key) {
            return std::rc::Rc::clone(found);
        }
        let guards: Vec<u32> = block
            .iter()
            .enumerate()
            .filter(|(_, stmt)| {
                matches!(stmt, Stmt::If(guard)
                    if guard.elif_else_clauses.is_empty()
                        && matches!(guard.body.last(), Some(Stmt::Return(_) | Stmt::Raise(_))))
            })
            .map(|(i, _)| i as u32)
            .collect();
        let guards = std::rc::Rc::new(guards);
        self.early_exit_guards
            .borrow_mut()
            .insert(key, std::rc::Rc::clone(&guards));
        guards
    }
}

impl<'a> Context<'_, 'a> {
    /// Whether `offset` is in a branch of `if_stmt` taken while a slot is
    /// empty, and that branch fills it.
    fn guarded_branch(&self, if_stmt: &'a ast::StmtIf, offset: TextSize) -> bool {
        let body_range = |body: &[Stmt]| {
            body.first()
                .zip(body.last())
                .map(|(first, last)| TextRange::new(first.start(), last.end()))
        };
        let mut tests: Vec<Option<&'a Expr>> = vec![Some(&if_stmt.test)];
        let mut bodies: Vec<&'a [Stmt]> = vec![&if_stmt.body];
        for clause in &if_stmt.elif_else_clauses {
            tests.push(clause.test.as_ref());
            bodies.push(&clause.body);
        }
        let Some(k) = bodies
            .iter()
            .position(|b| body_range(b).is_some_and(|r| r.contains(offset)))
        else {
            return false;
        };
        let Some(region) = body_range(bodies[k]) else {
            return false;
        };
        let mut slots = Vec::new();
        if let Some(Test::Missing(slot)) = tests[k].and_then(|t| self.test(t)) {
            slots.push(slot);
        }
        for earlier in tests[..k].iter().flatten() {
            if let Some(Test::Present(slot)) = self.test(earlier) {
                slots.push(slot);
            }
        }
        slots.into_iter().any(|slot| self.is_cache(slot, region))
    }

    /// The slot a test checks, and which way.
    fn test(&self, test: &'a Expr) -> Option<Test<'a>> {
        match test {
            Expr::UnaryOp(ast::ExprUnaryOp {
                op: UnaryOp::Not,
                operand,
                ..
            }) => match self.test(operand)? {
                Test::Missing(slot) => Some(Test::Present(slot)),
                Test::Present(slot) => Some(Test::Missing(slot)),
            },
            Expr::Compare(compare) => {
                let ([op], [right]) = (&compare.ops[..], &compare.comparators[..]) else {
                    return None;
                };
                let slot = if right.is_none_literal_expr() {
                    self.slot(&compare.left)?
                } else if compare.left.is_none_literal_expr() {
                    self.slot(right)?
                } else {
                    return None;
                };
                match op {
                    CmpOp::Is | CmpOp::Eq => Some(Test::Missing(slot)),
                    CmpOp::IsNot | CmpOp::NotEq => Some(Test::Present(slot)),
                    _ => None,
                }
            }
            // `hasattr(self, "_data")`.
            Expr::Call(call) => {
                let Expr::Name(func) = &*call.func else {
                    return None;
                };
                let [Expr::Name(object), Expr::StringLiteral(name)] = &call.arguments.args[..]
                else {
                    return None;
                };
                if func.id.as_str() != "hasattr"
                    || !self.model.is_builtin("hasattr")
                    || Some(object.id.as_str()) != self.receiver
                {
                    return None;
                }
                Some(Test::Present(Slot::Attribute(name.value.to_str())))
            }
            other => self.slot(other).map(Test::Present),
        }
    }

    /// The slot an expression names.
    fn slot(&self, expr: &'a Expr) -> Option<Slot<'a>> {
        match expr {
            Expr::Attribute(attr) => {
                let Expr::Name(object) = &*attr.value else {
                    return None;
                };
                (Some(object.id.as_str()) == self.receiver)
                    .then_some(Slot::Attribute(attr.attr.id.as_str()))
            }
            Expr::Name(name) => self
                .model
                .declarations(self.scope)
                .any(|b| b.name == name.id.as_str() && matches!(b.kind, BindingKind::Global))
                .then_some(Slot::Global(name.id.as_str())),
            _ => None,
        }
    }

    /// Whether the code in `region` fills `slot`, and nothing else empties
    /// it again.
    fn is_cache(&self, slot: Slot<'a>, region: TextRange) -> bool {
        let mut fills = Fills {
            context: self,
            slot,
            region,
            assigns: false,
            called: Vec::new(),
        };
        fills.visit_body(&self.def.body);
        match slot {
            Slot::Attribute(name) => {
                let Some(class) = self.model.method_class(self.scope) else {
                    return false;
                };
                let mut filled = fills.assigns;
                for class in self.model.class_and_bases(class) {
                    let Some(class_scope) = self.model.class_scope(class) else {
                        continue;
                    };
                    let assignments = self.model.attribute_assignments(class_scope, name);
                    for assignment in assignments {
                        let Some(method) = assignment.method else {
                            continue;
                        };
                        if fills.called.contains(&method.name.id.as_str())
                            && !assignment.value.is_some_and(empties)
                        {
                            filled = true;
                        }
                    }
                    // A method (not `__init__`, not this one) that only ever
                    // sets it to `None` (or `False`, a flag) empties it.
                    let resets = assignments.iter().filter_map(|a| a.method).any(|method| {
                        method.name.id.as_str() != "__init__"
                            && !std::ptr::eq(method, self.def)
                            && assignments
                                .iter()
                                .filter(|a| a.method.is_some_and(|m| std::ptr::eq(m, method)))
                                .all(|a| a.value.is_some_and(empties))
                    });
                    if resets {
                        return false;
                    }
                }
                filled
            }
            Slot::Global(name) => {
                if !fills.assigns {
                    return false;
                }
                // Another function setting it to `None` empties it.
                !self
                    .model
                    .bindings_in_scope(name, ScopeId::MODULE)
                    .any(|binding| {
                        let BindingKind::Assignment { value: Some(value) } = binding.kind else {
                            return false;
                        };
                        empties(value)
                            && !self.def.range().contains_range(binding.range)
                            && binding.stmt.is_some_and(|stmt| {
                                self.model.statements().ancestors(stmt).any(|s| {
                                    matches!(self.model.statement(s), Stmt::FunctionDef(_))
                                })
                            })
                    })
            }
        }
    }
}

/// Whether an assigned value empties a slot again: `None`, or `False` for
/// a flag (`self._started = False` in `stop()`).
fn empties(value: &Expr) -> bool {
    value.is_none_literal_expr() || matches!(value, Expr::BooleanLiteral(literal) if !literal.value)
}

/// Assignments of a slot, and methods called through the receiver, in a
/// region of the function (nested functions and classes aside).
struct Fills<'c, 'm, 'a> {
    context: &'c Context<'m, 'a>,
    slot: Slot<'a>,
    region: TextRange,
    assigns: bool,
    called: Vec<&'a str>,
}

impl<'a> Visitor<'a> for Fills<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        if self.region.contains_range(stmt.range()) {
            let targets: &[Expr] = match stmt {
                Stmt::Assign(assign) => &assign.targets,
                Stmt::AnnAssign(assign) => std::slice::from_ref(&*assign.target),
                _ => &[],
            };
            if targets
                .iter()
                .any(|t| self.context.slot(t) == Some(self.slot))
            {
                self.assigns = true;
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if matches!(expr, Expr::Lambda(_)) {
            return;
        }
        if let Expr::Call(call) = expr
            && self.region.contains_range(call.range())
            && let Expr::Attribute(attr) = &*call.func
            && let Expr::Name(object) = &*attr.value
            && Some(object.id.as_str()) == self.context.receiver
        {
            self.called.push(attr.attr.id.as_str());
        }
        visitor::walk_expr(self, expr);
    }
}
