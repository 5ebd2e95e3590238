//! CS002: module-level mutable state shared by concurrently run coroutines.

mod fix_lock;
mod fix_merge;
mod fix_task;
mod locks;
mod prefilter;

use std::collections::HashMap;
use std::sync::LazyLock;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::ASYNC_DEF;
use crate::rules::rule::FixAvailability;
use crate::semantic::flow_walk::{FlowAnalysis, FlowBlock, FlowEvent};
use crate::semantic::names::NameSet;
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, ScopeId, ScopeKind, SemanticModel, StmtId};

declare_rule! {
    /// ## What it does
    /// Finds shared state that concurrent coroutines corrupt: module-level
    /// mutable state (a dict, list, set, `defaultdict`, `deque`... bound at
    /// module level, or any name rebound through `global`) used in an
    /// `async def` in one of three ways.
    ///
    /// 1. **Per-call results in shared state.** A coroutine fills a
    ///    module-level container with what one call produced, and the
    ///    container is handed out as a call's result (`return results`,
    ///    `return sorted(seen)`) by a function that awaits or gathers the
    ///    coroutine, or by the coroutine itself when it empties the container
    ///    first (`found.clear()`): two concurrent `fetch_batch()` calls that
    ///    both fill and return the same dict each return the other's entries,
    ///    and every later call sees stale ones. A coroutine that only updates
    ///    shared settings and returns them is a cache, not reported.
    /// 2. **Lost updates.** The state is read, the coroutine awaits, and the
    ///    state is then written from what was read: `v = counter; await x;
    ///    counter = v + 1`, `counter += await f()`, `d[k] = d.get(k, 0) +
    ///    await f()`, or a value read at the end of one loop iteration and
    ///    written back in the next. While the coroutine is suspended another
    ///    one updates the same state, and the write throws that update away.
    /// 3. **Check-then-act on a resource.** `if key not in ENGINES: options
    ///    = await load(); ENGINES[key] = create_async_engine(url, **options)`
    ///    (also `CACHE.get(key) is None`, a local holding `CACHE.get(key)`,
    ///    `if key in CACHE: return ...` followed by the build, and `if CLIENT
    ///    is None: CLIENT = await connect()`), where the value stored owns
    ///    something that must be released. Two first calls both find no
    ///    entry, both build, and the last store wins: the other engine, pool
    ///    or session is in no cache any more and is never closed. The code
    ///    must show that the value owns a resource: it is made by a known
    ///    factory (`create_async_engine`, `aiohttp.ClientSession`,
    ///    `httpx.AsyncClient`, `asyncpg.connect`/`create_pool`, redis
    ///    clients, `asyncio.create_task`, `open`...), annotated as such a
    ///    class, or an instance of a class of the module that defines
    ///    `close`, `aclose`, `dispose`, `cancel`, `disconnect`, `shutdown` or
    ///    `__aexit__`, directly or through what a function of the module
    ///    returns.
    ///
    /// Hazards 1 and 2 are reported in coroutines that run concurrently: one
    /// passed to `asyncio.gather`, `create_task`, `ensure_future`, `wait`,
    /// `as_completed` or `TaskGroup.create_task` anywhere in the module
    /// (methods of the module's classes included), or awaited by such a
    /// function. Hazard 3 is reported in any `async def`: a cache exists
    /// because the function is called again and again, and concurrent first
    /// calls are what an event loop serving requests does.
    ///
    /// Not reported: a registry, queue or cache written without an `await`
    /// between the read and the write (`handlers[name] = h`, `queue.append(x)`,
    /// `if k not in CACHE: CACHE[k] = make()`): coroutines only switch at
    /// `await`, `async for` and `async with`, so those updates are atomic.
    /// Nor a memo filled across an `await` with plain data (a dict, a model,
    /// the result of a fetch) or with a value the code does not show to own
    /// anything (a factory passed in as a parameter, a call into another
    /// module): racing first calls build it twice and one copy is garbage,
    /// which is duplicate work, not a bug. Such a keyed store is judged as
    /// any other write (a per-call result, a lost update when the value is
    /// computed from the entry itself); a lazily set name (`if CONFIG is
    /// None: CONFIG = await load()`) is a memo and not reported.
    /// Not reported either: writes to locals, read-only module constants, a
    /// module-level set that only keeps tasks alive (`tasks.add(task)` plus
    /// `task.add_done_callback(tasks.discard)`), and anything inside `async
    /// with` on a lock. A lock is recognised however it is obtained: a name
    /// bound to `asyncio.Lock()`, `Condition()` or a one-slot `Semaphore`
    /// (anyio and trio ones too; a semaphore whose creation is not in sight,
    /// such as an attribute, counts as one); a function of the module that
    /// returns one,
    /// lazily created or through another such function; an attribute the class
    /// assigns one to (`self._lock`, `cls._lock`); a parameter or module name
    /// annotated as one. When the code does not say what the context manager
    /// is (another object's attribute, a call into another module), a name
    /// that says lock or mutex is taken at its word.
    ///
    /// Instance attributes (`self.cache`, `self.count`) are judged for lost
    /// updates and check-then-act only in a method the module itself runs
    /// concurrently on one instance: twice on the same receiver in one
    /// `gather`, once per element of a comprehension
    /// (`gather(*[client.get(u) for u in urls])`), or in a loop
    /// (`create_task(self.poll(x))` in a `for`), the receiver not being the
    /// loop's variable nor bound inside the loop; methods such a method
    /// awaits on `self` are included. Elsewhere an instance is usually used
    /// by one task at a time (a config flow, an entity the framework updates
    /// serially), which the code does not show either way, so it is not
    /// reported. No fix is offered for attributes: a module-level lock
    /// would serialise every instance.
    ///
    /// ## Why is this bad?
    /// Module-level state lives as long as the process and is shared by
    /// every coroutine of every request. Results leak between unrelated
    /// calls, read-modify-write sequences that span an `await` lose updates,
    /// and caches build expensive values twice, silently and intermittently,
    /// under load.
    ///
    /// ## Example
    /// ```python
    /// results = {}
    ///
    /// async def fetch_user(uid):
    ///     results[uid] = await db.fetch_user(uid)
    ///
    /// async def fetch_batch(uids):
    ///     await asyncio.gather(*[fetch_user(uid) for uid in uids])
    ///     return results
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// async def fetch_user(uid):
    ///     return uid, await db.fetch_user(uid)
    ///
    /// async def fetch_batch(uids):
    ///     results = dict(await asyncio.gather(*[fetch_user(uid) for uid in uids]))
    ///     return results
    /// ```
    ///
    /// A lost update:
    /// ```python
    /// hits = 0
    /// hits_lock = asyncio.Lock()
    ///
    /// async def record(n):
    ///     global hits
    ///     async with hits_lock:
    ///         hits += await weigh(n)
    /// ```
    ///
    /// A check-then-act cache of pools:
    /// ```python
    /// _pools = {}
    ///
    /// async def pool(dsn):
    ///     if dsn not in _pools:
    ///         _pools[dsn] = await asyncpg.create_pool(dsn)
    ///     return _pools[dsn]
    /// ```
    ///
    /// Use instead, storing the task, not the result, so that the second
    /// caller awaits the pool the first one is building:
    /// ```python
    /// _pools = {}
    ///
    /// async def pool(dsn):
    ///     if dsn not in _pools:
    ///         _pools[dsn] = asyncio.ensure_future(asyncpg.create_pool(dsn))
    ///         _pools[dsn].add_done_callback(
    ///             lambda task: (task.cancelled() or task.exception()) and _pools.pop(dsn, None)
    ///         )
    ///     return await asyncio.shield(_pools[dsn])
    /// ```
    ///
    /// ## Fix safety
    /// Every fix is unsafe: they change behaviour on purpose.
    ///
    /// *Return and merge* (per-call results) is offered when the coroutine's
    /// only effect on the container is one final `state[key] = value` or
    /// `state.append(value)`, the container is a plain `{}`/`dict()` or
    /// `[]`/`list()`, every call of the coroutine in the module is an argument
    /// of a plain `await asyncio.gather(...)` statement, and every other use
    /// of the container comes after that statement in the gathering function.
    /// The coroutine then returns its entry (a `-> None` annotation becomes
    /// the entry's type: from the container's annotation, the parameters'
    /// annotations, or `typing.Any`), each gathering function builds a local
    /// container from the gathered results, and the module-level container is
    /// removed. Callers outside the module, and code relying on entries of
    /// earlier calls, see the difference.
    ///
    /// *Store the task* (check-then-act) is offered only where it keeps the
    /// API: the cache's values become tasks, so the cache must be private to
    /// the module (a leading underscore), a plain dict, and used by no code
    /// but this function, which only reads `_cache[key]` after the check (each
    /// read becomes `await asyncio.shield(_cache[key])`, so a caller that is
    /// cancelled does not cancel the build others wait for). The missing
    /// branch must be the single store `_cache[key] = await <call>`; it becomes
    /// `_cache[key] = asyncio.ensure_future(<call>)` plus a done-callback that
    /// forgets a failed or cancelled build, so the next call retries as it did
    /// before. Different keys still build concurrently.
    ///
    /// *Lock* (lost updates and check-then-act, the alternative to storing
    /// the task) creates a module-level `<state>_lock = asyncio.Lock()` (one
    /// per state; later fixes reuse it) and wraps the statements from the read
    /// or the check to the write in `async with <state>_lock:`; for a value
    /// carried from one loop iteration to the next it wraps the whole loop
    /// (not offered for `while True`, which would hold it for ever). It
    /// serialises those sections, including builds of unrelated keys, which
    /// can slow a hot path, and is not offered when the wrapped code calls a
    /// function of the module that uses the same state (an `asyncio.Lock` is
    /// not re-entrant). It is only offered for Python 3.10 and later: before
    /// 3.10 a lock created at import time is bound to the wrong event loop and
    /// fails once contended under `asyncio.run`.
    ///
    /// The lock and task fixes assume one event loop: a lock (and a task)
    /// belongs to the loop that first uses it, so code that runs the same
    /// function on several loops at once (a loop per thread) gets a
    /// `RuntimeError` when two loops meet on the lock or the task. Such a
    /// cache needs the loop in its key (as Prefect's `ENGINES` has) and a
    /// lock per loop.
    pub struct SharedMutableState {
        code: "CS002",
        name: "shared-mutable-state",
        summary: "Shared state corrupted by concurrent coroutines: per-call results, lost updates, check-then-act",
        fixes: FixAvailability::UNSAFE,
    }
}

