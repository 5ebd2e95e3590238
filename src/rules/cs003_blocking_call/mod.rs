//! CS003: blocking calls inside `async def`.
//!
//! What blocks is data, in [`catalogue`]. This module finds the
//! calls: catalogue functions resolved through imports and aliases, methods
//! of objects whose kind is known from how they were made
//! (`s = requests.Session()`, `with conn.cursor() as cur:`), and calls of sync
//! helpers of the same module that reach a blocking call through any number
//! of other sync helpers.

pub mod catalogue;
pub mod requests_to_aiohttp;

use std::cell::OnceCell;
use std::collections::{HashMap, VecDeque};

use ruff_diagnostics::Edit;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rules::rule::FixAvailability;
use crate::semantic::scope_walk::{ScopeVisitor, walk_scope};
use crate::semantic::{BindingKind, ScopeId};
use catalogue::{Entry, Fix, Target};
use requests_to_aiohttp::requests_to_aiohttp_fix;

declare_rule! {
    /// ## What it does
    /// Finds calls that block the thread made directly inside an `async def`.
    /// Names are resolved through imports and aliases, so
    /// `from time import sleep as pause; pause(1)` is found too. Calls inside
    /// a nested plain `def` or a `lambda` are not reported: they run wherever
    /// they are called (often `asyncio.to_thread`). Passing a blocking
    /// function to `asyncio.to_thread(time.sleep, 1)` or
    /// `loop.run_in_executor(None, requests.get, url)` is not a call of it.
    ///
    /// The catalogue:
    /// - sleeping: `time.sleep`;
    /// - HTTP: `requests.get/post/put/patch/delete/head/options/request` and
    ///   the same methods (plus `send`) of a `requests.Session()`;
    ///   `urllib.request.urlopen` and `urlretrieve`;
    ///   `http.client.HTTPConnection`/`HTTPSConnection` `connect`, `request`
    ///   and `getresponse`; `urllib3.request` and the `request`, `urlopen`,
    ///   `request_encode_url` and `request_encode_body` methods of
    ///   `urllib3.PoolManager` and connection pools; the sync `httpx`
    ///   functions (`httpx.get/post/.../request`, `httpx.stream`) and the same
    ///   methods (plus `send`) of an `httpx.Client`;
    /// - databases: `psycopg2.connect`, `psycopg.connect` (and
    ///   `psycopg.Connection.connect`), `pymysql.connect`,
    ///   `MySQLdb.connect`, `sqlite3.connect`, and `execute`, `executemany`,
    ///   `executescript`, `callproc`, `query`, `fetch*` (`fetchone`,
    ///   `fetchmany`, `fetchall`), `commit` and `rollback` on the connections
    ///   and cursors obtained from them;
    /// - processes: `subprocess.run/call/check_call/check_output/getoutput/getstatusoutput`,
    ///   `subprocess.Popen(...).wait()` and `.communicate()`, `os.system`,
    ///   `os.popen`, `os.wait`, `os.waitpid`, `os.wait3`, `os.wait4`,
    ///   `os.waitid`;
    /// - files and the console: `open`, `io.open`, the `pathlib.Path`
    ///   methods `open`, `read_text`, `read_bytes`, `write_text` and
    ///   `write_bytes`, `input`.
    ///
    /// Methods are recognised on objects whose origin is visible: bound in
    /// the function (or at module level) from one of the calls above, by
    /// assignment or `with ... as`, or called on it directly
    /// (`requests.Session().get(url)`). A parameter named `cursor` is not
    /// assumed to be a database cursor.
    ///
    /// A sync function of the same module that performs one of these calls,
    /// directly or through other sync functions of the module (any depth,
    /// recursion included), blocks too when it is called from async code;
    /// the message shows the chain, such as `load_config() -> open()`.
    /// Helpers with decorators other than `functools.cache`/`lru_cache` are
    /// not followed (a decorator may turn them into anything), nor are
    /// methods called through `self`.
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
    /// import requests
    ///
    /// async def poll(url):
    ///     time.sleep(1)
    ///     return requests.get(url, timeout=5)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    /// import time
    /// import requests
    ///
    /// async def poll(url):
    ///     await asyncio.sleep(1)
    ///     return await asyncio.to_thread(requests.get, url, timeout=5)
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `time.sleep(x)` with `await asyncio.sleep(x)` is safe: the
    /// coroutine still waits `x` seconds, and only other coroutines' ability
    /// to run meanwhile changes. `import asyncio` is added when missing.
    ///
    /// Any other blocking call `f(*args, **kwargs)`, and a call of a blocking
    /// helper, becomes `await asyncio.to_thread(f, *args, **kwargs)` (with a
    /// target version before Python 3.9: `await
    /// loop.run_in_executor(None, f, *args)`, with `functools.partial` when
    /// there are keyword arguments). This fix is unsafe: the call behaves the
    /// same but runs in a worker thread, so thread-affine objects (thread
    /// locals, objects that check which thread uses them) behave differently,
    /// and other coroutines now run while it waits. `sqlite3` connections and
    /// cursors refuse to be used from another thread, so calls on them, and
    /// `sqlite3.connect`, get no fix; neither do `httpx.stream` (the request
    /// happens when the block is entered) and `os.popen` (the reads block).
    /// No fix is offered inside a generator expression, where `await` would
    /// turn it into an async generator.
    ///
    /// A `requests` call (`get`, `post`, `put`, `patch`, `delete`, `head`,
    /// `options`, `request`) whose response is bound to a name and only used
    /// in ways aiohttp can spell gets a first, preferred fix (also unsafe): it
    /// becomes a request on the module's shared `aiohttp.ClientSession`, the
    /// lazily-created accessor CS004 uses (added once per module, closed by
    /// the FastAPI/Starlette lifespan or aiohttp cleanup when the module
    /// defines an app, otherwise the fix title says to call the close
    /// function at shutdown). The statements that use the response move under
    /// `async with session.get(...) as r:`, so it is released on every path:
    /// `r.json()` becomes `await r.json()`, `r.text` `await r.text()`,
    /// `r.content` `await r.read()`, `r.status_code` `r.status`;
    /// `raise_for_status()`, `headers`, `ok` and `reason` stay. `params=`,
    /// `headers=`, `json=`, `data=` and `allow_redirects=` pass through,
    /// `timeout=t` becomes `timeout=aiohttp.ClientTimeout(total=t)` (a
    /// `(connect, read)` tuple becomes `sock_connect`/`sock_read`), and
    /// `verify=False` becomes `ssl=False`. A response read on the spot
    /// (`data = requests.get(url).json()`) puts the statement under
    /// `async with session.get(url) as response:`, and a discarded one
    /// becomes `async with session.post(...): pass`. It is not offered when the
    /// response escapes (returned, passed to a call, stored, read by a nested
    /// function, used after the block) or a use has no mapping
    /// (`iter_content`, `cookies`, `history`, `elapsed`, `encoding`,
    /// arguments to `json()`...), for other keyword arguments (`stream`,
    /// `auth`, `files`...), for `requests.Session` methods, or when a `try`
    /// around the call handles `requests`' exceptions; the thread fix remains.
    /// It is unsafe because aiohttp differs in details: its exceptions are
    /// `aiohttp.ClientError` and `asyncio.TimeoutError`, not `requests`'
    /// (callers catching those stop catching); `json()` rejects a response
    /// whose `Content-Type` is not JSON and returns `None` for an empty body;
    /// `timeout` bounds the whole request instead of each connect and read,
    /// and without one aiohttp stops after five minutes where `requests`
    /// waits forever; `params` values must be strings or numbers; and the
    /// session, with its cookies and connection pool, is shared by the
    /// module. The `requests` import is left in place.
    pub struct BlockingCallInAsync {
        code: "CS003",
        name: "blocking-call-in-async",
        summary: "Blocking call inside `async def` stalls the event loop",
        fixes: FixAvailability::BOTH,
    }
}

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    let analysis = Analysis::new(checker);
    for (scope, def) in checker.semantic.functions() {
        if !def.is_async {
            continue;
        }
        let mut finder = CallFinder {
            analysis: &analysis,
            scope,
            bare_calls: Vec::new(),
            generators: Vec::new(),
            loops: Vec::new(),
            diagnostics,
            function: def.name.id.as_str(),
            def,
        };
        walk_scope(&def.body, &mut finder);
    }
}

