//! The *store the task, not the result* fix for a check-then-act cache:
//!
//! ```python
//! if key not in _cache:
//!     _cache[key] = await build(key)
//! return _cache[key]
//! ```
//!
//! becomes a cache of tasks. The first call starts the build and stores its
//! task at once, before any `await`; every call, first or not, awaits that
//! one task, so the value is built once.

use ruff_diagnostics::Edit;
use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::{Check, Container, Finding, State, module_references};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::ScopeId;
use crate::semantic::scope_walk::ScopeVisitor;

/// Offered only where the cache's values are never seen as values by
/// anyone else, since they become tasks: the cache is private to the module
/// (a leading underscore), a plain dict, and this function is the only code
/// that touches it, reading entries only as `_cache[key]` (which becomes
/// `await asyncio.shield(_cache[key])`). The missing branch must be the one
/// store `_cache[key] = await <call>`.
pub(super) fn store_task_fix<'a>(
    checker: &Checker<'a>,
    info: &State<'a>,
    state: &'a str,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    check: &Check<'a>,
    finding: &Finding<'a>,
) -> Option<CodeFix> {
    if !state.starts_with('_')
        || info.container != Container::PlainDict
        || info.definition.is_none()
        || info.rebound_in_function
        || check.rest_of.is_some()
    {
        return None;
    }
    let semantic = &checker.semantic;
    // `key not in _cache`, with a key bound once in the function (the
    // done-callback reads it later).
    let Expr::Compare(compare) = check.test else {
        return None;
    };
    let [CmpOp::NotIn] = &compare.ops[..] else {
        return None;
    };
    let Some(Expr::Name(key)) = check.key else {
        return None;
    };
    if semantic.bindings_in_scope(key.id.as_str(), scope).count() != 1 {
        return None;
    }
    // The `if` has no other branch and only the store.
    let Stmt::If(if_stmt) = semantic.statement(check.stmt) else {
        return None;
    };
    if !if_stmt.elif_else_clauses.is_empty()
        || if_stmt.body.len() != 1
        || !std::ptr::eq(&if_stmt.body[0], finding.stmt)
        || !checker.fixer().is_own_lines(finding.stmt)
    {
        return None;
    }
    let Stmt::Assign(assign) = finding.stmt else {
        return None;
    };
    let [Expr::Subscript(target)] = &assign.targets[..] else {
        return None;
    };
    let Expr::Await(awaited) = &*assign.value else {
        return None;
    };
    if !awaited.value.is_call_expr() {
        return None;
    }

    // Every other use of the cache is a read of this entry in this function.
    let mut reads = EntryReads {
        state,
        key: ComparableExpr::from(check.key?),
        reads: Vec::new(),
        whole: Vec::new(),
    };
    checker.semantic.walk_scope(&def.body, &mut reads);
    let reads_of = |range: TextRange| reads.reads.iter().any(|r| r.value.range() == range);
    for reference in module_references(checker, state) {
        let allowed = reference == compare.comparators[0].range()
            || reference == target.value.range()
            || (def.range().contains_range(reference)
                && !if_stmt.range().contains_range(reference)
                && reads_of(reference));
        if !allowed {
            return None;
        }
    }
    if reads.reads.is_empty() {
        return None;
    }

    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let indentation = checker.fixer().line_indentation(finding.stmt.start());
    let unit = checker.fixer().indent_unit();
    let newline = checker.fixer().line_ending();
    let entry = checker.text(target.range());
    let key_text = checker.text(key);
    let mut edits: Vec<Edit> = import.into_iter().collect();
    edits.push(Edit::range_replacement(
        format!(
            "{entry} = {asyncio}.ensure_future({call}){newline}\
             {indentation}# A build that fails or is cancelled is forgotten: the next call retries.{newline}\
             {indentation}{entry}.add_done_callback({newline}\
             {indentation}{unit}lambda task: (task.cancelled() or task.exception()) and {state}.pop({key_text}, None){newline}\
             {indentation})",
            call = checker.text(awaited.value.as_ref()),
        ),
        finding.stmt.range(),
    ));
    for read in &reads.reads {
        let text = checker.text(*read);
        let bare = reads.whole.contains(&read.range());
        let replacement = if bare {
            format!("await {asyncio}.shield({text})")
        } else {
            format!("(await {asyncio}.shield({text}))")
        };
        edits.push(Edit::range_replacement(replacement, read.range()));
    }
    Some(CodeFix::unsafe_(
        format!(
            "Store the task in `{state}`, not its result, and await it: the value is built once"
        ),
        edits,
    ))
}

/// Loads of `state[key]`, and which of them are a whole `return` or
/// assignment value (no parentheses needed around an `await`).
struct EntryReads<'k, 'a> {
    state: &'k str,
    key: ComparableExpr<'k>,
    reads: Vec<&'a ast::ExprSubscript>,
    whole: Vec<TextRange>,
}

impl<'a> ScopeVisitor<'a> for EntryReads<'_, 'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        let value = match stmt {
            Stmt::Return(ret) => ret.value.as_deref(),
            Stmt::Assign(assign) => Some(&*assign.value),
            _ => None,
        };
        if let Some(value) = value {
            self.whole.push(value.range());
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        if let Expr::Subscript(sub) = expr
            && sub.ctx == ExprContext::Load
            && matches!(&*sub.value, Expr::Name(n) if n.id.as_str() == self.state)
            && ComparableExpr::from(&*sub.slice) == self.key
        {
            self.reads.push(sub);
        }
    }
}
