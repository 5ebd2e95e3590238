//! Building the model: one traversal that opens scopes and records bindings
//! and loads, then a pass that resolves every load to its binding.

use std::cell::{OnceCell, RefCell};

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, HasNodeIndex, Parameters, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::flow::{Suspension, SuspensionKind};
use super::statements::{Statements, StmtId};
use super::{
    AttributeAssignment, Binding, BindingId, BindingKind, Reference, ReferenceId, Scope, ScopeId,
    ScopeKind, SemanticModel,
};

pub(super) fn build(module: &[Stmt], target_minor: u8) -> SemanticModel<'_> {
    let mut builder = Builder {
        model: SemanticModel {
            scopes: vec![new_scope(ScopeKind::Module, None, false)],
            bindings: Vec::new(),
            references: Vec::new(),
            reference_at: HashMap::default(),
            scope_by_node: HashMap::default(),
            statements: Statements::build(module),
            attributes: HashMap::default(),
            call_graph: OnceCell::new(),
            suspensions: Vec::new(),
            loads_by_name: OnceCell::new(),
            returns: RefCell::default(),
            handed_back: RefCell::default(),
            non_suspending: OnceCell::new(),
            queue_summary: OnceCell::new(),
            attribute_stores: OnceCell::new(),
            unbounded_attributes: RefCell::default(),
            subclasses: OnceCell::new(),
            shut_down: OnceCell::new(),
            reach: RefCell::default(),
            reach_inverse: RefCell::default(),
            early_exit_guards: RefCell::default(),
            module_body: module,
            names_used: Default::default(),
            captured: Default::default(),
            type_checking_blocks: Default::default(),
            module_imports: Vec::new(),
            target_minor,
        },
        current: ScopeId::MODULE,
        current_stmt: None,
        in_type_checking: false,
    };
    for stmt in module {
        if matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
            builder.model.module_imports.push(stmt);
        }
    }
    builder.visit_body(module);
    let mut model = builder.model;
    move_nonlocal_bindings(&mut model);
    for scope in &mut model.scopes {
        for ids in scope.bindings.values_mut() {
            ids.sort_by_key(|&id| model.bindings[id.0 as usize].range.start());
        }
    }
    model.index_reach();
    index_nested_scopes(&mut model);
    resolve_references(&mut model);
    let mut names_used = rustc_hash::FxHashSet::default();
    names_used.extend(model.bindings.iter().map(|b| b.name));
    names_used.extend(model.references.iter().map(|r| r.name));
    model.names_used = names_used;
    order_attributes(&mut model);
    model
        .suspensions
        .sort_by_key(|s| (s.scope, s.range.start()));
    model
}

fn new_scope<'a>(kind: ScopeKind<'a>, parent: Option<ScopeId>, tc: bool) -> Scope<'a> {
    Scope {
        kind,
        parent,
        bindings: HashMap::default(),
        reach: HashMap::default(),
        declarations: HashMap::default(),
        annotations: HashMap::default(),
        nested: Vec::new(),
        nested_reach: Vec::new(),
        type_checking_only: tc,
    }
}

/// `nonlocal x` makes the scope's bindings of `x` bindings of the nearest
/// enclosing function that binds `x`. Without one (Python refuses to
/// compile that, the parser does not), the declaration is ignored: `x` stays
/// local, for its bindings and its loads alike, so a load always finds the
/// binding it reads.
fn move_nonlocal_bindings(model: &mut SemanticModel<'_>) {
    for index in 0..model.scopes.len() {
        let nonlocals: Vec<&str> = model.scopes[index]
            .declarations
            .iter()
            .filter(|(_, id)| matches!(model.bindings[id.0 as usize].kind, BindingKind::Nonlocal))
            .map(|(name, _)| *name)
            .collect();
        for name in nonlocals {
            let mut target = model.scopes[index].parent;
            while let Some(t) = target {
                let scope = &model.scopes[t.index()];
                if matches!(scope.kind, ScopeKind::Function(_)) && scope.bindings.contains_key(name)
                {
                    break;
                }
                target = scope.parent;
            }
            let Some(target) = target else {
                model.scopes[index].declarations.remove(name);
                continue;
            };
            let Some(moved) = model.scopes[index].bindings.remove(name) else {
                continue;
            };
            for &id in &moved {
                model.bindings[id.0 as usize].scope = target;
            }
            model.scopes[target.index()]
                .bindings
                .entry(name)
                .or_default()
                .extend(moved);
        }
    }
}

