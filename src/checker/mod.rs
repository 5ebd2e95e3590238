//! Everything a rule may look at for one module, and the helpers rules share
//! for building fixes (adding imports, reading indentation, choosing names).

use std::path::Path;

use ruff_diagnostics::Edit;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_importer::Insertion;
use ruff_python_parser::Parsed;
use ruff_source_file::{LineIndex, LineRanges};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::config::settings::Settings;
use crate::semantic::{BindingKind, ScopeId, SemanticModel};

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
            semantic: SemanticModel::build(&parsed.syntax().body),
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

    /// The file's line ending (`\n` or `\r\n`).
    pub fn line_ending(&self) -> &'static str {
        self.stylist.line_ending().as_str()
    }

    /// One level of the file's indentation (four spaces, a tab...).
    pub fn indent_unit(&self) -> &str {
        // The stylist takes the text of the first indent token, which spans
        // a backslash continuation when the first indented line is one
        // (`    \\\n    x`): keep its leading blanks only.
        let unit = self.stylist.indentation().as_str();
        let blanks = unit.len() - unit.trim_start_matches([' ', '\t']).len();
        if blanks == 0 { "    " } else { &unit[..blanks] }
    }

    /// The whitespace before the first token on the line containing `offset`.
    pub fn line_indentation(&self, offset: TextSize) -> &'a str {
        let start = self.source.line_start(offset);
        let line = &self.source[TextRange::new(start, self.source.line_end(offset))];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }

    /// Whether `stmt` is alone on its lines (no `;` neighbours), so it can be
    /// replaced or wrapped as whole lines.
    pub fn is_own_lines(&self, stmt: &Stmt) -> bool {
        let before =
            &self.source[TextRange::new(self.source.line_start(stmt.start()), stmt.start())];
        let after = &self.source[TextRange::new(stmt.end(), self.source.line_end(stmt.end()))];
        before.trim().is_empty()
            && (after.trim().is_empty() || after.trim_start().starts_with('#'))
            && self.starts_logical_line(stmt.start())
    }

    /// Whether the token at `offset` starts a logical line. It may not, with
    /// nothing but blanks before it on its physical line: `def f():\` or
    /// `x = 1; \` continue onto it.
    fn starts_logical_line(&self, offset: TextSize) -> bool {
        let previous = self
            .parsed
            .tokens()
            .before(offset)
            .iter()
            .rev()
            .find(|t| !matches!(t.kind(), TokenKind::Comment | TokenKind::NonLogicalNewline));
        // An indent token spans a blank line continued with a backslash
        // (`    \\\n    x`): the statement's logical line starts earlier.
        previous.is_none_or(|t| {
            matches!(
                t.kind(),
                TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
            ) && !self.source[TextRange::new(t.start(), offset)].contains('\\')
        })
    }

    /// The name under which `module` is imported at module level
    /// (`import asyncio` or `import asyncio as aio`), and an edit adding
    /// `import module` when it is not imported yet. The import goes after the
    /// module docstring, `__future__` imports and the existing imports.
    pub fn import_module(&self, module: &str) -> (String, Option<Edit>) {
        for stmt in &self.semantic.module_imports {
            if let Stmt::Import(import) = stmt {
                for alias in &import.names {
                    if alias.name.id.as_str() == module {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        // Only reuse it if the module scope still binds it to the module.
                        let binding = self
                            .semantic
                            .bindings_in_scope(bound.id.as_str(), ScopeId::MODULE)
                            .last();
                        if binding.is_some_and(|b| {
                            matches!(b.kind, BindingKind::Import { qualified } if qualified == module)
                        }) {
                            return (bound.id.to_string(), None);
                        }
                    }
                }
            }
        }
        let statement = format!("import {module}");
        (
            module.to_string(),
            Some(self.insert_after_imports(&statement)),
        )
    }

    /// A module-level name not used anywhere in the module: `base`, or
    /// `base_1`, `base_2`...
    pub fn unused_module_name(&self, base: &str) -> String {
        if !self.semantic.is_name_used(base) {
            return base.to_string();
        }
        (1..)
            .map(|i| format!("{base}_{i}"))
            .find(|candidate| !self.semantic.is_name_used(candidate))
            .expect("an unused name exists")
    }

    /// A name for a fix to introduce inside `range` (a function): `base`,
    /// or `base_1`, `base_2`..., the first that no name token in `range`
    /// spells and that `also_taken` does not reject.
    pub fn unused_name_in(
        &self,
        base: &str,
        range: TextRange,
        also_taken: impl Fn(&str) -> bool,
    ) -> String {
        // The names spelled in `range`, collected once per range: every
        // finding in a function asks, and scanning the tokens each time made
        // functions with thousands of findings quadratic.
        let spelled = self.memo("names-spelled-in", range, || {
            self.parsed
                .tokens()
                .in_range(range)
                .iter()
                .filter(|t| t.kind() == ruff_python_ast::token::TokenKind::Name)
                .map(|t| self.source[t.range()].to_string())
                .collect::<rustc_hash::FxHashSet<String>>()
        });
        std::iter::once(base.to_string())
            .chain((1..).map(|i| format!("{base}_{i}")))
            .find(|candidate| !also_taken(candidate) && !spelled.contains(candidate))
            .expect("an unused name exists")
    }

    /// [`Checker::unused_name_in`] trying `base_{first}`, `base_{first+1}`...
    /// first (`base` itself when `first` is 0), and the suffix chosen: a fix
    /// naming many things with one base (one per finding in a function)
    /// goes on from its last suffix instead of trying every name again.
    pub fn unused_name_from(
        &self,
        base: &str,
        first: usize,
        range: TextRange,
        also_taken: impl Fn(&str) -> bool,
    ) -> (String, usize) {
        let spelled = self.memo("names-spelled-in", range, || {
            self.parsed
                .tokens()
                .in_range(range)
                .iter()
                .filter(|t| t.kind() == ruff_python_ast::token::TokenKind::Name)
                .map(|t| self.source[t.range()].to_string())
                .collect::<rustc_hash::FxHashSet<String>>()
        });
        (first..)
            .map(|i| {
                let name = if i == 0 {
                    base.to_string()
                } else {
                    format!("{base}_{i}")
                };
                (name, i)
            })
            .find(|(candidate, _)| !also_taken(candidate) && !spelled.contains(candidate))
            .expect("an unused name exists")
    }

    /// Where a new module-level definition goes: after the imports (and the
    /// module docstring), as an edit that inserts `code` there followed by
    /// blank lines.
    ///
    /// The code always goes on lines of its own: after `import a; x = 1` (or
    /// an import continued with a backslash), on the line after that logical
    /// line, never inline (multi-line code there would not parse).
    pub fn insert_after_imports(&self, code: &str) -> Edit {
        let insertion = match self.semantic.module_imports.last() {
            Some(last) => Insertion::end_of_statement(last, self.source, &self.stylist),
            None => Insertion::start_of_file(self.body(), self.source, &self.stylist, None),
        };
        let Some(last) = self
            .semantic
            .module_imports
            .last()
            .filter(|_| insertion.is_inline())
        else {
            return insertion.into_edit(code);
        };
        // The end of the logical line the import is on.
        let end = self
            .parsed
            .tokens()
            .after(last.end())
            .iter()
            .find(|t| t.kind() == TokenKind::Newline)
            .map_or(TextSize::of(self.source), Ranged::end);
        let prefix = if self.source[..end.to_usize()].ends_with(['\n', '\r']) {
            ""
        } else {
            "\n"
        };
        Edit::insertion(format!("{prefix}{code}\n"), end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn indent_unit_of(source: &str) -> String {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let settings = Settings::default();
        let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
        checker.indent_unit().to_string()
    }

    fn after_imports(source: &str, code: &str) -> String {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let settings = Settings::default();
        let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
        let edit = checker.insert_after_imports(code);
        let at = edit.start().to_usize();
        format!(
            "{}{}{}",
            &source[..at],
            edit.content().unwrap(),
            &source[at..]
        )
    }

    #[test]
    fn code_after_imports_goes_on_its_own_lines() {
        // Found by fuzzing: an import followed by `;` and more statements.
        assert_eq!(
            after_imports("import a; x = [\n    1,\n]\ny = 2\n", "def f():\n    pass"),
            "import a; x = [\n    1,\n]\ndef f():\n    pass\ny = 2\n"
        );
        assert_eq!(
            after_imports("import a; x = 1", "z = 3"),
            "import a; x = 1\nz = 3\n"
        );
        assert_eq!(
            after_imports("import a\ny = 2\n", "z = 3"),
            "import a\nz = 3\ny = 2\n"
        );
    }

    #[test]
    fn a_statement_continuing_a_header_is_not_on_its_own_lines() {
        let own = |source: &str| {
            let parsed = parse_module(source).unwrap();
            let lines = LineIndex::from_source_text(source);
            let settings = Settings::default();
            let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
            let Stmt::FunctionDef(def) = &checker.body()[0] else {
                panic!("a def first")
            };
            checker.is_own_lines(&def.body[0])
        };
        assert!(own("def f():\n    # note\n\n    x = 1\n"));
        // Found by fuzzing: CS005 rewrote such a statement onto several
        // lines again and again (the new lines fell outside the def).
        assert!(!own("def f():\\\n    x = 1\n"));
        assert!(!own("def f(): x = 1\n"));
        assert!(!own("def f():\n     \\\n    x = 1\n"));
    }

    #[test]
    fn indent_unit_is_blanks_only() {
        assert_eq!(indent_unit_of("def f():\n\tpass\n"), "\t");
        assert_eq!(indent_unit_of("def f():\n  pass\n"), "  ");
        // Found by fuzzing: the first indented line continues with a
        // backslash, and the indent token spans the continuation.
        assert_eq!(indent_unit_of("def f():\n    \\\n    print(1)\n"), "    ");
        assert_eq!(indent_unit_of("x = 1\n"), "    ");
    }
}
