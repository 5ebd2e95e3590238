//! CS004: async sessions and connections that leak, or that are created anew
//! on every call.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use ruff_diagnostics::Edit;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::fix::indent::{full_lines, reindent};
use crate::fix::shared_session::{AIOHTTP, ClientSpec, HTTPX, HTTPX2};
use crate::rules::ASYNC_DEF;
use crate::rules::rule::FixAvailability;
use crate::semantic::ScopeId;
use crate::semantic::names::{NameMap, QualifiedNameExt};
use crate::semantic::uses::LoadContext;

mod handoff;
mod hot_path;
mod owner;

declare_rule! {
    /// ## What it does
    /// Finds two problems with async HTTP sessions and database connections
    /// (`aiohttp.ClientSession`, `httpx.AsyncClient` and httpx2's, `asyncpg.connect`,
    /// `asyncpg.create_pool`, under any import alias) inside `async def`:
    ///
    /// 1. **Leaks**: the object is bound to a local name and not closed on
    ///    every path: no `async with`, and no `close()`/`aclose()` in a
    ///    `finally`. A `close()` on the success path only still leaks when an
    ///    exception is raised before it. Not a leak: an object stored on
    ///    `self` or another attribute, assigned to a module global, returned
    ///    or yielded (a factory or fixture), or handed to a call.
    /// 2. **Leaks after a hand-off**: the object is handed to another
    ///    object (`server = Server(hass, session)`), then an `await` that
    ///    can raise runs before anything is set up to close either of them
    ///    (a stop listener, storing them somewhere that closes them
    ///    later): on that path the session is lost unclosed.
    /// 3. **Per-call sessions** on hot paths: an HTTP client session created
    ///    by a function that runs per request or per item, even inside
    ///    `async with`, or in one arm of the `async with` item's
    ///    conditional (`async with (nullcontext(given) if given is not
    ///    None else httpx.AsyncClient()) as client:`: every call without a
    ///    client of its own opens one; no fix is offered, as the given
    ///    client must stay the caller's). A session created in a loop body
    ///    is always reported. Functions that live as long as the application are not:
    ///    `main`, lifespan, startup, shutdown and cleanup hooks (by name, by
    ///    decorator or by being registered with the app), `__aenter__`,
    ///    `@asynccontextmanager` functions, and factories that return or
    ///    yield the session. Neither is a function that hands the session to
    ///    other calls or uses it in a loop: it owns a batch of requests. Nor
    ///    are paths where a shared session would not help: a session
    ///    configured for this call (an argument built from the function's
    ///    parameters or locals: cookies, auth, a transport, a base URL,
    ///    `**client_kwargs`), a function whose result is cached
    ///    (`functools.cache`/`lru_cache`, `alru_cache`, `cached`, or a module
    ///    or instance cache checked and returned from first), a session used
    ///    only to open websockets (`session.ws_connect(...)`: the connection
    ///    is held to the end and never pooled, so the session lives as long
    ///    as it and a shared one would reuse nothing), and code that
    ///    runs once per process or set-up (`async_setup*`, `setup*`,
    ///    `init*`, command-line commands, Home Assistant config flows,
    ///    periodic jobs running at most once a minute, and coroutines alone
    ///    on their event loop as CS003 finds them: a script's coroutine
    ///    reached only from `asyncio.run(...)` under
    ///    `if __name__ == "__main__":`, at module level, or in a sync
    ///    `main()`), and test code (the files CS003 skips as tests:
    ///    `test_*.py`, `tests/`, `testing/`...; leaks there are still
    ///    reported).
    ///
    /// Note that `async with aiohttp.ClientSession() as session:` *does*
    /// close the session when the block exits, without waiting for the
    /// garbage collector; the cost of a session per call is the connection
    /// pool (and DNS cache, and TLS handshakes) thrown away every time.
    ///
    /// ## Why is this bad?
    /// A leaked connection stays open until the garbage collector finds it,
    /// if ever: under load the database or the remote host runs out of
    /// connections, and aiohttp warns "Unclosed client session". A session
    /// per call is correct but slow: every request opens new TCP and TLS
    /// connections instead of reusing pooled ones. aiohttp's documentation
    /// recommends one session for the whole application.
    ///
    /// ## Example
    /// ```python
    /// import aiohttp
    /// import asyncpg
    ///
    /// async def get_user(uid):
    ///     conn = await asyncpg.connect(DSN)
    ///     user = await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    ///     await conn.close()  # skipped when fetchrow raises
    ///     return user
    ///
    /// async def fetch_data(url):
    ///     async with aiohttp.ClientSession() as session:  # one per call
    ///         async with session.get(url) as resp:
    ///             return await resp.json()
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// async def get_user(uid):
    ///     conn = await asyncpg.connect(DSN)
    ///     try:
    ///         user = await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    ///         return user
    ///     finally:
    ///         await conn.close()
    ///
    /// async def fetch_data(url):
    ///     session = await get_http_session()  # one shared, lazily created session
    ///     async with session.get(url) as resp:
    ///         return await resp.json()
    /// ```
    ///
    /// ## Fix safety
    /// Closing on every path is a safe fix: the statements after the binding,
    /// to the end of its block, move into `try:` with `await x.close()` in
    /// `finally:` (the success-path `close()` goes away), or under
    /// `async with` when the object supports it (`ClientSession`,
    /// `AsyncClient`, `create_pool`). Only the exception path changes: the
    /// object is closed instead of leaked. It is offered when the binding is
    /// the name's only one and first use, the name is not used after the
    /// block, and the statements to move span at most 200 lines (a longer
    /// move is no reviewable fix, and a function creating many objects would
    /// otherwise repeat most of its body in every finding's fix).
    ///
    /// A leak after a hand-off whose `await` sits in a `try` whose handlers
    /// give up (`return`) is fixed by closing the session first thing in
    /// those handlers (safe: only the failure path changes).
    ///
    /// Hoisting a per-call session is unsafe, and offered only onto an
    /// owner whose lifetime closes it:
    ///
    /// - Home Assistant code (`hass` in scope): Home Assistant's shared
    ///   session, `async_get_clientsession(hass)` / `get_async_client(hass)`;
    /// - a method of a class with an `async def close()`/`aclose()`/
    ///   `__aexit__`: a lazily created `self._http_session` (a class-level
    ///   `None` default and a small accessor method), which the fix closes
    ///   and resets in that method; a closed session is replaced on next
    ///   use, so an owner closed at the end of one `asyncio.run(...)` works
    ///   in the next. A class that declares `__slots__` gets the attribute
    ///   added to them (read with `getattr`, no class default) when they are
    ///   a literal tuple or list of strings, else no fix;
    /// - the module's application: a module-level accessor that creates one
    ///   session lazily (at most once, even for concurrent callers), with a
    ///   close function wired into the FastAPI/Starlette app's lifespan (or
    ///   shutdown handlers) or the aiohttp `web.Application`'s cleanup.
    ///   Without such an application no fix is offered: nobody would close
    ///   the session, and the next event loop would be handed one bound to
    ///   a closed loop.
    ///
    /// Several functions share one owner's session. It changes behaviour:
    /// the session outlives the call, and cookies, connection limits and
    /// the event loop it belongs to are now shared, so it is only offered
    /// for sessions created without arguments. A two-item
    /// `async with (Session() as s, s.get(url) as r):` keeps a plain
    /// `async with s.get(url) as r:`.
    pub struct UnclosedSession {
        code: "CS004",
        name: "unclosed-async-session",
        summary: "Async session or connection leaked, or created on every call",
        fixes: FixAvailability::BOTH,
    }
}

