//! Reading one configuration file: the `[tool.codesight]` table of a
//! `pyproject.toml`, or the top-level table of a `codesight.toml` /
//! `.codesight.toml`; and the project's style settings that fixes follow
//! (`[tool.ruff]`, `[tool.black]`, `[tool.isort]`, or a `ruff.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::settings::TargetVersion;

/// The file names a configuration can live in, in the order they win when a
/// folder holds several (a dedicated file beats `pyproject.toml`, as with
/// Ruff's `.ruff.toml` / `ruff.toml`).
pub const CONFIG_FILE_NAMES: &[&str] = &[".codesight.toml", "codesight.toml", "pyproject.toml"];

/// Ruff's own configuration files, read for the style fixes follow.
pub const RUFF_CONFIG_NAMES: &[&str] = &["ruff.toml", ".ruff.toml"];

/// The configuration table. Unknown keys are errors so that a typo does not
/// silently change nothing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// Another configuration file whose settings this one starts from
    /// (relative to this file's folder).
    pub extend: Option<String>,
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    /// Replaces the default excludes.
    pub exclude: Option<Vec<String>>,
    /// Added to `exclude` (or to the defaults).
    pub extend_exclude: Option<Vec<String>>,
    /// Pattern -> codes to ignore in the files it matches.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    pub target_version: Option<String>,
    /// CS001: attribute names that hold an event loop (`[]` turns the
    /// convention off).
    pub loop_attributes: Option<Vec<String>>,
    /// CS001: the project's keep-reference helper, `"pkg.tasks:spawn"`.
    pub keep_task_helper: Option<String>,
    /// Per-rule options: `[tool.codesight.cs003]`.
    pub cs003: Option<Cs003Config>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    /// Whether `# noqa: RUF006` and the like suppress our findings too.
    pub honour_peer_noqa: Option<bool>,
}

/// `[tool.codesight.cs003]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cs003Config {
    /// Report blocking calls in coroutines that run alone on their loop
    /// (CLI commands, script entry points) too.
    pub report_alone_on_loop: Option<bool>,
    /// Report blocking calls in test code (`tests/`, `test_*.py`...) too.
    pub report_tests: Option<bool>,
}

/// Style settings other tools hold: every field is optional, and what is
/// missing keeps its default.
#[derive(Debug, Default, Clone)]
pub struct StyleConfig {
    pub line_length: Option<usize>,
    pub known_first_party: Option<Vec<String>>,
    pub known_third_party: Option<Vec<String>>,
    pub force_single_line: Option<bool>,
    pub force_sort_within_sections: Option<bool>,
    /// Ruff's `src`, relative to the configuration file.
    pub src: Option<Vec<String>>,
}

/// One configuration file as read.
#[derive(Debug, Default, Clone)]
pub struct ProjectConfig {
    /// The file that was read, if any.
    pub path: Option<PathBuf>,
    pub tool: FileConfig,
    /// From `[project] requires-python` (of a `pyproject.toml`).
    pub requires_python: Option<TargetVersion>,
    pub style: StyleConfig,
    /// Whether the file has a CodeSight table at all (a `pyproject.toml`
    /// without `[tool.codesight]` is not a CodeSight configuration).
    pub has_table: bool,
}

#[derive(Debug, Deserialize)]
struct PyProject {
    tool: Option<Tools>,
    project: Option<Project>,
}

