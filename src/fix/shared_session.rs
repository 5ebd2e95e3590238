//! A module-level shared HTTP client session, created lazily and closed at
//! shutdown, for fixes that stop creating a session per call (CS004's
//! session hoisting) or that move blocking HTTP calls to an async client
//! (CS003).
//!
//! [`shared_session_edits`] returns the accessor's name and the edits that
//! add it. Every finding in one module gets byte-identical edits (the names
//! depend on the module only), so the fix engine applies them once however
//! many call sites use the session. When the module already has such an
//! accessor (from an earlier fix, or written by hand in the same shape) it is
//! reused and no helper is added again.
//!
//! The generated helper, for aiohttp:
//!
//! ```python
//! _http_session: aiohttp.ClientSession | None = None
//!
//!
//! async def get_http_session() -> aiohttp.ClientSession:
//!     """Return the module's shared HTTP session, creating it on first use."""
//!     global _http_session
//!     # Nothing is awaited between the check and the assignment, so callers
//!     # running concurrently on the event loop cannot create two sessions.
//!     if _http_session is None:
//!         _http_session = aiohttp.ClientSession()
//!     return _http_session
//!
//!
//! async def close_http_session() -> None:
//!     """Close the shared HTTP session; call once at shutdown."""
//!     global _http_session
//!     session, _http_session = _http_session, None
//!     if session is not None:
//!         await session.close()
//! ```
//!
//! CS004 offers this module-level session only when the close function is
//! wired to the application's shutdown (or already called): a session
//! nobody closes would also be handed, by the next `asyncio.run(...)`, to an
//! event loop it does not belong to. Closed at shutdown, it is recreated on
//! the next loop's first use. (CS004 prefers the owner's own lifetime: see
//! `rules/cs004_unclosed_session/owner.rs`.)
//!
//! The session is created inside a coroutine (aiohttp wants a running loop)
//! and no lock is needed: the check and the assignment run without an
//! `await` between them, so no other coroutine can interleave. The close
//! function is wired to the application's shutdown when the module defines
//! one: the `lifespan` of a FastAPI/Starlette app (added when it has none),
//! its `on_shutdown` list or `add_event_handler("shutdown", ...)` when it
//! uses event handlers (a lifespan would silently disable those), or an
//! aiohttp `web.Application`'s `on_cleanup` signal.

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextLen, TextSize};

use crate::checker::Checker;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::scope_walk::each_statement;
use crate::semantic::{BindingKind, ScopeId};

/// Which async HTTP client the shared session is.
#[derive(Debug)]
pub struct ClientSpec {
    /// The module to import (`aiohttp`).
    pub module: &'static str,
    /// The class, as an attribute of the module (`ClientSession`).
    pub class: &'static str,
    /// Qualified names the class is known under.
    pub qualified: &'static [&'static str],
    /// The coroutine method that closes it (`close`, `aclose`).
    pub close: &'static str,
    /// The property that says it is closed (`closed`, `is_closed`).
    pub closed: &'static str,
    /// Base names for the module variable, the accessor and the closer.
    pub variable: &'static str,
    pub accessor: &'static str,
    pub closer: &'static str,
}

pub static AIOHTTP: ClientSpec = ClientSpec {
    module: "aiohttp",
    class: "ClientSession",
    qualified: &["aiohttp.ClientSession", "aiohttp.client.ClientSession"],
    close: "close",
    closed: "closed",
    variable: "_http_session",
    accessor: "get_http_session",
    closer: "close_http_session",
};

pub static HTTPX: ClientSpec = ClientSpec {
    module: "httpx",
    class: "AsyncClient",
    qualified: &["httpx.AsyncClient", "httpx._client.AsyncClient"],
    close: "aclose",
    closed: "is_closed",
    variable: "_http_client",
    accessor: "get_http_client",
    closer: "close_http_client",
};

