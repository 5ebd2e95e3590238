//! `codesight fix`: apply fixes in bulk, print them as a diff, or review
//! them one at a time.

use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::ParallelProgressIterator;
use rayon::prelude::*;

use super::{
    EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, StdinSource, output, prepare, progress_bar,
    report_errors,
};
use crate::cli::{FixArgs, GlobalArgs, SummaryFormat};
use crate::config::settings::Settings;
use crate::fix::engine::{FixOutcome, fix_source};
use crate::io::source::SourceFile;
use crate::io::writer::write_if_unchanged;
use crate::render::diff::unified_diff;
use crate::render::summary::{self, ChangedFile};
use crate::render::{FileError, FileReport, display_path, render, statistics, text};

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
    let common = &args.common;
    let run = match prepare(common) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if let Some(code) = run.early_exit(common) {
        return code;
    }
    if let Some(stdin) = &run.stdin {
        return fix_stdin(args, stdin, global);
    }
    if args.interactive {
        return super::interactive::run(&run, args.unsafe_fixes);
    }
    let bar = progress_bar(run.files.len(), global.quiet);
    let order = run.files_largest_first();
    let results: Vec<Result<FixedFile, FileError>> = order
        .par_iter()
        .progress_with(bar.clone())
        .map(|(path, settings)| fix_file(path, settings, args.unsafe_fixes))
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

    let mut diff_out = std::io::BufWriter::new(std::io::stdout());
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
                    diff_out,
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
    let _ = diff_out.flush();
    drop(diff_out);
    let remaining_count: usize = remaining.iter().map(|r| r.diagnostics.len()).sum();
    if !args.diff && !args.fix_only {
        let format = common.output_format;
        let written = output(common).and_then(|mut out| {
            let rendered = if common.statistics {
                statistics::render(&remaining, args.unsafe_fixes, format, &mut out)
            } else {
                render(format, &remaining, &errors, args.unsafe_fixes, &mut out)
            };
            rendered
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write output: {e}"))
        });
        if let Err(message) = written
            && !message.contains("Broken pipe")
        {
            errors.push(FileError {
                path: common
                    .output_file
                    .as_deref()
                    .map_or("-".to_string(), display_path),
                message,
            });
        }
    }
    if args.show_fixes && !changed.is_empty() {
        eprintln!(
            "{} fixes:",
            if args.diff { "Would apply" } else { "Applied" }
        );
        for (path, applied) in &changed {
            eprintln!("  {path}:");
            for fix in applied {
                eprintln!(
                    "    {} {} ({})",
                    fix.code,
                    fix.title,
                    if fix.is_safe { "safe" } else { "unsafe" }
                );
            }
        }
    }
    if let Some(path) = &args.summary {
        let files: Vec<ChangedFile> = changed
            .iter()
            .map(|(path, applied)| ChangedFile { path, applied })
            .collect();
        let text = match args.summary_format {
            SummaryFormat::Markdown => summary::render_with(&files, &remaining, &errors, args.diff),
            SummaryFormat::Json => summary::render_json(&files, &remaining, &errors, args.diff),
        };
        if let Err(err) = std::fs::write(path, text) {
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
        let hidden = super::check::hidden_fixes(&remaining, args.unsafe_fixes);
        let hidden = if hidden > 0 {
            format!(
                " ({hidden} hidden fix{} can be enabled with the `--unsafe-fixes` option)",
                if hidden == 1 { "" } else { "es" }
            )
        } else {
            String::new()
        };
        eprintln!(
            "{verb} {fixes_applied} finding{} in {files_changed} file{}; {remaining_count} remaining{hidden}.",
            if fixes_applied == 1 { "" } else { "s" },
            if files_changed == 1 { "" } else { "s" },
        );
    }
    exit_code(args, !errors.is_empty(), fixes_applied, remaining_count)
}

/// The exit code of a `fix` run: 2 on an error; else 1 when `--diff` would
/// change something, findings remain (not with `--fix-only`), or
/// `--exit-non-zero-on-fix` and something was fixed; `--exit-zero` turns
/// every 1 into 0.
fn exit_code(args: &FixArgs, failed: bool, fixes_applied: usize, remaining: usize) -> u8 {
    if failed {
        EXIT_ERROR
    } else if args.common.exit_zero {
        EXIT_CLEAN
    } else if args.diff {
        // Like Ruff: with `--diff`, the exit code says whether there is a
        // diff, whatever remains unfixed.
        if fixes_applied > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if (remaining > 0 && !args.fix_only) || (args.exit_non_zero_on_fix && fixes_applied > 0)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
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
            eprintln!("error: {}: {err}; left untouched", stdin.shown);
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
        eprintln!(
            "error: {}: {} fix \"{}\" would produce invalid Python; dropped",
            stdin.shown, dropped.code, dropped.title
        );
    }
    if !global.quiet {
        eprintln!(
            "{} {} finding{}; {} remaining.",
            if args.diff { "Would fix" } else { "Fixed" },
            outcome.applied.len(),
            if outcome.applied.len() == 1 { "" } else { "s" },
            outcome.remaining.len()
        );
    }
    exit_code(
        args,
        !outcome.dropped.is_empty(),
        outcome.applied.len(),
        outcome.remaining.len(),
    )
}
