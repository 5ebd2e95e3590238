//! CS003's `requests` -> `aiohttp` rewrite.
//!
//! `r = requests.get(url, ...)` in an `async def`, followed by statements
//! that use `r`, becomes a request on the module's shared
//! `aiohttp.ClientSession` (the lazily-created accessor of
//! [`crate::fix::shared_session`], the one CS004's hoisting uses):
//!
//! ```python
//! session = await get_http_session()
//! ...
//! async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as r:
//!     r.raise_for_status()
//!     data = await r.json()
//! ```
//!
//! The statements of the block from the call to the last use of `r` move
//! under `async with`, so the response is released on every path. Every use
//! of `r` there must have an aiohttp spelling (see [`rewrite_use`]); when one
//! has none (the response escapes: returned, passed on, stored; or an
//! attribute we do not map), no fix is offered here and the rule's
//! `to_thread` fix remains. A call whose response is discarded becomes
//! `async with session.post(...):` with a `pass` body, and a response read
//! on the spot (`data = requests.get(url).json()`) puts that one statement
//! under `async with session.get(url) as response:`.

use std::collections::HashMap;

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::fix::edits::{edited_text, edits_within};
use crate::fix::indent::inside_token;
use crate::fix::shared_session::shared_session_edits;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, BlockKind, ScopeId, SemanticModel};

/// The `requests` functions and how many positional arguments they take
/// before the keywords (`url`, or `method, url`).
const METHODS: &[(&str, usize)] = &[
    ("get", 1),
    ("post", 1),
    ("put", 1),
    ("patch", 1),
    ("delete", 1),
    ("head", 1),
    ("options", 1),
    ("request", 2),
];

/// Keyword arguments aiohttp accepts with the same meaning.
const PASSED_THROUGH: &[&str] = &["params", "headers", "json", "data", "allow_redirects"];

/// `range` replaced by `text`: an insertion when `range` is empty, a
/// deletion when `text` is; `None` when both are (nothing to do).
fn edit(range: TextRange, text: impl Into<String>) -> Option<Edit> {
    let text = text.into();
    match (range.is_empty(), text.is_empty()) {
        (true, true) => None,
        (true, false) => Some(Edit::insertion(text, range.start())),
        (false, true) => Some(Edit::range_deletion(range)),
        (false, false) => Some(Edit::range_replacement(text, range)),
    }
}

/// `text` inserted at `at` (nothing when `text` is empty).
fn insert(at: TextSize, text: impl Into<String>) -> Option<Edit> {
    edit(TextRange::empty(at), text)
}

/// One more level of indentation for each line starting in `lines` that has
/// code on it and is not inside a token (a multi-line string) or `skip`.
fn indent_lines(checker: &Checker, lines: TextRange, skip: Option<TextRange>) -> Vec<Edit> {
    let unit = checker.fixer().indent_unit();
    let mut edits = Vec::new();
    let mut line = lines.start();
    while line < lines.end() {
        let text = &checker.source[TextRange::new(line, checker.source.line_end(line))];
        if !text.trim().is_empty()
            && !inside_token(checker, line)
            && !skip.is_some_and(|r| r.contains(line))
        {
            edits.extend(insert(checker.fixer().indent_point(line), unit.to_string()));
        }
        line = checker.source.full_line_end(line);
    }
    edits
}

