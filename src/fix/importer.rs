//! Adding imports where isort and Ruff's `I001` would put them, and new
//! module-level code after the imports.
//!
//! An import goes into the first block of module-level imports, in its
//! section (`__future__`, standard library, third party, first party, local
//! folder: isort's default order), sorted within it: `import x` statements
//! before `from x import y` ones (unless `force-sort-within-sections`),
//! modules compared case-insensitively with numbers in natural order. A
//! section the file does not have yet is opened with a blank line. A new
//! name from a module the file already imports from joins that
//! `from x import ...` statement (unless `force-single-line`).
//!
//! Sections follow the project's settings (`known-first-party`,
//! `known-third-party`, Ruff's `src`), then the standard library of the
//! target version, then the package the file is in; anything else is third
//! party.

use std::cmp::Ordering;
use std::path::Path;

use ruff_diagnostics::Edit;
use ruff_python_ast::Stmt;
use ruff_python_ast::token::TokenKind;
use ruff_python_importer::Insertion;
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Fixer;
use crate::config::settings::Settings;
use crate::semantic::{BindingKind, ScopeId};

/// The blank lines isort wants between the module's imports and the code
/// after them, Ruff's `I001` with `lines-after-imports` at its default:
/// two before a function, a class or a decorator (comment lines above them
/// do not count), one before anything else.
pub fn blank_lines_after_imports(code: &str) -> usize {
    let first = code
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or("");
    let definition = ["def ", "async def ", "class ", "@"]
        .iter()
        .any(|start| first.starts_with(start));
    if definition { 2 } else { 1 }
}

/// isort's sections, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Future,
    StandardLibrary,
    ThirdParty,
    FirstParty,
    LocalFolder,
}

/// The section of `module` (imported with `level` leading dots) in the file
/// at `path`.
pub fn section_of(module: &str, level: u32, path: &Path, settings: &Settings) -> Section {
    if level > 0 {
        return Section::LocalFolder;
    }
    let first = module.split('.').next().unwrap_or(module);
    if first == "__future__" {
        return Section::Future;
    }
    let isort = &settings.style.isort;
    let known = |patterns: &[String]| patterns.iter().any(|p| is_module_or_child(module, p));
    if known(&isort.known_first_party) {
        return Section::FirstParty;
    }
    if known(&isort.known_third_party) {
        return Section::ThirdParty;
    }
    if ruff_python_stdlib::sys::is_known_standard_library(settings.target_version.minor, first) {
        return Section::StandardLibrary;
    }
    if package_root_name(path).is_some_and(|name| name == first) {
        return Section::FirstParty;
    }
    let in_src = isort.src.iter().any(|root| is_module_in(root, first));
    if in_src {
        Section::FirstParty
    } else {
        Section::ThirdParty
    }
}

