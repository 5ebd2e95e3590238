//! CS001: fire-and-forget tasks whose handle is lost.

use std::sync::LazyLock;

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rules::rule::FixAvailability;
use crate::semantic::names::{NameMap, QualifiedNameExt};
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, ScopeId, SemanticModel, StmtId};
use rustc_hash::{FxHashMap, FxHashSet};

mod facts;
mod helpers;
mod home_assistant;
mod keep_reference;

pub use helpers::module_helpers;

use keep_reference::Keeper;

declare_rule! {
    /// ## What it does
    /// Finds tasks whose handle is thrown away: the result of
    /// `asyncio.create_task(...)`, `asyncio.ensure_future(...)`,
    /// `asyncio.run_coroutine_threadsafe(...)` or `loop.create_task(...)`
    /// used as a bare statement, bound to a local name (`_` included) that is
    /// never read while it still holds the task (a task bound in one branch
    /// of an `if`/`else` and read after it counts as read; one replaced on
    /// every path before the read does not), or dropped inside an expression
    /// whose value is thrown away: a list, tuple or set display or a
    /// comprehension used as a statement, either arm of a conditional
    /// expression statement, the condition of a conditional expression, a
    /// `with` item. Names are resolved through imports and aliases. It
    /// applies in `async def`, plain `def` and module code alike.
    ///
    /// A call of a task-returning helper counts as a spawn: a plain `def`
    /// whose every return value is such a spawn, or a local bound once to
    /// one and otherwise only given `.add_done_callback(...)` or
    /// `.set_name(...)`, with no other reference kept (not stored in a set,
    /// a list or an attribute, not passed to another call):
    /// `def spawn(coro): return asyncio.create_task(coro)`, then
    /// `spawn(work())`. The helper may be defined in the same module (a
    /// function, or a method called as `self.spawn(...)`/`cls.spawn(...)`)
    /// or at the top level of another module of the files being checked,
    /// imported by name (`from pkg.utils import spawn`, relative imports
    /// too). The checks on the coroutine below apply to the helper's
    /// argument only when the helper passes that parameter straight to
    /// its spawn; the task-group fixes are not offered for a helper call
    /// (it is not `create_task`), and "await" awaits the task it returns.
    ///
    /// `loop` is an event loop when the code shows it: the result of
    /// `asyncio.get_running_loop()`, `get_event_loop()` or
    /// `new_event_loop()` (inline, through a name, a `self.x = ...`
    /// attribute or a same-module function returning one), or a name or
    /// attribute annotated `asyncio.AbstractEventLoop` / `BaseEventLoop`.
    /// By a documented convention, an attribute named `loop` or `_loop`, or
    /// ending in `_loop`, on any object (`hass.loop`, `self.client.loop`,
    /// `self._loop`, `self.thread_loop` of a base class in another package)
    /// is an event loop too; set the names with `[tool.codesight]
    /// loop-attributes = ["loop", "_loop", "*_loop"]` (a leading `*`
    /// matches any start), or switch the convention off with
    /// `loop-attributes = []`. So is the result of a function named like
    /// asyncio's loop getters (`get_running_loop`, `get_event_loop`,
    /// `new_event_loop`) wherever it is defined: a project's wrapper in
    /// another module (`helpers.get_running_loop().create_task(...)`)
    /// returns the loop it gets, as its name promises.
    ///
    /// Not reported: `tg.create_task(...)` on a task group
    /// (`async with asyncio.TaskGroup() as tg:` owns its tasks); a task that
    /// is awaited, returned, yielded, passed to a call, or stored in an
    /// attribute, a container, a comprehension or a module-level name; and a
    /// task whose coroutine loses nothing when dropped:
    ///
    /// - `queue.put(item)` on an `asyncio.Queue` (or `PriorityQueue`,
    ///   `LifoQueue`; as the code shows its type: built, annotated, or a
    ///   same-module function's result), bounded or not: it finishes at
    ///   once, or waits on a future the queue keeps in its putters, which
    ///   keeps the task alive; it raises nothing but `CancelledError` (and
    ///   `QueueShutDown` once the queue is shut down, Python 3.13+: for
    ///   `run_coroutine_threadsafe`, a queue the module calls `shutdown()`
    ///   on is reported);
    /// - a coroutine that never suspends: a same-module coroutine whose own
    ///   code has no `async for`, `async with` or async comprehension and
    ///   awaits only calls that do not suspend either (same-module
    ///   coroutines that do not suspend, through cycles too, and `put` on
    ///   an asyncio queue the module only ever builds without `maxsize`),
    ///   such as a driver's `_update_size()` that only awaits
    ///   `self._post_message(...)`, which only calls a sync method. It runs
    ///   to its end in its first step, and until that step runs the loop's
    ///   ready queue holds it: it cannot be collected half-way. If a task
    ///   (`create_task`, `ensure_future`, `loop.create_task`) of one fails,
    ///   the finished task is collected at once and asyncio logs `Task
    ///   exception was never retrieved` with the traceback, which is all
    ///   the fix would add. `run_coroutine_threadsafe` is different: the
    ///   loop's task hands its outcome to the `concurrent.futures.Future`
    ///   (so asyncio logs nothing) and a dropped `concurrent` future logs
    ///   nothing either, so a failure vanishes without a trace. Its
    ///   coroutine is left out only when it also raises nothing on purpose:
    ///   no `raise` or `assert` in it or in the same-module functions it
    ///   calls, no `put` on a queue the module shuts down. An exception no
    ///   code raises by name (a bug's `AttributeError`) is not weighed: any
    ///   line can fail that way;
    /// - a coroutine that delivers its own outcome: its body is a `try`
    ///   whose `except BaseException` hands the exception to a future or
    ///   event it was given.
    ///
    /// Anything the module does not show counts as suspending: a coroutine
    /// of another module, an await of `asyncio.sleep(0)` or of an unknown
    /// awaitable, a `put` awaited on a queue with a `maxsize` or from
    /// elsewhere (a parameter annotated `asyncio.Queue` counts as unbounded
    /// only when every queue the module builds is), a decorated coroutine,
    /// and a public or dunder method or one a same-module subclass
    /// overrides (a subclass may put anything in its place).
    ///
    /// ## Why is this bad?
    /// The event loop keeps only a *weak* reference to a task. A task nobody
    /// references can be garbage-collected before it finishes, so the work
    /// silently stops half-way. And nobody ever looks at its result: if it
    /// raises, the exception surfaces, at best, as a
    /// `Task exception was never retrieved` log line when the task is
    /// collected, long after the fact, or not at all. For
    /// `run_coroutine_threadsafe` the dropped handle is a
    /// `concurrent.futures.Future`: what is lost is the coroutine's
    /// exception, which nobody sees.
    ///
    /// ## Example
    /// ```python
    /// import asyncio
    ///
    /// async def handle(request):
    ///     asyncio.create_task(send_welcome_email(request.user))
    ///     return "ok"
    /// ```
    ///
    /// Use instead, to keep it running in the background (the safe fix):
    /// ```python
    /// import asyncio
    /// import logging
    /// from typing import Any
    ///
    /// _LOGGER = logging.getLogger(__name__)
    ///
    ///
    /// _background_tasks: set[asyncio.Future[Any]] = set()
    ///
    ///
    /// def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    ///     """Keep a background task referenced until it is done; log its failure."""
    ///     _background_tasks.add(task)
    ///     task.add_done_callback(_background_task_done)
    ///     return task
    ///
    ///
    /// def _background_task_done(task: asyncio.Future[Any]) -> None:
    ///     _background_tasks.discard(task)
    ///     if not task.cancelled() and task.exception() is not None:
    ///         _LOGGER.error("Background task failed", exc_info=task.exception())
    ///
    ///
    /// async def handle(request):
    ///     _keep_background_task(asyncio.create_task(send_welcome_email(request.user)))
    ///     return "ok"
    /// ```
    ///
    /// Or, when the caller should wait for the work (unsafe fixes):
    /// ```python
    /// async def handle(request):
    ///     await send_welcome_email(request.user)
    ///     return "ok"
    /// ```
    ///
    /// ## Fixes
    /// A finding offers every fix that applies, in this order:
    ///
    /// 1. **Keep a reference** (safe, everywhere), with what fits the
    ///    project, first found wins:
    ///    - the project's own helper, named in `[tool.codesight]
    ///      keep-task-helper = "pkg.tasks:spawn"` (it receives the task;
    ///      `from pkg.tasks import spawn` is added);
    ///    - a helper the module already has: a function that adds the task
    ///      it receives to a set and registers a done callback
    ///      (`keep(asyncio.create_task(coro))`), or one that creates the
    ///      task from the coroutine it receives and does the same
    ///      (`spawn(coro)` replaces `asyncio.create_task(coro)`);
    ///    - in Home Assistant code (a module importing from
    ///      `homeassistant`), for `hass.loop.create_task(coro)` (or
    ///      `self.hass...`, or `asyncio.create_task(coro)` with a `hass`
    ///      parameter): `hass.async_create_background_task(coro, name)`, or
    ///      `entry.async_create_background_task(hass, coro, name)` when a
    ///      config entry is in scope: Home Assistant's documented way to run
    ///      an integration's background work, which it keeps referenced and
    ///      cancels at shutdown or unload (the name is the task's `name=`,
    ///      else `"<integration> <coroutine>"`);
    ///    - otherwise one compact, typed helper per module (above), placed
    ///      before the module's first function or class and logging through
    ///      the module's logger when it has one.
    ///
    ///    When `keep(task)` does not fit on the statement's line (the
    ///    project's line length, trailing comment included, as Black counts
    ///    it), it is laid out as Black and Ruff's formatter lay it out:
    ///    `keep(` alone, the task's call one level in on the next line
    ///    (itself wrapped when still too long; a call already over several
    ///    lines keeps its lines, one level in, and a call on one of them
    ///    that grows too long there is wrapped), and `)` on its own line,
    ///    followed by the statement's trailing comment. A pragma comment
    ///    (`# noqa`, `# type:`, `# ruff:`...) never splits the line, as
    ///    Ruff's formatter leaves it: it must stay on the line it is about.
    /// 2. **Use the enclosing task group** (unsafe, `async def`): a task
    ///    created inside `async with asyncio.TaskGroup() as tg:` becomes
    ///    `tg.create_task(...)`.
    /// 3. **TaskGroup** (unsafe, `async def`, target Python 3.11+): tasks
    ///    created in a loop: the outermost loop is wrapped in
    ///    `async with asyncio.TaskGroup() as tg:` and the tasks become
    ///    `tg.create_task(...)`. Offered when the loop creates at most 16
    ///    dangling tasks.
    /// 4. **Await them** (unsafe, `async def`, not in a loop, where awaiting
    ///    one after the other would serialise the loop): consecutive dangling
    ///    tasks in one block (at most 16) become a single
    ///    `await asyncio.gather(...)` of their coroutines; a lone one becomes
    ///    a plain `await`.
    ///
    /// Each of those fixes rewrites all the tasks of its loop or run, and is
    /// repeated in each of their findings: the bound keeps a module with
    /// thousands of tasks from having fixes that grow with their number.
    ///
    /// Fixes 2 to 4 are not offered where the task is clearly meant to
    /// outlive the call: its coroutine starts with `await asyncio.sleep(delay)`
    /// (a delayed action such as `delete_after`), loops forever or over an
    /// async stream, or is named like a long-lived loop (`listen...`,
    /// `keep_alive`, `run`, `..._loop`, `poll...`, `...worker`,
    /// `reconnect...`, `watch...`, `monitor...`, `periodic...`).
    ///
    /// `codesight fix` applies the first fix allowed, so it always applies
    /// the safe fix, with or without `--unsafe-fixes`: keeping a task
    /// running in the background is what the code asked for, and only a
    /// person can tell whether the caller should wait instead. Pick an
    /// unsafe alternative with `codesight fix --interactive`.
    /// `asyncio.run_coroutine_threadsafe(...)` only gets the safe fix (its
    /// future belongs to another thread's loop): the helper then logs the
    /// coroutine's failure.
    ///
    /// ## Fix safety
    /// Keeping a reference preserves behaviour: the task still runs in the
    /// background, but can no longer be collected mid-run, and a failure is
    /// logged as soon as it happens; the helper returns the task, so an
    /// expression around it keeps its value. Home Assistant's
    /// `async_create_background_task` keeps the task the same way; it also
    /// starts the coroutine eagerly (its first step runs before the caller
    /// goes on, as for every task Home Assistant creates) and cancels it at
    /// shutdown or unload, which is what Home Assistant expects of
    /// background work. Awaiting, `gather` and `TaskGroup` make the caller
    /// wait for the tasks and let their exceptions propagate to it: that
    /// changes timing and error handling, so these fixes are unsafe. A
    /// `TaskGroup` also cancels its other tasks when one fails, and raises
    /// the failures as an `ExceptionGroup` (caught with `except*`, not
    /// `except ValueError`). `gather` lets the other tasks run on.
    pub struct DanglingTask {
        code: "CS001",
        name: "dangling-task",
        summary: "Task created and never kept or awaited: it can vanish mid-run and its exception is lost",
        fixes: FixAvailability::BOTH,
    }
}

