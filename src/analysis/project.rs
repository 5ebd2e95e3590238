//! The project index: the few facts about other modules of the run that a
//! rule needs to judge a call into them, gathered once before the rules
//! run.
//!
//! Today it holds the task-returning helpers (CS001): module-level
//! functions that create a task and hand it back keeping no other
//! reference to it (`browser_use.utils.create_task_with_error_handling`),
//! by qualified name. A module's dotted name comes from its path: its
//! stem, then each enclosing folder while that folder holds an
//! `__init__.py` (`pkg/sub/mod.py` is `pkg.sub.mod` when `pkg/` and
//! `pkg/sub/` are packages; `pkg/__init__.py` is `pkg`).
//!
//! It is built cheaply: only files whose text names a spawn
//! (`create_task`, `ensure_future`) inside a top-level `def` can define a
//! helper, so only those are parsed, in parallel on the worker pool; only the small facts are kept,
//! not the trees. A file that cannot be read or parsed adds nothing (its
//! error is reported when it is checked). The index holds what the run
//! sees: checking one file indexes that file alone.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::analysis::{nesting, workers};
use crate::checker::Checker;
use crate::config::settings::Settings;
use crate::io::source::SourceFile;

/// What a caller needs to know about a task-returning helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskHelper {
    /// The parameter it passes straight to its spawn, as `(name, position
    /// among the positional parameters)`: a caller's argument for it is
    /// the task's coroutine.
    pub parameter: Option<(String, Option<usize>)>,
}

#[derive(Debug, Default)]
pub struct ProjectIndex {
    /// Task-returning helpers by qualified name (`pkg.utils.spawn`).
    helpers: FxHashMap<String, TaskHelper>,
    /// The helpers' own names, distinct (`spawn`): a file that names none
    /// of them calls none.
    names: Vec<String>,
}

impl ProjectIndex {
    /// The index of `files` (each with its settings), built in parallel.
    pub fn build(files: &[(&PathBuf, &Settings)]) -> Self {
        let found = workers::map(files, |(path, settings)| index_file(path, settings), || {});
        let mut index = ProjectIndex::default();
        for (module, helpers) in found.into_iter().flatten() {
            for (name, helper) in helpers {
                if !index.names.contains(&name) {
                    index.names.push(name.clone());
                }
                index.helpers.insert(format!("{module}.{name}"), helper);
            }
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.helpers.is_empty()
    }

    /// The task-returning helper named `qualified` (`pkg.utils.spawn`).
    pub fn task_helper(&self, qualified: &str) -> Option<&TaskHelper> {
        self.helpers.get(qualified)
    }

    /// Whether `source` holds the name of one of the helpers (so may call
    /// one): the rules that use the index also run on such a file.
    pub fn is_named_in(&self, source: &str) -> bool {
        self.names.iter().any(|name| source.contains(name.as_str()))
    }

    /// An index of the given helpers (for tests).
    pub fn with_helpers(helpers: impl IntoIterator<Item = (String, TaskHelper)>) -> Self {
        let mut index = ProjectIndex::default();
        for (qualified, helper) in helpers {
            let name = qualified
                .rsplit('.')
                .next()
                .unwrap_or(&qualified)
                .to_string();
            if !index.names.contains(&name) {
                index.names.push(name);
            }
            index.helpers.insert(qualified, helper);
        }
        index
    }
}

/// The module's dotted name and its helpers, if it has any.
fn index_file(path: &Path, settings: &Settings) -> Option<(String, Vec<(String, TaskHelper)>)> {
    let source = SourceFile::read(path).ok()?.text;
    if !may_define_helper(&source) {
        return None;
    }
    if source.len() as u64 > super::MAX_FILE_SIZE {
        return None;
    }
    let limit = workers::max_depth();
    if nesting::needs_scan(&source, limit) && nesting::exceeds(&source, limit).is_some() {
        return None;
    }
    let module = module_name(path)?;
    let parsed = ruff_python_parser::parse_module(&source).ok()?;
    let lines = ruff_source_file::LineIndex::from_source_text(&source);
    // A rule bug must not stop the run: the file is checked later, and its
    // error reported then.
    let helpers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let checker = Checker::new(path, &source, &parsed, &lines, settings);
        crate::rules::cs001_dangling_task::module_helpers(&checker)
    }))
    .ok()?;
    (!helpers.is_empty()).then_some((module, helpers))
}

/// Whether the text may define a module-level task-returning helper: a
/// `def` at the start of a line whose lines (up to the next line that
/// starts with anything but blank space, a closing bracket or a comment)
/// name a spawn. Most files that spawn tasks do it in methods: on corpus F,
/// 14 of the 253 files naming a spawn pass, and only those are parsed.
fn may_define_helper(source: &str) -> bool {
    let spawns = |line: &str| line.contains("create_task") || line.contains("ensure_future");
    if !spawns(source) {
        return false;
    }
    let mut in_function = false;
    for line in source.lines() {
        if line.starts_with("def ") {
            in_function = true;
        } else if line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, ')' | ']' | '}' | '#'))
        {
            in_function = false;
        }
        if in_function && spawns(line) {
            return true;
        }
    }
    false
}

/// The dotted name of the module at `path` (see the module documentation).
pub fn module_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let mut parts = Vec::new();
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    let mut folder = path.parent();
    while let Some(dir) = folder {
        if !dir.join("__init__.py").is_file() {
            break;
        }
        match dir.file_name().and_then(|n| n.to_str()) {
            Some(name) => parts.push(name.to_string()),
            None => break,
        }
        folder = dir.parent();
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::module_name;

    #[test]
    fn only_top_level_functions_naming_a_spawn_are_parsed() {
        use super::may_define_helper;
        assert!(may_define_helper(
            "import asyncio\n\n\ndef spawn(\n    coro,\n) -> asyncio.Task:\n    # make it\n    return asyncio.create_task(coro)\n"
        ));
        assert!(!may_define_helper(
            "class C:\n    def spawn(self, coro):\n        return asyncio.create_task(coro)\n"
        ));
        assert!(!may_define_helper(
            "def f():\n    pass\n\n\nx = asyncio.ensure_future(g())\n"
        ));
    }

    #[test]
    fn module_names_walk_up_through_packages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("checkout/pkg/sub")).unwrap();
        std::fs::write(root.join("checkout/pkg/__init__.py"), "").unwrap();
        std::fs::write(root.join("checkout/pkg/sub/__init__.py"), "").unwrap();
        let name = |p: &str| module_name(&root.join(p));
        assert_eq!(
            name("checkout/pkg/sub/mod.py").as_deref(),
            Some("pkg.sub.mod")
        );
        assert_eq!(name("checkout/pkg/__init__.py").as_deref(), Some("pkg"));
        assert_eq!(name("checkout/script.py").as_deref(), Some("script"));
    }
}
