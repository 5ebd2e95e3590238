//! Which settings apply to which file, as Ruff resolves them.
//!
//! Each file gets the configuration of the closest folder at or above it
//! holding a `.codesight.toml`, a `codesight.toml` or a `pyproject.toml`
//! with a `[tool.codesight]` table (in that order of preference within a
//! folder; a `pyproject.toml` without the table is passed over). A
//! configuration may `extend` another one. Command-line flags are applied
//! on top. `--config PATH` uses one file for every path, `--isolated` none.
//! When no `target-version` is set, the closest `pyproject.toml` at or above
//! the file with a `requires-python` gives it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::pyproject::{self, CONFIG_FILE_NAMES, FileConfig, ProjectConfig};
use crate::config::settings::{
    IsortSettings, RuleSelection, SelectionLayer, Settings, StyleSettings, TargetVersion,
    parse_selector,
};
use crate::rules::all_infos;

/// Folders never descended into unless `exclude` replaces this list.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// What the command line says about settings.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub target_version: Option<TargetVersion>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    /// `--config PATH`: one configuration file for everything.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration file at all.
    pub isolated: bool,
}

/// Gitignore-style patterns anchored at the folder of the file that wrote them.
#[derive(Debug, Clone)]
pub struct PatternSet {
    pub root: PathBuf,
    pub patterns: Vec<String>,
    matcher: Gitignore,
    /// The patterns without a `/` (but a trailing one): they match a name
    /// anywhere, and are all that can apply to paths outside `root`.
    by_name: Gitignore,
}

impl PatternSet {
    fn new(root: &Path, patterns: &[String], origin: &str) -> Result<Self, String> {
        let mut builder = GitignoreBuilder::new(root);
        for pattern in patterns {
            builder
                .add_line(None, pattern)
                .map_err(|e| format!("{origin}: invalid pattern `{pattern}`: {e}"))?;
        }
        let matcher = builder
            .build()
            .map_err(|e| format!("{origin}: invalid patterns: {e}"))?;
        let mut names = GitignoreBuilder::new(root);
        for pattern in patterns {
            if !pattern.trim_end_matches('/').contains('/') {
                let _ = names.add_line(None, pattern);
            }
        }
        let by_name = names.build().unwrap_or_else(|_| Gitignore::empty());
        Ok(PatternSet {
            root: root.to_path_buf(),
            patterns: patterns.to_vec(),
            matcher,
            by_name,
        })
    }

    /// Whether `path` (absolute) itself matches, its parents aside.
    pub fn matches_itself(&self, path: &Path, is_dir: bool) -> bool {
        if let Ok(relative) = path.strip_prefix(&self.root) {
            return !relative.as_os_str().is_empty()
                && self.matcher.matched(relative, is_dir).is_ignore();
        }
        path.file_name()
            .is_some_and(|name| self.by_name.matched(Path::new(name), is_dir).is_ignore())
    }

    /// Whether `path` (absolute) or one of its parents matches.
    pub fn matches(&self, path: &Path, is_dir: bool) -> bool {
        if let Ok(relative) = path.strip_prefix(&self.root) {
            if relative.as_os_str().is_empty() {
                return false;
            }
            return self
                .matcher
                .matched_path_or_any_parents(relative, is_dir)
                .is_ignore();
        }
        // Outside the configuration's folder only the names can match.
        let mut current = Some(path);
        let mut dir = is_dir;
        while let Some(p) = current {
            if let Some(name) = p.file_name()
                && self.by_name.matched(Path::new(name), dir).is_ignore()
            {
                return true;
            }
            current = p.parent();
            dir = true;
        }
        false
    }
}

/// Codes to ignore in files matching a pattern.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: PatternSet,
    pub codes: Vec<String>,
}

/// Everything resolved for one folder's files.
#[derive(Debug, Clone)]
pub struct ResolvedSettings {
    /// The configuration file used, if any.
    pub config_path: Option<PathBuf>,
    /// Where `target-version` came from (for `--show-settings`).
    pub target_version_source: String,
    pub settings: Settings,
    pub exclude: Vec<PatternSet>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    pub respect_gitignore: bool,
    pub force_exclude: bool,
    /// Whether the fix style came from a `pyproject.toml` (the first-party
    /// `src` folders are then the project's, not this folder's own), so a
    /// subfolder without configuration files of its own shares these
    /// settings.
    style_rooted: bool,
}

