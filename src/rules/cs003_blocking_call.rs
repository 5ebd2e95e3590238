//! CS003: blocking calls inside `async def`.

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rule::FixAvailability;
use crate::scope_walk::{ScopeVisitor, walk_scope};

declare_rule! {
    /// ## What it does
    /// Finds calls that block the thread, such as `time.sleep(...)`, made
    /// directly inside an `async def`. Names are resolved through imports and
    /// aliases, so `from time import sleep as pause; pause(1)` is found too.
    /// Calls inside a nested plain `def` or a `lambda` are not reported: they
    /// run wherever they are called (often `asyncio.to_thread`).
    ///
    /// ## Why is this bad?
    /// A coroutine shares its thread with every other coroutine on the event
    /// loop. While a blocking call waits, nothing else runs: one
    /// `time.sleep(3)` in a request handler stalls every request the worker
    /// is serving for three seconds.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// async def poll():
    ///     time.sleep(1)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    /// import time
    ///
    /// async def poll():
    ///     await asyncio.sleep(1)
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `time.sleep(x)` with `await asyncio.sleep(x)` is safe: the
    /// coroutine still waits `x` seconds, and only other coroutines' ability
    /// to run meanwhile changes. `import asyncio` is added when missing.
    pub struct BlockingCallInAsync {
        code: "CS003",
        name: "blocking-call-in-async",
        summary: "Blocking call inside `async def` stalls the event loop",
        fixes: FixAvailability::SAFE,
    }
}

/// A blocking call the rule knows, by qualified name, and what to use instead.
struct BlockingCall {
    qualified: &'static str,
    instead: &'static str,
}

const CATALOGUE: &[BlockingCall] = &[BlockingCall {
    qualified: "time.sleep",
    instead: "await asyncio.sleep(...)",
}];

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    for (scope, def) in checker.semantic.functions() {
        if !def.is_async {
            continue;
        }
        let mut finder = CallFinder {
            checker,
            scope,
            statement_calls: Vec::new(),
            diagnostics,
            function: def.name.id.as_str(),
        };
        walk_scope(&def.body, &mut finder);
    }
}

struct CallFinder<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: crate::semantic::ScopeId,
    /// Calls that are whole expression statements (no parentheses needed
    /// around an inserted `await`).
    statement_calls: Vec<TextRange>,
    diagnostics: &'c mut Vec<Diagnostic>,
    function: &'a str,
}

impl<'a> ScopeVisitor<'a> for CallFinder<'_, 'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Expr(ast::StmtExpr { value, .. }) = stmt
            && value.is_call_expr()
        {
            self.statement_calls.push(value.range());
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        let Expr::Call(call) = expr else { return };
        let Some(qualified) = self.checker.semantic.qualified_name(&call.func, self.scope) else {
            return;
        };
        let Some(entry) = CATALOGUE.iter().find(|e| e.qualified == qualified) else {
            return;
        };
        let message = format!(
            "`{}` blocks the event loop inside `async def {}`; use `{}`",
            entry.qualified, self.function, entry.instead
        );
        let mut diagnostic = Diagnostic::new(&BlockingCallInAsync::INFO, message, call.range());
        if entry.qualified == "time.sleep" {
            let is_statement = self.statement_calls.contains(&call.range());
            diagnostic = diagnostic.with_fix(sleep_fix(self.checker, call, is_statement));
        }
        self.diagnostics.push(diagnostic);
    }
}

/// `time.sleep(x)` -> `await asyncio.sleep(x)`, parenthesised when the call
/// is part of a larger expression.
fn sleep_fix(checker: &Checker, call: &ast::ExprCall, is_statement: bool) -> CodeFix {
    let (asyncio, import) = checker.import_module("asyncio");
    let mut edits = Vec::new();
    if is_statement {
        edits.push(Edit::range_replacement(
            format!("await {asyncio}.sleep"),
            call.func.range(),
        ));
    } else {
        edits.push(Edit::range_replacement(
            format!("(await {asyncio}.sleep"),
            call.func.range(),
        ));
        edits.push(Edit::insertion(")".to_string(), call.end()));
    }
    edits.extend(import);
    CodeFix::safe(format!("Replace with `await {asyncio}.sleep(...)`"), edits)
}