/// Methods that change a container in place (the model's list, which its
/// instance-state facts use too).
use crate::semantic::instance_state::MUTATING_METHODS;

/// [`MUTATING_METHODS`], looked up by hash.
static MUTATING_METHOD_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| MUTATING_METHODS.iter().copied().collect());

/// Calls that run their coroutine arguments concurrently.
const SPAWNERS: &[&str] = &[
    "asyncio.gather",
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.wait",
    "asyncio.as_completed",
    "asyncio.run_coroutine_threadsafe",
];

/// Methods that schedule a coroutine as a task (`loop.create_task`,
/// `TaskGroup.create_task`, anyio/trio `start_soon`).
const SPAWN_METHODS: &[&str] = &["create_task", "ensure_future", "start_soon"];

/// [`SPAWNERS`] and [`SPAWN_METHODS`], looked up by hash.
static SPAWNER_SET: LazyLock<NameSet> = LazyLock::new(|| NameSet::of(SPAWNERS));
static SPAWN_METHOD_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| SPAWN_METHODS.iter().copied().collect());

/// Whether `call` runs its coroutine arguments concurrently: one of
/// [`SPAWNERS`], or a method of [`SPAWN_METHODS`] on any receiver.
fn spawns(checker: &Checker, call: &ast::ExprCall, scope: ScopeId) -> bool {
    checker
        .semantic
        .resolve_qualified_name(&call.func, scope)
        .is_some_and(|q| SPAWNER_SET.contains(&q))
        || matches!(&*call.func, Expr::Attribute(attr)
            if SPAWN_METHOD_SET.contains(attr.attr.id.as_str()))
}

/// Calls that make a fresh mutable container.
const MUTABLE_FACTORIES: &[&str] = &[
    "builtins.dict",
    "builtins.list",
    "builtins.set",
    "builtins.bytearray",
    "collections.defaultdict",
    "collections.deque",
    "collections.Counter",
    "collections.OrderedDict",
    "collections.ChainMap",
];

/// [`MUTABLE_FACTORIES`], looked up by hash.
static MUTABLE_FACTORY_SET: LazyLock<NameSet> = LazyLock::new(|| NameSet::of(MUTABLE_FACTORIES));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// `{}` or `dict()`.
    PlainDict,
    /// `[]` or `list()`.
    PlainList,
    Other,
}

#[derive(Debug)]
struct State<'a> {
    container: Container,
    /// The top-level statement that binds the name, when there is exactly one
    /// binding at module level and it is a plain assignment.
    definition: Option<&'a Stmt>,
    /// Whether some function rebinds the name through `global`.
    rebound_in_function: bool,
}

/// Shared state needs an `async def` and, in the text, a `global`
/// statement, a call that runs coroutines concurrently or a module-level
/// container written somewhere (see [`prefilter`]).
#[cfg(test)]
pub(crate) fn prefilter_text(text: &str) -> bool {
    prefilter::writes_module_container(text)
}

pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &[ASYNC_DEF],
    words: Some(prefilter::concurrency_words),
    text: Some(prefilter::writes_module_container),
    project_index: false,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    let states = collect_states(checker);
    let shared = shared_methods(checker);
    if states.is_empty() && shared.is_empty() {
        return;
    }
    // A set: asked once per function (issue 19).
    let concurrent: FxHashSet<ScopeId> = concurrent_functions(checker)
        .into_iter()
        .map(|(scope, _)| scope)
        .collect();
    let semantic = &checker.semantic;
    for (scope, def) in semantic.functions() {
        if !def.is_async {
            continue;
        }
        let is_concurrent = concurrent.contains(&scope);
        let receiver = shared
            .contains(&scope)
            .then(|| first_parameter(def))
            .flatten();
        let mut walker = FunctionWalker {
            checker,
            scope,
            states: &states,
            current: None,
            pushed: Vec::new(),
            rest_checks: Vec::new(),
            taints: HashMap::new(),
            checks: Vec::new(),
            receiver,
            findings: Vec::new(),
        };
        semantic.walk_flow(&def.body, &mut walker);
        let mut findings = std::mem::take(&mut walker.findings);
        // Loop bodies are walked twice: keep the strongest finding per write.
        findings.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.kind.strength())));
        findings.dedup_by_key(|f| f.range);
        for finding in findings {
            let keep = match &finding.kind {
                // Per-call results are judged for module-level state only.
                FindingKind::Mutation if is_attribute(finding.state) => false,
                // A check-then-act on a cache says by itself that the
                // function is called again and again.
                FindingKind::CheckThenAct { .. } => true,
                FindingKind::LostUpdate { .. } => is_concurrent,
                FindingKind::Mutation => is_concurrent,
            };
            if !keep {
                continue;
            }
            let returned_by = match finding.kind {
                FindingKind::Mutation => match returned_by(checker, finding.state, def) {
                    Some(name) => Some(name),
                    None => continue,
                },
                _ => None,
            };
            diagnostics.push(build_diagnostic(
                checker,
                &states,
                scope,
                def,
                finding,
                returned_by,
            ));
        }
    }
}

/// Whether a state is `self.attr` rather than a module-level name.
fn is_attribute(state: &str) -> bool {
    state.contains('.')
}

fn first_parameter(def: &ast::StmtFunctionDef) -> Option<&str> {
    def.parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .next()
        .map(|p| p.parameter.name.id.as_str())
}

