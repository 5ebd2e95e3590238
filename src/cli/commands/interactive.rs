//! `codesight fix --interactive`: review fixes one at a time, as diff hunks,
//! the way `git add -p` and fastmod do.
//!
//! Each file is reviewed in rounds: the findings with a fix on offer are shown
//! one by one and the answers collected; the accepted fixes are then applied
//! together, checked to parse, and the file is analysed again, since fixing
//! one thing can reveal or move another. Declined findings are not asked
//! about again. A file is written once, when its review ends.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use console::{Term, style};

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Run, report_errors};
use crate::analysis::{analyze, parses};
use crate::config::settings::Settings;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::fix::engine::{MAX_PASSES, apply_fixes};
use crate::io::source::SourceFile;
use crate::io::writer::write_if_unchanged;
use crate::render::diff::unified_diff;
use crate::render::{FileError, display_path};

const HELP: &str = "\
y - apply this fix (or type the number of an alternative)
n - skip this fix
a - apply this fix and all the remaining ones in this file
A - apply this fix and all the remaining ones in every file
q - quit; fixes accepted so far are kept
? - show this help";

enum Answer {
    Apply(usize),
    Skip,
    ApplyRestOfFile(usize),
    ApplyAll(usize),
    Quit,
}

#[derive(Default)]
struct Stats {
    applied: usize,
    skipped: usize,
    files_changed: usize,
}

struct Session<'r> {
    term: Term,
    settings: &'r Settings,
    unsafe_fixes: bool,
    apply_all: bool,
    quit: bool,
    color: bool,
    stats: Stats,
    errors: Vec<FileError>,
}

pub fn run(run: &Run, unsafe_fixes: bool) -> u8 {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        eprintln!(
            "error: --interactive needs a terminal to ask questions on; use `codesight fix --diff` to review fixes without one"
        );
        return EXIT_ERROR;
    }
    let mut session = Session {
        term: Term::stderr(),
        settings: &run.settings,
        unsafe_fixes,
        apply_all: false,
        quit: false,
        color: console::colors_enabled_stderr(),
        stats: Stats::default(),
        errors: run.errors.clone(),
    };
    for path in &run.files {
        if session.quit {
            break;
        }
        if let Err(error) = session.review_file(path) {
            session.errors.push(error);
        }
    }
    let Stats {
        applied,
        skipped,
        files_changed,
    } = session.stats;
    report_errors(&session.errors);
    eprintln!(
        "Applied {applied} fix{}, skipped {skipped}; {files_changed} file{} changed.",
        if applied == 1 { "" } else { "es" },
        if files_changed == 1 { "" } else { "s" },
    );
    if !session.errors.is_empty() {
        EXIT_ERROR
    } else if skipped > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Identifies a finding across rounds (positions move as fixes apply).
fn finding_key(diagnostic: &Diagnostic, text: &str) -> String {
    format!(
        "{}\u{0}{}\u{0}{}",
        diagnostic.rule.code, diagnostic.message, &text[diagnostic.range]
    )
}