/// An object that must be closed, by the qualified names of its constructor.
struct Resource {
    qualified: &'static [&'static str],
    label: &'static str,
    close: &'static str,
    /// Supports `async with constructor(...) as x:`.
    async_with: bool,
    /// An HTTP client session that can be shared.
    client: Option<&'static ClientSpec>,
}

static RESOURCES: &[Resource] = &[
    Resource {
        qualified: &["aiohttp.ClientSession", "aiohttp.client.ClientSession"],
        label: "aiohttp.ClientSession",
        close: "close",
        async_with: true,
        client: Some(&AIOHTTP),
    },
    Resource {
        qualified: &["httpx.AsyncClient", "httpx._client.AsyncClient"],
        label: "httpx.AsyncClient",
        close: "aclose",
        async_with: true,
        client: Some(&HTTPX),
    },
    Resource {
        qualified: &["httpx2.AsyncClient", "httpx2._client.AsyncClient"],
        label: "httpx2.AsyncClient",
        close: "aclose",
        async_with: true,
        client: Some(&HTTPX2),
    },
    Resource {
        qualified: &["asyncpg.connect", "asyncpg.connection.connect"],
        label: "asyncpg.connect",
        close: "close",
        async_with: false,
        client: None,
    },
    Resource {
        qualified: &["asyncpg.create_pool", "asyncpg.pool.create_pool"],
        label: "asyncpg.create_pool",
        close: "close",
        async_with: true,
        client: None,
    },
];

const CLOSE_METHODS: &[&str] = &["close", "aclose", "terminate"];

/// A session can only be left open in an `async def` that creates one: the
/// file names a constructor's module and the constructor.
pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &[ASYNC_DEF],
    words: Some(|| {
        RESOURCES
            .iter()
            .flat_map(|resource| resource.qualified)
            .map(|qualified| crate::analysis::prefilter::name_words(qualified))
            .collect()
    }),
    text: None,
    project_index: false,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    for (scope, def) in checker.semantic.functions() {
        if !def.is_async {
            continue;
        }
        let creations = creations(checker, scope, def);
        // What the function does with each created name, once per name.
        let mut uses: FxHashMap<&str, Uses> = FxHashMap::default();
        for creation in &creations {
            let uses = uses
                .entry(creation.name)
                .or_insert_with(|| Uses::of(checker, scope, creation.name));
            check_creation(checker, scope, def, uses, creation, diagnostics);
        }
    }
}

/// Where a resource is created and bound.
enum Site<'a> {
    /// `x = constructor(...)` (or awaited, or annotated): the statement is
    /// `block[index]`.
    Assign {
        stmt: &'a Stmt,
        value: &'a Expr,
        block: &'a [Stmt],
        index: usize,
        annotated: bool,
    },
    /// `async with constructor(...) as x:`, item `item`.
    With {
        stmt: &'a Stmt,
        with: &'a ast::StmtWith,
        item: usize,
    },
}

