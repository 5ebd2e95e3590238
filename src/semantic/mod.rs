//! The semantic model of one module: scopes, the bindings in each, and the
//! qualified names that call targets resolve to through imports and aliases.
//!
//! Built in one traversal of the module. Name resolution follows Python's
//! rules closely enough for linting: a function's locals are every name it
//! binds anywhere in its body, class bodies are skipped from nested
//! functions, `global` sends a name to the module scope, and unbound names
//! fall back to builtins.

pub mod calls;
pub mod scope_walk;

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::name::UnqualifiedName;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Parameters, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(u32);

impl ScopeId {
    pub const MODULE: ScopeId = ScopeId(0);
}

#[derive(Debug, Clone, Copy)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a ast::StmtClassDef),
    Function(&'a ast::StmtFunctionDef),
    Lambda(&'a ast::ExprLambda),
}

#[derive(Debug, Clone, Copy)]
pub enum BindingKind<'a> {
    /// `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
    Import {
        qualified: &'a str,
    },
    /// `from a import b as c` binds `c`; `qualified` is `a.b` (relative
    /// imports start with dots).
    FromImport {
        module: &'a str,
        member: &'a str,
    },
    /// `x = value` (single target); `value` is `None` for unpacking and other
    /// targets whose value cannot be followed.
    Assignment {
        value: Option<&'a Expr>,
    },
    Parameter,
    FunctionDef(&'a ast::StmtFunctionDef),
    ClassDef(&'a ast::StmtClassDef),
    /// Loop targets, `with ... as`, `except ... as`, walrus, match captures.
    Other,
}

#[derive(Debug, Clone)]
pub struct Binding<'a> {
    pub name: &'a str,
    pub range: TextRange,
    pub scope: ScopeId,
    pub kind: BindingKind<'a>,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    pub parent: Option<ScopeId>,
    bindings: HashMap<&'a str, Vec<usize>>,
    globals: Vec<&'a str>,
    /// Defined under `if TYPE_CHECKING:`, so never run.
    pub type_checking_only: bool,
}

/// A load of a name: where it is and in which scope it occurs.
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    pub name: &'a str,
    pub range: TextRange,
    pub scope: ScopeId,
}

#[derive(Debug)]
pub struct SemanticModel<'a> {
    scopes: Vec<Scope<'a>>,
    bindings: Vec<Binding<'a>>,
    references: Vec<Reference<'a>>,
    /// Start offset of a `def` or `lambda` node to the scope it opens.
    scope_by_node: HashMap<TextSize, ScopeId>,
    /// `import` statements at module level, in order (for adding imports).
    pub module_imports: Vec<&'a Stmt>,
}

