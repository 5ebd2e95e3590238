//! `codesight check`: report findings.

use std::io::Write;
use std::path::Path;

use indicatif::ParallelProgressIterator;
use rayon::prelude::*;

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, prepare, progress_bar, report_errors};
use crate::analysis::analyze;
use crate::cli::{CheckArgs, GlobalArgs};
use crate::config::settings::Settings;
use crate::io::source::SourceFile;
use crate::render::{FileError, FileReport, OutputFormat, display_path, render, statistics};

/// Reads and analyses one file.
pub fn check_file(path: &Path, settings: &Settings) -> Result<FileReport, FileError> {
    let shown = display_path(path);
    let error = |message: String| FileError {
        path: shown.clone(),
        message,
    };
    let source = SourceFile::read(path).map_err(|e| error(e.to_string()))?;
    let diagnostics =
        analyze(path, &source.text, settings).map_err(|e| error(format!("{e}; file skipped")))?;
    // Only files with findings need their text for rendering: holding every
    // file's text until the end made the peak memory grow with the input.
    let source = if diagnostics.is_empty() {
        String::new()
    } else {
        source.text
    };
    Ok(FileReport {
        path: shown.clone(),
        source,
        diagnostics,
    })
}

pub fn run(args: &CheckArgs, global: GlobalArgs) -> u8 {
    let run = match prepare(&args.common) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let bar = progress_bar(run.files.len(), global.quiet);
    let order = run.files_largest_first();
    let results: Vec<Result<FileReport, FileError>> = order
        .par_iter()
        .progress_with(bar.clone())
        .map(|path| check_file(path, &run.settings))
        .collect();
    bar.finish_and_clear();
    if crate::cli::interrupt::requested() {
        eprintln!("Interrupted.");
        return crate::cli::interrupt::EXIT_INTERRUPTED;
    }
    let mut reports = Vec::new();
    let mut errors = run.errors;
    for result in results {
        match result {
            Ok(report) if !report.diagnostics.is_empty() => reports.push(report),
            Ok(_) => {}
            Err(error) => errors.push(error),
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let rendered = if args.statistics {
        statistics::render(&reports, args.unsafe_fixes, &mut out)
    } else {
        render(args.format, &reports, args.unsafe_fixes, &mut out)
    };
    if let Err(err) = rendered {
        eprintln!("error: cannot write output: {err}");
        return EXIT_ERROR;
    }
    let count: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let human =
        matches!(args.format, OutputFormat::Text | OutputFormat::Concise) || args.statistics;
    if human && !global.quiet {
        let fixable = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.preferred_fix(args.unsafe_fixes).is_some())
            .count();
        let _ = if count == 0 && errors.is_empty() {
            writeln!(out, "All checks passed!")
        } else if count == 0 {
            Ok(())
        } else {
            writeln!(
                out,
                "Found {count} finding{} ({fixable} fixable with `codesight fix{}`).",
                if count == 1 { "" } else { "s" },
                if args.unsafe_fixes {
                    " --unsafe-fixes"
                } else {
                    ""
                }
            )
        };
    }
    drop(out);
    report_errors(&errors);
    if !errors.is_empty() {
        EXIT_ERROR
    } else if count > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
