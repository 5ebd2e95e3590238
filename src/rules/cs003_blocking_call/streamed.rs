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

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::semantic::uses::LoadContext;
use crate::semantic::{ScopeId, ScopeKind, SemanticModel};

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
    // Every load that may read the file (the model's def-use chains, which
    // follow branches and loops), each judged where it stands.
    let Some(binding) = semantic.binding_spanning(name.id.as_str(), scope, name.range) else {
        return false;
    };
    let mut chunked = 0;
    for id in semantic.reached_loads(binding) {
        let reference = semantic.reference(id);
        // A nested function or lambda using the file: not followed.
        if reference.scope != scope {
            return false;
        }
        let Some(load) = semantic.load_context(reference) else {
            return false;
        };
        match file_use(&load) {
            FileUse::Inspects => {}
            FileUse::MovesData if in_awaiting_loop(semantic, scope, &load, call.range()) => {
                chunked += 1;
            }
            FileUse::MovesData | FileUse::Other => return false,
        }
    }
    chunked > 0
}

/// What a load of the file does with it.
enum FileUse {
    /// Reads or writes it (`f.read()`, `f.write(chunk)`).
    MovesData,
    /// Looks at it without moving data: another method (`f.flush()`), an
    /// attribute (`f.name`), an inspection (`getattr(f, ...)`), a comparison.
    Inspects,
    /// Anything else: handed on, iterated, returned, stored.
    Other,
}

fn file_use(load: &LoadContext) -> FileUse {
    match load.parent() {
        Some(Expr::Attribute(attr)) if std::ptr::eq(&*attr.value, load.expr) => {
            let called = matches!(load.ancestor(2),
                Some(Expr::Call(call)) if std::ptr::eq(&*call.func, load.parent().unwrap()));
            if called && DATA_METHODS.contains(&attr.attr.id.as_str()) {
                FileUse::MovesData
            } else {
                FileUse::Inspects
            }
        }
        Some(Expr::Call(call))
            if matches!(&*call.func, Expr::Name(func) if INSPECTS.contains(&func.id.as_str()))
                && call
                    .arguments
                    .args
                    .first()
                    .is_some_and(|first| std::ptr::eq(first, load.expr)) =>
        {
            FileUse::Inspects
        }
        Some(Expr::Compare(_)) => FileUse::Inspects,
        _ => FileUse::Other,
    }
}

/// Whether the load runs in a loop of the coroutine that awaits between
/// its rounds (an `async for`, or a suspension point in the loop) and that
/// does not open the file again each round (`opened`).
fn in_awaiting_loop(
    semantic: &SemanticModel,
    scope: ScopeId,
    load: &LoadContext,
    opened: TextRange,
) -> bool {
    // A `while` whose test reads the file runs it each round too.
    let own = match load.stmt {
        Stmt::While(w) if w.test.range().contains_range(load.expr.range()) => Some(load.stmt),
        _ => None,
    };
    own.into_iter()
        .chain(semantic.enclosing_loops(load.stmt_id))
        .any(|lp| {
            let is_async_for = matches!(lp, Stmt::For(f) if f.is_async);
            !lp.range().contains_range(opened)
                && (is_async_for || !semantic.suspensions_in(scope, lp.range()).is_empty())
        })
}