impl<'a> SemanticModel<'a> {
    pub fn build(module: &'a [Stmt]) -> Self {
        let mut builder = Builder {
            model: SemanticModel {
                scopes: vec![Scope {
                    kind: ScopeKind::Module,
                    parent: None,
                    bindings: HashMap::default(),
                    globals: Vec::new(),
                    type_checking_only: false,
                }],
                bindings: Vec::new(),
                references: Vec::new(),
                scope_by_node: HashMap::default(),
                module_imports: Vec::new(),
            },
            current: ScopeId::MODULE,
            in_type_checking: false,
        };
        for stmt in module {
            if matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
                builder.model.module_imports.push(stmt);
            }
        }
        builder.visit_body(module);
        builder.model
    }

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.0 as usize]
    }

    /// The scope opened by a function definition.
    pub fn function_scope(&self, def: &ast::StmtFunctionDef) -> Option<ScopeId> {
        self.scope_by_node.get(&def.start()).copied()
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
    /// function is an `async def` (a nested `def`, `lambda` or class ends it).
    pub fn is_async_scope(&self, id: ScopeId) -> bool {
        matches!(self.scope(id).kind, ScopeKind::Function(def) if def.is_async)
    }

    pub fn binding(&self, index: usize) -> &Binding<'a> {
        &self.bindings[index]
    }

    /// Every binding of `name` made in `scope`, in source order.
    pub fn bindings_in_scope(
        &self,
        name: &str,
        scope: ScopeId,
    ) -> impl Iterator<Item = &Binding<'a>> + '_ {
        self.scope(scope)
            .bindings
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.bindings[i])
    }

    /// All loads of names in the module.
    pub fn references(&self) -> &[Reference<'a>] {
        &self.references
    }

    /// The binding a load of `name` at offset `at` in `scope` refers to.
    ///
    /// In the scope where the load occurs the last binding before it wins
    /// (the first one if none precedes it); in enclosing scopes, which have
    /// usually finished binding by the time a nested function runs, the last
    /// binding wins.
    pub fn resolve_name(&self, name: &str, scope: ScopeId, at: TextSize) -> Option<&Binding<'a>> {
        let mut current = Some(scope);
        let mut first = true;
        while let Some(id) = current {
            let s = self.scope(id);
            if s.globals.contains(&name) {
                return self.pick(name, ScopeId::MODULE, None);
            }
            let skip_class = !first && matches!(s.kind, ScopeKind::Class(_));
            if !skip_class && s.bindings.contains_key(name) {
                return self.pick(name, id, first.then_some(at));
            }
            first = false;
            current = s.parent;
        }
        None
    }

    fn pick(&self, name: &str, scope: ScopeId, before: Option<TextSize>) -> Option<&Binding<'a>> {
        let indices = self.scope(scope).bindings.get(name)?;
        let mut all = indices.iter().map(|&i| &self.bindings[i]);
        match before {
            Some(at) => all
                .clone()
                .rfind(|b| b.range.start() < at)
                .or_else(|| all.clone().next()),
            None => all.next_back(),
        }
    }

    /// The fully qualified name an expression such as `time.sleep`, `pause`
    /// (from `from time import sleep as pause`) or `open` refers to, resolved
    /// through imports, aliases and simple assignments like `s = time.sleep`.
    pub fn qualified_name(&self, expr: &Expr, scope: ScopeId) -> Option<String> {
        self.qualified_name_depth(expr, scope, 0)
    }

    fn qualified_name_depth(&self, expr: &Expr, scope: ScopeId, depth: u8) -> Option<String> {
        if depth > 8 {
            return None;
        }
        let unqualified = UnqualifiedName::from_expr(expr)?;
        let segments = unqualified.segments();
        let (head, rest) = segments.split_first()?;
        let head_qualified = match self.resolve_name(head, scope, expr.start()) {
            Some(binding) => match binding.kind {
                BindingKind::Import { qualified } => qualified.to_string(),
                BindingKind::FromImport { module, member } => format!("{module}.{member}"),
                BindingKind::Assignment {
                    value: Some(value @ (Expr::Name(_) | Expr::Attribute(_))),
                } => self.qualified_name_depth(value, binding.scope, depth + 1)?,
                BindingKind::FunctionDef(_) | BindingKind::ClassDef(_)
                    if binding.scope == ScopeId::MODULE =>
                {
                    format!("<module>.{head}")
                }
                _ => return None,
            },
            None if ruff_python_stdlib::builtins::is_python_builtin(head, 13, false) => {
                format!("builtins.{head}")
            }
            None => return None,
        };
        let mut name = head_qualified;
        for segment in rest {
            name.push('.');
            name.push_str(segment);
        }
        Some(name)
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
        self.bindings.iter().any(|b| b.name == name)
            || self.references.iter().any(|r| r.name == name)
    }
}

struct Builder<'a> {
    model: SemanticModel<'a>,
    current: ScopeId,
    in_type_checking: bool,
}

impl<'a> Builder<'a> {
    fn push_scope(&mut self, kind: ScopeKind<'a>, node_start: TextSize) -> ScopeId {
        let id = ScopeId(self.model.scopes.len() as u32);
        self.model.scopes.push(Scope {
            kind,
            parent: Some(self.current),
            bindings: HashMap::default(),
            globals: Vec::new(),
            type_checking_only: self.in_type_checking,
        });
        self.model.scope_by_node.insert(node_start, id);
        self.current = id;
        id
    }

    fn pop_scope(&mut self) {
        self.current = self.model.scopes[self.current.0 as usize]
            .parent
            .unwrap_or(ScopeId::MODULE);
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        let scope_ref = &self.model.scopes[self.current.0 as usize];
        let scope = if scope_ref.globals.contains(&name) {
            ScopeId::MODULE
        } else {
            self.current
        };
        let index = self.model.bindings.len();
        self.model.bindings.push(Binding {
            name,
            range,
            scope,
            kind,
        });
        self.model.scopes[scope.0 as usize]
            .bindings
            .entry(name)
            .or_default()
            .push(index);
    }