/// How the task was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Creator {
    CreateTask,
    EnsureFuture,
    RunCoroutineThreadsafe,
    LoopCreateTask,
    /// A call of a function that returns a task it creates and keeps no
    /// other reference to ([`helpers`]): `spawn(coro)`.
    Helper,
}

/// A call that spawns a task: how, and the coroutine it runs when the
/// call shows it (the first argument of a spawn; for a helper, the
/// argument for the parameter it passes straight to its spawn).
#[derive(Clone, Copy)]
struct Spawn<'a> {
    creator: Creator,
    coroutine: Option<&'a Expr>,
}

/// A dangling task found in the code.
struct Site<'a> {
    stmt: &'a Stmt,
    call: &'a ast::ExprCall,
    creator: Creator,
    /// The never-read name the task is bound to, if any.
    target: Option<&'a ast::ExprName>,
    /// The statement is the creation itself (see [`Dangling::plain`]).
    plain: bool,
    /// The task is meant to run on after the call returns (a delayed
    /// action, a long-lived listener): awaiting it is no alternative.
    outlives_call: bool,
    scope: ScopeId,
    is_async: bool,
    /// The outermost `for`/`while` of the function that runs this statement
    /// repeatedly.
    outer_loop: Option<&'a Stmt>,
    /// The name bound by the innermost enclosing `async with TaskGroup() as name`.
    task_group: Option<&'a str>,
    /// Identity of the statement list holding the statement, and its index.
    block: usize,
    index: usize,
}