/// The aiohttp fix for a blocking `requests.<method>(...)` call, when every
/// use of its response can be rewritten.
pub(super) fn requests_to_aiohttp_fix<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
    def: &'a ast::StmtFunctionDef,
    call: &'a ast::ExprCall,
    qualified: &str,
) -> Option<CodeFix> {
    let method = qualified.strip_prefix("requests.")?;
    let &(_, positional) = METHODS.iter().find(|(m, _)| *m == method)?;
    let site = find_statement(&checker.semantic, call.range())?;
    let stmt = &site.block[site.index];
    if !checker.fixer().is_own_lines(stmt) {
        return None;
    }
    let target = match stmt {
        Stmt::Assign(assign) if assign.value.range() == call.range() => {
            match assign.targets.as_slice() {
                [Expr::Name(name)] => Some(name),
                _ => return None,
            }
        }
        Stmt::Expr(expr) if expr.value.range() == call.range() => None,
        Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Return(_) | Stmt::Expr(_) => {
            return chained_fix(checker, scope, def, call, method, positional, stmt);
        }
        _ => return None,
    };

    let Prepared {
        shared,
        session,
        session_edit,
        call_edits,
        mut edits,
    } = prepare(checker, scope, def, call, method, positional, stmt)?;

    let indent = checker.fixer().line_indentation(stmt.start());
    let unit = checker.fixer().indent_unit();
    let stmt_end = checker.source.full_line_end(stmt.end());
    let mut rewrites = call_edits;
    // `r = ` -> `async with `, `... as r:` after the call.
    rewrites.extend(edit(
        TextRange::new(stmt.start(), call.start()),
        "async with ",
    ));
    let window = match target {
        Some(name) => {
            let window = response_uses(checker, scope, def, &site, name)?;
            let as_name = if window.statements == 0 {
                String::new()
            } else {
                format!(" as {}", name.id)
            };
            rewrites.extend(insert(call.end(), format!("{as_name}:")));
            window
        }
        None => {
            rewrites.extend(insert(call.end(), ":"));
            Window::default()
        }
    };
    let end = if window.statements == 0 {
        stmt_end
    } else {
        let last = &site.block[site.index + window.statements];
        if !checker.fixer().is_own_lines(last) {
            return None;
        }
        checker.source.full_line_end(last.end())
    };
    rewrites.extend(window.edits);
    // Handlers for `requests`' exceptions would no longer catch anything.
    if catches_requests_errors(checker, scope, def, TextRange::new(stmt.start(), end)) {
        return None;
    }
    // One more level of indentation for the lines under `async with`, each
    // before any other insertion at the start of its line.
    let mut body = indent_lines(checker, TextRange::new(stmt_end, end), None);
    body.extend(rewrites);
    if window.statements == 0 {
        let newline = checker.source[TextRange::new(stmt.start(), end)].ends_with('\n');
        let pass = if newline {
            format!("{indent}{unit}pass\n")
        } else {
            format!("\n{indent}{unit}pass")
        };
        body.extend(insert(end, pass));
    }
    let body = edits_within(checker.source, TextRange::new(stmt.start(), end), body)?;
    edits.extend(body);
    edits.extend(session_edit);
    let title = format!(
        "Use aiohttp with the shared session: `async with {session}.{method}(...){}:`{}",
        target.map(|n| format!(" as {}", n.id)).unwrap_or_default(),
        shared.shutdown_note()
    );
    edits.extend(shared.edits);
    Some(CodeFix::unsafe_(title, edits))
}

/// What every form of the fix needs: the shared session, the local holding
/// it, the rewrite of the call (`session.get(url, ...)`) and the import of
/// `aiohttp` when the arguments name it.
struct Prepared {
    shared: crate::fix::shared_session::SharedSession,
    session: String,
    session_edit: Option<Edit>,
    /// The rewrite of the call itself (`session.get(url, ...)`).
    call_edits: Vec<Edit>,
    edits: Vec<Edit>,
}

fn prepare(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    call: &ast::ExprCall,
    method: &str,
    positional: usize,
    stmt: &Stmt,
) -> Option<Prepared> {
    let shared = shared_session_edits(checker);
    if !names_module_level(checker, &shared.accessor_name, scope, call.start()) {
        return None;
    }
    let (session, session_edit) =
        session_binding(checker, scope, def, stmt, &shared.accessor_name)?;
    let mut call_edits: Vec<Edit> = edit(call.func.range(), format!("{session}.{method}"))
        .into_iter()
        .collect();
    let (mut extra, needs_aiohttp) = map_arguments(checker, call, positional)?;
    let mut edits = Vec::new();
    if needs_aiohttp {
        let (aiohttp, import) = checker.fixer().import_module("aiohttp");
        if !names_module(checker, &aiohttp, "aiohttp", scope, call.start()) {
            return None;
        }
        for rewrite in &mut extra {
            if let Some(content) = rewrite.content()
                && content.contains("{aiohttp}")
            {
                *rewrite = Edit::replacement(
                    content.replace("{aiohttp}", &aiohttp),
                    rewrite.start(),
                    rewrite.end(),
                );
            }
        }
        if let Some(import) = import
            && !shared.edits.iter().any(|e| {
                e.start() == import.start()
                    && e.content()
                        .is_some_and(|c| c.contains(import.content().unwrap_or("")))
            })
        {
            edits.push(import);
        }
    }
    call_edits.extend(extra);
    Some(Prepared {
        shared,
        session,
        session_edit,
        call_edits,
        edits,
    })
}

