//! Everything a rule may look at for one module. The helpers for building
//! fixes (adding imports, choosing names, indentation) are the fix toolbox,
//! [`crate::fix::Fixer`] (`checker.fixer()`).

use std::path::Path;

use ruff_python_ast::{ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange};

use crate::config::settings::Settings;
use crate::semantic::SemanticModel;

pub struct Checker<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub parsed: &'a Parsed<ModModule>,
    pub semantic: SemanticModel<'a>,
    pub stylist: Stylist<'a>,
    pub lines: &'a LineIndex,
    pub settings: &'a Settings,
    /// Facts computed once per module or function, however many findings
    /// ask (see [`Checker::memo`]).
    memo: std::cell::RefCell<Memo>,
}

/// Facts by what they are and where (see [`Checker::memo`]).
type Memo = rustc_hash::FxHashMap<(&'static str, TextRange), std::rc::Rc<dyn std::any::Any>>;

impl<'a> Checker<'a> {
    /// Whether this module is part of, or imports from, the Python package
    /// `package` (`homeassistant`): its path has a folder of that name, or
    /// a module-level import names the package or one of its submodules.
    /// Framework idioms in fixes are offered only where this holds.
    pub fn belongs_to_package(&self, package: &str) -> bool {
        let names_package = |module: &str| {
            module == package
                || module
                    .strip_prefix(package)
                    .is_some_and(|rest| rest.starts_with('.'))
        };
        self.path.components().any(|c| c.as_os_str() == package)
            || self.semantic.module_imports.iter().any(|stmt| match stmt {
                Stmt::ImportFrom(i) => i.module.as_ref().is_some_and(|m| names_package(m.as_str())),
                Stmt::Import(i) => i.names.iter().any(|a| names_package(a.name.as_str())),
                _ => false,
            })
    }

    pub fn new(
        path: &'a Path,
        source: &'a str,
        parsed: &'a Parsed<ModModule>,
        lines: &'a LineIndex,
        settings: &'a Settings,
    ) -> Self {
        Checker {
            path,
            source,
            parsed,
            semantic: SemanticModel::build_for(
                &parsed.syntax().body,
                settings.target_version.minor,
            ),
            stylist: Stylist::from_tokens(parsed.tokens(), source),
            lines,
            settings,
            memo: std::cell::RefCell::new(rustc_hash::FxHashMap::default()),
        }
    }

    /// `compute()`, once per module for each `what` and `at` (a function's
    /// range, say): what a fix needs to know about a whole function or
    /// module is the same for every finding in it, and computing it again
    /// for each finding makes a module with thousands of findings quadratic.
    pub fn memo<T: 'static>(
        &self,
        what: &'static str,
        at: TextRange,
        compute: impl FnOnce() -> T,
    ) -> std::rc::Rc<T> {
        let known = self.memo.borrow().get(&(what, at)).cloned();
        if let Some(value) = known.and_then(|v| v.downcast::<T>().ok()) {
            return value;
        }
        // Not borrowed while computing: `compute` may ask for other facts.
        let value = std::rc::Rc::new(compute());
        self.memo
            .borrow_mut()
            .insert((what, at), value.clone() as std::rc::Rc<dyn std::any::Any>);
        value
    }

    pub fn body(&self) -> &'a [Stmt] {
        &self.parsed.syntax().body
    }

    /// The source text of a node or range.
    pub fn text<T: Ranged>(&self, node: T) -> &'a str {
        &self.source[node.range()]
    }
}
