//! Facts about functions of the module: what a call resolves to (the
//! same-module call graph, including `self.method()` and `cls.method()`),
//! and what a function returns.
//!
//! Small on purpose: the redesigned model (branch `model`) is meant to
//! replace these with its own call graph and return facts.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::scope_walk::{ScopeVisitor, walk_scope};
use super::{BindingKind, ScopeId, ScopeKind, SemanticModel};

impl<'a> SemanticModel<'a> {
    /// The function of this module a call runs, when it can be told from the
    /// code: `helper()` for a `def helper` in scope, and `self.method()` /
    /// `cls.method()` inside a method, for a method of the same class.
    pub fn called_function(
        &self,
        call: &'a ast::ExprCall,
        scope: ScopeId,
    ) -> Option<&'a ast::StmtFunctionDef> {
        match &*call.func {
            Expr::Name(name) => {
                match self
                    .resolve_name(name.id.as_str(), scope, name.start())?
                    .kind
                {
                    BindingKind::FunctionDef(def) => Some(def),
                    _ => None,
                }
            }
            Expr::Attribute(attr) => {
                let Expr::Name(receiver) = &*attr.value else {
                    return None;
                };
                let class = self.enclosing_class_of_method(scope, receiver.id.as_str())?;
                class_method(class, attr.attr.id.as_str())
            }
            _ => None,
        }
    }

    /// The class whose method `scope` is, when `receiver` is that method's
    /// first parameter (`self` or `cls` by convention) or the class's own
    /// name.
    pub fn enclosing_class_of_method(
        &self,
        scope: ScopeId,
        receiver: &str,
    ) -> Option<&'a ast::StmtClassDef> {
        let ScopeKind::Function(def) = self.scope(scope).kind else {
            return None;
        };
        let parent = self.scope(scope).parent?;
        let ScopeKind::Class(class) = self.scope(parent).kind else {
            return None;
        };
        let first = def
            .parameters
            .posonlyargs
            .iter()
            .chain(&def.parameters.args)
            .next()
            .map(|p| p.parameter.name.id.as_str());
        let is_static = def
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
        ((!is_static && first == Some(receiver)) || class.name.id.as_str() == receiver)
            .then_some(class)
    }

    /// The values a function returns: the expression of every `return` in
    /// its own body (not in nested functions or lambdas), and `None` for
    /// each bare `return`. Whether the function can also fall off its end
    /// is not judged here.
    pub fn return_values(&self, def: &'a ast::StmtFunctionDef) -> Vec<Option<&'a Expr>> {
        struct Returns<'a>(Vec<Option<&'a Expr>>);
        impl<'a> ScopeVisitor<'a> for Returns<'a> {
            fn stmt(&mut self, stmt: &'a Stmt) {
                if let Stmt::Return(ret) = stmt {
                    self.0.push(ret.value.as_deref());
                }
            }
        }
        let mut returns = Returns(Vec::new());
        walk_scope(&def.body, &mut returns);
        returns.0
    }
}

/// The method `name` defined directly in a class body.
pub fn class_method<'a>(
    class: &'a ast::StmtClassDef,
    name: &str,
) -> Option<&'a ast::StmtFunctionDef> {
    class.body.iter().rev().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.id.as_str() == name => Some(def),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_python_parser::parse_module;

    use crate::semantic::SemanticModel;

    const SOURCE: &str = r#"
def make():
    if cond:
        return None
    def inner():
        return 3
    return build()

class Pool:
    def get(self):
        return self.make()

    def make(self):
        return

    @staticmethod
    def static(self):
        return self.make()
"#;

    fn first_return_call<'a>(model: &SemanticModel<'a>, def_name: &str) -> Option<String> {
        let (scope, def) = model
            .functions()
            .find(|(_, d)| d.name.id.as_str() == def_name)?;
        let Some(Some(Expr::Call(call))) = model.return_values(def).into_iter().next() else {
            return None;
        };
        model
            .called_function(call, scope)
            .map(|d| d.name.id.to_string())
    }

    #[test]
    fn return_values_stay_in_the_function() {
        let parsed = parse_module(SOURCE).unwrap();
        let model = SemanticModel::build(&parsed.syntax().body);
        let Stmt::FunctionDef(make) = &parsed.syntax().body[0] else {
            panic!()
        };
        let values = model.return_values(make);
        assert_eq!(values.len(), 2, "the nested function's return is not one");
        assert!(matches!(values[0], Some(Expr::NoneLiteral(_))));
        assert!(matches!(values[1], Some(Expr::Call(_))));

        let (_, pool_make) = model
            .functions()
            .find(|(_, d)| d.name.id.as_str() == "make" && d.parameters.args.len() == 1)
            .unwrap();
        assert_eq!(model.return_values(pool_make), vec![None]);
    }

    #[test]
    fn self_calls_resolve_to_methods_of_the_class() {
        let parsed = parse_module(SOURCE).unwrap();
        let model = SemanticModel::build(&parsed.syntax().body);
        assert_eq!(first_return_call(&model, "get").as_deref(), Some("make"));
        // `build` is not defined in the module.
        assert_eq!(first_return_call(&model, "make"), None);
        // In a static method `self` is an ordinary parameter.
        assert_eq!(first_return_call(&model, "static"), None);
    }
}