fn resolve_references(model: &mut SemanticModel<'_>) {
    for index in 0..model.references.len() {
        let reference = model.references[index];
        let binding = model.lookup(
            reference.name,
            reference.innermost_scope,
            reference.range.start(),
            true,
        );
        model.references[index].binding = binding;
        if let Some(binding) = binding {
            let binding = &mut model.bindings[binding.0 as usize];
            binding.references.push(ReferenceId(index as u32));
            if binding.scope != reference.scope {
                model.captured.insert((binding.scope, binding.name));
            }
        }
    }
    for binding in &mut model.bindings {
        binding.references.sort_by_key(|r| r.0);
    }
}

/// Sorts each scope's nested scopes by where their ranges start and records,
/// for each position, the furthest end so far: `scope_at` then
/// binary-searches a scope holding thousands of comprehensions.
fn index_nested_scopes(model: &mut SemanticModel<'_>) {
    for scope in &mut model.scopes {
        scope.nested.sort_by_key(|(range, _)| range.start());
        let mut reach = TextSize::default();
        scope.nested_reach = scope
            .nested
            .iter()
            .map(|(range, _)| {
                reach = reach.max(range.end());
                reach
            })
            .collect();
    }
}

/// `__init__`'s assignments first, then the other methods', then the class
/// body's.
fn order_attributes(model: &mut SemanticModel<'_>) {
    for attributes in model.attributes.values_mut() {
        for assignments in attributes.values_mut() {
            assignments.sort_by_key(|a| match a.method {
                Some(def) if def.name.id.as_str() == "__init__" => 0,
                Some(_) => 1,
                None => 2,
            });
        }
    }
}

struct Builder<'a> {
    model: SemanticModel<'a>,
    current: ScopeId,
    current_stmt: Option<StmtId>,
    in_type_checking: bool,
}

impl<'a> Builder<'a> {
    fn push_scope(&mut self, kind: ScopeKind<'a>, node_start: TextSize) -> ScopeId {
        let id = ScopeId(self.model.scopes.len() as u32);
        self.model
            .scopes
            .push(new_scope(kind, Some(self.current), self.in_type_checking));
        self.model.scope_by_node.entry(node_start).or_insert(id);
        self.current = id;
        id
    }

    fn pop_scope(&mut self) {
        self.current = self.model.scopes[self.current.index()]
            .parent
            .unwrap_or(ScopeId::MODULE);
    }

    fn add_binding(
        &mut self,
        name: &'a str,
        range: TextRange,
        scope: ScopeId,
        kind: BindingKind<'a>,
        annotation: Option<&'a Expr>,
    ) -> BindingId {
        let id = BindingId(self.model.bindings.len() as u32);
        self.model.bindings.push(Binding {
            name,
            range,
            scope,
            kind,
            annotation,
            stmt: self.current_stmt,
            references: Vec::new(),
        });
        id
    }

    fn bind_in(&mut self, scope: ScopeId, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        self.bind_annotated_in(scope, name, range, kind, None);
    }

    fn bind_annotated_in(
        &mut self,
        scope: ScopeId,
        name: &'a str,
        range: TextRange,
        kind: BindingKind<'a>,
        annotation: Option<&'a Expr>,
    ) {
        let is_global = self.model.scopes[scope.index()]
            .declarations
            .get(name)
            .is_some_and(|id| {
                matches!(self.model.bindings[id.0 as usize].kind, BindingKind::Global)
            });
        let scope = if is_global { ScopeId::MODULE } else { scope };
        let id = self.add_binding(name, range, scope, kind, annotation);
        self.model.scopes[scope.index()]
            .bindings
            .entry(name)
            .or_default()
            .push(id);
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        self.bind_in(self.current, name, range, kind);
    }

