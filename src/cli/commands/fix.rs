//! `codesight fix`: apply fixes in bulk, print them as a diff, or review
//! them one at a time.
//!
//! Bulk and interactive fixing share everything but the choice of fixes:
//! the engine ([`fix_source_choosing`]), how a file's outcome is written and
//! counted ([`Finisher`]), the report, the summary and the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{
    EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, StdinSource, is_closed_pipe, output, prepare,
    progress_bar, report_errors,
};
use crate::analysis::workers;
use crate::cli::interrupt::{EXIT_INTERRUPTED, requested};
use crate::cli::{FixArgs, GlobalArgs, SummaryFormat, guard};
use crate::config::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::fix::engine::{
    AppliedFix, Chooser, DropReason, EachFinding, FixOutcome, fix_source, fix_source_choosing,
};
use crate::io::source::SourceFile;
use crate::io::writer::write_if_unchanged;
use crate::render::diff::unified_diff;
use crate::render::summary::{self, ChangedFile};
use crate::render::{FileError, FileReport, OutputFormat, display_path, render, statistics, text};

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
    pub summary_format: SummaryFormat,
    /// How the findings left are printed, and where (`--output-file`).
    pub output_format: OutputFormat,
    pub output_file: Option<&'a Path>,
    pub statistics: bool,
    /// Exit 0 even when findings remain or files were fixed.
    pub exit_zero: bool,
    /// Neither list nor fail on the findings left.
    pub fix_only: bool,
    /// List the fixes applied, per file.
    pub show_fixes: bool,
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
            summary_format: args.summary_format,
            output_format: args.common.output_format,
            output_file: args.common.output_file.as_deref(),
            statistics: args.common.statistics,
            exit_zero: args.common.exit_zero,
            fix_only: args.fix_only,
            show_fixes: args.show_fixes,
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
        let _ = out.flush();
        if !self.options.diff && !self.options.fix_only && !requested() {
            self.print_remaining(out);
        }
        if self.options.show_fixes && !self.changed.is_empty() {
            say!(
                "{} fixes:",
                if self.options.diff {
                    "Would apply"
                } else {
                    "Applied"
                }
            );
            for (path, applied) in &self.changed {
                say!("  {path}:");
                for fix in applied {
                    say!(
                        "    {} {} ({})",
                        fix.code,
                        fix.title,
                        if fix.is_safe { "safe" } else { "unsafe" }
                    );
                }
            }
        }
        if let Some(path) = self.options.summary {
            let files: Vec<ChangedFile> = self
                .changed
                .iter()
                .map(|(path, applied)| ChangedFile { path, applied })
                .collect();
            let dry_run = self.options.diff;
            let text = match self.options.summary_format {
                SummaryFormat::Markdown => {
                    summary::render_with(&files, &self.remaining, &self.errors, dry_run)
                }
                SummaryFormat::Json => {
                    summary::render_json(&files, &self.remaining, &self.errors, dry_run)
                }
            };
            if let Err(err) = std::fs::write(path, text) {
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
            let hidden = super::check::hidden_fixes(&self.remaining, self.options.unsafe_fixes);
            let hidden = if hidden > 0 {
                format!(
                    " ({hidden} hidden fix{} can be enabled with the `--unsafe-fixes` option)",
                    if hidden == 1 { "" } else { "es" }
                )
            } else {
                String::new()
            };
            say!("{line}; {remaining_count} remaining{hidden}.");
        }
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if self.options.exit_zero {
            EXIT_CLEAN
        } else if self.options.diff {
            // Like Ruff: with `--diff`, the exit code says whether there is a
            // diff, whatever remains unfixed.
            if files_changed > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_CLEAN
            }
        } else if (remaining_count > 0 && !self.options.fix_only)
            || (self.options.exit_non_zero_on_fix && self.fixes_applied > 0)
        {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }

    /// The findings left, in the chosen format, to `out` or `--output-file`.
    fn print_remaining(&mut self, out: &mut dyn Write) {
        let format = self.options.output_format;
        let write = |out: &mut dyn Write| {
            let rendered = if self.options.statistics {
                statistics::render(&self.remaining, self.options.unsafe_fixes, format, out)
            } else if format == OutputFormat::Text {
                text::render(&self.remaining, self.options.unsafe_fixes, out)
            } else {
                render(
                    format,
                    &self.remaining,
                    &self.errors,
                    self.options.unsafe_fixes,
                    out,
                )
            };
            rendered.and_then(|()| out.flush())
        };
        let written = match self.options.output_file {
            Some(path) => match output(Some(path)) {
                Ok(mut file) => write(&mut file).map_err(|e| e.to_string()),
                Err(message) => Err(message),
            },
            None => match write(out) {
                Err(err) if is_closed_pipe(&err) => Ok(()),
                other => other.map_err(|e| e.to_string()),
            },
        };
        if let Err(message) = written {
            self.errors.push(FileError {
                path: self
                    .options
                    .output_file
                    .map_or("-".to_string(), display_path),
                message: format!("cannot write output: {message}"),
            });
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
    if let Some(code) = run.early_exit(&args.common) {
        return code;
    }
    if let Some(stdin) = &run.stdin {
        return fix_stdin(args, stdin, global);
    }
    if args.interactive {
        return super::interactive::run(&run, FixOptions::from_args(args, global));
    }
    let bar = progress_bar(run.files.len(), global.quiet);
    let order = run.files_largest_first();
    let unsafe_ok = args.unsafe_fixes;
    let results: Vec<Result<FixedFile, FileError>> = workers::map(
        &order,
        |(path, settings)| {
            fix_file(
                path,
                settings,
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

/// `fix -`: the fixed source on standard output (unchanged when it cannot
/// be fixed or is excluded), what remains on standard error.
fn fix_stdin(args: &FixArgs, stdin: &StdinSource, global: GlobalArgs) -> u8 {
    let mut stdout = std::io::stdout();
    if stdin.excluded {
        let _ = stdout.write_all(stdin.text.as_bytes());
        return EXIT_CLEAN;
    }
    let outcome = match fix_source(&stdin.path, &stdin.text, &stdin.settings, args.unsafe_fixes) {
        Ok(outcome) => outcome,
        Err(err) => {
            let _ = stdout.write_all(stdin.text.as_bytes());
            say!("error: {}: {err}; left untouched", stdin.shown);
            return EXIT_ERROR;
        }
    };
    if args.diff {
        let _ = write!(
            stdout,
            "{}",
            unified_diff(&stdin.shown, &stdin.text, &outcome.text)
        );
    } else {
        let _ = stdout.write_all(outcome.text.as_bytes());
    }
    let _ = stdout.flush();
    let remaining = vec![FileReport {
        path: stdin.shown.clone(),
        source: outcome.text.clone(),
        diagnostics: outcome.remaining.clone(),
    }];
    if !args.fix_only {
        let _ = text::render(&remaining, args.unsafe_fixes, &mut std::io::stderr());
    }
    for dropped in &outcome.dropped {
        say!(
            "error: {}: {} fix \"{}\" would produce invalid Python; dropped",
            stdin.shown,
            dropped.code,
            dropped.title
        );
    }
    if !global.quiet {
        say!(
            "{} {} finding{}; {} remaining.",
            if args.diff { "Would fix" } else { "Fixed" },
            outcome.applied.len(),
            if outcome.applied.len() == 1 { "" } else { "s" },
            outcome.remaining.len()
        );
    }
    let (applied, remaining) = (outcome.applied.len(), outcome.remaining.len());
    if !outcome.dropped.is_empty() {
        EXIT_ERROR
    } else if args.common.exit_zero {
        EXIT_CLEAN
    } else if args.diff {
        if applied > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if (remaining > 0 && !args.fix_only) || (args.exit_non_zero_on_fix && applied > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
