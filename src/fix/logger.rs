//! The module's own logger, for code a fix inserts that logs.

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::Fixer;
use crate::semantic::ScopeId;
use crate::semantic::names::QualifiedNameExt;

/// The names modules usually give their logger, most usual first: when a
/// module binds several loggers, a fix uses the first of these.
const CONVENTIONAL: &[&str] = &[
    "_LOGGER", "logger", "LOGGER", "log", "_log", "_logger", "LOG",
];

impl Fixer<'_, '_> {
    /// The name of the module's logger: a module-level name bound once,
    /// before any function could run, by `name = logging.getLogger(...)`
    /// (or `getLogger` imported from `logging`), or by a call of any other
    /// function whose name ends in `get_logger` or `getLogger` (a library's
    /// or the project's own helper: `log = get_logger(__name__)`,
    /// `logger = structlog.get_logger()`) given `__name__` or nothing. A
    /// conventional name wins over others when there are several.
    pub fn module_logger(&self) -> Option<String> {
        let semantic = &self.checker.semantic;
        let mut found: Vec<&str> = Vec::new();
        for stmt in self.checker.body() {
            let (target, value) = match stmt {
                Stmt::Assign(assign) if assign.targets.len() == 1 => {
                    (&assign.targets[0], &*assign.value)
                }
                Stmt::AnnAssign(assign) => match &assign.value {
                    Some(value) => (&*assign.target, &**value),
                    None => continue,
                },
                _ => continue,
            };
            let (Expr::Name(name), Expr::Call(call)) = (target, value) else {
                continue;
            };
            let is_logging = semantic
                .resolve_qualified_name(&call.func, ScopeId::MODULE)
                .is_some_and(|q| q.is("logging.getLogger"));
            let bound_once = semantic
                .bindings_in_scope(name.id.as_str(), ScopeId::MODULE)
                .count()
                == 1;
            if (is_logging || is_logger_factory_call(call)) && bound_once {
                found.push(name.id.as_str());
            }
        }
        let conventional = CONVENTIONAL
            .iter()
            .find(|c| found.contains(c))
            .map(|c| (*c).to_string());
        conventional.or_else(|| found.first().map(|n| (*n).to_string()))
    }
}

/// The attribute names an instance keeps its logger in.
impl Fixer<'_, '_> {
    /// The name the module binds loguru's logger to
    /// (`from loguru import logger`), when it logs through loguru: a stdlib
    /// logger there reaches none of the project's sinks. Log with
    /// `logger.opt(exception=exc).error(...)`.
    pub fn loguru_logger(&self) -> Option<String> {
        let semantic = &self.checker.semantic;
        semantic
            .scope_bindings(ScopeId::MODULE)
            .into_iter()
            .map(|id| semantic.binding(id))
            .find(|b| {
                matches!(
                    b.kind,
                    crate::semantic::BindingKind::FromImport {
                        module: "loguru",
                        member: "logger"
                    }
                ) && semantic.bindings_in_scope(b.name, ScopeId::MODULE).count() == 1
            })
            .map(|b| b.name.to_string())
    }
}

const INSTANCE: &[&str] = &["logger", "_logger", "log", "_log"];

