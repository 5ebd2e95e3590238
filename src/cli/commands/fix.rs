//! `codesight fix`: apply fixes in bulk, print them as a diff, or review
//! them one at a time.
//!
//! Bulk and interactive fixing share everything but the choice of fixes:
//! the engine ([`fix_source_choosing`]), how a file's outcome is written and
//! counted ([`Finisher`]), the report, the summary and the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, prepare, progress_bar, report_errors};
use crate::analysis::workers;
use crate::cli::interrupt::{EXIT_INTERRUPTED, requested};
use crate::cli::{FixArgs, GlobalArgs, guard};
use crate::config::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::fix::engine::{
    AppliedFix, Chooser, DropReason, EachFinding, FixOutcome, fix_source_choosing,
};
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

/// Reads and fixes one file with the fixes `chooser` picks. A panic (a rule
/// bug) is this file's error, and the file is left untouched.
pub fn fix_file(
    path: &Path,
    settings: &Settings,
    chooser: &mut dyn Chooser,
) -> Result<FixedFile, FileError> {
    let shown = display_path(path);
    let error = |message: String| FileError {
        path: shown.clone(),
        message,
    };
    let source = SourceFile::read(path).map_err(|e| error(e.to_string()))?;
    let outcome = guard::catch(&shown, || {
        fix_source_choosing(path, &source.text, settings, chooser)
    })
    .map_err(|message| error(format!("{message}; file left untouched")))?
    .map_err(|e| error(format!("{e}; file left untouched")))?;
    Ok(FixedFile {
        path: path.to_path_buf(),
        shown: shown.clone(),
        original: source.text,
        outcome,
    })
}

/// The options of a fix run that decide what is written and reported.
pub struct FixOptions<'a> {
    pub unsafe_fixes: bool,
    pub diff: bool,
    pub summary: Option<&'a Path>,
    pub exit_non_zero_on_fix: bool,
    pub quiet: bool,
    /// Write a file even after Ctrl-C: the interactive review writes what
    /// the user accepted in the file under review (bulk fixing stops
    /// between two writes instead).
    pub write_when_interrupted: bool,
}

impl<'a> FixOptions<'a> {
    pub fn from_args(args: &'a FixArgs, global: GlobalArgs) -> Self {
        FixOptions {
            unsafe_fixes: args.unsafe_fixes,
            diff: args.diff,
            summary: args.summary.as_deref(),
            exit_non_zero_on_fix: args.exit_non_zero_on_fix,
            quiet: global.quiet,
            write_when_interrupted: args.interactive,
        }
    }
}

/// Writes (or prints as a diff) each file's outcome as it comes, and keeps
/// the counts, the findings left and the errors for the end of the run.
pub struct Finisher<'a> {
    options: FixOptions<'a>,
    pub errors: Vec<FileError>,
    pub files_changed: usize,
    pub fixes_applied: usize,
    /// Files with fixes that were not written because of an interruption.
    pub not_written: usize,
    remaining: Vec<FileReport>,
    changed: Vec<(String, Vec<AppliedFix>)>,
}

impl<'a> Finisher<'a> {
    pub fn new(options: FixOptions<'a>, errors: Vec<FileError>) -> Self {
        Finisher {
            options,
            errors,
            files_changed: 0,
            fixes_applied: 0,
            not_written: 0,
            remaining: Vec::new(),
            changed: Vec::new(),
        }
    }

    /// Writes one file's fixes (or prints them as a diff) and returns how
    /// many fixes went in. A file that is not written keeps its original
    /// findings as remaining.
    pub fn file(&mut self, file: FixedFile, out: &mut dyn Write) -> usize {
        for dropped in &file.outcome.dropped {
            let message = match &dropped.reason {
                DropReason::InvalidPython => format!(
                    "{} fix \"{}\" would produce invalid Python; dropped",
                    dropped.code, dropped.title
                ),
                DropReason::Malformed(problem) => format!(
                    "{}; dropped",
                    guard::internal_error(
                        &file.shown,
                        &format!(
                            "{} fix \"{}\" is malformed: {problem}",
                            dropped.code, dropped.title
                        )
                    )
                ),
            };
            self.errors.push(FileError {
                path: file.shown.clone(),
                message,
            });
        }
        let FixedFile {
            path,
            shown,
            original,
            outcome,
        } = file;
        let mut written = true;
        let mut fixes_written = 0;
        if outcome.changed(&original) {
            if self.options.diff {
                let _ = write!(out, "{}", unified_diff(&shown, &original, &outcome.text));
            } else if requested() && !self.options.write_when_interrupted {
                self.not_written += 1;
                written = false;
            } else if let Err(err) = write_if_unchanged(&path, &original, &outcome.text) {
                self.errors.push(FileError {
                    path: shown.clone(),
                    message: err.to_string(),
                });
                written = false;
            }
            if written {
                fixes_written = outcome.applied.len();
                self.files_changed += 1;
                self.fixes_applied += fixes_written;
                self.changed.push((shown.clone(), outcome.applied));
            }
        }
        let (source, findings): (String, Vec<Diagnostic>) = if written {
            (outcome.text, outcome.remaining)
        } else {
            (original, outcome.original)
        };
        if !findings.is_empty() {
            self.remaining.push(FileReport {
                path: shown,
                source,
                diagnostics: findings,
            });
        }
        fixes_written
    }