/// Why a call blocks.
enum Blocking {
    /// A catalogue entry, called directly.
    Direct(&'static Entry),
    /// A sync helper of the module, and the chain of calls to a catalogue
    /// entry: `["load_config()", "read()", "open()"]`.
    Helper { name: String, chain: Vec<String> },
}

/// Facts about the module shared by every function's check.
struct Analysis<'c, 'a> {
    checker: &'c Checker<'a>,
    /// The start of each `with ... as NAME` target to the context expression.
    /// Computed on first use: most files never need it.
    with_targets: OnceCell<HashMap<TextSize, &'a Expr>>,
    /// For each sync helper that blocks: the chain from it to a catalogue
    /// call, as displayed. Computed on first use (a call from async code to
    /// a function of the module), as it walks every sync function.
    helper_chains: OnceCell<HashMap<ScopeId, Vec<String>>>,
}

impl<'c, 'a> Analysis<'c, 'a> {
    fn new(checker: &'c Checker<'a>) -> Self {
        Analysis {
            checker,
            with_targets: OnceCell::new(),
            helper_chains: OnceCell::new(),
        }
    }

    fn with_targets(&self) -> &HashMap<TextSize, &'a Expr> {
        self.with_targets.get_or_init(|| {
            let mut collector = WithTargets::default();
            collector.visit_body(self.checker.body());
            collector.targets
        })
    }

