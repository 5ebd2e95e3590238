//! Walking the code that runs in one scope.
//!
//! Rules look at one function (or the module) at a time.
//! [`SemanticModel::walk_scope`] visits
//! every statement and expression that executes in that scope's own frame:
//! the bodies of nested functions, classes and lambdas are skipped (they run
//! elsewhere, whenever they are called), while their decorators, default
//! values and base classes, which are evaluated here, are visited. Blocks
//! under `if TYPE_CHECKING:` never run and are skipped too.
//!
//! It skips the blocks the model's `TYPE_CHECKING` policy recognises (the
//! name resolved to `typing.TYPE_CHECKING` and the like).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::SemanticModel;

/// Hooks called for each node of a scope, before its children.
pub trait ScopeVisitor<'a> {
    fn stmt(&mut self, _stmt: &'a Stmt) {}
    fn expr(&mut self, _expr: &'a Expr) {}
}

impl<'a> SemanticModel<'a> {
    /// Visits every statement and expression that runs in the frame of the
    /// scope whose body is `body` (see the module documentation): nested
    /// functions, classes and lambdas are skipped but for what is evaluated
    /// where they are defined, and so are the bodies of `if TYPE_CHECKING:`
    /// blocks by the model's policy
    /// ([`SemanticModel::is_type_checking_block`]).
    pub fn walk_scope<V: ScopeVisitor<'a>>(&self, body: &'a [Stmt], hooks: &mut V) {
        let mut walker = Walker { hooks, model: self };
        walker.visit_body(body);
    }

    /// [`SemanticModel::walk_scope`] for a single expression (a call's
    /// arguments): lambdas' bodies are skipped.
    pub fn walk_scope_expr<V: ScopeVisitor<'a>>(&self, expr: &'a Expr, hooks: &mut V) {
        let mut walker = Walker { hooks, model: self };
        walker.visit_expr(expr);
    }
}

struct Walker<'h, 'm, 'a, V> {
    hooks: &'h mut V,
    /// The model whose `TYPE_CHECKING` policy applies.
    model: &'m SemanticModel<'a>,
}

impl<'a, V: ScopeVisitor<'a>> Visitor<'a> for Walker<'_, '_, '_, V> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.hooks.stmt(stmt);
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
            }
            Stmt::If(ast::StmtIf {
                elif_else_clauses, ..
            }) if self.model.is_type_checking_block(stmt) => {
                for clause in elif_else_clauses {
                    self.visit_body(&clause.body);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.hooks.expr(expr);
        match expr {
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Calls `f` on every statement of `body`, nested blocks included, nested
/// functions and classes not.
pub fn each_statement<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Stmt)) {
    use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
    struct Each<'f, 'a> {
        f: &'f mut dyn FnMut(&'a Stmt),
    }
    impl<'a> StatementVisitor<'a> for Each<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            (self.f)(stmt);
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                walk_stmt(self, stmt);
            }
        }
    }
    Each { f }.visit_body(body);
}
