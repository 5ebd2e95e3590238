//! CS002: module-level mutable state shared by concurrently run coroutines.

use std::collections::HashMap;

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rules::rule::FixAvailability;
use crate::semantic::scope_walk::{
    ScopeVisitor, is_type_checking_guard, walk_scope, walk_scope_expr,
};
use crate::semantic::{BindingKind, ScopeId};

declare_rule! {
    /// ## What it does
    /// Finds module-level mutable state (a dict, list, set, `defaultdict`,
    /// `deque`... bound at module level, or any name rebound through
    /// `global`) that is changed inside an `async def` which runs
    /// concurrently: one passed to `asyncio.gather`, `create_task`,
    /// `ensure_future`, `wait`, `as_completed` or `TaskGroup.create_task`
    /// anywhere in the module, or awaited by such a function.
    ///
    /// Two hazards are reported:
    /// 1. **State that outlives the call.** A coroutine that writes its
    ///    result into a module-level container shares it with every other
    ///    call: two concurrent `fetch_batch()` calls that both fill and
    ///    return the same module-level dict each return the other's entries,
    ///    and every later call sees stale ones.
    /// 2. **Lost updates** (reported with a stronger message). The state is
    ///    read, the coroutine awaits, and the state is then written from
    ///    what was read: `v = counter; await x; counter = v + 1`,
    ///    `counter += await f()` or `d[k] = d.get(k, 0) + await f()`. While
    ///    the coroutine is suspended another one updates the same state, and
    ///    the write then throws that update away.
    ///
    /// Not reported: writes to locals, read-only use of module constants,
    /// writes inside `async with` on an `asyncio.Lock`, `Condition`, or a
    /// `Semaphore`/`BoundedSemaphore` (one created with a value above 1
    /// does not exclude anything and does not count), and a module-level
    /// set used only to keep tasks alive (`tasks.add(task)` plus
    /// `task.add_done_callback(tasks.discard)`).
    ///
    /// Note that a single statement such as `results[k] = v` is *not* a race
    /// in asyncio: coroutines only switch at `await`, `async for` and
    /// `async with`, so a write without an `await` in between is atomic.
    /// Coroutines reached only through methods (`self.fetch()`) are not
    /// followed.
    ///
    /// ## Why is this bad?
    /// Module-level state lives as long as the process and is shared by
    /// every coroutine of every request. Results leak between unrelated
    /// calls, and read-modify-write sequences that span an `await` lose
    /// updates under load, silently and intermittently.
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
    /// And for a lost update:
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
    /// ## Fix safety
    /// Both fixes are unsafe: they change behaviour on purpose.
    ///
    /// *Return and merge* is offered when the coroutine's only effect on the
    /// container is one final `state[key] = value` or `state.append(value)`,
    /// the container is a plain `{}`/`dict()` or `[]`/`list()`, every call of
    /// the coroutine in the module is an argument of a plain
    /// `await asyncio.gather(...)` statement, and every other use of the
    /// container comes after that statement in the gathering function.
    /// The coroutine then returns its entry, each gathering function builds
    /// a local container from the gathered results, and the module-level
    /// container is removed. Callers outside the module, and code relying on
    /// entries of earlier calls, see the difference.
    ///
    /// *Lock* creates a module-level `<state>_lock = asyncio.Lock()` (one per
    /// state; later fixes reuse it) and wraps the statements from the read to
    /// the write in `async with <state>_lock:`. It serialises those sections,
    /// which can slow a hot path, and is not offered when the wrapped code
    /// calls a function of the module that uses the same state (an
    /// `asyncio.Lock` is not re-entrant). It is only offered for Python
    /// 3.10 and later: before 3.10 a lock created at import time is bound
    /// to the wrong event loop and fails once contended under
    /// `asyncio.run`.
    pub struct SharedMutableState {
        code: "CS002",
        name: "shared-mutable-state",
        summary: "Module-level mutable state changed by concurrently run coroutines",
        fixes: FixAvailability::UNSAFE,
    }
}

