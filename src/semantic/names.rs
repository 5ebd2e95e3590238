//! Qualified names as segments, and catalogues of them looked up by hash.
//!
//! [`SemanticModel::resolve_qualified_name`](super::SemanticModel::resolve_qualified_name)
//! gives a [`QualifiedName`]: the segments of the name an expression refers
//! to (`["time", "sleep"]`, `["builtins", "open"]`, `["<module>", "f"]` for
//! this module's functions and classes), borrowed from the source and the
//! imports, with no string built. Compare it with a dotted literal through
//! [`QualifiedNameExt::is`] (`q.is("asyncio.sleep")`), or look it up in a
//! [`NameMap`] / [`NameSet`]: a catalogue written as dotted string literals,
//! hashed by segments once (keep the map in a `static` `LazyLock`).

use rustc_hash::FxHashMap;

pub use ruff_python_ast::name::QualifiedName;

/// The first segment of this module's own functions and classes.
pub const LOCAL_MODULE: &str = "<module>";

/// Comparisons of a [`QualifiedName`] with dotted names, without building a
/// string.
pub trait QualifiedNameExt {
    /// The name is the dotted name `dotted` (`"asyncio.sleep"`).
    fn is(&self, dotted: &str) -> bool;
    /// The name is one of `dotted` (a short list; use a [`NameSet`] for a
    /// catalogue).
    fn is_any_of(&self, dotted: &[&str]) -> bool;
    /// A function or class defined at module level in this module
    /// (`<module>.f`).
    fn is_local(&self) -> bool;
    /// The name lies in module `module` (`"requests"` for `requests.get`
    /// and `requests.adapters.HTTPAdapter`).
    fn in_module(&self, module: &str) -> bool;
    /// The builtin `name` (`builtins.name`), however it was spelled.
    fn is_builtin(&self, name: &str) -> bool;
    /// The dotted form (`time.sleep`), for messages and for type facts.
    fn dotted(&self) -> String;
}

impl QualifiedNameExt for QualifiedName<'_> {
    fn is(&self, dotted: &str) -> bool {
        let mut parts = dotted.split('.');
        self.segments().iter().all(|s| parts.next() == Some(*s)) && parts.next().is_none()
    }

    fn is_any_of(&self, dotted: &[&str]) -> bool {
        dotted.iter().any(|d| self.is(d))
    }

    fn is_local(&self) -> bool {
        self.segments().first() == Some(&LOCAL_MODULE)
    }

    fn in_module(&self, module: &str) -> bool {
        let segments = self.segments();
        segments.len() > 1 && segments[0] == module
    }

    fn is_builtin(&self, name: &str) -> bool {
        matches!(self.segments(), ["builtins", n] if *n == name)
    }

    fn dotted(&self) -> String {
        self.segments().join(".")
    }
}

/// A catalogue keyed by qualified name: written as dotted strings, looked
/// up by the segments the model resolves (one hash, no string built).
#[derive(Debug)]
pub struct NameMap<V> {
    map: FxHashMap<QualifiedName<'static>, V>,
}

impl<V: Copy> NameMap<V> {
    /// The map of `(dotted name, value)` entries; a later duplicate replaces
    /// an earlier one.
    pub fn new(entries: impl IntoIterator<Item = (&'static str, V)>) -> Self {
        NameMap {
            map: entries
                .into_iter()
                .map(|(dotted, value)| (QualifiedName::user_defined(dotted), value))
                .collect(),
        }
    }

    pub fn get<'n>(&self, name: &QualifiedName<'n>) -> Option<V> {
        // The map is covariant in its keys: look up with borrowed segments
        // (the value is copied out, so the borrow may be as short as `'n`).
        let map: &FxHashMap<QualifiedName<'n>, V> = &self.map;
        map.get(name).copied()
    }

    /// Lookup by a dotted name (a type fact's name, a catalogue kind).
    pub fn get_dotted(&self, dotted: &str) -> Option<V> {
        self.get(&QualifiedName::user_defined(dotted))
    }

    pub fn contains(&self, name: &QualifiedName<'_>) -> bool {
        self.get(name).is_some()
    }

    pub fn contains_dotted(&self, dotted: &str) -> bool {
        self.get_dotted(dotted).is_some()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A set of qualified names (a [`NameMap`] without values).
pub type NameSet = NameMap<()>;

impl NameSet {
    pub fn of(dotted: &[&'static str]) -> Self {
        NameMap::new(dotted.iter().map(|&d| (d, ())))
    }
}

/// The lower-case words of an identifier, split at `_` and at the capitals
/// of `camelCase`: `_cancelSpawned_workers` gives `cancel`, `spawned`,
/// `workers`. Rules read a function's role from them.
pub fn identifier_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        for c in part.chars() {
            if c.is_ascii_uppercase() && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        words.push(word);
    }
    words
}