/// The function (or module) whose statements are looked at.
struct Context<'a> {
    /// The body of the function (or module).
    body: &'a [Stmt],
    scope: ScopeId,
    is_async: bool,
    /// The names the function declares `nonlocal`.
    nonlocals: Vec<&'a str>,
}

/// A task can only be left dangling where one is spawned: the text names a
/// spawning function, in code (not only in a comment or a string).
pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &["create_task|ensure_future|run_coroutine_threadsafe"],
    // A spawn is called by its function's name, or as a method of that
    // name (`loop.create_task`).
    words: Some(|| {
        spawn_functions()
            .map(|name| vec![name.rsplit('.').next().unwrap_or(name)])
            .collect()
    }),
    text: None,
    project_index: true,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    let semantic = &checker.semantic;
    let mut sites = Vec::new();
    let names = NameFacts::new(checker);
    let module = Context {
        body: checker.body(),
        scope: ScopeId::MODULE,
        is_async: false,
        nonlocals: Vec::new(),
    };
    find_sites(checker, &names, &module, &mut sites);
    for (scope, def) in semantic.functions() {
        let context = Context {
            body: &def.body,
            scope,
            is_async: def.is_async,
            nonlocals: semantic
                .declarations(scope)
                .filter(|b| matches!(b.kind, BindingKind::Nonlocal))
                .map(|b| b.name)
                .collect(),
        };
        find_sites(checker, &names, &context, &mut sites);
    }
    if sites.is_empty() {
        return;
    }
    sites.sort_by_key(|s| s.stmt.start());

    let keeper = Keeper::new(checker, &sites);
    let runs = await_runs(checker, &sites);
    // The sites of each outermost loop.
    let mut loop_sites: rustc_hash::FxHashMap<*const Stmt, Vec<&Site>> = Default::default();
    for site in &sites {
        if let Some(outer) = site.outer_loop {
            loop_sites.entry(outer).or_default().push(site);
        }
    }
    let mut loop_fixes: rustc_hash::FxHashMap<*const Stmt, Option<CodeFix>> = Default::default();
    for (i, site) in sites.iter().enumerate() {
        let message = message(checker, site);
        let mut diagnostic = Diagnostic::new(&DanglingTask::INFO, message, site.call.range());
        if let Some(fix) = home_assistant::background_task_fix(checker, site) {
            diagnostic = diagnostic.with_fix(fix);
        } else if let Some(fix) = keeper.as_ref().and_then(|k| k.fix(checker, site)) {
            diagnostic = diagnostic.with_fix(fix);
        }
        if let Some(fix) = enclosing_task_group_fix(site) {
            diagnostic = diagnostic.with_fix(fix);
        }
        if let Some(outer) = site.outer_loop
            && let in_loop = &loop_sites[&(outer as *const Stmt)]
            && in_loop.len() <= MAX_LOOP_GROUP_TASKS
            && loop_task_group_applies(checker, site)
            && let Some(fix) = loop_fixes
                .entry(outer)
                .or_insert_with(|| loop_task_group_fix(checker, outer, in_loop))
        {
            diagnostic = diagnostic.with_fix(fix.clone());
        }
        if let Some(fix) = await_fix(checker, &sites[runs[i].clone()]) {
            diagnostic = diagnostic.with_fix(fix);
        }
        diagnostics.push(diagnostic);
    }
}

/// What the finding says is at risk.
fn message(checker: &Checker, site: &Site) -> String {
    let callee = checker.text(&*site.call.func);
    if site.creator == Creator::RunCoroutineThreadsafe {
        // The loop's task is chained to a `concurrent.futures.Future`: what
        // is lost with the dropped future is the coroutine's outcome.
        return format!(
            "The `concurrent.futures.Future` from `{callee}(...)` is dropped: if the coroutine raises, nobody ever sees the exception"
        );
    }
    if site.creator == Creator::Helper {
        let held = match (site.target, site.plain) {
            (Some(name), _) => format!("is bound to `{}` and never used", name.id),
            (None, true) => "is not kept".to_string(),
            (None, false) => "is dropped with the expression holding it".to_string(),
        };
        return format!(
            "Task from `{callee}(...)`, which returns the task it creates, {held}: it can be garbage-collected before it finishes"
        );
    }
    let held = match (site.target, site.plain) {
        (Some(name), _) => format!("is bound to `{}` and never used", name.id),
        (None, true) => "is not kept".to_string(),
        (None, false) => "is dropped with the expression holding it".to_string(),
    };
    format!(
        "Task from `{callee}(...)` {held}: it can be garbage-collected before it finishes, and its exception is never seen"
    )
}

