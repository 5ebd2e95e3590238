//! The *lock* fix: a module-level `asyncio.Lock` around the statements from
//! the read of shared state to the write that depends on it.

use ruff_diagnostics::Edit;
use ruff_python_ast::{Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange};

use super::called_functions;
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::{BindingKind, ScopeId, ScopeKind, SemanticModel, StmtId};

/// A statement and the compound statements around it in its function, as
/// (block, index) pairs from the function's body down to the statement.
fn path<'a>(semantic: &SemanticModel<'a>, id: StmtId) -> Vec<(&'a [Stmt], usize)> {
    let mut path: Vec<_> = semantic
        .statement_and_ancestors(id)
        .map(|s| semantic.block_of(s))
        .collect();
    path.reverse();
    path
}

/// When the read comes after the write, the value was carried over from an
/// earlier iteration of a loop: the lock has to hold over the whole loop
/// (not offered for `while True`, which would never release it).
fn carried_loop<'a>(
    semantic: &SemanticModel<'a>,
    read: StmtId,
    write: StmtId,
) -> Option<Option<&'a [Stmt]>> {
    let read_stmt = semantic.statement(read);
    if read_stmt.start() <= semantic.statement(write).start() {
        return None;
    }
    let found = semantic
        .statement_and_ancestors(write)
        .skip(1)
        .find_map(|id| {
            let stmt = semantic.statement(id);
            (matches!(stmt, Stmt::For(_) | Stmt::While(_))
                && stmt.range().contains_range(read_stmt.range()))
            .then(|| {
                let (body, index) = semantic.block_of(id);
                &body[index..=index]
            })
        });
    Some(found.filter(|span| match &span[0] {
        Stmt::While(w) => {
            !matches!(&*w.test, Expr::BooleanLiteral(b) if b.value)
                && !matches!(&*w.test, Expr::NumberLiteral(_))
        }
        _ => true,
    }))
}

/// The statements to wrap: from the read to the write, in the innermost body
/// that holds both.
fn wrap_span<'a>(semantic: &SemanticModel<'a>, read: StmtId, write: StmtId) -> Option<&'a [Stmt]> {
    let (read, write) = (path(semantic, read), path(semantic, write));
    let mut level = 0;
    while level < read.len()
        && level < write.len()
        && std::ptr::eq(read[level].0, write[level].0)
        && read[level].1 == write[level].1
    {
        level += 1;
    }
    if level < read.len() && level < write.len() && std::ptr::eq(read[level].0, write[level].0) {
        let body = read[level].0;
        let (i, j) = (read[level].1, write[level].1);
        return Some(&body[i.min(j)..=i.max(j)]);
    }
    let (body, index) = *read.get(level.checked_sub(1)?)?;
    Some(&body[index..=index])
}

pub(super) fn lock_fix<'a>(
    checker: &Checker<'a>,
    state: &'a str,
    scope: ScopeId,
    read: StmtId,
    write: StmtId,
    what: &str,
) -> Option<CodeFix> {
    if !checker.settings.target_version.at_least(10) {
        return None;
    }
    let semantic = &checker.semantic;
    let span = match carried_loop(semantic, read, write) {
        Some(found) => found?,
        None => wrap_span(semantic, read, write)?,
    };
    let (first, last) = (span.first()?, span.last()?);
    if !checker.fixer().is_own_lines(first) || !checker.fixer().is_own_lines(last) {
        return None;
    }
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let lock = existing_lock(checker, state)
        .map(|(name, _)| name)
        .unwrap_or_else(|| checker.fixer().unused_module_name(&format!("{state}_lock")));
    let wrapped = TextRange::new(first.start(), last.end());

    // An asyncio.Lock is not re-entrant: leave code that calls back into
    // functions using the same state or lock alone.
    // Everything the wrapped code may run: its callees and, through the
    // call graph, theirs.
    let mut callees = called_functions(checker, scope, span);
    for direct in callees.clone() {
        let Some(direct_scope) = semantic.function_scope(direct) else {
            continue;
        };
        for reached in semantic.reachable_functions(direct_scope) {
            if let ScopeKind::Function(def) = semantic.scope(reached).kind {
                callees.push(def);
            }
        }
    }
    let mentions = |range: TextRange, names: &[&str]| {
        names
            .iter()
            .any(|name| semantic.loads_named_within(name, range).next().is_some())
    };
    if mentions(wrapped, &[&lock]) || callees.iter().any(|d| mentions(d.range(), &[state, &lock])) {
        return None;
    }

    let mut edits = Vec::new();
    if existing_lock(checker, state).is_none() {
        edits.extend(import.clone());
        let creation = format!("{lock} = {asyncio}.Lock()");
        let after_import = |stmt: &Stmt| {
            match &import {
            Some(_) => semantic
                .module_imports
                .last()
                .is_none_or(|i| i.end() <= stmt.start()),
            // The name must already be the module where the lock is made
            // (`from compat import asyncio` above a later `import asyncio`
            // is not).
            None => semantic
                .resolve_name(&asyncio, ScopeId::MODULE, stmt.end())
                .is_some_and(|b| {
                    b.range.end() <= stmt.start()
                        && matches!(b.kind, BindingKind::Import { qualified } if qualified == "asyncio")
                }),
        }
        };
        // The first module-level assignment binding the state: the
        // module statement around each of its bindings, in source order
        // (not a scan of the module for each finding, issue 19).
        let definition = semantic
            .bindings_in_scope(state, ScopeId::MODULE)
            .filter_map(|b| {
                let inner = semantic.statement_at(b.range.start())?;
                let top = semantic.statements().ancestors(inner).last()?;
                Some(semantic.statement(top))
            })
            .find(|s| {
                matches!(s, Stmt::Assign(_) | Stmt::AnnAssign(_))
                    && semantic
                        .bindings_in_scope(state, ScopeId::MODULE)
                        .any(|b| s.range().contains_range(b.range))
            });
        match definition {
            Some(stmt) if checker.fixer().is_own_lines(stmt) && after_import(stmt) => {
                let end = checker.source.full_line_end(stmt.end());
                let prefix = if end == stmt.end() { "\n" } else { "" };
                edits.push(Edit::insertion(format!("{prefix}{creation}\n"), end));
            }
            _ => edits.push(checker.fixer().insert_after_imports(&creation)),
        }
    }
    edits.push(wrap_edit(checker, span, &lock));
    Some(CodeFix::unsafe_(
        format!("Guard the {what} with `async with {lock}:` (a module-level `{asyncio}.Lock()`)"),
        edits,
    ))
}

