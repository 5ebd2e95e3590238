//! Task-returning helpers: functions that create a task and hand it back
//! to their caller, keeping no other reference to it.
//!
//! ```python
//! def spawn(coro, *, name=None):
//!     task = asyncio.create_task(coro, name=name)
//!     task.add_done_callback(_log_failure)
//!     return task
//!
//! spawn(work())  # the task is dropped here, as with a bare create_task
//! ```
//!
//! The semantic model says which calls a function hands back
//! ([`SemanticModel::handed_back_call`](crate::semantic::SemanticModel::handed_back_call));
//! a helper is a function whose every such call is a spawn CS001 knows
//! (`asyncio.create_task`, `ensure_future`, `loop.create_task`; not
//! `run_coroutine_threadsafe`, whose handle is another kind of future).
//! A call of one resolves to it in this module (a function, or
//! `self.m`/`cls.m` as the model resolves methods), or names a module-level
//! helper of another module of the project by its qualified name (the
//! [`ProjectIndex`](crate::analysis::project::ProjectIndex) built before the
//! rules run).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::project::{TaskHelper, module_name};
use crate::checker::Checker;
use crate::semantic::handed_back::HandedParameter;
use crate::semantic::names::{QualifiedName, QualifiedNameExt};
use crate::semantic::{ScopeId, ScopeKind};

use super::{Creator, creator};

/// Whether the function at `function` is a task-returning helper, and the
/// parameter it passes straight to its spawn (memoised per function).
fn helper_parameter<'a>(
    checker: &Checker<'a>,
    function: ScopeId,
) -> Option<Option<HandedParameter<'a>>> {
    let semantic = &checker.semantic;
    let ScopeKind::Function(def) = semantic.scope(function).kind else {
        return None;
    };
    let is_helper = *checker.memo("cs001-task-helper", def.range, || {
        // The module's keeper (it adds its task to a set) is what the fix
        // wraps helper calls in: never a helper that drops its task.
        let is_keeper = semantic.scope(function).parent == Some(ScopeId::MODULE)
            && super::keep_reference::existing_helper(checker)
                .is_some_and(|keeper| keeper.name == def.name.as_str());
        !is_keeper
            && semantic.handed_back_call(function).is_some_and(|handed| {
                handed.calls.iter().all(|call| {
                    matches!(
                        creator(checker, call, function),
                        Some(Creator::CreateTask | Creator::EnsureFuture | Creator::LoopCreateTask)
                    )
                })
            })
    });
    if !is_helper {
        return None;
    }
    Some(semantic.handed_back_call(function)?.parameter)
}

/// The task-returning helpers defined at the top level of the module, by
/// name, for the project index.
pub fn module_helpers(checker: &Checker) -> Vec<(String, TaskHelper)> {
    let semantic = &checker.semantic;
    semantic
        .functions()
        .filter(|(scope, _)| semantic.scope(*scope).parent == Some(ScopeId::MODULE))
        .filter_map(|(scope, def)| {
            let parameter = helper_parameter(checker, scope)?;
            Some((
                def.name.to_string(),
                TaskHelper {
                    parameter: parameter.map(|p| (p.name.to_string(), p.position)),
                },
            ))
        })
        .collect()
}

/// When `call` calls a task-returning helper: the argument the helper
/// passes straight to its spawn, if it does (`Some(None)` when it does not,
/// or the call gives no such argument plainly).
pub(super) fn helper_call<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    scope: ScopeId,
) -> Option<Option<&'a Expr>> {
    let semantic = &checker.semantic;
    if let Some((callee, def)) = semantic.resolve_callee(&call.func, scope) {
        let parameter = helper_parameter(checker, callee)?;
        // A method called on an instance (or a classmethod on its class)
        // receives its first parameter from the receiver.
        let bound = matches!(&*call.func, Expr::Attribute(a)
            if semantic.method_class(callee).is_some()
                && !has_decorator(def, "staticmethod")
                && (semantic.local_class(&a.value, scope).is_none()
                    || has_decorator(def, "classmethod")));
        return Some(parameter.and_then(|p| {
            let position = match p.position {
                Some(position) if bound => Some(position.checked_sub(1)?),
                position => position,
            };
            argument(call, p.name, position)
        }));
    }
    let project = &checker.settings.project;
    if project.is_empty() {
        return None;
    }
    let qualified = semantic.resolve_qualified_name(&call.func, scope)?;
    if qualified.is_local() || qualified.segments().len() < 2 {
        return None;
    }
    let helper = project.task_helper(&absolute_name(checker, &call.func, scope, &qualified)?)?;
    Some(
        helper
            .parameter
            .as_ref()
            .and_then(|(name, position)| argument(call, name, *position)),
    )
}

/// The dotted name `qualified` stands for, a relative import
/// (`from .utils import spawn`, whose module the model records as `.`)
/// made absolute from this module's own name.
fn absolute_name(
    checker: &Checker,
    func: &Expr,
    scope: ScopeId,
    qualified: &QualifiedName,
) -> Option<String> {
    let segments = qualified.segments();
    if segments[0] != "." {
        return Some(qualified.dotted());
    }
    let mut first = func;
    while let Expr::Attribute(attribute) = first {
        first = &attribute.value;
    }
    let Expr::Name(name) = first else {
        return None;
    };
    let binding = checker
        .semantic
        .resolve_name(name.id.as_str(), scope, name.start())?;
    let Stmt::ImportFrom(import) = checker.semantic.statement(binding.stmt?) else {
        return None;
    };
    let module = checker.memo("cs001-module-name", TextRange::default(), || {
        module_name(checker.path)
    });
    let mut package: Vec<&str> = module.as_deref()?.split('.').collect();
    // A package's `__init__.py` is the package itself.
    if checker
        .path
        .file_stem()
        .is_none_or(|stem| stem != "__init__")
    {
        package.pop();
    }
    for _ in 1..import.level {
        package.pop()?;
    }
    if let Some(from) = &import.module {
        package.extend(from.as_str().split('.'));
    }
    package.extend(&segments[1..]);
    Some(package.join("."))
}

fn has_decorator(def: &ast::StmtFunctionDef, name: &str) -> bool {
    def.decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
}

/// The argument a call gives for the parameter `name` at `position` among
/// the positional parameters: its keyword, else its positional argument
/// (none after a `*args` unpacking).
fn argument<'a>(call: &'a ast::ExprCall, name: &str, position: Option<usize>) -> Option<&'a Expr> {
    if let Some(keyword) = call.arguments.find_keyword(name) {
        return Some(&keyword.value);
    }
    let position = position?;
    let args = &call.arguments.args;
    if args.iter().take(position + 1).any(Expr::is_starred_expr) {
        return None;
    }
    args.get(position)
}
