//! CS003's fixes that move more than one call off the event loop.
//!
//! Running only `open()` in a thread leaves every read and write of the file
//! on the loop. These fixes move the work that belongs together:
//! - a `with open(...) as f:` block (or `Path.open`, `TemporaryDirectory`)
//!   whose body is sync becomes a nested sync function holding the whole
//!   block, run with `await asyncio.to_thread(...)`; the names the rest of
//!   the coroutine reads come back as its return value (or through
//!   `nonlocal` when the block reads them first or may not bind them);
//! - a file read on the spot (`json.load(open(p))`, `open(p).read()`) runs
//!   as one `lambda` in a thread.
//!
//! It also decides whether `time.sleep` -> `asyncio.sleep` is safe: not when
//! the coroutine writes shared state after the sleep.

use ruff_diagnostics::Edit;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::{LineRanges, UniversalNewlines};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, ReferenceId, ScopeId};

/// [`LOADERS`] by hash.
pub static LOADER_SET: std::sync::LazyLock<crate::semantic::names::NameSet> =
    std::sync::LazyLock::new(|| crate::semantic::names::NameSet::of(LOADERS));

/// Functions that read a whole file object (or the text read from one) at
/// once: the reading moves to the thread with them.
pub const LOADERS: &[&str] = &[
    "json.load",
    "json.loads",
    "yaml.load",
    "yaml.safe_load",
    "yaml.full_load",
    "tomllib.load",
    "tomllib.loads",
    "toml.load",
    "toml.loads",
    "pickle.load",
    "pickle.loads",
    "orjson.loads",
    "ujson.load",
    "ujson.loads",
    "builtins.list",
];

/// Methods that change the object they are called on.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "setdefault",
    "put_nowait",
    "set",
    "set_result",
    "set_exception",
    "appendleft",
    "popleft",
];

/// What a block does that keeps it on the event loop, or makes moving it
/// into a function change its meaning.
#[derive(Default)]
struct BlockScan<'a> {
    /// `await`, `async for`, `async with`, `yield`, `return`, `break`,
    /// `continue` (of a loop outside the block), `global`, `nonlocal`.
    stays: bool,
    /// Names the block binds (assignment targets, loop and `with` targets,
    /// definitions, imports).
    bound: Vec<&'a str>,
    loop_depth: u32,
}

impl<'a> BlockScan<'a> {
    fn visit_with(&mut self, with: &'a ast::StmtWith) {
        if with.is_async {
            self.stays = true;
        }
        for item in &with.items {
            self.visit_expr(&item.context_expr);
            if let Some(vars) = &item.optional_vars {
                self.bind(vars);
            }
        }
        self.visit_body(&with.body);
    }

    fn bind(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) if !self.bound.contains(&name.id.as_str()) => {
                self.bound.push(name.id.as_str());
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind(e)),
            Expr::Starred(s) => self.bind(&s.value),
            _ => {}
        }
    }

    fn bind_name(&mut self, name: &'a str) {
        if !self.bound.contains(&name) {
            self.bound.push(name);
        }
    }
}

