//! Finding the Python files to check.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// Directories never descended into (hidden ones are skipped too).
const DEFAULT_EXCLUDES: &[&str] = &[
    "__pycache__",
    "node_modules",
    "site-packages",
    "venv",
    "build",
    "dist",
    "__pypackages__",
];

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Paths that could not be read (missing, unreadable directory...).
    pub errors: Vec<(PathBuf, String)>,
}

/// Walks `paths`: directories recursively (honouring `.gitignore`, skipping
/// hidden and excluded paths, taking `*.py` files), files named explicitly
/// always. `exclude` holds gitignore-style patterns relative to `root`.
pub fn discover(paths: &[PathBuf], exclude: &[String], root: &Path) -> Discovered {
    let mut found = Discovered::default();
    let mut overrides = OverrideBuilder::new(root);
    for pattern in DEFAULT_EXCLUDES
        .iter()
        .map(|p| p.to_string())
        .chain(exclude.iter().cloned())
    {
        // An override starting with `!` excludes what it matches.
        if let Err(err) = overrides.add(&format!("!{pattern}")) {
            found.errors.push((
                root.to_path_buf(),
                format!("invalid exclude pattern `{pattern}`: {err}"),
            ));
        }
    }
    let overrides = overrides.build().ok();
    for path in paths {
        if path.is_file() {
            found.files.push(path.clone());
            continue;
        }
        if !path.exists() {
            found
                .errors
                .push((path.clone(), "no such file or directory".to_string()));
            continue;
        }
        let mut walker = WalkBuilder::new(path);
        walker
            .hidden(true)
            .git_ignore(true)
            .parents(true)
            .follow_links(false);
        if let Some(overrides) = &overrides {
            walker.overrides(overrides.clone());
        }
        for entry in walker.build() {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && entry.path().extension().is_some_and(|e| e == "py") {
                        found.files.push(entry.into_path());
                    }
                }
                Err(err) => {
                    let at = err_path(&err).unwrap_or_else(|| path.clone());
                    found.errors.push((at, err.to_string()));
                }
            }
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => err_path(err),
        _ => None,
    }
}
