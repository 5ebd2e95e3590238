//! `codesight fix`: apply fixes in bulk, print them as a diff, or review
//! them one at a time.

use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::ParallelProgressIterator;
use rayon::prelude::*;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, prepare, progress_bar, report_errors};
use crate::cli::{FixArgs, GlobalArgs};
use crate::config::settings::Settings;
use crate::fix::engine::{FixOutcome, fix_source};
use crate::io::source::SourceFile;
use crate::io::writer::write_if_unchanged;
use crate::render::diff::unified_diff;
use crate::render::summary::{self, ChangedFile};
use crate::render::{FileError, FileReport, display_path, text};

/// One file's fixing, before anything is written.
pub struct FixedFile {
    pub path: PathBuf,
    pub shown: String,
    pub original: String,
    pub outcome: FixOutcome,
}

fn fix_file(path: &Path, settings: &Settings, unsafe_ok: bool) -> Result<FixedFile, FileError> {
    let shown = display_path(path);
    let error = |message: String| FileError {
        path: shown.clone(),
        message,
    };
    let source = SourceFile::read(path).map_err(|e| error(e.to_string()))?;
    let outcome = fix_source(path, &source.text, settings, unsafe_ok)
        .map_err(|e| error(format!("{e}; file left untouched")))?;
    Ok(FixedFile {
        path: path.to_path_buf(),
        shown: shown.clone(),
        original: source.text,
        outcome,
    })
}

pub fn run(args: &FixArgs, global: GlobalArgs) -> u8 {
    let run = match prepare(&args.common) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if args.interactive {
        return super::interactive::run(&run, args.unsafe_fixes);
    }
    let bar = progress_bar(run.files.len(), global.quiet);
    let order = run.files_largest_first();
    let results: Vec<Result<FixedFile, FileError>> = order
        .par_iter()
        .progress_with(bar.clone())
        .map(|path| fix_file(path, &run.settings, args.unsafe_fixes))
        .collect();
    bar.finish_and_clear();
    let mut errors = run.errors;
    let mut fixed = Vec::new();
    for result in results {
        match result {
            Ok(file) => fixed.push(file),
            Err(error) => errors.push(error),
        }
    }
    fixed.sort_by(|a, b| a.shown.cmp(&b.shown));

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut files_changed = 0;
    let mut fixes_applied = 0;
    let mut remaining = Vec::new();
    let mut changed = Vec::new();
    let mut not_written = 0;
    for file in fixed {
        for dropped in &file.outcome.dropped {
            errors.push(FileError {
                path: file.shown.clone(),
                message: format!(
                    "{} fix \"{}\" would produce invalid Python; dropped",
                    dropped.code, dropped.title
                ),
            });
        }
        if file.outcome.changed(&file.original) {
            if args.diff {
                let _ = write!(
                    out,
                    "{}",
                    unified_diff(&file.shown, &file.original, &file.outcome.text)
                );
            } else if crate::cli::interrupt::requested() {
                not_written += 1;
                continue;
            } else if let Err(err) =
                write_if_unchanged(&file.path, &file.original, &file.outcome.text)
            {
                errors.push(FileError {
                    path: file.shown.clone(),
                    message: err.to_string(),
                });
                continue;
            }
            files_changed += 1;
            fixes_applied += file.outcome.applied.len();
            changed.push((file.shown.clone(), file.outcome.applied.clone()));
        }
        if !file.outcome.remaining.is_empty() {
            remaining.push(FileReport {
                path: file.shown,
                source: file.outcome.text,
                diagnostics: file.outcome.remaining,
            });
        }
    }
    let remaining_count: usize = remaining.iter().map(|r| r.diagnostics.len()).sum();
    if !args.diff {
        let _ = text::render(&remaining, args.unsafe_fixes, &mut out);
    }
    drop(out);
    if let Some(path) = &args.summary {
        let files: Vec<ChangedFile> = changed
            .iter()
            .map(|(path, applied)| ChangedFile { path, applied })
            .collect();
        if let Err(err) = std::fs::write(path, summary::render(&files, &remaining)) {
            errors.push(FileError {
                path: display_path(path),
                message: format!("cannot write the summary: {err}"),
            });
        }
    }
    report_errors(&errors);
    if crate::cli::interrupt::requested() {
        eprintln!(
            "Interrupted: {files_changed} file{} written, {not_written} left unchanged; every file is either fully fixed or untouched.",
            if files_changed == 1 { "" } else { "s" },
        );
        return crate::cli::interrupt::EXIT_INTERRUPTED;
    }
    if !global.quiet {
        let verb = if args.diff { "Would fix" } else { "Fixed" };
        eprintln!(
            "{verb} {fixes_applied} finding{} in {files_changed} file{}; {remaining_count} remaining.",
            if fixes_applied == 1 { "" } else { "s" },
            if files_changed == 1 { "" } else { "s" },
        );
    }
    if !errors.is_empty() {
        EXIT_ERROR
    } else if args.diff {
        // Like Ruff: with `--diff`, the exit code says whether there is a
        // diff, whatever remains unfixed.
        if files_changed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if remaining_count > 0 || (args.exit_non_zero_on_fix && fixes_applied > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