/// Methods that change a container in place.
const MUTATING_METHODS: &[&str] = &[
    "append",
    "extend",
    "add",
    "update",
    "pop",
    "popitem",
    "setdefault",
    "clear",
    "remove",
    "discard",
    "insert",
    "appendleft",
    "extendleft",
    "popleft",
    "sort",
    "reverse",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

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

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    let states = collect_states(checker);
    if states.is_empty() {
        return;
    }
    for (scope, def) in concurrent_functions(checker) {
        let mut walker = FunctionWalker {
            checker,
            scope,
            states: &states,
            lock_depth: 0,
            path: Vec::new(),
            taints: HashMap::new(),
            findings: Vec::new(),
        };
        walker.walk_body(&def.body);
        let findings = std::mem::take(&mut walker.findings);
        for finding in findings {
            diagnostics.push(build_diagnostic(checker, &states, scope, def, finding));
        }
    }
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
    let function_ranges: Vec<TextRange> = semantic.functions().map(|(_, d)| d.range()).collect();
    for (_, def) in semantic.functions() {
        candidates.extend(global_names(&def.body));
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
        let rebound_in_function = bindings
            .iter()
            .any(|b| function_ranges.iter().any(|r| r.contains_range(b.range)));
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
        let definition = if bindings.len() == 1 {
            checker.body().iter().find(|s| {
                matches!(s, Stmt::Assign(a) if a.targets.len() == 1)
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
                .qualified_name(&call.func, ScopeId::MODULE)?;
            if !MUTABLE_FACTORIES.contains(&qualified.as_str()) {
                return None;
            }
            let empty = call.arguments.is_empty();
            Some(match qualified.as_str() {
                "builtins.dict" if empty => Container::PlainDict,
                "builtins.list" if empty => Container::PlainList,
                _ => Container::Other,
            })
        }
        _ => None,
    }
}

/// Every load of a module-level `name` anywhere in the module.
fn module_references<'a>(checker: &Checker<'a>, name: &str) -> Vec<TextRange> {
    let semantic = &checker.semantic;
    semantic
        .references()
        .iter()
        .filter(|r| {
            r.name == name
                && semantic
                    .resolve_name(name, r.scope, r.range.start())
                    .is_some_and(|b| b.scope == ScopeId::MODULE)
        })
        .map(|r| r.range)
        .collect()
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
                        .qualified_name(&call.func, ScopeId::MODULE)
                        .is_some_and(|q| q == "builtins.set")
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

    let mut found: Vec<&'a ast::StmtFunctionDef> = Vec::new();
    for (scope, body) in &bodies {
        let mut spawns = SpawnFinder {
            checker,
            scope: *scope,
            args: Vec::new(),
        };
        walk_scope(body, &mut spawns);
        for arg in spawns.args {
            collect_async_refs(checker, arg, *scope, body, 0, &mut found);
        }
    }
    // Coroutines awaited by concurrent ones run concurrently too.
    let mut index = 0;
    while index < found.len() {
        let def = found[index];
        index += 1;
        let Some(scope) = semantic.function_scope(def) else {
            continue;
        };
        for callee in called_functions(checker, scope, &def.body) {
            if callee.is_async && !found.iter().any(|d| d.range() == callee.range()) {
                found.push(callee);
            }
        }
    }
    let mut result: Vec<_> = found
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

struct SpawnFinder<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    args: Vec<&'a Expr>,
}

impl<'a> ScopeVisitor<'a> for SpawnFinder<'_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        let Expr::Call(call) = expr else { return };
        let spawns = self
            .checker
            .semantic
            .qualified_name(&call.func, self.scope)
            .is_some_and(|q| SPAWNERS.contains(&q.as_str()))
            || matches!(&*call.func, Expr::Attribute(attr)
                if SPAWN_METHODS.contains(&attr.attr.id.as_str()));
        if spawns {
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
    depth: u8,
    found: &mut Vec<&'a ast::StmtFunctionDef>,
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
    let mut names = Names(Vec::new());
    walk_scope_expr(expr, &mut names);
    for name in names.0 {
        let id = name.id.as_str();
        let Some(binding) = checker.semantic.resolve_name(id, scope, name.start()) else {
            continue;
        };
        match binding.kind {
            BindingKind::FunctionDef(def)
                if def.is_async && !found.iter().any(|d| d.range() == def.range()) =>
            {
                found.push(def);
            }
            BindingKind::Assignment { value } if binding.scope == scope => {
                if let Some(value) = value {
                    collect_async_refs(checker, value, scope, body, depth + 1, found);
                }
                // `tasks.append(fetch(x))` elsewhere in the scope.
                struct Appends<'a> {
                    name: &'a str,
                    args: Vec<&'a Expr>,
                }
                impl<'a> ScopeVisitor<'a> for Appends<'a> {
                    fn expr(&mut self, expr: &'a Expr) {
                        if let Expr::Call(call) = expr
                            && let Expr::Attribute(attr) = &*call.func
                            && matches!(
                                attr.attr.id.as_str(),
                                "append" | "extend" | "add" | "insert"
                            )
                            && matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == self.name)
                        {
                            self.args.extend(call.arguments.args.iter());
                        }
                    }
                }
                let mut appends = Appends {
                    name: binding.name,
                    args: Vec::new(),
                };
                walk_scope(body, &mut appends);
                for arg in appends.args {
                    collect_async_refs(checker, arg, scope, body, depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

/// The functions a body calls by name (`helper(...)`), resolved.
fn called_functions<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    body: &'a [Stmt],
) -> Vec<&'a ast::StmtFunctionDef> {
    struct Calls<'c, 'a> {
        checker: &'c Checker<'a>,
        scope: ScopeId,
        found: Vec<&'a ast::StmtFunctionDef>,
    }
    impl<'a> ScopeVisitor<'a> for Calls<'_, 'a> {
        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Name(name) = &*call.func
                && let Some(binding) =
                    self.checker
                        .semantic
                        .resolve_name(name.id.as_str(), self.scope, name.start())
                && let BindingKind::FunctionDef(def) = binding.kind
            {
                self.found.push(def);
            }
        }
    }
    let mut calls = Calls {
        checker,
        scope,
        found: Vec::new(),
    };
    walk_scope(body, &mut calls);
    calls.found
}

/// The names a function body declares `global`.
fn global_names(body: &[Stmt]) -> Vec<&str> {
    struct Globals<'a>(Vec<&'a str>);
    impl<'a> ScopeVisitor<'a> for Globals<'a> {
        fn stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Global(global) = stmt {
                self.0.extend(global.names.iter().map(|n| n.id.as_str()));
            }
        }
    }
    let mut globals = Globals(Vec::new());
    walk_scope(body, &mut globals);
    globals.0
}