/// `data = requests.get(url).json()` (any simple statement reading one
/// attribute of the fresh response) -> the statement under
/// `async with session.get(url) as response:`, reading `response`.
fn chained_fix(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    call: &ast::ExprCall,
    method: &str,
    positional: usize,
    stmt: &Stmt,
) -> Option<CodeFix> {
    let mut uses = Chained {
        call: call.range(),
        attribute: None,
        calls: HashMap::new(),
        primary_bases: Vec::new(),
        generators: Vec::new(),
    };
    checker
        .semantic
        .walk_scope(std::slice::from_ref(stmt), &mut uses);
    let attribute = uses.attribute?;
    if attribute.ctx != ExprContext::Load
        || uses
            .generators
            .iter()
            .any(|g| g.contains_range(attribute.range()))
    {
        return None;
    }
    let outer_call = uses.calls.get(&attribute.range());
    let no_arguments = outer_call.is_some_and(|c| c.arguments.is_empty());
    let Prepared {
        shared,
        session,
        session_edit,
        call_edits,
        mut edits,
    } = prepare(checker, scope, def, call, method, positional, stmt)?;
    let response = checker
        .fixer()
        .unused_name_in("response", def.range(), |name| name == session);
    let awaited = |range: TextRange, text: String| {
        if uses.primary_bases.contains(&range) {
            (range, format!("(await {text})"))
        } else {
            (range, format!("await {text}"))
        }
    };
    let (range, text) = match attribute.attr.id.as_str() {
        "json" if no_arguments => awaited(
            outer_call?.range(),
            format!("{response}.json(content_type=None)"),
        ),
        "text" if outer_call.is_none() => awaited(attribute.range(), format!("{response}.text()")),
        "content" if outer_call.is_none() => {
            awaited(attribute.range(), format!("{response}.read()"))
        }
        "status_code" if outer_call.is_none() => (attribute.range(), format!("{response}.status")),
        "raise_for_status" if no_arguments => (
            outer_call?.range(),
            format!("{response}.raise_for_status()"),
        ),
        name @ ("headers" | "ok" | "reason") if outer_call.is_none() => {
            (attribute.range(), format!("{response}.{name}"))
        }
        _ => return None,
    };
    let header = edited_text(checker.source, call.range(), call_edits)?;
    let lines = TextRange::new(stmt.start(), checker.source.full_line_end(stmt.end()));
    if catches_requests_errors(checker, scope, def, stmt.range()) {
        return None;
    }
    let indent = checker.fixer().line_indentation(stmt.start());
    let unit = checker.fixer().indent_unit();
    // `async with ... as response:` on the statement's line, the statement
    // (its continuation lines indented) under it.
    let mut body = vec![Edit::insertion(
        format!("async with {header} as {response}:\n{indent}{unit}"),
        stmt.start(),
    )];
    body.extend(indent_lines(
        checker,
        TextRange::new(checker.source.full_line_end(stmt.start()), lines.end()),
        Some(range),
    ));
    body.extend(edit(range, text));
    edits.extend(edits_within(checker.source, lines, body)?);
    edits.extend(session_edit);
    let title = format!(
        "Use aiohttp with the shared session: `async with {session}.{method}(...) as {response}:`{}",
        shared.shutdown_note()
    );
    edits.extend(shared.edits);
    Some(CodeFix::unsafe_(title, edits))
}

/// The attribute read on the fresh response in a chained use.
struct Chained<'a> {
    call: TextRange,
    attribute: Option<&'a ast::ExprAttribute>,
    calls: HashMap<TextRange, &'a ast::ExprCall>,
    primary_bases: Vec<TextRange>,
    generators: Vec<TextRange>,
}

