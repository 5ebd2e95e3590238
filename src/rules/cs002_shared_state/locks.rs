//! Which `async with` expressions take a lock, however the lock is
//! obtained: a name bound to one, a factory function of the module that
//! returns one (lazily created or not), an attribute (`self._lock`,
//! `cls._lock`) the class assigns one to, a parameter annotated as one.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::semantic::scope_walk::{ScopeVisitor, walk_scope};
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

/// Classes whose instances exclude each other in `async with`.
const LOCKS: &[&str] = &[
    "asyncio.Lock",
    "asyncio.Condition",
    "anyio.Lock",
    "anyio.Condition",
    "trio.Lock",
    "trio.StrictFIFOLock",
    "trio.Condition",
];

/// Semaphores: a lock only with one slot.
const SEMAPHORES: &[&str] = &[
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "anyio.Semaphore",
    "trio.Semaphore",
];

/// Whether `async with expr:` holds a lock for its body.
///
/// When the code does not tell what `expr` is (an attribute of another
/// object, a call into another module), a name that says lock (`lock`,
/// `_db_lock()`, `self.mutex`) is taken at its word: the rule would rather
/// miss a race than report writes that are guarded.
pub(super) fn is_lock(checker: &Checker, expr: &Expr, scope: ScopeId) -> bool {
    match lock_fact(checker, expr, scope, 0) {
        Some(known) => known,
        None => named_like_a_lock(expr),
    }
}

fn named_like_a_lock(expr: &Expr) -> bool {
    let name = match expr {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attr) => attr.attr.id.as_str(),
        Expr::Call(call) => return named_like_a_lock(&call.func),
        _ => return false,
    };
    let name = name.to_ascii_lowercase();
    ["lock", "mutex"].iter().any(|word| name.contains(word))
}

/// `Some(true)`: a lock; `Some(false)`: known not to be one; `None`: the
/// code does not say.
fn lock_fact(checker: &Checker, expr: &Expr, scope: ScopeId, depth: u8) -> Option<bool> {
    if depth > 6 {
        return None;
    }
    let semantic = &checker.semantic;
    match expr {
        Expr::Call(call) => {
            if let Some(qualified) = semantic.qualified_name(&call.func, scope) {
                if LOCKS.contains(&qualified.as_str()) {
                    return Some(true);
                }
                if SEMAPHORES.contains(&qualified.as_str()) {
                    return Some(one_slot(call));
                }
                // Anything else from the libraries that define locks.
                if ["asyncio.", "anyio.", "trio.", "threading.", "builtins."]
                    .iter()
                    .any(|prefix| qualified.starts_with(prefix))
                {
                    return Some(false);
                }
            }
            // A factory of the module: every value it returns is a lock (or
            // `None` on a path that then creates one).
            let def = semantic.called_function(call, scope)?;
            let def_scope = semantic.function_scope(def)?;
            let values = semantic.return_values(def);
            all_locks(
                checker,
                values.into_iter().flatten().map(|v| (v, def_scope)),
                depth,
            )
        }
        Expr::Name(name) => {
            let binding = semantic.resolve_name(name.id.as_str(), scope, name.start())?;
            match binding.kind {
                BindingKind::Parameter => {
                    let ScopeKind::Function(def) = semantic.scope(binding.scope).kind else {
                        return None;
                    };
                    let parameter = def
                        .parameters
                        .iter()
                        .find(|p| p.name().id.as_str() == binding.name)?;
                    annotation_is_lock(checker, parameter.annotation()?, binding.scope)
                }
                BindingKind::Assignment { .. } => {
                    let bound_in = binding.scope;
                    let values: Vec<(&Expr, ScopeId)> = semantic
                        .bindings_in_scope(binding.name, bound_in)
                        .filter_map(|b| match b.kind {
                            BindingKind::Assignment { value: Some(value) } => {
                                Some((value, value_scope(checker, bound_in, b.range)))
                            }
                            _ => None,
                        })
                        .collect();
                    let assigned = semantic
                        .bindings_in_scope(binding.name, bound_in)
                        .all(|b| matches!(b.kind, BindingKind::Assignment { value: Some(_) }));
                    if !assigned {
                        return annotated_lock(checker, binding.name, bound_in);
                    }
                    all_locks(checker, values.into_iter(), depth)
                }
                _ => Some(false),
            }
        }
        Expr::Attribute(attr) => {
            let Expr::Name(receiver) = &*attr.value else {
                return None;
            };
            let class = semantic.enclosing_class_of_method(scope, receiver.id.as_str())?;
            attribute_fact(checker, class, attr.attr.id.as_str(), depth)
        }
        Expr::If(if_expr) => all_locks(
            checker,
            [(&*if_expr.body, scope), (&*if_expr.orelse, scope)].into_iter(),
            depth,
        ),
        Expr::Dict(_)
        | Expr::List(_)
        | Expr::Set(_)
        | Expr::Tuple(_)
        | Expr::StringLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::DictComp(_)
        | Expr::ListComp(_)
        | Expr::SetComp(_) => Some(false),
        _ => None,
    }
}

