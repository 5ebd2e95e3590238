//! The state of an object that its coroutines change, and what a function
//! reads of it: moving a function that reads such state to a worker thread
//! makes the thread and the event loop use it at the same time.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::SemanticModel;

/// Methods that change the container they are called on.
pub const MUTATING_METHODS: &[&str] = &[
    "append",
    "extend",
    "add",
    "update",
    "pop",
    "popitem",
    "setdefault",
    "clear",
    "remove",
    "discard",
    "insert",
    "appendleft",
    "extendleft",
    "popleft",
    "sort",
    "reverse",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

impl<'a> SemanticModel<'a> {
    /// The attributes of `class` that its `async def` methods change through
    /// their receiver: assign (`self.x = ...`, `self.x += ...`), store into
    /// or delete from (`self.x[k] = ...`, `del self.x[k]`), or call a
    /// mutating method of (`self.x.append(...)`). Nested functions and
    /// classes are not looked into.
    pub fn attributes_changed_by_coroutines(
        &self,
        class: &'a ast::StmtClassDef,
    ) -> HashSet<&'a str> {
        let mut changed = HashSet::new();
        for stmt in &class.body {
            let Stmt::FunctionDef(def) = stmt else {
                continue;
            };
            let Some(receiver) = receiver_of(def).filter(|_| def.is_async) else {
                continue;
            };
            let mut finder = ReceiverUse {
                receiver,
                changed: Some(&mut changed),
                read: None,
            };
            finder.visit_body(&def.body);
        }
        changed
    }

    /// The attributes `def` uses through its receiver (its first parameter:
    /// `self.x`, `cls.x`), read or written.
    pub fn receiver_attributes(&self, def: &'a ast::StmtFunctionDef) -> HashSet<&'a str> {
        match receiver_of(def) {
            Some(receiver) => self.receiver_attributes_in(receiver, &def.body),
            None => HashSet::new(),
        }
    }

    /// The attributes `body` uses through `receiver` (`receiver.x`).
    pub fn receiver_attributes_in(&self, receiver: &'a str, body: &'a [Stmt]) -> HashSet<&'a str> {
        let mut read = HashSet::new();
        let mut finder = ReceiverUse {
            receiver,
            changed: None,
            read: Some(&mut read),
        };
        finder.visit_body(body);
        read
    }
}

impl<'a> SemanticModel<'a> {
    /// Whether the method at `scope` calls, on its receiver, a method whose
    /// body the module does not show: an abstract one (decorated
    /// `abstractmethod`, or whose body is only a docstring, `pass`, `...`
    /// or `raise NotImplementedError`), which subclasses elsewhere
    /// implement; or one that neither the class nor its same-module bases
    /// define (nor assign as an attribute) while a base comes from another
    /// module. What such a call reads of the object is unknown.
    pub fn calls_unseen_methods(&self, scope: super::ScopeId) -> bool {
        let super::ScopeKind::Function(def) = self.scope(scope).kind else {
            return false;
        };
        let (Some(class), Some(receiver)) = (self.method_class(scope), receiver_of(def)) else {
            return false;
        };
        let mut calls = ReceiverCalls {
            receiver,
            names: Vec::new(),
        };
        calls.visit_body(&def.body);
        if calls.names.is_empty() {
            return false;
        }
        let classes = self.class_and_bases(class);
        let unknown_base = classes.iter().any(|c| {
            let outer = self
                .class_scope(c)
                .and_then(|s| self.scope(s).parent)
                .unwrap_or(super::ScopeId::MODULE);
            c.bases().iter().any(|base| {
                let base = match base {
                    Expr::Subscript(generic) => &*generic.value,
                    other => other,
                };
                self.local_class(base, outer).is_none()
                    && !self.resolve_qualified_name(base, outer).is_some_and(|q| {
                        matches!(
                            q.segments(),
                            ["builtins", "object"]
                                | ["abc", "ABC"]
                                | ["typing" | "typing_extensions", "Protocol" | "Generic"]
                        ) || q.segments().first() == Some(&"typing")
                    })
            })
        });
        calls
            .names
            .iter()
            .any(|name| match self.method(class, name) {
                Some((_, method)) => is_abstract(method),
                None => {
                    unknown_base
                        && classes.iter().all(|c| {
                            self.class_scope(c)
                                .is_none_or(|s| self.attribute_assignments(s, name).is_empty())
                        })
                }
            })
    }
}

