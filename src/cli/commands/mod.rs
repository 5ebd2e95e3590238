//! The subcommands, and the preparation they share.

pub mod check;
pub mod fix;
pub mod interactive;
pub mod rules;

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::analysis::project::ProjectIndex;
use crate::cli::CommonArgs;
use crate::config::resolver::{ResolvedSettings, Resolver};
use crate::config::settings::Settings;
use crate::io::discovery;
use crate::render::{FileError, display_path};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Settings and files for a `check` or `fix` run.
pub struct Run {
    /// The settings of the first path (or of the current directory).
    pub settings: Settings,
    pub files: Vec<PathBuf>,
    /// The settings of each of `files` (the closest configuration's, with
    /// `per-file-ignores` applied).
    pub file_settings: Vec<Arc<Settings>>,
    /// The order to analyse `files` in (indices, largest file first).
    pub work_order: Vec<usize>,
    /// Paths that could not be walked; reported, and the run exits 2.
    pub errors: Vec<FileError>,
    /// Source read from standard input (`-`), instead of `files`.
    pub stdin: Option<StdinSource>,
}

/// Source given on standard input.
pub struct StdinSource {
    /// The path used for settings and analysis (`--stdin-filename`, or `-`).
    pub path: PathBuf,
    /// The name shown in output.
    pub shown: String,
    pub text: String,
    pub settings: Settings,
    /// `--force-exclude` is on and the name is excluded: pass it through.
    pub excluded: bool,
}

/// Resolves configuration (the closest configuration file of each file,
/// then flags) and discovers files. A configuration or usage error is
/// returned as a message (exit 2).
pub fn prepare(args: &CommonArgs) -> Result<Run, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let resolver = Resolver::new(args.overrides())?;
    let from_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if from_stdin {
        if paths.len() > 1 {
            return Err("`-` (standard input) cannot be combined with other paths".to_string());
        }
        let name = args.stdin_filename.clone();
        let settings_path = name.clone().unwrap_or_else(|| PathBuf::from("-"));
        let resolved = resolver.for_path(&settings_path, false)?;
        let absolute = resolver.absolute(&settings_path);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let excluded =
            name.is_some() && resolved.force_exclude && resolved.is_excluded(&absolute, false);
        let settings = resolved.for_file(&absolute);
        return Ok(Run {
            settings: settings.clone(),
            files: Vec::new(),
            file_settings: Vec::new(),
            work_order: Vec::new(),
            errors: Vec::new(),
            stdin: Some(StdinSource {
                shown: name.as_deref().map_or("-".to_string(), display_path),
                path: settings_path,
                text,
                settings,
                excluded,
            }),
        });
    }
    if let Some(name) = &args.stdin_filename {
        return Err(format!(
            "--stdin-filename {} needs `-` as the path (the source comes from standard input)",
            name.display()
        ));
    }
    let root_settings = resolver.for_path(&paths[0], paths[0].is_dir())?;
    let discovered = discovery::discover(&paths, &resolver);
    let mut errors: Vec<FileError> = discovered
        .errors
        .into_iter()
        .map(|(path, message)| FileError {
            path: display_path(&path),
            message,
        })
        .collect();
    let mut file_settings = Vec::with_capacity(discovered.files.len());
    // The files of a folder without per-file ignores share its settings.
    let mut shared: FxHashMap<*const ResolvedSettings, Arc<Settings>> = FxHashMap::default();
    let root_shared = Arc::new(root_settings.settings.clone());
    for (file, found) in discovered.files.iter().zip(discovered.settings) {
        let resolved = match found {
            Some(resolved) => Ok(resolved),
            None => resolver.for_path(file, false),
        };
        match resolved {
            Ok(resolved) if resolved.per_file_ignores.is_empty() => file_settings.push(
                shared
                    .entry(Arc::as_ptr(&resolved))
                    .or_insert_with(|| Arc::new(resolved.settings.clone()))
                    .clone(),
            ),
            Ok(resolved) => {
                file_settings.push(Arc::new(resolved.for_file(&resolver.absolute(file))));
            }
            Err(message) => {
                errors.push(FileError {
                    path: display_path(file),
                    message,
                });
                file_settings.push(root_shared.clone());
            }
        }
    }
    // `--show-files` only lists the files.
    let file_settings = if args.show_files {
        file_settings
    } else {
        with_project_index(&discovered.files, file_settings)
    };
    if args.show_settings {
        let first = discovered.files.first().unwrap_or(&paths[0]);
        let resolved = resolver.for_path(first, first.is_dir())?;
        print!("{}", resolved.describe(&resolver.absolute(first)));
    }
    Ok(Run {
        settings: root_settings.settings.clone(),
        files: discovered.files,
        file_settings,
        work_order: discovered.work_order,
        errors,
        stdin: None,
    })
}

