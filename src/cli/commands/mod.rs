//! The subcommands, and the preparation they share.

pub mod check;
pub mod fix;
pub mod interactive;
pub mod rules;

use std::path::{Path, PathBuf};

use crate::cli::CommonArgs;
use crate::config::pyproject;
use crate::config::settings::{
    IsortSettings, RuleSelection, Settings, StyleSettings, validate_selector,
};
use crate::io::discovery;
use crate::render::{FileError, display_path};
use crate::rules::all_infos;

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Settings and files for a `check` or `fix` run.
pub struct Run {
    pub settings: Settings,
    pub files: Vec<PathBuf>,
    /// The order to analyse `files` in (indices, largest file first).
    pub work_order: Vec<usize>,
    /// Paths that could not be walked; reported, and the run exits 2.
    pub errors: Vec<FileError>,
}

/// Resolves configuration (pyproject.toml, then flags) and discovers files.
/// A configuration or usage error is returned as a message (exit 2).
pub fn prepare(args: &CommonArgs) -> Result<Run, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config_start = paths
        .first()
        .map(PathBuf::as_path)
        .unwrap_or(Path::new("."));
    let project = pyproject::load(config_start)?;
    let config_name = project
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();

    let rules = all_infos();
    let mut selection = RuleSelection::default();
    if let Some(select) = &project.tool.select {
        for s in select {
            validate_selector(s, &rules)
                .map_err(|e| format!("{config_name}: [tool.codesight] select: {e}"))?;
        }
        selection.select = select.clone();
    }
    if let Some(ignore) = &project.tool.ignore {
        for s in ignore {
            validate_selector(s, &rules)
                .map_err(|e| format!("{config_name}: [tool.codesight] ignore: {e}"))?;
        }
        selection.ignore = ignore.clone();
    }
    if let Some(select) = &args.select {
        for s in select {
            validate_selector(s, &rules).map_err(|e| format!("--select: {e}"))?;
        }
        selection.select = select.clone();
    }
    for s in &args.ignore {
        validate_selector(s, &rules).map_err(|e| format!("--ignore: {e}"))?;
        selection.ignore.push(s.clone());
    }

    let target_version = match (&args.target_version, &project.tool.target_version) {
        (Some(version), _) => *version,
        (None, Some(name)) => name
            .parse()
            .map_err(|e| format!("{config_name}: [tool.codesight] target-version: {e}"))?,
        (None, None) => project.requires_python.unwrap_or_default(),
    };

    let loop_attributes = project
        .tool
        .loop_attributes
        .clone()
        .unwrap_or_else(|| Settings::default().loop_attributes);
    let keep_task_helper = match &project.tool.keep_task_helper {
        Some(spec) => Some(
            crate::config::settings::validate_keep_task_helper(spec)
                .map_err(|e| format!("{config_name}: [tool.codesight] keep-task-helper: {e}"))?,
        ),
        None => None,
    };

    let root = project
        .path
        .as_ref()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let exclude = project.tool.exclude.clone().unwrap_or_default();
    let discovered = discovery::discover(&paths, &exclude, &root);
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
    Ok(Run {
        settings: Settings {
            rules: selection,
            target_version,
            loop_attributes,
            keep_task_helper,
            style,
            honour_peer_noqa: project.tool.honour_peer_noqa.unwrap_or(true),
        },
        files: discovered.files,
        work_order: discovered.work_order,
        errors: discovered
            .errors
            .into_iter()
            .map(|(path, message)| FileError {
                path: display_path(&path),
                message,
            })
            .collect(),
    })
}

impl Run {
    /// The files in the order to analyse them in parallel.
    pub fn files_largest_first(&self) -> Vec<&PathBuf> {
        self.work_order.iter().map(|&i| &self.files[i]).collect()
    }
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
        eprintln!("error: {}: {}", error.path, error.message);
    }
}
