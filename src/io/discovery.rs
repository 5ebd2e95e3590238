//! Finding the Python files to check.

use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::config::resolver::{ResolvedSettings, Resolver};

#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path.
    pub files: Vec<PathBuf>,
    /// Indices into `files`, largest file first: the order to analyse them
    /// in parallel, so no core is left alone with a big file at the end.
    pub work_order: Vec<usize>,
    /// For each of `files` found by walking a directory, the settings of
    /// its folder, resolved while walking (`None` for files named on the
    /// command line).
    pub settings: Vec<Option<Arc<ResolvedSettings>>>,
    /// Paths that could not be read (missing, unreadable directory...).
    pub errors: Vec<(PathBuf, String)>,
}

/// A file found: its size and, when walking found it, its folder's settings.
type Found = (u64, Option<Arc<ResolvedSettings>>);

/// The extensions walked in directories.
const PYTHON_EXTENSIONS: &[&str] = &["py", "pyi"];

/// Walks `paths`: directories recursively (honouring `.gitignore` inside or
/// outside a git repository unless `respect-gitignore` is off, skipping
/// hidden and excluded paths, taking `*.py` and `*.pyi` files), files named
/// explicitly always, unless `force-exclude` is on and they are excluded.
/// Each path's exclusions come from the settings of its own folder.
pub fn discover(paths: &[PathBuf], resolver: &Resolver) -> Discovered {
    let mut found = Discovered::default();
    // Every file found; filled by the walker's threads.
    let sized: Mutex<Vec<(PathBuf, Found)>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    // Whether `path` is excluded by the settings of the folder holding it.
    // With those settings, when they could be read. `parent_walked`: the
    // walk went into the folder holding `path`, so that folder was checked
    // already, with the settings of its own parent.
    let excluded_with =
        |path: &Path, is_dir: bool, parent_walked: bool| -> (bool, Option<Arc<ResolvedSettings>>) {
            let absolute = resolver.absolute(path);
            match resolver.for_absolute(&absolute, false) {
                Ok(settings) => {
                    // When those were this file's settings too, the folder and
                    // its parents are known not to match: only the path itself
                    // is left to match.
                    let folder_checked_alike = parent_walked
                        && absolute.parent().is_some_and(|folder| {
                            resolver
                                .for_absolute(folder, false)
                                .is_ok_and(|above| Arc::ptr_eq(&above, &settings))
                        });
                    let excluded = if folder_checked_alike {
                        settings.is_excluded_itself(&absolute, is_dir)
                    } else {
                        settings.is_excluded(&absolute, is_dir)
                    };
                    (excluded, Some(settings))
                }
                Err(message) => {
                    let mut errors = lock(&errors);
                    if !errors.iter().any(|(_, m)| m == &message) {
                        errors.push((path.to_path_buf(), message));
                    }
                    (true, None)
                }
            }
        };
    let excluded = |path: &Path, is_dir: bool| excluded_with(path, is_dir, false).0;
    let force_exclude = |path: &Path, is_dir: bool| -> bool {
        resolver
            .for_path(path, false)
            .is_ok_and(|settings| settings.force_exclude)
            && excluded(path, is_dir)
    };
    for path in paths {
        match named_path(path) {
            Named::File(size) => {
                if !force_exclude(path, false) {
                    lock(&sized).push((path.clone(), (size, None)));
                }
                continue;
            }
            Named::Error(message) => {
                lock(&errors).push((path.clone(), message));
                continue;
            }
            Named::Directory => {}
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
                        let python = is_file
                            && entry
                                .path()
                                .extension()
                                .is_some_and(|e| PYTHON_EXTENSIONS.iter().any(|x| e == *x));
                        let mut settings = None;
                        if entry.depth() > 0 && (is_dir || is_file) {
                            let (excluded, resolved) =
                                excluded_with(entry.path(), is_dir, entry.depth() > 1);
                            if excluded {
                                return WalkState::Skip;
                            }
                            settings = resolved;
                        }
                        if python {
                            let size = entry.metadata().map_or(0, |m| m.len());
                            lock(&sized).push((entry.into_path(), (size, settings)));
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
    if paths.len() > 1 {
        // Overlapping paths (`. src`, `a.py ./a.py`) name some files twice
        // under different spellings: each file is checked and written once.
        sized = dedup_same_files(sized);
    }
    found
        .errors
        .extend(errors.into_inner().unwrap_or_else(|e| e.into_inner()));
    found.errors.sort();
    let mut order: Vec<usize> = (0..sized.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sized[i].1.0));
    found.work_order = order;
    (found.files, found.settings) = sized
        .into_iter()
        .map(|(path, (_, settings))| (path, settings))
        .unzip();
    found
}

/// What a path named on the command line is.
enum Named {
    /// A regular file (or a link to one), of this size: checked whatever its
    /// name.
    File(u64),
    Directory,
    /// Something that is not read: missing, a dangling link or a link loop,
    /// a FIFO, a device, a notebook.
    Error(String),
}

fn named_path(path: &Path) -> Named {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) => {
            let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let message = if is_loop(&err) {
                "symbolic link loop (the link leads back to itself); not read".to_string()
            } else if is_link && err.kind() == std::io::ErrorKind::NotFound {
                "symbolic link to a missing file; not read".to_string()
            } else if err.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory".to_string()
            } else {
                format!("cannot read: {err}")
            };
            return Named::Error(message);
        }
    };
    if metadata.is_dir() {
        return Named::Directory;
    }
    if !metadata.is_file() {
        return Named::Error(format!(
            "not a regular file ({}); only files and directories can be checked",
            special_kind(&metadata)
        ));
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
    {
        return Named::Error(
            "Jupyter notebooks are not supported; export the notebook to a .py file to check it"
                .to_string(),
        );
    }
    Named::File(metadata.len())
}

fn is_loop(err: &std::io::Error) -> bool {
    // ELOOP on Linux and most other Unixes (40; 62 on macOS and the BSDs).
    matches!(err.raw_os_error(), Some(40) if cfg!(target_os = "linux"))
        || matches!(err.raw_os_error(), Some(62) if cfg!(any(target_os = "macos", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")))
}

#[cfg(unix)]
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_metadata: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// Keeps one path per file (by canonical path), preferring one that is not
/// a symbolic link (fixes are never written through links), then the
/// shortest spelling; keeps the byte order of the paths.
fn dedup_same_files<T>(sized: Vec<(PathBuf, T)>) -> Vec<(PathBuf, T)> {
    use std::collections::HashMap;
    let mut best: HashMap<PathBuf, usize> = HashMap::new();
    let rank = |path: &Path| {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        (link, path.as_os_str().len())
    };
    for (i, (path, _)) in sized.iter().enumerate() {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        match best.get(&key) {
            Some(&j) if rank(&sized[j].0) <= rank(path) => {}
            _ => {
                best.insert(key, i);
            }
        }
    }
    let mut keep = vec![false; sized.len()];
    for i in best.into_values() {
        keep[i] = true;
    }
    sized
        .into_iter()
        .zip(keep)
        .filter_map(|(entry, keep)| keep.then_some(entry))
        .collect()
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