impl Fixer<'_, '_> {
    /// The logger of the instance that the method holding `at` runs on:
    /// `self.logger` (or `self._logger`, `self.log`, `self._log`) when a
    /// method of the class assigns that attribute, and only loggers: a
    /// `logging.getLogger(...)` or logger-factory call (as for
    /// [`Fixer::module_logger`]), or the method's parameter of the same
    /// name (an injected logger: `self.logger = logger`). Code in a method
    /// logs where the rest of the class does, not to the module's logger.
    pub fn instance_logger(&self, at: &Stmt) -> Option<String> {
        let semantic = &self.checker.semantic;
        let def = semantic.enclosing_function(semantic.statement_id(at)?)?;
        let class_method = def
            .decorator_list
            .iter()
            .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "classmethod"));
        if class_method {
            return None;
        }
        let receiver = crate::semantic::instance_state::receiver_of(def)?;
        let def_id = semantic.statement_at(def.start())?;
        if !semantic
            .statement(def_id)
            .as_function_def_stmt()
            .is_some_and(|d| std::ptr::eq(d, def))
        {
            return None;
        }
        let class = semantic.enclosing_class(def_id)?;
        INSTANCE
            .iter()
            .find(|attribute| self.holds_only_loggers(class, attribute))
            .map(|attribute| format!("{receiver}.{attribute}"))
    }

    /// Whether methods of `class` assign `receiver.attribute` and only
    /// loggers to it.
    fn holds_only_loggers(&self, class: &ruff_python_ast::StmtClassDef, attribute: &str) -> bool {
        let semantic = &self.checker.semantic;
        let mut loggers = 0;
        let mut others = 0;
        for stmt in &class.body {
            let Stmt::FunctionDef(method) = stmt else {
                continue;
            };
            let Some(receiver) = crate::semantic::instance_state::receiver_of(method) else {
                continue;
            };
            crate::semantic::scope_walk::each_statement(&method.body, &mut |s| {
                let (targets, value, annotation): (Vec<&Expr>, &Expr, Option<&Expr>) = match s {
                    Stmt::Assign(assign) => (assign.targets.iter().collect(), &*assign.value, None),
                    Stmt::AnnAssign(assign) => match &assign.value {
                        Some(value) => (vec![&*assign.target], &**value, Some(&*assign.annotation)),
                        None => return,
                    },
                    _ => return,
                };
                let assigns = targets.iter().any(|t| {
                    matches!(t, Expr::Attribute(a) if a.attr.as_str() == attribute
                        && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == receiver))
                });
                if !assigns {
                    return;
                }
                // Only what is surely a `logging.Logger` (its `error` takes
                // `exc_info`, and it is never `None`): a `logging.getLogger`
                // call, a value annotated `logging.Logger`, or a parameter
                // so annotated without a `None` default. A project's own
                // logger class, or an `Optional` one, is not.
                let is_std_logger = |annotation: &Expr| {
                    semantic
                        .resolve_qualified_name(annotation, ScopeId::MODULE)
                        .is_some_and(|q| q.is("logging.Logger"))
                };
                let is_logger = annotation.is_some_and(is_std_logger)
                    || match value {
                        Expr::Call(call) => semantic
                            .resolve_qualified_name(&call.func, ScopeId::MODULE)
                            .is_some_and(|q| q.is("logging.getLogger")),
                        Expr::Name(name) => method.parameters.iter_non_variadic_params().any(|p| {
                            p.parameter.name.id == name.id
                                && p.parameter.annotation.as_deref().is_some_and(is_std_logger)
                                && !p.default.as_deref().is_some_and(Expr::is_none_literal_expr)
                        }),
                        _ => false,
                    };
                if is_logger {
                    loggers += 1;
                } else {
                    others += 1;
                }
            });
        }
        loggers > 0 && others == 0
    }
}

/// `get_logger(__name__)`, `x.getLogger()`...: a call of a function named
/// like a logger factory, for this module (`__name__`) or with no argument.
fn is_logger_factory_call(call: &ExprCall) -> bool {
    let function = match &*call.func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return false,
    };
    if !(function.ends_with("get_logger") || function.ends_with("getLogger")) {
        return false;
    }
    let arguments = &call.arguments;
    if !arguments.keywords.is_empty() {
        return false;
    }
    match &*arguments.args {
        [] => true,
        [Expr::Name(name)] => name.id.as_str() == "__name__",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ruff_python_parser::parse_module;
    use ruff_source_file::LineIndex;

    use crate::checker::Checker;
    use crate::config::settings::Settings;

    fn logger(source: &str) -> Option<String> {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let settings = Settings::default();
        let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
        checker.fixer().module_logger()
    }

    #[test]
    fn finds_the_module_logger() {
        assert_eq!(
            logger("import logging\n_LOGGER = logging.getLogger(__name__)\n").as_deref(),
            Some("_LOGGER")
        );
        assert_eq!(
            logger("from logging import getLogger\nlog: Logger = getLogger('x')\n").as_deref(),
            Some("log")
        );
        assert_eq!(
            logger("import logging\naudit = logging.getLogger('a')\nlogger = logging.getLogger(__name__)\n")
                .as_deref(),
            Some("logger")
        );
        // Rebound, or not a logging logger.
        assert_eq!(
            logger("import logging\nlogger = logging.getLogger()\nlogger = None\n"),
            None
        );
        // A logger factory other than `logging`'s, for this module.
        assert_eq!(
            logger("import structlog\nlogger = structlog.get_logger()\n").as_deref(),
            Some("logger")
        );
        assert_eq!(
            logger("from .log import get_logger\nlog = get_logger(__name__)\n").as_deref(),
            Some("log")
        );
        assert_eq!(
            logger("from .tools import make_getLogger\n_log = make_getLogger(__name__)\n")
                .as_deref(),
            Some("_log")
        );
        // Not for this module, or not a logger factory.
        assert_eq!(
            logger("from .log import get_logger\nlog = get_logger('audit')\n"),
            None
        );
        assert_eq!(
            logger("from .log import get_logger\nlog = get_logger(__name__, level=1)\n"),
            None
        );
        assert_eq!(logger("logger = get_loggers(__name__)\n"), None);
    }
}