/// The settings of each file, given the project index of all of them
/// ([`ProjectIndex`]): built once, in parallel, before any rule runs, and
/// shared by every file's settings.
fn with_project_index(files: &[PathBuf], file_settings: Vec<Arc<Settings>>) -> Vec<Arc<Settings>> {
    let indexed: Vec<(&PathBuf, &Settings)> = files
        .iter()
        .zip(&file_settings)
        .map(|(file, settings)| (file, &**settings))
        .collect();
    let index = Arc::new(ProjectIndex::build(&indexed));
    if index.is_empty() {
        return file_settings;
    }
    // Files that shared settings still share them.
    let mut shared: FxHashMap<*const Settings, Arc<Settings>> = FxHashMap::default();
    file_settings
        .iter()
        .map(|settings| {
            shared
                .entry(Arc::as_ptr(settings))
                .or_insert_with(|| {
                    Arc::new(Settings {
                        project: index.clone(),
                        ..(**settings).clone()
                    })
                })
                .clone()
        })
        .collect()
}

impl Run {
    /// The files in the order to analyse them in parallel, with their settings.
    pub fn files_largest_first(&self) -> Vec<(&PathBuf, &Settings)> {
        self.work_order
            .iter()
            .map(|&i| (&self.files[i], &*self.file_settings[i]))
            .collect()
    }

    /// Handles `--show-files` / `--show-settings` (printed by [`prepare`]) and
    /// the "no Python files" warning. `Some(code)` ends the run.
    pub fn early_exit(&self, args: &CommonArgs) -> Option<u8> {
        if args.show_files {
            let mut shown: Vec<String> = self.files.iter().map(|f| display_path(f)).collect();
            shown.sort();
            for path in shown {
                println!("{path}");
            }
            report_errors(&self.errors);
            return Some(if self.errors.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_ERROR
            });
        }
        if args.show_settings {
            report_errors(&self.errors);
            return Some(if self.errors.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_ERROR
            });
        }
        if self.stdin.is_none() && self.files.is_empty() && self.errors.is_empty() {
            say!("warning: No Python files found under the given path(s)");
        }
        None
    }
}

/// Where findings go: standard output, or `--output-file`.
pub fn output(output_file: Option<&std::path::Path>) -> Result<Box<dyn std::io::Write>, String> {
    match output_file {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("--output-file {}: {e}", path.display()))?;
            }
            let file = std::fs::File::create(path)
                .map_err(|e| format!("--output-file {}: {e}", path.display()))?;
            Ok(Box::new(std::io::BufWriter::new(file)))
        }
        None => Ok(Box::new(std::io::BufWriter::new(std::io::stdout()))),
    }
}

/// Whether an output error is the reader going away (`| head`): the run
/// then ends quietly, with the exit code its findings call for.
pub fn is_closed_pipe(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::BrokenPipe
}

/// A progress bar on stderr for long runs: shown only when stderr is a
/// terminal, the run is not quiet, and there are enough files to wait for.
pub fn progress_bar(files: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    const MIN_FILES: usize = 200;
    if quiet || files < MIN_FILES || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

pub fn report_errors(errors: &[FileError]) {
    for error in errors {
        say!("error: {}: {}", error.path, error.message);
    }
}
