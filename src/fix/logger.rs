//! The module's own logger, for code a fix inserts that logs.

use ruff_python_ast::{Expr, Stmt};

use super::Fixer;
use crate::semantic::ScopeId;
use crate::semantic::names::QualifiedNameExt;

/// The names modules usually give their logger, most usual first: when a
/// module binds several loggers, a fix uses the first of these.
const CONVENTIONAL: &[&str] = &[
    "_LOGGER", "logger", "LOGGER", "log", "_log", "_logger", "LOG",
];

impl Fixer<'_, '_> {
    /// The name of the module's logger: a module-level name bound once, by
    /// `name = logging.getLogger(...)` (or `getLogger` imported from
    /// `logging`), before any function could run. A conventional name wins
    /// over others when there are several.
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
            let is_get_logger = semantic
                .resolve_qualified_name(&call.func, ScopeId::MODULE)
                .is_some_and(|q| q.is("logging.getLogger"));
            let bound_once = semantic
                .bindings_in_scope(name.id.as_str(), ScopeId::MODULE)
                .count()
                == 1;
            if is_get_logger && bound_once {
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
        assert_eq!(
            logger("import structlog\nlogger = structlog.get_logger()\n"),
            None
        );
    }
}