/// Whether the task is clearly meant to outlive the call that creates it:
/// its coroutine starts by sleeping (a delayed action such as
/// `delete_after`), loops forever or over an async stream (a listener), or
/// is named like a long-lived loop (`listen...`, `keep_alive`, `run`,
/// `..._loop`, `poll...`, `...worker`, `reconnect...`, `watch...`).
fn outlives_call(checker: &Checker, coroutine: Option<&Expr>, scope: ScopeId) -> bool {
    let Some(coroutine) = coroutine else {
        return false;
    };
    let Expr::Call(coroutine_call) = coroutine else {
        return false;
    };
    let callee = match &*coroutine_call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    let callee = callee.trim_start_matches('_').to_ascii_lowercase();
    let long_lived_name = callee.starts_with("listen")
        || callee.starts_with("poll")
        || callee.starts_with("watch")
        || callee.starts_with("monitor")
        || callee.starts_with("reconnect")
        || callee.starts_with("keep_alive")
        || callee.starts_with("keepalive")
        || callee.starts_with("periodic")
        || matches!(
            callee.as_str(),
            "run" | "run_forever" | "serve" | "serve_forever"
        )
        || callee.ends_with("_loop")
        || callee.ends_with("worker")
        || callee.ends_with("listener");
    if long_lived_name {
        return true;
    }
    let Some((def, def_scope)) = facts::coroutine_def(checker, coroutine, scope) else {
        return false;
    };
    let mut body = &def.body[..];
    if let Some(Stmt::Expr(e)) = body.first()
        && e.value.is_string_literal_expr()
    {
        body = &body[1..];
    }
    // `await asyncio.sleep(delay)` first: a delay given by a variable, or a
    // literal of a second or more (`sleep(0)` is a mere yield, `sleep(0.1)`
    // stands for work).
    let is_delay = |delay: &Expr| match delay {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_u64().is_some_and(|v| v >= 1),
            ast::Number::Float(f) => *f >= 1.0,
            ast::Number::Complex { .. } => false,
        },
        _ => true,
    };
    let starts_with_sleep = matches!(body.first(), Some(Stmt::Expr(e))
        if matches!(&*e.value, Expr::Await(a)
            if matches!(&*a.value, Expr::Call(c)
                if checker.semantic.resolve_qualified_name(&c.func, def_scope).is_some_and(|q| q.is_any_of(&["asyncio.sleep", "asyncio.tasks.sleep"]))
                    && c.arguments.args.first().is_some_and(is_delay))));
    starts_with_sleep
        || body.iter().any(|s| match s {
            Stmt::While(w) => w.test.as_boolean_literal_expr().is_some_and(|b| b.value),
            Stmt::For(f) => f.is_async,
            _ => false,
        })
}

// ---------------------------------------------------------------------------
// Detection

/// The dangling tasks of the statements that run in a function's (or the
/// module's) body, with where each statement sits: the outermost loop
/// around it and the task group it is in.
fn find_sites<'a>(
    checker: &Checker<'a>,
    names: &NameFacts<'a>,
    context: &Context<'a>,
    sites: &mut Vec<Site<'a>>,
) {
    let semantic = &checker.semantic;
    for id in semantic.statements_in(context.body) {
        let stmt = semantic.statement(id);
        let found = dangling(checker, names, stmt, id, context);
        if found.is_empty() {
            continue;
        }
        let (block, index) = semantic.block_of(id);
        let outer_loop = if context.scope == ScopeId::MODULE {
            None
        } else {
            semantic.enclosing_loops(id).last()
        };
        let task_group = if context.is_async {
            task_group_around(checker, id, context.scope)
        } else {
            None
        };
        for Dangling {
            call,
            spawn,
            target,
            plain,
        } in found
        {
            sites.push(Site {
                stmt,
                call,
                creator: spawn.creator,
                target,
                plain,
                outlives_call: outlives_call(checker, spawn.coroutine, context.scope),
                scope: context.scope,
                is_async: context.is_async,
                outer_loop,
                task_group,
                block: block.as_ptr() as usize,
                index,
            });
        }
    }
}

/// The name bound by the innermost `async with asyncio.TaskGroup() as name`
/// whose body holds the statement.
fn task_group_around<'a>(checker: &Checker<'a>, id: StmtId, scope: ScopeId) -> Option<&'a str> {
    checker.semantic.enclosing_statements(id).find_map(|stmt| {
        let Stmt::With(with) = stmt else {
            return None;
        };
        if !with.is_async {
            return None;
        }
        with.items.iter().rev().find_map(|item| {
            let (Expr::Call(call), Some(Expr::Name(name))) =
                (&item.context_expr, item.optional_vars.as_deref())
            else {
                return None;
            };
            matches!(
                checker
                    .semantic
                    .resolve_qualified_name(&call.func, scope)
                    .as_ref()
                    .map(|q| q.segments()),
                Some(["asyncio", "TaskGroup"] | ["asyncio", "taskgroups", "TaskGroup"])
            )
            .then(|| name.id.as_str())
        })
    })
}

struct Dangling<'a> {
    call: &'a ast::ExprCall,
    spawn: Spawn<'a>,
    target: Option<&'a ast::ExprName>,
    /// The statement is just the creation (`create_task(...)` or
    /// `name = create_task(...)`), so it can be rewritten as a whole.
    plain: bool,
}

/// The tasks `stmt` creates and drops.
fn dangling<'a>(
    checker: &Checker<'a>,
    names: &NameFacts<'a>,
    stmt: &'a Stmt,
    id: StmtId,
    context: &Context<'a>,
) -> Vec<Dangling<'a>> {
    let mut found = Vec::new();
    let (target, value) = match stmt {
        Stmt::Expr(ast::StmtExpr { value, .. }) => (None, Some(&**value)),
        Stmt::Assign(ast::StmtAssign { targets, value, .. }) if targets.len() == 1 => {
            (Some(&targets[0]), Some(&**value))
        }
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => (Some(&**target), Some(&**value)),
        _ => (None, None),
    };
    let mut push = |call: &'a ast::ExprCall, target, plain| {
        if let Some(spawn) = spawn(checker, call, context.scope)
            && !is_harmless(checker, spawn, context.scope)
        {
            found.push(Dangling {
                call,
                spawn,
                target,
                plain,
            });
        }
    };
    if let Some(Expr::Call(call)) = value {
        match target {
            None => push(call, None, true),
            Some(Expr::Name(name)) => {
                if !(context.scope == ScopeId::MODULE
                    || context.nonlocals.contains(&name.id.as_str())
                    || is_binding_read(checker, names, name, id, context))
                {
                    push(call, Some(name), true);
                }
            }
            Some(_) => {}
        }
    } else if let (None, Some(value)) = (target, value) {
        // A display, comprehension or conditional expression whose value is
        // thrown away drops the tasks it holds.
        discarded_calls(value, &mut |call| push(call, None, false));
    }
    // A task used only as a condition, or as a `with` item, is dropped too.
    let mut conditions = Vec::new();
    match stmt {
        Stmt::With(with) => {
            for item in &with.items {
                if let Expr::Call(call) = &item.context_expr {
                    conditions.push(call);
                }
            }
        }
        _ => {
            for expr in statement_expressions(stmt) {
                // A conditional expression is spelled with `if`: most
                // statements have none to look for.
                if checker.text(expr).contains("if") {
                    ternary_conditions(&checker.semantic, expr, &mut conditions);
                }
            }
        }
    }
    for call in conditions {
        push(call, None, false);
    }
    found
}

