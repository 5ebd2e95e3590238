//! Type facts: what the code shows an expression holds.
//!
//! A fact comes from an annotation (`client: httpx.Client`, `Optional[...]`,
//! `X | None` and quoted annotations unwrapped), from the call that produced
//! the value (`httpx.Client()`, `asyncio.get_running_loop()`, `open(...)`),
//! from a class of this module (`Foo()`, `self`), from an attribute assigned
//! in the class (`self.x = ...` in any method, class-level annotations), or
//! from what a function of this module returns. A fact the code does not
//! show stays unknown: nothing is guessed from a name's spelling.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use ruff_python_ast::name::{QualifiedName, QualifiedNameBuilder, UnqualifiedName};
use ruff_python_ast::{self as ast, Expr, Operator};
use ruff_text_size::{Ranged, TextSize};

use super::names::{LOCAL_MODULE, QualifiedNameExt};
use super::statements::StmtId;
use super::{BindingKind, ScopeId, ScopeKind, SemanticModel};

/// Where a qualified fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource {
    /// An annotation names the class: the value is an instance of it.
    Annotation,
    /// The value is what a call of the qualified name returned (a class's
    /// constructor or a function; the code does not say which).
    Call,
}

/// What an expression holds, as far as the code shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeFact {
    /// A qualified name from outside the module: `httpx.Client` from
    /// `client: httpx.Client` or `httpx.Client()`, `asyncio.get_running_loop`
    /// from `asyncio.get_running_loop()`, `pathlib.Path.open` from
    /// `path.open()` on a known `Path`.
    Qualified { name: String, source: FactSource },
    /// An instance of a class defined in this module (the scope the class
    /// opens; [`SemanticModel::class_def`] gives its `class` statement).
    LocalInstance(ScopeId),
    /// A class of this module itself (`cls`, `Foo`).
    LocalClass(ScopeId),
}

const EVENT_LOOP_CLASSES: &[&str] = &[
    "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop",
    "asyncio.events.AbstractEventLoop",
    "asyncio.base_events.BaseEventLoop",
    "asyncio.SelectorEventLoop",
    "asyncio.ProactorEventLoop",
    "uvloop.Loop",
];

const EVENT_LOOP_FUNCTIONS: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
    "asyncio.events.get_running_loop",
    "asyncio.events.get_event_loop",
    "asyncio.events.new_event_loop",
    "uvloop.new_event_loop",
];

const FILE_FUNCTIONS: &[&str] = &[
    "builtins.open",
    "io.open",
    "codecs.open",
    "pathlib.Path.open",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
];

const FILE_CLASSES: &[&str] = &[
    "typing.IO",
    "typing.TextIO",
    "typing.BinaryIO",
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "io.BufferedRandom",
    "io.FileIO",
    "io.IOBase",
    "io.RawIOBase",
    "io.BufferedIOBase",
    "io.TextIOBase",
];

const PATH_CLASSES: &[&str] = &[
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "pathlib.WindowsPath",
    "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath",
];

/// The lists above as hash sets of the dotted names type facts hold, built
/// once. A call of a loop class makes a loop too.
static LOOP_CLASSES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(&[EVENT_LOOP_CLASSES]));
static LOOP_FACTORIES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| set(&[EVENT_LOOP_FUNCTIONS, EVENT_LOOP_CLASSES]));
static FILE_FACTORIES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(&[FILE_FUNCTIONS]));
static FILE_TYPES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(&[FILE_CLASSES]));
static PATH_TYPES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| set(&[PATH_CLASSES]));

