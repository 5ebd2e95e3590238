//! Facts about one function body that CS005 asks about: the gathers in it,
//! every name it reads with the statements and expressions around the read,
//! its loops and comprehensions, and the tasks it cancels.
//!
//! Statement facts come from the semantic model (the statement list a call
//! is in, whether it is in a `finally:` block); the expressions around each
//! read are collected here, which the model does not record.

use std::collections::HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::semantic::ScopeId;

/// Where an expression is: the statements enclosing it (innermost last) and
/// the expressions of the innermost statement enclosing it (outermost
/// first).
#[derive(Clone)]
pub(crate) struct Site<'a> {
    pub expr: &'a Expr,
    pub stmts: Vec<&'a Stmt>,
    pub ancestors: Vec<&'a Expr>,
    /// In a `finally:` block or an `except` handler that re-raises what it
    /// caught (cleanup, where raising would replace the exception in
    /// flight).
    pub in_finally: bool,
}

impl<'a> Site<'a> {
    pub fn stmt(&self) -> &'a Stmt {
        self.stmts[self.stmts.len() - 1]
    }

    pub fn parent(&self) -> Option<&'a Expr> {
        self.ancestors.last().copied()
    }

    /// The site of the enclosing expression `levels` up.
    pub fn up(&self, levels: usize) -> Option<Site<'a>> {
        let keep = self.ancestors.len().checked_sub(levels)?;
        let expr = if levels == 0 {
            self.expr
        } else {
            self.ancestors[keep]
        };
        Some(Site {
            expr,
            stmts: self.stmts.clone(),
            ancestors: self.ancestors[..keep].to_vec(),
            in_finally: self.in_finally,
        })
    }
}

/// A `for` loop or a comprehension generator: `target` takes the elements
/// of `iter` within `extent`.
pub(super) struct Iteration<'a> {
    pub iter: &'a Expr,
    pub target: &'a Expr,
    pub extent: TextRange,
}

/// Facts about one function body (nested `def` and `class` bodies skipped).
pub(super) struct FunctionFacts<'a> {
    pub scope: ScopeId,
    pub def: &'a ast::StmtFunctionDef,
    /// `gather(..., return_exceptions=True)` calls.
    pub gathers: Vec<Site<'a>>,
    /// Name loads, in source order.
    pub loads: Vec<Site<'a>>,
    /// Start of a load -> its index in `loads`.
    load_index: HashMap<TextSize, usize>,
    pub iterations: Vec<Iteration<'a>>,
    /// `x.cancel()` calls, and `x.throw(exc)` (which ends the task with
    /// `exc` in the same way): the receiver's text without whitespace,
    /// where the call is, and the range of the statement list holding it.
    pub cancels: Vec<(String, TextSize, TextRange)>,
    /// `c.append(x)` / `c.add(x)`: the collection's and the element's text,
    /// where the call is, and the range of the statement list holding it.
    pub appends: Vec<(String, String, TextSize, TextRange)>,
    /// The same calls: the collection's text and the element added.
    pub appended: Vec<(String, &'a Expr)>,
    /// Other ways a collection gains elements: `c.extend(...)`,
    /// `c.insert(...)`, `c.update(...)`, `c += ...`: the collection's text,
    /// the text of what `extend` adds (`None` for the others) and where.
    pub grows: Vec<(String, Option<String>, TextSize)>,
    /// `t.add_done_callback(cb)`: the task's text and the callback.
    pub done_callbacks: Vec<(String, &'a Expr)>,
    /// Start of a name bound by an assignment -> end of that statement.
    pub assign_ends: HashMap<TextSize, TextSize>,
}

impl<'a> FunctionFacts<'a> {
    pub fn collect(checker: &Checker<'a>, scope: ScopeId, def: &'a ast::StmtFunctionDef) -> Self {
        let mut collector = Collector {
            checker,
            facts: FunctionFacts {
                scope,
                def,
                gathers: Vec::new(),
                loads: Vec::new(),
                load_index: HashMap::new(),
                iterations: Vec::new(),
                cancels: Vec::new(),
                appends: Vec::new(),
                appended: Vec::new(),
                grows: Vec::new(),
                done_callbacks: Vec::new(),
                assign_ends: HashMap::new(),
            },
            stmts: Vec::new(),
            exprs: Vec::new(),
            lambda_depth: 0,
        };
        collector.visit_body(&def.body);
        let mut facts = collector.facts;
        facts.load_index = facts
            .loads
            .iter()
            .enumerate()
            .map(|(i, site)| (site.expr.start(), i))
            .collect();
        facts
    }

    /// The load starting at `offset`, with where it is.
    pub fn load_at(&self, offset: TextSize) -> Option<&Site<'a>> {
        self.load_index.get(&offset).map(|&i| &self.loads[i])
    }

    /// Loads of `name` in `range`.
    pub fn loads_in(&self, name: &str, range: TextRange) -> impl Iterator<Item = &Site<'a>> + '_ {
        let name = name.to_string();
        self.loads.iter().filter(move |site| {
            matches!(site.expr, Expr::Name(n) if n.id.as_str() == name)
                && range.contains_range(site.expr.range())
        })
    }
}

struct Collector<'c, 'a> {
    checker: &'c Checker<'a>,
    facts: FunctionFacts<'a>,
    stmts: Vec<&'a Stmt>,
    exprs: Vec<&'a Expr>,
    lambda_depth: usize,
}