// ---------------------------------------------------------------------------
// Finding mutations and lost updates in one coroutine.

/// Where a statement sits: the bodies and indices leading to it.
type StmtPath<'a> = Vec<(&'a [Stmt], usize)>;

#[derive(Debug, Clone)]
struct Taint<'a> {
    state: &'a str,
    read: StmtPath<'a>,
    awaited: bool,
}

#[derive(Debug)]
enum FindingKind<'a> {
    Mutation,
    LostUpdate { read: StmtPath<'a> },
}

#[derive(Debug)]
struct Finding<'a> {
    kind: FindingKind<'a>,
    state: &'a str,
    range: TextRange,
    /// The statement that writes.
    stmt: &'a Stmt,
    path: StmtPath<'a>,
}

struct FunctionWalker<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    states: &'c HashMap<&'a str, State<'a>>,
    lock_depth: usize,
    path: StmtPath<'a>,
    /// Locals holding a value read from shared state.
    taints: HashMap<&'a str, Taint<'a>>,
    findings: Vec<Finding<'a>>,
}

/// Loads, awaits and mutating calls in some code of one scope.
#[derive(Default)]
struct ExprFacts<'a> {
    loads: Vec<&'a ast::ExprName>,
    awaits: Vec<TextSize>,
    calls: Vec<&'a ast::ExprCall>,
}

impl<'a> ScopeVisitor<'a> for ExprFacts<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ExprContext::Load => self.loads.push(name),
            Expr::Await(await_) => self.awaits.push(await_.start()),
            Expr::Call(call) => self.calls.push(call),
            _ => {}
        }
    }
}

fn expr_facts(expr: &Expr) -> ExprFacts<'_> {
    let mut facts = ExprFacts::default();
    walk_scope_expr(expr, &mut facts);
    facts
}

