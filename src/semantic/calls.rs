//! The same-module call graph and what functions return.
//!
//! A call `f()` resolves to the `def` its name is bound to; `self.m()`,
//! `cls.m()`, `Foo.m()` and `obj.m()` (where `obj` is known to hold an
//! instance of a class of this module) resolve to the method through the
//! class and its same-module bases. The graph is built once, on first use.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::scope_walk::ScopeVisitor;
use super::statements::StmtId;
use super::types::TypeFact;
use super::{BindingKind, ScopeId, ScopeKind, SemanticModel};

/// A call from one scope to a function of this module.
#[derive(Debug, Clone, Copy)]
pub struct CallEdge {
    /// The range of the call expression.
    pub call: TextRange,
    /// The scope the call is made in (a function, or the module).
    pub caller: ScopeId,
    /// The scope of the function called.
    pub callee: ScopeId,
}

#[derive(Debug, Default)]
pub struct CallGraph {
    callees: HashMap<ScopeId, Vec<CallEdge>>,
    callers: HashMap<ScopeId, Vec<CallEdge>>,
}

struct CallCollector<'a> {
    calls: Vec<&'a ast::ExprCall>,
}

impl<'a> ScopeVisitor<'a> for CallCollector<'a> {
    fn expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.calls.push(call);
        }
    }
}