#[derive(Debug, Deserialize)]
struct Tools {
    codesight: Option<toml::Value>,
    ruff: Option<toml::Value>,
    black: Option<toml::Value>,
    isort: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Project {
    requires_python: Option<String>,
}

/// Finds the nearest `pyproject.toml` at or above `start`.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("pyproject.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Loads the configuration that applies to `start`. Errors name the file and
/// the offending key.
pub fn load(start: &Path) -> Result<ProjectConfig, String> {
    let Some(path) = find_pyproject(start) else {
        return Ok(ProjectConfig::default());
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut config = parse(&text, &path)?;
    // A `ruff.toml` at or below the pyproject's folder holds Ruff's settings.
    if let Some(ruff) = find_ruff_toml(start, path.parent())
        && let Ok(text) = std::fs::read_to_string(&ruff)
        && let Ok(value) = toml::from_str::<toml::Value>(&text)
    {
        let mut style = StyleConfig::default();
        read_ruff(&value, &mut style);
        config.style = merge(style, config.style.clone());
    }
    Ok(config)
}

/// The nearest `ruff.toml` or `.ruff.toml` at or above `start`, not above
/// `stop` (the pyproject's folder).
fn find_ruff_toml(start: &Path, stop: Option<&Path>) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        for name in RUFF_CONFIG_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if Some(d) == stop {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// `first`'s settings, completed with `second`'s.
fn merge(first: StyleConfig, second: StyleConfig) -> StyleConfig {
    StyleConfig {
        line_length: first.line_length.or(second.line_length),
        known_first_party: first.known_first_party.or(second.known_first_party),
        known_third_party: first.known_third_party.or(second.known_third_party),
        force_single_line: first.force_single_line.or(second.force_single_line),
        force_sort_within_sections: first
            .force_sort_within_sections
            .or(second.force_sort_within_sections),
        src: first.src.or(second.src),
    }
}

/// A key of another tool's table, spelled with dashes (Ruff) or
/// underscores (isort, Black).
fn key<'v>(table: &'v toml::Value, name: &str) -> Option<&'v toml::Value> {
    table
        .get(name)
        .or_else(|| table.get(name.replace('-', "_").as_str()))
}

fn strings(value: Option<&toml::Value>) -> Option<Vec<String>> {
    value?.as_array().map(|items| {
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

/// Reads the isort options of an isort-like table (`[tool.isort]`,
/// `[tool.ruff.lint.isort]`) into `style` where it has none yet.
fn read_isort(table: &toml::Value, style: &mut StyleConfig) {
    if style.known_first_party.is_none() {
        style.known_first_party = strings(key(table, "known-first-party"));
    }
    if style.known_third_party.is_none() {
        style.known_third_party = strings(key(table, "known-third-party"));
    }
    if style.force_single_line.is_none() {
        style.force_single_line = key(table, "force-single-line").and_then(toml::Value::as_bool);
    }
    if style.force_sort_within_sections.is_none() {
        style.force_sort_within_sections =
            key(table, "force-sort-within-sections").and_then(toml::Value::as_bool);
    }
}

/// Reads a Ruff table (`[tool.ruff]` or a `ruff.toml`).
fn read_ruff(ruff: &toml::Value, style: &mut StyleConfig) {
    style.line_length = key(ruff, "line-length")
        .and_then(toml::Value::as_integer)
        .and_then(|n| usize::try_from(n).ok());
    style.src = strings(key(ruff, "src"));
    if let Some(isort) = ruff.get("lint").and_then(|lint| lint.get("isort")) {
        read_isort(isort, style);
    }
    if let Some(isort) = ruff.get("isort") {
        read_isort(isort, style);
    }
}

/// Reads a configuration file of any of the [`CONFIG_FILE_NAMES`] kinds
/// (any name other than `pyproject.toml` is read as a dedicated file).
pub fn read(path: &Path) -> Result<ProjectConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        parse(&text, path)
    } else {
        parse_dedicated(&text, path)
    }
}

/// Parses a `codesight.toml` / `.codesight.toml`: the whole file is the table.
pub fn parse_dedicated(text: &str, path: &Path) -> Result<ProjectConfig, String> {
    let tool: FileConfig = toml::from_str(text)
        .map_err(|e| format!("{}: invalid configuration: {e}", path.display()))?;
    Ok(ProjectConfig {
        path: Some(path.to_path_buf()),
        tool,
        has_table: true,
        ..ProjectConfig::default()
    })
}

/// Parses a `pyproject.toml`.
pub fn parse(text: &str, path: &Path) -> Result<ProjectConfig, String> {
    let pyproject: PyProject =
        toml::from_str(text).map_err(|e| format!("{}: invalid TOML: {e}", path.display()))?;
    let mut style = StyleConfig::default();
    let mut codesight = None;
    if let Some(tools) = pyproject.tool {
        if let Some(ruff) = &tools.ruff {
            read_ruff(ruff, &mut style);
        }
        if style.line_length.is_none() {
            style.line_length = tools
                .black
                .as_ref()
                .and_then(|black| key(black, "line-length"))
                .and_then(toml::Value::as_integer)
                .and_then(|n| usize::try_from(n).ok());
        }
        if let Some(isort) = &tools.isort {
            read_isort(isort, &mut style);
            if style.line_length.is_none() {
                style.line_length = key(isort, "line-length")
                    .and_then(toml::Value::as_integer)
                    .and_then(|n| usize::try_from(n).ok());
            }
        }
        codesight = tools.codesight;
    }
    let has_table = codesight.is_some();
    let tool = match codesight {
        Some(value) => FileConfig::deserialize(value)
            .map_err(|e| format!("{}: invalid [tool.codesight] section: {e}", path.display()))?,
        None => FileConfig::default(),
    };
    let requires_python = pyproject
        .project
        .and_then(|p| p.requires_python)
        .and_then(|spec| TargetVersion::from_requires_python(&spec));
    Ok(ProjectConfig {
        path: Some(path.to_path_buf()),
        tool,
        requires_python,
        style,
        has_table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_key() {
        let err = parse(
            "[tool.codesight]\nselekt = [\"CS001\"]\n",
            Path::new("p/pyproject.toml"),
        )
        .unwrap_err();
        assert!(err.contains("p/pyproject.toml"), "{err}");
        assert!(err.contains("selekt"), "{err}");
        let err = parse_dedicated("selekt = []\n", Path::new("codesight.toml")).unwrap_err();
        assert!(err.contains("selekt"), "{err}");
    }

    #[test]
    fn reads_the_cs003_table() {
        let config = parse(
            "[tool.codesight.cs003]\nreport-alone-on-loop = true\nreport-tests = true\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        let cs003 = config.tool.cs003.unwrap();
        assert_eq!(cs003.report_alone_on_loop, Some(true));
        assert_eq!(cs003.report_tests, Some(true));
        let err = parse(
            "[tool.codesight.cs003]\nreport-alone = true\n",
            Path::new("pyproject.toml"),
        )
        .unwrap_err();
        assert!(err.contains("report-alone"), "{err}");
    }

    #[test]
    fn reads_requires_python_and_table() {
        let config = parse(
            "[project]\nrequires-python = \">=3.11\"\n[tool.codesight]\nignore = [\"CS002\"]\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        assert_eq!(config.requires_python.unwrap().minor, 11);
        assert_eq!(config.tool.ignore.unwrap(), vec!["CS002".to_string()]);
        assert!(config.has_table);
        let bare = parse("[project]\nname = \"x\"\n", Path::new("pyproject.toml")).unwrap();
        assert!(!bare.has_table);
    }

    #[test]
    fn reads_style_from_ruff_black_and_isort() {
        let config = parse(
            "[tool.ruff]\nline-length = 120\n[tool.ruff.lint.isort]\nknown-first-party = [\"app\"]\nforce-single-line = true\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        assert_eq!(config.style.line_length, Some(120));
        assert_eq!(config.style.known_first_party.unwrap(), vec!["app"]);
        assert_eq!(config.style.force_single_line, Some(true));
        let config = parse(
            "[tool.black]\nline-length = 100\n[tool.isort]\nknown_first_party = [\"lib\"]\n[tool.codesight]\nhonour-peer-noqa = false\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        assert_eq!(config.style.line_length, Some(100));
        assert_eq!(config.style.known_first_party.unwrap(), vec!["lib"]);
        assert_eq!(config.tool.honour_peer_noqa, Some(false));
        // Ruff's settings win over Black's.
        let config = parse(
            "[tool.black]\nline-length = 100\n[tool.ruff]\nline-length = 79\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        assert_eq!(config.style.line_length, Some(79));
    }

    #[test]
    fn reads_cs001_settings() {
        let config = parse(
            "[tool.codesight]\nloop-attributes = []\nkeep-task-helper = \"pkg.tasks:spawn\"\n",
            Path::new("pyproject.toml"),
        )
        .unwrap();
        assert_eq!(config.tool.loop_attributes, Some(Vec::new()));
        assert_eq!(
            config.tool.keep_task_helper.as_deref(),
            Some("pkg.tasks:spawn")
        );
        assert!(crate::config::settings::validate_keep_task_helper("pkg.tasks:spawn").is_ok());
        assert!(crate::config::settings::validate_keep_task_helper("pkg.tasks.spawn").is_err());
        assert!(crate::config::settings::validate_keep_task_helper("pkg:1spawn").is_err());
    }
}
