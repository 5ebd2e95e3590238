//! Which `async with` expressions take a lock, however the lock is
//! obtained. The semantic model's type facts follow names, factory
//! functions of the module (lazily created locks included), attributes the
//! class assigns (`self._lock`, `cls._lock`) and annotations; this module
//! says which facts are locks.

use ruff_python_ast::{self as ast, Expr};

use std::sync::LazyLock;

use crate::checker::Checker;
use crate::semantic::ScopeId;
use crate::semantic::names::NameSet;

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

/// [`LOCKS`] and [`SEMAPHORES`], looked up by hash.
static LOCK_SET: LazyLock<NameSet> = LazyLock::new(|| NameSet::of(LOCKS));
static SEMAPHORE_SET: LazyLock<NameSet> = LazyLock::new(|| NameSet::of(SEMAPHORES));

/// Whether a type fact names one of `set`.
fn fact_in(fact: &crate::semantic::types::TypeFact, set: &NameSet) -> bool {
    fact.qualified().is_some_and(|q| set.contains(&q))
}

/// Whether `async with expr:` holds a lock for its body.
///
/// A semaphore counts unless the call that created it is in sight and
/// gives it more than one slot. When the code does not tell what `expr` is
/// (an attribute of another object, a call into another module), a name
/// that says lock (`lock`, `_db_lock()`, `self.mutex`) is taken at its
/// word: the rule would rather miss a race than report guarded writes.
pub(super) fn is_lock(checker: &Checker, expr: &Expr, scope: ScopeId) -> bool {
    let semantic = &checker.semantic;
    match semantic.type_of(expr, scope) {
        Some(fact) if fact_in(&fact, &LOCK_SET) => true,
        Some(fact) if fact_in(&fact, &SEMAPHORE_SET) => semantic
            .call_behind(expr, scope)
            .is_none_or(|(call, call_scope)| {
                semantic
                    .resolve_qualified_name(&call.func, call_scope)
                    .is_none_or(|q| !SEMAPHORE_SET.contains(&q))
                    || one_slot(call)
            }),
        Some(_) => false,
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