/// Async methods that the module runs concurrently on one instance, so
/// that their `self.attr` is shared state: a spawning call (`gather`,
/// `create_task`...) that runs the method twice on the same receiver
/// (`gather(self.load(a), self.load(b))`), once per element of a
/// comprehension (`gather(*[client.get(u) for u in urls])`), or inside a
/// loop (`for u in urls: tg.create_task(self.get(u))`), where the receiver
/// is not itself the loop's or the comprehension's variable; and the
/// methods these await on `self`.
fn shared_methods(checker: &Checker) -> Vec<ScopeId> {
    struct Spawns<'c, 'a> {
        checker: &'c Checker<'a>,
        scope: ScopeId,
        /// Spawning calls.
        calls: Vec<&'a ast::ExprCall>,
    }
    impl<'a> ScopeVisitor<'a> for Spawns<'_, 'a> {
        fn expr(&mut self, expr: &'a Expr) {
            let Expr::Call(call) = expr else { return };
            if spawns(self.checker, call, self.scope) {
                self.calls.push(call);
            }
        }
    }
    let semantic = &checker.semantic;
    let mut bodies: Vec<(ScopeId, &[Stmt])> = vec![(ScopeId::MODULE, checker.body())];
    bodies.extend(semantic.functions().map(|(s, d)| (s, &d.body[..])));
    let mut shared: Vec<(ScopeId, &ast::StmtFunctionDef)> = Vec::new();
    for (scope, body) in bodies {
        let mut spawns = Spawns {
            checker,
            scope,
            calls: Vec::new(),
        };
        checker.semantic.walk_scope(body, &mut spawns);
        for call in &spawns.calls {
            // Which loops the spawn runs in (the model's statement tree),
            // and their variables.
            let in_loops: Vec<(TextRange, Vec<&str>)> = semantic
                .statement_at(call.start())
                .into_iter()
                .flat_map(|id| semantic.enclosing_loops(id))
                .map(|stmt| match stmt {
                    Stmt::For(for_stmt) => (stmt.range(), target_names(&for_stmt.target)),
                    _ => (stmt.range(), Vec::new()),
                })
                .collect();
            let mut seen: Vec<(&str, TextRange)> = Vec::new();
            let mut args: Vec<(&Expr, Vec<&str>)> = Vec::new();
            for arg in call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
            {
                let arg = match arg {
                    Expr::Starred(starred) => &*starred.value,
                    other => other,
                };
                match arg {
                    Expr::ListComp(ast::ExprListComp {
                        elt, generators, ..
                    })
                    | Expr::SetComp(ast::ExprSetComp {
                        elt, generators, ..
                    })
                    | Expr::Generator(ast::ExprGenerator {
                        elt, generators, ..
                    }) => {
                        let names = generators
                            .iter()
                            .flat_map(|g| target_names(&g.target))
                            .collect();
                        args.push((elt, names));
                    }
                    other => args.push((other, Vec::new())),
                }
            }
            for (arg, comprehension_names) in args {
                let mut methods = MethodCalls(Vec::new());
                checker.semantic.walk_scope_expr(arg, &mut methods);
                for method_call in methods.0 {
                    let Expr::Attribute(attr) = &*method_call.func else {
                        continue;
                    };
                    let Expr::Name(receiver) = &*attr.value else {
                        continue;
                    };
                    let Some(def) = called_method(checker, method_call, scope) else {
                        continue;
                    };
                    if !def.is_async {
                        continue;
                    }
                    let receiver = receiver.id.as_str();
                    // A receiver bound inside the loop may be a new
                    // instance each time.
                    let bound_in_loop = |range: &TextRange| {
                        semantic
                            .resolve_name(receiver, scope, method_call.start())
                            .is_none_or(|b| range.contains_range(b.range))
                    };
                    let many = (!comprehension_names.is_empty()
                        && !comprehension_names.contains(&receiver))
                        || in_loops.iter().any(|(range, names)| {
                            !names.contains(&receiver) && !bound_in_loop(range)
                        })
                        || seen.contains(&(receiver, def.range()));
                    seen.push((receiver, def.range()));
                    if many
                        && let Some(method_scope) = semantic.function_scope(def)
                        && !shared.iter().any(|(s, _)| *s == method_scope)
                    {
                        shared.push((method_scope, def));
                    }
                }
            }
        }
    }
    // Methods awaited on `self` by a shared method run on the same instance.
    let mut index = 0;
    while index < shared.len() {
        let (scope, def) = shared[index];
        index += 1;
        let Some(receiver) = first_parameter(def) else {
            continue;
        };
        let mut methods = MethodCalls(Vec::new());
        checker.semantic.walk_scope(&def.body, &mut methods);
        for call in methods.0 {
            if matches!(&*call.func, Expr::Attribute(a)
                    if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == receiver))
                && let Some(callee) = semantic
                    .resolve_callee(&call.func, scope)
                    .map(|(_, def)| def)
                && callee.is_async
                && let Some(callee_scope) = semantic.function_scope(callee)
                && !shared.iter().any(|(s, _)| *s == callee_scope)
            {
                shared.push((callee_scope, callee));
            }
        }
    }
    shared.into_iter().map(|(scope, _)| scope).collect()
}

/// The names a loop or comprehension target binds.
fn target_names(target: &Expr) -> Vec<&str> {
    match target {
        Expr::Name(name) => vec![name.id.as_str()],
        Expr::Tuple(tuple) => tuple.elts.iter().flat_map(target_names).collect(),
        Expr::List(list) => list.elts.iter().flat_map(target_names).collect(),
        Expr::Starred(starred) => target_names(&starred.value),
        _ => Vec::new(),
    }
}

/// The async function that hands a container out as its result (`return
/// results`, `return sorted(seen)`, `return dict(cache)`): `def` itself or
/// one that calls it. A container only looked up by key (`CACHE[k]`,
/// `CACHE.get(k)`) is a registry or a cache, not per-call state.
fn returned_by<'a>(
    checker: &Checker<'a>,
    state: &str,
    def: &'a ast::StmtFunctionDef,
) -> Option<&'a str> {
    let semantic = &checker.semantic;
    // The candidates: the coroutine itself and the functions whose body
    // calls it (from the call graph's callers, in the order of
    // `functions()`), not every function of the module for each finding
    // (issue 19).
    let own = semantic.function_scope(def);
    let mut candidates: Vec<ScopeId> = own
        .into_iter()
        .chain(
            own.into_iter()
                .flat_map(|s| semantic.callers(s))
                .map(|edge| edge.caller),
        )
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let functions: Vec<(ScopeId, &'a ast::StmtFunctionDef)> = match own {
        Some(_) => candidates
            .into_iter()
            .filter(|&s| !semantic.scope(s).type_checking_only)
            .filter_map(|s| match semantic.scope(s).kind {
                ScopeKind::Function(candidate) => Some((s, candidate)),
                _ => None,
            })
            .collect(),
        None => semantic.functions().collect(),
    };
    functions.into_iter().find_map(|(scope, candidate)| {
        if !candidate.is_async {
            return None;
        }
        // A coroutine that returns the container it fills itself treats it
        // as its own only if it empties it first (`results.clear()`); one
        // that updates a shared config and returns it is a cache.
        let related = if candidate.range() == def.range() {
            empties(checker, scope, &candidate.body, state)
        } else {
            // A call to `def` made in the candidate's body (its callers'
            // edges, not the candidate's every callee: issue 19).
            let body = candidate.body.first().zip(candidate.body.last());
            body.is_some_and(|(first, last)| {
                let range = TextRange::new(first.start(), last.end());
                own.into_iter()
                    .flat_map(|s| semantic.callers(s))
                    .any(|edge| edge.caller == scope && range.contains_range(edge.call))
            })
        };
        if !related {
            return None;
        }
        semantic
            .return_statements(candidate)
            .filter_map(|ret| ret.value.as_deref())
            .any(|value| reads_whole(checker, value, scope, state))
            .then(|| candidate.name.id.as_str())
    })
}

