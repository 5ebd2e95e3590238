//! `codesight fix --interactive`: review fixes one at a time, as diff hunks,
//! the way `git add -p` and fastmod do.
//!
//! The review is a [`Chooser`] for the same engine bulk fixing uses: each
//! pass of the engine shows the findings with a fix on offer one by one and
//! collects the answers; the engine applies the accepted fixes together
//! (deferring overlapping ones to the next pass, dropping any that would
//! break the file) and analyses the file again, since fixing one thing can
//! reveal or move another. Declined findings are not asked about again. A
//! file is written once, when its review ends, and written, counted and
//! reported exactly as bulk fixing does (`--summary`,
//! `--exit-non-zero-on-fix` and the exit codes included).
//!
//! `q` stops the review: the fixes accepted so far are written, and the
//! findings left (in the files not reviewed too) are listed as remaining.
//! Ctrl-C stops at once: the fixes accepted in the file under review are
//! written, nothing more is read, and the run exits 130.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;

use console::{Term, style};

use super::EXIT_ERROR;
use super::Run;
use super::fix::{Finisher, FixOptions, fix_file};
use crate::cli::interrupt::{request, requested};
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::fix::engine::{Chooser, PassChoice, apply_fixes};
use crate::render::diff::unified_diff;
use crate::render::{FileError, display_path};

const HELP: &str = "\
y - apply this fix (the alternative the diff shows; or type its number)
n - skip this fix
p - preview the next alternative (when there are several)
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
    Interrupt,
}

/// The user's side of the review: a [`Chooser`] that asks.
struct Review {
    term: Term,
    unsafe_fixes: bool,
    color: bool,
    /// The file under review, as shown.
    shown: String,
    apply_all: bool,
    rest_of_file: bool,
    /// `q` was pressed: nothing more is asked or applied.
    quit: bool,
    /// Ctrl-C: stop at once.
    interrupted: bool,
    skipped: usize,
    /// Findings of the file under review the user declined, and the ones
    /// accepted (with the alternative chosen), by [`finding_key`].
    declined: HashSet<String>,
    accepted: HashMap<String, usize>,
    /// The terminal could not be read.
    read_error: Option<String>,
    /// Findings reviewed so far in the whole run, and how many there are
    /// (counted before the review; raised if fixing reveals more).
    position: usize,
    total: usize,
}

pub fn run(run: &Run, options: FixOptions) -> u8 {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        say!(
            "error: --interactive needs a terminal to ask questions on; use `codesight fix --diff` to review fixes without one"
        );
        return EXIT_ERROR;
    }
    let mut review = Review {
        term: Term::stderr(),
        unsafe_fixes: options.unsafe_fixes,
        color: console::colors_enabled_stderr(),
        shown: String::new(),
        apply_all: false,
        rest_of_file: false,
        quit: false,
        interrupted: false,
        skipped: 0,
        declined: HashSet::new(),
        accepted: HashMap::new(),
        read_error: None,
        position: 0,
        total: count_fixable(run, options.unsafe_fixes),
    };
    let mut finisher = Finisher::new(options, run.errors.clone());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (path, settings) in run.files.iter().zip(&run.file_settings) {
        if review.interrupted || requested() {
            break;
        }
        review.start_file(display_path(path));
        // Each file's own settings (its closest configuration).
        match fix_file(path, settings, &mut review) {
            Ok(file) => {
                let shown = file.shown.clone();
                let written = finisher.file(file, &mut out);
                if written > 0 {
                    let _ = review.term.write_line(&format!(
                        "Wrote {shown} ({written} fix{}).",
                        if written == 1 { "" } else { "es" }
                    ));
                }
            }
            Err(error) => finisher.error(error),
        }
        if let Some(message) = review.read_error.take() {
            finisher.error(FileError {
                path: review.shown.clone(),
                message: format!("cannot read the answer: {message}; review stopped"),
            });
        }
    }
    if review.interrupted {
        request();
    }
    let applied = finisher.fixes_applied;
    let files_changed = finisher.files_changed;
    let headline = format!(
        "Applied {applied} fix{}, skipped {}; {files_changed} file{} changed",
        if applied == 1 { "" } else { "es" },
        review.skipped,
        if files_changed == 1 { "" } else { "s" },
    );
    finisher.finish(&mut out, Some(headline))
}

/// How many findings of the run have a fix on offer: the counter's total.
fn count_fixable(run: &Run, unsafe_fixes: bool) -> usize {
    run.files
        .iter()
        .zip(&run.file_settings)
        .filter_map(|(path, settings)| super::check::check_file(path, settings).ok())
        .flat_map(|report| report.diagnostics)
        .filter(|d| {
            d.fixes
                .iter()
                .any(|f| !f.edits.is_empty() && (f.is_safe() || unsafe_fixes))
        })
        .count()
}

/// Identifies a finding across passes (positions move as fixes apply).
fn finding_key(diagnostic: &Diagnostic, text: &str) -> String {
    let excerpt = text.get(diagnostic.range.start().to_usize()..diagnostic.range.end().to_usize());
    format!(
        "{}\u{0}{}\u{0}{}",
        diagnostic.rule.code,
        diagnostic.message,
        excerpt.unwrap_or("")
    )
}