fn is_module_or_child(module: &str, pattern: &str) -> bool {
    let pattern = pattern.trim_end_matches(".*");
    module == pattern
        || module
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The name of the outermost package (folder with `__init__.py`) that holds
/// the file at `path`.
fn package_root_name(path: &Path) -> Option<String> {
    // Asked for every import a fix compares with: remembered per folder.
    static BY_FOLDER: FileSystemFacts<Option<String>> = FileSystemFacts::new();
    let folder = path.parent()?;
    BY_FOLDER.get_or_compute(folder.to_path_buf(), || find_package_root_name(path))
}

/// Whether `root` holds a module or package named `name`, remembered.
fn is_module_in(root: &Path, name: &str) -> bool {
    static FOUND: FileSystemFacts<bool> = FileSystemFacts::new();
    FOUND.get_or_compute(root.join(name), || {
        root.join(name).is_dir() || root.join(format!("{name}.py")).is_file()
    })
}

/// Facts about files and folders, looked up once per run (the tree does not
/// change while a run reads it).
struct FileSystemFacts<T>(
    std::sync::Mutex<Option<std::collections::HashMap<std::path::PathBuf, T>>>,
);

impl<T: Clone> FileSystemFacts<T> {
    const fn new() -> Self {
        FileSystemFacts(std::sync::Mutex::new(None))
    }

    fn get_or_compute(&self, key: std::path::PathBuf, compute: impl FnOnce() -> T) -> T {
        let lock = || {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(found) = lock().as_ref().and_then(|map| map.get(&key)) {
            return found.clone();
        }
        let value = compute();
        lock()
            .get_or_insert_with(Default::default)
            .insert(key, value.clone());
        value
    }
}

fn find_package_root_name(path: &Path) -> Option<String> {
    let mut dir = path.parent();
    let mut top = None;
    while let Some(d) = dir.filter(|d| d.join("__init__.py").is_file()) {
        top = Some(d);
        dir = d.parent();
    }
    let top = std::path::absolute(top?).ok()?;
    top.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Natural order: runs of digits compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = std::str::from_utf8(&a[..da])
                    .unwrap_or("")
                    .trim_start_matches('0');
                let nb = std::str::from_utf8(&b[..db])
                    .unwrap_or("")
                    .trim_start_matches('0');
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// How isort orders two module (or member) names: case-insensitively in
/// natural order, then by the exact spelling.
fn name_cmp(a: &str, b: &str) -> Ordering {
    natural_cmp(&a.to_lowercase(), &b.to_lowercase()).then_with(|| natural_cmp(a, b))
}

/// isort's "order by type" for imported members: CONSTANTS, then Classes,
/// then everything else.
fn member_cmp(a: &str, b: &str) -> Ordering {
    let kind = |name: &str| {
        if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
            0
        } else if name.starts_with(|c: char| c.is_uppercase()) {
            1
        } else {
            2
        }
    };
    kind(a).cmp(&kind(b)).then_with(|| name_cmp(a, b))
}

/// `from module import a, b` the way isort writes it: on one line when it
/// fits in `line_length` and was not exploded (a magic trailing comma),
/// else in parentheses, one name per line, with a trailing comma.
pub fn format_from_import(
    module: &str,
    names: &[String],
    indent: &str,
    unit: &str,
    exploded: bool,
    line_length: usize,
) -> String {
    let one_line = format!("from {module} import {}", names.join(", "));
    if !exploded && indent.chars().count() + one_line.chars().count() <= line_length {
        return one_line;
    }
    let body: String = names
        .iter()
        .map(|n| format!("{indent}{unit}{n},\n"))
        .collect();
    format!("from {module} import (\n{body}{indent})")
}

/// One import statement of the import block, as isort sorts it.
struct Entry<'a> {
    stmt: &'a Stmt,
    section: Section,
    is_from: bool,
    /// The module, with leading dots for a relative import.
    module: String,
    /// The first imported name (`from` imports) and its alias.
    member: String,
    asname: String,
}

/// The statement a fix adds, as isort sorts it.
struct NewImport<'s> {
    section: Section,
    is_from: bool,
    module: &'s str,
    member: &'s str,
    asname: &'s str,
}

impl<'c, 'a> Fixer<'c, 'a> {
    /// The name under which `module` is imported at module level
    /// (`import asyncio` or `import asyncio as aio`), and an edit adding
    /// `import module` where isort would put it when it is not imported yet.
    ///
    /// When the name `import module` would bind is already bound or read
    /// as something else anywhere in the module (`from asyncio import
    /// asyncio`, a parameter named `logging`), a plain import would shadow
    /// it or be shadowed by it: the module is imported under an unused
    /// alias instead (`import asyncio as asyncio_1`).
    pub fn import_module(&self, module: &str) -> (String, Option<Edit>) {
        if let Some(name) = self.imported_module_name(module) {
            return (name, None);
        }
        match self.module_alias_needed(module) {
            Some(alias) => {
                let edit = self.import_module_as(module, &alias);
                (alias, Some(edit))
            }
            None => (
                module.to_string(),
                Some(self.add_import(&format!("import {module}"), module, None)),
            ),
        }
    }

    /// The alias to import `module` under when its plain name is taken (see
    /// [`Self::import_module`]); `None` when `import module` is free to use.
    fn module_alias_needed(&self, module: &str) -> Option<String> {
        let head = module.split('.').next().unwrap_or(module);
        let semantic = &self.checker.semantic;
        if !semantic.is_name_used(head) {
            return None;
        }
        // Names bound somewhere to something other than the module of the
        // same name (a function's own `import aiohttp` binds the same
        // module and takes nothing), found once per module.
        let taken = self.checker.memo("importer:taken-names", TextRange::default(), || {
            semantic
                .all_bindings()
                .filter(|(_, b)| !matches!(b.kind, BindingKind::Import { qualified } if qualified == b.name))
                .map(|(_, b)| b.name.to_string())
                .collect::<rustc_hash::FxHashSet<String>>()
        });
        taken
            .contains(head)
            .then(|| self.unused_module_name(&module.replace('.', "_")))
    }

    /// An edit adding `import module as asname` where isort would put it.
    pub fn import_module_as(&self, module: &str, asname: &str) -> Edit {
        self.add_import(
            &format!("import {module} as {asname}"),
            module,
            Some(asname),
        )
    }

