//! The semantic model of one module: what a reader of the file knows about
//! its names, statements, values and calls. Built once per analysis pass
//! (`checker.semantic`); rules ask it instead of walking the AST themselves.
//! When a rule needs a fact the model does not have, add it here (small,
//! general, with a test in `tests.rs`).
//!
//! # Scopes
//! [`ScopeId`] / [`ScopeKind`]: module, class, function, lambda,
//! comprehension (its targets and all but the first iterable) and PEP 695
//! type parameters. [`SemanticModel::functions`] lists the runnable `def`s
//! with their scopes; [`SemanticModel::function_scope`] /
//! [`SemanticModel::class_scope`] map a `def`/`class` to its scope;
//! [`SemanticModel::frame_of`] goes from a comprehension to the function it
//! runs in; [`SemanticModel::is_async_scope`] (a comprehension in an
//! `async def` is async); [`SemanticModel::scope_at`].
//!
//! # Bindings and references
//! - [`Binding`]: `name`, `range`, `scope`, [`BindingKind`] (import,
//!   from-import, assignment with its value, augmented assignment, parameter
//!   with default/position, with-item with its context expression, loop
//!   variable with its iterable, comprehension target, walrus, except
//!   handler, match capture, deletion, type parameter, def, class; `global`
//!   and `nonlocal` are declarations: [`SemanticModel::declaration`]),
//!   `annotation` (annotated assignment, parameter), `stmt` (the statement
//!   making it) and `references` (its loads). Bare `x: T` annotations:
//!   [`SemanticModel::bare_annotation`].
//! - [`Reference`]: every load (and `del`, and the read of `x += 1`) knows
//!   its `binding` (`None`: builtin/undefined), its `stmt`, its frame `scope`
//!   and `innermost_scope`.
//! - Queries: [`SemanticModel::resolve_name`] (exact for recorded loads,
//!   comprehension scopes included, whatever scope the caller passes),
//!   [`SemanticModel::references_of`], [`SemanticModel::is_used`] (O(1)),
//!   [`SemanticModel::is_captured`] (O(1)), [`SemanticModel::loads_named`] /
//!   [`SemanticModel::loads_named_within`] (a name's loads, indexed once),
//!   [`SemanticModel::is_read_after`], [`SemanticModel::bindings_in_scope`]
//!   / [`SemanticModel::binding_ids_in_scope`],
//!   [`SemanticModel::bindings_in_scope_within`] (by binary search),
//!   [`SemanticModel::binding_id`],
//!   [`SemanticModel::reference_at`], [`SemanticModel::call_behind`].
//! - Qualified names ([`names`]): [`SemanticModel::resolve_qualified_name`]
//!   gives the segments of what an expression names (`["time", "sleep"]`,
//!   `["builtins", "open"]`, `["<module>", "f"]` for this module's
//!   functions and classes) without building a string; compare with
//!   [`names::QualifiedNameExt::is`] or `matches!` on `segments()`, look
//!   catalogues up by hash in a [`names::NameMap`] / [`names::NameSet`].
//!
//! # Statements
//! [`StmtId`]s are in source order and stored in each statement's
//! `node_index`: [`SemanticModel::statement_id`] is O(1).
//! [`SemanticModel::statement`], [`SemanticModel::parent_statement`],
//! [`SemanticModel::statement_at`] (innermost statement at an offset),
//! [`SemanticModel::block_of`] (the body slice and the index in it),
//! [`SemanticModel::previous_sibling`] / [`SemanticModel::next_sibling`],
//! [`SemanticModel::enclosing_blocks`] ([`BlockKind`]s up to the `def`),
//! `in_loop` / `in_try_body` / `in_except` / `in_finally` / `in_with`,
//! [`SemanticModel::enclosing_loop`], [`SemanticModel::enclosing_function`],
//! [`SemanticModel::enclosing_class`]. `with` items:
//! [`SemanticModel::with_item_at`], [`SemanticModel::with_item_value`]
//! (what `with EXPR as NAME` binds), [`SemanticModel::entered_by_with`]
//! (directly or through a name). What runs in a block ([`flow`]):
//! [`SemanticModel::statements_in`] (a body's statements in source order,
//! nested blocks included, nested `def`/`class` and `TYPE_CHECKING` bodies
//! not), [`SemanticModel::statement_and_ancestors`] /
//! [`SemanticModel::enclosing_statements`] (the compound statements around
//! one, within its function), [`SemanticModel::always_binds`] (every path
//! through a statement binds a name), [`SemanticModel::suspensions`] /
//! [`SemanticModel::suspensions_in`] / [`SemanticModel::suspends_between`]
//! (`await`, `async for`, `async with` and async comprehensions of a
//! function's frame); [`SemanticModel::does_not_suspend`] (a coroutine
//! function that runs to its end in one step, cycles included, computed
//! once for the module) and [`SemanticModel::call_does_not_suspend`] (a
//! call of one, or `put` on an unbounded asyncio queue);
//! [`SemanticModel::call_raises_explicitly`] (a `raise`/`assert` in what a
//! coroutine runs of this module). [`SemanticModel::statement_scope`]: the
//! scope whose frame runs a statement. [`SemanticModel::walk_flow`] ([`flow_walk`]) drives
//! a forward flow analysis through a function's code in execution order
//! (branches forked and joined, loop bodies run again when they carry
//! state). `if TYPE_CHECKING:` blocks, by the one
//! policy ([`SemanticModel::is_type_checking_guard`], decided at build):
//! [`SemanticModel::is_type_checking_block`]; [`SemanticModel::walk_scope`]
//! visits what runs in a scope's frame and skips them ([`scope_walk`]).
//!
//! # Uses of a variable ([`uses`])
//! [`SemanticModel::name_uses`] (every binding and load of a variable,
//! with its statement, in source order; [`uses::uses_in`] a range),
//! [`SemanticModel::load_context`] (the expressions around a load),
//! [`SemanticModel::value_use`] (what is done with the value a load reads:
//! only an attribute read, passed to a call, returned or yielded, stored
//! elsewhere, entered by `with`), [`SemanticModel::load_in_loop`],
//! [`SemanticModel::suspends`] (a statement awaits), and
//! [`SemanticModel::scope_bindings`] / [`SemanticModel::code_frame`].
//!
//! # Type facts ([`types`])
//! [`SemanticModel::type_of`]`(expr, scope) -> Option<`[`TypeFact`]`>`:
//! `Qualified { name, source }` (annotation, or the call that made the
//! value: `httpx.Client()`, `asyncio.get_running_loop()`, `path.open()` on a
//! known Path gives `pathlib.Path.open`), `LocalInstance(class scope)`,
//! `LocalClass(class scope)` ([`SemanticModel::class_def`] gives the
//! statement). Follows annotations (`Optional`, `X | None`, `Union[X, None]`,
//! `Annotated`, quoted), assigned values, with-items, walrus, parameter
//! defaults, `self`/`cls`, attributes (`self.x = ...` in any method,
//! `__init__` first, class-level annotations and values, same-module bases:
//! [`SemanticModel::attribute_assignments`],
//! [`SemanticModel::attribute_fact`]), module globals read from functions
//! (the assigned values must agree, `None` placeholders aside), and what
//! this module's functions return. [`SemanticModel::is_unbounded_queue`]:
//! an asyncio queue that is never full (built without `maxsize`, through
//! names, attributes every store of which agrees, and parameters annotated
//! `asyncio.Queue` when every queue the module builds is unbounded).
//! Ask: `fact.is("httpx.Client")`,
//! `is_any_of`, `is_event_loop()`, `is_file_object()`, `is_path()`,
//! `local_class()`. Unknown stays `None`; nothing is guessed from spelling.
//!
//! # Calls ([`calls`])
//! [`SemanticModel::resolve_callee`] (`f()`, `self.m()`, `cls.m()`,
//! `Foo.m()`, `obj.m()` with a known local class; methods through
//! same-module bases: [`SemanticModel::method`],
//! [`SemanticModel::class_and_bases`]); the call graph, built once on first
//! use: [`SemanticModel::callees`], [`SemanticModel::callers`],
//! [`SemanticModel::reachable_functions`] (cycle-safe);
//! [`SemanticModel::coroutine_callee`] (the `async def` a call certainly
//! runs: undecorated, and no public, dunder or overridden method);
//! [`SemanticModel::each_call`] (every call with its scope);
//! [`SemanticModel::returns_of`] (memoised; return annotation or agreeing
//! `return` values) and [`SemanticModel::return_statements`].
//! [`SemanticModel::handed_back_call`] ([`handed_back`]): the calls whose
//! result a function returns and keeps no other reference to
//! (`def spawn(c): return asyncio.create_task(c)`), memoised.
//!
//! Name resolution follows Python closely enough for linting: a function's
//! locals are every name it binds anywhere in its body, class bodies are
//! skipped from nested scopes, `global` sends a name to the module scope,
//! `nonlocal` to the enclosing function, and unbound names fall back to
//! builtins.

