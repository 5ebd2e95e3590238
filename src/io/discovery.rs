//! Finding the Python files to check.

use std::path::{Path, PathBuf};

use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::config::resolver::Resolver;

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

/// The extensions walked in directories.
const PYTHON_EXTENSIONS: &[&str] = &["py", "pyi"];

/// Walks `paths`: directories recursively (honouring `.gitignore` inside or
/// outside a git repository unless `respect-gitignore` is off, skipping
/// hidden and excluded paths, taking `*.py` and `*.pyi` files), files named
/// explicitly always, unless `force-exclude` is on and they are excluded.
/// Each path's exclusions come from the settings of its own folder.
pub fn discover(paths: &[PathBuf], resolver: &Resolver) -> Discovered {
    let mut found = Discovered::default();
    // (path, size) of every file found; filled by the walker's threads.
    let sized: Mutex<Vec<(PathBuf, u64)>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    // Whether `path` is excluded by the settings of the folder holding it.
    let excluded = |path: &Path, is_dir: bool| -> bool {
        match resolver.for_path(path, false) {
            Ok(settings) => settings.is_excluded(&resolver.absolute(path), is_dir),
            Err(message) => {
                let mut errors = lock(&errors);
                if !errors.iter().any(|(_, m)| m == &message) {
                    errors.push((path.to_path_buf(), message));
                }
                true
            }
        }
    };
    let force_exclude = |path: &Path, is_dir: bool| -> bool {
        resolver
            .for_path(path, false)
            .is_ok_and(|settings| settings.force_exclude)
            && excluded(path, is_dir)
    };
    for path in paths {
        if path.is_file() {
            if !force_exclude(path, false) {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                lock(&sized).push((path.clone(), size));
            }
            continue;
        }
        if !path.exists() {
            lock(&errors).push((path.clone(), "no such file or directory".to_string()));
            continue;
        }
        if force_exclude(path, true) {
            continue;
        }
        let respect_gitignore = match resolver.for_path(path, true) {
            Ok(settings) => settings.respect_gitignore,
            Err(message) => {
                lock(&errors).push((path.clone(), message));
                continue;
            }
        };
        let mut walker = WalkBuilder::new(path);
        walker
            .hidden(true)
            .git_ignore(respect_gitignore)
            .git_global(respect_gitignore)
            .git_exclude(respect_gitignore)
            .ignore(respect_gitignore)
            .require_git(false)
            .parents(respect_gitignore)
            .follow_links(false);
        walker.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                        let is_file = entry.file_type().is_some_and(|t| t.is_file());
                        if entry.depth() > 0
                            && (is_dir || is_file)
                            && excluded(entry.path(), is_dir)
                        {
                            return WalkState::Skip;
                        }
                        if is_file
                            && entry
                                .path()
                                .extension()
                                .is_some_and(|e| PYTHON_EXTENSIONS.iter().any(|x| e == *x))
                        {
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
