//! The thread fix in a Home Assistant integration: the project runs blocking
//! work with `await hass.async_add_executor_job(func, *args)` (Home
//! Assistant's developer docs, "Blocking operations with asyncio": "In Home
//! Assistant this is usually accomplished by calling
//! `await hass.async_add_executor_job`"), on its own executor, which it
//! shuts down with the instance. The fix uses it where a `hass` object is in
//! reach: a `hass` name of the function (a parameter, usually), `self.hass`
//! in a class whose methods already use it, or `x.hass` the function
//! already reads on one of its parameters (`service.hass`). Keyword
//! arguments go through `functools.partial` (the job takes positional
//! arguments only).

use ruff_diagnostics::Edit;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextSize};

use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::{BindingKind, ScopeId};

/// The project's way to run `call` in a thread, when it has one:
/// `await hass.async_add_executor_job(f, args)` in a Home Assistant module
/// with a `hass` in reach, or the thread runner the module already awaits
/// (`await run_sync_in_worker_thread(f, args)`); `None` elsewhere.
pub(super) fn project_runner(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
    call: &ast::ExprCall,
    parens: bool,
) -> Option<CodeFix> {
    let (runner, keywords, title) =
        if let Some(hass) = hass_in_reach(checker, def, scope, call.start()) {
            let runner = format!("{hass}.async_add_executor_job");
            let title = format!(
                "Run it in Home Assistant's executor: `await {hass}.async_add_executor_job(f, ...)`"
            );
            (runner, false, title)
        } else {
            let runner = checker.fixer().thread_runner()?;
            let title = format!(
                "Run it in a thread the way the module does: `await {}(f, ...)`",
                runner.name
            );
            (runner.name, runner.keywords, title)
        };
    // The runner's name must mean the same at the call.
    let head_name = runner.split('.').next().unwrap_or(&runner);
    if head_name != "self"
        && checker
            .semantic
            .resolve_name(head_name, scope, call.start())
            .is_none()
    {
        return None;
    }
    let func = checker.text(&*call.func);
    let arguments = &call.arguments;
    let mut edits = Vec::new();
    let open = if parens { "(" } else { "" };
    edits.push(Edit::range_replacement(
        format!("{open}await {runner}"),
        call.func.range(),
    ));
    let head = if keywords || arguments.keywords.is_empty() {
        func.to_string()
    } else {
        let (partial, import) = match checker.fixer().import_from("functools", "partial") {
            Some(found) => found,
            None => {
                let (functools, import) = checker.fixer().import_module("functools");
                (format!("{functools}.partial"), import)
            }
        };
        edits.extend(import);
        edits.push(Edit::insertion(
            ")".to_string(),
            arguments.end() - TextSize::from(1),
        ));
        format!("{partial}({func}")
    };
    edits.extend(crate::fix::edits::prepend_arguments(checker, call, &[head]));
    if parens {
        edits.push(Edit::insertion(")".to_string(), call.end()));
    }
    Some(CodeFix::unsafe_(title, edits))
}

/// In a Home Assistant integration, the text of a Home Assistant instance
/// the function can use at `at`.
pub(super) fn hass_in_reach(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
    at: TextSize,
) -> Option<String> {
    if !checker.belongs_to_package("homeassistant") {
        return None;
    }
    let semantic = &checker.semantic;
    // A `hass` of the function (or of an enclosing one), bound before the call.
    if let Some(binding) = semantic.resolve_name("hass", scope, at)
        && binding.scope != ScopeId::MODULE
        && !matches!(
            binding.kind,
            BindingKind::Import { .. } | BindingKind::FromImport { .. }
        )
    {
        return Some("hass".to_string());
    }
    let parameters: Vec<&str> = def
        .parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .chain(&def.parameters.kwonlyargs)
        .map(|p| p.parameter.name.id.as_str())
        .collect();
    // `self.hass`, where the class sets or reads it already.
    if parameters.first() == Some(&"self")
        && let Some(class) = semantic.method_class(scope)
        && uses_hass_of(&class.body, "self", true)
    {
        return Some("self.hass".to_string());
    }
    // `service.hass`: read in the function on a parameter it does not rebind.
    parameters
        .iter()
        .skip(usize::from(parameters.first() == Some(&"self")))
        .find(|name| {
            uses_hass_of(&def.body, name, false)
                && semantic
                    .bindings_in_scope(name, scope)
                    .all(|b| matches!(b.kind, BindingKind::Parameter { .. }))
        })
        .map(|name| format!("{name}.hass"))
}

/// Whether `body` reads `owner.hass` (or sets it, with `stores`).
fn uses_hass_of(body: &[ast::Stmt], owner: &str, stores: bool) -> bool {
    struct Finder<'n> {
        owner: &'n str,
        stores: bool,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Attribute(attribute) = expr
                && attribute.attr.id.as_str() == "hass"
                && (attribute.ctx.is_load() || (self.stores && attribute.ctx.is_store()))
                && matches!(&*attribute.value, Expr::Name(n) if n.id.as_str() == self.owner)
            {
                self.found = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        owner,
        stores,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}

/// Whether `call` is the whole test of an `if`, `elif` or `while`, where
/// `await call` needs no parentheses (the formatter removes them).
pub(super) fn whole_test(checker: &Checker, call: &ast::ExprCall) -> bool {
    let semantic = &checker.semantic;
    let Some(id) = semantic.statement_at(call.start()) else {
        return false;
    };
    let is = |test: &Expr| test.range() == call.range();
    match semantic.statement(id) {
        ast::Stmt::While(while_stmt) => is(&while_stmt.test),
        ast::Stmt::If(if_stmt) => {
            is(&if_stmt.test)
                || if_stmt
                    .elif_else_clauses
                    .iter()
                    .any(|c| c.test.as_ref().is_some_and(is))
        }
        _ => false,
    }
}