    fn helper_chains(&self) -> &HashMap<ScopeId, Vec<String>> {
        self.helper_chains
            .get_or_init(|| self.compute_helper_chains())
    }

    /// The kind of object an expression evaluates to, when its origin is a
    /// catalogue factory.
    fn kind_of(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> Option<&'static str> {
        if depth > 8 {
            return None;
        }
        match expr {
            Expr::Call(call) => self.returns_of(&call.func, scope, depth),
            // `await asyncio.to_thread(f, ...)` and
            // `await loop.run_in_executor(None, f, ...)` return what `f(...)`
            // returns (so code fixed one call at a time is still checked).
            Expr::Await(ast::ExprAwait { value, .. }) => {
                let Expr::Call(call) = &**value else {
                    return None;
                };
                let args = &call.arguments.args;
                let moved = if self
                    .checker
                    .semantic
                    .qualified_name(&call.func, scope)
                    .is_some_and(|q| q == "asyncio.to_thread")
                {
                    args.first()
                } else if matches!(&*call.func, Expr::Attribute(attr) if attr.attr.id.as_str() == "run_in_executor")
                {
                    args.get(1)
                } else {
                    None
                }?;
                let moved = match moved {
                    Expr::Call(partial)
                        if self
                            .checker
                            .semantic
                            .qualified_name(&partial.func, scope)
                            .is_some_and(|q| q == "functools.partial") =>
                    {
                        partial.arguments.args.first()?
                    }
                    other => other,
                };
                self.returns_of(moved, scope, depth)
            }
            Expr::Name(name) => {
                let binding =
                    self.checker
                        .semantic
                        .resolve_name(name.id.as_str(), scope, name.start())?;
                // A name bound after this use (in a loop) is not followed.
                if binding.scope == scope && binding.range.start() > name.start() {
                    return None;
                }
                match binding.kind {
                    BindingKind::Assignment { value: Some(value) } => {
                        self.kind_of(value, binding.scope, depth + 1)
                    }
                    BindingKind::WithItem { .. } => {
                        let value = self.with_targets().get(&binding.range.start())?;
                        self.kind_of(value, binding.scope, depth + 1)
                    }
                    _ => None,
                }
            }
            Expr::BinOp(ast::ExprBinOp {
                left,
                op: Operator::Div,
                ..
            }) => self
                .kind_of(left, scope, depth + 1)
                .filter(|k| *k == "pathlib.Path"),
            _ => None,
        }
    }

