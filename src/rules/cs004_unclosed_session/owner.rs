//! Who owns a hoisted session: it must live exactly as long as its owner,
//! and be closed when the owner goes. In order of preference:
//!
//! 1. **Home Assistant** (`hass` in scope in a module that imports from
//!    `homeassistant`): the framework's shared session,
//!    `async_get_clientsession(hass)` / `get_async_client(hass)`, which Home
//!    Assistant creates on its loop and closes at shutdown.
//! 2. **The instance**: in a method of a class that has an `async def`
//!    `close`/`aclose`/`__aexit__`, a lazily created `self._http_session`
//!    (a class-level `None` default, a small accessor method), closed and
//!    reset by that method, which the fix extends. A closed session is
//!    replaced on next use, so an owner closed at the end of one
//!    `asyncio.run(...)` works again in the next.
//! 3. **The application**: the module-level shared session of
//!    [`crate::fix::shared_session`], offered only when the module's
//!    application closes it at shutdown (lifespan, `on_cleanup`, shutdown
//!    handlers); a session closed at shutdown is recreated by the next run,
//!    so it never serves a second event loop.
//!
//! Otherwise no hoisting fix is offered.

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::fix::shared_session::{ClientSpec, Shutdown, shared_client_edits};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

/// What replaces the per-call session: the expression to bind it to, the
/// edits that make it exist, and what the fix title says.
pub(super) struct Hoisted {
    pub call: String,
    pub edits: Vec<Edit>,
    pub title: String,
}

pub(super) fn choose(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    spec: &ClientSpec,
    name: &str,
) -> Option<Hoisted> {
    if let Some(hoisted) = home_assistant(checker, scope, def, spec, name) {
        return Some(hoisted);
    }
    if let Some(hoisted) = instance(checker, scope, spec, name) {
        return Some(hoisted);
    }
    let shared = shared_client_edits(checker, spec);
    if shared.shutdown == Shutdown::Missing {
        // Nothing would ever close it, and the next event loop would get a
        // session bound to a closed one.
        return None;
    }
    let call = shared.call();
    Some(Hoisted {
        title: format!(
            "Use the application's shared session: `{name} = {call}`{}",
            shared.shutdown_note()
        ),
        call,
        edits: shared.edits,
    })
}

fn home_assistant(
    checker: &Checker,
    scope: ScopeId,
    def: &ast::StmtFunctionDef,
    spec: &ClientSpec,
    name: &str,
) -> Option<Hoisted> {
    if !checker.belongs_to_package("homeassistant") {
        return None;
    }
    let hass = if checker
        .semantic
        .resolve_name("hass", scope, def.body.first()?.start())
        .is_some_and(|b| matches!(b.kind, BindingKind::Parameter { .. }))
    {
        "hass"
    } else if method_class(checker, scope)
        .is_some_and(|class| checker.text(class).contains("self.hass = "))
        && first_parameter(def) == Some("self")
    {
        "self.hass"
    } else {
        return None;
    };
    let (module, function) = match spec.module {
        "aiohttp" => (
            "homeassistant.helpers.aiohttp_client",
            "async_get_clientsession",
        ),
        "httpx" => ("homeassistant.helpers.httpx_client", "get_async_client"),
        _ => return None,
    };
    let (bound, edits) = import_from(checker, module, function)?;
    let call = format!("{bound}({hass})");
    Some(Hoisted {
        title: format!("Use Home Assistant's shared session: `{name} = {call}`"),
        call,
        edits,
    })
}

/// The name `from module import member` binds (reused when imported), and
/// the import to add.
fn import_from(checker: &Checker, module: &str, member: &str) -> Option<(String, Vec<Edit>)> {
    let (name, import) = checker.fixer().import_from(module, member)?;
    Some((name, import.into_iter().collect()))
}

fn method_class<'a>(checker: &Checker<'a>, scope: ScopeId) -> Option<&'a ast::StmtClassDef> {
    let parent = checker.semantic.scope(scope).parent?;
    match checker.semantic.scope(parent).kind {
        ScopeKind::Class(class) => Some(class),
        _ => None,
    }
}