mod builder;
pub mod calls;
pub mod failures;
pub mod flow;
pub mod flow_walk;
pub mod handed_back;
pub mod instance_state;
pub mod names;
pub mod once;
pub mod reach;
pub mod scope_walk;
pub mod statements;
#[cfg(test)]
mod tests;
pub mod types;
pub mod uses;

use std::cell::{OnceCell, RefCell};

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::name::{QualifiedName, QualifiedNameBuilder, UnqualifiedName};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

pub use statements::{BlockKind, Statements, StmtId, StmtInfo};
pub use types::TypeFact;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(u32);

impl ScopeId {
    pub const MODULE: ScopeId = ScopeId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReferenceId(u32);

#[derive(Debug, Clone, Copy)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a ast::StmtClassDef),
    Function(&'a ast::StmtFunctionDef),
    Lambda(&'a ast::ExprLambda),
    /// A list, set or dict comprehension or a generator expression: its
    /// targets and everything but the first iterable live here.
    Comprehension(&'a Expr),
    /// The PEP 695 type parameters of a generic function, class or alias.
    TypeParams,
}

#[derive(Debug, Clone, Copy)]
pub enum BindingKind<'a> {
    /// `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
    Import {
        qualified: &'a str,
    },
    /// `from a import b as c` binds `c`; `qualified` is `a.b` (relative
    /// imports have the module `.`).
    FromImport {
        module: &'a str,
        member: &'a str,
    },
    /// `x = value` or `x: T = value` (the annotation is
    /// [`Binding::annotation`]); `value` is `None` for unpacking
    /// (`a, b = ...`) and chained targets whose value cannot be followed.
    Assignment {
        value: Option<&'a Expr>,
    },
    /// `x += value`.
    AugmentedAssignment {
        value: &'a Expr,
    },
    /// A function's or lambda's parameter (its annotation is
    /// [`Binding::annotation`]).
    Parameter {
        parameter: &'a ast::Parameter,
        default: Option<&'a Expr>,
        /// `*args` or `**kwargs`.
        variadic: bool,
        /// Position in the parameter list (0 is `self` in a method).
        position: u32,
    },
    /// `with context_expr as x` (also each name of `as (a, b)`).
    WithItem {
        context_expr: &'a Expr,
        is_async: bool,
    },
    /// `for x in iter` (also each name of a tuple target).
    LoopVar {
        iter: &'a Expr,
        is_async: bool,
    },
    /// `for x in iter` inside a comprehension, bound in its own scope.
    ComprehensionTarget {
        iter: &'a Expr,
    },
    /// `(x := value)`.
    Walrus {
        value: &'a Expr,
    },
    /// `except type_ as x`.
    ExceptHandler {
        type_: Option<&'a Expr>,
    },
    /// A `match` capture pattern (`case Point(x=x)`, `case [*rest]`).
    MatchCapture,
    /// `del x`: the name is unbound from here on.
    Deletion,
    /// A PEP 695 type parameter.
    TypeParam,
    FunctionDef(&'a ast::StmtFunctionDef),
    ClassDef(&'a ast::StmtClassDef),
    /// `global x` in a function. Not a binding the name resolves to: it is
    /// listed by [`SemanticModel::declarations`] and sends the scope's
    /// bindings of `x` to the module.
    Global,
    /// `nonlocal x`: the scope's bindings of `x` go to the enclosing
    /// function that binds it. Listed by [`SemanticModel::declarations`].
    Nonlocal,
}

impl BindingKind<'_> {
    /// A binding by a statement that stores a value computed at run time
    /// (assignment, augmented assignment, `with`, loop, walrus, `except`,
    /// `match`, `del`), as opposed to an import, a `def`/`class`, a
    /// parameter or a declaration.
    pub fn is_runtime_store(&self) -> bool {
        matches!(
            self,
            BindingKind::Assignment { .. }
                | BindingKind::AugmentedAssignment { .. }
                | BindingKind::WithItem { .. }
                | BindingKind::LoopVar { .. }
                | BindingKind::ComprehensionTarget { .. }
                | BindingKind::Walrus { .. }
                | BindingKind::ExceptHandler { .. }
                | BindingKind::MatchCapture
                | BindingKind::Deletion
        )
    }
}

#[derive(Debug, Clone)]
pub struct Binding<'a> {
    pub name: &'a str,
    /// The range of the bound name.
    pub range: TextRange,
    pub scope: ScopeId,
    pub kind: BindingKind<'a>,
    /// The annotation of an annotated assignment or a parameter.
    pub annotation: Option<&'a Expr>,
    /// The statement that makes the binding (`None` for parameters of a
    /// lambda at module level and the like: it is the `def` for parameters).
    pub stmt: Option<StmtId>,
    /// Every load that resolves to this binding, in source order.
    pub references: Vec<ReferenceId>,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub parent: Option<ScopeId>,
    bindings: HashMap<&'a str, Vec<BindingId>>,
    /// For a name bound many times in this scope (at least
    /// [`REACH_INDEX_MIN`] bindings), built once the model is complete:
    /// the suffix minima of where its bindings become visible, so that
    /// [`SemanticModel::lookup`] finds the binding a load sees by binary
    /// search instead of walking back through every later binding (a name
    /// rebound thousands of times in one function made every lookup of it
    /// linear, and resolving all its loads quadratic: issue 19).
    reach: HashMap<&'a str, Vec<Reach>>,
    /// `global` and `nonlocal` declarations made in this scope.
    declarations: HashMap<&'a str, BindingId>,
    /// Bare annotations (`x: int` without a value), class-level ones being
    /// attribute declarations.
    annotations: HashMap<&'a str, &'a Expr>,
    /// Comprehension and type-parameter scopes opened directly inside this
    /// scope, with the range where their names apply.
    /// Sorted by start once the model is built.
    nested: Vec<(TextRange, ScopeId)>,
    /// For each entry of `nested`, the furthest end among it and the ones
    /// before it (ranges nest or are disjoint; this bounds the search).
    nested_reach: Vec<TextSize>,
    /// Defined under `if TYPE_CHECKING:`, so never run.
    pub type_checking_only: bool,
}

/// Names bound fewer times than this in a scope are looked up by a linear
/// walk (as fast for a few bindings, and no index to keep).
pub(crate) const REACH_INDEX_MIN: usize = 8;

/// For the binding at index `i` of a name's bindings in a scope (in source
/// order): the smallest offset from which one of the bindings at `i` or
/// later is seen, by a load (`load`: after the whole assignment statement,
/// see [`SemanticModel::visible_from`]) or by another query (`start`: the
/// bound name's start). Deletions never count (`TextSize::MAX`). Both are
/// non-decreasing in `i`, so the last binding seen before an offset is
/// found by binary search even where bindings of one statement overlap
/// (`x = (x := 1)`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    load: TextSize,
    start: TextSize,
}

/// A load of a name: where it is, in which scope it occurs, and what it
/// resolves to.
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    pub name: &'a str,
    pub range: TextRange,
    /// The scope whose frame the load runs in: a function, lambda, class or
    /// the module (a load inside a comprehension has the scope around it).
    pub scope: ScopeId,
    /// The innermost scope of the load, comprehension and type-parameter
    /// scopes included (the one its name is looked up from).
    pub innermost_scope: ScopeId,
    /// The binding it reads (`None`: a builtin or an undefined name).
    pub binding: Option<BindingId>,
    /// The innermost statement it is in.
    pub stmt: Option<StmtId>,
}