impl<'a> Visitor<'a> for BlockScan<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                if def.is_async {
                    self.stays = true;
                }
                self.bind_name(def.name.id.as_str());
                // Its body runs when it is called: only its decorators and
                // defaults run here.
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                return;
            }
            Stmt::ClassDef(class) => {
                self.bind_name(class.name.id.as_str());
                return;
            }
            Stmt::Return(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => self.stays = true,
            Stmt::Break(_) | Stmt::Continue(_) if self.loop_depth == 0 => self.stays = true,
            Stmt::For(for_stmt) => {
                if for_stmt.is_async {
                    self.stays = true;
                }
                self.bind(&for_stmt.target);
                self.visit_expr(&for_stmt.iter);
                self.loop_depth += 1;
                self.visit_body(&for_stmt.body);
                self.loop_depth -= 1;
                self.visit_body(&for_stmt.orelse);
                return;
            }
            Stmt::While(while_stmt) => {
                self.visit_expr(&while_stmt.test);
                self.loop_depth += 1;
                self.visit_body(&while_stmt.body);
                self.loop_depth -= 1;
                self.visit_body(&while_stmt.orelse);
                return;
            }
            Stmt::With(with) => {
                if with.is_async {
                    self.stays = true;
                }
                for item in &with.items {
                    if let Some(vars) = &item.optional_vars {
                        self.bind(vars);
                    }
                }
            }
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.bind(t)),
            Stmt::AnnAssign(assign) => self.bind(&assign.target),
            Stmt::AugAssign(assign) => self.bind(&assign.target),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.id.as_str().split('.').next().unwrap_or_default(),
                        |a| a.id.as_str(),
                    );
                    self.bind_name(bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind_name(bound.id.as_str());
                }
            }
            Stmt::Try(try_stmt) => {
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(name) = &h.name {
                        self.bind_name(name.id.as_str());
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => self.stays = true,
            Expr::Named(named) => self.bind(&named.target),
            // Comprehension variables are their own scope; lambdas run later.
            Expr::Lambda(_) => return,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// The `with` block as a nested sync function run in a thread:
///
/// ```python
/// def _sync_work():
///     with open(src) as a, open(dst, "wb") as b:
///         ...
///     return n
/// n = await asyncio.to_thread(_sync_work)
/// ```
pub fn block_fix(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
    with: &ast::StmtWith,
    _loops: &[(&str, TextRange)],
) -> Option<CodeFix> {
    let mut scan = BlockScan::default();
    scan.visit_with(with);
    if !own_lines(checker, with) {
        return None;
    }
    if scan.stays {
        return None;
    }
    // Re-indenting a string that spans lines would change it.
    let spans_lines = checker
        .parsed
        .tokens()
        .in_range(with.range())
        .iter()
        .any(|t| {
            matches!(
                t.kind(),
                TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
            ) && checker.source[t.range()].contains(['\n', '\r'])
        });
    if spans_lines {
        return None;
    }
    let semantic = &checker.semantic;
    let block = with.range();
    // A name the coroutine declares `global` or `nonlocal` stays that
    // variable in the sync function with the same declaration.
    let mut globals: Vec<&str> = Vec::new();
    let mut nonlocal: Vec<&str> = Vec::new();
    // Names the block binds that the coroutine reads elsewhere, by the
    // model's def-use chains (which follow branches, loops and jumps): a
    // load outside the block that the value bound in it may reach, after
    // the block or after an enclosing `if`/`else`, in a later iteration, or
    // from a nested function; and a load inside the block that may read a
    // value bound before the block started (`total += n`, or a previous
    // iteration's value). A later `for f in ...` or comprehension variable
    // of the same spelling is another variable.
    // Asked from the bindings the block makes (found by binary search), not
    // from every load of those names in the coroutine (a name bound by
    // every block, `as f`, made that quadratic: issue 19).
    let mut loads: Vec<(ReferenceId, &str)> = Vec::new();
    let mut read_before_bound: Vec<&str> = Vec::new();
    for &name in &scan.bound {
        if let Some(declaration) = semantic.declaration(name, scope) {
            if matches!(declaration.kind, BindingKind::Global) {
                globals.push(name);
            } else {
                nonlocal.push(name);
            }
            continue;
        }
        // The block's own bindings: the loads outside it they reach.
        for binding in semantic.bindings_in_scope_within(name, scope, block) {
            let id = semantic.binding_id(binding);
            for reference_id in semantic.reached_loads(id) {
                let reference = semantic.reference(reference_id);
                if !block.contains_range(reference.range) {
                    loads.push((reference_id, name));
                }
            }
        }
        // The block's loads of the name: a value bound before the block, or
        // bound further on in it and read here in the next iteration.
        for (reference_id, reference) in semantic.loads_named_within(name, block) {
            if reference.scope != scope {
                continue;
            }
            let earlier = semantic
                .reaching_bindings(scope, reference_id)
                .into_iter()
                .any(|id| {
                    let binding = semantic.binding(id);
                    binding.scope == scope
                        && (!block.contains_range(binding.range)
                            || binding.range.start() > reference.range.start())
                });
            if earlier {
                loads.push((reference_id, name));
                if !read_before_bound.contains(&name) {
                    read_before_bound.push(name);
                }
            }
        }
    }
    loads.sort_unstable();
    let mut needed: Vec<&str> = Vec::new();
    for (_, name) in loads {
        if !needed.contains(&name) {
            needed.push(name);
        }
    }
    // A name the block binds on every path through it, and reads none
    // before binding it, comes back as the function's result
    // (`contents = await asyncio.to_thread(_sync_work)`), even when the
    // coroutine binds it elsewhere too: the assignment the call's result
    // makes is the block's. The others stay the coroutine's variables
    // (`nonlocal`), which takes a binding outside the block (else no fix).
    let bound_outside = |name: &str| {
        semantic
            .bindings_in_scope(name, scope)
            .any(|b| !block.contains_range(b.range))
    };
    let always_binds = |name: &str| {
        with.items.iter().any(|item| {
            item.optional_vars.as_deref().is_some_and(|vars| {
                let mut scan = BlockScan::default();
                scan.bind(vars);
                scan.bound.contains(&name)
            })
        }) || with.body.iter().any(|s| semantic.always_binds(s, name))
    };
    // `total += n` reads the name before binding it, whatever the
    // def-use chains say of the load.
    let augmented = |name: &str| {
        semantic
            .bindings_in_scope_within(name, scope, block)
            .any(|b| matches!(b.kind, BindingKind::AugmentedAssignment { .. }))
    };
    let (returned, shared): (Vec<&str>, Vec<&str>) = needed
        .iter()
        .partition(|n| always_binds(n) && !read_before_bound.contains(n) && !augmented(n));
    if shared.iter().any(|n| !bound_outside(n)) {
        return None;
    }
    nonlocal.extend(shared);
    let function = checker
        .fixer()
        .unused_name_in("_sync_work", def.range(), |_| false);
    let indent = checker.fixer().line_indentation(with.start());
    let unit = checker.fixer().indent_unit();
    let newline = checker.fixer().line_ending();
    let start = checker.source.line_start(with.start());
    let original = &checker.source[TextRange::new(start, with.end())];
    let mut body = String::new();
    // Every line break counts (`\r` alone too): a line left out would keep
    // its old indentation.
    for (i, line) in original.universal_newlines().enumerate() {
        let line = line.as_full_str();
        let blank = line.trim().is_empty();
        if i == 0 || !blank {
            body.push_str(&crate::fix::indent::indent_line(line, unit));
        } else {
            body.push_str(line);
        }
    }
    // Formatted the way Black and `ruff format` lay out an inner function:
    // a blank line before it (unless it opens its block or one is there
    // already) and after it; `-> None` when it returns nothing, so
    // `mypy --strict` finds nothing new in it.
    // `ruff format` wants an empty line before an inner function, except
    // as the first statement of a function body (after `try:`, `if ...:`
    // and the like it wants one too), and none added after a blank line or
    // a comment that belongs to the statement.
    let opens_function_body = {
        let statements = checker.semantic.statements();
        statements.at(with.start()).is_some_and(|id| {
            let info = statements.info(id);
            info.index == 0 && matches!(info.block_kind, crate::semantic::BlockKind::FunctionBody)
        })
    };
    let previous_line_blank_or_opening = {
        let before = &checker.source[..start.to_usize()];
        let before = before.strip_suffix('\n').unwrap_or(before);
        let before = before.strip_suffix('\r').unwrap_or(before);
        let last = before.rsplit('\n').next().unwrap_or("").trim();
        before.is_empty() || last.is_empty() || last.starts_with('#') || opens_function_body
    };
    let mut text = String::new();
    if !previous_line_blank_or_opening {
        text.push_str(newline);
    }
    let returns = if returned.is_empty() { " -> None" } else { "" };
    text.push_str(&format!("{indent}def {function}(){returns}:{newline}"));
    if !globals.is_empty() {
        text.push_str(&format!(
            "{indent}{unit}global {}{newline}",
            globals.join(", ")
        ));
    }
    if !nonlocal.is_empty() {
        text.push_str(&format!(
            "{indent}{unit}nonlocal {}{newline}",
            nonlocal.join(", ")
        ));
    }
    text.push_str(&body);
    let hass = super::fix_executor::hass_in_reach(checker, def, scope, with.start());
    let (call, import) = thread_call(checker, &function, hass.as_deref());
    match returned.as_slice() {
        [] => text.push_str(&format!("{newline}{newline}{indent}{call}")),
        names => {
            let names = names.join(", ");
            text.push_str(&format!(
                "{newline}{indent}{unit}return {names}{newline}{newline}{indent}{names} = {call}"
            ));
        }
    }
    let mut edits = vec![Edit::range_replacement(
        text,
        TextRange::new(start, with.end()),
    )];
    edits.extend(import);
    Some(CodeFix::unsafe_(
        format!("Move the whole `with` block into a sync function run in a thread: `{call}`"),
        edits,
    ))
}

/// Whether the `with` statement is alone on its lines.
fn own_lines(checker: &Checker, with: &ast::StmtWith) -> bool {
    let source = checker.source;
    let before = &source[TextRange::new(source.line_start(with.start()), with.start())];
    let after = &source[TextRange::new(with.end(), source.line_end(with.end()))];
    before.trim().is_empty() && (after.trim().is_empty() || after.trim_start().starts_with('#'))
}

/// `await asyncio.to_thread(f)` (or the executor before Python 3.9), and the
/// import it needs; the project's way where it has one: Home Assistant's
/// `await hass.async_add_executor_job(f)` with `hass` in reach, or the
/// thread runner the module awaits already.
fn thread_call(checker: &Checker, function: &str, hass: Option<&str>) -> (String, Option<Edit>) {
    // Home Assistant's executor, with a `hass` in reach.
    if let Some(hass) = hass {
        return (
            format!("await {hass}.async_add_executor_job({function})"),
            None,
        );
    }
    // The module's own runner, when it awaits one already.
    if let Some(runner) = checker.fixer().thread_runner() {
        return (format!("await {}({function})", runner.name), None);
    }
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let call = if checker.settings.target_version.at_least(9) {
        format!("await {asyncio}.to_thread({function})")
    } else {
        format!("await {asyncio}.get_running_loop().run_in_executor(None, {function})")
    };
    (call, import)
}

/// `json.load(open(p))` -> `await asyncio.to_thread(lambda: json.load(open(p)))`.
pub fn lambda_fix(
    checker: &Checker,
    outer: &ast::ExprCall,
    parens: bool,
    _loops: &[(&str, TextRange)],
    _scope: ScopeId,
) -> Option<CodeFix> {
    // Nothing in it may need the loop.
    let mut scan = BlockScan::default();
    scan.visit_expr(&outer.func);
    scan.visit_arguments(&outer.arguments);
    if scan.stays || !scan.bound.is_empty() {
        return None;
    }
    let (call, import) = thread_call(checker, &format!("lambda: {}", checker.text(outer)), None);
    let text = if parens { format!("({call})") } else { call };
    let mut edits = vec![Edit::range_replacement(text, outer.range())];
    edits.extend(import);
    Some(CodeFix::unsafe_(
        "Run the whole expression in a thread: `await asyncio.to_thread(lambda: ...)`".to_string(),
        edits,
    ))
}

/// Whether `def` writes state other coroutines may share after `call` (a
/// sleep): attributes and items of objects it did not create, names it
/// declares `global` or `nonlocal`, or such objects changed in place
/// (`self.items.append(x)`). Inside a loop, the whole loop counts as after.
pub fn touches_shared_state_after(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
    call: &ast::ExprCall,
) -> bool {
    // The outermost loop of the function around the call.
    let semantic = &checker.semantic;
    let loop_start = semantic.statement_at(call.start()).and_then(|id| {
        semantic
            .statements()
            .ancestors(id)
            .map(|a| semantic.statement(a))
            .take_while(|s| !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)))
            .filter(|s| matches!(s, Stmt::For(_) | Stmt::While(_)))
            .last()
            .map(Ranged::start)
    });
    let from = loop_start.unwrap_or(call.end());
    // What the function writes is the same for each of its calls: found
    // once (a walk per call was quadratic in a function with many calls).
    let last = checker.memo("cs003:last-shared-write", def.range(), || {
        last_shared_write(checker, def, scope)
    });
    last.is_some_and(|last| last >= from)
}