/// The name at the root of `a`, `a[k]`, `a.b[k].c`.
fn root_name(expr: &Expr) -> Option<&ast::ExprName> {
    match expr {
        Expr::Name(name) => Some(name),
        Expr::Subscript(sub) => root_name(&sub.value),
        Expr::Attribute(attr) => root_name(&attr.value),
        _ => None,
    }
}

impl<'c, 'a> FunctionWalker<'c, 'a> {
    /// The shared state a name refers to, if it does.
    fn state_of(&self, name: &ast::ExprName) -> Option<&'a str> {
        let (&id, _) = self.states.get_key_value(name.id.as_str())?;
        self.checker
            .semantic
            .resolve_name(id, self.scope, name.start())
            .is_some_and(|b| b.scope == ScopeId::MODULE)
            .then_some(id)
    }

    fn walk_body(&mut self, body: &'a [Stmt]) {
        for (index, stmt) in body.iter().enumerate() {
            self.path.push((body, index));
            self.walk_stmt(stmt);
            self.path.pop();
        }
    }

    fn mark_awaited(&mut self) {
        for taint in self.taints.values_mut() {
            taint.awaited = true;
        }
    }

    /// A header expression of a compound statement.
    fn header(&mut self, expr: &'a Expr, stmt: &'a Stmt) {
        let facts = expr_facts(expr);
        self.mutating_calls(&facts, stmt);
        if !facts.awaits.is_empty() {
            self.mark_awaited();
        }
    }

    fn walk_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::If(if_stmt) => {
                let runs = !is_type_checking_guard(&if_stmt.test);
                if runs {
                    self.header(&if_stmt.test, stmt);
                }
                let before = self.taints.clone();
                let mut merged = HashMap::new();
                if runs {
                    self.walk_body(&if_stmt.body);
                    merge_taints(
                        &mut merged,
                        std::mem::replace(&mut self.taints, before.clone()),
                    );
                }
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.header(test, stmt);
                    }
                    self.walk_body(&clause.body);
                    merge_taints(
                        &mut merged,
                        std::mem::replace(&mut self.taints, before.clone()),
                    );
                }
                let has_else = if_stmt
                    .elif_else_clauses
                    .last()
                    .is_some_and(|c| c.test.is_none());
                if !has_else {
                    merge_taints(&mut merged, before);
                }
                self.taints = merged;
            }
            Stmt::With(with) => {
                let mut guard = false;
                for item in &with.items {
                    self.header(&item.context_expr, stmt);
                    guard |= with.is_async && self.is_lock(&item.context_expr);
                }
                if with.is_async {
                    self.mark_awaited();
                }
                if guard {
                    self.lock_depth += 1;
                }
                self.walk_body(&with.body);
                if guard {
                    self.lock_depth -= 1;
                }
                if with.is_async {
                    self.mark_awaited();
                }
            }
            Stmt::For(for_stmt) => {
                self.header(&for_stmt.iter, stmt);
                if let Expr::Name(name) = &*for_stmt.target {
                    self.taints.remove(name.id.as_str());
                }
                if for_stmt.is_async {
                    self.mark_awaited();
                }
                self.walk_body(&for_stmt.body);
                self.walk_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.header(&while_stmt.test, stmt);
                self.walk_body(&while_stmt.body);
                self.walk_body(&while_stmt.orelse);
            }
            Stmt::Try(try_stmt) => {
                self.walk_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.walk_body(&handler.body);
                }
                self.walk_body(&try_stmt.orelse);
                self.walk_body(&try_stmt.finalbody);
            }
            Stmt::Match(match_stmt) => {
                self.header(&match_stmt.subject, stmt);
                let before = self.taints.clone();
                let mut merged = HashMap::new();
                for case in &match_stmt.cases {
                    self.walk_body(&case.body);
                    merge_taints(
                        &mut merged,
                        std::mem::replace(&mut self.taints, before.clone()),
                    );
                }
                merge_taints(&mut merged, before);
                self.taints = merged;
            }
            _ => self.simple(stmt),
        }
    }

    /// `async with` on an `asyncio.Lock`, `Condition` or a one-slot
    /// `Semaphore`.
    fn is_lock(&self, expr: &'a Expr) -> bool {
        let semantic = &self.checker.semantic;
        let Some((call, scope)) = semantic.call_behind(expr, self.scope) else {
            return false;
        };
        let Some(qualified) = semantic.qualified_name(&call.func, scope) else {
            return false;
        };
        match qualified.as_str() {
            "asyncio.Lock" | "asyncio.Condition" => true,
            "asyncio.Semaphore" | "asyncio.BoundedSemaphore" => {
                let value = call
                    .arguments
                    .args
                    .first()
                    .or_else(|| call.arguments.find_keyword("value").map(|k| &k.value));
                !matches!(value, Some(Expr::NumberLiteral(ast::ExprNumberLiteral {
                    value: ast::Number::Int(n), ..
                })) if n.as_u64().is_none_or(|n| n > 1))
            }
            _ => false,
        }
    }

    fn report(&mut self, kind: FindingKind<'a>, state: &'a str, range: TextRange, stmt: &'a Stmt) {
        if self.lock_depth > 0 {
            return;
        }
        self.findings.push(Finding {
            kind,
            state,
            range,
            stmt,
            path: self.path.clone(),
        });
    }

    fn mutating_calls(&mut self, facts: &ExprFacts<'a>, stmt: &'a Stmt) {
        for call in &facts.calls {
            if let Expr::Attribute(attr) = &*call.func
                && MUTATING_METHODS.contains(&attr.attr.id.as_str())
                && let Some(root) = root_name(&attr.value)
                && let Some(state) = self.state_of(root)
            {
                self.report(FindingKind::Mutation, state, call.range(), stmt);
            }
        }
    }

    /// Whether writing `state` from `value` (after reading the target itself
    /// first when `reads_target`) loses updates; returns where the read was.
    fn lost_update(
        &self,
        state: &'a str,
        value: &'a Expr,
        reads_target: bool,
    ) -> Option<StmtPath<'a>> {
        let facts = expr_facts(value);
        let last_await = facts.awaits.iter().max().copied();
        if reads_target && last_await.is_some() {
            return Some(self.path.clone());
        }
        for load in &facts.loads {
            if self.state_of(load) == Some(state) && last_await.is_some_and(|a| load.start() < a) {
                return Some(self.path.clone());
            }
            if let Some(taint) = self.taints.get(load.id.as_str())
                && taint.state == state
                && self.is_local(load)
                && (taint.awaited || last_await.is_some_and(|a| load.start() < a))
            {
                return Some(taint.read.clone());
            }
        }
        None
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
        let facts = expr_facts(value);
        let last_await = facts.awaits.iter().max().copied();
        for load in &facts.loads {
            let after = last_await.is_some_and(|a| load.start() < a);
            if let Some(state) = self.state_of(load) {
                return Some(Taint {
                    state,
                    read: self.path.clone(),
                    awaited: after,
                });
            }
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
        let Some(root) = root_name(target) else {
            return;
        };
        if let Some(state) = self.state_of(root) {
            let read = value.and_then(|v| self.lost_update(state, v, reads_target));
            let kind = match read {
                Some(read) => FindingKind::LostUpdate { read },
                None => FindingKind::Mutation,
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
        walk_scope(std::slice::from_ref(stmt), &mut facts);
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
                    if let Some(root) = root_name(target)
                        && let Some(state) = self.state_of(root)
                    {
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
        let current = self.path.clone();
        for taint in self.taints.values_mut() {
            if !same_path(&taint.read, &current) {
                taint.awaited = true;
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

fn same_path(a: &StmtPath, b: &StmtPath) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ba, ia), (bb, ib))| std::ptr::eq(*ba, *bb) && ia == ib)
}

// ---------------------------------------------------------------------------
// Diagnostics and fixes.

fn build_diagnostic<'a>(
    checker: &Checker<'a>,
    states: &HashMap<&'a str, State<'a>>,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    finding: Finding<'a>,
) -> Diagnostic {
    let function = def.name.id.as_str();
    let state = finding.state;
    match &finding.kind {
        FindingKind::Mutation => {
            let message = format!(
                "`async def {function}` mutates module-level `{state}`, which every concurrent call shares and which outlives each call"
            );
            let mut diagnostic = Diagnostic::new(&SharedMutableState::INFO, message, finding.range);
            if let Some(info) = states.get(state)
                && let Some(fix) = return_and_merge_fix(checker, info, state, def, &finding)
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic
        }
        FindingKind::LostUpdate { read } => {
            let message = format!(
                "Lost update: `async def {function}` reads module-level `{state}`, awaits, then writes it from the stale value; concurrent calls overwrite each other's changes"
            );
            let mut diagnostic = Diagnostic::new(&SharedMutableState::INFO, message, finding.range);
            if let Some(fix) = lock_fix(checker, state, scope, read, &finding.path) {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic
        }
    }
}

/// The entry a coroutine writes: `state[key] = value` gives `(key, value)`,
/// `state.append(value)` gives `value`.
enum Entry<'a> {
    Keyed { key: &'a Expr, value: &'a Expr },
    Item(&'a Expr),
}

fn own_entry<'a>(stmt: &'a Stmt, state: &str) -> Option<(Entry<'a>, &'a ast::ExprName)> {
    match stmt {
        Stmt::Assign(assign) if assign.targets.len() == 1 => {
            let Expr::Subscript(sub) = &assign.targets[0] else {
                return None;
            };
            let Expr::Name(root) = &*sub.value else {
                return None;
            };
            if root.id.as_str() != state || sub.slice.is_slice_expr() {
                return None;
            }
            Some((
                Entry::Keyed {
                    key: &sub.slice,
                    value: &assign.value,
                },
                root,
            ))
        }
        Stmt::Expr(expr) => {
            let Expr::Call(call) = &*expr.value else {
                return None;
            };
            let Expr::Attribute(attr) = &*call.func else {
                return None;
            };
            let Expr::Name(root) = &*attr.value else {
                return None;
            };
            if root.id.as_str() != state
                || attr.attr.id.as_str() != "append"
                || call.arguments.args.len() != 1
                || !call.arguments.keywords.is_empty()
                || call.arguments.args[0].is_starred_expr()
            {
                return None;
            }
            Some((Entry::Item(&call.arguments.args[0]), root))
        }
        _ => None,
    }
}

/// The source of `expr` as one element of a `return a, b` tuple.
fn element_text(checker: &Checker, expr: &Expr) -> String {
    let text = checker.text(expr);
    let needs_parens = match expr {
        Expr::Tuple(tuple) => !tuple.parenthesized,
        Expr::Named(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => true,
        _ => false,
    };
    if needs_parens {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// `await asyncio.gather(...)` statements whose every argument calls `coroutine`.
struct GatherSite<'a> {
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    stmt: &'a Stmt,
}

fn calls_coroutine(
    checker: &Checker,
    expr: &Expr,
    scope: ScopeId,
    coroutine: &ast::StmtFunctionDef,
) -> bool {
    let Expr::Call(call) = expr else { return false };
    let Expr::Name(name) = &*call.func else {
        return false;
    };
    checker
        .semantic
        .resolve_name(name.id.as_str(), scope, name.start())
        .is_some_and(
            |b| matches!(b.kind, BindingKind::FunctionDef(d) if d.range() == coroutine.range()),
        )
}

fn gather_site<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    stmt: &'a Stmt,
    coroutine: &ast::StmtFunctionDef,
) -> bool {
    let Stmt::Expr(expr) = stmt else { return false };
    let Expr::Await(await_) = &*expr.value else {
        return false;
    };
    let Expr::Call(call) = &*await_.value else {
        return false;
    };
    if checker
        .semantic
        .qualified_name(&call.func, scope)
        .is_none_or(|q| q != "asyncio.gather")
        || !call.arguments.keywords.is_empty()
        || call.arguments.args.is_empty()
    {
        return false;
    }
    call.arguments.args.iter().all(|arg| match arg {
        Expr::Starred(starred) => match &*starred.value {
            Expr::ListComp(comp) => calls_coroutine(checker, &comp.elt, scope, coroutine),
            Expr::Generator(comp) => calls_coroutine(checker, &comp.elt, scope, coroutine),
            _ => false,
        },
        other => calls_coroutine(checker, other, scope, coroutine),
    })
}

fn return_and_merge_fix<'a>(
    checker: &Checker<'a>,
    info: &State<'a>,
    state: &'a str,
    def: &'a ast::StmtFunctionDef,
    finding: &Finding<'a>,
) -> Option<CodeFix> {
    let semantic = &checker.semantic;
    if info.rebound_in_function {
        return None;
    }
    let definition = info.definition?;
    if !checker.fixer().is_own_lines(definition) {
        return None;
    }
    // The write is the coroutine's last statement, at its top level.
    if finding.path.len() != 1
        || !def
            .body
            .last()
            .is_some_and(|s| std::ptr::eq(s, finding.stmt))
    {
        return None;
    }
    let (entry, root) = own_entry(finding.stmt, state)?;
    match (&entry, info.container) {
        (Entry::Keyed { .. }, Container::PlainDict) | (Entry::Item(_), Container::PlainList) => {}
        _ => return None,
    }
    // The coroutine returns nothing yet.
    struct Returns(bool);
    impl<'a> ScopeVisitor<'a> for Returns {
        fn stmt(&mut self, stmt: &'a Stmt) {
            self.0 |= matches!(stmt, Stmt::Return(_));
        }
        fn expr(&mut self, expr: &'a Expr) {
            self.0 |= matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_));
        }
    }
    let mut returns = Returns(false);
    walk_scope(&def.body, &mut returns);
    if returns.0 {
        return None;
    }
    let annotation_edit = match def.returns.as_deref() {
        None => None,
        Some(Expr::NoneLiteral(none)) => Some(Edit::range_deletion(TextRange::new(
            def.parameters.end(),
            none.end(),
        ))),
        Some(_) => return None,
    };

    // Every use of the coroutine is an argument of a gather statement at the
    // top level of some function, one per function.
    let mut sites: Vec<GatherSite<'a>> = Vec::new();
    for (g_scope, g_def) in semantic.functions() {
        for stmt in &g_def.body {
            if gather_site(checker, g_scope, stmt, def) {
                if sites.iter().any(|s| s.scope == g_scope) {
                    return None;
                }
                sites.push(GatherSite {
                    scope: g_scope,
                    def: g_def,
                    stmt,
                });
            }
        }
    }
    if sites.is_empty() {
        return None;
    }
    let coroutine_refs = semantic.references().iter().filter(|r| {
        r.name == def.name.id.as_str()
            && semantic
                .resolve_name(r.name, r.scope, r.range.start())
                .is_some_and(
                    |b| matches!(b.kind, BindingKind::FunctionDef(d) if d.range() == def.range()),
                )
    });
    for reference in coroutine_refs {
        if !sites
            .iter()
            .any(|s| s.stmt.range().contains_range(reference.range))
        {
            return None;
        }
    }
    // The state is only written here and read after the gathers.
    let mut read_after = vec![false; sites.len()];
    for reference in module_references(checker, state) {
        if reference == root.range() {
            continue;
        }
        let index = sites
            .iter()
            .position(|s| s.def.range().contains_range(reference))?;
        if reference.start() < sites[index].stmt.end() {
            return None;
        }
        read_after[index] = true;
    }
    if read_after.contains(&false) {
        return None;
    }
    // No `global state` in a gathering function, and `dict` is the builtin.
    for site in &sites {
        if global_names(&site.def.body).contains(&state) {
            return None;
        }
        if matches!(entry, Entry::Keyed { .. })
            && semantic
                .resolve_name("dict", site.scope, site.stmt.start())
                .is_some()
        {
            return None;
        }
    }

    let mut edits = Vec::new();
    let returned = match &entry {
        Entry::Keyed { key, value } => format!(
            "return {}, {}",
            element_text(checker, key),
            element_text(checker, value)
        ),
        Entry::Item(value) => format!("return {}", element_text(checker, value)),
    };
    edits.push(Edit::range_replacement(returned, finding.stmt.range()));
    edits.extend(annotation_edit);
    for site in &sites {
        match entry {
            Entry::Keyed { .. } => {
                edits.push(Edit::insertion(
                    format!("{state} = dict("),
                    site.stmt.start(),
                ));
                edits.push(Edit::insertion(")".to_string(), site.stmt.end()));
            }
            Entry::Item(_) => {
                edits.push(Edit::insertion(format!("{state} = "), site.stmt.start()));
            }
        }
    }
    edits.push(Edit::range_deletion(definition_lines(checker, definition)));
    let gatherers: Vec<String> = sites
        .iter()
        .map(|s| format!("`{}`", s.def.name.id.as_str()))
        .collect();
    Some(CodeFix::unsafe_(
        format!(
            "Return the entry from `{}` and build `{state}` locally in {}",
            def.name.id.as_str(),
            gatherers.join(", ")
        ),
        edits,
    ))
}

