//! The *return and merge* fix: a coroutine returns its entry instead of
//! writing it into a module-level container, and each gathering function
//! builds its own container from the gathered results.

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::{Container, Finding, State, global_names, module_references};
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, ScopeId};

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
        .resolve_qualified_name(&call.func, scope)
        .is_none_or(|q| !q.is("asyncio.gather"))
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

pub(super) fn return_and_merge_fix<'a>(
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
    if !def
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
    checker.semantic.walk_scope(&def.body, &mut returns);
    if returns.0 {
        return None;
    }
    // `-> None` becomes the type of what is now returned.
    let annotation_edits = match def.returns.as_deref() {
        None => Vec::new(),
        Some(Expr::NoneLiteral(none)) => {
            let (annotation, import) = returned_type(checker, definition, def, &entry);
            let mut edits: Vec<Edit> = import.into_iter().collect();
            edits.push(Edit::range_replacement(annotation, none.range()));
            edits
        }
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
        if global_names(checker, site.scope).contains(&state) {
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
    edits.extend(annotation_edits);
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

/// The annotation for the entry a coroutine now returns: from the
/// container's own annotation (`dict[K, V]` gives `tuple[K, V]`, `list[T]`
/// gives `T`), else from the annotations of the parameters returned, else
/// `typing.Any`.
fn returned_type(
    checker: &Checker,
    definition: &Stmt,
    def: &ast::StmtFunctionDef,
    entry: &Entry,
) -> (String, Option<Edit>) {
    let declared: Vec<&Expr> = match definition {
        Stmt::AnnAssign(assign) => match &*assign.annotation {
            Expr::Subscript(sub) => match &*sub.slice {
                Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                other => vec![other],
            },
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let elements: Vec<&Expr> = match entry {
        Entry::Keyed { key, value } => vec![key, value],
        Entry::Item(value) => vec![value],
    };
    let mut import = None;
    let mut types = Vec::new();
    for (index, element) in elements.iter().enumerate() {
        let from_parameter = match element {
            Expr::Name(name) => def
                .parameters
                .iter()
                .find(|p| p.name().id.as_str() == name.id.as_str())
                .and_then(|p| p.annotation()),
            _ => None,
        };
        let text = match (declared.len() == elements.len(), from_parameter) {
            (true, _) => checker.text(declared[index]).to_string(),
            (false, Some(annotation)) => checker.text(annotation).to_string(),
            (false, None) => {
                let (typing, edit) = checker.fixer().import_module("typing");
                import = import.or(edit);
                format!("{typing}.Any")
            }
        };
        types.push(text);
    }
    let annotation = if types.len() == 1 {
        types.remove(0)
    } else if checker.settings.target_version.at_least(9) {
        format!("tuple[{}]", types.join(", "))
    } else {
        let (typing, edit) = checker.fixer().import_module("typing");
        import = import.or(edit);
        format!("{typing}.Tuple[{}]", types.join(", "))
    };
    (annotation, import)
}