impl Session<'_> {
    fn allowed_fixes<'d>(&self, diagnostic: &'d Diagnostic) -> Vec<&'d CodeFix> {
        diagnostic
            .fixes
            .iter()
            .filter(|f| f.is_safe() || self.unsafe_fixes)
            .collect()
    }

    fn review_file(&mut self, path: &Path) -> Result<(), FileError> {
        let shown = display_path(path);
        let error = |message: String| FileError {
            path: shown.clone(),
            message,
        };
        let source = SourceFile::read(path).map_err(|e| error(e.to_string()))?;
        let mut text = source.text.clone();
        let mut declined: HashSet<String> = HashSet::new();
        let mut accepted_earlier: HashSet<String> = HashSet::new();
        let mut rest_of_file = false;
        for _ in 0..MAX_PASSES {
            let diagnostics = analyze(path, &text, self.settings)
                .map_err(|e| error(format!("{e}; file skipped")))?;
            let candidates: Vec<&Diagnostic> = diagnostics
                .iter()
                .filter(|d| !self.allowed_fixes(d).is_empty())
                .filter(|d| !declined.contains(&finding_key(d, &text)))
                .collect();
            if candidates.is_empty() || self.quit {
                break;
            }
            let mut chosen: Vec<&CodeFix> = Vec::new();
            for (i, diagnostic) in candidates.iter().enumerate() {
                let key = finding_key(diagnostic, &text);
                let fixes = self.allowed_fixes(diagnostic);
                let answer = if self.apply_all || rest_of_file || accepted_earlier.contains(&key) {
                    Answer::Apply(0)
                } else {
                    self.ask(&shown, &text, diagnostic, &fixes, i + 1, candidates.len())
                        .map_err(|e| error(format!("cannot read the answer: {e}")))?
                };
                match answer {
                    Answer::Apply(n) => chosen.push(fixes[n]),
                    Answer::ApplyRestOfFile(n) => {
                        rest_of_file = true;
                        chosen.push(fixes[n]);
                    }
                    Answer::ApplyAll(n) => {
                        self.apply_all = true;
                        chosen.push(fixes[n]);
                    }
                    Answer::Skip => {
                        self.stats.skipped += 1;
                        declined.insert(key.clone());
                        continue;
                    }
                    Answer::Quit => {
                        self.quit = true;
                        break;
                    }
                }
                accepted_earlier.insert(key);
            }
            if chosen.is_empty() {
                if self.quit {
                    break;
                }
                continue;
            }
            let (new_text, taken) = apply_fixes(&text, &chosen);
            if parses(&new_text) {
                self.stats.applied += taken.len();
                text = new_text;
            } else {
                // Apply them one at a time and drop the ones that break the file.
                for fix in chosen {
                    let (trial, _) = apply_fixes(&text, &[fix]);
                    if parses(&trial) {
                        text = trial;
                        self.stats.applied += 1;
                    } else {
                        self.errors.push(error(format!(
                            "fix \"{}\" would produce invalid Python; dropped",
                            fix.title
                        )));
                    }
                }
            }
        }
        if text != source.text {
            write_if_unchanged(path, &source.text, &text).map_err(|e| error(e.to_string()))?;
            self.stats.files_changed += 1;
        }
        Ok(())
    }

    fn ask(
        &self,
        shown: &str,
        text: &str,
        diagnostic: &Diagnostic,
        fixes: &[&CodeFix],
        index: usize,
        total: usize,
    ) -> std::io::Result<Answer> {
        let lines = ruff_source_file::LineIndex::from_source_text(text);
        let at = crate::render::Located::new(&lines, text, diagnostic.range);
        let term = &self.term;
        term.write_line("")?;
        term.write_line(&format!(
            "{}:{}:{}: {} {}",
            shown,
            at.line,
            at.column,
            self.paint(diagnostic.rule.code, Paint::Code),
            diagnostic.message
        ))?;
        let (preview, _) = apply_fixes(text, &[fixes[0]]);
        for line in unified_diff(shown, text, &preview).lines().skip(2) {
            let painted = if line.starts_with('+') {
                self.paint(line, Paint::Added)
            } else if line.starts_with('-') {
                self.paint(line, Paint::Removed)
            } else if line.starts_with("@@") {
                self.paint(line, Paint::Hunk)
            } else {
                line.to_string()
            };
            term.write_line(&painted)?;
        }
        if fixes.len() > 1 {
            term.write_line("Alternatives (the diff shows 1):")?;
            for (n, fix) in fixes.iter().enumerate() {
                term.write_line(&format!(
                    "  {}) {} ({})",
                    n + 1,
                    fix.title,
                    fix.applicability_name()
                ))?;
            }
        } else {
            term.write_line(&format!(
                "Fix: {} ({})",
                fixes[0].title,
                fixes[0].applicability_name()
            ))?;
        }
        loop {
            let numbers = if fixes.len() > 1 {
                format!(",1-{}", fixes.len())
            } else {
                String::new()
            };
            term.write_str(&format!(
                "({index}/{total}) Apply this fix [y,n,a,A,q,?{numbers}]? "
            ))?;
            let key = term.read_char()?;
            term.write_line(&key.to_string())?;
            match key {
                'y' | 'Y' => return Ok(Answer::Apply(0)),
                'n' | 'N' => return Ok(Answer::Skip),
                'a' => return Ok(Answer::ApplyRestOfFile(0)),
                'A' => return Ok(Answer::ApplyAll(0)),
                // Ctrl-C arrives as a character while the terminal is raw.
                'q' | 'Q' | '\u{3}' => return Ok(Answer::Quit),
                c if c.is_ascii_digit() => {
                    let n = c.to_digit(10).unwrap_or(0) as usize;
                    if (1..=fixes.len()).contains(&n) {
                        return Ok(Answer::Apply(n - 1));
                    }
                    term.write_line(&format!("There is no alternative {n}."))?;
                }
                _ => term.write_line(HELP)?,
            }
        }
    }

    fn paint(&self, text: &str, paint: Paint) -> String {
        if !self.color {
            return text.to_string();
        }
        let styled = match paint {
            Paint::Added => style(text).green(),
            Paint::Removed => style(text).red(),
            Paint::Hunk => style(text).cyan(),
            Paint::Code => style(text).bold(),
        };
        styled.force_styling(true).to_string()
    }
}

enum Paint {
    Added,
    Removed,
    Hunk,
    Code,
}
