//! Reading `[tool.codesight]` from the nearest `pyproject.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::settings::TargetVersion;

/// The `[tool.codesight]` table. Unknown keys are errors so that a typo does
/// not silently change nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub target_version: Option<String>,
    /// CS001: attribute names that hold an event loop (`[]` turns the
    /// convention off).
    pub loop_attributes: Option<Vec<String>>,
    /// CS001: the project's keep-reference helper, `"pkg.tasks:spawn"`.
    pub keep_task_helper: Option<String>,
}

#[derive(Debug, Default)]
pub struct ProjectConfig {
    /// The `pyproject.toml` that was read, if any.
    pub path: Option<PathBuf>,
    pub tool: FileConfig,
    /// From `[project] requires-python`.
    pub requires_python: Option<TargetVersion>,
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

/// Loads the configuration that applies to `start`. Errors name the file and
/// the offending key.
pub fn load(start: &Path) -> Result<ProjectConfig, String> {
    let Some(path) = find_pyproject(start) else {
        return Ok(ProjectConfig::default());
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse(&text, &path)
}

pub fn parse(text: &str, path: &Path) -> Result<ProjectConfig, String> {
    let pyproject: PyProject =
        toml::from_str(text).map_err(|e| format!("{}: invalid TOML: {e}", path.display()))?;
    let tool = match pyproject.tool.and_then(|t| t.codesight) {
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
    }
}