impl ResolvedSettings {
    /// Whether `path` (absolute) is excluded by `exclude`/`extend-exclude`.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude.iter().any(|set| set.matches(path, is_dir))
    }

    /// [`ResolvedSettings::is_excluded`] for a path whose folder is known
    /// not to be excluded by these same settings (a directory walk met it
    /// and went in): only the path itself is matched, not its parents.
    pub fn is_excluded_itself(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude
            .iter()
            .any(|set| set.matches_itself(path, is_dir))
    }

    /// The settings for the file `path` (absolute): `per-file-ignores` applied.
    pub fn for_file(&self, path: &Path) -> Settings {
        let mut settings = self.settings.clone();
        let ignored: Vec<&String> = self
            .per_file_ignores
            .iter()
            .filter(|entry| entry.pattern.matches(path, false))
            .flat_map(|entry| &entry.codes)
            .collect();
        if !ignored.is_empty() {
            settings
                .rules
                .select
                .retain(|code| !ignored.iter().any(|i| i == &"ALL" || code.starts_with(*i)));
        }
        settings
    }

    /// A readable dump for `--show-settings`.
    pub fn describe(&self, file: &Path) -> String {
        let settings = self.for_file(file);
        let mut out = String::new();
        let config = self
            .config_path
            .as_ref()
            .map_or("(none: defaults)".to_string(), |p| p.display().to_string());
        out.push_str(&format!("Settings for {}\n", file.display()));
        out.push_str(&format!("config file: {config}\n"));
        out.push_str(&format!(
            "enabled rules: [{}]\n",
            settings.rules.select.join(", ")
        ));
        out.push_str(&format!(
            "target-version: {} ({})\n",
            settings.target_version, self.target_version_source
        ));
        for set in &self.exclude {
            out.push_str(&format!(
                "exclude (relative to {}): [{}]\n",
                set.root.display(),
                set.patterns.join(", ")
            ));
        }
        for entry in &self.per_file_ignores {
            out.push_str(&format!(
                "per-file-ignores: {} = [{}]\n",
                entry.pattern.patterns.join(", "),
                entry.codes.join(", ")
            ));
        }
        out.push_str(&format!(
            "line-length (for fixes): {}\n",
            settings.style.line_length
        ));
        out.push_str(&format!(
            "honour-peer-noqa: {}\n",
            settings.honour_peer_noqa
        ));
        out.push_str(&format!("respect-gitignore: {}\n", self.respect_gitignore));
        out.push_str(&format!("force-exclude: {}\n", self.force_exclude));
        out
    }
}

type Cached<T> = Mutex<HashMap<PathBuf, Result<T, String>>>;

/// Finds and caches the settings of every folder a run touches.
pub struct Resolver {
    overrides: Overrides,
    cwd: PathBuf,
    /// folder -> the configuration file in it, if any.
    config_in_dir: Cached<Option<Arc<ProjectConfig>>>,
    /// folder -> its resolved settings.
    by_dir: Cached<Arc<ResolvedSettings>>,
    /// `--config`'s file, read once.
    fixed: Option<Vec<(PathBuf, FileConfig)>>,
}

