//! Choosing names for what a fix introduces (a helper, a variable) that
//! clash with nothing already in the module or function.

use ruff_python_ast::token::TokenKind;
use ruff_text_size::{Ranged, TextRange};

use super::Fixer;
use crate::semantic::ScopeId;

/// The names fixes have chosen in one function (its outermost enclosing
/// function, so nested ones share it): several fixes there, applied in one
/// pass, must not introduce the same name twice. Build one per function and
/// ask [`Fixer::fresh_name`].
pub struct FreshNames {
    range: TextRange,
    // Performance (issue 19): a set, not a list scanned for every candidate
    // name (a function with thousands of fixes was cubic).
    chosen: rustc_hash::FxHashSet<String>,
    /// The next suffix to try for each base name.
    next: rustc_hash::FxHashMap<String, usize>,
}

impl FreshNames {
    /// No name chosen yet in the function spanning `range`.
    pub fn new(range: TextRange) -> Self {
        Self {
            range,
            chosen: Default::default(),
            next: Default::default(),
        }
    }
}

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

    /// A name for a fix to introduce in the function of `names`: `base`, or
    /// `base_1`, `base_2`..., the first not bound at module level, not
    /// written anywhere in the function and not chosen from `names` before
    /// (it is recorded there).
    pub fn fresh_name(&self, names: &mut FreshNames, base: &str) -> String {
        let semantic = &self.checker.semantic;
        let first = names.next.get(base).copied().unwrap_or(0);
        let (name, suffix) = self.unused_name_from(base, first, names.range, |candidate| {
            names.chosen.contains(candidate)
                || semantic
                    .bindings_in_scope(candidate, ScopeId::MODULE)
                    .next()
                    .is_some()
        });
        names.chosen.insert(name.clone());
        names.next.insert(base.to_string(), suffix + 1);
        name
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