impl<'a> ScopeVisitor<'a> for Chained<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attribute) => {
                self.primary_bases.push(attribute.value.range());
                if attribute.value.range() == self.call {
                    self.attribute = Some(attribute);
                }
            }
            Expr::Subscript(subscript) => self.primary_bases.push(subscript.value.range()),
            Expr::Call(call) => {
                self.primary_bases.push(call.func.range());
                self.calls.insert(call.func.range(), call);
            }
            Expr::Generator(generator) => self.generators.push(generator.range()),
            Expr::Await(awaited) => self.primary_bases.push(awaited.value.range()),
            _ => {}
        }
    }
}

/// The keyword mapping: pieces rewriting the arguments, and whether they
/// name `aiohttp` (as `{aiohttp}`, filled in by the caller).
fn map_arguments(
    checker: &Checker,
    call: &ast::ExprCall,
    positional: usize,
) -> Option<(Vec<Edit>, bool)> {
    let arguments = &call.arguments;
    if arguments.args.len() > positional || arguments.args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let mut edits = Vec::new();
    let mut needs_aiohttp = false;
    for keyword in &arguments.keywords {
        let arg = keyword.arg.as_ref()?;
        match arg.id.as_str() {
            "url" => {}
            "method" if positional == 2 => {}
            name if PASSED_THROUGH.contains(&name) => {}
            "timeout" => {
                let value = &keyword.value;
                let text = match value {
                    Expr::Tuple(tuple) if tuple.elts.len() == 2 => format!(
                        "{{aiohttp}}.ClientTimeout(sock_connect={}, sock_read={})",
                        checker.text(&tuple.elts[0]),
                        checker.text(&tuple.elts[1])
                    ),
                    Expr::Tuple(_) | Expr::Starred(_) => return None,
                    // `requests` bounds the connect and each read, not the
                    // whole request.
                    _ => {
                        let t = checker.text(value);
                        format!("{{aiohttp}}.ClientTimeout(sock_connect={t}, sock_read={t})")
                    }
                };
                edits.extend(edit(value.range(), text));
                needs_aiohttp = true;
            }
            "verify" => {
                if !matches!(keyword.value, Expr::BooleanLiteral(_)) {
                    return None;
                }
                edits.extend(edit(arg.range(), "ssl"));
            }
            _ => return None,
        }
    }
    Some((edits, needs_aiohttp))
}

/// Whether `name` at `at` is a module-level name (or not bound yet), not a
/// local that shadows it.
fn names_module_level(checker: &Checker, name: &str, scope: ScopeId, at: TextSize) -> bool {
    checker
        .semantic
        .resolve_name(name, scope, at)
        .is_none_or(|b| b.scope == ScopeId::MODULE)
}

/// Whether `name` at `at` is the module `module` (or not bound yet).
fn names_module(checker: &Checker, name: &str, module: &str, scope: ScopeId, at: TextSize) -> bool {
    match checker.semantic.resolve_name(name, scope, at) {
        None => true,
        Some(binding) => {
            matches!(binding.kind, BindingKind::Import { qualified } if qualified == module)
        }
    }
}

/// The local that holds the shared session in the function, and the edit
/// that binds it at the top of the body when there is none yet. An existing
/// `NAME = await accessor()` is reused when it is a statement of the
/// function's own body before `stmt` and `NAME`'s only binding; otherwise
/// `session` (or `session_1`...) is bound as the body's first statement
/// (after the docstring), byte-identical for every call of the function so
/// the engine applies it once.
fn session_binding(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    stmt: &Stmt,
    accessor: &str,
) -> Option<(String, Option<Edit>)> {
    // Performance (issue 19): the first such statement of the function is
    // looked up once per function, not once per finding.
    let bound = checker.memo("cs003:session-binding", def.range(), || {
        def.body.iter().find_map(|top| {
            if let Stmt::Assign(assign) = top
                && let [Expr::Name(name)] = assign.targets.as_slice()
                && let Expr::Await(awaited) = &*assign.value
                && let Expr::Call(inner) = &*awaited.value
                && inner.arguments.is_empty()
                && matches!(&*inner.func, Expr::Name(f) if f.id.as_str() == accessor)
                && checker
                    .semantic
                    .bindings_in_scope(name.id.as_str(), scope)
                    .count()
                    == 1
            {
                Some((top.start(), name.id.to_string()))
            } else {
                None
            }
        })
    });
    if let Some((at, name)) = bound.as_ref()
        && *at < stmt.start()
    {
        return Some((name.clone(), None));
    }
    let first = def
        .body
        .iter()
        .find(|s| !is_docstring(s))
        .filter(|s| checker.fixer().is_own_lines(s))?;
    let name = (*checker.memo("cs003:session-name", def.range(), || {
        checker
            .fixer()
            .unused_name_in("session", def.range(), |_| false)
    }))
    .clone();
    let indent = checker.fixer().line_indentation(first.start());
    let edit = Edit::insertion(
        format!("{indent}{name} = await {accessor}()\n"),
        checker.source.line_start(first.start()),
    );
    Some((name, Some(edit)))
}