    /// The kind of object calling `func` returns.
    fn returns_of(&self, func: &'a Expr, scope: ScopeId, depth: u8) -> Option<&'static str> {
        if let Some(qualified) = self.checker.semantic.qualified_name(func, scope) {
            return catalogue::function(&qualified)?.returns;
        }
        let Expr::Attribute(attr) = func else {
            return None;
        };
        let receiver = self.kind_of(&attr.value, scope, depth + 1)?;
        catalogue::method(receiver, attr.attr.id.as_str())?.returns
    }

    /// The catalogue entry a call is, when it blocks.
    fn direct(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<&'static Entry> {
        let entry = if let Some(qualified) = self.checker.semantic.qualified_name(&call.func, scope)
        {
            catalogue::function(&qualified)
        } else if let Expr::Attribute(attr) = &*call.func {
            let kind = self.kind_of(&attr.value, scope, 0)?;
            catalogue::method(kind, attr.attr.id.as_str())
        } else {
            None
        }?;
        entry.blocks.then_some(entry)
    }

    /// The scope of the sync helper a call calls by name, if it is one whose
    /// body we can trust to be what runs.
    fn helper_callee(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<ScopeId> {
        let Expr::Name(name) = &*call.func else {
            return None;
        };
        let semantic = &self.checker.semantic;
        let binding = semantic.resolve_name(name.id.as_str(), scope, name.start())?;
        let BindingKind::FunctionDef(def) = binding.kind else {
            return None;
        };
        if def.is_async || !self.keeps_function(def, binding.scope) {
            return None;
        }
        semantic.function_scope(def)
    }

    /// Whether the decorators leave a sync function a plain sync function
    /// (none, or caching ones).
    fn keeps_function(&self, def: &ast::StmtFunctionDef, scope: ScopeId) -> bool {
        def.decorator_list.iter().all(|decorator| {
            let expr = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            self.checker
                .semantic
                .qualified_name(expr, scope)
                .is_some_and(|q| matches!(q.as_str(), "functools.cache" | "functools.lru_cache"))
        })
    }

    /// For every sync function: the shortest chain of helper calls that
    /// reaches a blocking call, found breadth-first (so recursion ends).
    fn compute_helper_chains(&self) -> HashMap<ScopeId, Vec<String>> {
        let semantic = &self.checker.semantic;
        let mut direct: HashMap<ScopeId, &'static Entry> = HashMap::new();
        let mut callees: HashMap<ScopeId, Vec<ScopeId>> = HashMap::new();
        let mut names: HashMap<ScopeId, &'a str> = HashMap::new();
        for (scope, def) in semantic.functions() {
            if def.is_async {
                continue;
            }
            names.insert(scope, def.name.id.as_str());
            let mut summary = HelperSummary {
                analysis: self,
                scope,
                first_blocking: None,
                callees: Vec::new(),
            };
            walk_scope(&def.body, &mut summary);
            if let Some(entry) = summary.first_blocking {
                direct.insert(scope, entry);
            }
            callees.insert(scope, summary.callees);
        }
        let mut chains = HashMap::new();
        for &start in names.keys() {
            let mut previous: HashMap<ScopeId, ScopeId> = HashMap::new();
            let mut queue = VecDeque::from([start]);
            let mut found = None;
            while let Some(current) = queue.pop_front() {
                if direct.contains_key(&current) {
                    found = Some(current);
                    break;
                }
                for &next in callees.get(&current).into_iter().flatten() {
                    if next != start && !previous.contains_key(&next) {
                        previous.insert(next, current);
                        queue.push_back(next);
                    }
                }
            }
            let Some(end) = found else { continue };
            let mut path = vec![end];
            while let Some(&before) = previous.get(path.last().unwrap()) {
                path.push(before);
            }
            path.reverse();
            let mut chain: Vec<String> = path.iter().map(|s| format!("{}()", names[s])).collect();
            chain.push(format!("{}()", direct[&end].display()));
            chains.insert(start, chain);
        }
        chains
    }

    fn blocking(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<Blocking> {
        if let Some(entry) = self.direct(call, scope) {
            return Some(Blocking::Direct(entry));
        }
        let callee = self.helper_callee(call, scope)?;
        let chain = self.helper_chains().get(&callee)?.clone();
        let name = self.checker.text(&*call.func).to_string();
        Some(Blocking::Helper { name, chain })
    }
}

/// Collects `with EXPR as NAME` targets anywhere in the module.
#[derive(Default)]
struct WithTargets<'a> {
    targets: HashMap<TextSize, &'a Expr>,
}

impl<'a> Visitor<'a> for WithTargets<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::With(with) = stmt {
            for item in &with.items {
                if let Some(Expr::Name(name)) = item.optional_vars.as_deref() {
                    self.targets.insert(name.start(), &item.context_expr);
                }
            }
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// What one sync function does: its first blocking call and the helpers it
/// calls.
struct HelperSummary<'s, 'c, 'a> {
    analysis: &'s Analysis<'c, 'a>,
    scope: ScopeId,
    first_blocking: Option<&'static Entry>,
    callees: Vec<ScopeId>,
}

impl<'a> ScopeVisitor<'a> for HelperSummary<'_, '_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        let Expr::Call(call) = expr else { return };
        if let Some(entry) = self.analysis.direct(call, self.scope) {
            self.first_blocking.get_or_insert(entry);
        } else if let Some(callee) = self.analysis.helper_callee(call, self.scope)
            && !self.callees.contains(&callee)
        {
            self.callees.push(callee);
        }
    }
}