fn first_parameter(def: &ast::StmtFunctionDef) -> Option<&str> {
    def.parameters
        .iter_non_variadic_params()
        .next()
        .map(|p| p.parameter.name.id.as_str())
}

const CLOSERS: &[&str] = &["close", "aclose", "__aexit__"];

fn instance(checker: &Checker, scope: ScopeId, spec: &ClientSpec, name: &str) -> Option<Hoisted> {
    let class = method_class(checker, scope)?;
    let ScopeKind::Function(def) = checker.semantic.scope(scope).kind else {
        return None;
    };
    if first_parameter(def) != Some("self")
        || def
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod")))
    {
        return None;
    }
    let closer = class.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(f)
            if f.is_async
                && CLOSERS.contains(&f.name.id.as_str())
                && first_parameter(f) == Some("self") =>
        {
            Some(f)
        }
        _ => None,
    })?;
    let first = class.body.first()?;
    let last_closer_stmt = closer.body.last()?;
    if !checker.fixer().is_own_lines(first) || !checker.fixer().is_own_lines(last_closer_stmt) {
        return None;
    }
    // Fresh names inside the class.
    let class_text = checker.text(class);
    let fresh = |base: &str| {
        std::iter::once(base.to_string())
            .chain((1..).map(|i| format!("{base}_{i}")))
            .find(|c| !class_text.contains(c.as_str()))
            .expect("a fresh name exists")
    };
    let attribute = fresh(spec.variable);
    let accessor = fresh(&format!("_get{}", spec.variable));
    let (module, import) = checker.fixer().import_module(spec.module);
    let class_name = format!("{module}.{}", spec.class);
    let optional = if checker.settings.target_version.at_least(10) {
        format!("{class_name} | None")
    } else {
        format!("\"{class_name} | None\"")
    };
    let u = checker.fixer().indent_unit();
    let member_indent = checker.fixer().line_indentation(first.start());
    let closed = spec.closed;
    let mut edits: Vec<Edit> = import.into_iter().collect();
    // A class that declares `__slots__` has no instance `__dict__`: the
    // attribute must be a slot, and a slot cannot have a class-level
    // default (the accessor and the close read it with `getattr`). Only a
    // literal tuple or list of strings is edited; otherwise no fix.
    let slots = match slots_declaration(checker.source, class) {
        Slots::None => None,
        Slots::Editable(edit) => Some(edit(&attribute)),
        Slots::Other => return None,
    };
    let read = if slots.is_some() {
        format!("getattr(self, \"{attribute}\", None)")
    } else {
        format!("self.{attribute}")
    };
    // The class-level default, first in the body (after a docstring).
    let (anchor, after_docstring) = match first {
        Stmt::Expr(e) if e.value.is_string_literal_expr() => (first, true),
        _ => (first, false),
    };
    let default = format!("{member_indent}{attribute}: {optional} = None\n");
    if let Some(slot) = slots {
        edits.push(slot);
    } else if after_docstring {
        edits.push(Edit::insertion(
            format!("\n{default}"),
            checker.source.full_line_end(anchor.end()),
        ));
    } else {
        edits.push(Edit::insertion(
            format!("{default}\n"),
            checker.source.line_start(anchor.start()),
        ));
    }
    // The accessor, right before the closing method.
    let closer_start = closer
        .decorator_list
        .first()
        .map_or(closer.start(), Ranged::start);
    let at = checker.source.line_start(closer_start);
    if !checker.source[TextRange::new(at, closer_start)]
        .trim()
        .is_empty()
    {
        return None;
    }
    let i = member_indent;
    edits.push(Edit::insertion(
        format!(
            "{i}def {accessor}(self) -> {class_name}:\n\
             {i}{u}\"\"\"This object's HTTP session, made on first use, closed by `{closer}()`.\"\"\"\n\
             {i}{u}if {read} is None or self.{attribute}.{closed}:\n\
             {i}{u}{u}self.{attribute} = {class_name}()\n\
             {i}{u}return self.{attribute}\n\n",
            closer = closer.name.id
        ),
        at,
    ));
    // Close it with the owner.
    let body_indent = checker.fixer().line_indentation(last_closer_stmt.start());
    let close_lines = format!(
        "{b}if {read} is not None:\n\
         {b}{u}await self.{attribute}.{close}()\n\
         {b}{u}self.{attribute} = None\n",
        b = body_indent,
        close = spec.close
    );
    let (close_lines, close_at) = match last_closer_stmt {
        Stmt::Return(_) | Stmt::Raise(_) => (
            close_lines,
            checker.source.line_start(last_closer_stmt.start()),
        ),
        _ => {
            let end = checker.source.full_line_end(last_closer_stmt.end());
            if end == checker.source.line_end(last_closer_stmt.end()) {
                // The last line of a file without a final newline: start a
                // line for the close, and leave the file ending as it did.
                let newline = checker.fixer().line_ending();
                let lines = format!("{newline}{}", close_lines.trim_end_matches('\n'));
                (lines, end)
            } else {
                (close_lines, end)
            }
        }
    };
    edits.push(Edit::insertion(close_lines, close_at));
    let call = format!("self.{accessor}()");
    Some(Hoisted {
        title: format!(
            "Use one session per `{}` instance: `{name} = {call}` (closed by `{}()`)",
            class.name.id, closer.name.id
        ),
        call,
        edits,
    })
}

