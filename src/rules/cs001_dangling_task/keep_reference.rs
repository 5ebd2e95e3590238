//! Fix 1: keep a reference to the task until it is done, and log its
//! failure, with the helper that fits the project:
//!
//! 1. the project's own helper, named in `[tool.codesight]
//!    keep-task-helper = "pkg.tasks:spawn"` (it receives the task);
//! 2. a helper the module already has: a function that adds the task it
//!    receives to a set and registers a done callback
//!    (`keep(asyncio.create_task(coro))`), or one that creates the task from
//!    the coroutine it receives and does the same (`spawn(coro)`);
//! 3. otherwise one compact, typed helper per module, logging through the
//!    module's logger (`_LOGGER`, `logger`... when it has one).
//!
//! All the helper's text is generated in [`helper_text`], in one place.

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::{Creator, Site};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::ScopeId;

/// How call sites keep their task.
pub(super) struct Keeper {
    pub(super) name: String,
    /// `name(coro)` creates the task itself (instead of `name(task)`).
    takes_coroutine: bool,
    /// Edits adding the helper or its import (byte-identical for every
    /// finding of the module, so the fix engine applies them once).
    edits: Vec<Edit>,
    /// Module-level statements before this point run before the helper exists.
    defined_at: TextSize,
    /// The helper was there already: it must be what the name means at the call.
    existing: bool,
    /// Where the helper comes from, for the fix title.
    origin: &'static str,
}

impl Keeper {
    pub(super) fn new(checker: &Checker, sites: &[Site]) -> Option<Self> {
        if let Some(keeper) = configured_helper(checker) {
            return Some(keeper);
        }
        if let Some(keeper) = existing_helper(checker) {
            return Some(keeper);
        }
        generated_helper(checker, sites)
    }

    pub(super) fn fix(&self, checker: &Checker, site: &Site) -> Option<CodeFix> {
        if site.scope == ScopeId::MODULE && site.stmt.start() < self.defined_at {
            return None;
        }
        if self.existing {
            let binding =
                checker
                    .semantic
                    .resolve_name(&self.name, site.scope, site.call.start())?;
            if binding.scope != ScopeId::MODULE {
                return None;
            }
        }
        let mut edits = self.edits.clone();
        if self.takes_coroutine {
            // `asyncio.create_task(coro)` -> `spawn(coro)`.
            let arguments = &site.call.arguments;
            if site.creator != Creator::CreateTask
                || arguments.args.len() != 1
                || !arguments.keywords.is_empty()
                || arguments.args[0].is_starred_expr()
            {
                return None;
            }
            edits.push(Edit::range_replacement(
                self.name.clone(),
                site.call.func.range(),
            ));
        } else {
            // The helper returns the task: the expression keeps its value.
            if let Some(wrapped) = formatted_wrap(checker, site, &self.name) {
                edits.push(wrapped);
            } else {
                edits.push(Edit::insertion(
                    format!("{}(", self.name),
                    site.call.start(),
                ));
                edits.push(Edit::insertion(")".to_string(), site.call.end()));
            }
        }
        let title = if site.creator == Creator::RunCoroutineThreadsafe {
            format!(
                "Log the coroutine's failure with {} `{}(...)`",
                self.origin, self.name
            )
        } else {
            format!(
                "Keep a reference to the task with {} `{}(...)` and log its failure",
                self.origin, self.name
            )
        };
        Some(CodeFix::safe(title, edits))
    }
}

