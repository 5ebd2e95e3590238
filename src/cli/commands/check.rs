//! `codesight check`: report findings.

use std::io::Write;
use std::path::Path;

use super::{
    EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, is_closed_pipe, output, prepare, progress_bar,
    report_errors,
};
use crate::analysis::suppression::unknown_codes;
use crate::analysis::{analyze, workers};
use crate::cli::{CheckArgs, GlobalArgs, guard};
use crate::config::settings::Settings;
use crate::io::source::SourceFile;
use crate::render::{FileError, FileReport, display_path, render, statistics};

/// Reads and analyses one file. A panic (a rule bug) is this file's error.
pub fn check_file(path: &Path, settings: &Settings) -> Result<FileReport, FileError> {
    let shown = display_path(path);
    let error = |message: String| FileError {
        path: shown.clone(),
        message,
    };
    let source = SourceFile::read(path).map_err(|e| error(e.to_string()))?;
    check_text(path, &shown, source.text, settings)
}

/// Analyses `text`, shown as `shown`.
fn check_text(
    path: &Path,
    shown: &str,
    text: String,
    settings: &Settings,
) -> Result<FileReport, FileError> {
    let error = |message: String| FileError {
        path: shown.to_string(),
        message,
    };
    let diagnostics = guard::catch(shown, || analyze(path, &text, settings))
        .map_err(&error)?
        .map_err(|e| error(format!("{e}; file skipped")))?;
    warn_unknown_codes(shown, &text);
    // Only files with findings need their text for rendering: holding every
    // file's text until the end made the peak memory grow with the input.
    let source = if diagnostics.is_empty() {
        String::new()
    } else {
        text
    };
    Ok(FileReport {
        path: shown.to_string(),
        source,
        diagnostics,
    })
}

/// Warnings for rule codes in suppression comments that no rule has.
fn warn_unknown_codes(shown: &str, source: &str) {
    let warnings: String = unknown_codes(source)
        .into_iter()
        .map(|(line, code)| {
            format!("warning: {shown}:{line}: unknown rule code `{code}` in a suppression comment (see `codesight rules`)\n")
        })
        .collect();
    if !warnings.is_empty() {
        // One write per file, so files checked in parallel do not interleave.
        say!("{}", warnings.trim_end());
    }
}