struct CallFinder<'s, 'c, 'a> {
    analysis: &'s Analysis<'c, 'a>,
    scope: ScopeId,
    /// Calls in a position where `await call` needs no parentheses: a whole
    /// statement, the value of an assignment or `return`, a `with` item, an
    /// argument, an element of a collection or comprehension.
    bare_calls: Vec<TextRange>,
    /// Generator expressions: `await` in one would make it asynchronous.
    generators: Vec<TextRange>,
    /// `NAME = asyncio.get_running_loop()` (or `get_event_loop()`) targets,
    /// for reuse by the executor fix.
    loops: Vec<(&'a str, TextRange)>,
    diagnostics: &'s mut Vec<Diagnostic>,
    function: &'a str,
    def: &'a ast::StmtFunctionDef,
}

impl<'a> ScopeVisitor<'a> for CallFinder<'_, '_, 'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        let value = match stmt {
            Stmt::Expr(ast::StmtExpr { value, .. }) => Some(&**value),
            Stmt::Assign(ast::StmtAssign { value, targets, .. }) => {
                if let [Expr::Name(name)] = &targets[..]
                    && let Expr::Call(call) = &**value
                    && self
                        .analysis
                        .checker
                        .semantic
                        .qualified_name(&call.func, self.scope)
                        .is_some_and(|q| {
                            matches!(
                                q.as_str(),
                                "asyncio.get_running_loop" | "asyncio.get_event_loop"
                            )
                        })
                {
                    self.loops.push((name.id.as_str(), name.range));
                }
                Some(&**value)
            }
            Stmt::AnnAssign(ast::StmtAnnAssign { value, .. }) => value.as_deref(),
            Stmt::AugAssign(ast::StmtAugAssign { value, .. }) => Some(&**value),
            Stmt::Return(ast::StmtReturn { value, .. }) => value.as_deref(),
            Stmt::With(with) => {
                for item in &with.items {
                    self.mark_bare(&item.context_expr);
                }
                None
            }
            _ => None,
        };
        if let Some(value) = value {
            self.mark_bare(value);
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Generator(generator) => self.generators.push(generator.range()),
            Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::List(ast::ExprList { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                for elt in elts {
                    self.mark_bare(elt);
                }
            }
            Expr::ListComp(ast::ExprListComp { elt, .. })
            | Expr::SetComp(ast::ExprSetComp { elt, .. }) => self.mark_bare(elt),
            Expr::DictComp(ast::ExprDictComp { value, .. }) => self.mark_bare(value),
            Expr::Dict(dict) => {
                for item in &dict.items {
                    self.mark_bare(&item.value);
                }
            }
            Expr::Call(call) => {
                for arg in &call.arguments.args {
                    self.mark_bare(arg);
                }
                for keyword in &call.arguments.keywords {
                    if keyword.arg.is_some() {
                        self.mark_bare(&keyword.value);
                    }
                }
                self.check_call(call);
            }
            _ => {}
        }
    }
}

