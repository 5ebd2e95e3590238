//! Finding the Python files to check.

use std::path::{Path, PathBuf};

use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

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
    /// Sorted by path.
    pub files: Vec<PathBuf>,
    /// Indices into `files`, largest file first: the order to analyse them
    /// in parallel, so no core is left alone with a big file at the end.
    pub work_order: Vec<usize>,
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
    // (path, size) of every file found; filled by the walker's threads.
    let sized: Mutex<Vec<(PathBuf, u64)>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    for path in paths {
        if path.is_file() {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            lock(&sized).push((path.clone(), size));
            continue;
        }
        if !path.exists() {
            lock(&errors).push((path.clone(), "no such file or directory".to_string()));
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
        walker.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if is_file && entry.path().extension().is_some_and(|e| e == "py") {
                            let size = entry.metadata().map_or(0, |m| m.len());
                            lock(&sized).push((entry.into_path(), size));
                        }
                    }
                    Err(err) => {
                        let at = err_path(&err).unwrap_or_else(|| path.clone());
                        lock(&errors).push((at, err.to_string()));
                    }
                }
                WalkState::Continue
            })
        });
    }
    let mut sized = sized.into_inner().unwrap_or_else(|e| e.into_inner());
    // Byte order of the paths: cheaper than comparing path components, and
    // what is shown is sorted again by its display form anyway.
    sized.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    sized.dedup_by(|a, b| a.0 == b.0);
    found
        .errors
        .extend(errors.into_inner().unwrap_or_else(|e| e.into_inner()));
    found.errors.sort();
    let mut order: Vec<usize> = (0..sized.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sized[i].1));
    found.work_order = order;
    found.files = sized.into_iter().map(|(path, _)| path).collect();
    found
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => err_path(err),
        _ => None,
    }
}