/// Whether a method only declares an interface: decorated `abstractmethod`,
/// or a body of a docstring, `pass`, `...` or `raise NotImplementedError`.
fn is_abstract(def: &ast::StmtFunctionDef) -> bool {
    let decorated = def.decorator_list.iter().any(|d| {
        let expr = match &d.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        match expr {
            Expr::Name(n) => n.id.as_str() == "abstractmethod",
            Expr::Attribute(a) => a.attr.id.as_str() == "abstractmethod",
            _ => false,
        }
    });
    decorated
        || def.body.iter().all(|stmt| match stmt {
            Stmt::Pass(_) => true,
            Stmt::Expr(e) => e.value.is_string_literal_expr() || e.value.is_ellipsis_literal_expr(),
            Stmt::Raise(r) => r.exc.as_deref().is_some_and(|e| {
                let e = match e {
                    Expr::Call(call) => &*call.func,
                    other => other,
                };
                matches!(e, Expr::Name(n) if n.id.as_str() == "NotImplementedError")
            }),
            _ => false,
        })
}

/// The names of the methods a body calls on `receiver` (`receiver.m(...)`),
/// nested functions and classes aside.
struct ReceiverCalls<'r, 'a> {
    receiver: &'r str,
    names: Vec<&'a str>,
}

impl<'a> Visitor<'a> for ReceiverCalls<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attr) = &*call.func
            && matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == self.receiver)
        {
            self.names.push(attr.attr.id.as_str());
        }
        if !matches!(expr, Expr::Lambda(_)) {
            visitor::walk_expr(self, expr);
        }
    }
}

/// The name of a method's receiver (its first positional parameter), unless
/// it is a static method.
pub fn receiver_of(def: &ast::StmtFunctionDef) -> Option<&str> {
    let is_static = def
        .decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
    if is_static {
        return None;
    }
    def.parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .next()
        .map(|p| p.parameter.name.id.as_str())
}

struct ReceiverUse<'r, 'a> {
    receiver: &'a str,
    changed: Option<&'r mut HashSet<&'a str>>,
    read: Option<&'r mut HashSet<&'a str>>,
}

impl<'a> ReceiverUse<'_, 'a> {
    /// `x` when `expr` is `receiver.x`, or an item or attribute inside it
    /// (`receiver.x[k]`, `receiver.x.y`).
    fn root_attribute(&self, expr: &'a Expr) -> Option<&'a str> {
        match expr {
            Expr::Attribute(attr) => match &*attr.value {
                Expr::Name(name) if name.id.as_str() == self.receiver => {
                    Some(attr.attr.id.as_str())
                }
                inner => self.root_attribute(inner),
            },
            Expr::Subscript(sub) => self.root_attribute(&sub.value),
            _ => None,
        }
    }

    fn changes(&mut self, target: &'a Expr) {
        if let Some(attribute) = self.root_attribute(target)
            && let Some(changed) = self.changed.as_deref_mut()
        {
            changed.insert(attribute);
        }
        if let Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) =
            target
        {
            for element in elts {
                self.changes(element);
            }
        }
    }
}

impl<'a> Visitor<'a> for ReceiverUse<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.changes(t)),
            Stmt::AugAssign(assign) => self.changes(&assign.target),
            Stmt::AnnAssign(assign) if assign.value.is_some() => self.changes(&assign.target),
            Stmt::Delete(delete) => delete.targets.iter().for_each(|t| self.changes(t)),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Call(call) => {
                if let Expr::Attribute(method) = &*call.func
                    && MUTATING_METHODS.contains(&method.attr.id.as_str())
                {
                    self.changes(&method.value);
                }
            }
            Expr::Attribute(attr) => {
                if let Expr::Name(name) = &*attr.value
                    && name.id.as_str() == self.receiver
                    && let Some(read) = self.read.as_deref_mut()
                {
                    read.insert(attr.attr.id.as_str());
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
