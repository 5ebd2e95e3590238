//! A session handed to another object, then leaked when an `await` raises
//! before anything is set up to close it:
//!
//! ```python
//! session = ClientSession()
//! server = Server(hass, session)       # the hand-off
//! try:
//!     await server.start()            # raises...
//! except Exception:
//!     return False                    # ...and nobody closes `session`
//! hass.data["server"] = (server, session)  # what would have closed it
//! ```

use ruff_diagnostics::Edit;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::diagnostic::CodeFix;

/// A leak after a hand-off.
pub(super) struct HandoffLeak<'a> {
    /// The call the session is handed to (`Server(...)`).
    pub receiver: &'a Expr,
    /// The statement holding the `await` that can raise.
    pub raising: &'a Stmt,
}

/// Looks for the shape above in the statements after the binding (`rest`).
pub(super) fn find<'a>(rest: &'a [Stmt], name: &str) -> Option<HandoffLeak<'a>> {
    // The hand-off: `owner = Constructor(..., name, ...)` (or a factory).
    let (at, owner, receiver) = rest.iter().enumerate().find_map(|(i, stmt)| {
        let Stmt::Assign(assign) = stmt else {
            return None;
        };
        let [Expr::Name(owner)] = assign.targets.as_slice() else {
            return None;
        };
        let Expr::Call(call) = &*assign.value else {
            return None;
        };
        let passes = call.arguments.args.iter().any(|a| is_name(a, name))
            || call
                .arguments
                .keywords
                .iter()
                .any(|k| is_name(&k.value, name));
        passes.then_some((i, owner.id.as_str(), &*assign.value))
    })?;
    // Something set up to close it before the hand-off (a stop listener).
    if rest[..at].iter().any(|s| keeps(s, name)) {
        return None;
    }
    let after = &rest[at + 1..];
    // What keeps either object for closing later: a store, a nested
    // function (a stop listener), a return.
    let registered = after
        .iter()
        .position(|s| keeps(s, name) || keeps(s, owner))?;
    let raising = after[..registered]
        .iter()
        .find(|s| awaits(s) && !closes_on_error(s, name, owner))?;
    Some(HandoffLeak { receiver, raising })
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

fn mentions(expr: &Expr, name: &str) -> bool {
    struct Find<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Find<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if is_name(expr, self.name) {
                self.found = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut find = Find { name, found: false };
    find.visit_expr(expr);
    find.found
}

fn stmt_mentions(stmt: &Stmt, name: &str) -> bool {
    struct Find<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Find<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if is_name(expr, self.name) {
                self.found = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut find = Find { name, found: false };
    find.visit_stmt(stmt);
    find.found
}

/// `stmt` keeps `name` somewhere that outlives the call, or arranges for it
/// to be closed.
fn keeps(stmt: &Stmt, name: &str) -> bool {
    match stmt {
        Stmt::FunctionDef(def) => def.body.iter().any(|s| stmt_mentions(s, name)),
        Stmt::Assign(assign) => {
            mentions(&assign.value, name) && assign.targets.iter().any(|t| !t.is_name_expr())
        }
        Stmt::Return(ret) => ret.value.as_deref().is_some_and(|v| mentions(v, name)),
        _ => false,
    }
}

/// Whether `stmt` awaits (outside nested functions).
fn awaits(stmt: &Stmt) -> bool {
    struct Find {
        found: bool,
    }
    impl<'a> Visitor<'a> for Find {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(f) if f.is_async => self.found = true,
                Stmt::With(w) if w.is_async => self.found = true,
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Await(_) => self.found = true,
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut find = Find { found: false };
    find.visit_stmt(stmt);
    find.found
}

/// A `try` whose `finally` or every handler closes the session or its owner.
fn closes_on_error(stmt: &Stmt, name: &str, owner: &str) -> bool {
    let Stmt::Try(try_stmt) = stmt else {
        return false;
    };
    let closes = |body: &[Stmt]| {
        body.iter()
            .any(|s| stmt_mentions(s, name) || stmt_mentions(s, owner))
    };
    closes(&try_stmt.finalbody)
        || (!try_stmt.handlers.is_empty()
            && try_stmt.handlers.iter().all(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                closes(&h.body)
            }))
}

/// The fix for the common shape: the raising `await` sits in a `try` whose
/// handlers give up (`return`): close the session first thing in each such
/// handler.
pub(super) fn close_in_handlers_fix(
    checker: &Checker,
    leak: &HandoffLeak,
    name: &str,
    close: &str,
) -> Option<CodeFix> {
    let Stmt::Try(try_stmt) = leak.raising else {
        return None;
    };
    if try_stmt.handlers.is_empty() || !try_stmt.finalbody.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    for handler in &try_stmt.handlers {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if !matches!(h.body.last(), Some(Stmt::Return(_))) {
            return None;
        }
        let first = h.body.first()?;
        if !checker.fixer().is_own_lines(first) {
            return None;
        }
        let indent = checker.fixer().line_indentation(first.start());
        edits.push(Edit::insertion(
            format!(
                "{indent}await {name}.{close}(){}",
                checker.fixer().line_ending()
            ),
            checker.source.line_start(first.start()),
        ));
    }
    Some(CodeFix::safe(
        format!("Close `{name}` before giving up in the `except` handler"),
        edits,
    ))
}