/// Whether a body empties module-level `state`: `state.clear()`, `del
/// state[:]`, or rebinds it through `global` (`state = {}`).
fn empties(checker: &Checker, scope: ScopeId, body: &[Stmt], state: &str) -> bool {
    struct Empties<'s> {
        state: &'s str,
        found: Vec<TextSize>,
    }
    impl<'a> ScopeVisitor<'a> for Empties<'_> {
        fn stmt(&mut self, stmt: &'a Stmt) {
            let hit = match stmt {
                Stmt::Assign(assign) => assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == self.state)),
                Stmt::Delete(delete) => delete.targets.iter().any(|t| {
                    matches!(t, Expr::Subscript(sub)
                        if sub.slice.is_slice_expr()
                            && matches!(&*sub.value, Expr::Name(n) if n.id.as_str() == self.state))
                }),
                _ => false,
            };
            if hit {
                self.found.push(stmt.start());
            }
        }
        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = &*call.func
                && attr.attr.id.as_str() == "clear"
                && matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == self.state)
            {
                self.found.push(expr.start());
            }
        }
    }
    let mut empties = Empties {
        state,
        found: Vec::new(),
    };
    checker.semantic.walk_scope(body, &mut empties);
    empties.found.iter().any(|&at| {
        checker
            .semantic
            .resolve_name(state, scope, at)
            .is_some_and(|b| b.scope == ScopeId::MODULE)
    })
}

/// Whether `expr` uses the whole container `state`, not one entry of it.
fn reads_whole(checker: &Checker, expr: &Expr, scope: ScopeId, state: &str) -> bool {
    struct Uses<'a> {
        loads: Vec<&'a ast::ExprName>,
        lookups: Vec<TextRange>,
    }
    impl<'a> ScopeVisitor<'a> for Uses<'a> {
        fn expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(name) if name.ctx == ExprContext::Load => self.loads.push(name),
                Expr::Subscript(sub) => self.lookups.push(sub.value.range()),
                Expr::Attribute(attr)
                    if !matches!(attr.attr.id.as_str(), "copy" | "items" | "values" | "keys") =>
                {
                    self.lookups.push(attr.value.range());
                }
                _ => {}
            }
        }
    }
    let mut uses = Uses {
        loads: Vec::new(),
        lookups: Vec::new(),
    };
    checker.semantic.walk_scope_expr(expr, &mut uses);
    uses.loads.iter().any(|name| {
        name.id.as_str() == state
            && !uses.lookups.contains(&name.range)
            && checker
                .semantic
                .resolve_name(state, scope, name.start())
                .is_some_and(|b| b.scope == ScopeId::MODULE)
    })
}

// ---------------------------------------------------------------------------
// Which names are shared mutable state.

fn collect_states<'a>(checker: &Checker<'a>) -> HashMap<&'a str, State<'a>> {
    let semantic = &checker.semantic;
    let mut candidates: Vec<&'a str> = Vec::new();
    for stmt in checker.body() {
        let targets: Vec<&'a Expr> = match stmt {
            Stmt::Assign(assign) => assign.targets.iter().collect(),
            Stmt::AnnAssign(assign) if assign.value.is_some() => vec![&*assign.target],
            _ => continue,
        };
        for target in targets {
            if let Expr::Name(name) = target {
                candidates.push(name.id.as_str());
            }
        }
    }
    // Whether a runnable `def` holds the binding: among the statements
    // around it (not a scan of every function per binding, issue 19).
    let in_function = |range: TextRange| {
        semantic.statement_at(range.start()).is_some_and(|id| {
            semantic.statements().ancestors(id).any(|s| {
                matches!(semantic.statement(s), Stmt::FunctionDef(def)
                    if def.range().contains_range(range)
                        && semantic
                            .function_scope(def)
                            .is_some_and(|scope| !semantic.scope(scope).type_checking_only))
            })
        })
    };
    for (scope, _) in semantic.functions() {
        candidates.extend(global_names(checker, scope));
    }

    let mut states = HashMap::new();
    for name in candidates {
        if states.contains_key(name) {
            continue;
        }
        let bindings: Vec<_> = semantic.bindings_in_scope(name, ScopeId::MODULE).collect();
        if bindings.is_empty() || bindings.iter().any(|b| !b.kind.is_runtime_store()) {
            continue;
        }
        let rebound_in_function = bindings.iter().any(|b| in_function(b.range));
        let mut container = None;
        for binding in &bindings {
            if let BindingKind::Assignment { value: Some(value) } = binding.kind
                && let Some(kind) = container_kind(checker, value)
            {
                container = Some(match container {
                    None => kind,
                    Some(previous) if previous == kind => kind,
                    Some(_) => Container::Other,
                });
            }
        }
        if container.is_none() && !rebound_in_function {
            continue;
        }
        // The module statement holding the only binding.
        let definition = if bindings.len() == 1 {
            semantic
                .statement_at(bindings[0].range.start())
                .and_then(|id| semantic.statements().ancestors(id).last())
                .map(|id| semantic.statement(id))
                .filter(|s| {
                    (matches!(s, Stmt::Assign(a) if a.targets.len() == 1)
                        || matches!(s, Stmt::AnnAssign(a) if a.value.is_some()))
                        && s.range().contains_range(bindings[0].range)
                })
        } else {
            None
        };
        states.insert(
            name,
            State {
                container: container.unwrap_or(Container::Other),
                definition,
                rebound_in_function,
            },
        );
    }
    states.retain(|name, _| !is_task_reference_set(checker, name));
    states
}

fn container_kind(checker: &Checker, value: &Expr) -> Option<Container> {
    match value {
        Expr::Dict(dict) if dict.is_empty() => Some(Container::PlainDict),
        Expr::List(list) if list.is_empty() => Some(Container::PlainList),
        Expr::Dict(_)
        | Expr::List(_)
        | Expr::Set(_)
        | Expr::DictComp(_)
        | Expr::ListComp(_)
        | Expr::SetComp(_) => Some(Container::Other),
        Expr::Call(call) => {
            let qualified = checker
                .semantic
                .resolve_qualified_name(&call.func, ScopeId::MODULE)?;
            if !MUTABLE_FACTORY_SET.contains(&qualified) {
                return None;
            }
            let empty = call.arguments.is_empty();
            Some(match qualified.segments() {
                ["builtins", "dict"] if empty => Container::PlainDict,
                ["builtins", "list"] if empty => Container::PlainList,
                _ => Container::Other,
            })
        }
        _ => None,
    }
}

/// Every load of a module-level `name` anywhere in the module.
fn module_references<'a>(checker: &Checker<'a>, name: &str) -> Vec<TextRange> {
    let semantic = &checker.semantic;
    // The name's loads (indexed by the model), in the order the model
    // recorded them, as a scan of all the loads gave them.
    let mut loads: Vec<_> = semantic
        .loads_named(name)
        .filter(|(_, r)| {
            semantic
                .resolve_name(name, r.scope, r.range.start())
                .is_some_and(|b| b.scope == ScopeId::MODULE)
        })
        .map(|(id, r)| (id, r.range))
        .collect();
    loads.sort_unstable_by_key(|(id, _)| *id);
    loads.into_iter().map(|(_, range)| range).collect()
}

/// A set used only as `name.add(task)` and as
/// `task.add_done_callback(name.discard)`: it keeps tasks alive, it is not
/// state (the fix rule CS001 recommends).
fn is_task_reference_set(checker: &Checker, name: &str) -> bool {
    #[derive(Default)]
    struct Uses {
        adds: Vec<TextRange>,
        discards: Vec<TextRange>,
    }
    impl<'a> ruff_python_ast::visitor::Visitor<'a> for Uses {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = &*call.func
            {
                if attr.attr.id.as_str() == "add"
                    && let Expr::Name(receiver) = &*attr.value
                {
                    self.adds.push(receiver.range);
                }
                if attr.attr.id.as_str() == "add_done_callback" {
                    for arg in &call.arguments.args {
                        if let Expr::Attribute(callback) = arg
                            && callback.attr.id.as_str() == "discard"
                            && let Expr::Name(receiver) = &*callback.value
                        {
                            self.discards.push(receiver.range);
                        }
                    }
                }
            }
            ruff_python_ast::visitor::walk_expr(self, expr);
        }
    }
    let semantic = &checker.semantic;
    let is_set = semantic
        .bindings_in_scope(name, ScopeId::MODULE)
        .all(|b| match b.kind {
            BindingKind::Assignment {
                value: Some(Expr::Call(call)),
            } => {
                call.arguments.is_empty()
                    && semantic
                        .resolve_qualified_name(&call.func, ScopeId::MODULE)
                        .is_some_and(|q| matches!(q.segments(), ["builtins", "set"]))
            }
            _ => false,
        });
    if !is_set {
        return false;
    }
    let mut uses = Uses::default();
    ruff_python_ast::visitor::Visitor::visit_body(&mut uses, checker.body());
    let references = module_references(checker, name);
    !references.is_empty()
        && references.iter().any(|r| uses.discards.contains(r))
        && references
            .iter()
            .all(|r| uses.adds.contains(r) || uses.discards.contains(r))
}