impl Chooser for Review {
    fn choose<'d>(&mut self, text: &str, diagnostics: &'d [Diagnostic]) -> PassChoice<'d> {
        let mut fixes: Vec<Option<&'d CodeFix>> = vec![None; diagnostics.len()];
        if self.quit || self.interrupted {
            return PassChoice { fixes, stop: false };
        }
        let candidates: Vec<usize> = (0..diagnostics.len())
            .filter(|&i| !self.allowed_fixes(&diagnostics[i]).is_empty())
            .filter(|&i| !self.declined.contains(&finding_key(&diagnostics[i], text)))
            .collect();
        // The fixes accepted so far in this pass: the engine applies them
        // together, so each preview shows only what its own fix adds (an
        // import another accepted fix already adds is not shown again).
        let mut taken: Vec<&'d CodeFix> = Vec::new();
        for &i in &candidates {
            let diagnostic = &diagnostics[i];
            let key = finding_key(diagnostic, text);
            let allowed = self.allowed_fixes(diagnostic);
            let known = self.accepted.get(&key).copied();
            if known.is_none() {
                self.position += 1;
                self.total = self.total.max(self.position);
            }
            let pick = if let Some(k) = known {
                Some(k)
            } else if self.apply_all || self.rest_of_file {
                Some(0)
            } else if requested() {
                self.interrupted = true;
                break;
            } else {
                match self.ask(text, diagnostic, &allowed, &taken) {
                    Ok(Answer::Apply(k)) => Some(k),
                    Ok(Answer::ApplyRestOfFile(k)) => {
                        self.rest_of_file = true;
                        Some(k)
                    }
                    Ok(Answer::ApplyAll(k)) => {
                        self.apply_all = true;
                        Some(k)
                    }
                    Ok(Answer::Skip) => {
                        self.skipped += 1;
                        self.declined.insert(key.clone());
                        None
                    }
                    Ok(Answer::Quit) => {
                        self.quit = true;
                        break;
                    }
                    Ok(Answer::Interrupt) => {
                        self.interrupted = true;
                        break;
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {
                        self.interrupted = true;
                        break;
                    }
                    Err(err) => {
                        self.read_error = Some(err.to_string());
                        self.quit = true;
                        break;
                    }
                }
            };
            if let Some(k) = pick {
                self.accepted.insert(key, k);
                fixes[i] = allowed.get(k).or(allowed.first()).copied();
                taken.extend(fixes[i]);
            }
        }
        PassChoice {
            fixes,
            stop: self.quit || self.interrupted,
        }
    }
}

impl Review {
    fn start_file(&mut self, shown: String) {
        self.shown = shown;
        self.rest_of_file = false;
        self.declined.clear();
        self.accepted.clear();
    }

    fn allowed_fixes<'d>(&self, diagnostic: &'d Diagnostic) -> Vec<&'d CodeFix> {
        diagnostic
            .fixes
            .iter()
            .filter(|f| !f.edits.is_empty() && (f.is_safe() || self.unsafe_fixes))
            .collect()
    }

    fn ask(
        &self,
        text: &str,
        diagnostic: &Diagnostic,
        fixes: &[&CodeFix],
        taken: &[&CodeFix],
    ) -> std::io::Result<Answer> {
        let lines = ruff_source_file::LineIndex::from_source_text(text);
        let at = crate::render::Located::new(&lines, text, diagnostic.range);
        let term = &self.term;
        term.write_line("")?;
        let shown = self.shown.as_str();
        term.write_line(&format!(
            "{}:{}:{}: {} {}",
            shown,
            at.line,
            at.column,
            self.paint(diagnostic.rule.code, Paint::Code),
            diagnostic.message
        ))?;
        // The alternative the diff shows; `p` moves to the next one.
        let mut current = 0;
        self.show_fix(text, fixes, current, taken)?;
        loop {
            let numbers = if fixes.len() > 1 {
                format!(",p,1-{}", fixes.len())
            } else {
                String::new()
            };
            term.write_str(&format!(
                "({}/{}) Apply this fix [y,n,a,A,q,?{numbers}]? ",
                self.position, self.total
            ))?;
            // A stray Enter (typed after a key, out of habit) is ignored.
            let key = loop {
                match term.read_char()? {
                    '\n' | '\r' => continue,
                    key => break key,
                }
            };
            term.write_line(&key.to_string())?;
            match key {
                'y' | 'Y' => return Ok(Answer::Apply(current)),
                'n' | 'N' => return Ok(Answer::Skip),
                'a' => return Ok(Answer::ApplyRestOfFile(current)),
                'A' => return Ok(Answer::ApplyAll(current)),
                'q' | 'Q' => return Ok(Answer::Quit),
                'p' | 'P' if fixes.len() > 1 => {
                    current = (current + 1) % fixes.len();
                    self.show_fix(text, fixes, current, taken)?;
                }
                // Ctrl-C arrives as a character while the terminal is raw.
                '\u{3}' => return Ok(Answer::Interrupt),
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

    /// Shows alternative `current` of `fixes` as the diff it adds to the
    /// fixes already accepted in this pass, and the list of alternatives.
    fn show_fix(
        &self,
        text: &str,
        fixes: &[&CodeFix],
        current: usize,
        taken: &[&CodeFix],
    ) -> std::io::Result<()> {
        let term = &self.term;
        let (before, _) = apply_fixes(text, taken);
        let mut with: Vec<&CodeFix> = taken.to_vec();
        with.push(fixes[current]);
        let (after, applied) = apply_fixes(text, &with);
        let (before, after) = if applied.contains(&taken.len()) {
            (before, after)
        } else {
            // It overlaps an accepted fix and will come in the next pass:
            // show it on its own.
            (text.to_string(), apply_fixes(text, &[fixes[current]]).0)
        };
        for line in unified_diff(&self.shown, &before, &after).lines().skip(2) {
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
            term.write_line(&format!(
                "Alternatives (the diff shows {}; p shows the next):",
                current + 1
            ))?;
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
        Ok(())
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