/// What a class says about `__slots__` in its body.
enum Slots {
    /// It declares none.
    None,
    /// A literal tuple or list of strings: the edit that adds a name.
    Editable(Box<dyn Fn(&str) -> Edit>),
    /// Something the fix cannot edit safely (a string, a dict, a name, a
    /// computed value, several assignments).
    Other,
}

fn slots_declaration(source: &str, class: &ast::StmtClassDef) -> Slots {
    let mut found: Vec<&Expr> = Vec::new();
    for stmt in &class.body {
        let (targets, value): (Vec<&Expr>, Option<&Expr>) = match stmt {
            Stmt::Assign(a) => (a.targets.iter().collect(), Some(&*a.value)),
            Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()),
            Stmt::AugAssign(a) => (vec![&*a.target], None),
            _ => continue,
        };
        if targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__"))
        {
            match value {
                Some(value) if targets.len() == 1 => found.push(value),
                _ => return Slots::Other,
            }
        }
    }
    let [value] = found.as_slice() else {
        return if found.is_empty() {
            Slots::None
        } else {
            Slots::Other
        };
    };
    let (elts, range, parenthesized) = match value {
        Expr::Tuple(t) => (&t.elts, t.range(), t.parenthesized),
        Expr::List(l) => (&l.elts, l.range(), true),
        _ => return Slots::Other,
    };
    if !elts.iter().all(Expr::is_string_literal_expr) || (!parenthesized && elts.is_empty()) {
        return Slots::Other;
    }
    let is_tuple = value.is_tuple_expr();
    match elts.last() {
        Some(last) => {
            // After the trailing comma when there is one (`("a",)` becomes
            // `("a", "b")`), else after the last string.
            let rest = &source[TextRange::new(last.end(), range.end())];
            let comma = rest
                .trim_start()
                .starts_with(',')
                .then(|| rest.find(','))
                .flatten();
            // One string a line, as the slots are laid out, when they span
            // lines with a trailing comma.
            let line_start = source[..last.start().to_usize()]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indent = &source[line_start..last.start().to_usize()];
            let one_a_line = source[range].contains('\n') && indent.trim().is_empty();
            let (text, after, at) = match comma {
                Some(comma) => {
                    let at = last.end()
                        + ruff_text_size::TextSize::try_from(comma + 1).unwrap_or_default();
                    if one_a_line {
                        (format!("\n{indent}"), ",", at)
                    } else {
                        (" ".to_string(), "", at)
                    }
                }
                None => (", ".to_string(), "", last.end()),
            };
            Slots::Editable(Box::new(move |name| {
                Edit::insertion(format!("{text}\"{name}\"{after}"), at)
            }))
        }
        None => {
            // `()` or `[]`: inside the brackets.
            let at = range.start() + ruff_text_size::TextSize::from(1);
            Slots::Editable(Box::new(move |name| {
                let comma = if is_tuple { "," } else { "" };
                Edit::insertion(format!("\"{name}\"{comma}"), at)
            }))
        }
    }
}
