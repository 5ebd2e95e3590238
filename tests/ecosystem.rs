//! Fitting the ecosystem: SARIF, GitHub annotations, concise output,
//! statistics, PR summaries, exit codes for bots, completions, colours.

mod common;

use std::fs;

use common::{codesight, repo_root, run_in, stderr, stdout};

const SLEEPS: &str =
    "import time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    time.sleep(2)\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), SLEEPS).unwrap();
    dir
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let dir = project();
    let out = run_in(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The published schema's `run.language` pattern has a stray `]` that a
    // strict regex engine rejects; it does not concern anything we emit.
    let schema_text = fs::read_to_string(repo_root().join("tests/data/sarif-schema-2.1.0.json"))
        .unwrap()
        .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}$");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "CS003");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    let replacement = &results[0]["fixes"][0]["artifactChanges"][0]["replacements"];
    assert!(
        replacement
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["insertedContent"]["text"] == "await asyncio.sleep")
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "CS003"));
}

#[test]
fn github_annotations_and_concise_lines() {
    let dir = project();
    let github = stdout(&run_in(dir.path(), &["check", "--format", "github"]));
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 2, "{github}");
    assert!(
        lines[0].starts_with(
            "::error title=CodeSight CS003,file=app.py,line=5,col=5,endLine=5,endColumn=18::CS003 "
        ),
        "{github}"
    );
    let concise = stdout(&run_in(
        dir.path(),
        &["check", "--format", "concise", "--quiet"],
    ));
    assert_eq!(concise.lines().count(), 2, "{concise}");
    assert!(concise.starts_with("app.py:5:5: CS003 [*] "), "{concise}");
}

#[test]
fn statistics_count_per_rule() {
    let dir = project();
    let out = stdout(&run_in(dir.path(), &["check", "--statistics", "--quiet"]));
    assert_eq!(
        out.trim(),
        "2  CS003  blocking-call-in-async       2 fixable"
    );
}

#[test]
fn quiet_hides_summaries() {
    let dir = project();
    let loud = run_in(dir.path(), &["fix", "--diff"]);
    assert!(stderr(&loud).contains("Would fix 2 findings"));
    let quiet = run_in(dir.path(), &["--quiet", "fix", "--diff"]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    assert!(stdout(&quiet).contains("+    await asyncio.sleep(1)"));
}

#[test]
fn summary_describes_the_migration() {
    let dir = project();
    let out = run_in(dir.path(), &["fix", "--summary", "pr.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = fs::read_to_string(dir.path().join("pr.md")).unwrap();
    assert!(
        summary.contains("CodeSight applied 2 fixes in 1 file."),
        "{summary}"
    );
    assert!(
        summary.contains("| CS003 | blocking-call-in-async | 2 | 0 |"),
        "{summary}"
    );
    assert!(summary.contains("- `app.py`: CS003 ×2"), "{summary}");
    assert!(
        summary.contains("Nothing: every fix applied is safe"),
        "{summary}"
    );
    assert!(
        summary.contains("Nothing: no findings remain."),
        "{summary}"
    );
}

#[test]
fn exit_non_zero_on_fix_for_bots() {
    let dir = project();
    assert_eq!(
        run_in(dir.path(), &["fix", "--exit-non-zero-on-fix"])
            .status
            .code(),
        Some(1)
    );
    // Nothing left to fix: back to 0.
    assert_eq!(
        run_in(dir.path(), &["fix", "--exit-non-zero-on-fix"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run_in(&repo_root(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        let script = stdout(&out);
        assert!(
            script.contains("codesight") && script.contains("unsafe-fixes"),
            "{shell}: {script}"
        );
    }
}

#[test]
fn color_choice_and_no_color() {
    let dir = project();
    let always = codesight()
        .args(["--color", "always", "check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        stdout(&always).contains("\u{1b}["),
        "--color always colours"
    );
    let never = run_in(dir.path(), &["--color", "never", "check"]);
    assert!(!stdout(&never).contains("\u{1b}["));
    // NO_COLOR is set by `codesight()`; auto honours it even on `always`-capable output.
    let auto = run_in(dir.path(), &["check"]);
    assert!(!stdout(&auto).contains("\u{1b}["));
}

#[test]
fn progress_bar_on_a_terminal_for_long_runs() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..250 {
        fs::write(dir.path().join(format!("m{i}.py")), SLEEPS).unwrap();
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_codesight"));
    command
        .args(["check", "--format", "concise"])
        .current_dir(dir.path());
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
    let all = session.exp_eof().unwrap();
    assert!(
        all.contains("/250 files"),
        "no progress bar: {}",
        &all[..all.len().min(400)]
    );
    // Not on a pipe.
    let piped = run_in(dir.path(), &["check", "--format", "concise"]);
    assert!(!stderr(&piped).contains("files"));
}

/// The hooks in `.pre-commit-hooks.yaml` run as pre-commit runs them: the
/// `entry` followed by the staged file names.
#[test]
fn pre_commit_hooks_run_as_declared() {
    let hooks = fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut entries = std::collections::BTreeMap::new();
    let mut id = None;
    for line in hooks.lines() {
        let line = line.trim_start_matches(['-', ' ']);
        if let Some(value) = line.strip_prefix("id:") {
            id = Some(value.trim().to_string());
        } else if let Some(value) = line.strip_prefix("entry:") {
            entries.insert(id.clone().unwrap(), value.trim().to_string());
        }
    }
    let entry_args = |id: &str| -> Vec<String> {
        let entry = &entries[id];
        let mut words = entry.split_whitespace().map(str::to_string);
        assert_eq!(words.next().as_deref(), Some("codesight"), "{entry}");
        words.collect()
    };

    let dir = project();
    let mut check: Vec<String> = entry_args("codesight");
    check.push("app.py".into());
    let check_refs: Vec<&str> = check.iter().map(String::as_str).collect();
    assert_eq!(
        run_in(dir.path(), &check_refs).status.code(),
        Some(1),
        "findings fail the hook"
    );

    let mut fix: Vec<String> = entry_args("codesight-fix");
    fix.push("app.py".into());
    let fix_refs: Vec<&str> = fix.iter().map(String::as_str).collect();
    assert_eq!(
        run_in(dir.path(), &fix_refs).status.code(),
        Some(1),
        "a fixing run fails the hook so the user re-stages"
    );
    assert!(
        fs::read_to_string(dir.path().join("app.py"))
            .unwrap()
            .contains("await asyncio.sleep(1)")
    );
    assert_eq!(
        run_in(dir.path(), &fix_refs).status.code(),
        Some(0),
        "then it passes"
    );
    assert_eq!(run_in(dir.path(), &check_refs).status.code(), Some(0));
}