struct Creation<'a> {
    resource: &'static Resource,
    call: &'a ast::ExprCall,
    name: &'a str,
    site: Site<'a>,
    in_loop: bool,
    /// The constructor is one arm of a conditional expression (`async with
    /// (given if given is not None else httpx.AsyncClient()) as client:`):
    /// a session is made on the calls that take that arm. No fix rewrites
    /// such a site.
    conditional: bool,
}

/// [`RESOURCES`] by each qualified name of their constructors (built once).
static RESOURCE_INDEX: LazyLock<NameMap<&'static Resource>> = LazyLock::new(|| {
    NameMap::new(
        RESOURCES
            .iter()
            .flat_map(|r| r.qualified.iter().map(move |&q| (q, r))),
    )
});

/// Every constructor CS004 knows, as dotted names.
pub fn session_factories() -> impl Iterator<Item = &'static str> {
    RESOURCES.iter().flat_map(|r| r.qualified.iter().copied())
}

fn resource_of(checker: &Checker, expr: &Expr, scope: ScopeId) -> Option<&'static Resource> {
    let Expr::Call(call) = expr else { return None };
    let qualified = checker.semantic.resolve_qualified_name(&call.func, scope)?;
    RESOURCE_INDEX.get(&qualified)
}

/// `constructor(...)` or `await constructor(...)`.
fn creation_call<'a>(
    checker: &Checker,
    value: &'a Expr,
    scope: ScopeId,
) -> Option<(&'static Resource, &'a ast::ExprCall)> {
    let call = match value {
        Expr::Await(awaited) => &*awaited.value,
        other => other,
    };
    let resource = resource_of(checker, call, scope)?;
    Some((resource, call.as_call_expr()?))
}

/// The resources the function creates and binds to one of its names: the
/// bindings of its scope made by `x = constructor(...)` (awaited or not,
/// annotated or not) or `async with constructor(...) as x:`.
fn creations<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
) -> Vec<Creation<'a>> {
    let semantic = &checker.semantic;
    semantic
        .scope_bindings(scope)
        .into_iter()
        .filter_map(|id| {
            let binding = semantic.binding(id);
            let stmt_id = binding.stmt?;
            // Not a `nonlocal` binding made by a nested function.
            if !semantic
                .enclosing_function(stmt_id)
                .is_some_and(|f| std::ptr::eq(f, def))
            {
                return None;
            }
            // A name the function also declares `global`/`nonlocal` (Python
            // refuses a binding before the declaration; the parser accepts
            // it) is the module's or the enclosing function's after it: a
            // close added there would not close this object.
            if semantic.declaration(binding.name, scope).is_some() {
                return None;
            }
            let stmt = semantic.statement(stmt_id);
            let (block, index) = semantic.block_of(stmt_id);
            let is_target = |e: &Expr| matches!(e, Expr::Name(n) if n.range == binding.range);
            let mut conditional = false;
            let (resource, call, site) = match stmt {
                Stmt::Assign(assign) if matches!(assign.targets.as_slice(), [t] if is_target(t)) => {
                    let (resource, call) = creation_call(checker, &assign.value, scope)?;
                    let site = Site::Assign {
                        stmt,
                        value: &assign.value,
                        block,
                        index,
                        annotated: false,
                    };
                    (resource, call, site)
                }
                Stmt::AnnAssign(assign) if is_target(&assign.target) => {
                    let value = assign.value.as_deref()?;
                    let (resource, call) = creation_call(checker, value, scope)?;
                    let site = Site::Assign {
                        stmt,
                        value,
                        block,
                        index,
                        annotated: true,
                    };
                    (resource, call, site)
                }
                Stmt::With(with) => {
                    let item = with
                        .items
                        .iter()
                        .position(|i| i.optional_vars.as_deref().is_some_and(is_target))?;
                    let context = &with.items[item].context_expr;
                    let (call, arm) = match context {
                        Expr::Call(call) => (call, context),
                        // `given if ... else Constructor()`: the arm that
                        // makes a session (a given object is the caller's).
                        Expr::If(ternary) => [&*ternary.body, &*ternary.orelse]
                            .into_iter()
                            .find_map(|arm| match arm {
                                Expr::Call(call) if resource_of(checker, arm, scope).is_some() => {
                                    Some((call, arm))
                                }
                                _ => None,
                            })?,
                        _ => return None,
                    };
                    let resource = resource_of(checker, arm, scope)?;
                    conditional = !std::ptr::eq(arm, context);
                    (resource, call, Site::With { stmt, with, item })
                }
                _ => return None,
            };
            Some(Creation {
                resource,
                call,
                name: binding.name,
                site,
                in_loop: semantic.in_loop(stmt_id),
                conditional,
            })
        })
        .collect()
}

/// What a function does with a name, over its whole body (its loads,
/// from the semantic model).
#[derive(Debug, Default)]
struct Uses {
    returned: bool,
    stored: bool,
    passed: bool,
    managed: bool,
    closed_in_finally: bool,
    used_in_loop: bool,
    captured: bool,
    /// Every `name.close()` call (`aclose`, `terminate`; awaited or not,
    /// both the `await` and the call are listed) in the function, nested
    /// functions and classes not.
    closes: Vec<TextRange>,
}

impl Uses {
    /// The object's lifetime is someone else's business (or is handled).
    fn escapes(&self) -> bool {
        self.returned || self.stored || self.passed || self.captured
    }