/// httpx2, the maintained continuation of httpx: the same API.
pub static HTTPX2: ClientSpec = ClientSpec {
    module: "httpx2",
    class: "AsyncClient",
    qualified: &["httpx2.AsyncClient", "httpx2._client.AsyncClient"],
    close: "aclose",
    closed: "is_closed",
    variable: "_http_client",
    accessor: "get_http_client",
    closer: "close_http_client",
};

/// How the shared session gets closed when the application stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shutdown {
    /// The edits wire the close function into the application defined in
    /// this module; the text says how (`the app's lifespan`...).
    Wired(String),
    /// The close function is already called somewhere in the module.
    AlreadyWired,
    /// No application found: someone must call the close function.
    Missing,
}

/// The shared session of one module.
#[derive(Debug, Clone)]
pub struct SharedSession {
    /// The accessor to await at call sites: `await {accessor_name}()`.
    pub accessor_name: String,
    /// The coroutine function that closes the session.
    pub closer_name: String,
    /// Edits adding the helper, its imports and the shutdown wiring (empty
    /// when everything is in place already).
    pub edits: Vec<Edit>,
    pub shutdown: Shutdown,
}

impl SharedSession {
    /// The expression a call site uses instead of creating a session.
    pub fn call(&self) -> String {
        format!("await {}()", self.accessor_name)
    }

    /// What a fix title says about closing the session: empty when it is
    /// taken care of, otherwise the call that must be added at shutdown.
    pub fn shutdown_note(&self) -> String {
        match &self.shutdown {
            Shutdown::Wired(how) => format!(" (closed by {how})"),
            Shutdown::AlreadyWired => String::new(),
            Shutdown::Missing => format!(
                "; add `await {}()` to your application's shutdown",
                self.closer_name
            ),
        }
    }
}

/// The shared aiohttp session of the module being checked.
pub fn shared_session_edits(checker: &Checker) -> SharedSession {
    shared_client_edits(checker, &AIOHTTP)
}

/// The shared session of the module being checked for the client `spec`.
///
/// It depends on the module only, so it is computed once per module and
/// client: every finding asks for it, and computing it walks the module
/// (looking for the application to wire the shutdown into), which made
/// modules with thousands of findings quadratic.
pub fn shared_client_edits(checker: &Checker, spec: &ClientSpec) -> SharedSession {
    let key = if spec.module == AIOHTTP.module {
        "shared-session:aiohttp"
    } else {
        "shared-session:httpx"
    };
    (*checker.memo(key, ruff_text_size::TextRange::default(), || {
        compute_shared_client_edits(checker, spec)
    }))
    .clone()
}