impl<'a> SemanticModel<'a> {
    /// The function of this module a call's callee expression resolves to,
    /// with the scope it opens.
    pub fn resolve_callee(
        &self,
        func: &'a Expr,
        scope: ScopeId,
    ) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        self.resolve_callee_depth(func, scope, 0)
    }

    pub(super) fn resolve_callee_depth(
        &self,
        func: &'a Expr,
        scope: ScopeId,
        depth: u8,
    ) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        match func {
            Expr::Name(name) => {
                match self
                    .resolve_name(name.id.as_str(), scope, name.start())?
                    .kind
                {
                    BindingKind::FunctionDef(def) => Some((self.function_scope(def)?, def)),
                    _ => None,
                }
            }
            Expr::Attribute(attribute) => {
                let class = match self.type_of_depth(&attribute.value, scope, depth)? {
                    TypeFact::LocalInstance(class) | TypeFact::LocalClass(class) => class,
                    TypeFact::Qualified { .. } => return None,
                };
                self.method(self.class_def(class)?, attribute.attr.id.as_str())
            }
            _ => None,
        }
    }

    /// The `async def` of this module that a call certainly runs, with the
    /// scope it opens: the call resolves to it ([`SemanticModel::resolve_callee`])
    /// and nothing can put other code in its place. So it must not be
    /// decorated (`staticmethod`/`classmethod` aside: a decorator may wrap
    /// it in anything), and a method called on an instance or through
    /// `cls` must be private (`_m`, or name-mangled `__m`; a public method
    /// or a dunder is there to be overridden, maybe by a subclass in
    /// another module) and not overridden by a subclass in this module.
    /// `Foo.m()` on the class itself dispatches to nothing else.
    pub fn coroutine_callee(
        &self,
        call: &'a ast::ExprCall,
        scope: ScopeId,
    ) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        let (callee, def) = self.resolve_callee(&call.func, scope)?;
        if !def.is_async
            || def.decorator_list.iter().any(|d| {
                !matches!(&d.expression, Expr::Name(n)
                    if matches!(n.id.as_str(), "staticmethod" | "classmethod"))
            })
        {
            return None;
        }
        if let Expr::Attribute(attribute) = &*call.func {
            let name = attribute.attr.as_str();
            let on_the_class = self.local_class(&attribute.value, scope).is_some();
            if !on_the_class {
                let dunder = name.starts_with("__") && name.ends_with("__");
                if !name.starts_with('_') || dunder {
                    return None;
                }
                let class = self.method_class(callee)?;
                if self.overridden_in_module(class, name) {
                    return None;
                }
            }
        }
        Some((callee, def))
    }

    /// Whether a class of this module that derives from `class` defines
    /// `name` itself.
    fn overridden_in_module(&self, class: &'a ast::StmtClassDef, name: &str) -> bool {
        let Some(scope) = self.class_scope(class) else {
            return false;
        };
        let subclasses = self.subclasses.get_or_init(|| {
            let mut subclasses: HashMap<ScopeId, Vec<ScopeId>> = HashMap::default();
            for (scope, s) in self.scopes() {
                if let ScopeKind::Class(class) = s.kind {
                    for base in self.class_and_bases(class).into_iter().skip(1) {
                        if let Some(base) = self.class_scope(base) {
                            subclasses.entry(base).or_default().push(scope);
                        }
                    }
                }
            }
            subclasses
        });
        subclasses
            .get(&scope)
            .into_iter()
            .flatten()
            .any(|&sub| self.bindings_in_scope(name, sub).next().is_some())
    }

    /// The method `name` of a class of this module, looked up through its
    /// same-module bases.
    pub fn method(
        &self,
        class: &'a ast::StmtClassDef,
        name: &str,
    ) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        for class in self.class_and_bases(class) {
            let Some(scope) = self.class_scope(class) else {
                continue;
            };
            if let Some(binding) = self.bindings_in_scope(name, scope).last() {
                return match binding.kind {
                    BindingKind::FunctionDef(def) => Some((self.function_scope(def)?, def)),
                    _ => None,
                };
            }
        }
        None
    }

    /// The call graph of the module (built on first use).
    pub fn call_graph(&self) -> &CallGraph {
        self.call_graph.get_or_init(|| self.build_call_graph())
    }

    fn build_call_graph(&self) -> CallGraph {
        let mut graph = CallGraph::default();
        let mut bodies: Vec<(ScopeId, &'a [Stmt])> = vec![(ScopeId::MODULE, self.module_body)];
        bodies.extend(self.functions().map(|(s, d)| (s, &d.body[..])));
        for (caller, body) in bodies {
            let mut collector = CallCollector { calls: Vec::new() };
            self.walk_scope(body, &mut collector);
            for call in collector.calls {
                let Some((callee, _)) = self.resolve_callee(&call.func, caller) else {
                    continue;
                };
                let edge = CallEdge {
                    call: call.range(),
                    caller,
                    callee,
                };
                graph.callees.entry(caller).or_default().push(edge);
                graph.callers.entry(callee).or_default().push(edge);
            }
        }
        graph
    }

    /// Calls `f` on every call of the module with the scope it is made in:
    /// the module's, classes', functions' and lambdas' code (comprehensions
    /// included), `if TYPE_CHECKING:` bodies not.
    pub fn each_call(&self, f: &mut dyn FnMut(&'a ast::ExprCall, ScopeId)) {
        for (id, scope) in self.scopes() {
            if scope.type_checking_only {
                continue;
            }
            let mut collector = CallCollector { calls: Vec::new() };
            match scope.kind {
                ScopeKind::Module => self.walk_scope(self.module_body, &mut collector),
                ScopeKind::Function(def) => self.walk_scope(&def.body, &mut collector),
                ScopeKind::Class(class) => self.walk_scope(&class.body, &mut collector),
                ScopeKind::Lambda(lambda) => self.walk_scope_expr(&lambda.body, &mut collector),
                ScopeKind::Comprehension(_) | ScopeKind::TypeParams => {}
            }
            for call in collector.calls {
                f(call, self.scope_at(id, call.start()));
            }
        }
    }

    /// The calls a function (or the module) makes to functions of this
    /// module, in source order.
    pub fn callees(&self, scope: ScopeId) -> &[CallEdge] {
        self.call_graph()
            .callees
            .get(&scope)
            .map_or(&[], Vec::as_slice)
    }

    /// The calls made to a function from this module.
    pub fn callers(&self, scope: ScopeId) -> &[CallEdge] {
        self.call_graph()
            .callers
            .get(&scope)
            .map_or(&[], Vec::as_slice)
    }

    /// Every function reachable from `scope` through calls (not `scope`
    /// itself unless a cycle leads back to it), breadth first, each once.
    pub fn reachable_functions(&self, scope: ScopeId) -> Vec<ScopeId> {
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        let mut queue = vec![scope];
        let mut i = 0;
        while i < queue.len() {
            let current = queue[i];
            i += 1;
            for edge in self.callees(current) {
                if seen.insert(edge.callee) {
                    out.push(edge.callee);
                    queue.push(edge.callee);
                }
            }
        }
        out
    }

    /// The `return` statements of a function (not those of functions nested
    /// in it), in source order.
    pub fn return_statements(
        &self,
        def: &'a ast::StmtFunctionDef,
    ) -> impl Iterator<Item = &'a ast::StmtReturn> + '_ {
        let id = self.def_statement(def);
        let start = id.map_or(usize::MAX, |id| id.index() + 1);
        (start..self.statements.len())
            .map(StmtId::from_index_usize)
            .take_while(move |&s| self.statement(s).start() < def.end())
            .filter_map(move |s| match self.statement(s) {
                Stmt::Return(ret)
                    if self
                        .enclosing_function(s)
                        .is_some_and(|f| std::ptr::eq(f, def)) =>
                {
                    Some(ret)
                }
                _ => None,
            })
    }

    fn def_statement(&self, def: &ast::StmtFunctionDef) -> Option<StmtId> {
        let id = StmtId::from_index(def.node_index.load().as_u32()?);
        (id.index() < self.statements.len()
            && matches!(self.statement(id), Stmt::FunctionDef(d) if std::ptr::eq(d, def)))
        .then_some(id)
    }

    /// What a function of this module returns, as far as the code shows:
    /// its return annotation, or the fact all its `return` values agree on
    /// (`return None` aside). Memoised; a cycle of calls yields unknown.
    pub fn returns_of(&self, function: ScopeId) -> Option<TypeFact> {
        if let Some(known) = self.returns.borrow().get(&function) {
            return known.clone();
        }
        // In progress: a recursive call finds it unknown.
        self.returns.borrow_mut().insert(function, None);
        let fact = self.compute_returns(function);
        self.returns.borrow_mut().insert(function, fact.clone());
        fact
    }

    fn compute_returns(&self, function: ScopeId) -> Option<TypeFact> {
        let ScopeKind::Function(def) = self.scope(function).kind else {
            return None;
        };
        if let Some(returns) = &def.returns {
            let scope = self.scope(function).parent.unwrap_or(ScopeId::MODULE);
            return self.annotation_fact(returns, scope, 0);
        }
        let mut fact = None;
        for ret in self.return_statements(def) {
            let Some(value) = ret.value.as_deref().filter(|v| !v.is_none_literal_expr()) else {
                continue;
            };
            let this = self.type_of(value, function)?;
            match &fact {
                None => fact = Some(this),
                Some(previous) if *previous == this => {}
                Some(_) => return None,
            }
        }
        fact
    }
}
