//! What CS003 needs to know about `with` statements beyond the semantic
//! model's bindings: which calls are entered as `with` items (directly, or
//! through a name: `ctx = TemporaryDirectory() if ... else ...; with ctx:`),
//! and the context expression behind a plain `with EXPR as NAME` target.
//!
//! Gathered in one walk of the module, on first use.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

#[derive(Default)]
pub struct Facts<'a> {
    /// The start of each `with EXPR as NAME` target (a plain name, not a
    /// tuple) to `EXPR`.
    pub with_targets: HashMap<TextSize, &'a Expr>,
    /// The context expressions of `with` statements (not `async with`).
    pub with_items: HashSet<TextRange>,
    /// The names used as `with` items.
    pub with_item_names: HashSet<&'a str>,
    /// A call assigned to a single name (directly or as a branch of a
    /// conditional expression) to that name.
    pub assigned_calls: HashMap<TextRange, &'a str>,
}

impl<'a> Facts<'a> {
    pub fn collect(body: &'a [Stmt]) -> Self {
        let mut collector = Collector {
            facts: Facts::default(),
        };
        collector.visit_body(body);
        collector.facts
    }
}

struct Collector<'a> {
    facts: Facts<'a>,
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::With(with) => {
                for item in &with.items {
                    if !with.is_async {
                        self.facts.with_items.insert(item.context_expr.range());
                        if let Expr::Name(name) = &item.context_expr {
                            self.facts.with_item_names.insert(name.id.as_str());
                        }
                    }
                    if let Some(Expr::Name(name)) = item.optional_vars.as_deref() {
                        self.facts
                            .with_targets
                            .insert(name.start(), &item.context_expr);
                    }
                }
            }
            Stmt::Assign(assign) => {
                if let [Expr::Name(name)] = &assign.targets[..] {
                    let values = match &*assign.value {
                        Expr::If(if_exp) => vec![&*if_exp.body, &*if_exp.orelse],
                        value => vec![value],
                    };
                    for value in values {
                        if value.is_call_expr() {
                            self.facts
                                .assigned_calls
                                .insert(value.range(), name.id.as_str());
                        }
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}