fn compute_shared_client_edits(checker: &Checker, spec: &ClientSpec) -> SharedSession {
    let unit = checker.fixer().indent_unit().to_string();
    // New imports, then the helper: all inserted after the last import.
    let mut imports: Vec<Edit> = Vec::new();
    // Modules to import, placed together where isort puts them.
    let mut modules: Vec<&'static str> = Vec::new();
    let mut helper: Option<Edit> = None;
    let mut definitions: Vec<Edit> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let helper_at = checker.fixer().insert_after_imports("").start();

    let existing = find_accessor(checker, spec);
    let (accessor_name, closer_name, closer_exists) = match &existing {
        Some(found) => {
            let closer = find_closer(checker, &found.variable, spec);
            match closer {
                Some(name) => (found.name.clone(), name, true),
                None => {
                    let name = checker.fixer().unused_module_name(spec.closer);
                    let text = closer_text(&name, &found.variable, spec, &unit);
                    edits.push(Edit::insertion(
                        format!("\n\n{text}"),
                        checker.source.full_line_end(found.def.end()),
                    ));
                    (found.name.clone(), name, false)
                }
            }
        }
        None => {
            let module = checker
                .fixer()
                .imported_module_name(spec.module)
                .unwrap_or_else(|| spec.module.to_string());
            modules.push(spec.module);
            let variable = checker.fixer().unused_module_name(spec.variable);
            let accessor = checker.fixer().unused_module_name(spec.accessor);
            let closer = checker.fixer().unused_module_name(spec.closer);
            let class = format!("{module}.{}", spec.class);
            let annotation = if checker.settings.target_version.at_least(10) {
                format!("{class} | None")
            } else {
                format!("\"{class} | None\"")
            };
            let text = format!(
                "\n{variable}: {annotation} = None\n\n\n\
                 async def {accessor}() -> {class}:\n\
                 {unit}\"\"\"Return the module's shared HTTP session, creating it on first use.\"\"\"\n\
                 {unit}global {variable}\n\
                 {unit}# Nothing is awaited between the check and the assignment, so callers\n\
                 {unit}# running concurrently on the event loop cannot create two sessions.\n\
                 {unit}if {variable} is None:\n\
                 {unit}{unit}{variable} = {class}()\n\
                 {unit}return {variable}\n\n\n{closer_body}",
                closer_body = closer_text(&closer, &variable, spec, &unit),
            );
            helper = Some(
                checker
                    .fixer()
                    .insert_after_imports(text.trim_end_matches('\n')),
            );
            (accessor, closer, false)
        }
    };

    let shutdown = if closer_exists && is_called_elsewhere(checker, &closer_name) {
        Shutdown::AlreadyWired
    } else {
        match wire_shutdown(
            checker,
            &closer_name,
            helper_at,
            &unit,
            &mut modules,
            &mut definitions,
        ) {
            Some((how, wiring)) => {
                edits.extend(wiring);
                Shutdown::Wired(how)
            }
            None => Shutdown::Missing,
        }
    };

    // Imports first, then the helper, then what the wiring defines; two
    // blank lines between the new definitions and the code after them.
    let defines = helper.is_some() || !definitions.is_empty();
    let (_, import_edits) = checker.fixer().import_modules(&modules);
    imports.extend(import_edits);
    imports.extend(helper);
    imports.extend(definitions);
    let mut merged = crate::fix::edits::merge_insertions(imports);
    if defines && let Some(last) = merged.iter_mut().rfind(|e| e.start() == helper_at) {
        let missing = 2usize.saturating_sub(blank_lines_at(checker, helper_at));
        if missing > 0 && helper_at < checker.source.text_len() {
            let content = format!("{}{}", last.content().unwrap_or(""), "\n".repeat(missing));
            *last = Edit::insertion(content, helper_at);
        }
    }
    edits.extend(merged);
    edits.sort_by_key(|e| (e.start(), e.end()));
    SharedSession {
        accessor_name,
        closer_name,
        edits,
        shutdown,
    }
}

/// How many blank lines start at `offset` (a line start).
fn blank_lines_at(checker: &Checker, offset: TextSize) -> usize {
    checker.source[offset.to_usize()..]
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty() && line.ends_with('\n'))
        .count()
}

fn closer_text(name: &str, variable: &str, spec: &ClientSpec, unit: &str) -> String {
    format!(
        "async def {name}() -> None:\n\
         {unit}\"\"\"Close the shared HTTP session; call once at shutdown.\"\"\"\n\
         {unit}global {variable}\n\
         {unit}session, {variable} = {variable}, None\n\
         {unit}if session is not None:\n\
         {unit}{unit}await session.{close}()\n",
        close = spec.close
    )
}

struct Accessor<'a> {
    name: String,
    variable: String,
    def: &'a ast::StmtFunctionDef,
}

