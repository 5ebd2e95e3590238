//! End-to-end fix cases: every `fixes/<RULE>/NAME.py` is fixed by the
//! `codesight` binary and compared with `NAME.fixed.py`. See fixes/README.md.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use codesight::config::settings::Settings;
use codesight::diagnostic::{CodeFix, Diagnostic};
use codesight::fix::engine::fix_source_with;
use common::{python_compiles, repo_root, run_in, stdout};

struct Case {
    rule: String,
    name: String,
    input: PathBuf,
    expected: PathBuf,
}

fn cases() -> Vec<Case> {
    let root = repo_root().join("fixes");
    let mut cases = Vec::new();
    let mut rules: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    rules.sort_by_key(|e| e.path());
    for rule_dir in rules {
        let rule = rule_dir.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = fs::read_dir(rule_dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.ends_with(".py") && !name.ends_with(".fixed.py")
            })
            .collect();
        files.sort();
        for input in files {
            let name = input.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = common::expected_output_path(&input);
            cases.push(Case {
                rule: rule.clone(),
                name,
                input,
                expected,
            });
        }
    }
    cases
}

/// Extra arguments from a first line `# fix-args: ...`.
fn case_args(source: &str) -> Vec<String> {
    source
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# fix-args:"))
        .map(|rest| rest.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// `# fix-pick: N` on one of the first two lines: each finding gets the N-th
/// fix (1-based) it offers at the case's safety level instead of the first
/// one bulk mode takes (the first one when it offers fewer). This pins the
/// alternatives a rule offers for the interactive mode; such cases are fixed
/// through the library's fix engine with the settings the arguments select.
fn case_pick(source: &str) -> Option<usize> {
    source
        .lines()
        .take(2)
        .find_map(|l| l.strip_prefix("# fix-pick:"))
        .map(|n| n.trim().parse().expect("`# fix-pick: N` takes a number"))
}

fn nth_fix(diagnostic: &Diagnostic, n: usize, unsafe_ok: bool) -> Option<&CodeFix> {
    let allowed: Vec<&CodeFix> = diagnostic
        .fixes
        .iter()
        .filter(|f| f.is_safe() || unsafe_ok)
        .collect();
    allowed
        .get(n.saturating_sub(1))
        .or(allowed.first())
        .copied()
}

/// What fixing a case reported: its exit code (`None` for the library
/// path) and what went to stderr.
struct FixRun {
    code: Option<i32>,
    stderr: String,
}

/// Fixes the case's copy in `dir` (with the binary, or with the picked fixes).
fn fix_case(dir: &Path, rule: &str, fix_args: &[&str], pick: Option<usize>) -> FixRun {
    let Some(pick) = pick else {
        let out = run_in(dir, fix_args);
        return FixRun {
            code: out.status.code(),
            stderr: common::stderr(&out),
        };
    };
    let unsafe_ok = fix_args.contains(&"--unsafe-fixes");
    let mut settings = Settings::default();
    settings.rules.select = vec![rule.to_string()];
    if let Some(i) = fix_args.iter().position(|a| *a == "--target-version") {
        settings.target_version = fix_args[i + 1].parse().unwrap();
    }
    let file = dir.join(fix_args.last().expect("the file is the last argument"));
    let source = fs::read_to_string(&file).unwrap();
    match fix_source_with(&file, &source, &settings, &|d: &Diagnostic| {
        nth_fix(d, pick, unsafe_ok)
    }) {
        Ok(outcome) => {
            fs::write(&file, outcome.text).unwrap();
            let stderr = outcome
                .dropped
                .iter()
                .map(|d| format!("{} fix \"{}\" dropped ({:?})\n", d.code, d.title, d.reason))
                .collect();
            FixRun { code: None, stderr }
        }
        Err(err) => FixRun {
            code: None,
            stderr: format!("{err}; not fixed"),
        },
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn every_case_has_its_expected_output() {
    let cases = cases();
    assert!(cases.len() >= 4, "the fixes/ cases were not found");
    let missing: Vec<_> = cases
        .iter()
        .filter(|c| !c.expected.exists())
        .map(|c| relative(&c.input))
        .collect();
    assert!(missing.is_empty(), "cases without .fixed.py: {missing:?}");
    // An `ok_` case is its own expected output; a `.fixed.py` beside it
    // would be a second copy that could drift.
    let redundant: Vec<_> = cases
        .iter()
        .filter(|c| c.name.starts_with("ok_"))
        .map(|c| c.input.with_file_name(format!("{}.fixed.py", c.name)))
        .filter(|p| p.exists())
        .map(|p| relative(&p))
        .collect();
    assert!(
        redundant.is_empty(),
        "ok_ cases need no .fixed.py: {redundant:?}"
    );
}

#[test]
fn fix_cases_produce_expected_output() {
    let mut failures = Vec::new();
    for case in cases() {
        let source = fs::read_to_string(&case.input).unwrap();
        let Ok(expected) = fs::read_to_string(&case.expected) else {
            continue;
        };
        let args = case_args(&source);
        let select = format!("--select={}", case.rule);

        // Both commands run in a temporary directory, away from any
        // pyproject.toml, on a copy named after the case.
        let dir = tempfile::tempdir().unwrap();
        let file_name = format!("{}.py", case.name);
        let file = dir.path().join(&file_name);
        fs::write(&file, &source).unwrap();
        // `NAME.toml` beside the case is the project's pyproject.toml.
        let project = case.input.with_extension("toml");
        if project.exists() {
            fs::copy(&project, dir.path().join("pyproject.toml")).unwrap();
        }
        let input_rel = relative(&case.input);

        // What `check` reports on the input is pinned as a snapshot.
        let mut check_args = vec!["check", select.as_str()];
        check_args.extend(args.iter().map(String::as_str));
        check_args.push(&file_name);
        let check = run_in(dir.path(), &check_args);
        let report = stdout(&check);
        if case.name.starts_with("ok_") && check.status.code() != Some(0) {
            failures.push(format!("{input_rel}: expected no findings, got:\n{report}"));
        }
        if !case.name.starts_with("ok_") && check.status.code() != Some(1) {
            failures.push(format!(
                "{input_rel}: expected findings (exit 1), got {:?}:\n{report}",
                check.status.code()
            ));
        }
        insta::with_settings!({
            snapshot_path => repo_root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("fixes__{}__{}", case.rule, case.name), report);
        });

        // Fix the copy and compare.
        let mut fix_args = vec!["fix", select.as_str()];
        fix_args.extend(args.iter().map(String::as_str));
        fix_args.push(&file_name);
        let pick = case_pick(&source);
        let fix_run = fix_case(dir.path(), &case.rule, &fix_args, pick);
        let fix_stderr = &fix_run.stderr;
        let fixed = fs::read_to_string(&file).unwrap();
        if fixed != expected {
            failures.push(format!(
                "{input_rel}: fixed output differs from {}\n--- got ---\n{fixed}\n--- stderr ---\n{}",
                relative(&case.expected),
                fix_stderr
            ));
            continue;
        }
        // A `.fixed.py` recorded while a fix was being dropped (or the run
        // failed) would otherwise pass forever.
        if fix_stderr.contains("dropped") || fix_stderr.contains("not fixed") {
            failures.push(format!(
                "{input_rel}: fixing reported a problem:\n{fix_stderr}"
            ));
        }
        if let Some(code) = fix_run.code {
            // Exit 1 exactly when findings remain in the fixed file.
            let mut recheck = vec!["check", select.as_str()];
            recheck.extend(args.iter().map(String::as_str));
            recheck.push(&file_name);
            let remaining = run_in(dir.path(), &recheck).status.code();
            let want = if remaining == Some(1) { 1 } else { 0 };
            if code != want {
                failures.push(format!(
                    "{input_rel}: `fix` exited {code}, expected {want} (check on the result exits {remaining:?}):\n{fix_stderr}"
                ));
            }
        }
        if !codesight::analysis::parses(&fixed) {
            failures.push(format!("{input_rel}: fixed output does not parse"));
        }
        if let Err(err) = python_compiles(&file) {
            failures.push(format!(
                "{input_rel}: python3 rejects the fixed output: {err}"
            ));
        }
        // A second run changes nothing.
        fix_case(dir.path(), &case.rule, &fix_args, pick);
        if fs::read_to_string(&file).unwrap() != fixed {
            failures.push(format!("{input_rel}: a second fix changed the file again"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