// ---------------------------------------------------------------------------
// Which coroutines run concurrently.

fn concurrent_functions<'a>(checker: &Checker<'a>) -> Vec<(ScopeId, &'a ast::StmtFunctionDef)> {
    let semantic = &checker.semantic;
    let mut bodies: Vec<(ScopeId, &'a [Stmt])> = vec![(ScopeId::MODULE, checker.body())];
    bodies.extend(semantic.functions().map(|(s, d)| (s, &d.body[..])));

    let mut found = Found::default();
    for (scope, body) in &bodies {
        let mut spawns = SpawnFinder {
            checker,
            scope: *scope,
            args: Vec::new(),
        };
        checker.semantic.walk_scope(body, &mut spawns);
        let mut appends = None;
        for arg in spawns.args {
            collect_async_refs(checker, arg, *scope, body, &mut appends, 0, &mut found);
        }
    }
    // Coroutines awaited by concurrent ones run concurrently too.
    let mut index = 0;
    while index < found.order.len() {
        let def = found.order[index];
        index += 1;
        let Some(scope) = semantic.function_scope(def) else {
            continue;
        };
        for callee in called_functions(checker, scope, &def.body) {
            if callee.is_async {
                found.insert(callee);
            }
        }
    }
    let mut result: Vec<_> = found
        .order
        .into_iter()
        .filter_map(|def| {
            let scope = semantic.function_scope(def)?;
            (!semantic.scope(scope).type_checking_only).then_some((scope, def))
        })
        .collect();
    result.sort_by_key(|(_, def)| def.start());
    result.dedup_by_key(|(_, def)| def.start());
    result
}

/// The arguments of `name.append(...)` (`extend`, `add`, `insert`) in a
/// body, by name, in source order: found in one walk of the body for all
/// names (a walk per name was quadratic in a body holding thousands of
/// coroutines in names, issue 19).
#[derive(Default)]
struct Appends<'a>(FxHashMap<&'a str, Vec<&'a Expr>>);

impl<'a> ScopeVisitor<'a> for Appends<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attr) = &*call.func
            && matches!(
                attr.attr.id.as_str(),
                "append" | "extend" | "add" | "insert"
            )
            && let Expr::Name(n) = &*attr.value
        {
            self.0
                .entry(n.id.as_str())
                .or_default()
                .extend(call.arguments.args.iter());
        }
    }
}

/// The coroutine functions found so far, in the order found, each once
/// (a set beside the list: thousands of spawned functions made the
/// membership test quadratic, issue 19).
#[derive(Default)]
struct Found<'a> {
    order: Vec<&'a ast::StmtFunctionDef>,
    seen: FxHashSet<TextRange>,
}

impl<'a> Found<'a> {
    fn insert(&mut self, def: &'a ast::StmtFunctionDef) {
        if self.seen.insert(def.range()) {
            self.order.push(def);
        }
    }
}

struct SpawnFinder<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    args: Vec<&'a Expr>,
}

impl<'a> ScopeVisitor<'a> for SpawnFinder<'_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        let Expr::Call(call) = expr else { return };
        if spawns(self.checker, call, self.scope) {
            self.args.extend(call.arguments.args.iter());
            self.args
                .extend(call.arguments.keywords.iter().map(|k| &k.value));
        }
    }
}

/// The `async def`s an expression mentions (called or passed), following
/// local variables that hold them (`tasks = [...]`, `tasks.append(...)`).
fn collect_async_refs<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    scope: ScopeId,
    body: &'a [Stmt],
    appends: &mut Option<Appends<'a>>,
    depth: u8,
    found: &mut Found<'a>,
) {
    struct Names<'a>(Vec<&'a ast::ExprName>);
    impl<'a> ScopeVisitor<'a> for Names<'a> {
        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(name) = expr
                && name.ctx == ExprContext::Load
            {
                self.0.push(name);
            }
        }
    }
    if depth > 3 {
        return;
    }
    // `self.fetch(x)`, `client.fetch(x)`: a method of a class of the module.
    let mut methods = MethodCalls(Vec::new());
    checker.semantic.walk_scope_expr(expr, &mut methods);
    for call in methods.0 {
        if let Some(def) = called_method(checker, call, scope)
            && def.is_async
        {
            found.insert(def);
        }
    }
    let mut names = Names(Vec::new());
    checker.semantic.walk_scope_expr(expr, &mut names);
    for name in names.0 {
        let id = name.id.as_str();
        let Some(binding) = checker.semantic.resolve_name(id, scope, name.start()) else {
            continue;
        };
        match binding.kind {
            BindingKind::FunctionDef(def) if def.is_async => {
                found.insert(def);
            }
            BindingKind::Assignment { value } if binding.scope == scope => {
                if let Some(value) = value {
                    collect_async_refs(checker, value, scope, body, appends, depth + 1, found);
                }
                // `tasks.append(fetch(x))` elsewhere in the scope.
                let args = appends
                    .get_or_insert_with(|| {
                        let mut all = Appends::default();
                        checker.semantic.walk_scope(body, &mut all);
                        all
                    })
                    .0
                    .get(binding.name)
                    .cloned()
                    .unwrap_or_default();
                for arg in args {
                    collect_async_refs(checker, arg, scope, body, appends, depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

struct MethodCalls<'a>(Vec<&'a ast::ExprCall>);

impl<'a> ScopeVisitor<'a> for MethodCalls<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && call.func.is_attribute_expr()
        {
            self.0.push(call);
        }
    }
}

/// The method a call `receiver.name(...)` runs: through `self`/`cls`, or,
/// for another receiver, the one method of that name among the module's
/// classes (none when two classes define it).
fn called_method<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    scope: ScopeId,
) -> Option<&'a ast::StmtFunctionDef> {
    let semantic = &checker.semantic;
    if let Some(def) = semantic
        .resolve_callee(&call.func, scope)
        .map(|(_, def)| def)
    {
        return Some(def);
    }
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if !attr.value.is_name_expr() {
        return None;
    }
    let name = attr.attr.id.as_str();
    let mut candidates = semantic.functions().filter(|(s, def)| {
        def.name.id.as_str() == name
            && semantic
                .scope(*s)
                .parent
                .is_some_and(|p| matches!(semantic.scope(p).kind, ScopeKind::Class(_)))
    });
    let (_, def) = candidates.next()?;
    candidates.next().is_none().then_some(def)
}

/// The functions of the module a body calls (`helper(...)`,
/// `self.method(...)`), resolved.
fn called_functions<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    body: &'a [Stmt],
) -> Vec<&'a ast::StmtFunctionDef> {
    let (Some(first), Some(last)) = (body.first(), body.last()) else {
        return Vec::new();
    };
    let range = TextRange::new(first.start(), last.end());
    let semantic = &checker.semantic;
    semantic
        .callees(scope)
        .iter()
        .filter(|edge| range.contains_range(edge.call))
        .filter_map(|edge| match semantic.scope(edge.callee).kind {
            ScopeKind::Function(def) => Some(def),
            _ => None,
        })
        .collect()
}

/// The names a function declares `global` (the model's declarations).
fn global_names<'a>(checker: &Checker<'a>, scope: ScopeId) -> Vec<&'a str> {
    checker
        .semantic
        .declarations(scope)
        .filter(|b| matches!(b.kind, BindingKind::Global))
        .map(|b| b.name)
        .collect()
}

// ---------------------------------------------------------------------------
// Finding mutations and lost updates in one coroutine.

#[derive(Debug, Clone)]
struct Taint<'a> {
    state: &'a str,
    /// The statement that read the state.
    read: StmtId,
    awaited: bool,
}