impl Resolver {
    pub fn new(overrides: Overrides) -> Result<Self, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        let fixed = match &overrides.config {
            Some(path) if !overrides.isolated => {
                let path = std::path::absolute(path).map_err(|e| format!("--config: {e}"))?;
                if !path.is_file() {
                    return Err(format!("--config {}: no such file", path.display()));
                }
                let config = pyproject::read(&path)?;
                Some(chain(config, &mut Vec::new())?)
            }
            _ => None,
        };
        Ok(Resolver {
            overrides,
            cwd,
            config_in_dir: Mutex::default(),
            by_dir: Mutex::default(),
            fixed,
        })
    }

    pub fn absolute(&self, path: &Path) -> PathBuf {
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        // Most paths (every one a directory walk yields under a plain root)
        // have nothing to normalise: spare rebuilding them. Anything that
        // might be a `.` or `..` component, or a doubled or trailing
        // separator, goes through `normalize`.
        let bytes = joined.as_os_str().as_encoded_bytes();
        let plain = !bytes.ends_with(b"/")
            && !bytes
                .windows(2)
                .any(|pair| pair == b"/." || pair == b"//" || pair == b"\\.");
        if plain { joined } else { normalize(&joined) }
    }

    /// The settings of the folder holding `path` (a file), or of `path`
    /// itself when `is_dir`.
    pub fn for_path(&self, path: &Path, is_dir: bool) -> Result<Arc<ResolvedSettings>, String> {
        self.for_absolute(&self.absolute(path), is_dir)
    }

    /// [`Resolver::for_path`] of a path already made [`Resolver::absolute`].
    pub fn for_absolute(
        &self,
        absolute: &Path,
        is_dir: bool,
    ) -> Result<Arc<ResolvedSettings>, String> {
        let dir = if is_dir {
            absolute
        } else {
            absolute.parent().unwrap_or(absolute)
        };
        self.for_dir(dir)
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<ResolvedSettings>, String> {
        if let Some(found) = lock(&self.by_dir).get(dir) {
            return found.clone();
        }
        // A folder without configuration files of its own resolves exactly
        // as its parent does: reusing the parent's settings spares reading
        // and parsing the project's files again for every folder of a tree.
        let inherited = match dir.parent() {
            Some(parent) if !has_config_file(dir) => match self.for_dir(parent) {
                Ok(settings) if settings.style_rooted || self.overrides.isolated => {
                    Some(Ok(settings))
                }
                Ok(_) => None,
                Err(message) => Some(Err(message)),
            },
            _ => None,
        };
        let resolved = inherited.unwrap_or_else(|| self.resolve_dir(dir).map(Arc::new));
        lock(&self.by_dir).insert(dir.to_path_buf(), resolved.clone());
        resolved
    }

    fn resolve_dir(&self, dir: &Path) -> Result<ResolvedSettings, String> {
        let configs: Vec<(PathBuf, FileConfig)> = if self.overrides.isolated {
            Vec::new()
        } else if let Some(fixed) = &self.fixed {
            fixed.clone()
        } else {
            match self.closest_config(dir)? {
                Some(config) => chain((*config).clone(), &mut Vec::new())?,
                None => Vec::new(),
            }
        };
        let (requires_python, requires_source) = if self.overrides.isolated {
            (None, None)
        } else {
            self.closest_requires_python(dir)?
        };
        let mut resolved = build(
            &configs,
            &self.overrides,
            &self.cwd,
            requires_python,
            requires_source,
        )?;
        if !self.overrides.isolated {
            let (style, rooted) = style_for(dir)?;
            resolved.settings.style = style;
            resolved.style_rooted = rooted;
        }
        Ok(resolved)
    }

    /// The configuration in `dir` (cached), if it has one.
    fn config_in(&self, dir: &Path) -> Result<Option<Arc<ProjectConfig>>, String> {
        if let Some(found) = lock(&self.config_in_dir).get(dir) {
            return found.clone();
        }
        let mut found = Ok(None);
        for name in CONFIG_FILE_NAMES {
            let candidate = dir.join(name);
            if !candidate.is_file() {
                continue;
            }
            match pyproject::read(&candidate) {
                Ok(config) if config.has_table || *name == "pyproject.toml" => {
                    found = Ok(Some(Arc::new(config)));
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    found = Err(e);
                    break;
                }
            }
        }
        lock(&self.config_in_dir).insert(dir.to_path_buf(), found.clone());
        found
    }

    fn closest_config(&self, dir: &Path) -> Result<Option<Arc<ProjectConfig>>, String> {
        for ancestor in dir.ancestors() {
            if let Some(config) = self.config_in(ancestor)?
                && config.has_table
            {
                return Ok(Some(config));
            }
        }
        Ok(None)
    }

    fn closest_requires_python(
        &self,
        dir: &Path,
    ) -> Result<(Option<TargetVersion>, Option<PathBuf>), String> {
        for ancestor in dir.ancestors() {
            let pyproject = ancestor.join("pyproject.toml");
            if !pyproject.is_file() {
                continue;
            }
            let config = match self.config_in(ancestor)? {
                Some(config) if config.path.as_deref() == Some(pyproject.as_path()) => config,
                // A dedicated file won in that folder; read the pyproject for its version.
                _ => Arc::new(pyproject::read(&pyproject)?),
            };
            if let Some(version) = config.requires_python {
                return Ok((Some(version), Some(pyproject)));
            }
        }
        Ok((None, None))
    }
}

/// The style fixes follow in `dir`: from the closest `pyproject.toml`
/// (`[tool.ruff]`, `[tool.black]`, `[tool.isort]`) and a `ruff.toml`
/// between `dir` and it; and whether a `pyproject.toml` was found.
fn style_for(dir: &Path) -> Result<(StyleSettings, bool), String> {
    let project = pyproject::load(dir)?;
    let root = project
        .path
        .as_ref()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| dir.to_path_buf());
    let style = &project.style;
    let mut src: Vec<PathBuf> = match &style.src {
        Some(src) => src.iter().map(|s| root.join(s)).collect(),
        None => vec![root.clone(), root.join("src")],
    };
    src.retain(|dir| dir.is_dir());
    let style = StyleSettings {
        line_length: style
            .line_length
            .unwrap_or(StyleSettings::DEFAULT_LINE_LENGTH),
        isort: IsortSettings {
            known_first_party: style.known_first_party.clone().unwrap_or_default(),
            known_third_party: style.known_third_party.clone().unwrap_or_default(),
            force_single_line: style.force_single_line.unwrap_or(false),
            force_sort_within_sections: style.force_sort_within_sections.unwrap_or(false),
            src,
        },
    };
    Ok((style, project.path.is_some()))
}