fn is_docstring(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr())
}

/// Where the statement holding a call is: its block, its index there, and
/// the start of the outermost loop around it in the function.
struct Site<'a> {
    block: &'a [Stmt],
    index: usize,
    loop_start: Option<TextSize>,
}

/// The innermost statement holding `range` (from the model's statement
/// tree), its block and index, and the outermost loop of its function whose
/// body holds it.
fn find_statement<'a>(semantic: &SemanticModel<'a>, range: TextRange) -> Option<Site<'a>> {
    let id = semantic.statement_at(range.start())?;
    if !semantic.statement(id).range().contains_range(range) {
        return None;
    }
    let (block, index) = semantic.block_of(id);
    let statements = semantic.statements();
    let mut loop_start = None;
    for ancestor in statements.ancestors(id) {
        let info = statements.info(ancestor);
        match info.block_kind {
            BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => break,
            BlockKind::LoopBody => {
                loop_start = info.parent.map(|p| semantic.statement(p).start());
            }
            _ => {}
        }
    }
    Some(Site {
        block,
        index,
        loop_start,
    })
}

/// The statements after the call that use the response (how many), and the
/// rewrites of those uses.
#[derive(Default)]
struct Window {
    statements: usize,
    edits: Vec<Edit>,
}

/// Checks that every read of the response bound by `block[index]` is in the
/// statements that follow it in the block (up to a plain rebinding of the
/// name), and rewrites each use to aiohttp's API.
fn response_uses(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    site: &Site,
    name: &ast::ExprName,
) -> Option<Window> {
    let semantic = &checker.semantic;
    let id = name.id.as_str();
    let block = site.block;
    let stmt = &block[site.index];
    // A `global` or `nonlocal` response: not ours to move.
    if semantic
        .resolve_name(id, scope, name.end())
        .is_none_or(|b| b.scope != scope || b.range != name.range())
    {
        return None;
    }
    // The next statement of the block that rebinds the name without reading
    // it ends the response's life.
    let rebinding = block[site.index + 1..]
        .iter()
        .position(|s| matches!(s, Stmt::Assign(a) if matches!(a.targets.as_slice(), [Expr::Name(n)] if n.id == id)))
        .map(|p| site.index + 1 + p);
    let mut last_use = site.index;
    // Performance (issue 19): the function's loads are indexed by name once
    // per function, not scanned in full for each finding.
    let loads = checker.memo("cs003:loads-by-name", def.range(), || {
        let mut by_name: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (i, reference) in semantic.references().iter().enumerate() {
            if def.range().contains_range(reference.range) {
                by_name
                    .entry(reference.name.to_string())
                    .or_default()
                    .push(i);
            }
        }
        by_name
    });
    for &i in loads.get(id).map(Vec::as_slice).unwrap_or_default() {
        let reference = &semantic.references()[i];
        let Some(binding) = semantic.resolve_name(id, reference.scope, reference.range.start())
        else {
            continue;
        };
        if binding.scope != scope {
            continue;
        }
        // Read by a nested function or lambda: it may outlive the block.
        if reference.scope != scope {
            return None;
        }
        let at = reference.range.start();
        if at < stmt.end() {
            // Before the binding: fine unless a loop brings it back around.
            if site.loop_start.is_some_and(|start| at >= start) {
                return None;
            }
            continue;
        }
        if let Some(k) = rebinding {
            let rebind = &block[k];
            if rebind.range().contains(at) {
                return None;
            }
            if at >= rebind.end() && at < block.last()?.end() {
                continue;
            }
        }
        let offset = block[site.index + 1..rebinding.unwrap_or(block.len())]
            .iter()
            .position(|s| s.range().contains(at))?;
        last_use = last_use.max(site.index + 1 + offset);
    }
    let window = &block[site.index + 1..=last_use];
    // No other binding of the name among the moved statements.
    let window_range = match (window.first(), window.last()) {
        (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
        _ => TextRange::empty(stmt.end()),
    };
    if semantic
        .bindings_in_scope_within(id, scope, window_range)
        .next()
        .is_some()
    {
        return None;
    }

    let mut uses = Uses {
        name: id,
        names: Vec::new(),
        attributes: HashMap::new(),
        calls: HashMap::new(),
        primary_bases: Vec::new(),
        generators: Vec::new(),
    };
    semantic.walk_scope(window, &mut uses);
    let mut edits = Vec::new();
    for name in &uses.names {
        edits.extend(rewrite_use(&uses, name)?);
    }
    Some(Window {
        statements: window.len(),
        edits,
    })
}

/// What the moved statements do with the response name.
struct Uses<'n, 'a> {
    name: &'n str,
    names: Vec<&'a ast::ExprName>,
    /// `r.attr`, by the range of `r`.
    attributes: HashMap<TextRange, &'a ast::ExprAttribute>,
    /// `r.attr(...)`, by the range of `r.attr`.
    calls: HashMap<TextRange, &'a ast::ExprCall>,
    /// Expressions that are the base of an attribute, subscript or call, or
    /// awaited already (`await r.json()`, which `requests` code cannot
    /// mean, but parses): `await` there needs parentheses.
    primary_bases: Vec<TextRange>,
    generators: Vec<TextRange>,
}

impl<'a> ScopeVisitor<'a> for Uses<'_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.id.as_str() == self.name => self.names.push(name),
            Expr::Attribute(attribute) => {
                self.primary_bases.push(attribute.value.range());
                if matches!(&*attribute.value, Expr::Name(n) if n.id.as_str() == self.name) {
                    self.attributes.insert(attribute.value.range(), attribute);
                }
            }
            Expr::Subscript(subscript) => self.primary_bases.push(subscript.value.range()),
            Expr::Call(call) => {
                self.primary_bases.push(call.func.range());
                self.calls.insert(call.func.range(), call);
            }
            Expr::Generator(generator) => self.generators.push(generator.range()),
            Expr::Await(awaited) => self.primary_bases.push(awaited.value.range()),
            _ => {}
        }
    }
}