impl<'a> Collector<'_, 'a> {
    fn site(&self, expr: &'a Expr) -> Option<Site<'a>> {
        let stmt = self.stmts.last()?;
        let semantic = &self.checker.semantic;
        // Cleanup on the way out: a `finally:` block, or an `except`
        // handler that re-raises what it caught.
        let in_finally = semantic
            .statement_id(stmt)
            .is_some_and(|id| semantic.in_finally(id) || semantic.in_reraising_handler(id));
        Some(Site {
            expr,
            stmts: self.stmts.clone(),
            ancestors: self.exprs.clone(),
            in_finally,
        })
    }

    /// The range of the statement list holding the statement being visited.
    fn block(&self) -> TextRange {
        let semantic = &self.checker.semantic;
        self.stmts
            .last()
            .and_then(|stmt| semantic.statement_id(stmt))
            .map(|id| {
                let (block, _) = semantic.block_of(id);
                TextRange::new(block[0].start(), block[block.len() - 1].end())
            })
            .unwrap_or(self.facts.def.range())
    }

    fn visit_block(&mut self, body: &'a [Stmt]) {
        self.visit_body(body);
    }

    fn record_assignment_targets(&mut self, target: &'a Expr, end: TextSize) {
        for name in target_names(target) {
            self.facts.assign_ends.insert(name.start(), end);
        }
    }

    fn call(&mut self, expr: &'a Expr, call: &'a ast::ExprCall) {
        if self.lambda_depth == 0
            && self
                .checker
                .semantic
                .resolve_qualified_name(&call.func, self.facts.scope)
                .is_some_and(|q| {
                    matches!(
                        q.segments(),
                        ["asyncio", "gather"] | ["asyncio", "tasks", "gather"]
                    )
                })
            && call
                .arguments
                .find_keyword("return_exceptions")
                .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
            && let Some(site) = self.site(expr)
        {
            self.facts.gathers.push(site);
        }
        if let Expr::Attribute(attribute) = &*call.func {
            let receiver = || squash(self.checker.text(&*attribute.value));
            match (attribute.attr.id.as_str(), &*call.arguments.args) {
                // `t.throw(exc)` ends the task with `exc` as surely as a
                // cancel ends it with `CancelledError`.
                ("cancel", []) | ("throw", [_, ..]) => {
                    self.facts
                        .cancels
                        .push((receiver(), call.start(), self.block()));
                }
                ("append" | "add", [element]) => {
                    self.facts.appended.push((receiver(), element));
                    let element = squash(self.checker.text(element));
                    self.facts
                        .appends
                        .push((receiver(), element, call.start(), self.block()));
                }
                ("extend", [added]) => {
                    let added = squash(self.checker.text(added));
                    self.facts
                        .grows
                        .push((receiver(), Some(added), call.start()));
                }
                ("extend" | "insert" | "update" | "appendleft" | "extendleft", _) => {
                    self.facts.grows.push((receiver(), None, call.start()));
                }
                ("add_done_callback", [callback, ..]) => {
                    self.facts.done_callbacks.push((receiver(), callback));
                }
                _ => {}
            }
        }
    }
}

impl<'a> Visitor<'a> for Collector<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // They run elsewhere, whenever they are called.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::For(for_stmt) => self.facts.iterations.push(Iteration {
                iter: &for_stmt.iter,
                target: &for_stmt.target,
                extent: for_stmt.range(),
            }),
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.record_assignment_targets(target, assign.end());
                }
            }
            Stmt::AnnAssign(assign) => self.record_assignment_targets(&assign.target, assign.end()),
            Stmt::AugAssign(assign) => {
                self.record_assignment_targets(&assign.target, assign.end());
                let target = squash(self.checker.text(&*assign.target));
                self.facts.grows.push((target, None, assign.start()));
            }
            _ => {}
        }
        self.stmts.push(stmt);
        match stmt {
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                if !self
                    .checker
                    .semantic
                    .is_type_checking_guard(&if_stmt.test, self.facts.scope)
                {
                    self.visit_block(&if_stmt.body);
                }
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                    }
                    self.visit_block(&clause.body);
                }
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.visit_expr(&for_stmt.target);
                self.visit_block(&for_stmt.body);
                self.visit_block(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.visit_expr(&while_stmt.test);
                self.visit_block(&while_stmt.body);
                self.visit_block(&while_stmt.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_with_item(item);
                }
                self.visit_block(&with.body);
            }
            Stmt::Try(try_stmt) => {
                self.visit_block(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.visit_expr(type_);
                    }
                    self.visit_block(&handler.body);
                }
                self.visit_block(&try_stmt.orelse);
                self.visit_block(&try_stmt.finalbody);
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
                if let Some(site) = self.site(expr) {
                    self.facts.loads.push(site);
                }
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                for generator in generators {
                    self.facts.iterations.push(Iteration {
                        iter: &generator.iter,
                        target: &generator.target,
                        extent: expr.range(),
                    });
                }
            }
            _ => {}
        }
        self.exprs.push(expr);
        visitor::walk_expr(self, expr);
        self.exprs.pop();
    }
}

/// The names an assignment or loop target binds.
pub(super) fn target_names(target: &Expr) -> Box<dyn Iterator<Item = &ast::ExprName> + '_> {
    match target {
        Expr::Name(name) => Box::new(std::iter::once(name)),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            Box::new(elts.iter().flat_map(target_names))
        }
        Expr::Starred(starred) => target_names(&starred.value),
        _ => Box::new(std::iter::empty()),
    }
}

/// Source text without whitespace, to compare expressions written alike.
pub(super) fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