impl<'a> CallFinder<'_, '_, 'a> {
    fn mark_bare(&mut self, expr: &Expr) {
        if expr.is_call_expr() {
            self.bare_calls.push(expr.range());
        }
    }

    fn check_call(&mut self, call: &'a ast::ExprCall) {
        let Some(blocking) = self.analysis.blocking(call, self.scope) else {
            return;
        };
        let function = self.function;
        let (message, fix) = match &blocking {
            Blocking::Direct(entry) => (
                format!(
                    "`{}` blocks the event loop inside `async def {function}`; use {}",
                    entry.display(),
                    entry.instead
                ),
                entry.fix,
            ),
            Blocking::Helper { name, chain } => (
                format!(
                    "`{name}()` blocks the event loop inside `async def {function}`: `{}`; run it with `await asyncio.to_thread(...)` or make it async",
                    chain.join(" -> ")
                ),
                Fix::Thread,
            ),
        };
        let mut diagnostic = Diagnostic::new(&BlockingCallInAsync::INFO, message, call.range());
        // requests -> aiohttp comes first when every use of the response
        // has an aiohttp spelling; `to_thread` stays as the alternative.
        if let Blocking::Direct(entry) = &blocking
            && let Target::Function(qualified) = entry.target
            && let Some(fix) = requests_to_aiohttp_fix(
                self.analysis.checker,
                self.scope,
                self.def,
                call,
                qualified,
            )
        {
            diagnostic = diagnostic.with_fix(fix);
        }
        let in_generator = self
            .generators
            .iter()
            .any(|g| g.contains_range(call.range()));
        if !in_generator
            && self.func_is_adjacent(call)
            && self.module_usable("asyncio", call)
            && (self.analysis.checker.settings.target_version.at_least(9)
                || call.arguments.keywords.is_empty()
                || self.module_usable("functools", call))
        {
            let parens = !self.bare_calls.contains(&call.range());
            let code_fix = match fix {
                Fix::Sleep => Some(sleep_fix(self.analysis.checker, call, parens)),
                Fix::Thread => Some(self.thread_fix(call, parens)),
                Fix::None => None,
            };
            if let Some(code_fix) = code_fix {
                diagnostic = diagnostic.with_fix(code_fix);
            }
        }
        self.diagnostics.push(diagnostic);
    }

    /// Whether the name a fix would use for `module` refers to that module at
    /// the call (not to a parameter or variable that shadows it).
    fn module_usable(&self, module: &str, call: &ast::ExprCall) -> bool {
        let checker = self.analysis.checker;
        let (name, _) = checker.fixer().import_module(module);
        match checker
            .semantic
            .resolve_name(&name, self.scope, call.start())
        {
            None => true,
            Some(binding) => {
                matches!(binding.kind, BindingKind::Import { qualified } if qualified == module)
            }
        }
    }

    /// Whether only whitespace separates the callee from `(`, so the callee
    /// can be replaced on its own (not `(time.sleep)(1)`).
    fn func_is_adjacent(&self, call: &ast::ExprCall) -> bool {
        let between = TextRange::new(call.func.end(), call.arguments.start());
        self.analysis.checker.source[between].trim().is_empty()
    }

