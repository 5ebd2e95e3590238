//! Everything a rule may look at for one module. The helpers for building
//! fixes (adding imports, choosing names, indentation) are the fix toolbox,
//! [`crate::fix::Fixer`] (`checker.fixer()`).

use std::path::Path;

use ruff_python_ast::{ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

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
}

impl<'a> Checker<'a> {
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
        }
    }

    pub fn body(&self) -> &'a [Stmt] {
        &self.parsed.syntax().body
    }

    /// The source text of a node or range.
    pub fn text<T: Ranged>(&self, node: T) -> &'a str {
        &self.source[node.range()]
    }
}