    /// A file that could not be read or fixed.
    pub fn error(&mut self, error: FileError) {
        self.errors.push(error);
    }

    /// Prints what remains, writes the summary, reports errors and returns
    /// the exit code. `headline` replaces the usual "Fixed N findings..."
    /// line (the interactive review says what was applied and skipped).
    pub fn finish(mut self, out: &mut dyn Write, headline: Option<String>) -> u8 {
        self.remaining.sort_by(|a, b| a.path.cmp(&b.path));
        let remaining_count: usize = self.remaining.iter().map(|r| r.diagnostics.len()).sum();
        if !self.options.diff && !requested() {
            let _ = text::render(&self.remaining, self.options.unsafe_fixes, out);
        }
        let _ = out.flush();
        if let Some(path) = self.options.summary {
            let files: Vec<ChangedFile> = self
                .changed
                .iter()
                .map(|(path, applied)| ChangedFile { path, applied })
                .collect();
            if let Err(err) = std::fs::write(path, summary::render(&files, &self.remaining)) {
                self.errors.push(FileError {
                    path: display_path(path),
                    message: format!("cannot write the summary: {err}"),
                });
            }
        }
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        report_errors(&self.errors);
        let files_changed = self.files_changed;
        if requested() {
            say!(
                "Interrupted: {files_changed} file{} written, {} left unchanged; every file is either fully fixed or untouched.",
                if files_changed == 1 { "" } else { "s" },
                self.not_written,
            );
            return EXIT_INTERRUPTED;
        }
        if !self.options.quiet {
            let fixes_applied = self.fixes_applied;
            let line = headline.unwrap_or_else(|| {
                let verb = if self.options.diff {
                    "Would fix"
                } else {
                    "Fixed"
                };
                format!(
                    "{verb} {fixes_applied} finding{} in {files_changed} file{}",
                    if fixes_applied == 1 { "" } else { "s" },
                    if files_changed == 1 { "" } else { "s" },
                )
            });
            say!("{line}; {remaining_count} remaining.");
        }
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if self.options.diff {
            // Like Ruff: with `--diff`, the exit code says whether there is a
            // diff, whatever remains unfixed.
            if files_changed > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_CLEAN
            }
        } else if remaining_count > 0
            || (self.options.exit_non_zero_on_fix && self.fixes_applied > 0)
        {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }
}

pub fn run(args: &FixArgs, global: GlobalArgs) -> u8 {
    let run = match prepare(&args.common) {
        Ok(run) => run,
        Err(message) => {
            say!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if args.interactive {
        return super::interactive::run(&run, FixOptions::from_args(args, global));
    }
    let bar = progress_bar(run.files.len(), global.quiet);
    let order = run.files_largest_first();
    let unsafe_ok = args.unsafe_fixes;
    let results: Vec<Result<FixedFile, FileError>> = workers::map(
        &order,
        |path| {
            fix_file(
                path,
                &run.settings,
                &mut EachFinding(&|d: &Diagnostic| d.preferred_fix(unsafe_ok)),
            )
        },
        || bar.inc(1),
    );
    bar.finish_and_clear();
    let mut finisher = Finisher::new(FixOptions::from_args(args, global), run.errors);
    let mut fixed = Vec::new();
    for result in results {
        match result {
            Ok(file) => fixed.push(file),
            Err(error) => finisher.error(error),
        }
    }
    fixed.sort_by(|a, b| a.shown.cmp(&b.shown));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in fixed {
        finisher.file(file, &mut out);
    }
    finisher.finish(&mut out, None)
}