#[derive(Debug)]
enum FindingKind<'a> {
    Mutation,
    LostUpdate {
        read: StmtId,
    },
    /// `if key not in CACHE: ... await ...; CACHE[key] = value`.
    CheckThenAct {
        check: Check<'a>,
    },
}

impl FindingKind<'_> {
    fn strength(&self) -> u8 {
        match self {
            FindingKind::Mutation => 0,
            FindingKind::LostUpdate { .. } => 1,
            FindingKind::CheckThenAct { .. } => 2,
        }
    }
}

/// A test that some state has no entry yet (`key not in CACHE`,
/// `CACHE.get(key) is None`, `CLIENT is None`), active over the code that
/// runs when it has none.
#[derive(Debug, Clone)]
struct Check<'a> {
    state: &'a str,
    /// The key tested; `None` when the name itself is tested.
    key: Option<&'a Expr>,
    /// The `if` statement that tests (or the statement that read the
    /// value tested).
    stmt: StmtId,
    test: &'a Expr,
    /// An `await` ran since the test.
    awaited: bool,
    /// For `if key in CACHE: return ...`, the body whose rest runs when
    /// the entry is missing; `None` for the body of the `if` itself.
    rest_of: Option<*const [Stmt]>,
}

#[derive(Debug)]
struct Finding<'a> {
    kind: FindingKind<'a>,
    state: &'a str,
    range: TextRange,
    /// The statement that writes.
    stmt: &'a Stmt,
    id: StmtId,
}

struct FunctionWalker<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    states: &'c HashMap<&'a str, State<'a>>,
    /// The statement being walked.
    current: Option<StmtId>,
    /// Per block being walked, whether its `if` pushed a check.
    pushed: Vec<bool>,
    /// Checks for the rest of a block, pushed when their `if` is done.
    rest_checks: Vec<(StmtId, Check<'a>)>,
    /// Locals holding a value read from shared state.
    taints: HashMap<&'a str, Taint<'a>>,
    /// Tests for a missing entry whose code is being walked.
    checks: Vec<Check<'a>>,
    /// In a method whose instance concurrent calls share: its `self`.
    receiver: Option<&'a str>,
    findings: Vec<Finding<'a>>,
}

/// Loads, awaits and mutating calls in some code of one scope.
#[derive(Default)]
struct ExprFacts<'a> {
    loads: Vec<&'a ast::ExprName>,
    attributes: Vec<&'a Expr>,
    awaits: Vec<TextSize>,
    calls: Vec<&'a ast::ExprCall>,
}

impl<'a> ScopeVisitor<'a> for ExprFacts<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ExprContext::Load => self.loads.push(name),
            Expr::Attribute(attr) if attr.ctx == ExprContext::Load => self.attributes.push(expr),
            Expr::Await(await_) => self.awaits.push(await_.start()),
            Expr::Call(call) => self.calls.push(call),
            _ => {}
        }
    }
}

fn expr_facts<'a>(semantic: &SemanticModel<'a>, expr: &'a Expr) -> ExprFacts<'a> {
    let mut facts = ExprFacts::default();
    semantic.walk_scope_expr(expr, &mut facts);
    facts
}

impl<'c, 'a> FunctionWalker<'c, 'a> {
    /// The statement being walked.
    fn here(&self) -> StmtId {
        self.current
            .expect("a statement of the module is being walked")
    }

    /// Whether the statement being walked runs while an `async with` of its
    /// function holds a lock (its body holds the statement).
    fn under_lock(&self) -> bool {
        let semantic = &self.checker.semantic;
        semantic.enclosing_statements(self.here()).any(|stmt| {
            matches!(stmt, Stmt::With(with) if with.is_async
                && with.items.iter().any(|item|
                    locks::is_lock(self.checker, &item.context_expr, self.scope)))
        })
    }