    /// `f(args)` -> `await asyncio.to_thread(f, args)`, or before Python 3.9
    /// `await loop.run_in_executor(None, f, args)` (through
    /// `functools.partial` when there are keyword arguments).
    fn thread_fix(&self, call: &'a ast::ExprCall, parens: bool) -> CodeFix {
        let checker = self.analysis.checker;
        let func = checker.text(&*call.func);
        let open = if parens { "(" } else { "" };
        let arguments = &call.arguments;
        let first = arguments
            .args
            .iter()
            .map(Ranged::start)
            .chain(arguments.keywords.iter().map(Ranged::start))
            .min();
        // What separates arguments: the original layout when the arguments
        // start on their own line.
        let separator = match first {
            Some(first) => {
                let gap =
                    &checker.source[TextRange::new(arguments.start() + TextSize::from(1), first)];
                match gap.rfind('\n') {
                    Some(newline) => format!("\n{}", &gap[newline + 1..]),
                    None => " ".to_string(),
                }
            }
            None => " ".to_string(),
        };
        let after_paren = arguments.start() + TextSize::from(1);
        let mut edits = Vec::new();
        // Inserts `items` as the first arguments of the call.
        let prepend = |items: &[String], edits: &mut Vec<Edit>| match first {
            Some(first) => {
                let text: String = items
                    .iter()
                    .map(|item| format!("{item},{separator}"))
                    .collect();
                edits.push(Edit::insertion(text, first));
            }
            None => edits.push(Edit::insertion(items.join(", "), after_paren)),
        };
        let title = if checker.settings.target_version.at_least(9) {
            let (asyncio, import) = checker.fixer().import_module("asyncio");
            edits.push(Edit::range_replacement(
                format!("{open}await {asyncio}.to_thread"),
                call.func.range(),
            ));
            prepend(&[func.to_string()], &mut edits);
            edits.extend(import);
            format!("Run it in a thread: `await {asyncio}.to_thread({func}, ...)`")
        } else {
            let reusable = self.loops.iter().rev().find(|(name, range)| {
                checker
                    .semantic
                    .resolve_name(name, self.scope, call.start())
                    .is_some_and(|b| b.range == *range)
            });
            let event_loop = match reusable {
                Some((name, _)) => name.to_string(),
                None => {
                    let (asyncio, import) = checker.fixer().import_module("asyncio");
                    edits.extend(import);
                    format!("{asyncio}.get_running_loop()")
                }
            };
            edits.push(Edit::range_replacement(
                format!("{open}await {event_loop}.run_in_executor"),
                call.func.range(),
            ));
            if arguments.keywords.is_empty() {
                prepend(&["None".to_string(), func.to_string()], &mut edits);
            } else {
                let (functools, import) = checker.fixer().import_module("functools");
                edits.extend(import);
                prepend(
                    &["None".to_string(), format!("{functools}.partial({func}")],
                    &mut edits,
                );
                edits.push(Edit::insertion(
                    ")".to_string(),
                    arguments.end() - TextSize::from(1),
                ));
            }
            format!(
                "Run it in the default executor: `await {event_loop}.run_in_executor(None, {func}, ...)`"
            )
        };
        if parens {
            edits.push(Edit::insertion(")".to_string(), call.end()));
        }
        CodeFix::unsafe_(title, edits)
    }
}

/// `time.sleep(x)` -> `await asyncio.sleep(x)`, parenthesised when the call
/// is part of a larger expression.
fn sleep_fix(checker: &Checker, call: &ast::ExprCall, parens: bool) -> CodeFix {
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let mut edits = Vec::new();
    if parens {
        edits.push(Edit::range_replacement(
            format!("(await {asyncio}.sleep"),
            call.func.range(),
        ));
        edits.push(Edit::insertion(")".to_string(), call.end()));
    } else {
        edits.push(Edit::range_replacement(
            format!("await {asyncio}.sleep"),
            call.func.range(),
        ));
    }
    edits.extend(import);
    CodeFix::safe(format!("Replace with `await {asyncio}.sleep(...)`"), edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cs003_blocking_call::catalogue::CATALOGUE;

    /// `codesight explain CS003` documents every catalogue entry: each
    /// function by module and name, each method by name.
    #[test]
    fn documentation_covers_the_catalogue() {
        let doc = BlockingCallInAsync::INFO.documentation();
        let mentions = |word: &str| {
            doc.match_indices(word).any(|(at, _)| {
                let before = doc[..at].chars().next_back();
                let after = doc[at + word.len()..].chars().next();
                let boundary =
                    |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                boundary(before) && boundary(after)
            })
        };
        for entry in CATALOGUE.iter().filter(|e| e.blocks) {
            match entry.target {
                Target::Function(name) => {
                    let name = name.strip_prefix("builtins.").unwrap_or(name);
                    let (module, last) = name.rsplit_once('.').unwrap_or(("", name));
                    assert!(
                        mentions(last) && (module.is_empty() || doc.contains(module)),
                        "`{name}` is not documented"
                    );
                }
                Target::Method { name, .. } => {
                    let documented =
                        mentions(name) || (name.starts_with("fetch") && doc.contains("fetch*"));
                    assert!(documented, "method `{name}` is not documented");
                }
            }
        }
    }
}
