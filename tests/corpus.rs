//! Real-world validation on corpus A (issue 8): `check` and
//! `fix --unsafe-fixes --diff` over eight popular async packages, through the
//! `codesight` binary, without a panic, an internal error or a file it cannot
//! parse; the fixes keep every file parseable, `--diff` shows exactly what
//! `fix` writes, and a second `fix` changes nothing.
//!
//! The corpus is not in the repository. The test looks at `$CODESIGHT_CORPUS`,
//! else `target/corpus-a`, and is skipped (with a message saying how to fetch
//! it) when it is absent, except in CI (`CI` set), where a missing corpus
//! fails the test. `bench/corpus-check.sh` runs the same checks from a shell,
//! with `git apply` on the diff, and keeps artifacts for triage
//! (`bench/corpus-a-triage.md`); `bench/realcode` compares the findings with
//! the labels in `bench/labels/`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use codesight::analysis::parses;
use common::{python_compiles, repo_root, run_in, stderr, stdout};

const FETCH: &str = "../shared/corpus/make-corpus.sh ../shared/corpus/corpus-a.txt target/corpus-a";

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("CODESIGHT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("target/corpus-a"),
    };
    dir.is_dir().then_some(dir)
}

/// Every `.py` file under `root`, relative to it (`corpus/...`), with its
/// bytes.
fn python_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The run exited 0 or 1 (2 is an error: e.g. a file that cannot be read or
/// parsed) and said nothing about a panic or an error on stderr.
fn assert_clean(what: &str, output: &Output) {
    let err = stderr(output);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what}: exit {:?} (allowed: 0 or 1)\n{err}",
        output.status.code()
    );
    let lower = err.to_lowercase();
    for bad in ["panic", "internal error", "error:", "syntax error", "parse"] {
        assert!(
            !lower.contains(bad),
            "{what}: stderr mentions `{bad}`:\n{err}"
        );
    }
}

/// Per file named in a unified diff: (lines added, lines removed).
fn diff_stats(diff: &str) -> BTreeMap<String, (usize, usize)> {
    let mut stats = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            let path = path.strip_prefix("b/").unwrap_or(path);
            let path = path.split('\t').next().unwrap().to_string();
            stats.insert(path.clone(), (0, 0));
            current = Some(path);
        } else if line.starts_with("--- ") || line.starts_with("@@") {
        } else if let Some(file) = &current {
            let entry = stats.get_mut(file).unwrap();
            if line.starts_with('+') {
                entry.0 += 1;
            } else if line.starts_with('-') {
                entry.1 += 1;
            }
        }
    }
    stats
}

#[test]
fn corpus_check_and_fix_are_clean_and_idempotent() {
    let Some(corpus) = corpus_dir() else {
        let message = format!("corpus absent: run {FETCH} (or set CODESIGHT_CORPUS)");
        // In CI a missing corpus is a failure (the fetch failed), not a skip.
        assert!(std::env::var_os("CI").is_none(), "{message}");
        println!("{message}");
        eprintln!("{message}");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    copy_tree(&corpus, &root.join("corpus"));
    let original = python_files(root);
    assert!(!original.is_empty(), "no .py file in {}", corpus.display());

    // check: a JSON array of well-formed findings.
    let check = run_in(root, &["check", "--format", "json", "--quiet", "corpus"]);
    assert_clean("check", &check);
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout)
        .unwrap_or_else(|e| panic!("check --format json is not JSON: {e}"));
    let findings = findings.as_array().expect("a JSON array of findings");
    assert_eq!(check.status.code() == Some(1), !findings.is_empty());
    for finding in findings {
        for key in ["code", "name", "message", "path"] {
            assert!(finding[key].is_string(), "{key} in {finding}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(
                finding[key].as_u64().is_some_and(|n| n >= 1),
                "{key} in {finding}"
            );
        }
        assert!(finding["fixes"].is_array(), "fixes in {finding}");
        let path = Path::new(finding["path"].as_str().unwrap());
        assert!(
            root.join(path).is_file(),
            "no such file: {}",
            path.display()
        );
    }

    // fix --diff: prints a diff, writes nothing.
    let diff_run = run_in(
        root,
        &["fix", "--unsafe-fixes", "--diff", "--quiet", "corpus"],
    );
    assert_clean("fix --diff", &diff_run);
    let diff = stdout(&diff_run);
    assert!(
        python_files(root) == original,
        "fix --diff wrote to the files"
    );

    // fix: writes what the diff showed, and every changed file still parses.
    let fix_run = run_in(root, &["fix", "--unsafe-fixes", "--quiet", "corpus"]);
    assert_clean("fix", &fix_run);
    let fixed = python_files(root);
    assert_eq!(
        fixed.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>()
    );
    let mut changed = BTreeMap::new();
    for (path, after) in &fixed {
        let before = &original[path];
        if before == after {
            continue;
        }
        let text = String::from_utf8(after.clone()).expect("fixed files stay UTF-8");
        let shown = path.display().to_string();
        assert!(parses(&text), "{shown} no longer parses after the fixes");
        if let Err(e) = python_compiles(&root.join(path)) {
            panic!("python3 rejects {shown} after the fixes:\n{e}");
        }
        let before = String::from_utf8_lossy(before).into_owned();
        let lines = similar::TextDiff::from_lines(&before, &text);
        let mut stats = (0, 0);
        for change in lines.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => stats.0 += 1,
                similar::ChangeTag::Delete => stats.1 += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        changed.insert(shown, stats);
    }
    let offered = findings
        .iter()
        .any(|f| !f["fixes"].as_array().unwrap().is_empty());
    assert_eq!(
        offered,
        !changed.is_empty(),
        "findings offer fixes, but fix changed nothing (or the reverse)"
    );
    let shown = diff_stats(&diff);
    assert_eq!(
        shown.keys().collect::<BTreeSet<_>>(),
        changed.keys().collect::<BTreeSet<_>>(),
        "fix --diff and fix change different files"
    );
    assert_eq!(
        shown, changed,
        "fix --diff and fix disagree on the lines added and removed"
    );

    // Idempotence: a second fix (and its diff) changes nothing.
    let again = run_in(
        root,
        &["fix", "--unsafe-fixes", "--diff", "--quiet", "corpus"],
    );
    assert_clean("second fix --diff", &again);
    assert_eq!(stdout(&again), "", "a second fix would change more");
    let rewrite = run_in(root, &["fix", "--unsafe-fixes", "--quiet", "corpus"]);
    assert_clean("second fix", &rewrite);
    assert!(python_files(root) == fixed, "a second fix changed files");

    // After the fixes, no finding offers a fix any more.
    let recheck = run_in(
        root,
        &[
            "check",
            "--format",
            "json",
            "--quiet",
            "--unsafe-fixes",
            "corpus",
        ],
    );
    assert_clean("check after fix", &recheck);
    let left: serde_json::Value = serde_json::from_slice(&recheck.stdout).unwrap();
    let fixable: Vec<&serde_json::Value> = left
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fixes"].as_array().unwrap().is_empty())
        .collect();
    assert!(
        fixable.is_empty(),
        "fixable findings left after fix: {fixable:#?}"
    );
}