pub fn run(args: &CheckArgs, global: GlobalArgs) -> u8 {
    let common = &args.common;
    let run = match prepare(common) {
        Ok(run) => run,
        Err(message) => {
            say!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if let Some(code) = run.early_exit(common) {
        return code;
    }
    let mut reports = Vec::new();
    let mut errors = run.errors.clone();
    if let Some(stdin) = &run.stdin {
        if !stdin.excluded {
            match check_text(
                &stdin.path,
                &stdin.shown,
                stdin.text.clone(),
                &stdin.settings,
            ) {
                Ok(report) => reports.push(report),
                Err(error) => errors.push(error),
            }
        }
    } else {
        let bar = progress_bar(run.files.len(), global.quiet);
        let order = run.files_largest_first();
        let results: Vec<Result<FileReport, FileError>> = workers::map(
            &order,
            |(path, settings)| check_file(path, settings),
            || bar.inc(1),
        );
        bar.finish_and_clear();
        if crate::cli::interrupt::requested() {
            say!("Interrupted.");
            return crate::cli::interrupt::EXIT_INTERRUPTED;
        }
        for result in results {
            match result {
                Ok(report) => reports.push(report),
                Err(error) => errors.push(error),
            }
        }
    }
    reports.retain(|r| !r.diagnostics.is_empty());
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));

    if let Some(reason) = &args.add_noqa {
        return add_noqa(&run, &reports, &mut errors, reason, global);
    }

    let format = common.output_format;
    let mut out = match output(common.output_file.as_deref()) {
        Ok(out) => out,
        Err(message) => {
            say!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let rendered = if common.statistics {
        statistics::render(&reports, args.unsafe_fixes, format, &mut out)
    } else {
        render(format, &reports, &errors, args.unsafe_fixes, &mut out)
    };
    let count: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let human = format.is_human() || (common.statistics && !format.reports_errors());
    let summary = if human && !global.quiet {
        summary_lines(&reports, &errors, args.unsafe_fixes)
    } else {
        String::new()
    };
    let written = rendered
        .and_then(|()| write!(out, "{summary}"))
        .and_then(|()| out.flush());
    drop(out);
    let exit_code = if !errors.is_empty() {
        EXIT_ERROR
    } else if count > 0 && !common.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    match written {
        // The reader went away (`| head`): nothing more to say.
        Err(err) if is_closed_pipe(&err) => return exit_code,
        Err(err) => {
            say!("error: cannot write output: {err}");
            return EXIT_ERROR;
        }
        Ok(()) => {}
    }
    report_errors(&errors);
    exit_code
}

/// "Found N findings (M fixable ...)." and how many fixes `--unsafe-fixes`
/// would add, as Ruff says it.
fn summary_lines(reports: &[FileReport], errors: &[FileError], unsafe_fixes: bool) -> String {
    let diagnostics: Vec<_> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    let count = diagnostics.len();
    if count == 0 {
        return if errors.is_empty() {
            "All checks passed!\n".to_string()
        } else {
            String::new()
        };
    }
    let fixable = diagnostics
        .iter()
        .filter(|d| d.preferred_fix(unsafe_fixes).is_some())
        .count();
    let hidden = hidden_fixes(reports, unsafe_fixes);
    let mut text = format!(
        "Found {count} finding{} ({fixable} fixable with `codesight fix{}`).\n",
        if count == 1 { "" } else { "s" },
        if unsafe_fixes { " --unsafe-fixes" } else { "" }
    );
    if hidden > 0 {
        text.push_str(&format!(
            "{hidden} hidden fix{} can be enabled with the `--unsafe-fixes` option.\n",
            if hidden == 1 { "" } else { "es" }
        ));
    }
    text
}

/// Findings with no fix at the chosen level but an unsafe one.
pub fn hidden_fixes(reports: &[FileReport], unsafe_fixes: bool) -> usize {
    if unsafe_fixes {
        return 0;
    }
    reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.preferred_fix(false).is_none() && d.preferred_fix(true).is_some())
        .count()
}

/// `--add-noqa`: a `# noqa: CODES` comment on the first line of each
/// finding, merged into an existing `# noqa: ...` there. A file is written
/// only if the result still parses and has no finding left on those lines.
fn add_noqa(
    run: &super::Run,
    reports: &[FileReport],
    errors: &mut Vec<FileError>,
    reason: &str,
    global: GlobalArgs,
) -> u8 {
    use ruff_source_file::LineIndex;
    if run.stdin.is_some() {
        say!("error: --add-noqa cannot be used with standard input");
        return EXIT_ERROR;
    }
    let mut added = 0;
    let mut files_changed = 0;
    for report in reports {
        let Some(index) = run
            .files
            .iter()
            .position(|f| display_path(f) == report.path)
        else {
            continue;
        };
        let (path, settings) = (&run.files[index], &run.file_settings[index]);
        let lines = LineIndex::from_source_text(&report.source);
        let mut by_line: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
        for d in &report.diagnostics {
            let line = lines.line_index(d.range.start()).get();
            let codes = by_line.entry(line).or_default();
            if !codes.contains(&d.rule.code) {
                codes.push(d.rule.code);
            }
        }
        let mut text = String::with_capacity(report.source.len() + 64 * by_line.len());
        let mut count = 0;
        for (i, line) in report.source.split_inclusive('\n').enumerate() {
            let Some(codes) = by_line.get(&(i + 1)) else {
                text.push_str(line);
                continue;
            };
            let body = line.trim_end_matches(['\n', '\r']);
            let ending = &line[body.len()..];
            text.push_str(&with_noqa(body, codes, reason));
            text.push_str(ending);
            count += codes.len();
        }
        let new_lines = LineIndex::from_source_text(&text);
        let suppressed = analyze(path, &text, settings).is_ok_and(|left| {
            !left
                .iter()
                .any(|d| by_line.contains_key(&new_lines.line_index(d.range.start()).get()))
        });
        match suppressed {
            true => {
                match crate::io::writer::write_if_unchanged(path, &report.source, &text) {
                    Ok(()) => {
                        added += count;
                        files_changed += 1;
                    }
                    Err(err) => errors.push(FileError {
                        path: report.path.clone(),
                        message: err.to_string(),
                    }),
                }
            }
            false => errors.push(FileError {
                path: report.path.clone(),
                message: "a `# noqa` comment cannot go on the line of a finding here (the line ends inside a multi-line string?); left untouched".to_string(),
            }),
        }
    }
    report_errors(errors);
    if !global.quiet {
        say!(
            "Added {added} noqa directive{} in {files_changed} file{}.",
            if added == 1 { "" } else { "s" },
            if files_changed == 1 { "" } else { "s" }
        );
    }
    if errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}

/// `line` with `codes` added to its `# noqa` comment (or a new one).
fn with_noqa(line: &str, codes: &[&str], reason: &str) -> String {
    let reason = if reason.is_empty() {
        String::new()
    } else {
        format!(" -- {reason}")
    };
    let lower = line.to_ascii_lowercase();
    if let Some(at) = lower.find("# noqa:") {
        let start = at + "# noqa:".len();
        let existing = &line[start..];
        let end = existing
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ',' || c == ' '))
            .unwrap_or(existing.len());
        let present: Vec<&str> = existing[..end]
            .split([',', ' '])
            .filter(|c| !c.is_empty())
            .collect();
        let mut all: Vec<String> = present.iter().map(|c| c.to_string()).collect();
        for code in codes {
            if !present.iter().any(|p| p.eq_ignore_ascii_case(code)) {
                all.push(code.to_string());
            }
        }
        return format!(
            "{} {}{}",
            &line[..start],
            all.join(", "),
            &existing[end..].trim_end()
        )
        .trim_end()
        .to_string();
    }
    if lower.contains("# noqa") {
        // A bare `# noqa` already suppresses everything.
        return line.to_string();
    }
    format!("{line}  # noqa: {}{reason}", codes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::with_noqa;

    #[test]
    fn noqa_comments_are_added_or_merged() {
        assert_eq!(
            with_noqa("    time.sleep(1)", &["CS003"], ""),
            "    time.sleep(1)  # noqa: CS003"
        );
        assert_eq!(
            with_noqa("x()  # noqa: E501", &["CS003"], ""),
            "x()  # noqa: E501, CS003"
        );
        assert_eq!(
            with_noqa("x()", &["CS001", "CS003"], "legacy"),
            "x()  # noqa: CS001, CS003 -- legacy"
        );
        assert_eq!(with_noqa("x()  # noqa", &["CS003"], ""), "x()  # noqa");
    }
}