/// The rewrite of one use of the response, or `None` when it has no
/// aiohttp spelling:
///
/// - `r.json()` -> `await r.json()`;
/// - `r.text` -> `await r.text()`;
/// - `r.content` -> `await r.read()`;
/// - `r.status_code` -> `r.status`;
/// - `r.raise_for_status()`, `r.headers`, `r.ok`, `r.reason` stay.
fn rewrite_use(uses: &Uses, name: &ast::ExprName) -> Option<Vec<Edit>> {
    if name.ctx != ExprContext::Load {
        return None;
    }
    let attribute = uses.attributes.get(&name.range())?;
    if attribute.ctx != ExprContext::Load {
        return None;
    }
    let call = uses.calls.get(&attribute.range());
    let no_arguments = call.is_some_and(|c| c.arguments.is_empty());
    let in_generator = uses
        .generators
        .iter()
        .any(|g| g.contains_range(name.range()));
    // `await` before `r`, around `range`.
    let awaited = |range: TextRange, suffix: &str| {
        if in_generator {
            return None;
        }
        let parens = uses.primary_bases.contains(&range);
        Some(
            insert(name.start(), if parens { "(await " } else { "await " })
                .into_iter()
                .chain(insert(
                    range.end(),
                    format!("{suffix}{}", if parens { ")" } else { "" }),
                ))
                .collect(),
        )
    };
    match attribute.attr.id.as_str() {
        // `requests` parses any body as JSON; aiohttp refuses one that is
        // not served as JSON unless told not to check.
        "json" if no_arguments => {
            let mut edits: Vec<Edit> = awaited(call?.range(), "")?;
            edits.extend(insert(call?.end() - TextSize::from(1), "content_type=None"));
            Some(edits)
        }
        "text" if call.is_none() => awaited(attribute.range(), "()"),
        "content" if call.is_none() => {
            let mut edits: Vec<Edit> = awaited(attribute.range(), "")?;
            edits.extend(edit(attribute.attr.range(), "read()"));
            Some(edits)
        }
        "status_code" if call.is_none() => {
            Some(edit(attribute.attr.range(), "status").into_iter().collect())
        }
        "raise_for_status" if no_arguments => Some(Vec::new()),
        "headers" | "ok" | "reason" if call.is_none() => Some(Vec::new()),
        _ => None,
    }
}

