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
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::ScopeId;
use crate::semantic::uses::{NameUse, uses_in};

/// A leak after a hand-off.
pub(super) struct HandoffLeak<'a> {
    /// The call the session is handed to (`Server(...)`).
    pub receiver: &'a Expr,
    /// The statement holding the `await` that can raise.
    pub raising: &'a Stmt,
}

/// Looks for the shape above in the statements after the binding (`rest`)
/// of the variable `name` of the function at `scope`.
pub(super) fn find<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    rest: &'a [Stmt],
    name: &str,
) -> Option<HandoffLeak<'a>> {
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
    let semantic = &checker.semantic;
    let session = semantic.name_uses(name, scope);
    let owner = semantic.name_uses(owner, scope);
    // Something set up to close it before the hand-off (a stop listener).
    if rest[..at].iter().any(|s| keeps(s, &session)) {
        return None;
    }
    let after = &rest[at + 1..];
    // What keeps either object for closing later: a store, a nested
    // function (a stop listener), a return.
    let registered = after
        .iter()
        .position(|s| keeps(s, &session) || keeps(s, &owner))?;
    let raising = after[..registered]
        .iter()
        .find(|s| semantic.suspends(scope, s) && !closes_on_error(s, &session, &owner))?;
    Some(HandoffLeak { receiver, raising })
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

/// Whether the variable (its `uses`) occurs in `range`.
fn occurs_in(uses: &[NameUse], range: TextRange) -> bool {
    !uses_in(uses, range).is_empty()
}

/// The range a block of statements spans.
fn block_range(body: &[Stmt]) -> Option<TextRange> {
    Some(TextRange::new(body.first()?.start(), body.last()?.end()))
}

/// `stmt` keeps the variable (its `uses`) somewhere that outlives the
/// call, or arranges for it to be closed.
fn keeps(stmt: &Stmt, uses: &[NameUse]) -> bool {
    match stmt {
        Stmt::FunctionDef(def) => block_range(&def.body).is_some_and(|r| occurs_in(uses, r)),
        Stmt::Assign(assign) => {
            occurs_in(uses, assign.value.range())
                && assign.targets.iter().any(|t| !t.is_name_expr())
        }
        Stmt::Return(ret) => ret
            .value
            .as_deref()
            .is_some_and(|v| occurs_in(uses, v.range())),
        _ => false,
    }
}

/// A `try` whose `finally` or every handler closes the session or its owner
/// (mentions either of them).
fn closes_on_error(stmt: &Stmt, session: &[NameUse], owner: &[NameUse]) -> bool {
    let Stmt::Try(try_stmt) = stmt else {
        return false;
    };
    let closes = |body: &[Stmt]| {
        block_range(body).is_some_and(|r| occurs_in(session, r) || occurs_in(owner, r))
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