    /// The module-level name bound to `module` by `import module` (or
    /// `import module as name`, or `import module.child`, which binds the
    /// same name), if the module scope still binds it to the module.
    pub fn imported_module_name(&self, module: &str) -> Option<String> {
        let semantic = &self.checker.semantic;
        for stmt in &semantic.module_imports {
            let Stmt::Import(import) = stmt else { continue };
            for alias in &import.names {
                let imported = alias.name.id.as_str();
                let child = alias.asname.is_none()
                    && imported
                        .strip_prefix(module)
                        .is_some_and(|rest| rest.starts_with('.'));
                if imported != module && !child {
                    continue;
                }
                // `import a.b` binds `a`, and the module is `a.b` through it.
                let (bound, qualified) = match &alias.asname {
                    Some(asname) => (asname.id.as_str(), module),
                    None => {
                        let head = module.split('.').next().unwrap_or(module);
                        (head, head)
                    }
                };
                let binding = semantic.bindings_in_scope(bound, ScopeId::MODULE).last();
                if binding.is_some_and(
                    |b| matches!(b.kind, BindingKind::Import { qualified: q } if q == qualified),
                ) {
                    return Some(match &alias.asname {
                        Some(asname) => asname.id.to_string(),
                        None => module.to_string(),
                    });
                }
            }
        }
        None
    }

    /// The name under which `member` of `module` is available at module
    /// level, and an edit importing it when it is not: added to an existing
    /// `from module import ...` statement, or a new statement where isort
    /// would put it. `None` when the name is bound to something else.
    pub fn import_from(&self, module: &str, member: &str) -> Option<(String, Option<Edit>)> {
        let semantic = &self.checker.semantic;
        let qualified = format!("{module}.{member}");
        let binding = semantic.bindings_in_scope(member, ScopeId::MODULE).last();
        if let Some(binding) = binding {
            // `from module import member` (or an `import` bound to it).
            let imported = match binding.kind {
                BindingKind::Import { qualified: q } => q == qualified,
                BindingKind::FromImport {
                    module: m,
                    member: n,
                } => m == module && n == member,
                _ => false,
            };
            return imported.then(|| (member.to_string(), None));
        }
        if semantic.is_name_used(member) {
            return None;
        }
        if !self.checker.settings.style.isort.force_single_line
            && let Some(edit) = self.join_from_import(module, member)
        {
            return Some((member.to_string(), Some(edit)));
        }
        let statement = format!("from {module} import {member}");
        let section = section_of(module, 0, self.checker.path, self.checker.settings);
        let new = NewImport {
            section,
            is_from: true,
            module,
            member,
            asname: "",
        };
        Some((member.to_string(), Some(self.place(&statement, &new))))
    }

    /// `member` added to the module's `from module import ...` statement,
    /// rewritten the way isort writes it (members sorted, wrapped in
    /// parentheses one per line when too long or when it already was).
    fn join_from_import(&self, module: &str, member: &str) -> Option<Edit> {
        let checker = self.checker;
        let source = checker.source;
        let stmt = self
            .import_block()
            .into_iter()
            .find_map(|stmt| match stmt {
                Stmt::ImportFrom(from)
                    if from.level == 0
                        && from.module.as_ref().is_some_and(|m| m.as_str() == module)
                        && !from.names.iter().any(|a| a.name.as_str() == "*") =>
                {
                    Some(from)
                }
                _ => None,
            })?;
        // Comments inside the statement would be lost.
        if checker
            .parsed
            .tokens()
            .in_range(stmt.range())
            .iter()
            .any(|t| t.kind() == TokenKind::Comment)
            || !self.is_own_lines(&Stmt::ImportFrom(stmt.clone()))
        {
            return None;
        }
        let mut members: Vec<(String, String)> = stmt
            .names
            .iter()
            .map(|a| {
                (
                    a.name.to_string(),
                    a.asname
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                )
            })
            .collect();
        members.push((member.to_string(), String::new()));
        members.sort_by(|a, b| member_cmp(&a.0, &b.0).then_with(|| a.1.cmp(&b.1)));
        let text = &source[stmt.range()];
        let exploded = text.contains('(') && text.trim_end_matches(')').trim_end().ends_with(',');
        let names: Vec<String> = members
            .iter()
            .map(|(name, asname)| {
                if asname.is_empty() {
                    name.clone()
                } else {
                    format!("{name} as {asname}")
                }
            })
            .collect();
        let statement = format_from_import(
            module,
            &names,
            self.line_indentation(stmt.start()),
            self.indent_unit(),
            exploded,
            checker.settings.style.line_length,
        );
        Some(Edit::range_replacement(statement, stmt.range()))
    }

    /// An edit adding `statement` (an import of `module`) where isort would
    /// put it.
    fn add_import(&self, statement: &str, module: &str, asname: Option<&str>) -> Edit {
        let section = section_of(module, 0, self.checker.path, self.checker.settings);
        let new = NewImport {
            section,
            is_from: false,
            module,
            member: "",
            asname: asname.unwrap_or(""),
        };
        self.place(statement, &new)
    }