    /// What the function at `scope` does with its variable `name`.
    fn of(checker: &Checker, scope: ScopeId, name: &str) -> Self {
        let semantic = &checker.semantic;
        let mut uses = Uses::default();
        for reference in semantic.references_to(name, scope) {
            // Read by a nested function or lambda: it may outlive this call.
            uses.captured |= reference.scope != scope;
            // Nested functions and classes run elsewhere (lambdas are part
            // of the statement they are in).
            if semantic.code_frame(reference.scope) != scope {
                continue;
            }
            let Some(load) = semantic.load_context(reference) else {
                continue;
            };
            let value = semantic.value_use(&load);
            uses.returned |= value.returned;
            uses.stored |= value.stored;
            uses.passed |= value.passed;
            uses.managed |= value.entered;
            uses.used_in_loop |= semantic.load_in_loop(&load);
            if let Some(call) = close_call(&load) {
                uses.closed_in_finally |= semantic.in_finally(load.stmt_id);
                if let Some(Expr::Await(awaited)) = load.ancestor(3) {
                    uses.closes.push(awaited.range());
                }
                uses.closes.push(call.range());
            }
        }
        uses
    }
}

/// The call when the load is the receiver of `name.close()` (`aclose`,
/// `terminate`).
fn close_call<'a>(load: &LoadContext<'a>) -> Option<&'a ast::ExprCall> {
    let Some(Expr::Attribute(attribute)) = load.parent() else {
        return None;
    };
    if !CLOSE_METHODS.contains(&attribute.attr.id.as_str()) {
        return None;
    }
    let call = load.ancestor(2)?.as_call_expr()?;
    std::ptr::eq(&*call.func, load.ancestor(1)?).then_some(call)
}

/// `name.close()` (`aclose`, `terminate`), awaited or not.
fn is_close_call(expr: &Expr, name: &str) -> bool {
    close_call_receiver(expr) == Some(name)
}

/// The `name` of `name.close()` (`aclose`, `terminate`), awaited or not.
fn close_call_receiver(expr: &Expr) -> Option<&str> {
    let call = match expr {
        Expr::Await(awaited) => &*awaited.value,
        other => other,
    };
    let Expr::Call(call) = call else { return None };
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if !CLOSE_METHODS.contains(&attr.attr.id.as_str()) {
        return None;
    }
    attr.value.as_name_expr().map(|n| n.id.as_str())
}

/// A statement that is just `await name.close()` (or similar).
fn is_close_stmt(stmt: &Stmt, name: &str) -> bool {
    matches!(stmt, Stmt::Expr(e) if is_close_call(&e.value, name))
}

/// Whether the function is registered as an application hook where its
/// name is read: `lifespan=f`, `on_startup=[f]`, `on_shutdown=[f]`,
/// `app.on_startup.append(f)` (`on_shutdown`, `on_cleanup`, `cleanup_ctx`;
/// `insert`), `app.add_event_handler("startup", f)`.
fn is_registered_hook(checker: &Checker, scope: ScopeId, def: &ast::StmtFunctionDef) -> bool {
    let semantic = &checker.semantic;
    let outer = semantic.code_frame(semantic.scope(scope).parent.unwrap_or(ScopeId::MODULE));
    semantic
        .references_to(def.name.id.as_str(), outer)
        .filter_map(|reference| semantic.load_context(reference))
        .any(|load| registers(&load))
}

/// The load is a hook handed to a registration call (see
/// [`is_registered_hook`]), alone or in a list or tuple of hooks.
fn registers(load: &LoadContext) -> bool {
    let mut hook = load.expr;
    let mut up = load.ancestors.iter().rev();
    let mut parent = up.next().copied();
    while let Some(list @ (Expr::List(_) | Expr::Tuple(_))) = parent {
        hook = list;
        parent = up.next().copied();
    }
    let Some(Expr::Call(call)) = parent else {
        return false;
    };
    let by_keyword = call.arguments.keywords.iter().any(|keyword| {
        std::ptr::eq(&keyword.value, hook)
            && keyword
                .arg
                .as_ref()
                .is_some_and(|a| matches!(a.as_str(), "lifespan" | "on_startup" | "on_shutdown"))
    });
    if by_keyword {
        return true;
    }
    let Expr::Attribute(method) = &*call.func else {
        return false;
    };
    let registration = match method.attr.as_str() {
        "append" | "insert" => method.value.as_attribute_expr().is_some_and(|a| {
            matches!(
                a.attr.as_str(),
                "on_startup" | "on_shutdown" | "on_cleanup" | "cleanup_ctx"
            )
        }),
        "add_event_handler" => true,
        _ => false,
    };
    registration
        && call
            .arguments
            .args
            .iter()
            .any(|arg| std::ptr::eq(arg, hook))
}

/// A function that runs once for the application, not per request.
fn is_lifetime_place(checker: &Checker, scope: ScopeId, def: &ast::StmtFunctionDef) -> bool {
    let name = def.name.id.as_str();
    if matches!(name, "main" | "amain" | "__aenter__")
        || name.ends_with("_main")
        || ["lifespan", "startup", "shutdown", "cleanup"]
            .iter()
            .any(|k| name.contains(k))
        || is_registered_hook(checker, scope, def)
    {
        return true;
    }
    let outer = checker
        .semantic
        .scope(scope)
        .parent
        .unwrap_or(ScopeId::MODULE);
    def.decorator_list.iter().any(|decorator| {
        let target = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        if let Expr::Attribute(attr) = target
            && attr.attr.as_str() == "on_event"
        {
            return true;
        }
        checker
            .semantic
            .resolve_qualified_name(target, outer)
            .is_some_and(|q| q.is("contextlib.asynccontextmanager"))
    })
}