    /// The shared state a name refers to, if it does.
    fn state_of(&self, name: &ast::ExprName) -> Option<&'a str> {
        let (&id, _) = self.states.get_key_value(name.id.as_str())?;
        self.checker
            .semantic
            .resolve_name(id, self.scope, name.start())
            .is_some_and(|b| b.scope == ScopeId::MODULE)
            .then_some(id)
    }

    /// The state an expression stands for: a module-level name, or, in a
    /// method whose instance the module shares between concurrent calls,
    /// `self.attr` (keyed by its source text, which no module name can be).
    fn state_of_expr(&self, expr: &'a Expr) -> Option<&'a str> {
        match expr {
            Expr::Name(name) => self.state_of(name),
            Expr::Attribute(attr) => {
                let receiver = self.receiver?;
                let Expr::Name(name) = &*attr.value else {
                    return None;
                };
                (name.id.as_str() == receiver && self.is_local(name))
                    .then(|| self.checker.text(expr))
            }
            _ => None,
        }
    }

    /// The state at the root of `a`, `a[k]`, `a.b[k].c`, `self.cache[k]`.
    fn state_root(&self, expr: &'a Expr) -> Option<&'a str> {
        if let Some(state) = self.state_of_expr(expr) {
            return Some(state);
        }
        match expr {
            Expr::Subscript(sub) => self.state_root(&sub.value),
            Expr::Attribute(attr) => self.state_root(&attr.value),
            _ => None,
        }
    }

    /// Loads of state in some code: names and `self.attr`.
    fn state_loads(&self, facts: &ExprFacts<'a>) -> Vec<(&'a str, TextSize)> {
        let mut loads: Vec<(&'a str, TextSize)> = facts
            .loads
            .iter()
            .filter_map(|load| Some((self.state_of(load)?, load.start())))
            .chain(
                facts
                    .attributes
                    .iter()
                    .filter_map(|attr| Some((self.state_of_expr(attr)?, attr.start()))),
            )
            .collect();
        loads.sort_by_key(|(_, at)| *at);
        loads
    }

    fn mark_awaited(&mut self) {
        for taint in self.taints.values_mut() {
            taint.awaited = true;
        }
        for check in &mut self.checks {
            check.awaited = true;
        }
    }

    /// What a test says is missing: `(state, key, missing when true)`.
    fn missing_test(&self, test: &'a Expr) -> Option<(&'a str, Option<&'a Expr>, bool)> {
        match test {
            Expr::Compare(compare) if compare.ops.len() == 1 => {
                let right = &compare.comparators[0];
                match compare.ops[0] {
                    CmpOp::NotIn | CmpOp::In => {
                        let state = self.state_of_expr(right)?;
                        Some((
                            state,
                            Some(&*compare.left),
                            matches!(compare.ops[0], CmpOp::NotIn),
                        ))
                    }
                    CmpOp::Is | CmpOp::IsNot if right.is_none_literal_expr() => {
                        let (state, key) = self.looked_up(&compare.left)?;
                        Some((state, key, matches!(compare.ops[0], CmpOp::Is)))
                    }
                    _ => None,
                }
            }
            Expr::UnaryOp(unary) if unary.op == UnaryOp::Not => {
                let (state, key) = self.looked_up(&unary.operand)?;
                Some((state, key, true))
            }
            other => {
                let (state, key) = self.looked_up(other)?;
                Some((state, key, false))
            }
        }
    }

    /// `CLIENT`, `CACHE.get(key)`, or a local bound to `CACHE.get(key)`.
    fn looked_up(&self, expr: &'a Expr) -> Option<(&'a str, Option<&'a Expr>)> {
        match expr {
            Expr::Name(name) => {
                if let Some(state) = self.state_of(name) {
                    return Some((state, None));
                }
                let binding = self.checker.semantic.resolve_name(
                    name.id.as_str(),
                    self.scope,
                    name.start(),
                )?;
                match binding.kind {
                    BindingKind::Assignment {
                        value: Some(value @ Expr::Call(_)),
                    } if binding.scope == self.scope => {
                        let (state, key) = self.looked_up(value)?;
                        Some((state, Some(key?)))
                    }
                    _ => None,
                }
            }
            Expr::Attribute(_) => Some((self.state_of_expr(expr)?, None)),
            Expr::Call(call) => {
                let Expr::Attribute(attr) = &*call.func else {
                    return None;
                };
                let state = self.state_of_expr(&attr.value)?;
                let default_none = match &call.arguments.args[..] {
                    [_] => true,
                    [_, default] => default.is_none_literal_expr(),
                    _ => false,
                };
                (attr.attr.id.as_str() == "get"
                    && call.arguments.keywords.is_empty()
                    && default_none)
                    .then(|| (state, Some(&call.arguments.args[0])))
            }
            _ => None,
        }
    }

    fn check(
        &self,
        test: &'a Expr,
        fact: (&'a str, Option<&'a Expr>),
        rest_of: Option<*const [Stmt]>,
    ) -> Check<'a> {
        // `cached = CACHE.get(key)` then `if cached is None:`: the check
        // starts at the read.
        let facts = expr_facts(&self.checker.semantic, test);
        let stmt = facts
            .loads
            .iter()
            .find_map(|load| {
                self.taints
                    .get(load.id.as_str())
                    .filter(|t| t.state == fact.0 && self.is_local(load))
            })
            .map_or_else(|| self.here(), |taint| taint.read);
        Check {
            state: fact.0,
            key: fact.1,
            stmt,
            test,
            awaited: false,
            rest_of,
        }
    }

    /// A header expression of a compound statement.
    fn header(&mut self, expr: &'a Expr, stmt: &'a Stmt) {
        let facts = expr_facts(&self.checker.semantic, expr);
        self.mutating_calls(&facts, stmt);
        if !facts.awaits.is_empty() {
            self.mark_awaited();
        }
    }

    /// What the `if` statement `id` tests is missing, if it tests that
    /// (never for an `if TYPE_CHECKING:`, whose test is not run).
    fn missing_of(&self, id: StmtId) -> Option<(&'a str, Option<&'a Expr>, bool)> {
        let semantic = &self.checker.semantic;
        let stmt = semantic.statement(id);
        let Stmt::If(if_stmt) = stmt else {
            return None;
        };
        if semantic.is_type_checking_block(stmt) {
            return None;
        }
        self.missing_test(&if_stmt.test)
    }

    /// A header expression of the compound statement `id`.
    fn on_header(&mut self, id: StmtId, expr: &'a Expr) {
        let stmt = self.checker.semantic.statement(id);
        self.header(expr, stmt);
        match stmt {
            Stmt::For(for_stmt) if std::ptr::eq(expr, &*for_stmt.iter) => {
                if let Expr::Name(name) = &*for_stmt.target {
                    self.taints.remove(name.id.as_str());
                }
                if for_stmt.is_async {
                    self.mark_awaited();
                }
            }
            // `if key in CACHE: return CACHE[key]`: the rest of the body
            // runs when the entry is missing (from when the `if` is done).
            Stmt::If(if_stmt) if std::ptr::eq(expr, &*if_stmt.test) => {
                if let Some((state, key, false)) = self.missing_of(id)
                    && if_stmt.elif_else_clauses.is_empty()
                    && if_stmt.body.last().is_some_and(|s| {
                        matches!(
                            s,
                            Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_)
                        )
                    })
                {
                    let (body, _) = self.checker.semantic.block_of(id);
                    let check =
                        self.check(&if_stmt.test, (state, key), Some(std::ptr::from_ref(body)));
                    self.rest_checks.push((id, check));
                }
            }
            _ => {}
        }
    }

    /// A block starts: the test of an `if` says an entry is missing in its
    /// body (`if key not in CACHE:`) or in its `else` (`if key in CACHE:`);
    /// an `async with` suspends on the way in.
    fn on_enter(&mut self, block: FlowBlock<'a>) {
        self.current = Some(block.stmt);
        let stmt = self.checker.semantic.statement(block.stmt);
        let mut pushed = false;
        match stmt {
            Stmt::If(if_stmt) => {
                let missing = self.missing_of(block.stmt);
                let applies = match missing {
                    Some((_, _, true)) => block.index == 0,
                    Some((_, _, false)) => {
                        block.index == 1 && if_stmt.elif_else_clauses[0].test.is_none()
                    }
                    None => false,
                };
                if applies && let Some((state, key, _)) = missing {
                    self.checks
                        .push(self.check(&if_stmt.test, (state, key), None));
                    pushed = true;
                }
            }
            Stmt::With(with) if with.is_async => self.mark_awaited(),
            _ => {}
        }
        self.pushed.push(pushed);
    }

    /// A block ends: the checks that held for the rest of it end, and so
    /// does the one its `if` pushed; an `async with` suspends on the way
    /// out.
    fn on_leave(&mut self, block: FlowBlock<'a>) {
        let end = std::ptr::from_ref(block.block);
        self.checks.retain(|c| c.rest_of != Some(end));
        if self.pushed.pop() == Some(true) {
            self.checks.pop();
        }
        if let Stmt::With(with) = self.checker.semantic.statement(block.stmt)
            && with.is_async
        {
            self.mark_awaited();
        }
    }

    fn report(&mut self, kind: FindingKind<'a>, state: &'a str, range: TextRange, stmt: &'a Stmt) {
        if self.under_lock() {
            return;
        }
        self.findings.push(Finding {
            kind,
            state,
            range,
            stmt,
            id: self.here(),
        });
    }

    fn mutating_calls(&mut self, facts: &ExprFacts<'a>, stmt: &'a Stmt) {
        for call in &facts.calls {
            if let Expr::Attribute(attr) = &*call.func
                && MUTATING_METHOD_SET.contains(attr.attr.id.as_str())
                && let Some(state) = self.state_root(&attr.value)
            {
                self.report(FindingKind::Mutation, state, call.range(), stmt);
            }
        }
    }

    /// Whether writing `state` from `value` (after reading the target itself
    /// first when `reads_target`) loses updates; returns where the read was.
    fn lost_update(&self, state: &'a str, value: &'a Expr, reads_target: bool) -> Option<StmtId> {
        let facts = expr_facts(&self.checker.semantic, value);
        let last_await = facts.awaits.iter().max().copied();
        if reads_target && last_await.is_some() {
            return Some(self.here());
        }
        for (read, at) in self.state_loads(&facts) {
            if read == state && last_await.is_some_and(|a| at < a) {
                return Some(self.here());
            }
        }
        for load in &facts.loads {
            if let Some(taint) = self.taints.get(load.id.as_str())
                && taint.state == state
                && self.is_local(load)
                && (taint.awaited || last_await.is_some_and(|a| load.start() < a))
            {
                return Some(taint.read);
            }
        }
        None
    }

    /// The test for a missing entry that this write of `state` acts on,
    /// when an `await` ran between the test and the store.
    fn check_then_act(
        &self,
        state: &str,
        target: &'a Expr,
        value: Option<&'a Expr>,
    ) -> Option<Check<'a>> {
        let key = match target {
            Expr::Name(_) | Expr::Attribute(_) if self.state_of_expr(target) == Some(state) => None,
            Expr::Subscript(sub) if self.state_of_expr(&sub.value) == Some(state) => {
                Some(&*sub.slice)
            }
            _ => return None,
        };
        let awaits_in_value =
            value.is_some_and(|v| !expr_facts(&self.checker.semantic, v).awaits.is_empty());
        self.checks
            .iter()
            .rev()
            .find(|check| {
                check.state == state
                    && match (check.key, key) {
                        (None, None) => true,
                        (Some(a), Some(b)) => ComparableExpr::from(a) == ComparableExpr::from(b),
                        _ => false,
                    }
                    && (check.awaited || awaits_in_value)
            })
            .cloned()
    }

    fn is_local(&self, name: &ast::ExprName) -> bool {
        self.checker
            .semantic
            .resolve_name(name.id.as_str(), self.scope, name.start())
            .is_some_and(|b| b.scope == self.scope)
    }

    /// Which state (if any) a value reads, directly or through a tainted
    /// local, and whether an `await` follows that read in the value.
    fn value_taint(&self, value: &'a Expr) -> Option<Taint<'a>> {
        let facts = expr_facts(&self.checker.semantic, value);
        let last_await = facts.awaits.iter().max().copied();
        if let Some(&(state, at)) = self.state_loads(&facts).first() {
            return Some(Taint {
                state,
                read: self.here(),
                awaited: last_await.is_some_and(|a| at < a),
            });
        }
        for load in &facts.loads {
            let after = last_await.is_some_and(|a| load.start() < a);
            if let Some(taint) = self.taints.get(load.id.as_str())
                && self.is_local(load)
            {
                let mut taint = taint.clone();
                taint.awaited |= after;
                return Some(taint);
            }
        }
        None
    }

    fn write(
        &mut self,
        target: &'a Expr,
        value: Option<&'a Expr>,
        reads_target: bool,
        stmt: &'a Stmt,
    ) {
        if let Some(state) = self.state_root(target) {
            let read = value.and_then(|v| self.lost_update(state, v, reads_target));
            // A check-then-act matters when the value that loses the race
            // owns something (an engine, a pool, a session, a task): the
            // overwritten one is never released. A memo of plain data, or
            // of a value the code does not show, only costs a duplicate
            // build: a keyed entry is judged as any other write (per-call
            // results, lost updates), a lazily set name is a memo.
            let mut check = self.check_then_act(state, target, value);
            if check.is_some()
                && !value.is_some_and(|v| self.checker.semantic.holds_resource(v, self.scope))
            {
                if read.is_none() && check.as_ref().is_some_and(|c| c.key.is_none()) {
                    return;
                }
                check = None;
            }
            let kind = match (check, read) {
                (Some(check), _) => FindingKind::CheckThenAct { check },
                (None, Some(read)) => FindingKind::LostUpdate { read },
                (None, None) => FindingKind::Mutation,
            };
            self.report(kind, state, stmt.range(), stmt);
            return;
        }
        // A local: track values read from shared state.
        if let Expr::Name(name) = target {
            let taint = value.and_then(|v| self.value_taint(v));
            let id = name.id.as_str();
            match taint {
                Some(taint) => {
                    self.taints.insert(id, taint);
                }
                None if !reads_target => {
                    self.taints.remove(id);
                }
                None => {}
            }
        }
    }

    fn simple(&mut self, stmt: &'a Stmt) {
        let mut facts = ExprFacts::default();
        self.checker
            .semantic
            .walk_scope(std::slice::from_ref(stmt), &mut facts);
        self.mutating_calls(&facts, stmt);
        let has_await = !facts.awaits.is_empty();
        match stmt {
            Stmt::Assign(assign) => {
                if has_await {
                    // Earlier reads are stale once this statement suspends.
                    self.mark_awaited_before();
                }
                for target in &assign.targets {
                    self.write(target, Some(&assign.value), false, stmt);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    if has_await {
                        self.mark_awaited_before();
                    }
                    self.write(&assign.target, Some(value), false, stmt);
                }
            }
            Stmt::AugAssign(assign) => {
                if has_await {
                    self.mark_awaited_before();
                }
                self.write(&assign.target, Some(&assign.value), true, stmt);
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    if let Some(state) = self.state_root(target) {
                        self.report(FindingKind::Mutation, state, stmt.range(), stmt);
                    }
                }
            }
            _ => {
                if has_await {
                    self.mark_awaited();
                }
            }
        }
    }

    /// An `await` in `value` suspends before the write: taints created
    /// earlier are stale by then. Taints read inside `value` itself are
    /// judged by `lost_update`/`value_taint` from positions, so only those
    /// from earlier statements are marked here.
    fn mark_awaited_before(&mut self) {
        let current = self.here();
        for taint in self.taints.values_mut() {
            if taint.read != current {
                taint.awaited = true;
            }
        }
        for check in &mut self.checks {
            check.awaited = true;
        }
    }
}

