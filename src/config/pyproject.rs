//! Reading one configuration file: the `[tool.codesight]` table of a
//! `pyproject.toml`, or the top-level table of a `codesight.toml` /
//! `.codesight.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::settings::TargetVersion;

/// The file names a configuration can live in, in the order they win when a
/// folder holds several (a dedicated file beats `pyproject.toml`, as with
/// Ruff's `.ruff.toml` / `ruff.toml`).
pub const CONFIG_FILE_NAMES: &[&str] = &[".codesight.toml", "codesight.toml", "pyproject.toml"];

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
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
}

/// One configuration file as read.
#[derive(Debug, Default, Clone)]
pub struct ProjectConfig {
    /// The file that was read, if any.
    pub path: Option<PathBuf>,
    pub tool: FileConfig,
    /// From `[project] requires-python` (of a `pyproject.toml`).
    pub requires_python: Option<TargetVersion>,
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

/// Loads the `pyproject.toml` that applies to `start`. Errors name the file
/// and the offending key.
pub fn load(start: &Path) -> Result<ProjectConfig, String> {
    let Some(path) = find_pyproject(start) else {
        return Ok(ProjectConfig::default());
    };
    read(&path)
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

/// Parses a `pyproject.toml`.
pub fn parse(text: &str, path: &Path) -> Result<ProjectConfig, String> {
    let pyproject: PyProject =
        toml::from_str(text).map_err(|e| format!("{}: invalid TOML: {e}", path.display()))?;
    let table = pyproject.tool.and_then(|t| t.codesight);
    let has_table = table.is_some();
    let tool = match table {
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
        has_table,
    })
}

/// Parses a `codesight.toml` / `.codesight.toml`: the whole file is the table.
pub fn parse_dedicated(text: &str, path: &Path) -> Result<ProjectConfig, String> {
    let tool: FileConfig = toml::from_str(text)
        .map_err(|e| format!("{}: invalid configuration: {e}", path.display()))?;
    Ok(ProjectConfig {
        path: Some(path.to_path_buf()),
        tool,
        requires_python: None,
        has_table: true,
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
}
