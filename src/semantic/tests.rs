use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_python_parser::{Parsed, parse_module};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::names::QualifiedNameExt;
use super::types::FactSource;
use super::*;

fn model(source: &str) -> SemanticModel<'static> {
    let parsed: &'static Parsed<ModModule> = Box::leak(Box::new(parse_module(source).unwrap()));
    SemanticModel::build(&parsed.syntax().body)
}

fn offset(source: &str, needle: &str) -> TextSize {
    TextSize::try_from(
        source
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in source")),
    )
    .unwrap()
}

/// The `n`th (0-based) offset of `needle`.
fn nth_offset(source: &str, needle: &str, n: usize) -> TextSize {
    let at = source.match_indices(needle).nth(n).unwrap().0;
    TextSize::try_from(at).unwrap()
}

fn binding_at<'m>(
    m: &'m SemanticModel<'static>,
    at: TextSize,
) -> (BindingId, &'m Binding<'static>) {
    m.all_bindings()
        .find(|(_, b)| b.range.start() == at)
        .expect("a binding there")
}

/// The expression whose range starts at `at` and ends at `end` (the first
/// one found).
fn expr_at(m: &SemanticModel<'static>, at: TextSize, text: &str) -> &'static Expr {
    struct Finder {
        at: TextSize,
        len: usize,
        found: Option<&'static Expr>,
    }
    impl Visitor<'static> for Finder {
        fn visit_expr(&mut self, expr: &'static Expr) {
            if self.found.is_none()
                && expr.start() == self.at
                && expr.range().len().to_usize() == self.len
            {
                self.found = Some(expr);
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        at,
        len: text.len(),
        found: None,
    };
    finder.visit_body(m.module_body);
    finder.found.expect("an expression there")
}

fn scope_of_function(m: &SemanticModel<'static>, name: &str) -> ScopeId {
    m.scopes()
        .find(|(_, s)| matches!(s.kind, ScopeKind::Function(d) if d.name.id.as_str() == name))
        .unwrap()
        .0
}

fn type_at(
    source: &str,
    m: &SemanticModel<'static>,
    function: &str,
    text: &str,
) -> Option<TypeFact> {
    // The last occurrence of `text`: the use, after the definitions.
    let at = TextSize::try_from(source.rfind(text).unwrap()).unwrap();
    let expr = expr_at(m, at, text);
    m.type_of(expr, scope_of_function(m, function))
}

fn qualified(fact: Option<TypeFact>) -> Option<String> {
    fact.and_then(|f| f.qualified().map(|q| q.dotted()))
}

#[test]
fn references_to_a_name_cover_every_binding_of_the_scope_and_nested_loads() {
    let source = "\
s = 0
def f():
    s = 1
    print(s)
    s = 2
    g = lambda: s
    return [s for _ in range(2)]
print(s)
";
    let m = model(source);
    let f = scope_of_function(&m, "f");
    let starts: Vec<TextSize> = m.references_to("s", f).map(|r| r.range.start()).collect();
    assert_eq!(
        starts,
        vec![
            offset(source, "s)\n    s = 2"),
            offset(source, "s\n    return"),
            offset(source, "s for"),
        ]
    );
    // The module's `s` has only the module's own load.
    assert_eq!(m.references_to("s", ScopeId::MODULE).count(), 1);
    assert_eq!(m.references_to("t", f).count(), 0);
}

#[test]
fn each_load_knows_its_binding_and_each_binding_its_loads() {
    let source = "\
x = 1
def f():
    y = x
    return y
x = 2
print(x)
";
    let m = model(source);
    let (first_x, _) = binding_at(&m, offset(source, "x = 1"));
    let (second_x, _) = binding_at(&m, offset(source, "x = 2"));
    // A function reads the module's last binding; module code the one before.
    assert_eq!(m.references_of(first_x).count(), 0);
    assert_eq!(m.references_of(second_x).count(), 2);
    assert!(!m.is_used(first_x));
    let (y, _) = binding_at(&m, offset(source, "y = x"));
    assert!(m.is_used(y));
    assert!(m.is_read_after(y, offset(source, "y = x")));
    assert!(!m.is_read_after(y, offset(source, "x = 2")));
    let read = m.reference_at(offset(source, "y\n")).unwrap();
    assert_eq!(read.binding, Some(y));
    assert_eq!(
        m.statement(read.stmt.unwrap()).start(),
        offset(source, "return y")
    );
}

#[test]
fn nonlocal_without_an_enclosing_binding_leaves_the_name_local() {
    // Python refuses to compile it; the parser accepts it. Found by the long
    // fuzz: the assignment stayed local while the loads looked past the
    // function, so no load ever read it, and CS005 added a check of the
    // results on every pass without end.
    let source = "\
async def f():
    results = await g()
    print(results)
    nonlocal results
";
    let m = model(source);
    let (results, _) = binding_at(&m, offset(source, "results = "));
    assert_eq!(m.references_of(results).count(), 1);
    assert!(
        m.declaration("results", scope_of_function(&m, "f"))
            .is_none()
    );
}

#[test]
fn a_declaration_after_a_binding_does_not_take_its_loads() {
    // Found by the long fuzz, like the `nonlocal` above: the assignment
    // before `global results` is the function's own, and so are the loads
    // between them.
    let source = "\
async def f():
    results = await g()
    print(results)
    global results
";
    let m = model(source);
    let (results, _) = binding_at(&m, offset(source, "results = "));
    assert_eq!(results_scope(&m, results), scope_of_function(&m, "f"));
    assert_eq!(m.references_of(results).count(), 1);
}

fn results_scope(m: &SemanticModel<'static>, id: BindingId) -> ScopeId {
    m.binding(id).scope
}

#[test]
fn statements_know_their_block_parent_and_siblings() {
    let source = "\
async def f(items):
    for item in items:
        try:
            a = 1
            b = 2
        except ValueError:
            c = 3
        finally:
            d = 4
    with open('x') as fh:
        e = 5
    g = 6
";
    let m = model(source);
    let id = |needle| m.statement_at(offset(source, needle)).unwrap();
    let a = id("a = 1");
    assert_eq!(m.next_sibling(a).unwrap().start(), offset(source, "b = 2"));
    assert!(m.previous_sibling(a).is_none());
    assert_eq!(m.block_of(id("b = 2")).1, 1);
    assert!(m.in_loop(a) && m.in_try_body(a) && !m.in_except(a));
    assert!(m.in_except(id("c = 3")) && !m.in_try_body(id("c = 3")));
    assert!(m.in_finally(id("d = 4")));
    assert!(m.in_with(id("e = 5")) && !m.in_loop(id("e = 5")));
    assert!(!m.in_loop(id("g = 6")));
    assert!(matches!(m.enclosing_loop(a), Some(Stmt::For(_))));
    assert_eq!(m.enclosing_function(a).unwrap().name.as_str(), "f");
    let try_stmt = m.parent_statement(a).unwrap();
    assert!(matches!(m.statement(try_stmt), Stmt::Try(_)));
    // Ids come from the node index: O(1) from the node.
    assert_eq!(m.statement_id(m.statement(a)), Some(a));
    // A statement not of this module has no id.
    let other = model("a = 1\n");
    assert_eq!(m.statement_id(other.statement(StmtId::from_index(0))), None);
}

// ---- uses of a variable (uses.rs) ------------------------------------------

/// The load starting at the `n`th (0-based) occurrence of `needle`.
fn load_at(
    m: &SemanticModel<'static>,
    source: &str,
    needle: &str,
    n: usize,
) -> uses::LoadContext<'static> {
    let reference = m
        .reference_at(nth_offset(source, needle, n))
        .unwrap_or_else(|| panic!("a load at {needle} #{n}"));
    m.load_context(reference).expect("a statement around it")
}

#[test]
fn name_uses_list_bindings_and_loads_in_source_order() {
    let source = "\
def f(s):
    s = make(s)
    def inner():
        return s
    [s for s in other]
    del s
";
    let m = model(source);
    let f = scope_of_function(&m, "f");
    let uses = m.name_uses("s", f);
    let kinds: Vec<(TextSize, bool)> = uses
        .iter()
        .map(|u| {
            (
                u.range.start(),
                matches!(u.kind, uses::NameUseKind::Binding(_)),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (offset(source, "s):"), true),
            (offset(source, "s = make"), true),
            (offset(source, "s)\n"), false),
            (offset(source, "s\n    ["), false),
            // `del s` reads and unbinds; the comprehension's `s` is its own.
            (nth_offset(source, "s\n", 1), false),
            (nth_offset(source, "s\n", 1), true),
        ]
    );
    // Each with its statement.
    let in_inner = uses[3].stmt.unwrap();
    assert!(matches!(m.statement(in_inner), Stmt::Return(_)));
    // The occurrences inside a range: those in `inner`'s body.
    let inner = m.statement(m.statement_at(offset(source, "def inner")).unwrap());
    assert_eq!(uses::uses_in(&uses, inner.range()), &uses[3..4]);
    assert!(uses::uses_in(&uses, TextRange::new(0.into(), 1.into())).is_empty());
}

#[test]
fn load_context_gives_the_expressions_around_a_load() {
    let source = "\
x = f([a, b.c], key=a)
if p:
    pass
elif q(a.d):
    pass
";
    let m = model(source);
    let load = load_at(&m, source, "a", 0);
    assert!(matches!(load.stmt, Stmt::Assign(_)));
    assert_eq!(load.name, "a");
    assert!(matches!(load.parent(), Some(Expr::List(_))));
    assert!(matches!(load.ancestor(2), Some(Expr::Call(_))));
    assert_eq!(load.ancestors.len(), 2);
    // A keyword value: the call is the parent.
    let load = load_at(&m, source, "a)", 0);
    assert!(matches!(load.parent(), Some(Expr::Call(_))));
    // An `elif` test: the `if` statement holds it.
    let load = load_at(&m, source, "a.d", 0);
    assert!(matches!(load.stmt, Stmt::If(_)));
    assert!(matches!(load.parent(), Some(Expr::Attribute(_))));
    assert_eq!(load.ancestors.len(), 2);
}

#[test]
fn value_use_says_where_the_value_goes() {
    let source = "\
def f(s, t, self):
    s.get(1)
    g(s)
    g([s], key=s)
    self.x = s
    s = wrap(s)
    y = s
    (z := s)
    with s:
        pass
    cb = lambda: g(s)
    h(lambda: s)
    [g(s) for _ in t]
    y += s
    return s
def gen(s):
    yield s
    s()
";
    let m = model(source);
    let use_of = |needle: &str, n: usize| m.value_use(&load_at(&m, source, needle, n));
    let only_attribute = use_of("s.get", 0);
    assert_eq!(only_attribute.attribute.unwrap().attr.as_str(), "get");
    assert!(!only_attribute.passed && !only_attribute.stored);
    assert!(use_of("s)\n    g([", 0).passed);
    assert!(use_of("s], key", 0).passed && use_of("s)\n    self", 0).passed);
    let stored = use_of("s\n    s = wrap", 0);
    assert!(stored.stored && !stored.passed);
    // Rebinding the variable itself is no store; passing it on still is.
    let rewrapped = use_of("s)\n    y = s", 0);
    assert!(rewrapped.passed && !rewrapped.stored);
    assert!(use_of("s\n    (z", 0).stored);
    assert!(use_of("s)\n    with", 0).stored);
    assert!(use_of("s:\n", 0).entered);
    // The lambda is stored; the call in its body runs later.
    let in_lambda = use_of("s)\n    h(", 0);
    assert!(in_lambda.stored && !in_lambda.passed);
    // The lambda holding it is passed on.
    assert!(use_of("s)\n    [g", 0).passed);
    // A call in a comprehension runs in place.
    assert!(use_of("s) for", 0).passed);
    assert!(use_of("s\n    return", 0).stored);
    assert!(use_of("s\ndef gen", 0).returned);
    assert!(use_of("s\n    s()", 0).returned);
    // Called, not passed anywhere.
    let called = use_of("s()", 0);
    assert!(!called.passed && !called.returned && called.attribute.is_none());
}

#[test]
fn loads_in_loops_run_repeatedly() {
    let source = "\
async def f(s, xs):
    s.a()
    for x in s.b():
        s.c()
    else:
        s.d()
    while s.e():
        pass
    [s.f(x) for x in s.g()]
    for x in xs:
        cb = lambda: s.h()
";
    let m = model(source);
    let repeated = |needle: &str| m.load_in_loop(&load_at(&m, source, needle, 0));
    assert!(!repeated("s.a"));
    // A `for` header and its `else` run once; its body and a `while` test
    // every time.
    assert!(!repeated("s.b") && repeated("s.c") && !repeated("s.d"));
    assert!(repeated("s.e"));
    // A comprehension's element repeats, its first iterable does not.
    assert!(repeated("s.f") && !repeated("s.g"));
    // A lambda's body runs when it is called.
    assert!(!repeated("s.h"));
}

#[test]
fn statements_that_suspend() {
    let source = "\
async def f(a, b):
    x = await a
    async with a:
        pass
    if b:
        async for i in a:
            pass
    z = [i async for i in a]
    async def later():
        await a
    cb = lambda: a
    y = b()
";
    let m = model(source);
    let suspends = |needle: &str| {
        let id = m.statement_at(offset(source, needle)).unwrap();
        let function = m.enclosing_function(id).unwrap();
        let scope = m.function_scope(function).unwrap();
        m.suspends(scope, m.statement(id))
    };
    assert!(suspends("x = await"));
    assert!(suspends("async with"));
    assert!(suspends("if b"));
    assert!(suspends("z = "));
    // A nested coroutine suspends when it runs, not where it is defined.
    assert!(!suspends("async def later"));
    assert!(!suspends("cb = "));
    assert!(!suspends("y = b()"));
}

#[test]
fn scope_bindings_in_source_order_and_code_frames() {
    let source = "\
def f(a):
    c = 1
    b = [lambda: c for _ in a]
    def g():
        pass
";
    let m = model(source);
    let f = scope_of_function(&m, "f");
    let names: Vec<&str> = m
        .scope_bindings(f)
        .into_iter()
        .map(|id| m.binding(id).name)
        .collect();
    assert_eq!(names, ["a", "c", "b", "g"]);
    // The lambda in the comprehension is code of `f`'s statements; `g` has
    // its own.
    let lambda = m.reference_at(offset(source, "c for")).unwrap();
    assert_ne!(lambda.scope, f);
    assert_eq!(m.code_frame(lambda.innermost_scope), f);
    let g = scope_of_function(&m, "g");
    assert_eq!(m.code_frame(g), g);
}

#[test]
fn comprehension_targets_have_their_own_scope() {
    let source = "\
from time import sleep

async def f(fns):
    return [sleep(1) for sleep in fns if sleep]

async def g():
    sleep(2)
";
    let m = model(source);
    let f = scope_of_function(&m, "f");
    let call = expr_at(&m, offset(source, "sleep(1)"), "sleep");
    // Whichever scope the rule passes, the load resolves in the comprehension.
    assert_eq!(m.resolve_qualified_name(call, f).map(|q| q.dotted()), None);
    let binding = m.resolve_name("sleep", f, call.start()).unwrap();
    assert!(matches!(
        binding.kind,
        BindingKind::ComprehensionTarget { .. }
    ));
    assert!(matches!(
        m.scope(binding.scope).kind,
        ScopeKind::Comprehension(_)
    ));
    let g = scope_of_function(&m, "g");
    let other = expr_at(&m, offset(source, "sleep(2)"), "sleep");
    assert_eq!(
        m.resolve_qualified_name(other, g)
            .map(|q| q.dotted())
            .as_deref(),
        Some("time.sleep")
    );
    // The first iterable is read in the function's scope.
    let fns = m.reference_at(offset(source, "fns if")).unwrap();
    assert!(matches!(
        m.binding(fns.binding.unwrap()).kind,
        BindingKind::Parameter { .. }
    ));
    assert!(m.is_async_scope(binding.scope));
    // A load in a comprehension belongs to the frame of the function.
    assert_eq!(m.reference_at(call.start()).unwrap().scope, f);
}

#[test]
fn walrus_in_a_comprehension_binds_in_the_function() {
    let source = "def f(xs):\n    [y := x for x in xs]\n    return y\n";
    let m = model(source);
    let read = m.reference_at(offset(source, "y\n")).unwrap();
    let binding = m.binding(read.binding.unwrap());
    assert!(matches!(binding.kind, BindingKind::Walrus { .. }));
    assert_eq!(binding.scope, scope_of_function(&m, "f"));
}

#[test]
fn pep_695_type_parameters_have_their_own_scope() {
    let source = "T = 1\ndef f[T](x: T) -> T:\n    return x\nclass C[T]: pass\n";
    let m = model(source);
    let read = m.reference_at(offset(source, "T) ->")).unwrap();
    let binding = m.binding(read.binding.unwrap());
    assert!(matches!(binding.kind, BindingKind::TypeParam));
    assert!(matches!(m.scope(binding.scope).kind, ScopeKind::TypeParams));
    let (module_t, _) = binding_at(&m, offset(source, "T = 1"));
    assert!(!m.is_used(module_t));
}

#[test]
fn binding_kinds() {
    let source = "\
import a.b
import c.d as e
from f import g as h
x = 1
y: int = 2
z: int
def fn(p: int = 3, *args, **kwargs):
    global x
    q = 0
    q += 1
    with open(p) as fh, lock:
        pass
    for i, j in pairs:
        pass
    if (w := 5):
        pass
    try:
        pass
    except ValueError as err:
        pass
    del q
    match p:
        case [first, *rest]:
            pass
    def inner():
        nonlocal w
        w = 6
class K:
    pass
";
    let m = model(source);
    let kind = |needle: &str| binding_at(&m, offset(source, needle)).1.kind;
    assert!(matches!(
        kind("a.b"),
        BindingKind::Import { qualified: "a" }
    ));
    assert!(matches!(
        kind("e\n"),
        BindingKind::Import { qualified: "c.d" }
    ));
    assert!(matches!(
        kind("h\n"),
        BindingKind::FromImport {
            module: "f",
            member: "g"
        }
    ));
    assert!(matches!(
        kind("x = 1"),
        BindingKind::Assignment { value: Some(_) }
    ));
    let (_, y) = binding_at(&m, offset(source, "y: int"));
    assert!(matches!(y.kind, BindingKind::Assignment { value: Some(_) }) && y.annotation.is_some());
    assert!(m.bare_annotation("z", ScopeId::MODULE).is_some());
    let (_, p) = binding_at(&m, offset(source, "p: int"));
    assert!(matches!(
        p.kind,
        BindingKind::Parameter {
            default: Some(_),
            variadic: false,
            position: 0,
            ..
        }
    ));
    assert!(p.annotation.is_some());
    assert!(matches!(
        kind("args"),
        BindingKind::Parameter { variadic: true, .. }
    ));
    let fn_scope = scope_of_function(&m, "fn");
    assert!(matches!(
        m.declaration("x", fn_scope).unwrap().kind,
        BindingKind::Global
    ));
    assert!(matches!(
        kind("q += 1"),
        BindingKind::AugmentedAssignment { .. }
    ));
    assert!(matches!(
        kind("fh"),
        BindingKind::WithItem {
            context_expr: Expr::Call(_),
            is_async: false
        }
    ));
    assert!(matches!(kind("i, j"), BindingKind::LoopVar { .. }));
    assert!(matches!(kind("j in"), BindingKind::LoopVar { .. }));
    assert!(matches!(kind("w :="), BindingKind::Walrus { .. }));
    assert!(matches!(
        kind("err"),
        BindingKind::ExceptHandler { type_: Some(_) }
    ));
    assert!(matches!(kind("q\n    match"), BindingKind::Deletion));
    assert!(matches!(kind("first"), BindingKind::MatchCapture));
    assert!(matches!(kind("rest"), BindingKind::MatchCapture));
    assert!(matches!(kind("fn("), BindingKind::FunctionDef(_)));
    assert!(matches!(kind("K:"), BindingKind::ClassDef(_)));
    // `nonlocal w` sends the inner assignment to `fn`.
    let (_, inner_w) = binding_at(&m, offset(source, "w = 6"));
    assert_eq!(inner_w.scope, fn_scope);
    let inner = scope_of_function(&m, "inner");
    assert!(matches!(
        m.declaration("w", inner).unwrap().kind,
        BindingKind::Nonlocal
    ));
    // `del` does not hide the read it makes of the earlier binding.
    let (q, _) = binding_at(&m, offset(source, "q = 0"));
    assert!(m.is_used(q));
    // Statement of a binding.
    let (_, fh) = binding_at(&m, offset(source, "fh"));
    assert!(matches!(m.statement(fh.stmt.unwrap()), Stmt::With(_)));
}

#[test]
fn annotations_give_type_facts() {
    let source = "\
import asyncio
import httpx
from typing import Optional, Union
from pathlib import Path

async def f(
    loop: asyncio.AbstractEventLoop,
    client: Optional[httpx.Client],
    other: 'httpx.AsyncClient | None',
    path: Union[Path, None],
    unknown,
):
    loop; client; other; path; unknown
    local: httpx.Client = make()
    local
";
    let m = model(source);
    let fact = |text| type_at(source, &m, "f", text);
    assert!(fact("loop").unwrap().is_event_loop());
    assert_eq!(qualified(fact("client")).as_deref(), Some("httpx.Client"));
    assert_eq!(
        fact("client").unwrap(),
        TypeFact::Qualified {
            name: "httpx.Client".into(),
            source: FactSource::Annotation
        }
    );
    assert_eq!(
        qualified(fact("other")).as_deref(),
        Some("httpx.AsyncClient")
    );
    assert!(fact("path").unwrap().is_path());
    assert_eq!(fact("unknown"), None);
    assert!(fact("local").unwrap().is("httpx.Client"));
}

#[test]
fn assigned_values_give_type_facts() {
    let source = "\
import asyncio, httpx, requests
from pathlib import Path

async def f():
    loop = asyncio.get_running_loop()
    client = httpx.Client()
    session = requests.Session()
    fh = open('x')
    with open('y') as g:
        pass
    p = Path('a') / 'b'
    q = p.open()
    loop; client; session; fh; g; p; q
";
    let m = model(source);
    let fact = |text| type_at(source, &m, "f", text).unwrap();
    assert!(fact("loop").is_event_loop());
    assert!(fact("client").is("httpx.Client"));
    assert!(fact("session").is("requests.Session"));
    assert!(fact("fh").is_file_object());
    assert!(fact("g").is_file_object());
    assert!(fact("p").is_path());
    assert!(fact("q").is_file_object());
}

#[test]
fn instance_attributes_give_type_facts() {
    let source = "\
import asyncio
import httpx

class Client:
    def __init__(self):
        self.loop = asyncio.get_event_loop()

class Base:
    session: httpx.AsyncClient

class Service(Base):
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self.client = Client()
        self.later = None

    def setup(self):
        self.later = httpx.Client()

    async def run(self):
        self._loop; self.session; self.client.loop; self.later; self.missing
";
    let m = model(source);
    let fact = |text| type_at(source, &m, "run", text);
    assert!(fact("self._loop").unwrap().is_event_loop());
    assert!(fact("self.session").unwrap().is("httpx.AsyncClient"));
    assert!(fact("self.client.loop").unwrap().is_event_loop());
    assert!(fact("self.later").unwrap().is("httpx.Client"));
    assert_eq!(fact("self.missing"), None);
    let client = fact("self.client").unwrap().local_class().unwrap();
    assert_eq!(m.class_def(client).unwrap().name.as_str(), "Client");
}

#[test]
fn calls_resolve_to_functions_and_methods() {
    let source = "\
def helper():
    return other()

def other():
    return helper()

class Base:
    def acquire(self):
        pass

class Worker(Base):
    async def run(self):
        self.acquire()
        self.step()
        helper()

    def step(self):
        self.step()

    @classmethod
    def make(cls):
        return cls.build()

    @classmethod
    def build(cls):
        return cls()
";
    let m = model(source);
    let run = scope_of_function(&m, "run");
    let names: Vec<&str> = m
        .callees(run)
        .iter()
        .map(|e| match m.scope(e.callee).kind {
            ScopeKind::Function(d) => d.name.as_str(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(names, ["acquire", "step", "helper"]);
    // Cycles end: helper -> other -> helper.
    let reachable = m.reachable_functions(run);
    assert_eq!(reachable.len(), 4);
    let helper = scope_of_function(&m, "helper");
    assert!(m.reachable_functions(helper).contains(&helper));
    assert_eq!(m.returns_of(helper), None);
    assert_eq!(m.callers(scope_of_function(&m, "step")).len(), 2);
    // cls.build() returns cls(): an instance of the class.
    let make = scope_of_function(&m, "make");
    let worker = m.returns_of(make).unwrap().local_class().unwrap();
    assert_eq!(m.class_def(worker).unwrap().name.as_str(), "Worker");
}

#[test]
fn factories_return_what_they_build() {
    let source = "\
import asyncio

_lock = None

def get_lock():
    global _lock
    if _lock is None:
        _lock = asyncio.Lock()
    return _lock

def make_lock() -> asyncio.Lock:
    return build()

def make_event():
    return asyncio.Event()

async def main():
    a = get_lock()
    b = make_lock()
    c = make_event()
    a; b; c
";
    let m = model(source);
    let fact = |text| type_at(source, &m, "main", text).unwrap();
    assert!(fact("a").is("asyncio.Lock"));
    assert!(fact("b").is("asyncio.Lock"));
    assert!(fact("c").is("asyncio.Event"));
}

#[test]
fn module_globals_rebound_in_functions() {
    let source = "x = 1\ndef f():\n    global x\n    x = 2\nprint(x)\n";
    let m = model(source);
    let (second, b) = binding_at(&m, nth_offset(source, "x = ", 1));
    assert_eq!(b.scope, ScopeId::MODULE);
    let _ = second;
}

#[test]
fn type_checking_blocks_follow_one_policy() {
    let guard = |source: &str| {
        let m = model(source);
        let Some(Stmt::If(if_stmt)) = m.module_body.last() else {
            panic!("an if last")
        };
        m.is_type_checking_guard(&if_stmt.test, ScopeId::MODULE)
    };
    assert!(guard(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING: pass\n"
    ));
    assert!(guard("import typing\nif typing.TYPE_CHECKING: pass\n"));
    assert!(guard("import typing as t\nif t.TYPE_CHECKING: pass\n"));
    assert!(guard(
        "from typing_extensions import TYPE_CHECKING\nif TYPE_CHECKING: pass\n"
    ));
    assert!(guard("TYPE_CHECKING = False\nif TYPE_CHECKING: pass\n"));
    assert!(guard("from typing import *\nif TYPE_CHECKING: pass\n"));
    assert!(!guard("TYPE_CHECKING = True\nif TYPE_CHECKING: pass\n"));
    assert!(!guard(
        "from config import DEBUG as TYPE_CHECKING\nif TYPE_CHECKING: pass\n"
    ));
    assert!(!guard("DEBUG = False\nif DEBUG: pass\n"));
    // Scopes opened in such a block never run.
    let m = model("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    def f(): pass\n");
    assert_eq!(m.functions().count(), 0);
}

#[test]
fn builtins_follow_the_target_version() {
    let source = "async def f(it):\n    return await anext(it)\n";
    let parsed: &'static Parsed<ModModule> = Box::leak(Box::new(parse_module(source).unwrap()));
    let call = |minor| {
        let m = SemanticModel::build_for(&parsed.syntax().body, minor);
        let expr = expr_at(&m, offset(source, "anext"), "anext");
        m.resolve_qualified_name(expr, scope_of_function(&m, "f"))
            .map(|q| q.dotted())
    };
    assert_eq!(call(9), None);
    assert_eq!(call(10).as_deref(), Some("builtins.anext"));
}

#[test]
fn a_load_in_an_assignment_reads_the_previous_binding() {
    let source = "\
def f(results):
    results = [r for r in results if r]
    results = g(results)
    results += results
    return results
";
    let m = model(source);
    let parameter = binding_at(&m, nth_offset(source, "results", 0)).0;
    let filtered = binding_at(&m, nth_offset(source, "results", 1)).0;
    let passed = binding_at(&m, nth_offset(source, "results", 3)).0;
    let read = |n| {
        m.reference_at(nth_offset(source, "results", n))
            .unwrap()
            .binding
    };
    // The comprehension's iterable reads the parameter, not the list it builds.
    assert_eq!(read(2), Some(parameter));
    assert_eq!(read(4), Some(filtered));
    // `results += results` reads the previous binding on both sides.
    assert_eq!(read(6), Some(passed));
    let augmented = binding_at(&m, nth_offset(source, "results", 5)).0;
    assert_eq!(read(7), Some(augmented));
}

#[test]
fn qualified_names_are_segments() {
    let source = "\
import os.path
import time as t
from time import sleep as pause
from . import sibling
from .pkg import thing
s = t.sleep
def helper(): pass
class Local: pass
async def f():
    os.path.join
    t.sleep
    pause
    s
    open
    helper
    Local.method
    sibling.go
    thing
    unknown.x
";
    let m = model(source);
    let scope = scope_of_function(&m, "f");
    // The last occurrence: the load in `f`.
    let last = |text: &str| TextSize::try_from(source.rfind(text).unwrap()).unwrap();
    let segments = |text: &str| {
        let expr = expr_at(&m, last(text), text);
        m.resolve_qualified_name(expr, scope)
            .map(|q| q.segments().to_vec())
    };
    assert_eq!(segments("os.path.join"), Some(vec!["os", "path", "join"]));
    assert_eq!(segments("t.sleep"), Some(vec!["time", "sleep"]));
    assert_eq!(segments("pause"), Some(vec!["time", "sleep"]));
    // `s = t.sleep` is followed.
    let s = expr_at(&m, offset(source, "    s\n") + TextSize::from(4), "s");
    assert_eq!(
        m.resolve_qualified_name(s, scope)
            .map(|q| q.segments().to_vec()),
        Some(vec!["time", "sleep"])
    );
    let open = expr_at(&m, offset(source, "open"), "open");
    let open = m.resolve_qualified_name(open, scope).unwrap();
    assert_eq!(open.segments(), ["builtins", "open"]);
    assert!(open.is_builtin("open") && open.is("builtins.open"));
    assert!(!open.is("builtins") && !open.is("builtins.open.x"));
    assert_eq!(segments("helper"), Some(vec!["<module>", "helper"]));
    assert!(
        m.resolve_qualified_name(expr_at(&m, last("helper"), "helper"), scope)
            .unwrap()
            .is_local()
    );
    assert_eq!(
        segments("Local.method"),
        Some(vec!["<module>", "Local", "method"])
    );
    // Relative imports have the module `.`: no library name matches them.
    let relative = expr_at(&m, offset(source, "sibling.go"), "sibling.go");
    let relative = m.resolve_qualified_name(relative, scope).unwrap();
    assert_eq!(relative.segments(), [".", "sibling", "go"]);
    assert_eq!(relative.dotted(), "..sibling.go");
    assert_eq!(segments("thing"), Some(vec![".", "thing"]));
    let unknown = expr_at(&m, offset(source, "unknown.x"), "unknown.x");
    assert!(m.resolve_qualified_name(unknown, scope).is_none());
    // The dotted form, for messages.
    let join = expr_at(&m, last("os.path.join"), "os.path.join");
    assert_eq!(
        m.resolve_qualified_name(join, scope)
            .map(|q| q.dotted())
            .as_deref(),
        Some("os.path.join")
    );
    let join = m.resolve_qualified_name(join, scope).unwrap();
    assert!(join.in_module("os") && !join.in_module("os.path"));
    assert!(join.is_any_of(&["time.sleep", "os.path.join"]));
}

#[test]
fn name_maps_look_up_by_segments() {
    use super::names::{NameMap, NameSet};
    let map = NameMap::new([("time.sleep", 1), ("builtins.open", 2), ("a.b.c", 3)]);
    let source = "import time\nfrom a import b\nasync def f():\n    time.sleep\n    b.c\n    open\n    time.time\n";
    let m = model(source);
    let scope = scope_of_function(&m, "f");
    let lookup = |text: &str| {
        let expr = expr_at(&m, nth_offset(source, text, 0), text);
        map.get(&m.resolve_qualified_name(expr, scope).unwrap())
    };
    assert_eq!(lookup("time.sleep"), Some(1));
    assert_eq!(lookup("b.c"), Some(3));
    assert_eq!(lookup("open"), Some(2));
    assert_eq!(lookup("time.time"), None);
    assert_eq!(map.get_dotted("a.b.c"), Some(3));
    assert_eq!(map.get_dotted("a.b"), None);
    let set = NameSet::of(&["asyncio.sleep"]);
    assert!(set.contains_dotted("asyncio.sleep") && !set.contains_dotted("asyncio"));
    assert_eq!(set.len(), 1);
}

#[test]
fn type_checking_blocks_are_statement_facts() {
    use super::scope_walk::ScopeVisitor;
    struct Calls(Vec<String>);
    impl<'a> ScopeVisitor<'a> for Calls {
        fn expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && let Expr::Name(name) = &*call.func
            {
                self.0.push(name.id.to_string());
            }
        }
    }
    let walk = |source: &'static str| {
        let m = model(source);
        let (_, def) = m.functions().next().unwrap();
        let mut calls = Calls(Vec::new());
        m.walk_scope(&def.body, &mut calls);
        calls.0
    };
    // The guard resolved to `typing.TYPE_CHECKING`: its body never runs,
    // the `else` does.
    assert_eq!(
        walk(
            "from typing import TYPE_CHECKING\nasync def f():\n    if TYPE_CHECKING:\n        a()\n    else:\n        b()\n    c()\n"
        ),
        ["b", "c"]
    );
    // A name spelled `TYPE_CHECKING` that the code binds to something else
    // is an ordinary condition.
    assert_eq!(
        walk("async def f(TYPE_CHECKING):\n    if TYPE_CHECKING:\n        a()\n"),
        ["a"]
    );
    assert_eq!(
        walk(
            "from config import DEBUG as TYPE_CHECKING\nasync def f():\n    if TYPE_CHECKING:\n        a()\n"
        ),
        ["a"]
    );
    let source = "import typing\nif typing.TYPE_CHECKING:\n    pass\nif x:\n    pass\n";
    let m = model(source);
    assert!(m.is_type_checking_block(&m.module_body[1]));
    assert!(!m.is_type_checking_block(&m.module_body[2]));
    assert!(!m.is_type_checking_block(&m.module_body[0]));
}

#[test]
fn with_items_are_statement_facts() {
    let source = "\
import tempfile
def f(flag):
    with open('a') as plain, open('b') as (x, y):
        pass
    ctx = tempfile.TemporaryDirectory() if flag else nullcontext()
    with ctx:
        pass
    other = tempfile.TemporaryDirectory()
    unused = tempfile.TemporaryDirectory()
    async with lock:
        pass
def g():
    with other:
        pass
";
    let m = model(source);
    let scope = scope_of_function(&m, "f");
    let open_a = expr_at(&m, offset(source, "open('a')"), "open('a')");
    let (with, item) = m.with_item_at(open_a.range()).unwrap();
    assert!(!with.is_async);
    assert_eq!(item.context_expr.range(), open_a.range());
    // Only exact ranges: `'a'` is not an item.
    assert!(
        m.with_item_at(expr_at(&m, offset(source, "'a'"), "'a'").range())
            .is_none()
    );
    // The plain target holds the context expression; a name unpacked from
    // `as (x, y)` does not.
    let (_, plain) = binding_at(&m, offset(source, "plain"));
    assert_eq!(
        m.with_item_value(plain).map(Ranged::range),
        Some(open_a.range())
    );
    let (_, x) = binding_at(&m, offset(source, "x, y"));
    assert!(matches!(x.kind, BindingKind::WithItem { .. }));
    assert!(m.with_item_value(x).is_none());
    // Entered directly, through a name (either branch of its value), not
    // through a same-named binding of another function, not at all.
    let entered = |text: &str, n: usize, is_async: bool| {
        let expr = expr_at(&m, nth_offset(source, text, n), text);
        m.entered_by_with(expr.range(), scope, is_async)
    };
    assert!(entered("open('b')", 0, false));
    assert!(!entered("open('b')", 0, true));
    assert!(entered("tempfile.TemporaryDirectory()", 0, false));
    assert!(entered("nullcontext()", 0, false));
    assert!(!entered("tempfile.TemporaryDirectory()", 1, false));
    assert!(!entered("tempfile.TemporaryDirectory()", 2, false));
    assert!(entered("lock", 0, true));
}

#[test]
fn resource_owning_values() {
    let source = "\
import asyncio
import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from elsewhere import resolve

class Pool:
    async def close(self):
        pass

class Plain:
    pass

async def make_pool():
    await asyncio.sleep(0)
    return Pool()

async def f(make, flag, annotated: AsyncEngine):
    engine = create_async_engine('x')
    conn = await asyncpg.connect('dsn')
    pool = await make_pool()
    task = asyncio.get_running_loop().create_task(make())
    if flag:
        mixed = {}
    else:
        mixed = Pool()
    plain = Plain()
    data = {'a': 1}
    fetched = await resolve()
    unknown = make()
    fh = open('x')
    engine; conn; pool; task; mixed; annotated; plain; data; fetched; unknown; fh
";
    let m = model(source);
    let scope = scope_of_function(&m, "f");
    let holds = |text: &str| {
        let at = TextSize::try_from(source.rfind(text).unwrap()).unwrap();
        m.holds_resource(expr_at(&m, at, text), scope)
    };
    for owner in ["engine", "conn", "pool", "task", "mixed", "annotated", "fh"] {
        assert!(holds(owner), "{owner} owns a resource");
    }
    for other in ["plain", "data", "fetched", "unknown"] {
        assert!(!holds(other), "{other} is not shown to own one");
    }
}

#[test]
fn enclosing_loops_innermost_first_within_the_function() {
    let source = "\
for a in x:
    def f():
        for b in y:
            while c:
                if d:
                    go()
        else:
            done()
        for e in g(): pass
";
    let m = model(source);
    let loops = |needle: &str| {
        let id = m.statement_at(offset(source, needle)).unwrap();
        m.enclosing_loops(id)
            .map(|s| match s {
                Stmt::For(f) => format!("for {}", m_text(source, &f.target)),
                Stmt::While(_) => "while".to_string(),
                _ => unreachable!(),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(loops("go()"), ["while", "for b"]);
    // A loop's `else` and header run once; the outer loop is another frame.
    assert!(loops("done()").is_empty());
    assert!(loops("g()").is_empty());
}

fn m_text(source: &str, expr: &Expr) -> String {
    source[expr.range()].to_string()
}

#[test]
fn statements_in_a_body_skip_nested_scopes_and_type_checking_bodies() {
    let source = "\
from typing import TYPE_CHECKING

async def f(items):
    a = 1
    for item in items:
        b = 2
    else:
        c = 3
    def inner():
        d = 4
    class K:
        e = 5
    if TYPE_CHECKING:
        g = 6
    elif items:
        h = 7
    try:
        i = 8
    except ValueError:
        j = 9
    return a
";
    let m = model(source);
    let Stmt::FunctionDef(def) = &m.module_body[1] else {
        unreachable!()
    };
    let first_line = |id: StmtId| {
        let text = &source[m.statement(id).range()];
        text.lines().next().unwrap().to_string()
    };
    let all: Vec<String> = m.statements_in(&def.body).map(first_line).collect();
    assert_eq!(
        all,
        [
            "a = 1",
            "for item in items:",
            "b = 2",
            "c = 3",
            "def inner():",
            "class K:",
            "if TYPE_CHECKING:",
            "h = 7",
            "try:",
            "i = 8",
            "j = 9",
            "return a",
        ]
    );
    // A nested block on its own.
    let Stmt::For(for_stmt) = &def.body[1] else {
        unreachable!()
    };
    let body: Vec<String> = m.statements_in(&for_stmt.body).map(first_line).collect();
    assert_eq!(body, ["b = 2"]);
    assert_eq!(m.statements_in(&[]).count(), 0);
}

#[test]
fn enclosing_statements_stop_at_the_function() {
    let source = "\
async def f(items):
    async with lock:
        for item in items:
            if item:
                go()
";
    let m = model(source);
    let go = m.statement_at(offset(source, "go()")).unwrap();
    let kinds: Vec<&str> = m
        .enclosing_statements(go)
        .map(|s| match s {
            Stmt::If(_) => "if",
            Stmt::For(_) => "for",
            Stmt::With(_) => "with",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["if", "for", "with"]);
    assert_eq!(m.statement_and_ancestors(go).count(), 4);
}

#[test]
fn always_binds_follows_every_path() {
    let source = "\
def f(c):
    x = 1
    a, (b, *x) = g()
    x: int = 2
    x: int
    if c:
        x = 3
    if c:
        x = 3
    else:
        x = 4
    try:
        x = 5
    except E:
        pass
    try:
        x = 5
    except E:
        x = 6
    try:
        pass
    finally:
        x = 7
    for i in c:
        x = 8
    with g() as x:
        pass
    (x := 9)
";
    let m = model(source);
    let Stmt::FunctionDef(def) = &m.module_body[0] else {
        unreachable!()
    };
    let binds: Vec<bool> = def.body.iter().map(|s| m.always_binds(s, "x")).collect();
    assert_eq!(
        binds,
        [
            true, true, true, false, false, true, false, true, true, false, true, false
        ]
    );
    assert!(!m.always_binds(&def.body[0], "y"));
}

#[test]
fn suspensions_of_a_frame() {
    let source = "\
async def f(session):
    await a()
    async with session:
        async for x in session:
            pass
    y = [await b(i) for i in range(3)]
    z = [i async for i in session]
    async def inner():
        await c()
    @decorate(await d())
    def sync():
        pass
    if TYPE_CHECKING:
        await e()
    return 1
";
    let m = model(source);
    let f = scope_of_function(&m, "f");
    let inner = scope_of_function(&m, "inner");
    let text = |s: &flow::Suspension| {
        source[s.range]
            .lines()
            .next()
            .unwrap()
            .trim_end_matches(':')
            .to_string()
    };
    let found: Vec<String> = m.suspensions(f).iter().map(text).collect();
    assert_eq!(
        found,
        [
            "await a()",
            "async with session",
            "async for x in session",
            "await b(i)",
            "[i async for i in session]",
            "await d()",
        ]
    );
    assert!(matches!(
        m.suspensions(f)[0].kind,
        flow::SuspensionKind::Await(_)
    ));
    assert_eq!(m.suspensions(inner).len(), 1);
    assert_eq!(m.suspensions(inner)[0].scope, inner);
    assert!(m.suspensions(ScopeId::MODULE).is_empty());
    let y = offset(source, "y = ");
    let z = offset(source, "z = ");
    assert_eq!(m.suspensions_in(f, TextRange::new(y, z)).len(), 1);
    assert!(m.suspends_between(f, y, z));
    assert!(!m.suspends_between(
        f,
        offset(source, "return 1"),
        TextSize::from(source.len() as u32)
    ));
}

/// Records the steps of a flow walk; its state is the names assigned so
/// far on some path.
struct Steps<'s> {
    source: &'s str,
    m: &'s SemanticModel<'static>,
    assigned: Vec<String>,
    log: Vec<String>,
}

impl flow_walk::FlowAnalysis<'static> for Steps<'_> {
    type State = Vec<String>;

    fn state(&mut self) -> &mut Vec<String> {
        &mut self.assigned
    }

    fn join(into: &mut Vec<String>, other: Vec<String>) {
        for name in other {
            if !into.contains(&name) {
                into.push(name);
            }
        }
    }

    fn changed(before: &Vec<String>, after: &Vec<String>) -> bool {
        after.iter().any(|name| !before.contains(name))
    }

    fn event(&mut self, event: flow_walk::FlowEvent<'static>) {
        use flow_walk::FlowEvent;
        let first_line = |id: StmtId| {
            let text = &self.source[self.m.statement(id).range()];
            text.lines()
                .next()
                .unwrap()
                .trim_end_matches(':')
                .to_string()
        };
        let entry = match event {
            FlowEvent::Simple(id) => {
                let line = first_line(id);
                if let Stmt::Assign(assign) = self.m.statement(id)
                    && let Expr::Name(name) = &assign.targets[0]
                    && !self.assigned.contains(&name.id.to_string())
                {
                    self.assigned.push(name.id.to_string());
                }
                line
            }
            FlowEvent::Header(_, expr) => format!("test {}", &self.source[expr.range()]),
            FlowEvent::EnterBlock(b) => format!("enter {:?} {}", b.kind, b.index),
            FlowEvent::LeaveBlock(b) => format!("leave {:?} {}", b.kind, b.index),
            FlowEvent::Done(id) => format!("done {} {:?}", first_line(id), self.assigned),
        };
        self.log.push(entry);
    }
}

#[test]
fn flow_walk_forks_joins_and_runs_loops_again() {
    let source = "\
from typing import TYPE_CHECKING

async def f(c, items):
    if c:
        a = 1
    elif items:
        b = 2
    for item in items:
        use(x)
        x = 3
    if TYPE_CHECKING:
        t = 4
    try:
        y = 5
    except E:
        z = 6
    with g() as h:
        pass
    def inner():
        w = 7
";
    let m = model(source);
    let Stmt::FunctionDef(def) = &m.module_body[1] else {
        unreachable!()
    };
    let mut steps = Steps {
        source,
        m: &m,
        assigned: Vec::new(),
        log: Vec::new(),
    };
    m.walk_flow(&def.body, &mut steps);
    assert_eq!(
        steps.log,
        [
            "test c",
            "enter If 0",
            "a = 1",
            "leave If 0",
            "test items",
            "enter If 1",
            "b = 2",
            "leave If 1",
            // No `else`: the path around both branches joins them.
            "done if c [\"a\", \"b\"]",
            "test items",
            "enter LoopBody 0",
            "use(x)",
            "x = 3",
            "leave LoopBody 0",
            // `x` is carried into the next iteration: the body runs again.
            "enter LoopBody 0",
            "use(x)",
            "x = 3",
            "leave LoopBody 0",
            "enter LoopElse 0",
            "leave LoopElse 0",
            "done for item in items [\"a\", \"b\", \"x\"]",
            // The body of `if TYPE_CHECKING:` never runs.
            "done if TYPE_CHECKING [\"a\", \"b\", \"x\"]",
            "enter TryBody 0",
            "y = 5",
            "leave TryBody 0",
            "enter Except 0",
            "z = 6",
            "leave Except 0",
            "enter TryElse 0",
            "leave TryElse 0",
            "enter Finally 0",
            "leave Finally 0",
            "done try [\"a\", \"b\", \"x\", \"y\", \"z\"]",
            "test g()",
            "enter With 0",
            "pass",
            "leave With 0",
            "done with g() as h [\"a\", \"b\", \"x\", \"y\", \"z\"]",
            "def inner()",
        ]
    );
}

/// The reach index answers exactly what walking back through the bindings
/// answers, for every name bound often enough to be indexed, at every
/// offset of the module, for loads and other queries, in the shapes where
/// bindings overlap or unbind (`x = (x := ...)`, `del x`, `x += x`,
/// chained and tuple targets, loops, `with`, `except`, `global`,
/// `nonlocal`, comprehensions).
#[test]
fn indexed_lookup_matches_the_linear_walk() {
    let mut source = String::from("import os\nx = 0\n");
    source.push_str("def outer():\n    y = 0\n    def inner():\n        nonlocal y\n");
    for i in 0..12 {
        source.push_str(&format!("        y = y + {i}\n"));
    }
    source.push_str("    return inner\n");
    source.push_str("async def f(x, y=x):\n    global z\n");
    for i in 0..30 {
        let line = match i % 10 {
            0 => format!("    x = (x := {i}) + x\n"),
            1 => "    del x\n".to_string(),
            2 => format!("    x += x * {i}\n"),
            3 => format!("    x = y = x, w = {i}\n"),
            4 => "    for x in [x for x in range(x)]:\n        z = x\n".to_string(),
            5 => "    with open(x) as x:\n        pass\n".to_string(),
            6 => "    try:\n        pass\n    except OSError as x:\n        del x\n".to_string(),
            7 => format!("    x, *y = x, {i}\n"),
            8 => format!("    z = [(x := j) for j in range({i})]\n"),
            _ => format!("    if x:\n        x = {i}\n    z = x\n"),
        };
        source.push_str(&line);
    }
    source.push_str("    return x, y, z\n");
    for i in 0..10 {
        source.push_str(&format!("z = x = {i}\n"));
    }
    let m = model(&source);
    let mut indexed = 0;
    for (id, scope) in m.scopes() {
        for (name, ids) in &scope.bindings {
            if !scope.reach.contains_key(name) {
                continue;
            }
            indexed += 1;
            for at in 0..=source.len() as u32 {
                let at = TextSize::new(at);
                for before in [Some(at), None] {
                    for load in [true, false] {
                        assert_eq!(
                            m.pick(name, id, before, load),
                            m.pick_linear(ids, before, load),
                            "{name} in {id:?} at {at:?} (before: {}, load: {load})",
                            before.is_some()
                        );
                    }
                }
            }
        }
    }
    // `x` in `f` and at module level, `y` in `outer` (moved by `nonlocal`),
    // `z` at module level (`global z`).
    assert!(indexed >= 4, "{indexed} names indexed");
}

#[test]
fn bindings_within_a_range_are_found_by_binary_search() {
    let mut source = String::from("async def f():\n");
    for i in 0..20 {
        source.push_str(&format!("    x = {i}\n    y = x\n"));
    }
    let m = model(&source);
    let scope = scope_of_function(&m, "f");
    let from = nth_offset(&source, "x =", 5);
    let to = nth_offset(&source, "x =", 8);
    let range = TextRange::new(from, to);
    let within: Vec<TextSize> = m
        .bindings_in_scope_within("x", scope, range)
        .map(|b| b.range.start())
        .collect();
    let expected: Vec<TextSize> = m
        .bindings_in_scope("x", scope)
        .filter(|b| range.contains_range(b.range))
        .map(|b| b.range.start())
        .collect();
    assert_eq!(within, expected);
    assert_eq!(
        within,
        (5..8)
            .map(|n| nth_offset(&source, "x =", n))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        m.bindings_in_scope_within("x", scope, TextRange::empty(from))
            .count(),
        0
    );
    assert_eq!(m.bindings_in_scope_within("nope", scope, range).count(), 0);
}

#[test]
fn names_read_from_nested_frames_are_captured() {
    let source = "\
async def f():
    a = 1
    b = 2
    c = 3
    d = [c for _ in range(3)]
    def g():
        return a
    h = lambda: b
    return d, g, h
";
    let m = model(source);
    let scope = scope_of_function(&m, "f");
    for (name, captured) in [("a", true), ("b", true), ("c", false), ("d", false)] {
        assert_eq!(m.is_captured(name, scope), captured, "{name}");
        assert_eq!(
            m.is_captured(name, scope),
            m.references_to(name, scope).any(|r| r.scope != scope),
            "{name}"
        );
    }
    assert!(!m.is_captured("a", ScopeId::MODULE));
}

#[test]
fn loads_by_name_are_indexed_in_source_order() {
    let source = "\
import os
x = 1
def f(a):
    x[a] = os.sep + x
    return [x for _ in a]
y = x
";
    let m = model(source);
    let scanned: Vec<TextSize> = {
        let mut starts: Vec<TextSize> = m
            .references()
            .iter()
            .filter(|r| r.name == "x")
            .map(|r| r.range.start())
            .collect();
        starts.sort();
        starts
    };
    let indexed: Vec<TextSize> = m.loads_named("x").map(|(_, r)| r.range.start()).collect();
    assert_eq!(indexed, scanned);
    assert_eq!(indexed.len(), 4);
    for (id, r) in m.loads_named("x") {
        assert_eq!(m.reference(id).range, r.range);
    }
    let def = m.functions().next().unwrap().1;
    let within: Vec<TextSize> = m
        .loads_named_within("x", def.range())
        .map(|(_, r)| r.range.start())
        .collect();
    assert_eq!(within, scanned[..3].to_vec());
    assert_eq!(m.loads_named("nothing").count(), 0);
    assert_eq!(
        m.loads_named_within("os", TextRange::empty(def.start()))
            .count(),
        0
    );
}

#[test]
fn fills_empty_cache_finds_first_time_branches() {
    let source = "\
_cache = None
class Store:
    def __init__(self):
        self.data = None
        self.conn = None
    def _fill(self):
        self.other = load_other()
    async def get(self):
        if self.data is None:
            self.data = load_data()
        elif flag:
            unrelated_a()
        return self.data
    async def get_other(self):
        if self.other:
            pass
        else:
            self._fill()
    async def early(self):
        if self.data is not None:
            return self.data
        self.data = load_early()
    async def not_filled(self):
        if self.data is None:
            return read_each_time()
    async def reconnect(self):
        if self.conn is None:
            self.conn = connect()
    def close(self):
        self.conn = None
        self.started = False
    async def start(self):
        if self.started:
            return
        self.started = True
        start_again()
async def settings():
    global _cache
    if not _cache:
        _cache = load_settings()
    return _cache
async def local():
    cache = None
    if cache is None:
        cache = load_local()
";
    let m = model(source);
    let scope_of = |name: &str| {
        m.functions()
            .find(|(_, def)| def.name.id.as_str() == name)
            .unwrap()
            .0
    };
    let once = |needle: &str, function: &str| {
        m.fills_empty_cache(offset(source, needle), scope_of(function))
    };
    assert!(once("load_data()", "get"));
    assert!(!once("unrelated_a()", "get"));
    assert!(once("self._fill()", "get_other"));
    assert!(once("load_early()", "early"));
    assert!(!once("read_each_time()", "not_filled"));
    assert!(!once("connect()", "reconnect"));
    assert!(!once("start_again()", "start"));
    assert!(once("load_settings()", "settings"));
    assert!(!once("load_local()", "local"));
}

#[test]
fn scope_at_finds_the_innermost_comprehension_among_many() {
    // A comprehension in another's first iterable belongs to the enclosing
    // scope, and its range lies inside the outer comprehension's.
    let mut source = String::from("def f(w):\n");
    for i in 0..40 {
        source.push_str(&format!("    a{i} = [x{i} for x{i} in w]\n"));
    }
    source.push_str("    b = [[y for y in x] for x in [z for z in w]]\n    return b\n");
    let m = model(&source);
    // Function scopes are not nested ranges: `scope_at` starts from one.
    let function = binding_at(&m, offset(&source, "a0")).1.scope;
    assert!(matches!(m.scope(function).kind, ScopeKind::Function(_)));
    let kind_at = |needle: &str| {
        let scope = m.scope_at(function, offset(&source, needle));
        (scope, m.scope(scope).kind)
    };
    let (x7, x7_kind) = kind_at("x7 for");
    assert!(matches!(x7_kind, ScopeKind::Comprehension(_)));
    assert_ne!(kind_at("x8 for").0, x7);
    assert_eq!(m.scope(x7).parent, Some(function));
    // `z for z in w`: its own comprehension, a child of the function.
    let (z, _) = kind_at("z for");
    assert_eq!(m.scope(z).parent, Some(function));
    // `y for y in x`: inside the outer comprehension, which is inside `f`.
    let (y, _) = kind_at("y for");
    let outer = m.scope(y).parent.unwrap();
    assert_eq!(m.scope(outer).parent, Some(function));
    assert_eq!(kind_at("x in [z").0, outer);
    // Between comprehensions and after the last: the function.
    assert_eq!(kind_at("a9 =").0, function);
    assert_eq!(kind_at("return b").0, function);
}

// ---- coroutines that never suspend ---------------------------------------

#[test]
fn coroutines_that_never_suspend() {
    let source = "\
import asyncio

def decorate(f):
    return f

async def plain():
    print('x')

async def calm():
    await plain()
    await plain()

async def sleeps():
    await asyncio.sleep(0)

async def unknown(conn):
    await conn.send()

async def enters(lock):
    async with lock:
        pass

async def loops(stream):
    async for item in stream:
        pass

async def comprehension(stream):
    return [x async for x in stream]

async def nested_await():
    async def later():
        await asyncio.sleep(1)
    return later

async def ping(n):
    if n:
        await pong(n - 1)

async def pong(n):
    await ping(n)

async def tick(n):
    await tock(n)

async def tock(n):
    await tick(n)
    await asyncio.sleep(1)

async def agen():
    yield 1

async def awaits_agen_like():
    await agen()

@decorate
async def decorated():
    pass

async def awaits_decorated():
    await decorated()

async def awaits_suspending():
    await calm()
    await sleeps()

def sync():
    pass

class Base:
    async def _quiet(self):
        pass

    async def public(self):
        pass

    async def __dunder__(self):
        pass

    async def uses_quiet(self):
        await self._quiet()

    async def uses_public(self):
        await self.public()

    async def uses_dunder(self):
        await self.__dunder__()

    async def uses_class(self):
        await Base.public(self)

class Other:
    async def _hook(self):
        pass

    async def uses_hook(self):
        await self._hook()

class Derived(Other):
    async def _hook(self):
        await asyncio.sleep(1)
";
    let m = model(source);
    let calm = |name: &str| m.does_not_suspend(scope_of_function(&m, name));
    for name in [
        "plain",
        "calm",
        "nested_await",
        "ping",
        "pong",
        "_quiet",
        "public",
        "uses_quiet",
        "uses_class",
    ] {
        assert!(calm(name), "{name} never suspends");
    }
    for name in [
        "sleeps",
        "unknown",
        "enters",
        "loops",
        "comprehension",
        "tick",
        "tock",
        "agen",
        "awaits_agen_like",
        "awaits_decorated",
        "awaits_suspending",
        "sync",
        "uses_public",
        "uses_dunder",
        "uses_hook",
    ] {
        assert!(!calm(name), "{name} may suspend (or is no coroutine)");
    }
    // A call, read where it is made.
    let call = |text: &str, function: &str| {
        let at = nth_offset(source, text, source.matches(text).count() - 1);
        let expr = expr_at(&m, at, text);
        m.call_does_not_suspend(expr, scope_of_function(&m, function))
    };
    assert!(call("plain()", "calm"));
    assert!(!call("sleeps()", "awaits_suspending"));
    assert!(call("self._quiet()", "uses_quiet"));
    assert!(!call("self.public()", "uses_public"));
}

#[test]
fn put_on_a_queue_that_is_never_full() {
    let source = "\
import asyncio
from asyncio import Queue

events = asyncio.Queue()
bounded = asyncio.Queue(maxsize=10)
zero = Queue(maxsize=0)
positional = asyncio.Queue(5)
mixed = asyncio.Queue()
placeholder = None
placeholder = asyncio.LifoQueue()

def rebind():
    global mixed
    mixed = asyncio.Queue(1)

class Track:
    def __init__(self):
        self._queue = asyncio.Queue()
        self._slots = asyncio.Queue(3)
        self._later = None

    def start(self):
        self._later = asyncio.Queue()

class Shared:
    def __init__(self):
        self._inbox = asyncio.Queue()

def elsewhere(shared: Shared):
    shared._inbox = asyncio.Queue(2)

def unknown_queue(q):
    return q

async def use(track: Track, shared: Shared, param: asyncio.Queue, q):
    await events.put(1)
    await bounded.put(1)
    await zero.put(1)
    await positional.put(1)
    await mixed.put(1)
    await placeholder.put(1)
    await track._queue.put(1)
    await track._slots.put(1)
    await track._later.put(1)
    await shared._inbox.put(1)
    await param.put(1)
    await q.put(1)
    await events.get()
";
    let m = model(source);
    let use_ = scope_of_function(&m, "use");
    let calm = |text: &str| {
        let expr = expr_at(&m, offset(source, text), text);
        m.call_does_not_suspend(expr, use_)
    };
    assert!(calm("events.put(1)"));
    assert!(!calm("bounded.put(1)"));
    assert!(calm("zero.put(1)"));
    assert!(!calm("positional.put(1)"));
    // Rebound elsewhere to a bounded queue.
    assert!(!calm("mixed.put(1)"));
    // A `None` placeholder, then a queue.
    assert!(calm("placeholder.put(1)"));
    assert!(calm("track._queue.put(1)"));
    assert!(!calm("track._slots.put(1)"));
    assert!(calm("track._later.put(1)"));
    // Some other code stores a bounded queue in that attribute.
    assert!(!calm("shared._inbox.put(1)"));
    // The module builds bounded queues: an annotated parameter may be one.
    assert!(!calm("param.put(1)"));
    assert!(!calm("q.put(1)"));
    // `get` waits while the queue is empty.
    assert!(!calm("events.get()"));
}

#[test]
fn annotated_queue_parameters_need_every_queue_of_the_module_unbounded() {
    let worker = "\
import asyncio

class Track:
    def __init__(self):
        self._queue: asyncio.Queue = asyncio.Queue()

def worker(loop, output_q: asyncio.Queue, item):
    asyncio.run_coroutine_threadsafe(output_q.put(item), loop)
";
    let check = |source: &str| {
        let m = model(source);
        let text = "output_q.put(item)";
        let expr = expr_at(&m, offset(source, text), text);
        m.call_does_not_suspend(expr, scope_of_function(&m, "worker"))
    };
    assert!(check(worker));
    // A bounded queue elsewhere in the module.
    assert!(!check(&format!("{worker}\nspare = asyncio.Queue(1)\n")));
    // A subclass of a queue: its instances may be bounded any way.
    assert!(!check(&format!(
        "{worker}\nclass Mine(asyncio.Queue):\n    pass\n"
    )));
    // A module that builds no queue: the one passed in comes from elsewhere.
    assert!(!check(
        "import asyncio\n\ndef worker(loop, output_q: asyncio.Queue, item):\n    asyncio.run_coroutine_threadsafe(output_q.put(item), loop)\n"
    ));
}

#[test]
fn coroutines_that_raise_on_purpose() {
    let source = "\
import asyncio

inbox = asyncio.Queue()
outbox = asyncio.Queue()

def validate(x):
    if x is None:
        raise ValueError(x)

async def quiet(x):
    print(x)

async def checks(x):
    validate(x)

async def asserts(x):
    assert x

async def relay(x):
    await quiet(x)

async def puts_out(x):
    await outbox.put(x)

def close():
    outbox.shutdown()

def main(loop, x):
    inbox.put(x)
    outbox.put(x)
    quiet(x)
    checks(x)
    asserts(x)
    relay(x)
    puts_out(x)
    unknown(x)
";
    let m = model(source);
    let main = scope_of_function(&m, "main");
    let raises = |text: &str| {
        let at = nth_offset(source, text, source.matches(text).count() - 1);
        let expr = expr_at(&m, at, text);
        m.call_raises_explicitly(expr, main)
    };
    assert!(!raises("inbox.put(x)"));
    // `QueueShutDown` once the queue is shut down.
    assert!(raises("outbox.put(x)"));
    assert!(!raises("quiet(x)"));
    assert!(raises("checks(x)"));
    assert!(raises("asserts(x)"));
    assert!(!raises("relay(x)"));
    assert!(raises("puts_out(x)"));
    assert!(raises("unknown(x)"));
}

#[test]
fn class_level_values_and_subclasses_count_for_queue_attributes() {
    let check = |extra: &str| {
        let source = format!(
            "\
import asyncio

class Track:
    def __init__(self):
        self._queue = asyncio.Queue()

{extra}
async def use(track: Track):
    await track._queue.put(1)
"
        );
        let m = model(&source);
        let text = "track._queue.put(1)";
        let at = nth_offset(&source, text, 0);
        let expr = expr_at(&m, at, text);
        m.call_does_not_suspend(expr, scope_of_function(&m, "use"))
    };
    assert!(check(""));
    // A subclass gives its instances a bounded queue at class level.
    assert!(!check(
        "class Small(Track):\n    _queue = asyncio.Queue(1)\n"
    ));
    // An unpacking stores values the check does not follow.
    assert!(!check(
        "def swap(a: Track, b: Track):\n    a._queue, b._queue = b._queue, a._queue\n"
    ));
    // Stores that refer to each other: unsure.
    assert!(!check(
        "class Loop:\n    def __init__(self, other: Track):\n        self._queue = other._queue\n"
    ));
}

/// The offsets of the loads that the binding at the `n`th `needle` may
/// reach ([`SemanticModel::reached_loads`]).
fn reached_from(m: &SemanticModel<'static>, source: &str, needle: &str, n: usize) -> Vec<usize> {
    let (id, _) = binding_at(m, nth_offset(source, needle, n));
    m.reached_loads(id)
        .into_iter()
        .map(|r| m.reference(r).range.start().to_usize())
        .collect()
}

#[test]
fn reached_loads_follow_paths() {
    // Both branches reach the load after the `if`, though it resolves to
    // the `else` binding by source order.
    let source = "\
async def f(c, r):
    if c:
        x = 1
    else:
        x = 2
    return x
";
    let m = model(source);
    let load = source.rfind('x').unwrap();
    assert_eq!(reached_from(&m, source, "x = ", 0), [load]);
    assert_eq!(reached_from(&m, source, "x = ", 1), [load]);

    // A binding replaced before any load reaches nothing; a `return` ends
    // its path.
    let source = "\
def f(c):
    x = 1
    x = 2
    if c:
        y = 1
        return
    use(x, y)
";
    let m = model(source);
    assert!(reached_from(&m, source, "x = ", 0).is_empty());
    assert!(reached_from(&m, source, "y = ", 0).is_empty());
    assert_eq!(reached_from(&m, source, "x = ", 1).len(), 1);

    // The next iteration reads what the body bound, through `continue` too;
    // a loop may not run at all.
    let source = "\
def f(r, c):
    x = 0
    for i in r:
        use(x)
        if c:
            x = 1
            continue
        x = 2
    use(x)
";
    let m = model(source);
    let first = source.find("use(x)").unwrap() + 4;
    let last = source.rfind("use(x)").unwrap() + 4;
    assert_eq!(reached_from(&m, source, "x = ", 0), [first, last]);
    // After `continue` the loop may end.
    assert_eq!(reached_from(&m, source, "x = ", 1), [first, last]);
    assert_eq!(reached_from(&m, source, "x = ", 2), [first, last]);

    // `break` leaves with what it has; a `while` test runs again.
    let source = "\
def f(c):
    x = 0
    while ok(x):
        x = 1
        if c:
            x = 2
            break
        x = 3
    use(x)
";
    let m = model(source);
    let test = source.find("ok(x)").unwrap() + 3;
    let last = source.rfind("use(x)").unwrap() + 4;
    assert!(reached_from(&m, source, "x = ", 1).is_empty());
    assert_eq!(reached_from(&m, source, "x = ", 2), [last]);
    assert_eq!(reached_from(&m, source, "x = ", 3), [test, last]);

    // A handler may start before the body rebinds; a nested function may
    // run at any time.
    let source = "\
def f():
    def g():
        return x
    x = 1
    try:
        x = 2
        call()
    except E as e:
        use(x)
    x = 3
";
    let m = model(source);
    let closure = source.find("return x").unwrap() + 7;
    let handler = source.find("use(x)").unwrap() + 4;
    assert_eq!(reached_from(&m, source, "x = ", 0), [closure, handler]);
    assert_eq!(reached_from(&m, source, "x = ", 1), [closure, handler]);
    assert_eq!(reached_from(&m, source, "x = ", 2), [closure]);

    // A walrus may not run: what was there before still reaches.
    let source = "\
def f(c):
    x = 1
    if c and (x := 2):
        pass
    use(x)
";
    let m = model(source);
    assert_eq!(reached_from(&m, source, "x = ", 0).len(), 1);
    assert_eq!(reached_from(&m, source, "x := ", 0).len(), 1);
}

#[test]
fn coroutines_that_contain_their_own_failures() {
    let source = "
import asyncio
import logging

log = logging.getLogger(__name__)
lock = asyncio.Lock()

async def logs(client):
    try:
        await client.get()
    except Exception:
        log.exception('failed')

async def returns_failure(client):
    if not client:
        return None
    try:
        return await client.get()
    except asyncio.CancelledError:
        raise
    except (ValueError, BaseException) as e:
        return e

async def bare(client):
    try:
        await client.get()
    except:
        pass

async def through_helper(client):
    async with lock:
        await logs(client)
    await asyncio.sleep(1)

async def reraises(client):
    try:
        await client.get()
    except Exception:
        log.exception('failed')
        raise

async def narrow(client):
    try:
        await client.get()
    except ValueError:
        pass

async def narrow_reraise(client):
    try:
        await client.get()
    except KeyError:
        raise
    except Exception:
        pass

async def unguarded(client):
    await client.connect()
    try:
        await client.get()
    except Exception:
        pass

async def raises_itself(client):
    try:
        await client.get()
    except Exception:
        pass
    raise RuntimeError()

async def in_finally(client):
    try:
        await client.get()
    except Exception:
        pass
    finally:
        await client.close()

async def only_sleeps():
    await asyncio.sleep(1)

async def generator(client):
    try:
        yield await client.get()
    except Exception:
        pass

def sync(client):
    try:
        client.get()
    except Exception:
        pass
";
    let m = model(source);
    let contains = |name: &str| m.contains_own_failures(scope_of_function(&m, name));
    for name in ["logs", "returns_failure", "bare", "through_helper"] {
        assert!(contains(name), "{name} contains its failures");
    }
    for name in [
        "reraises",
        "narrow",
        "narrow_reraise",
        "unguarded",
        "raises_itself",
        "in_finally",
        "only_sleeps",
        "generator",
        "sync",
    ] {
        assert!(!contains(name), "{name} lets failures out");
    }
}

#[test]
fn coroutines_whose_decorator_logs_their_failures() {
    let source = "
import functools
import logging

from .utils import log_exceptions, retry, logErrors

logger = logging.getLogger(__name__)

def reported(function):
    @functools.wraps(function)
    async def wrapper(*args):
        try:
            return await function(*args)
        except Exception:
            logger.error('failed')
            raise
    return wrapper

def quiet(function):
    async def wrapper(*args):
        try:
            return await function(*args)
        except Exception:
            logger.debug('failed')
            raise
    return wrapper

@log_exceptions(logger=logger)
async def named(): ...

@logErrors
async def camel(): ...

@reported
async def local(): ...

@quiet
async def debug_only(): ...

@retry(3)
async def retried(): ...

async def plain(): ...

async def body_reports(client):
    try:
        await client.get()
    except Exception:
        logger.exception('failed')
        raise

async def through_reporting(client):
    await body_reports(client)
    await named()

async def body_debug(client):
    try:
        await client.get()
    except Exception:
        logger.debug('failed')
        raise

async def narrow_raise(client):
    try:
        await client.get()
    except ValueError as e:
        raise KeyError() from e
    except Exception:
        logger.exception('failed')
        raise
";
    let m = model(source);
    let logs = |name: &str| m.logs_own_failures(scope_of_function(&m, name));
    for name in [
        "named",
        "camel",
        "local",
        "body_reports",
        "through_reporting",
    ] {
        assert!(logs(name), "{name} logs its failures");
    }
    for name in [
        "debug_only",
        "retried",
        "plain",
        "body_debug",
        "narrow_raise",
    ] {
        assert!(!logs(name), "{name} does not log its failures");
    }
}

#[test]
fn handed_back_calls_are_returned_and_kept_nowhere_else() {
    let source = "\
import asyncio

_tasks = set()


def direct(coro):
    return asyncio.create_task(coro)


def named(coro, *, name=None):
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(print)
    task.set_name('x')
    return task


def kept(coro):
    task = asyncio.create_task(coro)
    _tasks.add(task)
    return task


def passed(coro):
    task = asyncio.create_task(coro)
    register(task)
    return task


def captured(coro):
    task = asyncio.create_task(coro)
    def done(_):
        print(task)
    task.add_done_callback(done)
    return task


async def coroutine(coro):
    return asyncio.create_task(coro)


def other(coro):
    return asyncio.create_task(wrap(coro))
";
    let m = model(source);
    let function = |name: &str| {
        m.functions()
            .find(|(_, def)| def.name.as_str() == name)
            .map(|(scope, _)| scope)
            .unwrap()
    };
    let direct = m.handed_back_call(function("direct")).unwrap();
    assert_eq!(direct.calls.len(), 1);
    let parameter = direct.parameter.unwrap();
    assert_eq!((parameter.name, parameter.position), ("coro", Some(0)));
    let named = m.handed_back_call(function("named")).unwrap();
    assert_eq!(named.parameter.unwrap().name, "coro");
    for name in ["kept", "passed", "captured", "coroutine"] {
        assert!(m.handed_back_call(function(name)).is_none(), "{name}");
    }
    let other = m.handed_back_call(function("other")).unwrap();
    assert!(other.parameter.is_none());
}