impl<'a> FlowAnalysis<'a> for FunctionWalker<'_, 'a> {
    type State = HashMap<&'a str, Taint<'a>>;

    fn state(&mut self) -> &mut Self::State {
        &mut self.taints
    }

    fn join(into: &mut Self::State, other: Self::State) {
        merge_taints(into, other);
    }

    /// A loop body runs again with what the previous iteration left, so a
    /// read late in one iteration and a write early in the next are seen.
    fn changed(before: &Self::State, after: &Self::State) -> bool {
        after.iter().any(|(name, taint)| {
            before
                .get(name)
                .is_none_or(|b| b.awaited != taint.awaited || b.read != taint.read)
        })
    }

    fn event(&mut self, event: FlowEvent<'a>) {
        match event {
            FlowEvent::Simple(id) => {
                self.current = Some(id);
                let stmt = self.checker.semantic.statement(id);
                if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                    self.simple(stmt);
                }
            }
            FlowEvent::Header(id, expr) => {
                self.current = Some(id);
                self.on_header(id, expr);
            }
            FlowEvent::EnterBlock(block) => self.on_enter(block),
            FlowEvent::LeaveBlock(block) => self.on_leave(block),
            FlowEvent::Done(id) => {
                if self.rest_checks.last().is_some_and(|(s, _)| *s == id)
                    && let Some((_, check)) = self.rest_checks.pop()
                {
                    self.checks.push(check);
                }
            }
        }
    }
}

/// Taints after alternative branches: a local read from state on any path
/// may hold a stale value afterwards.
fn merge_taints<'a>(merged: &mut HashMap<&'a str, Taint<'a>>, branch: HashMap<&'a str, Taint<'a>>) {
    for (name, taint) in branch {
        match merged.get_mut(name) {
            Some(existing) => existing.awaited |= taint.awaited,
            None => {
                merged.insert(name, taint);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Diagnostics and fixes.

fn build_diagnostic<'a>(
    checker: &Checker<'a>,
    states: &HashMap<&'a str, State<'a>>,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    finding: Finding<'a>,
    returned_by: Option<&str>,
) -> Diagnostic {
    let function = def.name.id.as_str();
    let state = finding.state;
    // No fix for `self.attr`: a module-level lock would serialise every
    // instance, and an instance lock needs a place to create it.
    let module_level = !is_attribute(state);
    let shared = if module_level {
        format!("module-level `{state}`")
    } else {
        format!("`{state}` (shared by concurrent calls on one instance)")
    };
    match &finding.kind {
        FindingKind::Mutation => {
            let returner = match returned_by {
                Some(name) if name != function => format!("`{name}` returns it"),
                _ => "it returns it".to_string(),
            };
            let message = format!(
                "`async def {function}` puts per-call results in module-level `{state}` and {returner} as its result: concurrent calls see each other's entries, and later calls stale ones"
            );
            let mut diagnostic = Diagnostic::new(&SharedMutableState::INFO, message, finding.range);
            if let Some(info) = states.get(state)
                && let Some(fix) =
                    fix_merge::return_and_merge_fix(checker, info, state, def, &finding)
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic
        }
        FindingKind::LostUpdate { read } => {
            let message = format!(
                "Lost update: `async def {function}` reads {shared}, awaits, then writes it from the stale value; concurrent calls overwrite each other's changes"
            );
            let mut diagnostic = Diagnostic::new(&SharedMutableState::INFO, message, finding.range);
            if module_level
                && let Some(fix) =
                    fix_lock::lock_fix(checker, state, scope, *read, finding.id, "read-await-write")
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic
        }
        FindingKind::CheckThenAct { check } => {
            let found = match check.key {
                Some(key) => format!(
                    "finds no entry for `{}` in {shared}, awaits, then stores one",
                    checker.text(key)
                ),
                None => format!("finds {shared} unset, awaits, then sets it"),
            };
            let message = format!(
                "Check-then-act across an `await`: `async def {function}` {found}; concurrent first calls each build one, and the values overwritten are never closed"
            );
            let mut diagnostic = Diagnostic::new(&SharedMutableState::INFO, message, finding.range);
            // Storing the task keeps builds of different keys concurrent;
            // the lock is the alternative wherever it applies.
            if module_level
                && let Some(info) = states.get(state)
                && let Some(fix) =
                    fix_task::store_task_fix(checker, info, state, scope, def, check, &finding)
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            if module_level
                && let Some(fix) = fix_lock::lock_fix(
                    checker,
                    state,
                    scope,
                    check.stmt,
                    finding.id,
                    "check and the store",
                )
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic
        }
    }
}
