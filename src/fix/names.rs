//! Choosing names for what a fix introduces (a helper, a variable) that
//! clash with nothing already in the module or function.

use ruff_python_ast::token::TokenKind;
use ruff_text_size::{Ranged, TextRange};

use super::Fixer;

impl Fixer<'_, '_> {
    /// A module-level name not used anywhere in the module: `base`, or
    /// `base_1`, `base_2`...
    pub fn unused_module_name(&self, base: &str) -> String {
        let semantic = &self.checker.semantic;
        if !semantic.is_name_used(base) {
            return base.to_string();
        }
        (1..)
            .map(|i| format!("{base}_{i}"))
            .find(|candidate| !semantic.is_name_used(candidate))
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
        self.unused_name_from(base, 0, range, also_taken).0
    }

    /// [`Fixer::unused_name_in`] trying `base_{first}`, `base_{first+1}`...
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
        let checker = self.checker;
        // The names spelled in `range`, collected once per range: every
        // finding in a function asks, and scanning the tokens each time made
        // functions with thousands of findings quadratic.
        let spelled = checker.memo("names-spelled-in", range, || {
            checker
                .parsed
                .tokens()
                .in_range(range)
                .iter()
                .filter(|t| t.kind() == TokenKind::Name)
                .map(|t| checker.source[t.range()].to_string())
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
}