fn set(lists: &[&[&'static str]]) -> FxHashSet<&'static str> {
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// The factory lists of the type facts, as dotted names (for prefilters and
/// documentation): event loop classes and functions, file functions and
/// classes, path classes.
pub fn catalogue_names() -> impl Iterator<Item = &'static str> {
    [
        EVENT_LOOP_CLASSES,
        EVENT_LOOP_FUNCTIONS,
        FILE_FUNCTIONS,
        FILE_CLASSES,
        PATH_CLASSES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

impl TypeFact {
    /// The qualified name of an outside fact, as segments (look it up in a
    /// [`super::names::NameSet`], compare with
    /// [`QualifiedNameExt::is`]).
    pub fn qualified(&self) -> Option<QualifiedName<'_>> {
        match self {
            TypeFact::Qualified { name, .. } => Some(QualifiedName::user_defined(name)),
            _ => None,
        }
    }

    fn dotted(&self) -> Option<&str> {
        match self {
            TypeFact::Qualified { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether the fact names `qualified` (as an annotation or as the call
    /// that made the value): `fact.is("httpx.Client")`.
    pub fn is(&self, qualified: &str) -> bool {
        self.dotted() == Some(qualified)
    }

    pub fn is_any_of(&self, names: &[&str]) -> bool {
        self.dotted().is_some_and(|n| names.contains(&n))
    }

    /// The class of this module the value is an instance of.
    pub fn local_class(&self) -> Option<ScopeId> {
        match self {
            TypeFact::LocalInstance(class) => Some(*class),
            _ => None,
        }
    }

    /// An asyncio event loop: annotated as one, or returned by
    /// `asyncio.get_running_loop()` and friends.
    pub fn is_event_loop(&self) -> bool {
        match self {
            TypeFact::Qualified {
                name,
                source: FactSource::Annotation,
            } => LOOP_CLASSES.contains(name.as_str()),
            TypeFact::Qualified {
                name,
                source: FactSource::Call,
            } => LOOP_FACTORIES.contains(name.as_str()),
            _ => false,
        }
    }

    /// A file object: from `open()`, `io.open()`, `Path.open()`, or
    /// annotated `IO`/`TextIO`/`io.TextIOWrapper`...
    pub fn is_file_object(&self) -> bool {
        match self {
            TypeFact::Qualified {
                name,
                source: FactSource::Call,
            } => FILE_FACTORIES.contains(name.as_str()),
            TypeFact::Qualified {
                name,
                source: FactSource::Annotation,
            } => FILE_TYPES.contains(name.as_str()),
            _ => false,
        }
    }

    /// A `pathlib` path (annotated, constructed, or `path / "x"`).
    pub fn is_path(&self) -> bool {
        self.dotted().is_some_and(|name| PATH_TYPES.contains(name))
    }
}

/// Calls whose result owns something that must be released (closed,
/// disposed, cancelled): database engines and connections, pools, HTTP
/// sessions, broker and cache clients, tasks, subprocesses. Names as the
/// model qualifies them (`module.member`, `module.Class.method`).
const RESOURCE_FACTORIES: &[&str] = &[
    "sqlalchemy.create_engine",
    "sqlalchemy.engine.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
    "sqlalchemy.ext.asyncio.AsyncEngine",
    "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.engine.create_async_engine",
    "aiohttp.ClientSession",
    "aiohttp.client.ClientSession",
    "aiohttp.TCPConnector",
    "aiohttp.UnixConnector",
    "httpx.AsyncClient",
    "httpx.Client",
    "httpx._client.AsyncClient",
    "asyncpg.connect",
    "asyncpg.connection.connect",
    "asyncpg.create_pool",
    "asyncpg.pool.create_pool",
    "psycopg.AsyncConnection.connect",
    "psycopg_pool.AsyncConnectionPool",
    "aiosqlite.connect",
    "aiomysql.connect",
    "aiomysql.create_pool",
    "aiopg.connect",
    "aiopg.create_pool",
    "redis.asyncio.Redis",
    "redis.asyncio.StrictRedis",
    "redis.asyncio.Redis.from_url",
    "redis.asyncio.from_url",
    "redis.asyncio.client.Redis",
    "redis.asyncio.ConnectionPool",
    "redis.asyncio.ConnectionPool.from_url",
    "redis.asyncio.RedisCluster",
    "redis.asyncio.cluster.RedisCluster",
    "aioredis.Redis",
    "aioredis.from_url",
    "aioredis.create_redis_pool",
    "motor.motor_asyncio.AsyncIOMotorClient",
    "aio_pika.connect",
    "aio_pika.connect_robust",
    "aiokafka.AIOKafkaProducer",
    "aiokafka.AIOKafkaConsumer",
    "nats.connect",
    "websockets.connect",
    "grpc.aio.insecure_channel",
    "grpc.aio.secure_channel",
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
];

/// Annotated classes whose instances own something that must be released.
const RESOURCE_CLASSES: &[&str] = &[
    "sqlalchemy.engine.Engine",
    "sqlalchemy.Engine",
    "sqlalchemy.ext.asyncio.AsyncEngine",
    "sqlalchemy.ext.asyncio.AsyncSession",
    "aiohttp.ClientSession",
    "aiohttp.client.ClientSession",
    "httpx.AsyncClient",
    "httpx.Client",
    "asyncpg.Connection",
    "asyncpg.Pool",
    "asyncpg.connection.Connection",
    "asyncpg.pool.Pool",
    "redis.asyncio.Redis",
    "redis.asyncio.client.Redis",
    "redis.asyncio.ConnectionPool",
    "asyncio.Task",
    "asyncio.subprocess.Process",
    "asyncio.StreamWriter",
];

/// Methods by which a class of this module says its instances own
/// something to release.
const RELEASE_METHODS: &[&str] = &[
    "close",
    "aclose",
    "dispose",
    "cancel",
    "disconnect",
    "shutdown",
    "__aexit__",
    "__exit__",
];

/// Expressions deeper than this are not followed (cycles through
/// assignments end here; function returns are memoised).
const MAX_DEPTH: u8 = 16;

impl<'a> SemanticModel<'a> {
    /// What `expr`, read in `scope`, holds, as far as the code shows.
    pub fn type_of(&self, expr: &'a Expr, scope: ScopeId) -> Option<TypeFact> {
        self.type_of_depth(expr, scope, 0)
    }

    pub(super) fn type_of_depth(
        &self,
        expr: &'a Expr,
        scope: ScopeId,
        depth: u8,
    ) -> Option<TypeFact> {
        if depth > MAX_DEPTH {
            return None;
        }
        let depth = depth + 1;
        match expr {
            Expr::Name(name) => self.name_fact(name.id.as_str(), scope, name.start(), depth),
            Expr::Attribute(attribute) => {
                let class = match self.type_of_depth(&attribute.value, scope, depth)? {
                    TypeFact::LocalInstance(class) | TypeFact::LocalClass(class) => class,
                    TypeFact::Qualified { .. } => return None,
                };
                let class = self.class_def(class)?;
                self.attribute_fact(class, attribute.attr.id.as_str(), depth)
            }
            Expr::Call(call) => self.call_fact(call, scope, depth),
            Expr::Await(ast::ExprAwait { value, .. }) => self.type_of_depth(value, scope, depth),
            Expr::BinOp(ast::ExprBinOp {
                left,
                op: Operator::Div,
                ..
            }) => self
                .type_of_depth(left, scope, depth)
                .filter(TypeFact::is_path),
            Expr::If(ast::ExprIf { body, orelse, .. }) => {
                let body_fact = self.type_of_depth(body, scope, depth);
                if orelse.is_none_literal_expr() {
                    return body_fact;
                }
                let else_fact = self.type_of_depth(orelse, scope, depth);
                if body.is_none_literal_expr() {
                    return else_fact;
                }
                (body_fact == else_fact).then_some(body_fact).flatten()
            }
            _ => None,
        }
    }

    /// Whether the value a fact describes owns something that must be
    /// released: made by a known resource factory (an engine, a pool, a
    /// connection, an HTTP session, a broker client, a task, a subprocess),
    /// annotated as such a class, a file object, a task scheduled on an
    /// event loop (`loop.create_task(...)`), or an instance of a class of
    /// this module (or one of its same-module bases) that defines
    /// `close`/`aclose`/`dispose`/`cancel`/`disconnect`/`shutdown` or is a
    /// context manager. A fact that names none of these says nothing either
    /// way: the caller decides what an unknown value means.
    pub fn owns_resource(&self, fact: &TypeFact) -> bool {
        match fact {
            TypeFact::Qualified {
                name,
                source: FactSource::Call,
            } => {
                RESOURCE_FACTORIES.contains(&name.as_str())
                    || fact.is_file_object()
                    || name.rsplit_once('.').is_some_and(|(receiver, method)| {
                        matches!(method, "create_task" | "ensure_future")
                            && EVENT_LOOP_FUNCTIONS.contains(&receiver)
                    })
            }
            TypeFact::Qualified {
                name,
                source: FactSource::Annotation,
            } => RESOURCE_CLASSES.contains(&name.as_str()) || fact.is_file_object(),
            TypeFact::LocalInstance(class) => self.class_def(*class).is_some_and(|class| {
                RELEASE_METHODS
                    .iter()
                    .any(|method| self.method(class, method).is_some())
            }),
            TypeFact::LocalClass(_) => false,
        }
    }

    /// Whether `expr`, read in `scope`, holds a value that owns something to
    /// release ([`SemanticModel::owns_resource`]). A local name counts if any
    /// of its assignments in the function does (`engine = make() if a else
    /// other()` on separate branches); `await x` is what `x` gives.
    pub fn holds_resource(&self, expr: &'a Expr, scope: ScopeId) -> bool {
        self.holds_resource_depth(expr, scope, 0)
    }

    fn holds_resource_depth(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if let Expr::Await(ast::ExprAwait { value, .. }) = expr {
            return self.holds_resource_depth(value, scope, depth + 1);
        }
        if let Expr::Name(name) = expr
            && let Some(binding) = self.resolve_name(name.id.as_str(), scope, name.start())
            && binding.annotation.is_none()
            && self.frame_of(binding.scope) == self.frame_of(self.scope_at(scope, name.start()))
            && matches!(binding.kind, BindingKind::Assignment { .. })
        {
            let frame = binding.scope;
            return self
                .bindings_in_scope(name.id.as_str(), frame)
                .filter_map(|b| match b.kind {
                    BindingKind::Assignment { value: Some(value) } => Some(value),
                    _ => None,
                })
                .filter(|value| !value.is_none_literal_expr())
                .any(|value| self.holds_resource_depth(value, frame, depth + 1));
        }
        self.type_of_depth(expr, scope, depth)
            .is_some_and(|fact| self.owns_resource(&fact))
    }

    fn name_fact(&self, name: &str, scope: ScopeId, at: TextSize, depth: u8) -> Option<TypeFact> {
        let binding = self.resolve_name(name, scope, at)?;
        if let Some(annotation) = binding.annotation {
            return self.annotation_fact(annotation, binding.scope, depth);
        }
        if let Some(annotation) = self.bare_annotation(name, binding.scope) {
            return self.annotation_fact(annotation, binding.scope, depth);
        }
        let same_frame = self.frame_of(binding.scope) == self.frame_of(self.scope_at(scope, at));
        if !same_frame && matches!(binding.kind, BindingKind::Assignment { .. }) {
            // A read from another scope (a function reading a module global)
            // sees whichever assignment ran last: the facts the assigned
            // values show, when they agree (`None` placeholders aside).
            return self.agreeing_fact(name, binding.scope, depth);
        }
        self.binding_fact(binding, depth)
    }

    fn agreeing_fact(&self, name: &str, scope: ScopeId, depth: u8) -> Option<TypeFact> {
        let mut fact = None;
        for binding in self.bindings_in_scope(name, scope) {
            let BindingKind::Assignment { value: Some(value) } = binding.kind else {
                if matches!(binding.kind, BindingKind::Deletion) {
                    continue;
                }
                return None;
            };
            if value.is_none_literal_expr() {
                continue;
            }
            let this = self.type_of_depth(value, binding.scope, depth)?;
            match &fact {
                None => fact = Some(this),
                Some(previous) if *previous == this => {}
                Some(_) => return None,
            }
        }
        fact
    }

    fn binding_fact(&self, binding: &super::Binding<'a>, depth: u8) -> Option<TypeFact> {
        match binding.kind {
            BindingKind::Assignment { value: Some(value) }
            | BindingKind::Walrus { value }
            | BindingKind::WithItem {
                context_expr: value,
                ..
            } => self.type_of_depth(value, binding.scope, depth),
            BindingKind::ClassDef(class) => Some(TypeFact::LocalClass(self.class_scope(class)?)),
            BindingKind::Parameter {
                default, position, ..
            } => {
                if position == 0
                    && let Some(class) = self.method_class(binding.scope)
                    && let ScopeKind::Function(def) = self.scope(binding.scope).kind
                {
                    let decorated = |name: &str| {
                        def.decorator_list.iter().any(
                            |d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name),
                        )
                    };
                    if decorated("staticmethod") {
                        return None;
                    }
                    if decorated("classmethod") || def.name.id.as_str() == "__new__" {
                        return Some(TypeFact::LocalClass(self.class_scope(class)?));
                    }
                    return Some(TypeFact::LocalInstance(self.class_scope(class)?));
                }
                let default = default.filter(|d| !d.is_none_literal_expr())?;
                let scope = self.scope(binding.scope).parent.unwrap_or(ScopeId::MODULE);
                self.type_of_depth(default, scope, depth)
            }
            _ => None,
        }
    }

    /// The scope whose frame code in `scope` runs in: itself, or the one
    /// around a comprehension or type-parameter scope.
    pub fn frame_of(&self, mut scope: ScopeId) -> ScopeId {
        while matches!(
            self.scope(scope).kind,
            ScopeKind::Comprehension(_) | ScopeKind::TypeParams
        ) {
            match self.scope(scope).parent {
                Some(parent) => scope = parent,
                None => break,
            }
        }
        scope
    }

    /// The fact for `attr` of an instance of `class` (or of the class):
    /// the first annotation seen for it, else the first assigned value with
    /// a known fact, looking through the class's same-module bases.
    pub fn attribute_fact(
        &self,
        class: &'a ast::StmtClassDef,
        attr: &str,
        depth: u8,
    ) -> Option<TypeFact> {
        for class in self.class_and_bases(class) {
            let Some(scope) = self.class_scope(class) else {
                continue;
            };
            let assignments = self.attribute_assignments(scope, attr);
            if let Some(a) = assignments.iter().find(|a| a.annotation.is_some()) {
                return self.annotation_fact(a.annotation?, a.scope, depth);
            }
            if let Some(fact) = assignments.iter().find_map(|a| {
                let value = a.value.filter(|v| !v.is_none_literal_expr())?;
                self.type_of_depth(value, a.scope, depth)
            }) {
                return Some(fact);
            }
        }
        None
    }

    fn call_fact(&self, call: &'a ast::ExprCall, scope: ScopeId, depth: u8) -> Option<TypeFact> {
        if let Some((callee, _)) = self.resolve_callee_depth(&call.func, scope, depth) {
            return self.returns_of(callee);
        }
        match &*call.func {
            Expr::Attribute(attribute) => {
                match self.type_of_depth(&attribute.value, scope, depth) {
                    Some(TypeFact::Qualified { name, .. }) => {
                        return Some(TypeFact::Qualified {
                            name: format!("{name}.{}", attribute.attr.id),
                            source: FactSource::Call,
                        });
                    }
                    Some(_) => return None,
                    None => {}
                }
            }
            Expr::Name(_) => {
                if let Some(TypeFact::LocalClass(class)) =
                    self.type_of_depth(&call.func, scope, depth)
                {
                    return Some(TypeFact::LocalInstance(class));
                }
            }
            _ => {}
        }
        let name = self.resolve_qualified_name(&call.func, scope)?;
        if name.is_local() {
            return None;
        }
        Some(TypeFact::Qualified {
            name: name.dotted(),
            source: FactSource::Call,
        })
    }

    /// The fact an annotation states, `Optional[X]`, `X | None`,
    /// `Union[X, None]`, `Annotated[X, ...]` and quoted annotations
    /// unwrapped; resolved in `scope`.
    pub fn annotation_fact(
        &self,
        annotation: &Expr,
        scope: ScopeId,
        depth: u8,
    ) -> Option<TypeFact> {
        self.annotation_fact_at(annotation, scope, annotation.start(), depth)
    }

    fn annotation_fact_at(
        &self,
        annotation: &Expr,
        scope: ScopeId,
        at: TextSize,
        depth: u8,
    ) -> Option<TypeFact> {
        if depth > MAX_DEPTH {
            return None;
        }
        let depth = depth + 1;
        match annotation {
            Expr::StringLiteral(string) => {
                let text = string.value.to_str();
                let parsed = ruff_python_parser::parse_expression(text).ok()?;
                let inner = parsed.expr();
                self.annotation_fact_at(inner, scope, annotation.start(), depth)
            }
            Expr::BinOp(ast::ExprBinOp {
                left,
                op: Operator::BitOr,
                right,
                ..
            }) => {
                if right.is_none_literal_expr() {
                    self.annotation_fact_at(left, scope, at, depth)
                } else if left.is_none_literal_expr() {
                    self.annotation_fact_at(right, scope, at, depth)
                } else {
                    None
                }
            }
            Expr::Subscript(subscript) => {
                let generic = self.qualified_name_at(&subscript.value, scope, at)?;
                match generic.segments() {
                    ["typing" | "typing_extensions", "Optional"] => {
                        self.annotation_fact_at(&subscript.slice, scope, at, depth)
                    }
                    ["typing" | "typing_extensions", "Union"] => {
                        let Expr::Tuple(tuple) = &*subscript.slice else {
                            return self.annotation_fact_at(&subscript.slice, scope, at, depth);
                        };
                        let mut members = tuple.iter().filter(|e| !e.is_none_literal_expr());
                        let only = members.next()?;
                        if members.next().is_some() {
                            return None;
                        }
                        self.annotation_fact_at(only, scope, at, depth)
                    }
                    ["typing" | "typing_extensions", "Annotated"] => {
                        let Expr::Tuple(tuple) = &*subscript.slice else {
                            return None;
                        };
                        self.annotation_fact_at(tuple.iter().next()?, scope, at, depth)
                    }
                    // A generic class: `Queue[int]` is a `Queue`.
                    _ => self.class_fact_at(&subscript.value, scope, at),
                }
            }
            Expr::Name(_) | Expr::Attribute(_) => self.class_fact_at(annotation, scope, at),
            _ => None,
        }
    }

    /// An annotation naming a class: of this module, or from outside.
    fn class_fact_at(&self, expr: &Expr, scope: ScopeId, at: TextSize) -> Option<TypeFact> {
        if let Expr::Name(name) = expr
            && let Some(binding) = self.resolve_name(name.id.as_str(), scope, at)
            && let BindingKind::ClassDef(class) = binding.kind
        {
            return Some(TypeFact::LocalInstance(self.class_scope(class)?));
        }
        let name = self.qualified_name_at(expr, scope, at)?;
        if name.is_local() || name.is_builtin("None") {
            return None;
        }
        Some(TypeFact::Qualified {
            name: name.dotted(),
            source: FactSource::Annotation,
        })
    }

    /// [`SemanticModel::resolve_qualified_name`] for an expression whose
    /// own ranges do not point into the module (a parsed quoted annotation):
    /// names are resolved as if read at `at`.
    fn qualified_name_at<'e>(
        &self,
        expr: &'e Expr,
        scope: ScopeId,
        at: TextSize,
    ) -> Option<QualifiedName<'e>>
    where
        'a: 'e,
    {
        if at == expr.start() {
            return self.resolve_qualified_name(expr, scope);
        }
        let unqualified = UnqualifiedName::from_expr(expr)?;
        let segments = unqualified.segments();
        let (&head, rest) = segments.split_first()?;
        let mut name = QualifiedNameBuilder::with_capacity(segments.len() + 2);
        match self.resolve_name(head, scope, at) {
            Some(binding) => match binding.kind {
                BindingKind::Import { .. } | BindingKind::FromImport { .. } => {
                    super::push_import(&mut name, &binding.kind);
                }
                BindingKind::FunctionDef(_) | BindingKind::ClassDef(_) => {
                    name.push(LOCAL_MODULE);
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
}

// ---------------------------------------------------------------------------
// asyncio queues without a bound

/// asyncio's queue classes, as the model qualifies them. `put` on one of
/// them waits only while the queue is full, and one built without a
/// `maxsize` (or with `maxsize=0`) is never full.
const ASYNCIO_QUEUE_CLASSES: &[&str] = &[
    "asyncio.Queue",
    "asyncio.PriorityQueue",
    "asyncio.LifoQueue",
    "asyncio.queues.Queue",
    "asyncio.queues.PriorityQueue",
    "asyncio.queues.LifoQueue",
];

/// What the module does with asyncio queues as a whole (built on first use).
#[derive(Debug, Default)]
pub(super) struct QueueSummary {
    /// It builds at least one asyncio queue.
    builds: bool,
    /// Every asyncio queue it builds has no bound, and it defines no
    /// subclass of one (whose instances it could build any way).
    all_unbounded: bool,
}

/// A store to an attribute anywhere in the module (`obj.x = v`, `self.x: T
/// = v`, `x.y += v`, `for obj.x in ...`, a tuple target..., and `x = v` in a
/// class body).
#[derive(Debug, Clone, Copy)]
pub(super) struct AttributeStore {
    /// The statement that stores.
    stmt: StmtId,
    /// It stores the statement's whole value (a single `=` target, an
    /// annotated assignment); not so for augmented, loop, `with` and
    /// unpacking stores, whose value the code does not show.
    whole_value: bool,
    /// The scope the value is evaluated in.
    scope: ScopeId,
}

/// Stores per attribute name (ids and owned names: a cell holding the
/// model's lifetime would make the model invariant in it).
pub(super) type AttributeStores = FxHashMap<String, Vec<AttributeStore>>;

/// How deep [`SemanticModel::is_unbounded_queue`] follows names and
/// attributes to the queue they hold.
const MAX_QUEUE_DEPTH: u8 = 8;

impl<'a> SemanticModel<'a> {
    /// Whether `expr`, read in `scope`, is an asyncio queue (`Queue`,
    /// `PriorityQueue`, `LifoQueue`) by the type facts, bounded or not.
    pub fn is_asyncio_queue(&self, expr: &Expr, scope: ScopeId) -> bool {
        self.type_of(expr, scope)
            .is_some_and(|fact| fact.is_any_of(ASYNCIO_QUEUE_CLASSES))
    }

    /// Whether `expr`, read in `scope`, holds an asyncio queue that can
    /// never be full, as far as the code of this module shows:
    /// - `asyncio.Queue()` (or `PriorityQueue`, `LifoQueue`) built without a
    ///   `maxsize`, or with `maxsize=0`;
    /// - a name every assignment of which (in the scope it is bound in)
    ///   stores such a queue or `None`;
    /// - an attribute of an instance of a class of this module (`self._queue`,
    ///   `track._queue`) that the class (or a same-module base) assigns, when
    ///   every store to an attribute of that name anywhere in the module, and
    ///   every class-level value of that name, is such a queue or `None`;
    /// - a parameter annotated with an asyncio queue class, when the module
    ///   builds asyncio queues and every one it builds has no bound (it
    ///   cannot tell which of them is passed in, or whether one comes from
    ///   elsewhere, so it asks that they all agree).
    ///
    /// Anything else is unsure and answers no: a queue from another module,
    /// a name also assigned something else, a local subclass of a queue.
    pub fn is_unbounded_queue(&self, expr: &'a Expr, scope: ScopeId) -> bool {
        self.unbounded_queue_depth(expr, scope, 0)
    }

    fn unbounded_queue_depth(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > MAX_QUEUE_DEPTH {
            return false;
        }
        let depth = depth + 1;
        // A stored value: `None` placeholders aside, every one must be an
        // unbounded queue, and at least one is.
        let all_unbounded = |values: &mut dyn Iterator<Item = (Option<&'a Expr>, ScopeId)>| {
            let mut any = false;
            for (value, scope) in values {
                let Some(value) = value else { return false };
                if value.is_none_literal_expr() {
                    continue;
                }
                if !self.unbounded_queue_depth(value, scope, depth) {
                    return false;
                }
                any = true;
            }
            any
        };
        match expr {
            Expr::Call(call) => self.queue_construction(call, scope) == Some(true),
            Expr::Name(name) => {
                let Some(binding) = self.resolve_name(name.id.as_str(), scope, name.start()) else {
                    return false;
                };
                if let BindingKind::Parameter { .. } = binding.kind {
                    return binding
                        .annotation
                        .and_then(|a| self.annotation_fact(a, binding.scope, 0))
                        .is_some_and(|fact| fact.is_any_of(ASYNCIO_QUEUE_CLASSES))
                        && self.module_queues_unbounded();
                }
                let mut values = self
                    .bindings_in_scope(name.id.as_str(), binding.scope)
                    .filter_map(|b| match b.kind {
                        BindingKind::Assignment { value } => Some((value, b.scope)),
                        BindingKind::Deletion => None,
                        // Anything else binds a value the code does not show.
                        _ => Some((None, b.scope)),
                    });
                all_unbounded(&mut values)
            }
            Expr::Attribute(attribute) => {
                let class = match self.type_of(&attribute.value, scope) {
                    Some(TypeFact::LocalInstance(class) | TypeFact::LocalClass(class)) => class,
                    _ => return false,
                };
                let Some(class) = self.class_def(class) else {
                    return false;
                };
                let attr = attribute.attr.id.as_str();
                // The class says what the attribute holds...
                let assigned = self.class_and_bases(class).into_iter().any(|c| {
                    self.class_scope(c).is_some_and(|s| {
                        self.attribute_assignments(s, attr)
                            .iter()
                            .any(|a| a.value.is_some())
                    })
                });
                if !assigned {
                    return false;
                }
                // ...and nothing in the module stores anything else there.
                self.attribute_always_unbounded_queue(attr)
            }
            _ => false,
        }
    }

    /// Whether every store to an attribute named `attr` in the module (and
    /// every class-level value of that name) is an unbounded queue or
    /// `None`, and one at least is a queue. Memoised per name; a name met
    /// again while its answer is being worked out (`self.a = self.b`,
    /// `self.b = self.a`) answers no.
    fn attribute_always_unbounded_queue(&self, attr: &str) -> bool {
        if let Some(&known) = self.unbounded_attributes.borrow().get(attr) {
            return known;
        }
        self.unbounded_attributes
            .borrow_mut()
            .insert(attr.to_string(), false);
        let stores = self
            .attribute_stores()
            .get(attr)
            .map_or(&[][..], Vec::as_slice);
        let mut any = false;
        let mut verdict = true;
        for store in stores {
            let Some(value) = self.stored_value(store) else {
                verdict = false;
                break;
            };
            if value.is_none_literal_expr() {
                continue;
            }
            if !self.unbounded_queue_depth(value, store.scope, 0) {
                verdict = false;
                break;
            }
            any = true;
        }
        let verdict = verdict && any;
        self.unbounded_attributes
            .borrow_mut()
            .insert(attr.to_string(), verdict);
        verdict
    }

    /// Whether a call builds an asyncio queue (`Some`), and whether that
    /// queue has no bound: no positional argument and no `maxsize` but a
    /// literal `0` (`loop=` of old Pythons aside).
    fn queue_construction(&self, call: &ast::ExprCall, scope: ScopeId) -> Option<bool> {
        let name = self.resolve_qualified_name(&call.func, scope)?;
        if !name.is_any_of(ASYNCIO_QUEUE_CLASSES) {
            return None;
        }
        let unbounded = call.arguments.args.is_empty()
            && call.arguments.keywords.iter().all(|k| match k.arg.as_ref() {
                Some(arg) if arg.id.as_str() == "loop" => true,
                Some(arg) if arg.id.as_str() == "maxsize" => matches!(
                    &k.value,
                    Expr::NumberLiteral(n) if matches!(&n.value, ast::Number::Int(i) if i.as_u64() == Some(0))
                ),
                _ => false,
            });
        Some(unbounded)
    }

    /// Whether the module builds asyncio queues and every one has no bound.
    fn module_queues_unbounded(&self) -> bool {
        let summary = self.queue_summary.get_or_init(|| self.summarise_queues());
        summary.builds && summary.all_unbounded
    }

    fn summarise_queues(&self) -> QueueSummary {
        let mut summary = QueueSummary {
            builds: false,
            all_unbounded: true,
        };
        self.each_call(&mut |call, scope| {
            if let Some(unbounded) = self.queue_construction(call, scope) {
                summary.builds = true;
                summary.all_unbounded &= unbounded;
            }
        });
        // A subclass of a queue: the bound of its instances is its own.
        for (_, scope) in self.scopes() {
            if let ScopeKind::Class(class) = scope.kind
                && let Some(parent) = scope.parent
                && class.bases().iter().any(|base| {
                    self.resolve_qualified_name(base, parent)
                        .is_some_and(|q| q.is_any_of(ASYNCIO_QUEUE_CLASSES))
                })
            {
                summary.all_unbounded = false;
            }
        }
        summary
    }

    /// Every store to an attribute in the module, by attribute name, class
    /// bodies' own assignments included (built on first use).
    pub(super) fn attribute_stores(&self) -> &AttributeStores {
        self.attribute_stores.get_or_init(|| {
            let mut stores = AttributeStores::default();
            for index in 0..self.statements().len() {
                let id = StmtId::from_index_usize(index);
                let stmt = self.statement(id);
                let (targets, whole_value): (Vec<&'a Expr>, bool) = match stmt {
                    ast::Stmt::Assign(s) => (s.targets.iter().collect(), s.targets.len() == 1),
                    ast::Stmt::AnnAssign(s) => (vec![&*s.target], true),
                    ast::Stmt::AugAssign(s) => (vec![&*s.target], false),
                    ast::Stmt::For(s) => (vec![&*s.target], false),
                    ast::Stmt::With(s) => (
                        s.items
                            .iter()
                            .filter_map(|i| i.optional_vars.as_deref())
                            .collect(),
                        false,
                    ),
                    _ => continue,
                };
                // An annotation alone (`self.x: T`) stores nothing.
                if matches!(stmt, ast::Stmt::AnnAssign(s) if s.value.is_none()) {
                    continue;
                }
                let scope = self.statement_scope(id);
                // A name bound in a class body is a class-level attribute.
                let class_body = matches!(self.scope(scope).kind, ScopeKind::Class(_));
                for target in targets {
                    collect_attribute_targets(
                        target,
                        id,
                        whole_value,
                        class_body,
                        scope,
                        &mut stores,
                    );
                }
            }
            stores
        })
    }

    /// The value an attribute store stores, when the code shows it.
    fn stored_value(&self, store: &AttributeStore) -> Option<&'a Expr> {
        if !store.whole_value {
            return None;
        }
        match self.statement(store.stmt) {
            ast::Stmt::Assign(s) => Some(&s.value),
            ast::Stmt::AnnAssign(s) => s.value.as_deref(),
            _ => None,
        }
    }
}

/// The attributes a target stores to: the whole value for a plain
/// `obj.x = v`, an unknown one inside an unpacking.
fn collect_attribute_targets(
    target: &Expr,
    stmt: StmtId,
    whole_value: bool,
    class_body: bool,
    scope: ScopeId,
    stores: &mut AttributeStores,
) {
    let name = match target {
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        Expr::Name(name) if class_body => name.id.as_str(),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            for elt in elts {
                collect_attribute_targets(elt, stmt, false, class_body, scope, stores);
            }
            return;
        }
        Expr::Starred(starred) => {
            collect_attribute_targets(&starred.value, stmt, false, class_body, scope, stores);
            return;
        }
        _ => return,
    };
    stores
        .entry(name.to_string())
        .or_default()
        .push(AttributeStore {
            stmt,
            whole_value,
            scope,
        });
}