    /// Binds every name of a target (`x`, `a, *b`, `[a, (b, c)]`). `kind`
    /// applies to each; for an assignment, only a lone name keeps its value.
    fn bind_target(&mut self, target: &'a Expr, kind: BindingKind<'a>, scope: ScopeId) {
        match target {
            Expr::Name(name) => self.bind_in(scope, name.id.as_str(), name.range, kind),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let kind = match kind {
                    BindingKind::Assignment { .. } => BindingKind::Assignment { value: None },
                    other => other,
                };
                for elt in elts {
                    self.bind_target(elt, kind, scope);
                }
            }
            Expr::Starred(ast::ExprStarred { value, .. }) => {
                let kind = match kind {
                    BindingKind::Assignment { .. } => BindingKind::Assignment { value: None },
                    other => other,
                };
                self.bind_target(value, kind, scope);
            }
            _ => {}
        }
    }

    fn bind_parameters(&mut self, parameters: &'a Parameters) {
        for (position, parameter) in parameters.iter().enumerate() {
            let name = parameter.name();
            let kind = BindingKind::Parameter {
                parameter: parameter.as_parameter(),
                default: parameter.default(),
                variadic: parameter.is_variadic(),
                position: position as u32,
            };
            let annotation = parameter.annotation();
            self.bind_annotated_in(self.current, name.id.as_str(), name.range, kind, annotation);
        }
    }

    /// The scope whose frame the code being visited runs in (a
    /// comprehension runs in the scope around it).
    fn frame(&self) -> ScopeId {
        let mut frame = self.current;
        while matches!(
            self.model.scopes[frame.index()].kind,
            ScopeKind::Comprehension(_) | ScopeKind::TypeParams
        ) {
            frame = self.model.scopes[frame.index()]
                .parent
                .unwrap_or(ScopeId::MODULE);
        }
        frame
    }

    /// Records where the current frame can suspend (not in a block that
    /// never runs).
    fn push_suspension(&mut self, kind: SuspensionKind<'a>, range: TextRange) {
        if self.in_type_checking {
            return;
        }
        let frame = self.frame();
        self.model.suspensions.push(Suspension {
            kind,
            range,
            scope: frame,
        });
    }

    fn push_reference(&mut self, name: &'a str, range: TextRange) {
        let id = ReferenceId(self.model.references.len() as u32);
        let frame = self.frame();
        self.model.references.push(Reference {
            name,
            range,
            scope: frame,
            innermost_scope: self.current,
            binding: None,
            stmt: self.current_stmt,
        });
        self.model.reference_at.insert(range.start(), id);
    }

    /// The method whose first parameter `name` is (`self`, `cls`), with the
    /// class scope, when the current scope is such a method.
    fn self_of_method(&self, name: &str) -> Option<(ScopeId, &'a ast::StmtFunctionDef)> {
        let scope = &self.model.scopes[self.current.index()];
        let ScopeKind::Function(def) = scope.kind else {
            return None;
        };
        let parent = scope.parent?;
        if !matches!(self.model.scopes[parent.index()].kind, ScopeKind::Class(_)) {
            return None;
        }
        let is_static = def
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
        let first = def
            .parameters
            .posonlyargs
            .first()
            .or_else(|| def.parameters.args.first())?;
        (!is_static && first.parameter.name.id.as_str() == name).then_some((parent, def))
    }

    /// Records `self.x = value` in a method, and `x = value` / `x: T` in a
    /// class body, as attribute assignments of the class.
    fn record_attribute(
        &mut self,
        target: &'a Expr,
        value: Option<&'a Expr>,
        annotation: Option<&'a Expr>,
    ) {
        let (class_scope, attr, method) = match target {
            Expr::Attribute(ast::ExprAttribute {
                value: object,
                attr,
                ..
            }) => {
                let Expr::Name(object) = &**object else {
                    return;
                };
                let Some((class_scope, method)) = self.self_of_method(object.id.as_str()) else {
                    return;
                };
                (class_scope, attr.id.as_str(), Some(method))
            }
            Expr::Name(name)
                if matches!(
                    self.model.scopes[self.current.index()].kind,
                    ScopeKind::Class(_)
                ) =>
            {
                (self.current, name.id.as_str(), None)
            }
            _ => return,
        };
        let scope = self.current;
        self.model
            .attributes
            .entry(class_scope)
            .or_default()
            .entry(attr)
            .or_default()
            .push(AttributeAssignment {
                value,
                annotation,
                scope,
                method,
            });
    }

    fn visit_comprehension_expr(&mut self, expr: &'a Expr, generators: &'a [ast::Comprehension]) {
        let Some((first, _)) = generators.split_first() else {
            return;
        };
        // The first iterable is evaluated in the enclosing scope.
        self.visit_expr(&first.iter);
        let parent = self.current;
        let scope = self.push_scope(ScopeKind::Comprehension(expr), expr.start());
        let nested = &mut self.model.scopes[parent.index()].nested;
        nested.push((TextRange::new(expr.start(), first.iter.start()), scope));
        nested.push((TextRange::new(first.iter.end(), expr.end()), scope));
        for (i, generator) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&generator.iter);
            }
            self.bind_target(
                &generator.target,
                BindingKind::ComprehensionTarget {
                    iter: &generator.iter,
                },
                scope,
            );
            self.visit_expr(&generator.target);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        match expr {
            Expr::ListComp(c) => self.visit_expr(&c.elt),
            Expr::SetComp(c) => self.visit_expr(&c.elt),
            Expr::Generator(c) => self.visit_expr(&c.elt),
            Expr::DictComp(c) => {
                if let Some(key) = &c.key {
                    self.visit_expr(key);
                }
                self.visit_expr(&c.value);
            }
            _ => {}
        }
        self.pop_scope();
    }

    /// Opens a type-parameter scope for `def f[T]`, `class C[T]`, `type A[T]`.
    fn push_type_params(&mut self, params: Option<&'a ast::TypeParams>, node: TextRange) -> bool {
        let Some(params) = params else {
            return false;
        };
        let parent = self.current;
        let scope = self.push_scope(ScopeKind::TypeParams, params.start());
        self.model.scopes[parent.index()].nested.push((node, scope));
        for param in &params.type_params {
            let name = param.name();
            self.bind(name.id.as_str(), name.range, BindingKind::TypeParam);
        }
        for param in &params.type_params {
            visitor::walk_type_param(self, param);
        }
        true
    }

    fn statement_id(&self, stmt: &Stmt) -> Option<StmtId> {
        let index = stmt.node_index().load().as_u32()?;
        let id = StmtId::from_index(index);
        (id.index() < self.model.statements.len()).then_some(id)
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let id = self.statement_id(stmt);
        let outer_stmt = std::mem::replace(&mut self.current_stmt, id);
        self.visit_stmt_inner(stmt);
        self.current_stmt = outer_stmt;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => {
                if matches!(name.ctx, ExprContext::Load | ExprContext::Del) {
                    self.push_reference(name.id.as_str(), name.range);
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
                // PEP 572: a walrus in a comprehension binds in the scope
                // around it.
                let mut scope = self.current;
                while matches!(
                    self.model.scopes[scope.index()].kind,
                    ScopeKind::Comprehension(_)
                ) {
                    scope = self.model.scopes[scope.index()]
                        .parent
                        .unwrap_or(ScopeId::MODULE);
                }
                self.bind_target(
                    &named.target,
                    BindingKind::Walrus {
                        value: &named.value,
                    },
                    scope,
                );
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                if generators.iter().any(|g| g.is_async) {
                    self.push_suspension(SuspensionKind::AsyncComprehension(expr), expr.range());
                }
                self.visit_comprehension_expr(expr, generators);
            }
            Expr::Await(await_) => {
                self.push_suspension(SuspensionKind::Await(await_), expr.range());
                visitor::walk_expr(self, expr);
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
            }) => self.bind(name.id.as_str(), name.range, BindingKind::MatchCapture),
            ast::Pattern::MatchMapping(ast::PatternMatchMapping {
                rest: Some(name), ..
            }) => self.bind(name.id.as_str(), name.range, BindingKind::MatchCapture),
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }
}