/// An assignment to an instance or class attribute seen in a class:
/// `self.x = value` / `self.x: T = value` in a method, or a class-level
/// `x = value` / `x: T`.
#[derive(Debug, Clone, Copy)]
pub struct AttributeAssignment<'a> {
    pub value: Option<&'a Expr>,
    pub annotation: Option<&'a Expr>,
    /// The scope to resolve `value` and `annotation` in.
    pub scope: ScopeId,
    /// The method it is made in (`None` at class level).
    pub method: Option<&'a ast::StmtFunctionDef>,
}

#[derive(Debug)]
pub struct SemanticModel<'a> {
    scopes: Vec<Scope<'a>>,
    bindings: Vec<Binding<'a>>,
    references: Vec<Reference<'a>>,
    /// Start offset of a reference's name to the reference.
    reference_at: HashMap<TextSize, ReferenceId>,
    /// Start offset of a `def`, `class`, `lambda` or comprehension to the
    /// scope it opens.
    scope_by_node: HashMap<TextSize, ScopeId>,
    statements: Statements<'a>,
    /// Per class scope: attribute name to its assignments, `__init__`'s
    /// first, then the other methods' in source order, then class level.
    attributes: HashMap<ScopeId, HashMap<&'a str, Vec<AttributeAssignment<'a>>>>,
    call_graph: OnceCell<calls::CallGraph>,
    /// [`SemanticModel::suspensions`].
    suspensions: flow::Suspensions<'a>,
    /// Every load, sorted by name and then source order: built on first use
    /// ([`SemanticModel::loads_named`]). Ids, not names: a cell holding the
    /// model's lifetime would make the model invariant in it.
    loads_by_name: OnceCell<Vec<ReferenceId>>,
    /// Memoised [`SemanticModel::returns_of`] (`None` while in progress).
    returns: RefCell<HashMap<ScopeId, Option<TypeFact>>>,
    /// Memoised [`SemanticModel::handed_back_call`].
    handed_back: RefCell<HashMap<ScopeId, Option<handed_back::HandedBackIds>>>,
    /// The coroutine functions that never suspend
    /// ([`SemanticModel::does_not_suspend`]), found on first use.
    non_suspending: OnceCell<rustc_hash::FxHashSet<ScopeId>>,
    /// What the module does with asyncio queues (on first use).
    queue_summary: OnceCell<types::QueueSummary>,
    /// Every store to an attribute, by name (on first use).
    attribute_stores: OnceCell<types::AttributeStores>,
    /// Per attribute name: every store to it is an unbounded queue
    /// (memoised, `false` while in progress).
    unbounded_attributes: RefCell<rustc_hash::FxHashMap<String, bool>>,
    /// Per class scope, the classes of this module deriving from it,
    /// transitively (on first use).
    subclasses: OnceCell<rustc_hash::FxHashMap<ScopeId, Vec<ScopeId>>>,
    /// The names and attributes the module calls `.shutdown()` on (on
    /// first use).
    shut_down: OnceCell<rustc_hash::FxHashSet<String>>,
    /// Memoised [`SemanticModel::reached_loads`], per frame.
    reach: RefCell<HashMap<ScopeId, std::rc::Rc<reach::ReachMap>>>,
    /// Per block (keyed by its address), the positions of its early-exit
    /// `if` guards (`once.rs`), found on first use.
    early_exit_guards: RefCell<rustc_hash::FxHashMap<usize, std::rc::Rc<Vec<u32>>>>,
    /// Memoised [`SemanticModel::reaching_bindings`], per frame.
    reach_inverse: RefCell<HashMap<ScopeId, std::rc::Rc<reach::ReachInverse>>>,
    module_body: &'a [Stmt],
    /// Every name bound or read in the module.
    names_used: rustc_hash::FxHashSet<&'a str>,
    /// The names of a scope that a load from another frame reads (a nested
    /// function, lambda or class body): [`SemanticModel::is_captured`].
    captured: rustc_hash::FxHashSet<(ScopeId, &'a str)>,
    /// The `if` statements whose test is a `TYPE_CHECKING` guard by
    /// [`SemanticModel::is_type_checking_guard`].
    type_checking_blocks: rustc_hash::FxHashSet<StmtId>,
    /// `import` statements at module level, in order (for adding imports).
    pub module_imports: Vec<&'a Stmt>,
    target_minor: u8,
}