fn check_creation(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    uses: &Uses,
    creation: &Creation,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let name = creation.name;
    let function = def.name.id.as_str();
    let label = creation.resource.label;

    if let Site::Assign { block, index, .. } = &creation.site
        && uses.passed
        && !(uses.closed_in_finally || uses.managed || uses.returned)
        && let Some(leak) = handoff::find(checker, scope, &block[index + 1..], name)
    {
        let receiver = match leak.receiver {
            Expr::Call(call) => format!("{}(...)", checker.text(&*call.func)),
            other => checker.text(other).to_string(),
        };
        let message = format!(
            "`{label}` bound to `{name}` is handed to `{receiver}`, then leaks when an `await` \
             raises before anything is set up to close it in `async def {function}`; close it \
             on that path"
        );
        let mut diagnostic =
            Diagnostic::new(&UnclosedSession::INFO, message, creation.call.range());
        if let Some(fix) =
            handoff::close_in_handlers_fix(checker, &leak, name, creation.resource.close)
        {
            diagnostic = diagnostic.with_fix(fix);
        }
        diagnostics.push(diagnostic);
        return;
    }

    if let Site::Assign {
        stmt, block, index, ..
    } = &creation.site
        && !(uses.closed_in_finally || uses.managed || uses.escapes())
    {
        let rest = &block[index + 1..];
        // Closed right away, with nothing in between that could raise.
        if !rest.is_empty() && rest.iter().all(|s| is_close_stmt(s, name)) {
            return;
        }
        let remedy = if creation.resource.async_with {
            "close it in `finally` or use `async with`"
        } else {
            "close it in `finally`"
        };
        let message = if !uses.closes.is_empty() {
            format!(
                "`{label}` bound to `{name}` is closed only when no exception is raised in \
                 `async def {function}`; {remedy}"
            )
        } else {
            format!(
                "`{label}` bound to `{name}` is never closed in `async def {function}`; {remedy}"
            )
        };
        let mut diagnostic =
            Diagnostic::new(&UnclosedSession::INFO, message, creation.call.range());
        if let Some(close) = CloseSite::new(checker, scope, def, creation, stmt, block, *index) {
            if creation.resource.async_with
                && let Some(fix) = close.async_with_fix()
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            diagnostic = diagnostic.with_fix(close.try_finally_fix());
        }
        if is_per_call(checker, scope, def, creation, uses)
            && let Some(fix) = hoist_fix(checker, scope, def, uses, creation)
        {
            diagnostic = diagnostic.with_fix(fix);
        }
        diagnostics.push(diagnostic);
        return;
    }

    if is_per_call(checker, scope, def, creation, uses) {
        let message = if creation.in_loop {
            format!(
                "A new `{label}` is created on every loop iteration in `async def {function}`; \
                 create one session and reuse it"
            )
        } else if creation.conditional {
            format!(
                "A new `{label}` is created on every call of `async def {function}` that \
                 takes this arm of the conditional; share one session for the application's \
                 lifetime"
            )
        } else {
            format!(
                "A new `{label}` is created on every call of `async def {function}`; \
                 share one session for the application's lifetime"
            )
        };
        let mut diagnostic =
            Diagnostic::new(&UnclosedSession::INFO, message, creation.call.range());
        if let Some(fix) = hoist_fix(checker, scope, def, uses, creation) {
            diagnostic = diagnostic.with_fix(fix);
        }
        diagnostics.push(diagnostic);
    }
}

fn is_per_call(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    creation: &Creation,
    uses: &Uses,
) -> bool {
    if creation.resource.client.is_none() || uses.returned || uses.stored {
        return false;
    }
    if creation.in_loop {
        return true;
    }
    // A function that hands the session on or loops over it owns a batch.
    !(is_lifetime_place(checker, scope, def)
        || uses.passed
        || uses.used_in_loop
        || uses.captured
        || only_websockets(checker, scope, creation.name)
        || hot_path::cold_reason(checker, scope, def, creation.call, creation.call.start())
            .is_some())
}

/// Whether the session's only use is to open websockets
/// (`session.ws_connect(...)`), so that it lives as long as its connection:
/// a websocket holds its connection to the end and never returns it to the
/// pool, so a shared session would reuse nothing.
fn only_websockets(checker: &Checker, scope: ScopeId, name: &str) -> bool {
    let semantic = &checker.semantic;
    let mut any = false;
    for reference in semantic.references_to(name, scope) {
        let Some(load) = semantic.load_context(reference) else {
            return false;
        };
        let Some(Expr::Attribute(attribute)) = load.parent() else {
            return false;
        };
        let called = load
            .ancestor(2)
            .and_then(Expr::as_call_expr)
            .is_some_and(|call| call.func.range() == attribute.range());
        if attribute.attr.id.as_str() != "ws_connect" || !called {
            return false;
        }
        any = true;
    }
    any
}

/// The most lines "close it on every path" moves into `try:` or `async
/// with` (see the rule's fix safety).
const MAX_MOVED_LINES: usize = 200;

