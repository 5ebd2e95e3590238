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
        let checker = self.checker;
        let tokens = checker.parsed.tokens().in_range(range);
        std::iter::once(base.to_string())
            .chain((1..).map(|i| format!("{base}_{i}")))
            .find(|candidate| {
                !also_taken(candidate)
                    && !tokens.iter().any(|t| {
                        t.kind() == TokenKind::Name && &checker.source[t.range()] == candidate
                    })
            })
            .expect("an unused name exists")
    }
}