/// Whether `dir` holds a file any of the settings come from.
fn has_config_file(dir: &Path) -> bool {
    CONFIG_FILE_NAMES
        .iter()
        .chain(pyproject::RUFF_CONFIG_NAMES)
        .any(|name| dir.join(name).is_file())
}

/// `config` and the files it extends, base first. A cycle is an error.
fn chain(
    config: ProjectConfig,
    seen: &mut Vec<PathBuf>,
) -> Result<Vec<(PathBuf, FileConfig)>, String> {
    let path = config.path.clone().unwrap_or_default();
    if seen.contains(&path) {
        return Err(format!(
            "{}: `extend` makes a cycle ({})",
            path.display(),
            seen.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" -> ")
        ));
    }
    seen.push(path.clone());
    let mut out = Vec::new();
    if let Some(extend) = &config.tool.extend {
        let base = path.parent().unwrap_or(Path::new(".")).join(extend);
        let base = normalize(&base);
        if !base.is_file() {
            return Err(format!(
                "{}: extend: {} does not exist",
                path.display(),
                base.display()
            ));
        }
        let base_config = pyproject::read(&base)?;
        out.extend(chain(base_config, seen)?);
    }
    out.push((path, config.tool));
    Ok(out)
}

/// Resolves `configs` (base first) and the command line into settings.
// `..Settings::default()` keeps keys other parts add to `Settings`.
#[allow(clippy::needless_update)]
fn build(
    configs: &[(PathBuf, FileConfig)],
    overrides: &Overrides,
    cwd: &Path,
    requires_python: Option<TargetVersion>,
    requires_source: Option<PathBuf>,
) -> Result<ResolvedSettings, String> {
    let rules = all_infos();
    let mut layers = Vec::new();
    let mut target: Option<(TargetVersion, String)> = None;
    let mut exclude: Vec<PatternSet> = vec![PatternSet::new(
        cwd,
        &DEFAULT_EXCLUDES
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        "default excludes",
    )?];
    let mut per_file_ignores = Vec::new();
    let mut respect_gitignore = true;
    let mut force_exclude = false;
    let mut honour_peer_noqa = true;
    let mut loop_attributes: Option<Vec<String>> = None;
    let mut keep_task_helper: Option<String> = None;
    let mut report_alone_on_loop = false;
    let mut report_tests = false;
    for (path, config) in configs {
        let origin = path.display().to_string();
        let dir = path.parent().unwrap_or(Path::new("."));
        let selectors = |key: &str,
                         list: &Option<Vec<String>>|
         -> Result<Option<Vec<String>>, String> {
            list.as_ref()
                .map(|list| {
                    list.iter()
                        .map(|s| {
                            parse_selector(s, &rules).map_err(|e| format!("{origin}: {key}: {e}"))
                        })
                        .collect()
                })
                .transpose()
        };
        layers.push(SelectionLayer {
            select: selectors("select", &config.select)?,
            extend_select: selectors("extend-select", &config.extend_select)?.unwrap_or_default(),
            ignore: selectors("ignore", &config.ignore)?.unwrap_or_default(),
        });
        if let Some(name) = &config.target_version {
            let version = name
                .parse()
                .map_err(|e| format!("{origin}: target-version: {e}"))?;
            target = Some((version, format!("target-version in {origin}")));
        }
        if let Some(patterns) = &config.exclude {
            exclude = vec![PatternSet::new(dir, patterns, &origin)?];
        }
        if let Some(patterns) = &config.extend_exclude {
            exclude.push(PatternSet::new(dir, patterns, &origin)?);
        }
        if let Some(table) = &config.per_file_ignores {
            per_file_ignores.clear();
            for (pattern, codes) in table {
                let codes = codes
                    .iter()
                    .map(|c| {
                        parse_selector(c, &rules)
                            .map_err(|e| format!("{origin}: per-file-ignores `{pattern}`: {e}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                per_file_ignores.push(PerFileIgnore {
                    pattern: PatternSet::new(dir, std::slice::from_ref(pattern), &origin)?,
                    codes,
                });
            }
        }
        if let Some(value) = config.respect_gitignore {
            respect_gitignore = value;
        }
        if let Some(value) = config.force_exclude {
            force_exclude = value;
        }
        if let Some(value) = config.honour_peer_noqa {
            honour_peer_noqa = value;
        }
        if let Some(names) = &config.loop_attributes {
            loop_attributes = Some(names.clone());
        }
        if let Some(spec) = &config.keep_task_helper {
            keep_task_helper = Some(
                crate::config::settings::validate_keep_task_helper(spec)
                    .map_err(|e| format!("{origin}: keep-task-helper: {e}"))?,
            );
        }
        if let Some(value) = config.cs003.as_ref().and_then(|c| c.report_alone_on_loop) {
            report_alone_on_loop = value;
        }
        if let Some(value) = config.cs003.as_ref().and_then(|c| c.report_tests) {
            report_tests = value;
        }
    }
    let flag_selectors = |flag: &str, list: &[String]| -> Result<Vec<String>, String> {
        list.iter()
            .map(|s| parse_selector(s, &rules).map_err(|e| format!("{flag}: {e}")))
            .collect()
    };
    let select = match &overrides.select {
        Some(list) if list.is_empty() => {
            return Err("--select: empty rule selector (name at least one code, prefix or rule name; `ALL` selects every rule)".to_string());
        }
        Some(list) => Some(flag_selectors("--select", list)?),
        None => None,
    };
    layers.push(SelectionLayer {
        select,
        extend_select: flag_selectors("--extend-select", &overrides.extend_select)?,
        ignore: flag_selectors("--ignore", &overrides.ignore)?,
    });
    if let Some(version) = overrides.target_version {
        target = Some((version, "--target-version".to_string()));
    }
    if let Some(patterns) = &overrides.exclude {
        exclude = vec![PatternSet::new(cwd, patterns, "--exclude")?];
    }
    if !overrides.extend_exclude.is_empty() {
        exclude.push(PatternSet::new(
            cwd,
            &overrides.extend_exclude,
            "--extend-exclude",
        )?);
    }
    if let Some(value) = overrides.respect_gitignore {
        respect_gitignore = value;
    }
    if let Some(value) = overrides.force_exclude {
        force_exclude = value;
    }
    let (target_version, target_version_source) = match (target, requires_python) {
        (Some(found), _) => found,
        (None, Some(version)) => (
            version,
            format!(
                "requires-python in {}",
                requires_source.unwrap_or_default().display()
            ),
        ),
        (None, None) => (TargetVersion::DEFAULT, "default".to_string()),
    };
    Ok(ResolvedSettings {
        config_path: configs.last().map(|(p, _)| p.clone()),
        target_version_source,
        settings: Settings {
            rules: RuleSelection::resolve(&layers, &rules),
            target_version,
            honour_peer_noqa,
            loop_attributes: loop_attributes.unwrap_or_else(|| Settings::default().loop_attributes),
            keep_task_helper,
            report_alone_on_loop,
            report_tests,
            project_root: Some(
                configs
                    .last()
                    .and_then(|(p, _)| p.parent().map(Path::to_path_buf))
                    .unwrap_or_else(|| cwd.to_path_buf()),
            ),
            ..Settings::default()
        },
        exclude,
        per_file_ignores,
        respect_gitignore,
        force_exclude,
        style_rooted: false,
    })
}

/// Removes `.` and resolves `..` lexically (no file-system access, so
/// symbolic links are not followed).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(root: &str, patterns: &[&str]) -> PatternSet {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        PatternSet::new(Path::new(root), &patterns, "test").unwrap()
    }

    #[test]
    fn patterns_match_under_their_root_and_by_name_outside_it() {
        let s = set("/repo", &["migrations/", "/top.py", "*_pb2.py"]);
        assert!(s.matches(Path::new("/repo/app/migrations"), true));
        assert!(s.matches(Path::new("/repo/app/migrations/0001.py"), false));
        assert!(s.matches(Path::new("/repo/top.py"), false));
        assert!(!s.matches(Path::new("/repo/pkg/top.py"), false), "anchored");
        assert!(s.matches(Path::new("/repo/pkg/api_pb2.py"), false));
        // Outside the root only names can match; anchored patterns cannot.
        assert!(s.matches(Path::new("/elsewhere/migrations/x.py"), false));
        assert!(!s.matches(Path::new("/elsewhere/top.py"), false));
        assert!(!s.matches(Path::new("/repo"), true), "the root itself");
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c/pyproject.toml")),
            PathBuf::from("/a/c/pyproject.toml")
        );
    }
}