/// A module-level `async def NAME():` that declares `global V`, assigns
/// `V = <client class>()` and returns `V`: our helper, or one written in the
/// same shape.
fn find_accessor<'a>(checker: &Checker<'a>, spec: &ClientSpec) -> Option<Accessor<'a>> {
    for stmt in checker.body() {
        let Stmt::FunctionDef(def) = stmt else {
            continue;
        };
        if !def.is_async || !def.parameters.is_empty() {
            continue;
        }
        let Some(scope) = checker.semantic.function_scope(def) else {
            continue;
        };
        let globals: Vec<&str> = def
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::Global(g) => Some(g.names.iter().map(|n| n.id.as_str())),
                _ => None,
            })
            .flatten()
            .collect();
        let returns = def.body.iter().find_map(|s| match s {
            Stmt::Return(ast::StmtReturn {
                value: Some(value), ..
            }) => value.as_name_expr().map(|n| n.id.as_str()),
            _ => None,
        });
        let Some(variable) = returns.filter(|v| globals.contains(v)) else {
            continue;
        };
        let mut creates = false;
        each_statement(&def.body, &mut |s| {
            if let Stmt::Assign(assign) = s
                && let [Expr::Name(target)] = assign.targets.as_slice()
                && target.id.as_str() == variable
                && let Expr::Call(call) = &*assign.value
                && call.arguments.is_empty()
                && checker
                    .semantic
                    .resolve_qualified_name(&call.func, scope)
                    .is_some_and(|q| q.is_any_of(spec.qualified))
            {
                creates = true;
            }
        });
        if creates {
            return Some(Accessor {
                name: def.name.id.to_string(),
                variable: variable.to_string(),
                def,
            });
        }
    }
    None
}

/// A module-level `async def` that closes the session held in `variable`
/// (`await variable.close()`, or through a local it was moved to).
fn find_closer(checker: &Checker, variable: &str, spec: &ClientSpec) -> Option<String> {
    for stmt in checker.body() {
        let Stmt::FunctionDef(def) = stmt else {
            continue;
        };
        if !def.is_async {
            continue;
        }
        let mentions_variable = def.body.iter().any(|s| match s {
            Stmt::Global(g) => g.names.iter().any(|n| n.id.as_str() == variable),
            _ => false,
        });
        if !mentions_variable {
            continue;
        }
        let mut closes = false;
        each_statement(&def.body, &mut |s| {
            if let Stmt::Expr(ast::StmtExpr { value, .. }) = s
                && let Expr::Await(awaited) = &**value
                && let Expr::Call(call) = &*awaited.value
                && let Expr::Attribute(attr) = &*call.func
                && attr.attr.id.as_str() == spec.close
            {
                closes = true;
            }
        });
        if closes {
            return Some(def.name.id.to_string());
        }
    }
    None
}

/// Whether `name` is read somewhere other than its own definition.
fn is_called_elsewhere(checker: &Checker, name: &str) -> bool {
    checker.semantic.loads_named(name).next().is_some()
}

const ASGI_APPS: &[&str] = &[
    "fastapi.FastAPI",
    "fastapi.applications.FastAPI",
    "starlette.applications.Starlette",
];
const AIOHTTP_APPS: &[&str] = &["aiohttp.web.Application", "aiohttp.web_app.Application"];

/// An application created by `NAME = App(...)`.
struct App<'a> {
    name: &'a str,
    stmt: &'a Stmt,
    call: &'a ast::ExprCall,
    asgi: bool,
}

/// The first application the module creates: an ASGI app at module level,
/// or an aiohttp `web.Application` at module level or at the top of a
/// function body (an app factory).
fn find_app<'a>(checker: &Checker<'a>) -> Option<App<'a>> {
    let mut places: Vec<(ScopeId, &'a [Stmt])> = vec![(ScopeId::MODULE, checker.body())];
    places.extend(
        checker
            .semantic
            .functions()
            .map(|(scope, def)| (scope, &def.body[..])),
    );
    for (scope, body) in places {
        for stmt in body {
            let Stmt::Assign(assign) = stmt else { continue };
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                continue;
            };
            let Expr::Call(call) = &*assign.value else {
                continue;
            };
            let Some(qualified) = checker.semantic.resolve_qualified_name(&call.func, scope) else {
                continue;
            };
            let asgi = qualified.is_any_of(ASGI_APPS);
            if (asgi && scope == ScopeId::MODULE) || qualified.is_any_of(AIOHTTP_APPS) {
                if !checker.fixer().is_own_lines(stmt) {
                    continue;
                }
                return Some(App {
                    name: target.id.as_str(),
                    stmt,
                    call,
                    asgi,
                });
            }
        }
    }
    None
}