/// The last offset of `def` from which a write of shared state is still
/// ahead: the start of the last such assignment or mutating call, or the
/// last character of the last `global`/`nonlocal` (see
/// [`touches_shared_state_after`]).
fn last_shared_write(
    checker: &Checker,
    def: &ast::StmtFunctionDef,
    scope: ScopeId,
) -> Option<ruff_text_size::TextSize> {
    struct Writes<'c, 'a> {
        checker: &'c Checker<'a>,
        scope: ScopeId,
        last: Option<ruff_text_size::TextSize>,
    }
    impl<'a> Writes<'_, 'a> {
        /// Whether the object at the root of `expr` (`self` of
        /// `self.a.b[0]`) may be shared: anything but a local variable the
        /// coroutine assigned itself.
        fn shared_root(&self, expr: &Expr) -> bool {
            let mut root = expr;
            loop {
                match root {
                    Expr::Attribute(a) => root = &a.value,
                    Expr::Subscript(s) => root = &s.value,
                    _ => break,
                }
            }
            let Expr::Name(name) = root else {
                return true;
            };
            match self
                .checker
                .semantic
                .resolve_name(name.id.as_str(), self.scope, name.start())
            {
                Some(b) if b.scope == self.scope => !matches!(
                    b.kind,
                    BindingKind::Assignment { .. }
                        | BindingKind::AugmentedAssignment { .. }
                        | BindingKind::WithItem { .. }
                        | BindingKind::LoopVar { .. }
                        | BindingKind::Walrus { .. }
                        | BindingKind::ExceptHandler { .. }
                        | BindingKind::MatchCapture
                        | BindingKind::ComprehensionTarget { .. }
                ),
                Some(b) => !matches!(
                    b.kind,
                    BindingKind::Import { .. }
                        | BindingKind::FromImport { .. }
                        | BindingKind::FunctionDef(_)
                        | BindingKind::ClassDef(_)
                ),
                None => false,
            }
        }

        fn note(&mut self, at: ruff_text_size::TextSize) {
            self.last = self.last.max(Some(at));
        }

        /// Whether assigning to `target` writes shared state.
        fn target(&self, target: &Expr) -> bool {
            match target {
                Expr::Attribute(_) | Expr::Subscript(_) if self.shared_root(target) => true,
                // A name of the module or an enclosing function.
                Expr::Name(name)
                    if self
                        .checker
                        .semantic
                        .resolve_name(name.id.as_str(), self.scope, name.start())
                        .is_some_and(|b| b.scope != self.scope) =>
                {
                    true
                }
                Expr::Tuple(t) => t.elts.iter().any(|e| self.target(e)),
                Expr::List(l) => l.elts.iter().any(|e| self.target(e)),
                Expr::Starred(s) => self.target(&s.value),
                _ => false,
            }
        }
    }
    impl<'a> ScopeVisitor<'a> for Writes<'_, 'a> {
        fn stmt(&mut self, stmt: &'a Stmt) {
            let writes = match stmt {
                Stmt::Assign(a) => a.targets.iter().any(|t| self.target(t)),
                Stmt::AugAssign(a) => self.target(&a.target),
                Stmt::AnnAssign(a) => a.value.is_some() && self.target(&a.target),
                Stmt::Delete(d) => d.targets.iter().any(|t| self.target(t)),
                Stmt::Global(_) | Stmt::Nonlocal(_) => {
                    // A call before its end is before it: every later write
                    // may be a shared one.
                    self.note(stmt.end() - ruff_text_size::TextSize::from(1));
                    false
                }
                _ => false,
            };
            if writes {
                self.note(stmt.start());
            }
        }

        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = &*call.func
                && MUTATORS.contains(&attr.attr.id.as_str())
                && self.shared_root(&attr.value)
            {
                self.note(expr.start());
            }
        }
    }
    let mut writes = Writes {
        checker,
        scope,
        last: None,
    };
    checker.semantic.walk_scope(&def.body, &mut writes);
    writes.last
}