/// The lines of a module-level statement to delete, with the blank lines
/// before it when a blank line follows (so the spacing around stays as it
/// was).
fn definition_lines(checker: &Checker, stmt: &Stmt) -> TextRange {
    let source = checker.source;
    let mut start = source.line_start(stmt.start());
    let end = source.full_line_end(stmt.end());
    let next_blank = source[end.to_usize()..]
        .split_inclusive('\n')
        .next()
        .is_none_or(|line| line.trim().is_empty());
    if next_blank {
        while start > TextSize::default() {
            // Step back over the whole line ending (`\r\n` is one).
            let ending = if source[..start.to_usize()].ends_with("\r\n") {
                2
            } else {
                1
            };
            let previous = source.line_start(start - TextSize::from(ending));
            if !source[TextRange::new(previous, start)].trim().is_empty() {
                break;
            }
            start = previous;
        }
    }
    TextRange::new(start, end)
}

/// The statements to wrap: from the read to the write, in the innermost body
/// that holds both.
fn wrap_span<'a>(read: &StmtPath<'a>, write: &StmtPath<'a>) -> Option<&'a [Stmt]> {
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

fn lock_fix<'a>(
    checker: &Checker<'a>,
    state: &'a str,
    scope: ScopeId,
    read: &StmtPath<'a>,
    write: &StmtPath<'a>,
) -> Option<CodeFix> {
    if !checker.settings.target_version.at_least(10) {
        return None;
    }
    let semantic = &checker.semantic;
    let span = wrap_span(read, write)?;
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
    let callees = called_functions(checker, scope, span);
    let mentions = |range: TextRange, names: &[&str]| {
        semantic
            .references()
            .iter()
            .any(|r| names.contains(&r.name) && range.contains_range(r.range))
    };
    if mentions(wrapped, &[&lock]) || callees.iter().any(|d| mentions(d.range(), &[state, &lock])) {
        return None;
    }

    let mut edits = Vec::new();
    if existing_lock(checker, state).is_none() {
        edits.extend(import.clone());
        let creation = format!("{lock} = {asyncio}.Lock()");
        let after_import = |stmt: &Stmt| match &import {
            Some(_) => semantic
                .module_imports
                .last()
                .is_none_or(|i| i.end() <= stmt.start()),
            None => semantic
                .bindings_in_scope(&asyncio, ScopeId::MODULE)
                .next()
                .is_some_and(|b| b.range.end() <= stmt.start()),
        };
        let definition = checker.body().iter().find(|s| {
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
        format!(
            "Guard the read-await-write with `async with {lock}:` (a module-level `{asyncio}.Lock()`)"
        ),
        edits,
    ))
}

/// A module-level `NAME = asyncio.Lock()` made for `state` by an earlier fix
/// (`state_lock`, `state_lock_1`...), and never bound to anything else (a
/// rebound name would not guard what the fix wraps, and the fix would be
/// offered again and again).
fn existing_lock<'a>(checker: &Checker<'a>, state: &str) -> Option<(String, &'a Stmt)> {
    let base = format!("{state}_lock");
    checker.body().iter().find_map(|stmt| {
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
                .qualified_name(&call.func, ScopeId::MODULE)
                .is_some_and(|q| q == "asyncio.Lock"))
        .then(|| (id.to_string(), stmt))
    })
}

/// Replaces the lines of `span` with `async with lock:` and the same lines
/// indented one level deeper (lines inside multi-line strings keep their text).
fn wrap_edit(checker: &Checker, span: &[Stmt], lock: &str) -> Edit {
    let first = &span[0];
    let last = &span[span.len() - 1];
    let lines = crate::fix::indent::full_lines(checker, TextRange::new(first.start(), last.end()));
    let indentation = checker.fixer().line_indentation(first.start());
    let body = crate::fix::indent::reindent(checker, lines, "", checker.fixer().indent_unit(), &[]);
    Edit::range_replacement(format!("{indentation}async with {lock}:\n{body}"), lines)
}