    /// The module's first block of imports: the run of import statements
    /// that starts with the first module-level import.
    fn import_block(&self) -> Vec<&'a Stmt> {
        let body = self.checker.body();
        let Some(first) = body
            .iter()
            .position(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)))
        else {
            return Vec::new();
        };
        body[first..]
            .iter()
            .take_while(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)))
            .collect()
    }

    fn entry(&self, stmt: &'a Stmt) -> Entry<'a> {
        let (path, settings) = (self.checker.path, self.checker.settings);
        match stmt {
            Stmt::ImportFrom(from) => {
                let module = from
                    .module
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_default();
                let first = from.names.first();
                Entry {
                    stmt,
                    section: section_of(&module, from.level, path, settings),
                    is_from: true,
                    module: format!("{}{module}", ".".repeat(from.level as usize)),
                    member: first.map(|a| a.name.to_string()).unwrap_or_default(),
                    asname: first
                        .and_then(|a| a.asname.as_ref())
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                }
            }
            Stmt::Import(import) => {
                let first = import.names.first();
                let module = first.map(|a| a.name.to_string()).unwrap_or_default();
                Entry {
                    stmt,
                    section: section_of(&module, 0, path, settings),
                    is_from: false,
                    module,
                    member: String::new(),
                    asname: first
                        .and_then(|a| a.asname.as_ref())
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                }
            }
            _ => unreachable!("the import block holds imports only"),
        }
    }

    /// Whether the module sorts `import x` and `from y import z` together by
    /// module name: configured (`force-sort-within-sections`), or evident
    /// from the imports (`from a import x` before `import b` of the same
    /// section, `a` sorting before `b` and another package, which the
    /// default order never gives: Home Assistant's layout, found without its
    /// configuration).
    fn force_sort_within_sections(&self) -> bool {
        if self.checker.settings.style.isort.force_sort_within_sections {
            return true;
        }
        let entries: Vec<Entry> = self.import_block().iter().map(|s| self.entry(s)).collect();
        let top = |module: &str| module.split('.').next().unwrap_or(module).to_string();
        entries.windows(2).any(|pair| {
            pair[0].section == pair[1].section
                && pair[0].is_from
                && !pair[1].is_from
                && top(&pair[0].module) != top(&pair[1].module)
                && name_cmp(&pair[0].module, &pair[1].module) == Ordering::Less
        })
    }

    /// Whether isort puts `new` before `entry`.
    fn sorts_before(&self, new: &NewImport, entry: &Entry) -> bool {
        let force_sort = self.force_sort_within_sections();
        let kind = |is_from: bool| u8::from(is_from);
        let mut order = new.section.cmp(&entry.section);
        if !force_sort {
            order = order.then(kind(new.is_from).cmp(&kind(entry.is_from)));
        }
        let order = order
            .then_with(|| name_cmp(new.module, &entry.module))
            .then(kind(new.is_from).cmp(&kind(entry.is_from)))
            .then_with(|| member_cmp(new.member, &entry.member))
            .then_with(|| new.asname.cmp(&entry.asname));
        order == Ordering::Less
    }

    /// The edit inserting `statement` (described by `new`) into the import
    /// block where isort would put it.
    fn place(&self, statement: &str, new: &NewImport) -> Edit {
        self.place_all(vec![(statement.to_string(), new)])
            .pop()
            .expect("one import, one edit")
    }

    /// The edits inserting several statements into the import block where
    /// isort would put them, together: statements that go to one point
    /// become one edit, in order, with a blank line between sections.
    fn place_all(&self, mut news: Vec<(String, &NewImport)>) -> Vec<Edit> {
        let block = self.import_block();
        if block.is_empty() || !block.iter().all(|s| self.is_own_lines(s)) {
            let mut text = String::new();
            news.sort_by(|a, b| self.new_cmp(a.1, b.1));
            for (i, (statement, new)) in news.iter().enumerate() {
                if i > 0 && news[i - 1].1.section != new.section {
                    text.push('\n');
                }
                text.push_str(statement);
                text.push('\n');
            }
            let text = text.trim_end_matches('\n');
            return vec![if block.is_empty() {
                self.start_of_file(text)
            } else {
                self.insert_after_imports(text)
            }];
        }
        let entries: Vec<Entry> = block.iter().map(|s| self.entry(s)).collect();
        let source = self.checker.source;
        news.sort_by(|a, b| self.new_cmp(a.1, b.1));
        // A block whose sections are out of order (`import pytest` before
        // `import asyncio`) is not sorted by sections. When it is sorted by
        // module name alone, a new import goes in that order. Otherwise it
        // follows no sorter: a new import goes before the first one of its
        // own section that sorts after it, else after the last one of its
        // section, else at the end of the block. Either way, with no blank
        // line of its own.
        let grouped = entries.windows(2).all(|p| p[0].section <= p[1].section);
        let by_name = entries
            .windows(2)
            .all(|p| name_cmp(&p[0].module, &p[1].module) != Ordering::Greater);
        let target = |new: &NewImport| {
            if grouped {
                entries
                    .iter()
                    .position(|e| self.sorts_before(new, e))
                    .unwrap_or(entries.len())
            } else if by_name {
                entries
                    .iter()
                    .position(|e| name_cmp(new.module, &e.module) == Ordering::Less)
                    .unwrap_or(entries.len())
            } else {
                entries
                    .iter()
                    .position(|e| e.section == new.section && self.sorts_before(new, e))
                    .or_else(|| {
                        entries
                            .iter()
                            .rposition(|e| e.section == new.section)
                            .map(|i| i + 1)
                    })
                    .unwrap_or(entries.len())
            }
        };
        let mut edits: Vec<Edit> = Vec::new();
        let mut i = 0;
        while i < news.len() {
            let new = news[i].1;
            let at = target(new);
            // The run of new statements of this section that go there too.
            let mut run = String::new();
            while i < news.len() && news[i].1.section == new.section && target(news[i].1) == at {
                run.push_str(&news[i].0);
                run.push('\n');
                i += 1;
            }
            let next = entries.get(at);
            let previous = at.checked_sub(1).map(|i| &entries[i]);
            let (offset, content) = match (previous, next) {
                (_, Some(next)) if next.section == new.section => {
                    (self.leading_comments_start(next.stmt), run)
                }
                (Some(previous), _) => {
                    let end = source.full_line_end(previous.stmt.end());
                    let newline = if source[..end.to_usize()].ends_with(['\n', '\r']) {
                        ""
                    } else {
                        "\n"
                    };
                    let blank = if previous.section == new.section || !grouped {
                        ""
                    } else {
                        "\n"
                    };
                    (end, format!("{newline}{blank}{run}"))
                }
                (None, Some(next)) => {
                    let blank = if grouped { "\n" } else { "" };
                    (
                        self.leading_comments_start(next.stmt),
                        format!("{run}{blank}"),
                    )
                }
                (None, None) => unreachable!("the block is not empty"),
            };
            match edits.iter_mut().find(|e| e.start() == offset) {
                Some(edit) => {
                    let content = format!("{}{content}", edit.content().unwrap_or(""));
                    *edit = Edit::insertion(content, offset);
                }
                None => edits.push(Edit::insertion(content, offset)),
            }
        }
        edits
    }

    /// How isort orders two new statements.
    fn new_cmp(&self, a: &NewImport, b: &NewImport) -> Ordering {
        let entry = Entry {
            stmt: &self.checker.body()[0],
            section: b.section,
            is_from: b.is_from,
            module: b.module.to_string(),
            member: b.member.to_string(),
            asname: b.asname.to_string(),
        };
        if self.sorts_before(a, &entry) {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    }

    /// `import module` for each of `modules` not imported yet, placed
    /// together (one fix adding several imports), and the name each module
    /// goes by.
    pub fn import_modules(&self, modules: &[&str]) -> (Vec<String>, Vec<Edit>) {
        let mut names = Vec::new();
        // Each module not imported yet, once, with the alias it needs.
        let mut wanted: Vec<(&str, Option<String>)> = Vec::new();
        for module in modules {
            if let Some(name) = self.imported_module_name(module) {
                names.push(name);
                continue;
            }
            let alias = match wanted.iter().find(|(m, _)| m == module) {
                Some((_, alias)) => alias.clone(),
                None => {
                    let alias = self.module_alias_needed(module);
                    wanted.push((module, alias.clone()));
                    alias
                }
            };
            names.push(alias.unwrap_or_else(|| (*module).to_string()));
        }
        if wanted.is_empty() {
            return (names, Vec::new());
        }
        let missing: Vec<NewImport> = wanted
            .iter()
            .map(|(module, alias)| NewImport {
                section: section_of(module, 0, self.checker.path, self.checker.settings),
                is_from: false,
                module,
                member: "",
                asname: alias.as_deref().unwrap_or(""),
            })
            .collect();
        let news = missing
            .iter()
            .map(|m| {
                let statement = match m.asname {
                    "" => format!("import {}", m.module),
                    alias => format!("import {} as {alias}", m.module),
                };
                (statement, m)
            })
            .collect();
        (names, self.place_all(news))
    }

    /// The start of the comment lines directly above `stmt` (isort keeps
    /// them with the import), or of `stmt`'s line. Comments above the
    /// block's first import are the file's or the section's header: new
    /// imports go below them.
    fn leading_comments_start(&self, stmt: &Stmt) -> TextSize {
        let source = self.checker.source;
        let mut start = source.line_start(stmt.start());
        if self
            .import_block()
            .first()
            .is_some_and(|first| first.start() == stmt.start())
        {
            return start;
        }
        while start > TextSize::default() {
            let previous = super::unused_imports::previous_line_start(source, start);
            let line = source[TextRange::new(previous, start)].trim();
            if !line.starts_with('#') {
                break;
            }
            start = previous;
        }
        start
    }

    /// `statement` as the module's first import: after the docstring and
    /// header comments, followed by a blank line before code.
    fn start_of_file(&self, statement: &str) -> Edit {
        let checker = self.checker;
        let insertion =
            Insertion::start_of_file(checker.body(), checker.source, &checker.stylist, None);
        if insertion.is_inline() {
            return insertion.into_edit(statement);
        }
        let edit = insertion.into_edit(statement);
        let before = checker.source[..edit.start().to_usize()].trim_end_matches(['\n', '\r']);
        let after_docstring = !before.is_empty()
            && !before.ends_with(['\n', '\r'])
            && !before
                .lines()
                .next_back()
                .unwrap_or("")
                .trim_start()
                .starts_with('#')
            && checker.source[before.len()..edit.start().to_usize()]
                .matches('\n')
                .count()
                == 1;
        let docstring_gap = if after_docstring { "\n" } else { "" };
        let rest = &checker.source[edit.start().to_usize()..];
        let first_line = rest.lines().next().unwrap_or("");
        let blank = if rest.trim().is_empty() || first_line.trim().is_empty() {
            ""
        } else {
            "\n"
        };
        Edit::insertion(
            format!(
                "{docstring_gap}{}{blank}",
                edit.content().unwrap_or_default()
            ),
            edit.start(),
        )
    }

    /// The end of the module's top-level import block, when the last import
    /// is a statement of the module body on lines of its own (a trailing
    /// comment is fine): the start of the line after it.
    pub fn import_block_end(&self) -> Option<TextSize> {
        let checker = self.checker;
        let last = checker.semantic.module_imports.last()?;
        if !checker.body().iter().any(|s| s.range() == last.range()) {
            return None;
        }
        let newline = checker
            .parsed
            .tokens()
            .after(last.end())
            .iter()
            .find(|t| matches!(t.kind(), TokenKind::Newline | TokenKind::EndOfFile))?;
        let rest = checker.source[TextRange::new(last.end(), newline.start())].trim_start();
        if !(rest.is_empty() || rest.starts_with('#')) || newline.kind() != TokenKind::Newline {
            return None;
        }
        Some(newline.end())
    }

    /// `code` as the first code after the module's imports, replacing the
    /// blank lines between the imports and `at` (the start of the line the
    /// code after the imports begins on, or the end of the file) so that
    /// the imports are followed by the blank lines isort wants before
    /// `code` ([`blank_lines_after_imports`]), and `code` by `after` blank
    /// lines (none at the end of the file). `None` when `at` does not
    /// directly follow a top-level import block.
    pub fn insert_right_after_imports(
        &self,
        code: &str,
        at: TextSize,
        after: usize,
    ) -> Option<Edit> {
        let source = self.checker.source;
        let end = self.import_block_end()?;
        if end > at || !source[TextRange::new(end, at)].trim().is_empty() {
            return None;
        }
        let newline = self.line_ending();
        let after = if source[at.to_usize()..].trim().is_empty() {
            0
        } else {
            after
        };
        let content = format!(
            "{}{code}{newline}{}",
            newline.repeat(blank_lines_after_imports(code)),
            newline.repeat(after)
        );
        Some(if end == at {
            Edit::insertion(content, at)
        } else {
            Edit::replacement(content, end, at)
        })
    }

    /// Where a new module-level definition goes: after the imports (and the
    /// module docstring), as an edit that inserts `code` there followed by
    /// blank lines.
    ///
    /// The code always goes on lines of its own: after `import a; x = 1` (or
    /// an import continued with a backslash), on the line after that logical
    /// line, never inline (multi-line code there would not parse).
    pub fn insert_after_imports(&self, code: &str) -> Edit {
        let checker = self.checker;
        let source = checker.source;
        let imports = &checker.semantic.module_imports;
        let insertion = match imports.last() {
            Some(last) => Insertion::end_of_statement(last, source, &checker.stylist),
            None => Insertion::start_of_file(checker.body(), source, &checker.stylist, None),
        };
        let Some(last) = imports.last().filter(|_| insertion.is_inline()) else {
            return insertion.into_edit(code);
        };
        // The end of the logical line the import is on.
        let end = checker
            .parsed
            .tokens()
            .after(last.end())
            .iter()
            .find(|t| t.kind() == TokenKind::Newline)
            .map_or(TextSize::of(source), Ranged::end);
        let prefix = if source[..end.to_usize()].ends_with(['\n', '\r']) {
            ""
        } else {
            "\n"
        };
        Edit::insertion(format!("{prefix}{code}\n"), end)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ruff_python_parser::parse_module;
    use ruff_source_file::LineIndex;

    use super::*;
    use crate::checker::Checker;

    fn apply(source: &str, edit: &Edit) -> String {
        let mut out = source.to_string();
        out.replace_range(
            edit.start().to_usize()..edit.end().to_usize(),
            edit.content().unwrap_or(""),
        );
        out
    }

    fn with_checker<T>(source: &str, settings: &Settings, f: impl Fn(&Checker) -> T) -> T {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, settings);
        f(&checker)
    }

    fn add(source: &str, module: &str) -> String {
        add_with(source, module, &Settings::default())
    }

    fn add_with(source: &str, module: &str, settings: &Settings) -> String {
        with_checker(source, settings, |checker| {
            let (_, edit) = checker.fixer().import_module(module);
            apply(source, &edit.expect("an import is added"))
        })
    }

    fn after_imports(source: &str, code: &str) -> String {
        with_checker(source, &Settings::default(), |checker| {
            apply(source, &checker.fixer().insert_after_imports(code))
        })
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
    fn imports_go_in_their_section_sorted() {
        let source = "\"\"\"Doc.\"\"\"\n\nimport os\nimport time\nfrom typing import Any\n\nimport requests\n\nx = 1\n";
        assert_eq!(
            add(source, "asyncio"),
            "\"\"\"Doc.\"\"\"\n\nimport asyncio\nimport os\nimport time\nfrom typing import Any\n\nimport requests\n\nx = 1\n"
        );
        // After the other `import` statements, before the `from` ones.
        assert_eq!(
            add(source, "uuid"),
            "\"\"\"Doc.\"\"\"\n\nimport os\nimport time\nimport uuid\nfrom typing import Any\n\nimport requests\n\nx = 1\n"
        );
        assert_eq!(
            add(source, "aiohttp"),
            "\"\"\"Doc.\"\"\"\n\nimport os\nimport time\nfrom typing import Any\n\nimport aiohttp\nimport requests\n\nx = 1\n"
        );
    }

    #[test]
    fn imports_sorted_together_by_module_keep_that_order() {
        // `from collections.abc` before `import ssl`: the module sorts both
        // kinds by module name (force-sort-within-sections), unconfigured.
        let source = "import asyncio\nfrom collections.abc import Mapping\nimport ssl\nfrom typing import Any\n\nx = 1\n";
        assert_eq!(
            add(source, "functools"),
            "import asyncio\nfrom collections.abc import Mapping\nimport functools\nimport ssl\nfrom typing import Any\n\nx = 1\n"
        );
        // Plain imports first: the default order stays.
        let source = "import os\nimport time\nfrom typing import Any\n\nx = 1\n";
        assert_eq!(
            add(source, "functools"),
            "import functools\nimport os\nimport time\nfrom typing import Any\n\nx = 1\n"
        );
    }

    #[test]
    fn a_missing_section_gets_its_blank_lines() {
        assert_eq!(
            add("import requests\n\nx = 1\n", "asyncio"),
            "import asyncio\n\nimport requests\n\nx = 1\n"
        );
        assert_eq!(
            add("import os\n\nx = 1\n", "aiohttp"),
            "import os\n\nimport aiohttp\n\nx = 1\n"
        );
        assert_eq!(
            add(
                "from __future__ import annotations\n\nimport requests\n",
                "asyncio"
            ),
            "from __future__ import annotations\n\nimport asyncio\n\nimport requests\n"
        );
        assert_eq!(add("x = 1\n", "asyncio"), "import asyncio\n\nx = 1\n");
        assert_eq!(
            add("\"\"\"Doc.\"\"\"\n\n\ndef f():\n    pass\n", "asyncio"),
            "\"\"\"Doc.\"\"\"\n\nimport asyncio\n\n\ndef f():\n    pass\n"
        );
    }

    #[test]
    fn several_imports_of_one_fix_go_together() {
        let several = |source: &str, modules: &[&str]| {
            with_checker(source, &Settings::default(), |checker| {
                let (_, edits) = checker.fixer().import_modules(modules);
                let mut out = source.to_string();
                let mut edits = edits;
                edits.sort_by_key(|e| std::cmp::Reverse(e.start()));
                for edit in &edits {
                    out = apply(&out, edit);
                }
                out
            })
        };
        assert_eq!(
            several(
                "import requests\nfrom fastapi import FastAPI\n\napp = 1\n",
                &["aiohttp", "contextlib"]
            ),
            "import contextlib\n\nimport aiohttp\nimport requests\nfrom fastapi import FastAPI\n\napp = 1\n"
        );
        assert_eq!(
            several(
                "import os\n\nfrom . import x\n",
                &["aiohttp", "asyncio", "zlib"]
            ),
            "import asyncio\nimport os\nimport zlib\n\nimport aiohttp\n\nfrom . import x\n"
        );
        assert_eq!(
            several("x = 1\n", &["aiohttp", "asyncio"]),
            "import asyncio\n\nimport aiohttp\n\nx = 1\n"
        );
    }

    #[test]
    fn comments_above_an_import_stay_with_it() {
        assert_eq!(
            add("import os\n# the clock\nimport time\n", "sys"),
            "import os\nimport sys\n# the clock\nimport time\n"
        );
    }

    #[test]
    fn known_first_party_is_its_own_section() {
        let mut settings = Settings::default();
        settings.style.isort.known_first_party = vec!["aiohttp".to_string()];
        assert_eq!(
            add_with("import os\n\nimport requests\n", "aiohttp", &settings),
            "import os\n\nimport requests\n\nimport aiohttp\n"
        );
    }

    #[test]
    fn from_imports_join_an_existing_statement() {
        let settings = Settings::default();
        let join = |source: &str, settings: &Settings| {
            with_checker(source, settings, |checker| {
                let (name, edit) = checker.fixer().import_from("typing", "Any").unwrap();
                assert_eq!(name, "Any");
                apply(source, &edit.unwrap())
            })
        };
        assert_eq!(
            join("from typing import cast, TYPE_CHECKING\n", &settings),
            "from typing import TYPE_CHECKING, Any, cast\n"
        );
        assert_eq!(
            join("from typing import (\n    cast,\n)\n", &settings),
            "from typing import (\n    Any,\n    cast,\n)\n"
        );
        let mut single = Settings::default();
        single.style.isort.force_single_line = true;
        assert_eq!(
            join("from typing import cast\n", &single),
            "from typing import Any\nfrom typing import cast\n"
        );
    }

    #[test]
    fn a_submodule_import_binds_the_module() {
        let name = |source: &str, module: &str| {
            with_checker(source, &Settings::default(), |checker| {
                checker.fixer().imported_module_name(module)
            })
        };
        assert_eq!(
            name("import logging.config\n", "logging").as_deref(),
            Some("logging")
        );
        assert_eq!(name("import a.b.c\n", "a.b").as_deref(), Some("a.b"));
        // `as` binds the submodule, not the package; a longer name is not a child.
        assert_eq!(name("import logging.config as lc\n", "logging"), None);
        assert_eq!(name("import logging_tree\n", "logging"), None);
    }

    #[test]
    fn blank_lines_after_imports_follow_isort() {
        assert_eq!(blank_lines_after_imports("x: int = 1\ndef f(): pass"), 1);
        assert_eq!(blank_lines_after_imports("# note\nasync def f(): pass"), 2);
        assert_eq!(blank_lines_after_imports("@cache\ndef f(): pass"), 2);
        assert_eq!(blank_lines_after_imports("class A: pass"), 2);
        assert_eq!(blank_lines_after_imports("if x:\n    pass"), 1);
    }

    #[test]
    fn code_right_after_imports_gets_the_blank_lines_isort_wants() {
        let right_after = |source: &str, code: &str| {
            with_checker(source, &Settings::default(), |checker| {
                let at = checker
                    .body()
                    .iter()
                    .find(|s| !matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)))
                    .map_or(TextSize::of(source), |s| source.line_start(s.start()));
                checker
                    .fixer()
                    .insert_right_after_imports(code, at, 2)
                    .map(|edit| apply(source, &edit))
            })
        };
        assert_eq!(
            right_after("import a\n\n\ndef f():\n    pass\n", "x = 1").as_deref(),
            Some("import a\n\nx = 1\n\n\ndef f():\n    pass\n")
        );
        assert_eq!(
            right_after("import a\nf()\n", "def g():\n    pass").as_deref(),
            Some("import a\n\n\ndef g():\n    pass\n\n\nf()\n")
        );
        assert_eq!(
            right_after("import a\n", "x = 1").as_deref(),
            Some("import a\n\nx = 1\n")
        );
        // Not directly after the imports, or an import sharing its line.
        assert_eq!(right_after("import a\n# c\nf()\n", "x = 1"), None);
        assert_eq!(right_after("import a; f()\n", "x = 1"), None);
    }

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("http2", "http10"), Ordering::Less);
        assert_eq!(name_cmp("Zlib", "abc"), Ordering::Greater);
    }
}