impl<'a> Builder<'a> {
    fn visit_stmt_inner(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                // Defaults are evaluated where the `def` runs, annotations
                // (with PEP 695 parameters) in the type-parameter scope.
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
                let outer = self.current;
                let generic = self.push_type_params(def.type_params.as_deref(), def.range());
                for parameter in def.parameters.iter() {
                    if let Some(annotation) = parameter.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &def.returns {
                    self.visit_annotation(returns);
                }
                self.bind_in(
                    outer,
                    def.name.id.as_str(),
                    def.name.range,
                    BindingKind::FunctionDef(def),
                );
                self.push_scope(ScopeKind::Function(def), def.start());
                self.bind_parameters(&def.parameters);
                self.visit_body(&def.body);
                self.pop_scope();
                if generic {
                    self.pop_scope();
                }
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                let outer = self.current;
                let generic = self.push_type_params(class.type_params.as_deref(), class.range());
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.bind_in(
                    outer,
                    class.name.id.as_str(),
                    class.name.range,
                    BindingKind::ClassDef(class),
                );
                self.push_scope(ScopeKind::Class(class), class.start());
                self.visit_body(&class.body);
                self.pop_scope();
                if generic {
                    self.pop_scope();
                }
            }
            Stmt::TypeAlias(alias) => {
                self.bind_target(
                    &alias.name,
                    BindingKind::Assignment { value: None },
                    self.current,
                );
                let generic = self.push_type_params(alias.type_params.as_deref(), alias.range());
                self.visit_expr(&alias.value);
                if generic {
                    self.pop_scope();
                }
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
                if self
                    .model
                    .is_type_checking_guard(&if_stmt.test, self.current) =>
            {
                if let Some(id) = self.model.statement_id(stmt) {
                    self.model.type_checking_blocks.insert(id);
                }
                self.visit_expr(&if_stmt.test);
                let outer = std::mem::replace(&mut self.in_type_checking, true);
                self.visit_body(&if_stmt.body);
                self.in_type_checking = outer;
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_elif_else_clause(clause);
                }
            }
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                let kind = if matches!(stmt, Stmt::Global(_)) {
                    BindingKind::Global
                } else {
                    BindingKind::Nonlocal
                };
                for name in names {
                    let id =
                        self.add_binding(name.id.as_str(), name.range, self.current, kind, None);
                    self.model.scopes[self.current.index()]
                        .declarations
                        .insert(name.id.as_str(), id);
                }
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let value = (assign.targets.len() == 1).then_some(&*assign.value);
                for target in &assign.targets {
                    self.bind_target(target, BindingKind::Assignment { value }, self.current);
                    self.record_attribute(target, value, None);
                    self.visit_expr(target);
                }
            }
            Stmt::AnnAssign(assign) => {
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    if let Expr::Name(name) = &*assign.target {
                        self.bind_annotated_in(
                            self.current,
                            name.id.as_str(),
                            name.range,
                            BindingKind::Assignment { value: Some(value) },
                            Some(&assign.annotation),
                        );
                    }
                } else if let Expr::Name(name) = &*assign.target {
                    self.model.scopes[self.current.index()]
                        .annotations
                        .insert(name.id.as_str(), &assign.annotation);
                }
                self.record_attribute(
                    &assign.target,
                    assign.value.as_deref(),
                    Some(&assign.annotation),
                );
                self.visit_expr(&assign.target);
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                if let Expr::Name(name) = &*assign.target {
                    // `x += 1` reads `x` too.
                    self.push_reference(name.id.as_str(), name.range);
                }
                self.bind_target(
                    &assign.target,
                    BindingKind::AugmentedAssignment {
                        value: &assign.value,
                    },
                    self.current,
                );
                self.visit_expr(&assign.target);
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.visit_expr(target);
                    if let Expr::Name(name) = target {
                        self.bind(name.id.as_str(), name.range, BindingKind::Deletion);
                    }
                }
            }
            Stmt::For(for_stmt) => {
                if for_stmt.is_async {
                    self.push_suspension(SuspensionKind::AsyncFor(for_stmt), stmt.range());
                }
                self.visit_expr(&for_stmt.iter);
                self.bind_target(
                    &for_stmt.target,
                    BindingKind::LoopVar {
                        iter: &for_stmt.iter,
                        is_async: for_stmt.is_async,
                    },
                    self.current,
                );
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::With(with) => {
                if with.is_async {
                    self.push_suspension(SuspensionKind::AsyncWith(with), stmt.range());
                }
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        self.bind_target(
                            vars,
                            BindingKind::WithItem {
                                context_expr: &item.context_expr,
                                is_async: with.is_async,
                            },
                            self.current,
                        );
                        self.visit_expr(vars);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(type_) = &h.type_ {
                        self.visit_expr(type_);
                    }
                    if let Some(name) = &h.name {
                        self.bind(
                            name.id.as_str(),
                            name.range,
                            BindingKind::ExceptHandler {
                                type_: h.type_.as_deref(),
                            },
                        );
                    }
                    self.visit_body(&h.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}
