//! The project's own way to run sync code in a worker thread, when the
//! module already uses one: a fix that moves work to a thread writes what
//! the module's other calls write (`await run_sync_in_worker_thread(f, x)`
//! in prefect) rather than introducing `asyncio.to_thread` beside it.

use super::Fixer;
use crate::semantic::{BindingKind, ScopeId};

/// A function that runs `f(*args)` in a worker thread when awaited as
/// `await runner(f, *args)`.
#[derive(Debug, Clone)]
pub struct ThreadRunner {
    /// The name to call, as the module spells it.
    pub name: String,
    /// Whether it passes keyword arguments on to `f` (else they go through
    /// `functools.partial`).
    pub keywords: bool,
}

/// Runners of well-known libraries: qualified name, keywords passed on.
const RUNNERS: &[(&str, bool)] = &[
    (
        "prefect.utilities.asyncutils.run_sync_in_worker_thread",
        true,
    ),
    ("starlette.concurrency.run_in_threadpool", true),
    ("fastapi.concurrency.run_in_threadpool", true),
    ("anyio.to_thread.run_sync", false),
];

impl Fixer<'_, '_> {
    /// The runner the module imports at module level and calls somewhere
    /// (as `name(`), if any.
    pub fn thread_runner(&self) -> Option<ThreadRunner> {
        // A fact of the module, the same for each of its calls (computed
        // per call it was quadratic in a module with thousands of them).
        (*self.checker.memo(
            "thread-runner",
            ruff_text_size::TextRange::default(),
            || self.find_thread_runner(),
        ))
        .clone()
    }

    fn find_thread_runner(&self) -> Option<ThreadRunner> {
        let semantic = &self.checker.semantic;
        RUNNERS.iter().find_map(|&(qualified, keywords)| {
            let (module, member) = qualified.rsplit_once('.')?;
            // `from module import member` (under its own name or another).
            let from_import = semantic
                .all_bindings()
                .map(|(_, b)| b)
                .find(|b| {
                    b.scope == ScopeId::MODULE
                        && matches!(b.kind, BindingKind::FromImport { module: m, member: n }
                            if m == module && n == member)
                })
                .map(|b| b.name.to_string());
            let name = match from_import {
                Some(name) => name,
                // `import anyio.to_thread` / `import anyio`.
                None => {
                    let prefix = self.imported_module_name(module).or_else(|| {
                        let (head, rest) = module.split_once('.')?;
                        Some(format!("{}.{rest}", self.imported_module_name(head)?))
                    })?;
                    format!("{prefix}.{member}")
                }
            };
            // Called in the module, under that spelling (importing `anyio`
            // or `prefect` for something else is no sign of a habit).
            let head = name.split('.').next().unwrap_or(&name);
            let called = self.checker.source.contains(&format!("{name}("));
            (semantic.is_name_used(head) && called).then_some(ThreadRunner { name, keywords })
        })
    }
}