/// `keep(call)` laid out as Black lays it out, when it does not fit on the
/// statement's line: the call alone on the next line, one level deeper,
/// and `)` on a line of its own, which keeps the statement's trailing
/// comment (`_keep(\n    asyncio.X(...)\n)  # comment`). The call is
/// wrapped again when it is still too long there; a call already written
/// over several lines keeps its lines, each one level deeper.
///
/// The trailing comment counts toward the length, as Black counts it,
/// except a pragma comment (`# noqa`, `# type:`, `# ruff:`...,
/// [`crate::fix::style::is_pragma_comment`]): the line is never split for
/// one, as Ruff's formatter does not split it, since the comment must stay
/// on the line it applies to (Black would move a `# noqa` after the `)`,
/// where it no longer suppresses anything). `None` when the one-line form
/// fits, or the call is not
/// the whole value of a statement of its own lines (an expression
/// statement or an assignment) that starts on the statement's first line:
/// `keep(` and `)` are then inserted around the call as it is.
fn formatted_wrap(checker: &Checker, site: &Site, name: &str) -> Option<Edit> {
    let source = checker.source;
    let call = site.call;
    let value = match site.stmt {
        Stmt::Expr(stmt) => &*stmt.value,
        Stmt::Assign(stmt) => &*stmt.value,
        Stmt::AnnAssign(stmt) => stmt.value.as_deref()?,
        _ => return None,
    };
    let fixer = checker.fixer();
    if value.range() != call.range()
        || site.stmt.end() != call.end()
        || source.line_start(call.start()) != source.line_start(site.stmt.start())
        || !fixer.is_own_lines(site.stmt)
    {
        return None;
    }
    let line_length = checker.settings.style.line_length;
    let text = &source[call.range()];
    let before = &source[TextRange::new(source.line_start(call.start()), call.start())];
    let after = &source[TextRange::new(call.end(), source.line_end(call.end()))];
    let multi_line = text.contains('\n');
    if !multi_line {
        let width = before.chars().count() + name.chars().count() + text.chars().count() + 2;
        let comment = after.trim_start();
        if width + after.chars().count() <= line_length
            || crate::fix::style::is_pragma_comment(comment)
        {
            return None;
        }
    }
    let indent = fixer.line_indentation(site.stmt.start());
    let unit = fixer.indent_unit();
    let nl = fixer.line_ending();
    let inner_indent = format!("{indent}{unit}");
    let inner = if multi_line {
        // Each following line one level deeper, unless it continues a
        // multi-line string.
        // A line that grows past the line length that way is wrapped again
        // when it is one call (the sole argument between brackets of their
        // own lines), as the formatter would.
        let mut inner = String::new();
        let mut offset = call.start();
        while offset < call.end() {
            let next = source.full_line_end(offset).min(call.end());
            let line = &source[TextRange::new(offset, next)];
            if offset == call.start() || crate::fix::indent::inside_token(checker, offset) {
                inner.push_str(line);
            } else {
                let body = line.trim_end_matches(['\r', '\n']);
                let ending = &line[body.len()..];
                let text = body.trim_start_matches([' ', '\t']);
                let deeper = format!("{unit}{}", &body[..body.len() - text.len()]);
                let wrapped = (deeper.chars().count() + text.chars().count() > line_length)
                    .then(|| {
                        crate::fix::style::wrap_call_text(text, &deeper, unit, line_length, nl)
                    })
                    .flatten()
                    .unwrap_or_else(|| text.to_string());
                inner.push_str(&format!("{deeper}{wrapped}{ending}"));
            }
            offset = next;
        }
        inner
    } else if inner_indent.chars().count() + text.chars().count() > line_length {
        crate::fix::style::wrap_call_text(text, &inner_indent, unit, line_length, nl)
            .unwrap_or_else(|| text.to_string())
    } else {
        text.to_string()
    };
    Some(Edit::range_replacement(
        format!("{name}({nl}{inner_indent}{inner}{nl}{indent})"),
        call.range(),
    ))
}

/// `[tool.codesight] keep-task-helper = "pkg.tasks:spawn"`: imported with
/// `from pkg.tasks import spawn` (unless this module is `pkg.tasks`).
fn configured_helper(checker: &Checker) -> Option<Keeper> {
    let spec = checker.settings.keep_task_helper.as_deref()?;
    let (module, function) = spec.split_once(':')?;
    let module_path: std::path::PathBuf = module.split('.').collect();
    if checker.path.with_extension("").ends_with(&module_path) {
        // The helper's own module: use it as a module helper.
        return existing_helper(checker);
    }
    let (name, import) = match checker.fixer().import_from(module, function) {
        Some(found) => found,
        None => {
            // The name is taken: import it under a fresh one.
            let name = checker.fixer().unused_module_name(function);
            let import = format!("from {module} import {function} as {name}");
            (name, Some(checker.fixer().insert_after_imports(&import)))
        }
    };
    Some(Keeper {
        name,
        takes_coroutine: false,
        existing: import.is_none(),
        edits: import.into_iter().collect(),
        defined_at: TextSize::default(),
        origin: "the project's",
    })
}