/// A leaked binding whose block can be wrapped so the object is closed on
/// every path.
struct CloseSite<'c, 'a> {
    checker: &'c Checker<'a>,
    creation: &'c Creation<'a>,
    stmt: &'a Stmt,
    /// The statements after the binding, to the end of its block.
    rest: &'a [Stmt],
    /// Success-path closes among them, removed by the fix.
    closes: Vec<TextRange>,
    annotated: bool,
}

impl<'c, 'a> CloseSite<'c, 'a> {
    fn new(
        checker: &'c Checker<'a>,
        scope: ScopeId,
        def: &ast::StmtFunctionDef,
        creation: &'c Creation<'a>,
        stmt: &'a Stmt,
        block: &'a [Stmt],
        index: usize,
    ) -> Option<Self> {
        let name = creation.name;
        let rest = &block[index + 1..];
        let last = rest.last()?;
        let moved_lines = checker.lines.line_index(last.end()).get()
            - checker.lines.line_index(rest[0].start()).get()
            + 1;
        if moved_lines > MAX_MOVED_LINES {
            return None;
        }
        if !checker.fixer().is_own_lines(stmt)
            || !checker.fixer().is_own_lines(&rest[0])
            || !checker.fixer().is_own_lines(last)
        {
            return None;
        }
        // The name's only binding, not used before it nor after its block.
        if checker
            .semantic
            .bindings_in_scope(name, scope)
            .take(2)
            .count()
            != 1
        {
            return None;
        }
        let outside = checker.semantic.references_to(name, scope).any(|r| {
            (r.range.start() < stmt.start() || r.range.start() >= last.end())
                && def.range().contains_range(r.range)
        });
        if outside {
            return None;
        }
        let closes: Vec<TextRange> = rest
            .iter()
            .filter(|s| is_close_stmt(s, name))
            .map(|s| full_lines(checker, s.range()))
            .collect();
        let own_line_closes = rest
            .iter()
            .filter(|s| is_close_stmt(s, name))
            .all(|s| checker.fixer().is_own_lines(s));
        if !own_line_closes || closes.len() == rest.len() {
            return None;
        }
        let Site::Assign { annotated, .. } = creation.site else {
            return None;
        };
        Some(Self {
            checker,
            creation,
            stmt,
            rest,
            closes,
            annotated,
        })
    }

    /// The lines of the rest of the block, with one more level of indentation.
    fn indented_rest(&self) -> (TextRange, String) {
        let checker = self.checker;
        let lines = TextRange::new(
            checker.source.full_line_end(self.stmt.end()),
            checker
                .source
                .full_line_end(self.rest.last().unwrap().end()),
        );
        let text = reindent(
            checker,
            lines,
            "",
            checker.fixer().indent_unit(),
            &self.closes,
        );
        (lines, text)
    }

    /// `x = Constructor(...)` + rest -> `async with Constructor(...) as x:` + rest.
    fn async_with_fix(&self) -> Option<CodeFix> {
        if self.annotated {
            return None;
        }
        let checker = self.checker;
        let name = self.creation.name;
        let call = checker.text(self.creation.call);
        let (lines, body) = self.indented_rest();
        // Keep a comment after the binding on the new header line.
        let trailing = &checker.source
            [TextRange::new(self.stmt.end(), checker.source.line_end(self.stmt.end()))];
        let header = format!("async with {call} as {name}:{trailing}\n");
        let edit = Edit::replacement(format!("{header}{body}"), self.stmt.start(), lines.end());
        Some(CodeFix::safe(
            format!("Use `async with {} as {name}:`", self.short_call()),
            vec![edit],
        ))
    }

    /// Rest -> `try:` rest `finally: await x.close()`.
    fn try_finally_fix(&self) -> CodeFix {
        let checker = self.checker;
        let name = self.creation.name;
        let close = self.creation.resource.close;
        let indent = checker.fixer().line_indentation(self.stmt.start());
        let unit = checker.fixer().indent_unit();
        let (lines, mut body) = self.indented_rest();
        let final_newline = body.ends_with('\n');
        if !final_newline {
            body.push('\n');
        }
        let mut text =
            format!("{indent}try:\n{body}{indent}finally:\n{indent}{unit}await {name}.{close}()");
        if final_newline {
            text.push('\n');
        }
        CodeFix::safe(
            format!("Close `{name}` in `finally`"),
            vec![Edit::range_replacement(text, lines)],
        )
    }

    fn short_call(&self) -> String {
        format!("{}(...)", self.checker.text(&*self.creation.call.func))
    }
}