/// Edits calling `closer` when the module's application shuts down, and a
/// description of where, or `None` when the module defines no application
/// (or defines it before the helper would exist).
fn wire_shutdown(
    checker: &Checker,
    closer: &str,
    helper_at: TextSize,
    unit: &str,
    modules: &mut Vec<&'static str>,
    definitions: &mut Vec<Edit>,
) -> Option<(String, Vec<Edit>)> {
    let app = find_app(checker)?;
    let module_level = checker.body().iter().any(|s| std::ptr::eq(s, app.stmt));
    if module_level && app.stmt.start() < helper_at {
        return None;
    }
    let indent = checker.fixer().line_indentation(app.stmt.start());
    let after_app = checker.source.full_line_end(app.stmt.end());
    if !app.asgi {
        let edit = Edit::insertion(
            format!(
                "{indent}{}.on_cleanup.append(lambda _app: {closer}())\n",
                app.name
            ),
            after_app,
        );
        return Some(("the app's `on_cleanup`".to_string(), vec![edit]));
    }

    // `lifespan=some_function`: close after its `yield`.
    if let Some(keyword) = app.call.arguments.find_keyword("lifespan") {
        let Expr::Name(name) = &keyword.value else {
            return None;
        };
        let binding =
            checker
                .semantic
                .resolve_name(name.id.as_str(), ScopeId::MODULE, app.stmt.start())?;
        let BindingKind::FunctionDef(def) = binding.kind else {
            return None;
        };
        let last = def.body.last()?;
        let target = match last {
            Stmt::Try(t) if !t.finalbody.is_empty() => t.finalbody.last()?,
            _ => last,
        };
        let indent = checker.fixer().line_indentation(target.start());
        let edit = Edit::insertion(
            format!("{indent}await {closer}()\n"),
            checker.source.full_line_end(target.end()),
        );
        return Some((format!("`{}`", def.name.id), vec![edit]));
    }

    // `on_shutdown=[...]`: add the closer to the list.
    if let Some(keyword) = app.call.arguments.find_keyword("on_shutdown") {
        let Expr::List(list) = &keyword.value else {
            return None;
        };
        let edit = match list.elts.last() {
            Some(last) => Edit::insertion(format!(", {closer}"), last.end()),
            None => Edit::insertion(closer.to_string(), list.start() + TextSize::from(1)),
        };
        return Some(("the app's `on_shutdown` handlers".to_string(), vec![edit]));
    }

    // Event handlers in use: a lifespan would disable them, so add one more.
    if app.call.arguments.find_keyword("on_startup").is_some()
        || uses_event_handlers(checker, app.name)
    {
        let edit = Edit::insertion(
            format!(
                "{indent}{}.add_event_handler(\"shutdown\", {closer})\n",
                app.name
            ),
            after_app,
        );
        return Some(("a shutdown event handler".to_string(), vec![edit]));
    }

    if !module_level {
        return None;
    }
    // No shutdown hook yet: give the app a lifespan.
    let fixer = checker.fixer();
    let module_name = |module: &'static str, modules: &mut Vec<&'static str>| {
        modules.push(module);
        fixer
            .imported_module_name(module)
            .unwrap_or_else(|| module.to_string())
    };
    let contextlib = module_name("contextlib", modules);
    // Annotated, so that `mypy --strict` has nothing to say about it.
    let iterator = if checker.settings.target_version.at_least(9) {
        format!(
            "{}.AsyncIterator[None]",
            module_name("collections.abc", modules)
        )
    } else {
        format!("\"{}.AsyncIterator[None]\"", module_name("typing", modules))
    };
    let lifespan = fixer.unused_module_name("lifespan");
    // Defined with the helper, after the imports, so it exists before the app.
    definitions.push(fixer.insert_after_imports(&format!(
        "\n\n@{contextlib}.asynccontextmanager\n\
         async def {lifespan}(_app: object) -> {iterator}:\n\
         {unit}yield\n\
         {unit}await {closer}()"
    )));
    let arguments = &app.call.arguments;
    let last_argument = arguments
        .args
        .iter()
        .map(Ranged::end)
        .chain(arguments.keywords.iter().map(Ranged::end))
        .max();
    let keyword = match last_argument {
        Some(end) => Edit::insertion(format!(", lifespan={lifespan}"), end),
        None => Edit::insertion(
            format!("lifespan={lifespan}"),
            arguments.end() - TextSize::from(1),
        ),
    };
    Some((format!("a new `{lifespan}`"), vec![keyword]))
}