impl<'a> SemanticModel<'a> {
    /// The model of a module, for the newest Python version's builtins.
    pub fn build(module: &'a [Stmt]) -> Self {
        builder::build(module, 13)
    }

    /// The model of a module run by Python 3.`target_minor` (which names
    /// are builtins: `aiter`/`anext` from 3.10, `ExceptionGroup` from
    /// 3.11...).
    pub fn build_for(module: &'a [Stmt], target_minor: u8) -> Self {
        builder::build(module, target_minor)
    }

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.index()]
    }

    /// Every scope, in the order they open in the source.
    pub fn scopes(&self) -> impl Iterator<Item = (ScopeId, &Scope<'a>)> + '_ {
        self.scopes
            .iter()
            .enumerate()
            .map(|(i, s)| (ScopeId(i as u32), s))
    }

    /// The scope opened by a function definition.
    pub fn function_scope(&self, def: &ast::StmtFunctionDef) -> Option<ScopeId> {
        self.scope_by_node.get(&def.start()).copied()
    }

    /// The scope opened by a class definition.
    pub fn class_scope(&self, class: &ast::StmtClassDef) -> Option<ScopeId> {
        self.scope_by_node.get(&class.start()).copied()
    }

    /// Every function definition in the module that can run (not one under
    /// `if TYPE_CHECKING:`) with the scope it opens, in source order.
    pub fn functions(&self) -> impl Iterator<Item = (ScopeId, &'a ast::StmtFunctionDef)> + '_ {
        self.scopes
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.type_checking_only)
            .filter_map(|(i, s)| match s.kind {
                ScopeKind::Function(def) => Some((ScopeId(i as u32), def)),
                _ => None,
            })
    }

    /// Code in this scope runs as part of a coroutine: the nearest enclosing
    /// function is an `async def` (a nested `def`, `lambda` or class ends it;
    /// a comprehension does not).
    pub fn is_async_scope(&self, id: ScopeId) -> bool {
        match self.scope(id).kind {
            ScopeKind::Function(def) => def.is_async,
            ScopeKind::Comprehension(_) | ScopeKind::TypeParams => self
                .scope(id)
                .parent
                .is_some_and(|p| self.is_async_scope(p)),
            _ => false,
        }
    }

    /// The function a scope belongs to: the scope's own `def`, or the one
    /// around a comprehension.
    pub fn enclosing_function_of_scope(
        &self,
        mut id: ScopeId,
    ) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        loop {
            let scope = self.scope(id);
            match scope.kind {
                ScopeKind::Function(def) => return Some((id, def)),
                ScopeKind::Comprehension(_) | ScopeKind::TypeParams => id = scope.parent?,
                _ => return None,
            }
        }
    }

    /// The innermost scope at `offset`, starting from `scope` (which
    /// contains it) and descending into comprehension and type-parameter
    /// scopes.
    pub fn scope_at(&self, mut scope: ScopeId, offset: TextSize) -> ScopeId {
        'descend: loop {
            let current = self.scope(scope);
            if current.nested_reach.len() != current.nested.len() {
                // While the model is being built: not indexed yet.
                for &(range, nested) in &current.nested {
                    if range.contains(offset) {
                        scope = nested;
                        continue 'descend;
                    }
                }
                return scope;
            }
            // The last nested range starting at or before `offset`, then
            // back while an earlier one could still reach it.
            let mut i = current
                .nested
                .partition_point(|(range, _)| range.start() <= offset);
            while i > 0 {
                i -= 1;
                if current.nested_reach[i] <= offset {
                    break;
                }
                let (range, nested) = current.nested[i];
                if range.contains(offset) {
                    scope = nested;
                    continue 'descend;
                }
            }
            return scope;
        }
    }

    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id.0 as usize]
    }

    /// The id of a binding got from one of the model's iterators.
    pub fn binding_id(&self, binding: &Binding<'a>) -> BindingId {
        let index = (binding as *const Binding<'a> as usize - self.bindings.as_ptr() as usize)
            / std::mem::size_of::<Binding<'a>>();
        debug_assert!(index < self.bindings.len());
        BindingId(index as u32)
    }

    /// Every binding of the module, in the order they were made.
    pub fn all_bindings(&self) -> impl Iterator<Item = (BindingId, &Binding<'a>)> + '_ {
        self.bindings
            .iter()
            .enumerate()
            .map(|(i, b)| (BindingId(i as u32), b))
    }

    /// Every binding of `name` made in `scope`, in source order.
    pub fn bindings_in_scope(
        &self,
        name: &str,
        scope: ScopeId,
    ) -> impl Iterator<Item = &Binding<'a>> + '_ {
        self.binding_ids_in_scope(name, scope)
            .map(|id| self.binding(id))
    }

    pub fn binding_ids_in_scope(
        &self,
        name: &str,
        scope: ScopeId,
    ) -> impl Iterator<Item = BindingId> + '_ {
        self.scope(scope)
            .bindings
            .get(name)
            .into_iter()
            .flatten()
            .copied()
    }

    /// The bindings of `name` made in `scope` whose bound name lies within
    /// `range`, in source order. Found by binary search (bindings are kept
    /// in source order): costs what it returns, not what the scope binds.
    pub fn bindings_in_scope_within(
        &self,
        name: &str,
        scope: ScopeId,
        range: TextRange,
    ) -> impl Iterator<Item = &Binding<'a>> + '_ {
        let ids = self
            .scope(scope)
            .bindings
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        let from = ids.partition_point(|&id| self.binding(id).range.start() < range.start());
        ids[from..]
            .iter()
            .map(|&id| self.binding(id))
            .take_while(move |b| b.range.start() < range.end())
            .filter(move |b| range.contains_range(b.range))
    }

    /// The binding of `name` in `scope` whose bound name spans exactly
    /// `range` (the binding a target makes), by binary search.
    pub fn binding_spanning(
        &self,
        name: &str,
        scope: ScopeId,
        range: TextRange,
    ) -> Option<BindingId> {
        self.bindings_in_scope_within(name, scope, range)
            .find(|b| b.range == range)
            .map(|b| self.binding_id(b))
    }

    /// The `global` or `nonlocal` declaration of `name` in `scope`.
    pub fn declaration(&self, name: &str, scope: ScopeId) -> Option<&Binding<'a>> {
        self.scope(scope)
            .declarations
            .get(name)
            .map(|&id| self.binding(id))
    }

    /// Every `global` and `nonlocal` declaration of `scope`.
    pub fn declarations(&self, scope: ScopeId) -> impl Iterator<Item = &Binding<'a>> + '_ {
        self.scope(scope)
            .declarations
            .values()
            .map(|&id| self.binding(id))
    }

    /// A bare annotation `name: T` (no value) made in `scope`.
    pub fn bare_annotation(&self, name: &str, scope: ScopeId) -> Option<&'a Expr> {
        self.scope(scope).annotations.get(name).copied()
    }

    /// All loads of names in the module.
    pub fn references(&self) -> &[Reference<'a>] {
        &self.references
    }

    pub fn reference(&self, id: ReferenceId) -> &Reference<'a> {
        &self.references[id.0 as usize]
    }

    /// The load of a name starting at `offset`, if there is one.
    pub fn reference_at(&self, offset: TextSize) -> Option<&Reference<'a>> {
        self.reference_at.get(&offset).map(|&id| self.reference(id))
    }

    /// Every load of `name` in the module (whatever it resolves to), in
    /// source order, with its id (ids are in the order the model recorded
    /// the loads, as [`SemanticModel::references`] lists them). Costs what
    /// the name's loads number: a rule asking once per finding does not
    /// scan the module's loads each time (issue 19).
    pub fn loads_named(
        &self,
        name: &str,
    ) -> impl DoubleEndedIterator<Item = (ReferenceId, &Reference<'a>)> + '_ {
        self.load_ids_named(name)
            .iter()
            .map(|&id| (id, self.reference(id)))
    }

    /// The loads of `name` within `range`, in source order (binary search).
    pub fn loads_named_within(
        &self,
        name: &str,
        range: TextRange,
    ) -> impl DoubleEndedIterator<Item = (ReferenceId, &Reference<'a>)> + '_ {
        let ids = self.load_ids_named(name);
        let from = ids.partition_point(|&id| self.reference(id).range.start() < range.start());
        let to = ids.partition_point(|&id| self.reference(id).range.start() < range.end());
        ids[from..to.max(from)]
            .iter()
            .map(|&id| (id, self.reference(id)))
            .filter(move |(_, r)| range.contains_range(r.range))
    }

    fn load_ids_named(&self, name: &str) -> &[ReferenceId] {
        let sorted = self.loads_by_name.get_or_init(|| {
            let mut ids: Vec<ReferenceId> =
                (0..self.references.len() as u32).map(ReferenceId).collect();
            ids.sort_unstable_by(|&a, &b| {
                let (a, b) = (self.reference(a), self.reference(b));
                a.name
                    .cmp(b.name)
                    .then(a.range.start().cmp(&b.range.start()))
            });
            ids
        });
        let from = sorted.partition_point(|&id| self.reference(id).name < name);
        let to = from + sorted[from..].partition_point(|&id| self.reference(id).name == name);
        &sorted[from..to]
    }

    /// The loads that read a binding, in source order.
    pub fn references_of(&self, id: BindingId) -> impl Iterator<Item = &Reference<'a>> + '_ {
        self.binding(id)
            .references
            .iter()
            .map(|&r| self.reference(r))
    }

    /// The loads that read one of the bindings of `name` made in `scope`
    /// (from the scope itself or from a nested one), binding by binding.
    /// Costs what those loads number, not what the module's loads do.
    pub fn references_to(
        &self,
        name: &str,
        scope: ScopeId,
    ) -> impl Iterator<Item = &Reference<'a>> + '_ {
        self.binding_ids_in_scope(name, scope)
            .flat_map(|id| self.references_of(id))
    }

    /// Whether a binding of `name` made in `scope` is read from another
    /// frame (a nested function, lambda or class body; a comprehension
    /// runs in the frame around it): the value may outlive the scope's run.
    /// O(1): the same as `references_to(name, scope).any(|r| r.scope !=
    /// scope)`, found once when the model is built.
    pub fn is_captured(&self, name: &str, scope: ScopeId) -> bool {
        !self.captured.is_empty() && self.captured.contains(&(scope, name))
    }

    /// Whether anything reads the binding (O(1)).
    pub fn is_used(&self, id: BindingId) -> bool {
        !self.binding(id).references.is_empty()
    }

    /// Whether the binding is read at or after `offset` (in source order:
    /// a read from a nested function defined earlier counts only if it
    /// comes after `offset` in the text).
    pub fn is_read_after(&self, id: BindingId, offset: TextSize) -> bool {
        self.references_of(id).any(|r| r.range.start() >= offset)
    }

    /// The binding a load of `name` at offset `at` in `scope` refers to.
    ///
    /// When `at` is the start of a load of `name` recorded by the model,
    /// its resolved binding (comprehension scopes included). Otherwise: in
    /// the scope where the load occurs the last binding before it wins (the
    /// first one if none precedes it); in enclosing scopes, which have
    /// usually finished binding by the time a nested function runs, the last
    /// binding wins.
    pub fn resolve_name(&self, name: &str, scope: ScopeId, at: TextSize) -> Option<&Binding<'a>> {
        if let Some(reference) = self.reference_at(at)
            && reference.name == name
        {
            return reference.binding.map(|id| self.binding(id));
        }
        let scope = self.scope_at(scope, at);
        self.lookup(name, scope, at, false)
            .map(|id| self.binding(id))
    }

    /// Resolution at build time, and for offsets that are not loads.
    ///
    /// `load`: `at` is a load recorded in the source, which does not see a
    /// binding its own assignment statement makes.
    pub(super) fn lookup(
        &self,
        name: &str,
        scope: ScopeId,
        at: TextSize,
        load: bool,
    ) -> Option<BindingId> {
        let mut current = Some(scope);
        let mut first = true;
        let mut skip_to_function = false;
        while let Some(id) = current {
            let s = self.scope(id);
            // In its own scope, a declaration governs what comes after it,
            // as it does for bindings (see the builder): before it, the name
            // is the scope's own. (Python refuses a name used or bound before
            // its `global`; the parser accepts it, and a load must still find
            // the binding it reads.)
            if let Some(&declaration) = s.declarations.get(name)
                && !(first && at < self.binding(declaration).range.start())
            {
                match self.binding(declaration).kind {
                    BindingKind::Global => return self.pick(name, ScopeId::MODULE, None, load),
                    _ => skip_to_function = true,
                }
            }
            let skip = (!first && matches!(s.kind, ScopeKind::Class(_)))
                || (skip_to_function && (first || !matches!(s.kind, ScopeKind::Function(_))));
            if !skip && s.bindings.contains_key(name) {
                return self.pick(name, id, first.then_some(at), load);
            }
            first = false;
            current = s.parent;
        }
        None
    }

    fn pick(
        &self,
        name: &str,
        scope: ScopeId,
        before: Option<TextSize>,
        load: bool,
    ) -> Option<BindingId> {
        let s = self.scope(scope);
        let ids = s.bindings.get(name)?;
        if let Some(reach) = s.reach.get(name) {
            return pick_indexed(ids, reach, before, load)
                .or_else(|| self.first_not_deleted(ids, before));
        }
        self.pick_linear(ids, before, load)
    }

    /// [`SemanticModel::pick`] by walking back through the bindings: for
    /// short lists, and during the build (before the index exists).
    fn pick_linear(
        &self,
        ids: &[BindingId],
        before: Option<TextSize>,
        load: bool,
    ) -> Option<BindingId> {
        // `del x` unbinds rather than binds: it is never what a load reads.
        let mut all = ids
            .iter()
            .copied()
            .filter(|&id| !matches!(self.binding(id).kind, BindingKind::Deletion));
        match before {
            Some(at) => ids
                .iter()
                .rev()
                .copied()
                .filter(|&id| !matches!(self.binding(id).kind, BindingKind::Deletion))
                .find(|&id| {
                    let from = if load {
                        self.visible_from(id)
                    } else {
                        self.binding(id).range.start()
                    };
                    from < at
                })
                .or_else(|| all.next()),
            None => all.next_back(),
        }
    }

    /// The first binding that is not a deletion, when none is seen before
    /// `before` (the name is read before any binding: the first one).
    fn first_not_deleted(&self, ids: &[BindingId], before: Option<TextSize>) -> Option<BindingId> {
        before?;
        ids.iter()
            .copied()
            .find(|&id| !matches!(self.binding(id).kind, BindingKind::Deletion))
    }

    /// Builds the [`Reach`] index of every name bound at least
    /// [`REACH_INDEX_MIN`] times in a scope (bindings sorted by start).
    pub(super) fn index_reach(&mut self) {
        for index in 0..self.scopes.len() {
            let mut reach = HashMap::default();
            for (name, ids) in &self.scopes[index].bindings {
                if ids.len() < REACH_INDEX_MIN {
                    continue;
                }
                let mut entries = vec![
                    Reach {
                        load: TextSize::new(u32::MAX),
                        start: TextSize::new(u32::MAX),
                    };
                    ids.len()
                ];
                let mut min = entries[0];
                for (i, &id) in ids.iter().enumerate().rev() {
                    if !matches!(self.binding(id).kind, BindingKind::Deletion) {
                        min.load = min.load.min(self.visible_from(id));
                        min.start = min.start.min(self.binding(id).range.start());
                    }
                    entries[i] = min;
                }
                reach.insert(*name, entries);
            }
            self.scopes[index].reach = reach;
        }
    }

    /// Where a binding starts to be seen by loads in its own scope: after
    /// the whole statement for an assignment (`x = f(x)` and `x = [... for
    /// r in x]` read the previous `x`), at the bound name otherwise.
    fn visible_from(&self, id: BindingId) -> TextSize {
        let binding = self.binding(id);
        match (&binding.kind, binding.stmt) {
            (
                BindingKind::Assignment { .. } | BindingKind::AugmentedAssignment { .. },
                Some(stmt),
            ) if self.statements().len() > stmt.index() => {
                let stmt = self.statement(stmt);
                if matches!(
                    stmt,
                    Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_)
                ) {
                    stmt.end()
                } else {
                    binding.range.start()
                }
            }
            _ => binding.range.start(),
        }
    }

    /// The qualified name an expression such as `time.sleep`, `pause` (from
    /// `from time import sleep as pause`) or `open` refers to, as segments
    /// (`["time", "sleep"]`, `["builtins", "open"]`), resolved through
    /// imports, aliases and simple assignments like `s = time.sleep`.
    /// Classes and functions defined at module level are `<module>.name`;
    /// relative imports have the module `.`. Nothing is allocated for names
    /// of up to eight segments. Compare with
    /// [`names::QualifiedNameExt::is`] or look up in a [`names::NameMap`].
    pub fn resolve_qualified_name<'e>(
        &self,
        expr: &'e Expr,
        scope: ScopeId,
    ) -> Option<QualifiedName<'e>>
    where
        'a: 'e,
    {
        self.resolve_qualified_name_depth(expr, scope, 0)
    }

    fn resolve_qualified_name_depth<'e>(
        &self,
        expr: &'e Expr,
        scope: ScopeId,
        depth: u8,
    ) -> Option<QualifiedName<'e>>
    where
        'a: 'e,
    {
        if depth > 8 {
            return None;
        }
        let unqualified = UnqualifiedName::from_expr(expr)?;
        let segments = unqualified.segments();
        let (&head, rest) = segments.split_first()?;
        let mut name = QualifiedNameBuilder::with_capacity(segments.len() + 2);
        match self.resolve_name(head, scope, expr.start()) {
            Some(binding) => match binding.kind {
                BindingKind::Import { .. } | BindingKind::FromImport { .. } => {
                    push_import(&mut name, &binding.kind);
                }
                BindingKind::Assignment {
                    value: Some(value @ (Expr::Name(_) | Expr::Attribute(_))),
                } => name.extend(
                    self.resolve_qualified_name_depth(value, binding.scope, depth + 1)?
                        .segments()
                        .iter()
                        .copied(),
                ),
                BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)
                    if binding.scope == ScopeId::MODULE =>
                {
                    name.push(names::LOCAL_MODULE);
                    name.push(head);
                }
                _ => return None,
            },
            None if self.is_builtin(head) => {
                name.push("builtins");
                name.push(head);
            }
            None => return None,
        }
        name.extend(rest.iter().copied());
        Some(name.build())
    }

    /// The policy for `if TYPE_CHECKING:` blocks, the same for every rule:
    /// the test is `TYPE_CHECKING` or `x.TYPE_CHECKING` and the name
    /// resolves to `typing.TYPE_CHECKING` (or any module's
    /// `TYPE_CHECKING`, as `typing_extensions` and compatibility modules
    /// re-export it), to a module-level `TYPE_CHECKING = False`, or to
    /// nothing the module binds (a star import). Such a block never runs;
    /// scopes opened in it are `type_checking_only`.
    pub fn is_type_checking_guard(&self, test: &Expr, scope: ScopeId) -> bool {
        let (head, last, at) = match test {
            Expr::Name(name) => (name.id.as_str(), name.id.as_str(), name.start()),
            Expr::Attribute(attribute) => {
                let Some(unqualified) = UnqualifiedName::from_expr(test) else {
                    return false;
                };
                let Some(&head) = unqualified.segments().first() else {
                    return false;
                };
                let head = match &*attribute.value {
                    Expr::Name(name) if name.id.as_str() == head => name.id.as_str(),
                    _ => {
                        // `a.b.TYPE_CHECKING`: only the last segment matters.
                        return attribute.attr.id.as_str() == "TYPE_CHECKING";
                    }
                };
                (head, attribute.attr.id.as_str(), attribute.start())
            }
            _ => return false,
        };
        if last != "TYPE_CHECKING" {
            return false;
        }
        let scope = self.scope_at(scope, at);
        let Some(binding) = self
            .lookup(head, scope, at, false)
            .map(|id| self.binding(id))
        else {
            return true;
        };
        match binding.kind {
            BindingKind::Import { .. } => head != "TYPE_CHECKING",
            BindingKind::FromImport { member, .. } => {
                if head == "TYPE_CHECKING" {
                    member == "TYPE_CHECKING"
                } else {
                    true
                }
            }
            BindingKind::Assignment { value: Some(value) } => {
                head == "TYPE_CHECKING" && matches!(value, Expr::BooleanLiteral(b) if !b.value)
            }
            _ => false,
        }
    }

    /// Whether `stmt` is an `if` whose test is a `TYPE_CHECKING` guard (by
    /// [`SemanticModel::is_type_checking_guard`], decided once when the
    /// model is built): its body never runs, its `elif`/`else` clauses do.
    pub fn is_type_checking_block(&self, stmt: &Stmt) -> bool {
        matches!(stmt, Stmt::If(_))
            && self
                .statement_id(stmt)
                .is_some_and(|id| self.type_checking_blocks.contains(&id))
    }

    /// Whether `name` is a builtin of the target Python version.
    pub fn is_builtin(&self, name: &str) -> bool {
        ruff_python_stdlib::builtins::is_python_builtin(name, self.target_minor, false)
    }

    /// The call an expression stands for, with the scope to resolve its
    /// names in: the expression itself (`asyncio.get_running_loop()`), or the
    /// call a plain name was bound to by a single assignment
    /// (`loop = asyncio.get_running_loop()`; `loop`).
    pub fn call_behind(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
    ) -> Option<(&'a ast::ExprCall, ScopeId)> {
        match expr {
            Expr::Call(call) => Some((call, scope)),
            Expr::Name(name) => match self.resolve_name(name.id.as_str(), scope, name.start())? {
                Binding {
                    kind:
                        BindingKind::Assignment {
                            value: Some(Expr::Call(call)),
                        },
                    scope: bound_in,
                    ..
                } => Some((call, *bound_in)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `name` is bound or read anywhere in the module (for choosing
    /// names that fixes introduce).
    pub fn is_name_used(&self, name: &str) -> bool {
        self.names_used.contains(name)
    }

    // ---- statements -------------------------------------------------------

    pub fn statements(&self) -> &Statements<'a> {
        &self.statements
    }

    /// The id of a statement of this module.
    pub fn statement_id(&self, stmt: &Stmt) -> Option<StmtId> {
        self.statements.id(stmt)
    }

    pub fn statement(&self, id: StmtId) -> &'a Stmt {
        self.statements.info(id).stmt
    }

    pub fn parent_statement(&self, id: StmtId) -> Option<StmtId> {
        self.statements.info(id).parent
    }

    /// The innermost statement containing `offset`.
    pub fn statement_at(&self, offset: TextSize) -> Option<StmtId> {
        self.statements.at(offset)
    }

    /// The block (body) a statement is in and its index there.
    pub fn block_of(&self, id: StmtId) -> (&'a [Stmt], usize) {
        let info = self.statements.info(id);
        (info.block, info.index as usize)
    }

    pub fn previous_sibling(&self, id: StmtId) -> Option<&'a Stmt> {
        let (block, index) = self.block_of(id);
        index.checked_sub(1).map(|i| &block[i])
    }

    pub fn next_sibling(&self, id: StmtId) -> Option<&'a Stmt> {
        let (block, index) = self.block_of(id);
        block.get(index + 1)
    }

    /// The kinds of the blocks around a statement, innermost first, up to
    /// (not across) the enclosing `def` or `class`.
    pub fn enclosing_blocks(&self, id: StmtId) -> impl Iterator<Item = BlockKind> + '_ {
        let mut current = Some(id);
        std::iter::from_fn(move || {
            let info = self.statements.info(current?);
            current = match info.block_kind {
                BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => None,
                _ => info.parent,
            };
            Some(info.block_kind)
        })
    }

    /// In the body of a `for`/`while` loop of its function (the `else` of a
    /// loop runs once and does not count).
    pub fn in_loop(&self, id: StmtId) -> bool {
        self.enclosing_blocks(id).any(|k| k == BlockKind::LoopBody)
    }

    pub fn in_try_body(&self, id: StmtId) -> bool {
        self.enclosing_blocks(id).any(|k| k == BlockKind::TryBody)
    }

    pub fn in_except(&self, id: StmtId) -> bool {
        self.enclosing_blocks(id).any(|k| k == BlockKind::Except)
    }

    /// In an `except` handler that ends by re-raising what it caught (a bare
    /// `raise`): cleanup on the way out, where the original error goes on.
    pub fn in_reraising_handler(&self, id: StmtId) -> bool {
        let mut current = id;
        loop {
            let info = self.statements.info(current);
            match info.block_kind {
                BlockKind::Except => {
                    return matches!(info.block.last(), Some(Stmt::Raise(raise)) if raise.exc.is_none());
                }
                BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => return false,
                _ => match info.parent {
                    Some(parent) => current = parent,
                    None => return false,
                },
            }
        }
    }

    pub fn in_finally(&self, id: StmtId) -> bool {
        self.enclosing_blocks(id).any(|k| k == BlockKind::Finally)
    }

    pub fn in_with(&self, id: StmtId) -> bool {
        self.enclosing_blocks(id).any(|k| k == BlockKind::With)
    }

    /// The innermost loop statement (`for`/`while`) whose body holds the
    /// statement, within its function.
    pub fn enclosing_loop(&self, id: StmtId) -> Option<&'a Stmt> {
        let mut current = id;
        loop {
            let info = self.statements.info(current);
            match info.block_kind {
                BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => return None,
                BlockKind::LoopBody => return info.parent.map(|p| self.statement(p)),
                _ => current = info.parent?,
            }
        }
    }

    /// Every loop statement (`for`/`while`) whose body holds the statement,
    /// innermost first, within its function (a loop's header and `else`
    /// run once and do not count).
    pub fn enclosing_loops(&self, id: StmtId) -> impl Iterator<Item = &'a Stmt> + '_ {
        let mut current = Some(id);
        std::iter::from_fn(move || {
            loop {
                let info = self.statements.info(current?);
                match info.block_kind {
                    BlockKind::FunctionBody | BlockKind::ClassBody | BlockKind::Module => {
                        current = None;
                        return None;
                    }
                    BlockKind::LoopBody => {
                        let parent = info.parent?;
                        current = Some(parent);
                        return Some(self.statement(parent));
                    }
                    _ => current = info.parent,
                }
            }
        })
    }

    /// The scope whose frame runs the statement: the function or class
    /// whose body holds it (through nested blocks), or the module.
    pub fn statement_scope(&self, id: StmtId) -> ScopeId {
        for s in self.statements.ancestors(id).skip(1) {
            let scope = match self.statement(s) {
                Stmt::FunctionDef(def) => self.function_scope(def),
                Stmt::ClassDef(class) => self.class_scope(class),
                _ => continue,
            };
            return scope.unwrap_or(ScopeId::MODULE);
        }
        ScopeId::MODULE
    }

    /// The `def` whose body holds the statement (through nested blocks).
    pub fn enclosing_function(&self, id: StmtId) -> Option<&'a ast::StmtFunctionDef> {
        self.statements
            .ancestors(id)
            .skip(1)
            .find_map(|s| self.statement(s).as_function_def_stmt())
    }

    /// The `class` whose body holds the statement (through nested blocks,
    /// not across a `def`).
    pub fn enclosing_class(&self, id: StmtId) -> Option<&'a ast::StmtClassDef> {
        for s in self.statements.ancestors(id).skip(1) {
            match self.statement(s) {
                Stmt::ClassDef(class) => return Some(class),
                Stmt::FunctionDef(_) => return None,
                _ => {}
            }
        }
        None
    }

    /// The `with` statement and item whose context expression spans exactly
    /// `range` (`with open(p) as f:` for the range of `open(p)`).
    pub fn with_item_at(&self, range: TextRange) -> Option<(&'a ast::StmtWith, &'a ast::WithItem)> {
        // The item's header is in the `with` statement itself, not in a
        // statement of its body.
        let Stmt::With(with) = self.statement(self.statement_at(range.start())?) else {
            return None;
        };
        with.items
            .iter()
            .find(|item| item.context_expr.range() == range)
            .map(|item| (with, item))
    }

    /// The context expression of a `with EXPR as NAME` binding whose target
    /// is the plain name (not one name of `as (a, b)`): what the name holds
    /// when the context manager returns itself from `__enter__`.
    pub fn with_item_value(&self, binding: &Binding<'a>) -> Option<&'a Expr> {
        let BindingKind::WithItem { context_expr, .. } = binding.kind else {
            return None;
        };
        let Stmt::With(with) = self.statement(binding.stmt?) else {
            return None;
        };
        with.items
            .iter()
            .find(|item| {
                matches!(item.optional_vars.as_deref(),
                    Some(Expr::Name(name)) if name.range == binding.range)
            })
            .map(|_| context_expr)
    }

    /// Whether the value of the expression spanning `range` (in `scope`) is
    /// entered by a `with` (an `async with` when `is_async`): the
    /// expression is a `with` item itself, or it is the value of `name =
    /// expr` (or a branch of a conditional value,
    /// `name = expr if c else other`) and a load of `name` bound in that
    /// scope is a `with` item (`with name:`; any assignment of `name` in
    /// the scope counts, as branches bind it in turn).
    pub fn entered_by_with(&self, range: TextRange, scope: ScopeId, is_async: bool) -> bool {
        let is_item = |range: TextRange| {
            self.with_item_at(range)
                .is_some_and(|(with, _)| with.is_async == is_async)
        };
        if is_item(range) {
            return true;
        }
        let Some(Stmt::Assign(assign)) = self
            .statement_at(range.start())
            .map(|id| self.statement(id))
        else {
            return false;
        };
        let [Expr::Name(target)] = &assign.targets[..] else {
            return false;
        };
        let is_value = match &*assign.value {
            Expr::If(if_exp) => [&*if_exp.body, &*if_exp.orelse]
                .iter()
                .any(|branch| branch.range() == range),
            value => value.range() == range,
        };
        if !is_value {
            return false;
        }
        let name = target.id.as_str();
        let scope = self.scope_at(scope, target.start());
        let bound_in = self
            .binding_spanning(name, scope, target.range)
            .map(|id| self.binding(id))
            .or_else(|| self.resolve_name(name, scope, target.start()))
            .map_or(scope, |b| b.scope);
        self.bindings_in_scope(name, bound_in)
            .flat_map(|b| self.references_of(self.binding_id(b)))
            .any(|r| is_item(r.range))
    }

    // ---- classes ----------------------------------------------------------

    /// The assignments seen to `attr` of instances (and the class) of the
    /// class opening `class_scope`: `self.attr = ...` in its methods,
    /// `__init__`'s first, then class-level assignments and annotations.
    pub fn attribute_assignments(
        &self,
        class_scope: ScopeId,
        attr: &str,
    ) -> &[AttributeAssignment<'a>] {
        self.attributes
            .get(&class_scope)
            .and_then(|attrs| attrs.get(attr))
            .map_or(&[], Vec::as_slice)
    }

    /// The `class` statement that opens a class scope.
    pub fn class_def(&self, scope: ScopeId) -> Option<&'a ast::StmtClassDef> {
        match self.scope(scope).kind {
            ScopeKind::Class(class) => Some(class),
            _ => None,
        }
    }

    /// The class defined in this module that `expr` names (`Foo`, through
    /// aliases and the scopes it is visible in).
    pub fn local_class(&self, expr: &Expr, scope: ScopeId) -> Option<&'a ast::StmtClassDef> {
        let Expr::Name(name) = expr else {
            return None;
        };
        match self
            .resolve_name(name.id.as_str(), scope, name.start())?
            .kind
        {
            BindingKind::ClassDef(class) => Some(class),
            _ => None,
        }
    }

    /// The same-module base classes of a class, transitively, in method
    /// resolution order (depth first, each class once; cycle-safe). The
    /// class itself comes first.
    pub fn class_and_bases(&self, class: &'a ast::StmtClassDef) -> Vec<&'a ast::StmtClassDef> {
        let mut out = vec![class];
        let mut i = 0;
        while i < out.len() {
            let current = out[i];
            i += 1;
            let Some(scope) = self.class_scope(current).and_then(|s| self.scope(s).parent) else {
                continue;
            };
            for base in current.bases() {
                if let Some(base) = self.local_class(base, scope)
                    && !out.iter().any(|c| std::ptr::eq(*c, base))
                {
                    out.push(base);
                }
            }
        }
        out
    }

    /// The class and the scope of a method whose first parameter is `self`
    /// (or `cls` in a classmethod): the class the first parameter of the
    /// function at `scope` stands for, if the function is a method.
    pub fn method_class(&self, scope: ScopeId) -> Option<&'a ast::StmtClassDef> {
        let parent = self.scope(scope).parent?;
        match self.scope(parent).kind {
            ScopeKind::Class(class) => Some(class),
            _ => None,
        }
    }
}

/// The last binding (by index) seen before `before` (by a load when
/// `load`), or the last one that is not a deletion when `before` is `None`:
/// binary search on the suffix minima (see [`Reach`]).
fn pick_indexed(
    ids: &[BindingId],
    reach: &[Reach],
    before: Option<TextSize>,
    load: bool,
) -> Option<BindingId> {
    let count = match before {
        Some(at) if load => reach.partition_point(|r| r.load < at),
        Some(at) => reach.partition_point(|r| r.start < at),
        None => reach.partition_point(|r| r.start < TextSize::new(u32::MAX)),
    };
    count.checked_sub(1).map(|i| ids[i])
}

/// The segments an import binding stands for: `import a.b as c` gives
/// `a.b`, `from a import b` gives `a.b` (a relative import's module is
/// `.`, one segment).
pub(crate) fn push_import<'e>(name: &mut QualifiedNameBuilder<'e>, kind: &BindingKind<'e>) {
    match *kind {
        BindingKind::Import { qualified } => name.extend(qualified.split('.')),
        BindingKind::FromImport { module, member } => {
            if module == "." {
                name.push(module);
            } else {
                name.extend(module.split('.'));
            }
            name.push(member);
        }
        _ => {}
    }
}
