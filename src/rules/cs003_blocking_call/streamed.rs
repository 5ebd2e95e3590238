//! A file streamed between awaits: opened, then read or written chunk by
//! chunk in a loop that awaits the network between chunks.
//!
//! ```python
//! with open(path, "wb") as fd:
//!     async for chunk in response.content.iter_chunked(65536):
//!         fd.write(chunk)
//! ```
//!
//! The opening is a metadata operation, and each chunk is a small buffered
//! read or write between two waits on the network, which dominates: this is
//! the pattern aiohttp's own documentation shows for downloads.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::semantic::{ScopeId, ScopeKind};

/// Methods of a file that move its data.
const DATA_METHODS: &[&str] = &[
    "read",
    "read1",
    "readinto",
    "readline",
    "readlines",
    "write",
    "writelines",
];

/// Builtins that look at an object without reading or writing it.
const INSPECTS: &[&str] = &["getattr", "hasattr", "callable", "isinstance", "id"];

/// Whether the file an `open(...)` call makes (bound by `with ... as f` or
/// `f = open(...)`) is only read or written inside loops that await between
/// chunks, and never handed to anything else.
pub(super) fn streamed(checker: &Checker, call: &ast::ExprCall, scope: ScopeId) -> bool {
    let semantic = &checker.semantic;
    let ScopeKind::Function(def) = semantic.scope(scope).kind else {
        return false;
    };
    if !def.is_async {
        return false;
    }
    let name = if let Some((_, item)) = semantic.with_item_at(call.range()) {
        match item.optional_vars.as_deref() {
            Some(Expr::Name(name)) if item.context_expr.range() == call.range() => name,
            _ => return false,
        }
    } else {
        let Some(id) = semantic.statement_at(call.start()) else {
            return false;
        };
        match semantic.statement(id) {
            Stmt::Assign(assign) if assign.value.range() == call.range() => {
                match &assign.targets[..] {
                    [Expr::Name(name)] => name,
                    _ => return false,
                }
            }
            _ => return false,
        }
    };
    let mut uses = Uses {
        name: name.id.as_str(),
        opened: call.range(),
        loops: Vec::new(),
        chunked: 0,
        other: false,
    };
    // Only the top-level statements of the function that hold the file's
    // binding or one of its loads (the loop context starts at the top): a
    // function opening thousands of files walks each statement once per
    // file otherwise (issue 19).
    // Its loads on every path (a file opened in one branch of an `if` is
    // read after it).
    let Some(binding) = semantic
        .binding_ids_in_scope(name.id.as_str(), scope)
        .find(|&id| semantic.binding(id).range == name.range)
    else {
        return false;
    };
    let loads = semantic.reached_loads(binding);
    if loads.is_empty() {
        return false;
    }
    let mut span = name.range;
    for &id in &loads {
        span = span.cover(semantic.reference(id).range);
    }
    let first = def.body.partition_point(|s| s.end() <= span.start());
    let last = def.body.partition_point(|s| s.start() < span.end());
    uses.visit_body(&def.body[first..last.max(first)]);
    uses.chunked > 0 && !uses.other
}

struct Uses<'n> {
    name: &'n str,
    /// The `open(...)` call: a loop around it opens a file per iteration,
    /// it does not stream one.
    opened: TextRange,
    /// For each enclosing loop: whether it awaits between chunks of the file.
    loops: Vec<bool>,
    /// Reads and writes inside a loop that awaits.
    chunked: usize,
    /// A read or write outside such a loop, or any other use of the file
    /// than a method call or an inspection.
    other: bool,
}

impl Uses<'_> {
    fn is_file(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
    }
}

impl<'a> Visitor<'a> for Uses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                // A nested function that uses the file: not followed.
                let mut inner = Uses {
                    name: self.name,
                    opened: self.opened,
                    loops: Vec::new(),
                    chunked: 0,
                    other: false,
                };
                visitor::walk_stmt(&mut inner, stmt);
                if inner.chunked > 0 || inner.other {
                    self.other = true;
                }
            }
            Stmt::For(ast::StmtFor {
                is_async,
                iter,
                body,
                orelse,
                target,
                ..
            }) => {
                if self.is_file(iter) {
                    self.other = true;
                }
                self.visit_expr(iter);
                self.visit_expr(target);
                self.loops
                    .push((*is_async || awaits(body)) && !stmt.range().contains_range(self.opened));
                self.visit_body(body);
                self.loops.pop();
                self.visit_body(orelse);
            }
            Stmt::While(ast::StmtWhile {
                test, body, orelse, ..
            }) => {
                let awaits_here = awaits(body) || {
                    let mut finder = Awaits(false);
                    finder.visit_expr(test);
                    finder.0
                };
                self.loops
                    .push(awaits_here && !stmt.range().contains_range(self.opened));
                self.visit_expr(test);
                self.visit_body(body);
                self.loops.pop();
                self.visit_body(orelse);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                if let Expr::Attribute(attr) = &*call.func
                    && self.is_file(&attr.value)
                {
                    if DATA_METHODS.contains(&attr.attr.id.as_str()) {
                        if self.loops.iter().any(|&a| a) {
                            self.chunked += 1;
                        } else {
                            self.other = true;
                        }
                    }
                    visitor::walk_arguments(self, &call.arguments);
                    return;
                }
                if let Expr::Name(func) = &*call.func
                    && INSPECTS.contains(&func.id.as_str())
                    && call.arguments.args.first().is_some_and(|a| self.is_file(a))
                {
                    for arg in call.arguments.args.iter().skip(1) {
                        self.visit_expr(arg);
                    }
                    return;
                }
                visitor::walk_expr(self, expr);
            }
            // `f.name`, `f.closed`.
            Expr::Attribute(attr) if self.is_file(&attr.value) => {}
            Expr::Compare(compare) => {
                for operand in std::iter::once(&*compare.left).chain(&compare.comparators) {
                    if !self.is_file(operand) {
                        self.visit_expr(operand);
                    }
                }
            }
            Expr::Name(name) if name.id.as_str() == self.name && name.ctx.is_load() => {
                self.other = true;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Whether a loop body awaits in its own frame.
fn awaits(body: &[Stmt]) -> bool {
    let mut finder = Awaits(false);
    finder.visit_body(body);
    finder.0
}

struct Awaits(bool);

impl<'a> Visitor<'a> for Awaits {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::With(ast::StmtWith { is_async: true, .. })
            | Stmt::For(ast::StmtFor { is_async: true, .. }) => self.0 = true,
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => {}
            Expr::Await(_) => self.0 = true,
            _ => visitor::walk_expr(self, expr),
        }
    }
}
