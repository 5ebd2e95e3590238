//! What CS003 knows about a module's names beyond their assignments: the
//! annotations of parameters and annotated assignments, the `with ... as`
//! targets and items, and the attributes a class's methods set on `self`.
//!
//! Gathered in one walk of the module, on first use.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Where a `self` attribute's value comes from.
#[derive(Debug, Clone, Copy)]
pub enum AttributeSource<'a> {
    /// `self.x = value` in a method, or `x = value` in the class body.
    Value(&'a Expr, TextSize),
    /// `self.x: T = ...` in a method, or `x: T` in the class body.
    Annotation(&'a Expr, TextSize),
}

#[derive(Default)]
pub struct Facts<'a> {
    /// The start of each `with EXPR as NAME` target to `EXPR`.
    pub with_targets: HashMap<TextSize, &'a Expr>,
    /// The context expressions of `with` statements (not `async with`).
    pub with_items: HashSet<TextRange>,
    /// The names used as `with` items (`with ctx as d:` after
    /// `ctx = TemporaryDirectory() if ... else ...`).
    pub with_item_names: HashSet<&'a str>,
    /// A call assigned to a single name (directly or as a branch of a
    /// conditional expression) to that name.
    pub assigned_calls: HashMap<TextRange, &'a str>,
    /// The start of a parameter's name, or of an annotated assignment's
    /// target name, to its annotation.
    pub annotations: HashMap<TextSize, &'a Expr>,
    /// (start of a class, attribute name) to the assignments and
    /// annotations of that attribute. The offset in each source is a point
    /// inside the method (or class body) it comes from, to resolve names in.
    pub attributes: HashMap<(TextSize, &'a str), Vec<AttributeSource<'a>>>,
}

impl<'a> Facts<'a> {
    pub fn collect(body: &'a [Stmt]) -> Self {
        let mut collector = Collector {
            facts: Facts::default(),
            classes: Vec::new(),
            class_starts: Vec::new(),
        };
        collector.visit_body(body);
        collector.facts
    }
}

/// The method being walked: its class and the name of its `self` parameter.
struct Method<'a> {
    class: TextSize,
    receiver: Option<&'a str>,
    at: TextSize,
}

struct Collector<'a> {
    facts: Facts<'a>,
    /// The innermost class body (`None` for a method body) or method.
    classes: Vec<Option<Method<'a>>>,
    /// The starts of the enclosing class definitions.
    class_starts: Vec<TextSize>,
}

impl<'a> Collector<'a> {
    fn attribute_target(&self, target: &'a Expr) -> Option<(TextSize, &'a str, TextSize)> {
        let Expr::Attribute(attr) = target else {
            return None;
        };
        let Expr::Name(receiver) = &*attr.value else {
            return None;
        };
        let method = self.classes.last()?.as_ref()?;
        (method.receiver == Some(receiver.id.as_str())).then_some((
            method.class,
            attr.attr.id.as_str(),
            method.at,
        ))
    }
}

fn is_static(def: &ast::StmtFunctionDef) -> bool {
    def.decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"))
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
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = &*assign.target {
                    self.facts
                        .annotations
                        .insert(name.start(), &assign.annotation);
                    // `x: T` in a class body declares an instance attribute.
                    if let Some(None) = self.classes.last()
                        && let Some(class) = self.class_start()
                    {
                        self.facts
                            .attributes
                            .entry((class, name.id.as_str()))
                            .or_default()
                            .push(AttributeSource::Annotation(
                                &assign.annotation,
                                name.start(),
                            ));
                    }
                } else if let Some(key) = self.attribute_target(&assign.target) {
                    self.facts
                        .attributes
                        .entry((key.0, key.1))
                        .or_default()
                        .push(AttributeSource::Annotation(&assign.annotation, key.2));
                }
            }
            Stmt::Assign(assign) => {
                if let [Expr::Name(name)] = &assign.targets[..] {
                    let mut values = vec![&*assign.value];
                    if let Expr::If(if_exp) = &*assign.value {
                        values = vec![&*if_exp.body, &*if_exp.orelse];
                    }
                    for value in values {
                        if value.is_call_expr() {
                            self.facts
                                .assigned_calls
                                .insert(value.range(), name.id.as_str());
                        }
                    }
                }
                for target in &assign.targets {
                    if let Some(key) = self.attribute_target(target) {
                        self.facts
                            .attributes
                            .entry((key.0, key.1))
                            .or_default()
                            .push(AttributeSource::Value(&assign.value, key.2));
                    }
                }
            }
            _ => {}
        }
        match stmt {
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.classes.push(None);
                self.class_starts.push(class.start());
                self.visit_body(&class.body);
                self.class_starts.pop();
                self.classes.pop();
            }
            Stmt::FunctionDef(def) => {
                for parameter in def.parameters.iter() {
                    if let Some(annotation) = parameter.annotation() {
                        self.facts
                            .annotations
                            .insert(parameter.name().start(), annotation);
                    }
                }
                let method = match (self.classes.last(), self.class_start()) {
                    (Some(None), Some(class)) => Some(Method {
                        class,
                        receiver: (!is_static(def))
                            .then(|| def.parameters.iter().next().map(|p| p.name().id.as_str()))
                            .flatten(),
                        at: def.body.first().map_or(def.start(), Ranged::start),
                    }),
                    _ => None,
                };
                match method {
                    Some(method) => {
                        self.classes.push(Some(method));
                        visitor::walk_stmt(self, stmt);
                        self.classes.pop();
                    }
                    None => {
                        // A function outside a class body (or nested in a
                        // method): its `self` is not the instance.
                        self.classes.push(Some(Method {
                            class: TextSize::default(),
                            receiver: None,
                            at: def.start(),
                        }));
                        visitor::walk_stmt(self, stmt);
                        self.classes.pop();
                    }
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}

impl Collector<'_> {
    fn class_start(&self) -> Option<TextSize> {
        self.class_starts.last().copied()
    }
}