/// Whether a `try` around or among `range` handles an exception class of
/// `requests` (aiohttp raises its own: `aiohttp.ClientError`...).
fn catches_requests_errors(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    range: TextRange,
) -> bool {
    struct Handlers<'c, 'a> {
        checker: &'c Checker<'a>,
        scope: ScopeId,
        found: Vec<TextRange>,
    }
    impl<'a> ScopeVisitor<'a> for Handlers<'_, 'a> {
        fn stmt(&mut self, stmt: &'a Stmt) {
            let Stmt::Try(try_stmt) = stmt else { return };
            let (Some(first), Some(last)) = (try_stmt.body.first(), try_stmt.body.last()) else {
                return;
            };
            let handles = try_stmt.handlers.iter().any(|handler| {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                let types = match handler.type_.as_deref() {
                    Some(Expr::Tuple(tuple)) => tuple.elts.iter().collect(),
                    Some(other) => vec![other],
                    None => Vec::new(),
                };
                types.iter().any(|t| {
                    self.checker
                        .semantic
                        .resolve_qualified_name(t, self.scope)
                        .is_some_and(|q| q.in_module("requests"))
                })
            });
            if handles {
                self.found.push(TextRange::new(first.start(), last.end()));
            }
        }
    }
    // Performance (issue 19): the `try` bodies of the function that handle
    // `requests`' exceptions are found once per function; each finding only
    // compares its range with them.
    let handled = checker.memo("cs003:requests-handlers", def.range(), || {
        let mut handlers = Handlers {
            checker,
            scope,
            found: Vec::new(),
        };
        checker.semantic.walk_scope(&def.body, &mut handlers);
        handlers.found
    });
    handled
        .iter()
        .any(|body| body.intersect(range).is_some_and(|r| !r.is_empty()))
}
#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::analysis::analyze;
    use crate::config::settings::Settings;

    const SOURCE: &str = "\
import aiohttp
import requests


async def new_style(url):
    async with aiohttp.ClientSession() as s:
        async with s.get(url) as resp:
            return await resp.json()


async def old_style(url):
    r = requests.get(url, timeout=5)
    return r.json()


async def escapes(url):
    r = requests.get(url)
    return r


app = aiohttp.web.Application()
";

    /// The accessor edits of the aiohttp fix are CS004's, byte for byte, so
    /// the engine adds the helper once; the aiohttp fix comes before the
    /// thread fix, and is missing when the response escapes.
    #[test]
    fn shares_cs004_accessor_and_comes_first() {
        let diagnostics = analyze(Path::new("m.py"), SOURCE, &Settings::default()).unwrap();
        let hoist = diagnostics
            .iter()
            .find(|d| d.rule.code == "CS004")
            .and_then(|d| d.fixes.iter().find(|f| !f.is_safe()))
            .expect("CS004 hoists the session");
        let blocking: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.rule.code == "CS003")
            .collect();
        assert_eq!(blocking.len(), 2);
        let first = &blocking[0].fixes;
        assert_eq!(first.len(), 2);
        assert!(first[0].title.starts_with("Use aiohttp"), "{first:?}");
        assert!(first[1].title.contains("to_thread"));
        let helper = hoist
            .edits
            .iter()
            .find(|e| {
                e.content()
                    .is_some_and(|c| c.contains("async def get_http_session"))
            })
            .expect("the hoist adds the helper");
        assert!(first[0].edits.contains(helper));
        let second = &blocking[1].fixes;
        assert_eq!(second.len(), 1);
        assert!(second[0].title.contains("to_thread"));
    }
}