/// The per-call session replaced by the module's shared one.
fn hoist_fix(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    uses: &Uses,
    creation: &Creation,
) -> Option<CodeFix> {
    let spec = creation.resource.client?;
    if creation.conditional {
        return None;
    }
    // A session configured here (headers, timeouts, base URL) cannot simply
    // become the shared default one; one closed through `async with x:`
    // would close the shared session.
    if !creation.call.arguments.is_empty() || uses.managed {
        return None;
    }
    let name = creation.name;
    let hoisted = owner::choose(checker, scope, def, spec, name)?;
    let call = &hoisted.call;
    let mut edits = match &creation.site {
        Site::With { stmt, with, item } => hoist_with(checker, stmt, with, *item, name, call)?,
        Site::Assign {
            stmt,
            value,
            block,
            index,
            annotated,
        } => {
            if *annotated {
                return None;
            }
            hoist_assign(checker, stmt, value, &block[index + 1..], name, call)?
        }
    };
    // Every close of the per-call session must go, or it would close the
    // shared one.
    let removed: Vec<TextRange> = edits
        .iter()
        .filter(|e| !e.range().is_empty())
        .map(Ranged::range)
        .collect();
    if uses
        .closes
        .iter()
        .any(|c| !removed.iter().any(|r| r.contains_range(*c)))
    {
        return None;
    }
    // The owner's edits (the accessor, the close at shutdown) were written
    // for the text as it is: none may fall inside, or at the end of, lines
    // that the edits above rewrite (the `async with` body moved one level
    // out), or they would land at the old indentation.
    if hoisted.edits.iter().any(|h| {
        removed
            .iter()
            .any(|r| r.start() <= h.start() && h.start() <= r.end())
    }) {
        return None;
    }
    edits.extend(hoisted.edits);
    Some(CodeFix::unsafe_(hoisted.title, edits))
}

/// `async with Session() as s:` body -> `s = await accessor()` body, one
/// level less indented; other items of the `async with` stay.
fn hoist_with(
    checker: &Checker,
    stmt: &Stmt,
    with: &ast::StmtWith,
    item: usize,
    name: &str,
    call: &str,
) -> Option<Vec<Edit>> {
    if !with.is_async || !checker.fixer().is_own_lines(stmt) {
        return None;
    }
    let indent = checker.fixer().line_indentation(with.start());
    let binding = format!("{name} = {call}");
    if with.items.len() == 2 {
        // One item left: a plain header, never `async with (item,):`. An
        // item that went on to another line inside the header's brackets
        // keeps brackets of its own.
        let kept = &with.items[1 - item];
        let kept_text = if checker.fixer().breaks_line_outside_brackets(kept.range()) {
            format!("({})", checker.text(kept.range()))
        } else {
            checker.text(kept.range()).to_string()
        };
        let colon = checker
            .parsed
            .tokens()
            .after(with.items.last()?.end())
            .iter()
            .find(|t| t.kind() == TokenKind::Colon)?
            .start();
        return Some(vec![Edit::replacement(
            format!(
                "{binding}{}{indent}async with {}:",
                checker.fixer().line_ending(),
                kept_text
            ),
            with.start(),
            colon + TextSize::from(1),
        )]);
    }
    if with.items.len() > 1 {
        let removal = if item == 0 {
            TextRange::new(with.items[0].start(), with.items[1].start())
        } else {
            TextRange::new(with.items[item - 1].end(), with.items[item].end())
        };
        return Some(vec![
            Edit::insertion(format!("{binding}\n{indent}"), with.start()),
            Edit::range_deletion(removal),
        ]);
    }
    let colon = checker
        .parsed
        .tokens()
        .after(with.items.last()?.end())
        .iter()
        .find(|t| t.kind() == TokenKind::Colon)?
        .start();
    let first = with.body.first()?;
    if checker.source.line_start(first.start()) <= colon {
        return None;
    }
    let header_end = checker.source.line_end(colon);
    let comment = checker.source[TextRange::new(colon + TextSize::from(1), header_end)].trim();
    let comment = if comment.is_empty() {
        String::new()
    } else {
        format!("  {comment}")
    };
    let body_lines = TextRange::new(
        checker.source.full_line_end(colon),
        checker.source.full_line_end(with.end()),
    );
    let body_indent = checker.fixer().line_indentation(first.start());
    let body = reindent(checker, body_lines, body_indent, indent, &[]);
    Some(vec![Edit::replacement(
        format!("{binding}{comment}\n{body}"),
        with.start(),
        body_lines.end(),
    )])
}