/// The calls whose value is lost when `expr` is evaluated as a statement:
/// elements of displays and comprehensions, both arms of a conditional
/// expression.
fn discarded_calls<'a>(expr: &'a Expr, out: &mut dyn FnMut(&'a ast::ExprCall)) {
    match expr {
        Expr::Call(call) => out(call),
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => {
            for elt in elts {
                discarded_calls(elt, out);
            }
        }
        Expr::ListComp(ast::ExprListComp { elt, .. })
        | Expr::SetComp(ast::ExprSetComp { elt, .. })
        | Expr::Generator(ast::ExprGenerator { elt, .. }) => discarded_calls(elt, out),
        Expr::If(ternary) => {
            discarded_calls(&ternary.body, out);
            discarded_calls(&ternary.orelse, out);
        }
        _ => {}
    }
}

/// The expressions of `stmt` itself (not of the statements nested in it).
fn statement_expressions(stmt: &Stmt) -> Vec<&Expr> {
    match stmt {
        Stmt::Expr(s) => vec![&*s.value],
        Stmt::Assign(s) => vec![&*s.value],
        Stmt::AnnAssign(s) => s.value.as_deref().into_iter().collect(),
        Stmt::AugAssign(s) => vec![&*s.value],
        Stmt::Return(s) => s.value.as_deref().into_iter().collect(),
        Stmt::If(s) => std::iter::once(&*s.test)
            .chain(s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()))
            .collect(),
        Stmt::While(s) => vec![&*s.test],
        Stmt::Assert(s) => vec![&*s.test],
        _ => Vec::new(),
    }
}

/// Calls used as the condition of a conditional expression in `expr` (not
/// in the bodies of lambdas, which run later).
fn ternary_conditions<'a>(
    semantic: &SemanticModel<'a>,
    expr: &'a Expr,
    out: &mut Vec<&'a ast::ExprCall>,
) {
    struct Conditions<'a, 'o> {
        out: &'o mut Vec<&'a ast::ExprCall>,
    }
    impl<'a> ScopeVisitor<'a> for Conditions<'a, '_> {
        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::If(ternary) = expr
                && let Expr::Call(call) = &*ternary.test
            {
                self.out.push(call);
            }
        }
    }
    semantic.walk_scope_expr(expr, &mut Conditions { out });
}

/// The functions that spawn a task, by qualified name (the loop's
/// `create_task` method is recognised through the type of its receiver).
const SPAWN_FUNCTIONS: &[(&str, Creator)] = &[
    ("asyncio.create_task", Creator::CreateTask),
    ("asyncio.tasks.create_task", Creator::CreateTask),
    ("asyncio.ensure_future", Creator::EnsureFuture),
    ("asyncio.tasks.ensure_future", Creator::EnsureFuture),
    (
        "asyncio.run_coroutine_threadsafe",
        Creator::RunCoroutineThreadsafe,
    ),
    (
        "asyncio.tasks.run_coroutine_threadsafe",
        Creator::RunCoroutineThreadsafe,
    ),
];

/// Every function CS001 knows to spawn a task, as dotted names.
pub fn spawn_functions() -> impl Iterator<Item = &'static str> {
    SPAWN_FUNCTIONS.iter().map(|(name, _)| *name)
}

/// [`SPAWN_FUNCTIONS`] by hash.
static SPAWNERS: LazyLock<NameMap<Creator>> =
    LazyLock::new(|| NameMap::new(SPAWN_FUNCTIONS.iter().copied()));

/// The spawn a call makes: a spawning function or `loop.create_task`
/// ([`creator`]), or a call of a task-returning helper ([`helpers`]).
fn spawn<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall, scope: ScopeId) -> Option<Spawn<'a>> {
    if let Some(creator) = creator(checker, call, scope) {
        return Some(Spawn {
            creator,
            coroutine: call.arguments.args.first(),
        });
    }
    helpers::helper_call(checker, call, scope).map(|coroutine| Spawn {
        creator: Creator::Helper,
        coroutine,
    })
}

/// How a call spawns a task itself (not through a helper).
fn creator(checker: &Checker, call: &ast::ExprCall, scope: ScopeId) -> Option<Creator> {
    if let Some(creator) = checker
        .semantic
        .resolve_qualified_name(&call.func, scope)
        .and_then(|qualified| SPAWNERS.get(&qualified))
    {
        return Some(creator);
    }
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if attr.attr.id.as_str() != "create_task" {
        return None;
    }
    let is_loop = checker
        .semantic
        .call_behind(&attr.value, scope)
        .is_some_and(|(inner, bound_in)| facts::is_loop_getter(checker, &inner.func, bound_in))
        || facts::is_event_loop(checker, &attr.value, scope);
    is_loop.then_some(Creator::LoopCreateTask)
}

/// Whether the task's coroutine loses nothing when its handle is dropped.
///
/// `put` on an asyncio queue ([`facts::is_queue_put`]) finishes at once or
/// waits on a future the queue holds (which holds the task), and raises
/// nothing but `QueueShutDown` once the queue is shut down: that is only
/// lost without a trace through `run_coroutine_threadsafe` (below), so
/// there a queue the module shuts down counts.
///
/// A coroutine that never suspends ([`SemanticModel::call_does_not_suspend`])
/// runs to its end in its first step: until that step runs, the loop's ready
/// queue holds it, so it cannot be collected half-way. For a task
/// (`create_task`, `ensure_future`, `loop.create_task`) that is all that can
/// go wrong: if it raises, the finished task is collected at once (nothing
/// references it) and asyncio logs `Task exception was never retrieved`
/// with the traceback, which is what the keep-a-reference fix would log.
///
/// `run_coroutine_threadsafe` is different: the loop's task hands its
/// outcome to the `concurrent.futures.Future` it returns (retrieving the
/// exception, so asyncio logs nothing), and a dropped `concurrent` future
/// logs nothing either. A failure is then lost without a trace. So its
/// coroutine must also raise nothing on purpose
/// ([`SemanticModel::call_raises_explicitly`]: no `raise` or `assert` in it
/// or in what it calls in this module, no `put` on a queue that is shut
/// down).
///
/// A coroutine that delivers its own outcome to a future or event it was
/// given loses nothing either ([`facts::delivers_own_outcome`]).
///
/// For a helper's task these are asked of the coroutine only when the
/// helper passes its parameter straight to its spawn (see [`Spawn`]).
fn is_harmless(checker: &Checker, spawn: Spawn, scope: ScopeId) -> bool {
    let Spawn { creator, coroutine } = spawn;
    let Some(coroutine) = coroutine else {
        return false;
    };
    let semantic = &checker.semantic;
    if facts::is_queue_put(checker, coroutine, scope)
        && (creator != Creator::RunCoroutineThreadsafe
            || !facts::queue_is_shut_down(checker, coroutine))
    {
        return true;
    }
    if semantic.call_does_not_suspend(coroutine, scope)
        && (creator != Creator::RunCoroutineThreadsafe
            || !semantic.call_raises_explicitly(coroutine, scope))
    {
        return true;
    }
    facts::coroutine_def(checker, coroutine, scope)
        .is_some_and(|(def, def_scope)| facts::delivers_own_outcome(checker, def, def_scope))
}