/// A module-level `NAME = asyncio.Lock()` made for `state` by an earlier fix
/// (`state_lock`, `state_lock_1`...), and never bound to anything else (a
/// rebound name would not guard what the fix wraps, and the fix would be
/// offered again and again).
pub(super) fn existing_lock<'a>(checker: &Checker<'a>, state: &str) -> Option<(String, &'a Stmt)> {
    let base = format!("{state}_lock");
    // The module's `NAME = CALL()` statements by the base their name has
    // (`x_lock` for `x_lock` and `x_lock_2`), in order: found once per
    // module, not in a scan of the module for each finding (issue 19).
    let candidates = checker.memo("cs002:lock-assignments", TextRange::default(), || {
        let mut by_base: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (index, stmt) in checker.body().iter().enumerate() {
            if let Stmt::Assign(assign) = stmt
                && let [Expr::Name(name)] = &assign.targets[..]
                && let Expr::Call(call) = &*assign.value
                && call.arguments.is_empty()
            {
                let id = name.id.as_str();
                let numbered = id
                    .rsplit_once('_')
                    .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .map(|(base, _)| base);
                for base in std::iter::once(id).chain(numbered) {
                    by_base.entry(base.to_string()).or_default().push(index);
                }
            }
        }
        by_base
    });
    let indices = candidates.get(&base)?;
    indices.iter().find_map(|&index| {
        let stmt = &checker.body()[index];
        let Stmt::Assign(assign) = stmt else {
            return None;
        };
        let [Expr::Name(name)] = &assign.targets[..] else {
            return None;
        };
        let id = name.id.as_str();
        let matches_base = id == base
            || id
                .strip_prefix(&base)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let Expr::Call(call) = &*assign.value else {
            return None;
        };
        (matches_base
            && call.arguments.is_empty()
            && checker
                .semantic
                .bindings_in_scope(id, ScopeId::MODULE)
                .count()
                == 1
            && checker
                .semantic
                .resolve_qualified_name(&call.func, ScopeId::MODULE)
                .is_some_and(|q| q.is("asyncio.Lock")))
        .then(|| (id.to_string(), stmt))
    })
}

/// Replaces the lines of `span` with `async with lock:` and the same lines
/// indented one level deeper (lines inside multi-line strings keep their text).
pub(super) fn wrap_edit(checker: &Checker, span: &[Stmt], lock: &str) -> Edit {
    let first = &span[0];
    let last = &span[span.len() - 1];
    let lines = crate::fix::indent::full_lines(checker, TextRange::new(first.start(), last.end()));
    let indentation = checker.fixer().line_indentation(first.start());
    let body = crate::fix::indent::reindent(checker, lines, "", checker.fixer().indent_unit(), &[]);
    Edit::range_replacement(format!("{indentation}async with {lock}:\n{body}"), lines)
}