/// Whether the module registers event handlers on `app`
/// (`@app.on_event(...)`, `app.add_event_handler(...)`).
fn uses_event_handlers(checker: &Checker, app: &str) -> bool {
    checker.semantic.loads_named(app).any(|(_, r)| {
        let rest = &checker.source[r.range.end().to_usize()..];
        rest.starts_with(".on_event(") || rest.starts_with(".add_event_handler(")
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ruff_python_parser::parse_module;
    use ruff_source_file::LineIndex;

    use super::*;
    use crate::analysis::analyze;
    use crate::config::settings::Settings;

    const SOURCE: &str = "\
import aiohttp


async def one(url):
    async with aiohttp.ClientSession() as s:
        return await s.get(url)


async def two(url):
    async with aiohttp.ClientSession() as s:
        return await s.get(url)


app = aiohttp.web.Application()
";

    fn with_checker<T>(source: &str, f: impl FnOnce(&Checker) -> T) -> T {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let settings = Settings::default();
        let checker = Checker::new(Path::new("m.py"), source, &parsed, &lines, &settings);
        f(&checker)
    }

    #[test]
    fn every_finding_of_a_module_gets_the_same_helper_edits() {
        let diagnostics = analyze(Path::new("m.py"), SOURCE, &Settings::default()).unwrap();
        let hoists: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.rule.code == "CS004")
            .filter_map(|d| d.fixes.iter().find(|f| !f.is_safe()))
            .collect();
        assert_eq!(hoists.len(), 2);
        let shared = with_checker(SOURCE, shared_session_edits);
        assert_eq!(shared.accessor_name, "get_http_session");
        assert_eq!(
            shared.shutdown,
            Shutdown::Wired("the app's `on_cleanup`".to_string())
        );
        for fix in hoists {
            for edit in &shared.edits {
                assert!(fix.edits.contains(edit), "{edit:?} missing from {fix:?}");
            }
        }
    }

    #[test]
    fn names_avoid_collisions_and_existing_accessor_is_reused() {
        let taken = "import aiohttp\n\nget_http_session = 1\n";
        let shared = with_checker(taken, shared_session_edits);
        assert_eq!(shared.accessor_name, "get_http_session_1");
        assert!(!shared.edits.is_empty());

        let existing = "\
import aiohttp

_s = None


async def session():
    global _s
    if _s is None:
        _s = aiohttp.ClientSession()
    return _s


async def close_http_session() -> None:
    global _s
    await _s.close()


async def stop():
    await close_http_session()
";
        let shared = with_checker(existing, shared_session_edits);
        assert_eq!(shared.accessor_name, "session");
        assert_eq!(shared.closer_name, "close_http_session");
        assert_eq!(shared.shutdown, Shutdown::AlreadyWired);
        assert!(shared.edits.is_empty());
    }
}