/// A module-level function that keeps tasks in a set until they are done.
pub(super) fn existing_helper(checker: &Checker) -> Option<Keeper> {
    checker.body().iter().find_map(|stmt| {
        let Stmt::FunctionDef(def) = stmt else {
            return None;
        };
        if def.is_async {
            return None;
        }
        let param = def
            .parameters
            .iter_non_variadic_params()
            .next()?
            .parameter
            .name
            .id
            .as_str();
        if def
            .parameters
            .iter_non_variadic_params()
            .skip(1)
            .any(|p| p.default.is_none())
        {
            return None;
        }
        // The task: the parameter itself, or a name bound to a call taking it.
        let mut created: Option<&str> = None;
        let mut added = Vec::new();
        let mut callbacks = Vec::new();
        let semantic = &checker.semantic;
        for s in semantic.statements_in(&def.body).map(|id| semantic.statement(id)) {
            match s {
            Stmt::Assign(assign) => {
                if let [Expr::Name(target)] = assign.targets.as_slice()
                    && let Expr::Call(call) = &*assign.value
                    && call
                        .arguments
                        .args
                        .first()
                        .is_some_and(|a| is_name(a, param))
                    && matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "create_task")
                        | matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "create_task")
                {
                    created = Some(target.id.as_str());
                }
            }
            Stmt::Expr(e) => {
                if let Expr::Call(call) = &*e.value
                    && let Expr::Attribute(method) = &*call.func
                    && let [arg] = call.arguments.args.as_ref()
                {
                    match method.attr.as_str() {
                        "add" => {
                            if let Expr::Name(n) = arg {
                                added.push(n.id.as_str());
                            }
                        }
                        "add_done_callback" => {
                            if let Expr::Name(n) = &*method.value {
                                callbacks.push(n.id.as_str());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
            }
        }
        let task = created.unwrap_or(param);
        if !added.contains(&task) || !callbacks.contains(&task) {
            return None;
        }
        Some(Keeper {
            name: def.name.id.to_string(),
            takes_coroutine: created.is_some(),
            edits: Vec::new(),
            defined_at: def.end(),
            existing: true,
            origin: "the module's",
        })
    })
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

/// The names the generated helper refers to.
struct HelperNames {
    tasks: String,
    keep: String,
    done: String,
    /// The handle's type (`asyncio.Future[Any]`...).
    future: String,
    /// How to log (`_LOGGER`, `logging.getLogger(__name__)`).
    logger: String,
    /// `logger` is loguru's.
    loguru: bool,
    /// Annotations must be quoted (evaluated at run time on older Pythons).
    quote: bool,
}

/// The helper's text: a set, a registering function and its done callback.
fn helper_text(names: &HelperNames, unit: &str, line_length: usize) -> String {
    let HelperNames {
        tasks,
        keep,
        done,
        future,
        logger,
        loguru,
        quote,
    } = names;
    let q = if *quote { "\"" } else { "" };
    // Wrapped here as the formatter would when too long (two levels of
    // indentation in front of it).
    let one_line = if *loguru {
        format!("{logger}.opt(exception=task.exception()).error(\"Background task failed\")")
    } else {
        format!("{logger}.error(\"Background task failed\", exc_info=task.exception())")
    };
    let log = if one_line.len() + 2 * unit.len() <= line_length {
        one_line
    } else if *loguru {
        format!(
            "{logger}.opt(exception=task.exception()).error(\n{unit}{unit}{unit}\"Background task failed\"\n{unit}{unit})"
        )
    } else {
        format!(
            "{logger}.error(\n{unit}{unit}{unit}\"Background task failed\", exc_info=task.exception()\n{unit}{unit})"
        )
    };
    let one_line = format!("def {keep}(task: {q}{future}{q}) -> {q}{future}{q}:");
    let signature = if one_line.len() <= line_length {
        one_line
    } else {
        format!("def {keep}(\n{unit}task: {q}{future}{q},\n) -> {q}{future}{q}:")
    };
    format!(
        "{tasks}: {q}set[{future}]{q} = set()\n\
         \n\
         \n\
         {signature}\n\
         {u}\"\"\"Keep a background task referenced until it is done; log its failure.\"\"\"\n\
         {u}{tasks}.add(task)\n\
         {u}task.add_done_callback({done})\n\
         {u}return task\n\
         \n\
         \n\
         def {done}(task: {q}{future}{q}) -> None:\n\
         {u}{tasks}.discard(task)\n\
         {u}if not task.cancelled() and task.exception() is not None:\n\
         {u}{u}{log}",
        u = unit
    )
}

/// `Any` from `typing`: the name to write and the import to add, if any.
fn typing_any(checker: &Checker) -> (String, Option<Edit>) {
    if let Some(found) = checker.fixer().import_from("typing", "Any") {
        return found;
    }
    let (typing, import) = checker.fixer().import_module("typing");
    (format!("{typing}.Any"), import)
}

fn generated_helper(checker: &Checker, sites: &[Site]) -> Option<Keeper> {
    // The helper uses the builtin `set`.
    if checker
        .semantic
        .bindings_in_scope("set", ScopeId::MODULE)
        .next()
        .is_some()
    {
        return None;
    }
    let fixer = checker.fixer();
    let tasks = fixer.unused_module_name("_background_tasks");
    let done = fixer.unused_module_name("_background_task_done");
    let keep = fixer.unused_module_name("_keep_background_task");
    // `run_coroutine_threadsafe` hands back a `concurrent.futures.Future`:
    // the helper takes those when every site is one, anything when mixed.
    let threadsafe = sites
        .iter()
        .filter(|s| s.creator == Creator::RunCoroutineThreadsafe)
        .count();
    let mut modules: Vec<&str> = Vec::new();
    if threadsafe < sites.len() {
        modules.push("asyncio");
    }
    if threadsafe == sites.len() {
        modules.push("concurrent.futures");
    }
    // Failures go to the module's logger when it has one.
    let mut from_imports: Vec<Edit> = Vec::new();
    let loguru = fixer.module_logger().is_none() && fixer.loguru_logger().is_some();
    let logger = match fixer.module_logger().or_else(|| fixer.loguru_logger()) {
        Some(name) => name,
        None => match fixer.imported_module_name("logging") {
            Some(logging) => format!("{logging}.getLogger(__name__)"),
            None if checker.semantic.is_name_used("logging") => {
                let alias = fixer.unused_module_name("_logging");
                from_imports.push(fixer.import_module_as("logging", &alias));
                format!("{alias}.getLogger(__name__)")
            }
            None => {
                modules.push("logging");
                "logging.getLogger(__name__)".to_string()
            }
        },
    };
    let (names, module_imports) = fixer.import_modules(&modules);
    let (any, import) = typing_any(checker);
    from_imports.extend(import);
    // `asyncio.Future` or `concurrent.futures.Future`, whichever module
    // came first; anything when the module has both kinds of sites.
    let future = if threadsafe == 0 || threadsafe == sites.len() {
        format!("{}.Future[{any}]", names[0])
    } else {
        any.clone()
    };
    // Straight imports before `from` imports, as isort orders them when
    // they land at the same point.
    let mut imports = module_imports;
    imports.extend(from_imports);
    let postponed = checker.semantic.module_imports.iter().any(|stmt| {
        matches!(stmt, Stmt::ImportFrom(i) if i.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
            && i.names.iter().any(|n| n.name.as_str() == "annotations"))
    });
    let quote = !postponed && !checker.settings.target_version.at_least(9);
    let names_ = HelperNames {
        tasks,
        keep: keep.clone(),
        done,
        future,
        logger,
        loguru,
        quote,
    };
    let helper = helper_text(
        &names_,
        fixer.indent_unit(),
        checker.settings.style.line_length,
    );
    let (edit, defined_at) = place_helper(checker, &helper)?;
    // One insertion per point: the imports merge into one edit.
    let mut edits = crate::fix::edits::merge_insertions(imports);
    edits.push(edit);
    Some(Keeper {
        name: keep,
        takes_coroutine: false,
        edits,
        defined_at,
        existing: false,
        origin: "a module helper",
    })
}

/// Where the helper goes: just before the module's first function or class
/// after its imports (so after the logger and constants), above the comment
/// lines attached to it; else after the imports.
fn place_helper(checker: &Checker, helper: &str) -> Option<(Edit, TextSize)> {
    let source = checker.source;
    let after_imports = checker
        .semantic
        .module_imports
        .last()
        .map_or(TextSize::default(), |s| s.end());
    let first_definition = checker.body().iter().find(|s| {
        s.start() >= after_imports && matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
    });
    if let Some(definition) = first_definition {
        let start = match definition {
            Stmt::FunctionDef(ast::StmtFunctionDef { decorator_list, .. })
            | Stmt::ClassDef(ast::StmtClassDef { decorator_list, .. }) => decorator_list
                .first()
                .map_or(definition.start(), |d| d.start()),
            _ => definition.start(),
        };
        let mut at = source.line_start(start);
        if at != start {
            return None;
        }
        // Comment lines right above the definition stay with it. The text
        // starts after a BOM (there is no line before the first one).
        let text_start = source.line_start(TextSize::default());
        while at > text_start {
            let previous = source.line_start(at - TextSize::from(1));
            if !source[TextRange::new(previous, at)]
                .trim_start()
                .starts_with('#')
            {
                break;
            }
            at = previous;
        }
        // Right after the imports, the blank lines between them and the
        // helper are the ones isort wants before it.
        if let Some(edit) = checker.fixer().insert_right_after_imports(helper, at, 2) {
            let at = edit.start();
            return Some((edit, at));
        }
        return Some((Edit::insertion(format!("{helper}\n\n\n"), at), at));
    }
    // No definition: after the imports, on lines of their own.
    let fixer = checker.fixer();
    let next_code = checker
        .body()
        .iter()
        .find(|s| s.start() >= after_imports)
        .map_or(TextSize::of(source), |s| source.line_start(s.start()));
    if let Some(edit) = fixer.insert_right_after_imports(helper, next_code, 2) {
        let at = edit.start();
        return Some((edit, at));
    }
    let edit = fixer.insert_after_imports(&format!("\n\n{helper}\n\n"));
    let at = edit.start();
    Some((edit, at))
}