/// Whether the name bound by `stmt` can be read later: in its own scope after
/// the statement (anywhere in the enclosing loop when it runs repeatedly), or
/// from a nested function at any point.
fn is_binding_read<'a>(
    checker: &Checker<'a>,
    names: &NameFacts<'a>,
    name: &'a ast::ExprName,
    stmt: StmtId,
    context: &Context<'a>,
) -> bool {
    let semantic = &checker.semantic;
    let id = name.id.as_str();
    // `global` sends the binding to the module: the task is kept there.
    if !names.bound_at.contains(&(context.scope, name.range)) {
        return true;
    }
    let outer_loop = semantic.enclosing_loops(stmt).last();
    let from = outer_loop.map_or(semantic.statement(stmt).end(), Ranged::start);
    // Every load that resolves to a binding of the name in this scope.
    names.loads(context.scope, id).iter().any(|r| {
        if r.scope != context.scope {
            return true;
        }
        r.range.start() >= from
            && (outer_loop.is_some() || reaches(checker, names, name, r.range.start(), context))
    })
}

/// What [`is_binding_read`] asks about names, gathered once per module (a
/// look at every binding of the name for each task was quadratic in a
/// function binding the same name many times).
struct NameFacts<'a> {
    /// Each binding's scope and range.
    bound_at: FxHashSet<(ScopeId, TextRange)>,
    /// Where the bindings of a name in a scope start, in order.
    binding_starts: FxHashMap<(ScopeId, &'a str), Vec<TextSize>>,
    /// The loads resolved to a binding of a name in a scope, with the
    /// frame each load runs in.
    loads: FxHashMap<(ScopeId, &'a str), Vec<Load>>,
    /// Per statement list and name, the indices of the statements that
    /// always bind the name, filled as asked.
    binders: std::cell::RefCell<FxHashMap<(usize, &'a str), Vec<usize>>>,
}

struct Load {
    range: TextRange,
    scope: ScopeId,
}

impl<'a> NameFacts<'a> {
    fn new(checker: &Checker<'a>) -> Self {
        let semantic = &checker.semantic;
        let mut bound_at = FxHashSet::default();
        let mut binding_starts: FxHashMap<(ScopeId, &'a str), Vec<TextSize>> = FxHashMap::default();
        for (_, binding) in semantic.all_bindings() {
            // `global` and `nonlocal` declarations bind nothing themselves.
            if matches!(binding.kind, BindingKind::Global | BindingKind::Nonlocal) {
                continue;
            }
            bound_at.insert((binding.scope, binding.range));
            binding_starts
                .entry((binding.scope, binding.name))
                .or_default()
                .push(binding.range.start());
        }
        for starts in binding_starts.values_mut() {
            starts.sort_unstable();
        }
        let mut loads: FxHashMap<(ScopeId, &'a str), Vec<Load>> = FxHashMap::default();
        for reference in semantic.references() {
            if let Some(binding) = reference.binding {
                let binding = semantic.binding(binding);
                loads
                    .entry((binding.scope, binding.name))
                    .or_default()
                    .push(Load {
                        range: reference.range,
                        scope: semantic.frame_of(reference.scope),
                    });
            }
        }
        NameFacts {
            bound_at,
            binding_starts,
            loads,
            binders: Default::default(),
        }
    }

    /// Whether one of `block[from..to]` always binds `name` (see
    /// [`SemanticModel::always_binds`]); the block's binding statements are
    /// found once per name.
    fn binds_between(
        &self,
        semantic: &SemanticModel<'a>,
        block: &'a [Stmt],
        name: &'a str,
        from: usize,
        to: usize,
    ) -> bool {
        let mut binders = self.binders.borrow_mut();
        let indices = binders
            .entry((block.as_ptr() as usize, name))
            .or_insert_with(|| {
                (0..block.len())
                    .filter(|&i| semantic.always_binds(&block[i], name))
                    .collect()
            });
        let first = indices.partition_point(|&i| i < from);
        indices.get(first).is_some_and(|&i| i < to)
    }

    fn loads(&self, scope: ScopeId, name: &'a str) -> &[Load] {
        self.loads.get(&(scope, name)).map_or(&[], Vec::as_slice)
    }

    /// Whether a binding of `name` in `scope` starts strictly between the
    /// two offsets.
    fn bound_between(
        &self,
        scope: ScopeId,
        name: &'a str,
        after: TextSize,
        before: TextSize,
    ) -> bool {
        let Some(starts) = self.binding_starts.get(&(scope, name)) else {
            return false;
        };
        let first = starts.partition_point(|&s| s <= after);
        starts.get(first).is_some_and(|&s| s < before)
    }
}

/// Whether the value bound to `name` can still be in the name when it is read
/// at `read`: no statement between them that is certain to run on the way
/// rebinds the name. A rebinding in another branch (`if`/`else`,
/// `try`/`except`, `match` cases), in a loop that may not run, or in a nested
/// block the read is not in does not hide it:
///
/// ```python
/// if fast:
///     task = asyncio.create_task(coro)  # reaches the read below
/// else:
///     task = asyncio.Task(coro, loop=loop)
/// self._tasks.add(task)
/// ```
fn reaches<'a>(
    checker: &Checker<'a>,
    names: &NameFacts<'a>,
    name: &'a ast::ExprName,
    read: TextSize,
    context: &Context<'a>,
) -> bool {
    let id = name.id.as_str();
    if !names.bound_between(context.scope, id, name.end(), read) {
        return true;
    }
    // Every statement that runs before the read on all paths to it is an
    // earlier sibling of the read's statement or of one of the compound
    // statements around it.
    let semantic = &checker.semantic;
    let Some(read_stmt) = semantic.statement_at(read) else {
        return true;
    };
    !semantic.statement_and_ancestors(read_stmt).any(|s| {
        let (block, index) = semantic.block_of(s);
        let after_name = block[..index].partition_point(|stmt| stmt.start() <= name.end());
        names.binds_between(semantic, block, id, after_name, index)
    })
}

// ---------------------------------------------------------------------------
// Fixes 2 and 3: task groups

/// `create_task(coro)` calls that `TaskGroup.create_task` accepts as they are.
fn task_group_compatible(site: &Site) -> bool {
    let arguments = &site.call.arguments;
    let allowed_keywords: &[&str] = match site.creator {
        Creator::CreateTask | Creator::LoopCreateTask => &["name", "context"],
        Creator::EnsureFuture => &[],
        Creator::RunCoroutineThreadsafe | Creator::Helper => return false,
    };
    arguments.args.len() == 1
        && !arguments.args[0].is_starred_expr()
        && arguments.keywords.iter().all(|k| {
            k.arg
                .as_ref()
                .is_some_and(|a| allowed_keywords.contains(&a.id.as_str()))
        })
}

fn enclosing_task_group_fix(site: &Site) -> Option<CodeFix> {
    let group = site.task_group?;
    if !site.is_async || site.outlives_call || !task_group_compatible(site) {
        return None;
    }
    Some(CodeFix::unsafe_(
        format!("Create the task in the enclosing task group `{group}`"),
        vec![Edit::range_replacement(
            format!("{group}.create_task"),
            site.call.func.range(),
        )],
    ))
}

/// The most dangling tasks a loop may create for "run the loop's tasks in a
/// `TaskGroup`" to be offered: the fix rewrites the whole loop and every
/// task in it, so it is built once per loop and repeated in each finding;
/// a bound keeps the findings' fixes from growing with their number.
const MAX_LOOP_GROUP_TASKS: usize = 16;

/// Whether the site's task can move to a `TaskGroup` around its loop.
fn loop_task_group_applies(checker: &Checker, site: &Site) -> bool {
    site.is_async
        && !site.outlives_call
        && site.task_group.is_none()
        && task_group_compatible(site)
        && checker.settings.target_version.at_least(11)
}

/// The `TaskGroup` fix for the loop `outer`, the same for each of its sites
/// that [`loop_task_group_applies`] to.
fn loop_task_group_fix(checker: &Checker, outer: &Stmt, sites: &[&Site]) -> Option<CodeFix> {
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let group = checker.fixer().unused_module_name("tg");
    let source = checker.source;
    let unit = checker.fixer().indent_unit();
    let indent = checker.fixer().line_indentation(outer.start());
    let first_line = source.line_start(outer.start());
    if source[TextRange::new(first_line, outer.start())].trim() != "" {
        return None;
    }
    let mut edits = vec![Edit::insertion(
        format!("{indent}async with {asyncio}.TaskGroup() as {group}:\n{unit}"),
        checker.fixer().indent_point(first_line),
    )];
    // Indent every further line of the loop, except lines inside a
    // multi-line string (their text would change) and blank lines. Insertions
    // rather than one replacement, so the `create_task` edits below can sit
    // inside the loop.
    let mut line = source.full_line_end(outer.start());
    while line < outer.end() {
        let end = source.line_end(line);
        if !crate::fix::indent::inside_token(checker, line)
            && !source[TextRange::new(line, end)].trim().is_empty()
        {
            edits.push(Edit::insertion(
                unit.to_string(),
                checker.fixer().indent_point(line),
            ));
        }
        line = source.full_line_end(line);
    }
    for other in sites {
        if other.outer_loop.is_some_and(|l| std::ptr::eq(l, outer))
            && other.task_group.is_none()
            && task_group_compatible(other)
        {
            edits.push(Edit::range_replacement(
                format!("{group}.create_task"),
                other.call.func.range(),
            ));
        }
    }
    edits.extend(import);
    Some(CodeFix::unsafe_(
        format!("Run the loop's tasks in `async with {asyncio}.TaskGroup() as {group}:`"),
        edits,
    ))
}

// ---------------------------------------------------------------------------
// Fix 4: await them

fn can_await(site: &Site) -> bool {
    site.plain
        && site.is_async
        && site.outer_loop.is_none()
        && site.creator != Creator::RunCoroutineThreadsafe
        && !site.outlives_call
}

/// What to await for a site: the coroutine when the call is just
/// `create_task(coro)`, else the task itself.
fn awaitable_text<'a>(checker: &Checker<'a>, site: &Site<'a>) -> (&'a str, &'a Expr) {
    let arguments = &site.call.arguments;
    // A helper may do more than spawn: await the task it returns.
    if site.creator != Creator::Helper
        && arguments.args.len() == 1
        && arguments.keywords.is_empty()
        && !arguments.args[0].is_starred_expr()
    {
        let arg = &arguments.args[0];
        (checker.text(arg), arg)
    } else {
        (checker.text(site.call), site.stmt_value())
    }
}

impl<'a> Site<'a> {
    fn stmt_value(&self) -> &'a Expr {
        match self.stmt {
            Stmt::Expr(e) => &e.value,
            Stmt::Assign(a) => &a.value,
            Stmt::AnnAssign(a) => a
                .value
                .as_deref()
                .expect("dangling assignments have a value"),
            _ => unreachable!("dangling statements are expressions or assignments"),
        }
    }
}

/// Whether `await <expr>` needs parentheses around `expr`: when `await`
/// would bind to a part of it, or when it goes on to another line outside
/// its own brackets (`g\n()` as an argument, any line break: `\r` too).
fn needs_parentheses(checker: &Checker, expr: &Expr) -> bool {
    if !matches!(
        expr,
        Expr::Call(_) | Expr::Subscript(_) | Expr::Attribute(_) | Expr::Name(_)
    ) {
        return true;
    }
    checker.fixer().breaks_line_outside_brackets(expr.range())
}

/// The most tasks "await them together" gathers: the fix repeats the whole
/// run of statements, so a longer run would make every finding's fix grow
/// with the number of findings (and a `gather` of more coroutines than this
/// written out by hand is not code anyone wants). Longer runs keep their
/// other fixes.
const MAX_GATHER_RUN: usize = 16;

/// For each site, the run of consecutive awaitable dangling statements in
/// one block that holds it (empty when the site cannot be awaited), found
/// in one pass over the sites.
fn await_runs(checker: &Checker, sites: &[Site]) -> Vec<std::ops::Range<usize>> {
    let joined = |a: &Site, b: &Site| {
        can_await(a)
            && can_await(b)
            && a.block == b.block
            && a.index + 1 == b.index
            && checker.source[TextRange::new(a.stmt.end(), b.stmt.start())]
                .chars()
                .all(|c| c.is_whitespace() || c == ';')
    };
    let mut runs = vec![0..0; sites.len()];
    let mut first = 0;
    for i in 0..sites.len() {
        if i == 0 || !joined(&sites[i - 1], &sites[i]) {
            first = i;
        }
        let last_of_run = i + 1 == sites.len() || !joined(&sites[i], &sites[i + 1]);
        if last_of_run && can_await(&sites[i]) {
            for run in &mut runs[first..=i] {
                *run = first..i + 1;
            }
        }
    }
    runs
}

/// "Await them": `run` is the run of the finding (see [`await_runs`]).
fn await_fix(checker: &Checker, run: &[Site]) -> Option<CodeFix> {
    if run.is_empty() || run.len() > MAX_GATHER_RUN {
        return None;
    }
    let range = TextRange::new(run[0].stmt.start(), run[run.len() - 1].stmt.end());
    if let [site] = run {
        let (text, expr) = awaitable_text(checker, site);
        let replacement = if needs_parentheses(checker, expr) {
            format!("await ({text})")
        } else {
            format!("await {text}")
        };
        return Some(CodeFix::unsafe_(
            "Await the task instead (the caller waits and gets its exception)",
            vec![Edit::range_replacement(replacement, range)],
        ));
    }
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let elements: Vec<String> = run
        .iter()
        .map(|site| {
            let (text, expr) = awaitable_text(checker, site);
            if expr.is_named_expr() {
                format!("({text})")
            } else {
                text.to_string()
            }
        })
        .collect();
    let indent = checker.fixer().line_indentation(range.start());
    let one_line = format!("await {asyncio}.gather({})", elements.join(", "));
    let replacement = if indent.len() + one_line.len() <= 88 && !one_line.contains('\n') {
        one_line
    } else {
        let unit = checker.fixer().indent_unit();
        let mut text = format!("await {asyncio}.gather(\n");
        for element in &elements {
            text.push_str(&format!("{indent}{unit}{element},\n"));
        }
        text.push_str(indent);
        text.push(')');
        text
    };
    let mut edits = vec![Edit::range_replacement(replacement, range)];
    edits.extend(import);
    Some(CodeFix::unsafe_(
        format!(
            "Await the {} tasks together with `{asyncio}.gather(...)`",
            run.len()
        ),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::analysis::analyze;
    use crate::config::settings::Settings;

    const ATTRIBUTE_LOOP: &str = "\
async def setup(hass, charger):
    hass.loop.create_task(charger.run())
";

    fn cs001(source: &str, path: &str, settings: &Settings) -> Vec<crate::diagnostic::Diagnostic> {
        analyze(Path::new(path), source, settings)
            .unwrap()
            .into_iter()
            .filter(|d| d.rule.code == "CS001")
            .collect()
    }

    fn titles(found: &[crate::diagnostic::Diagnostic]) -> Vec<Vec<String>> {
        found
            .iter()
            .map(|d| d.fixes.iter().map(|f| f.title.to_string()).collect())
            .collect()
    }

    /// `n` awaitable dangling tasks, in one block or in one loop.
    fn tasks(n: usize, in_loop: bool) -> String {
        let (head, indent) = if in_loop {
            ("    for item in items:\n", "        ")
        } else {
            ("", "    ")
        };
        let body: String = (0..n)
            .map(|i| format!("{indent}asyncio.create_task(job({i}))\n"))
            .collect();
        format!(
            "import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(0)\n\n\nasync def main(items):\n{head}{body}"
        )
    }

    #[test]
    fn await_together_is_offered_for_runs_of_at_most_sixteen_tasks() {
        let found = cs001(&tasks(16, false), "m.py", &Settings::default());
        assert_eq!(found.len(), 16);
        for fixes in titles(&found) {
            assert!(
                fixes
                    .iter()
                    .any(|t| t.starts_with("Await the 16 tasks together")),
                "{fixes:?}"
            );
        }
        let found = cs001(&tasks(17, false), "m.py", &Settings::default());
        assert_eq!(found.len(), 17);
        for fixes in titles(&found) {
            assert!(!fixes.iter().any(|t| t.starts_with("Await")), "{fixes:?}");
            assert!(fixes[0].starts_with("Keep a reference"), "{fixes:?}");
        }
    }

    #[test]
    fn the_loop_task_group_is_offered_for_at_most_sixteen_tasks() {
        let py311 = Settings {
            target_version: crate::config::settings::TargetVersion { minor: 11 },
            ..Settings::default()
        };
        let group =
            |fixes: &Vec<String>| fixes.iter().any(|t| t.starts_with("Run the loop's tasks"));
        let found = cs001(&tasks(16, true), "m.py", &py311);
        assert_eq!(found.len(), 16);
        assert!(titles(&found).iter().all(group));
        let found = cs001(&tasks(17, true), "m.py", &py311);
        assert_eq!(found.len(), 17);
        assert!(!titles(&found).iter().any(group));
    }

    #[test]
    fn loop_attribute_convention_can_be_switched_off() {
        assert_eq!(cs001(ATTRIBUTE_LOOP, "m.py", &Settings::default()).len(), 1);
        let off = Settings {
            loop_attributes: Vec::new(),
            ..Settings::default()
        };
        assert!(cs001(ATTRIBUTE_LOOP, "m.py", &off).is_empty());
        let own = Settings {
            loop_attributes: vec!["event_loop".to_string()],
            ..Settings::default()
        };
        assert!(cs001(ATTRIBUTE_LOOP, "m.py", &own).is_empty());
        let renamed = ATTRIBUTE_LOOP.replace("hass.loop", "hass.event_loop");
        assert_eq!(cs001(&renamed, "m.py", &own).len(), 1);
    }

    #[test]
    fn the_projects_keep_task_helper_is_imported_and_used() {
        let source = "import asyncio\n\n\nasync def work():\n    await asyncio.sleep(1)\n\n\nasync def main():\n    asyncio.create_task(work())\n";
        let settings = Settings {
            keep_task_helper: Some("pkg.tasks:spawn".to_string()),
            ..Settings::default()
        };
        let found = cs001(source, "app/main.py", &settings);
        let fix = &found[0].fixes[0];
        assert!(
            fix.title.contains("the project's `spawn(...)`"),
            "{}",
            fix.title
        );
        let contents: Vec<&str> = fix.edits.iter().filter_map(|e| e.content()).collect();
        assert!(
            contents
                .iter()
                .any(|c| c.contains("from pkg.tasks import spawn")),
            "{contents:?}"
        );
        assert!(contents.contains(&"spawn("), "{contents:?}");
        // In the helper's own module, the helper is not imported into itself.
        let own = "import asyncio\n\n_tasks = set()\n\n\ndef spawn(task):\n    _tasks.add(task)\n    task.add_done_callback(_tasks.discard)\n    return task\n\n\nasync def work():\n    await asyncio.sleep(1)\n\n\nasync def main():\n    asyncio.create_task(work())\n";
        let found = cs001(own, "pkg/tasks.py", &settings);
        let fix = &found[0].fixes[0];
        assert!(
            fix.title.contains("the module's `spawn(...)`"),
            "{}",
            fix.title
        );
    }

    #[test]
    fn a_coroutine_taking_module_helper_replaces_create_task() {
        let source = "import asyncio\n\n_tasks = set()\n\n\ndef spawn(coro):\n    task = asyncio.create_task(coro)\n    _tasks.add(task)\n    task.add_done_callback(_tasks.discard)\n    return task\n\n\nasync def work():\n    await asyncio.sleep(1)\n\n\nasync def main():\n    asyncio.create_task(work())\n";
        let found = cs001(source, "m.py", &Settings::default());
        let fix = &found[0].fixes[0];
        let contents: Vec<&str> = fix.edits.iter().filter_map(|e| e.content()).collect();
        assert_eq!(contents, vec!["spawn"]);
    }
}