/// Every value is a lock or `None`, and one at least is a lock.
fn all_locks<'a>(
    checker: &Checker<'a>,
    values: impl Iterator<Item = (&'a Expr, ScopeId)>,
    depth: u8,
) -> Option<bool> {
    let mut any = false;
    for (value, scope) in values {
        if value.is_none_literal_expr() {
            continue;
        }
        match lock_fact(checker, value, scope, depth + 1) {
            Some(true) => any = true,
            other => return other,
        }
    }
    any.then_some(true)
}

fn one_slot(call: &ast::ExprCall) -> bool {
    let value = call
        .arguments
        .args
        .first()
        .or_else(|| call.arguments.find_keyword("value").map(|k| &k.value))
        .or_else(|| {
            call.arguments
                .find_keyword("initial_value")
                .map(|k| &k.value)
        });
    !matches!(value, Some(Expr::NumberLiteral(ast::ExprNumberLiteral {
        value: ast::Number::Int(n), ..
    })) if n.as_u64().is_none_or(|n| n > 1))
}

fn annotation_is_lock(checker: &Checker, annotation: &Expr, scope: ScopeId) -> Option<bool> {
    // `Optional[asyncio.Lock]`, `asyncio.Lock | None`.
    let inner = match annotation {
        Expr::Subscript(sub) => &*sub.slice,
        Expr::BinOp(bin) if bin.right.is_none_literal_expr() => &*bin.left,
        other => other,
    };
    let qualified = checker.semantic.qualified_name(inner, scope)?;
    Some(LOCKS.contains(&qualified.as_str()))
}

/// A module-level or class-level `name: asyncio.Lock` with no value.
fn annotated_lock(checker: &Checker, name: &str, scope: ScopeId) -> Option<bool> {
    if scope != ScopeId::MODULE {
        return None;
    }
    checker.body().iter().find_map(|stmt| match stmt {
        Stmt::AnnAssign(assign)
            if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == name) =>
        {
            annotation_is_lock(checker, &assign.annotation, ScopeId::MODULE)
        }
        _ => None,
    })
}

/// Everything a class assigns to an attribute: in its body (`_lock =
/// ...`) and in its methods (`self._lock = ...`, `cls._lock = ...`).
fn attribute_fact(
    checker: &Checker,
    class: &ast::StmtClassDef,
    attribute: &str,
    depth: u8,
) -> Option<bool> {
    let semantic = &checker.semantic;
    let mut values: Vec<(&Expr, ScopeId)> = Vec::new();
    let mut annotation = None;
    for stmt in &class.body {
        match stmt {
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == attribute)) =>
            {
                values.push((&assign.value, ScopeId::MODULE));
            }
            Stmt::AnnAssign(assign) if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == attribute) => {
                match &assign.value {
                    Some(value) => values.push((value, ScopeId::MODULE)),
                    None => annotation = Some(&*assign.annotation),
                }
            }
            Stmt::FunctionDef(def) => {
                let Some(scope) = semantic.function_scope(def) else {
                    continue;
                };
                let mut writes = AttributeWrites {
                    attribute,
                    values: Vec::new(),
                };
                walk_scope(&def.body, &mut writes);
                for (receiver, value) in writes.values {
                    if semantic
                        .enclosing_class_of_method(scope, receiver)
                        .is_some_and(|c| c.range() == class.range())
                    {
                        values.push((value, scope));
                    }
                }
            }
            _ => {}
        }
    }
    if values.is_empty() {
        return annotation.and_then(|a| annotation_is_lock(checker, a, ScopeId::MODULE));
    }
    all_locks(checker, values.into_iter(), depth)
}

struct AttributeWrites<'n, 'a> {
    attribute: &'n str,
    values: Vec<(&'a str, &'a Expr)>,
}

impl<'a> ScopeVisitor<'a> for AttributeWrites<'_, 'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        let (targets, value): (Vec<&'a Expr>, &'a Expr) = match stmt {
            Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
            Stmt::AnnAssign(assign) => match &assign.value {
                Some(value) => (vec![&*assign.target], value),
                None => return,
            },
            _ => return,
        };
        for target in targets {
            if let Expr::Attribute(attr) = target
                && attr.attr.id.as_str() == self.attribute
                && let Expr::Name(receiver) = &*attr.value
            {
                self.values.push((receiver.id.as_str(), value));
            }
        }
    }
}

/// The scope a binding's value is evaluated in: a `global` name assigned in
/// a function is bound in the module but its value is computed in the
/// function.
fn value_scope(checker: &Checker, bound_in: ScopeId, at: ruff_text_size::TextRange) -> ScopeId {
    if bound_in != ScopeId::MODULE {
        return bound_in;
    }
    checker
        .semantic
        .functions()
        .filter(|(_, def)| def.range().contains_range(at))
        .last()
        .map_or(ScopeId::MODULE, |(scope, _)| scope)
}