    fn bind_target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => self.bind(
                name.id.as_str(),
                name.range,
                BindingKind::Assignment { value },
            ),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, None);
                }
            }
            Expr::Starred(ast::ExprStarred { value, .. }) => self.bind_target(value, None),
            _ => {}
        }
    }

    fn bind_other_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => self.bind(name.id.as_str(), name.range, BindingKind::Other),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_other_target(elt);
                }
            }
            Expr::Starred(ast::ExprStarred { value, .. }) => self.bind_other_target(value),
            _ => {}
        }
    }

    fn bind_parameters(&mut self, parameters: &'a Parameters) {
        for parameter in parameters.iter() {
            let name = parameter.name();
            self.bind(name.id.as_str(), name.range, BindingKind::Parameter);
        }
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                    if let Some(annotation) = parameter.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &def.returns {
                    self.visit_annotation(returns);
                }
                self.bind(
                    def.name.id.as_str(),
                    def.name.range,
                    BindingKind::FunctionDef(def),
                );
                self.push_scope(ScopeKind::Function(def), def.start());
                self.bind_parameters(&def.parameters);
                self.visit_body(&def.body);
                self.pop_scope();
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.bind(
                    class.name.id.as_str(),
                    class.name.range,
                    BindingKind::ClassDef(class),
                );
                self.push_scope(ScopeKind::Class(class), class.start());
                self.visit_body(&class.body);
                self.pop_scope();
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.id.as_str();
                    match &alias.asname {
                        Some(asname) => self.bind(
                            asname.id.as_str(),
                            asname.range,
                            BindingKind::Import { qualified: full },
                        ),
                        None => {
                            let head = full.split('.').next().unwrap_or(full);
                            self.bind(
                                head,
                                alias.name.range,
                                BindingKind::Import { qualified: head },
                            );
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map_or("", |m| m.id.as_str());
                // Relative imports cannot be matched against known library
                // names; give them a module that no catalogue entry has.
                let module = if import.level > 0 { "." } else { module };
                for alias in &import.names {
                    if alias.name.id.as_str() == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind(
                        bound.id.as_str(),
                        bound.range,
                        BindingKind::FromImport {
                            module,
                            member: alias.name.id.as_str(),
                        },
                    );
                }
            }
            Stmt::If(if_stmt)
                if crate::semantic::scope_walk::is_type_checking_guard(&if_stmt.test) =>
            {
                self.visit_expr(&if_stmt.test);
                let outer = std::mem::replace(&mut self.in_type_checking, true);
                self.visit_body(&if_stmt.body);
                self.in_type_checking = outer;
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_elif_else_clause(clause);
                }
            }
            Stmt::Global(ast::StmtGlobal { names, .. }) => {
                let scope = &mut self.model.scopes[self.current.0 as usize];
                scope.globals.extend(names.iter().map(|n| n.id.as_str()));
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let value = (assign.targets.len() == 1).then_some(&*assign.value);
                for target in &assign.targets {
                    self.bind_target(target, value);
                    self.visit_expr(target);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    self.bind_target(&assign.target, Some(value));
                }
                self.visit_annotation(&assign.annotation);
                self.visit_expr(&assign.target);
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                if let Expr::Name(name) = &*assign.target {
                    // `x += 1` reads `x` too.
                    self.model.references.push(Reference {
                        name: name.id.as_str(),
                        range: name.range,
                        scope: self.current,
                    });
                }
                self.bind_other_target(&assign.target);
                self.visit_expr(&assign.target);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_other_target(&for_stmt.target);
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        self.bind_other_target(vars);
                        self.visit_expr(vars);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(name) = &h.name {
                        self.bind(name.id.as_str(), name.range, BindingKind::Other);
                    }
                    if let Some(type_) = &h.type_ {
                        self.visit_expr(type_);
                    }
                    self.visit_body(&h.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => {
                if matches!(name.ctx, ExprContext::Load | ExprContext::Del) {
                    self.model.references.push(Reference {
                        name: name.id.as_str(),
                        range: name.range,
                        scope: self.current,
                    });
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                self.push_scope(ScopeKind::Lambda(lambda), lambda.start());
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters);
                }
                self.visit_expr(&lambda.body);
                self.pop_scope();
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.bind_other_target(&named.target);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        match pattern {
            ast::Pattern::MatchAs(ast::PatternMatchAs {
                name: Some(name), ..
            })
            | ast::Pattern::MatchStar(ast::PatternMatchStar {
                name: Some(name), ..
            }) => self.bind(name.id.as_str(), name.range, BindingKind::Other),
            ast::Pattern::MatchMapping(ast::PatternMatchMapping {
                rest: Some(name), ..
            }) => self.bind(name.id.as_str(), name.range, BindingKind::Other),
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }
}