/// `s = Session()` -> `s = await accessor()`, dropping the closes that
/// belonged to the per-call session: a `finally:` holding only the close
/// goes (with its `try:` when nothing else is left of it), and so do
/// success-path closes.
fn hoist_assign(
    checker: &Checker,
    stmt: &Stmt,
    value: &Expr,
    rest: &[Stmt],
    name: &str,
    call: &str,
) -> Option<Vec<Edit>> {
    if !checker.fixer().is_own_lines(stmt) {
        return None;
    }
    let mut edits = vec![Edit::range_replacement(call.to_string(), value.range())];
    for later in rest {
        if is_close_stmt(later, name) {
            if !checker.fixer().is_own_lines(later) {
                return None;
            }
            edits.push(Edit::range_deletion(full_lines(checker, later.range())));
            continue;
        }
        let Stmt::Try(try_stmt) = later else { continue };
        let closes: Vec<&Stmt> = try_stmt
            .finalbody
            .iter()
            .filter(|s| is_close_stmt(s, name))
            .collect();
        if closes.is_empty() {
            continue;
        }
        if closes.iter().any(|s| !checker.fixer().is_own_lines(s)) {
            return None;
        }
        if closes.len() < try_stmt.finalbody.len() {
            edits.extend(
                closes
                    .iter()
                    .map(|s| Edit::range_deletion(full_lines(checker, s.range()))),
            );
            continue;
        }
        // The `finally:` only closed the session: remove the clause.
        let last_before = try_stmt
            .orelse
            .last()
            .map(Ranged::end)
            .or_else(|| try_stmt.handlers.last().map(Ranged::end))
            .unwrap_or_else(|| try_stmt.body.last().map_or(try_stmt.start(), Ranged::end));
        let finally = checker
            .parsed
            .tokens()
            .after(last_before)
            .iter()
            .find(|t| t.kind() == TokenKind::Finally)?
            .start();
        let finally_lines = TextRange::new(
            checker.source.line_start(finally),
            checker.source.full_line_end(try_stmt.end()),
        );
        if try_stmt.handlers.is_empty() && try_stmt.orelse.is_empty() {
            // Nothing left of the `try`: unwrap its body.
            if !checker.fixer().is_own_lines(later) {
                return None;
            }
            let colon = checker
                .parsed
                .tokens()
                .after(try_stmt.start())
                .iter()
                .find(|t| t.kind() == TokenKind::Colon)?
                .start();
            let first = try_stmt.body.first()?;
            if checker.source.line_start(first.start()) <= colon {
                return None;
            }
            let body_lines =
                TextRange::new(checker.source.full_line_end(colon), finally_lines.start());
            let indent = checker.fixer().line_indentation(later.start());
            let body = reindent(
                checker,
                body_lines,
                checker.fixer().line_indentation(first.start()),
                indent,
                &[],
            );
            edits.push(Edit::replacement(
                body,
                checker.source.line_start(later.start()),
                finally_lines.end(),
            ));
        } else {
            edits.push(Edit::range_deletion(finally_lines));
        }
    }
    Some(edits)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::analysis::analyze;
    use crate::config::settings::Settings;

    /// A leaked session followed by `lines` statements.
    fn leak(lines: usize) -> String {
        let rest: String = (0..lines)
            .map(|i| format!("    await session.get(url + '{i}')\n"))
            .collect();
        format!(
            "import aiohttp\n\n\nasync def fetch(url):\n    session = aiohttp.ClientSession()\n{rest}"
        )
    }

    fn fix_titles(source: &str) -> Vec<String> {
        let found: Vec<_> = analyze(Path::new("m.py"), source, &Settings::default())
            .unwrap()
            .into_iter()
            .filter(|d| d.rule.code == "CS004")
            .collect();
        assert_eq!(found.len(), 1);
        found[0].fixes.iter().map(|f| f.title.to_string()).collect()
    }

    fn messages(source: &str) -> Vec<String> {
        analyze(Path::new("m.py"), source, &Settings::default())
            .unwrap()
            .into_iter()
            .filter(|d| d.rule.code == "CS004")
            .map(|d| d.message.to_string())
            .collect()
    }

    /// What the function does with the session comes from the loads of its
    /// variable: a comprehension's own `session` is another variable.
    #[test]
    fn a_comprehension_variable_of_the_same_name_is_not_the_session() {
        let found = messages(
            "import aiohttp\n\n\nasync def f(items):\n    session = aiohttp.ClientSession()\n    \
             other = [print(session) for session in items]\n    await session.get('a')\n",
        );
        assert!(
            matches!(found.as_slice(), [m] if m.contains("is never closed")),
            "{found:?}"
        );
    }

    /// A session used only in a comprehension's first iterable, evaluated
    /// once, is not used in a loop.
    #[test]
    fn a_comprehension_first_iterable_runs_once() {
        let found = messages(
            "import aiohttp\n\n\nasync def f(url):\n    \
             async with aiohttp.ClientSession() as session:\n        \
             return [x for x in await session.get(url)]\n",
        );
        assert!(
            matches!(found.as_slice(), [m] if m.contains("on every call")),
            "{found:?}"
        );
    }

    /// The hand-off leak: a nested function keeps the session only if it
    /// reads the session (not its own variable of the name), and an
    /// asynchronous comprehension is an `await` that can raise.
    #[test]
    fn handoff_leaks_follow_the_variable_and_every_suspension() {
        let leak = |between: &str, start: &str| {
            messages(&format!(
                "import aiohttp\n\n\nasync def f(hass):\n    session = aiohttp.ClientSession()\n    \
                 server = Server(hass, session)\n{between}    try:\n        {start}\n    \
                 except Exception:\n        return False\n    \
                 hass.data['server'] = (server, session)\n"
            ))
        };
        let handed = |found: &[String]| matches!(found, [m] if m.contains("is handed to"));
        let own_variable = "    def stop():\n        session = 1\n        return session\n";
        assert!(handed(&leak(own_variable, "await server.start()")));
        let reads_it = "    def stop():\n        return session.close()\n";
        assert!(!handed(&leak(reads_it, "await server.start()")));
        assert!(handed(&leak(
            "",
            "started = [x async for x in server.start()]"
        )));
        assert!(!handed(&leak("", "started = [x for x in server.start()]")));
    }

    #[test]
    fn closing_on_every_path_moves_at_most_two_hundred_lines() {
        let titles = fix_titles(&leak(200));
        assert!(
            titles.iter().any(|t| t == "Close `session` in `finally`"),
            "{titles:?}"
        );
        assert!(
            titles.iter().any(|t| t.starts_with("Use `async with")),
            "{titles:?}"
        );
        let titles = fix_titles(&leak(201));
        assert!(
            !titles
                .iter()
                .any(|t| t.contains("finally") || t.contains("async with")),
            "{titles:?}"
        );
    }
}
