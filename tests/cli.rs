//! The command line end to end, on temporary directories.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{codesight, repo_root, run_in, stderr, stdout};

const TWO_SLEEPS: &str =
    "import time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    time.sleep(2)\n";
const CLEAN: &str = "import asyncio\n\n\nasync def a():\n    await asyncio.sleep(1)\n";

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

#[test]
fn check_reports_examples_as_text_and_json() {
    let text = run_in(&repo_root(), &["check", "examples/"]);
    assert_eq!(text.status.code(), Some(1));
    insta::with_settings!({snapshot_path => repo_root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("cli__check_examples_text", stdout(&text));
    });
    let json = run_in(&repo_root(), &["check", "--format", "json", "examples/"]);
    assert_eq!(json.status.code(), Some(1));
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = parsed.as_array().unwrap();
    let codes: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["CS001", "CS002", "CS003", "CS004", "CS005"],
        "the example has every bug class"
    );
    let first = &findings[0];
    assert_eq!(first["path"], "examples/shop/catalog.py");
    assert!(first["line"].as_u64().unwrap() >= 1);
    let sleep = findings
        .iter()
        .find(|f| f["path"] == "examples/shop/worker.py")
        .unwrap();
    assert_eq!(sleep["code"], "CS003");
    assert_eq!(sleep["fixes"][0]["applicability"], "safe");
    // Sorted by path, line, column.
    let keys: Vec<(String, u64, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    insta::with_settings!({snapshot_path => repo_root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("cli__check_examples_json", stdout(&json));
    });
}

#[test]
fn clean_code_exits_zero() {
    let dir = project(&[("app.py", CLEAN.as_bytes())]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("All checks passed!"));
}

#[test]
fn diff_writes_nothing_and_git_applies() {
    let dir = project(&[("pkg/app.py", TWO_SLEEPS.as_bytes())]);
    let out = run_in(dir.path(), &["fix", "--diff", "pkg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(read(dir.path(), "pkg/app.py"), TWO_SLEEPS.as_bytes());
    let diff = stdout(&out);
    insta::with_settings!({snapshot_path => repo_root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("cli__fix_diff", diff);
    });
    // `git apply` accepts it and produces what `fix` writes.
    fs::write(dir.path().join("patch.diff"), &diff).unwrap();
    let git = Command::new("git")
        .args(["apply", "patch.diff"])
        .current_dir(dir.path())
        .output()
        .expect("git is installed");
    assert!(
        git.status.success(),
        "{}",
        String::from_utf8_lossy(&git.stderr)
    );
    let patched = read(dir.path(), "pkg/app.py");
    fs::write(dir.path().join("pkg/app.py"), TWO_SLEEPS).unwrap();
    run_in(dir.path(), &["fix", "pkg"]);
    assert_eq!(read(dir.path(), "pkg/app.py"), patched);
}

#[test]
fn fix_writes_and_is_idempotent() {
    let dir = project(&[("app.py", TWO_SLEEPS.as_bytes())]);
    let out = run_in(dir.path(), &["fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Fixed 2 findings in 1 file; 0 remaining."),
        "{}",
        stderr(&out)
    );
    let fixed = read(dir.path(), "app.py");
    assert!(String::from_utf8_lossy(&fixed).contains("await asyncio.sleep(2)"));
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0));
    let again = run_in(dir.path(), &["fix", "--diff"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).is_empty());
    assert_eq!(read(dir.path(), "app.py"), fixed);
}

#[test]
fn syntax_error_is_reported_and_left_untouched() {
    let broken = b"async def f(:\n    time.sleep(1)\n";
    let dir = project(&[("bad.py", broken), ("good.py", TWO_SLEEPS.as_bytes())]);
    let check = run_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(2));
    assert!(stderr(&check).contains("bad.py"), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("good.py:5:5: CS003"),
        "other files are still checked"
    );
    let fix = run_in(dir.path(), &["fix"]);
    assert_eq!(fix.status.code(), Some(2));
    assert_eq!(read(dir.path(), "bad.py"), broken);
    assert_ne!(read(dir.path(), "good.py"), TWO_SLEEPS.as_bytes());
}

#[test]
fn non_utf8_file_is_reported_and_left_untouched() {
    let latin1 =
        b"# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    time.sleep(1)  # caf\xe9\n";
    let dir = project(&[("old.py", latin1)]);
    let fix = run_in(dir.path(), &["fix", "old.py"]);
    assert_eq!(fix.status.code(), Some(2));
    assert!(stderr(&fix).contains("not valid UTF-8"), "{}", stderr(&fix));
    assert!(stderr(&fix).contains("latin-1"), "{}", stderr(&fix));
    assert_eq!(read(dir.path(), "old.py"), latin1);
}

#[test]
fn crlf_and_bom_are_kept() {
    let crlf = TWO_SLEEPS.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        b"\"\"\"Doc.\"\"\"\nimport time\n\n\nasync def a():\n    time.sleep(1)\n",
    );
    let dir = project(&[("crlf.py", crlf.as_bytes()), ("bom.py", &bom)]);
    let out = run_in(dir.path(), &["fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = String::from_utf8(read(dir.path(), "crlf.py")).unwrap();
    assert!(fixed.contains("import asyncio\r\n"), "{fixed:?}");
    assert!(fixed.contains("await asyncio.sleep(1)\r\n"), "{fixed:?}");
    assert_eq!(
        fixed.matches('\n').count(),
        fixed.matches("\r\n").count(),
        "{fixed:?}"
    );
    let fixed_bom = read(dir.path(), "bom.py");
    assert!(fixed_bom.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(fixed_bom).unwrap();
    assert!(
        // `asyncio` sorted before `time`, which the fix left unused.
        text.contains("\"\"\"Doc.\"\"\"\nimport asyncio\n\n\nasync def a():"),
        "{text:?}"
    );
}

#[test]
fn noqa_and_ignore_file_are_honoured() {
    let suppressed = "import time\n\n\nasync def a():\n    time.sleep(1)  # noqa: CS003\n    time.sleep(2)  # codesight: ignore[CS003]\n";
    let ignored = format!("# codesight: ignore-file\n{TWO_SLEEPS}");
    let dir = project(&[
        ("a.py", suppressed.as_bytes()),
        ("b.py", ignored.as_bytes()),
    ]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let fix = run_in(dir.path(), &["fix"]);
    assert_eq!(fix.status.code(), Some(0));
    assert_eq!(read(dir.path(), "a.py"), suppressed.as_bytes());
}

#[test]
fn config_in_pyproject_is_used_and_validated() {
    let dir = project(&[
        ("app.py", TWO_SLEEPS.as_bytes()),
        (
            "pyproject.toml",
            b"[tool.codesight]\nignore = [\"CS003\"]\n",
        ),
    ]);
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0));
    // Flags win over the file.
    assert_eq!(
        run_in(dir.path(), &["check", "--select", "CS003"])
            .status
            .code(),
        Some(0),
        "ignore from the file still applies to a more general select"
    );

    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codesight]\nselekt = [\"CS003\"]\n",
    )
    .unwrap();
    let bad = run_in(dir.path(), &["check"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("pyproject.toml"), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("selekt"), "{}", stderr(&bad));

    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codesight]\nselect = [\"CS999\"]\n",
    )
    .unwrap();
    let unknown = run_in(dir.path(), &["check"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("CS999"), "{}", stderr(&unknown));

    let flag = run_in(dir.path(), &["check", "--select", "XX1"]);
    assert_eq!(flag.status.code(), Some(2));
}

#[test]
fn exclude_and_gitignore_are_honoured_but_named_files_are_checked() {
    let dir = project(&[
        ("src/app.py", TWO_SLEEPS.as_bytes()),
        ("generated/out.py", TWO_SLEEPS.as_bytes()),
        ("ignored/x.py", TWO_SLEEPS.as_bytes()),
        (".hidden/y.py", TWO_SLEEPS.as_bytes()),
        (".gitignore", b"ignored/\n"),
        (
            "pyproject.toml",
            b"[tool.codesight]\nexclude = [\"generated/\"]\n",
        ),
    ]);
    Command::new("git")
        .arg("init")
        .arg("-q")
        .current_dir(dir.path())
        .status()
        .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["src/app.py", "src/app.py"]);
    let named = run_in(dir.path(), &["check", "ignored/x.py"]);
    assert_eq!(named.status.code(), Some(1));
}

#[test]
fn missing_path_is_an_error() {
    let dir = project(&[]);
    let out = run_in(dir.path(), &["check", "nope.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.py"));
}

#[test]
fn rules_and_explain() {
    let rules = run_in(&repo_root(), &["rules"]);
    assert!(stdout(&rules).contains("CS003"));
    let explain = run_in(&repo_root(), &["explain", "CS003"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(stdout(&explain).contains("## Why is this bad?"));
    assert!(stdout(&explain).contains("## Fix safety"));
    assert_eq!(
        run_in(&repo_root(), &["explain", "CS999"]).status.code(),
        Some(2)
    );
}

#[test]
fn interactive_without_a_terminal_is_an_error() {
    let dir = project(&[("app.py", TWO_SLEEPS.as_bytes())]);
    let out = codesight()
        .args(["fix", "--interactive"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs a terminal"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(dir.path(), "app.py"), TWO_SLEEPS.as_bytes());
}

#[test]
fn interactive_applies_the_accepted_fix_only() {
    let dir = project(&[("app.py", TWO_SLEEPS.as_bytes())]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesight"));
    command
        .args(["fix", "--interactive", "app.py"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1");
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
    session.exp_string("time.sleep(1)").unwrap();
    session.exp_string("(1/2) Apply this fix").unwrap();
    session.send("y").unwrap();
    session.flush().unwrap();
    session.exp_string("time.sleep(2)").unwrap();
    session.exp_string("(2/2) Apply this fix").unwrap();
    session.send("n").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 1 fix, skipped 1; 1 file changed.")
        .unwrap();
    session.exp_eof().unwrap();
    let fixed = String::from_utf8(read(dir.path(), "app.py")).unwrap();
    assert!(fixed.contains("await asyncio.sleep(1)"), "{fixed}");
    assert!(fixed.contains("    time.sleep(2)"), "{fixed}");
}

#[test]
fn interactive_lets_the_user_pick_an_alternative_fix() {
    let source = "import asyncio\n\n\nasync def job():\n    await asyncio.sleep(0)\n\n\nasync def main():\n    asyncio.create_task(job())\n    return 1\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesight"));
    command
        .args(["fix", "-i", "--unsafe-fixes", "app.py"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1");
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
    session.exp_string("1) Keep a reference").unwrap();
    session.exp_string("2) Await the task").unwrap();
    session
        .exp_string("Apply this fix [y,n,a,A,q,?,1-2]?")
        .unwrap();
    session.send("2").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 1 fix, skipped 0; 1 file changed.")
        .unwrap();
    session.exp_eof().unwrap();
    let fixed = String::from_utf8(read(dir.path(), "app.py")).unwrap();
    assert!(fixed.contains("    await job()\n"), "{fixed}");
    assert!(!fixed.contains("_keep_background_task"), "{fixed}");
}

#[test]
fn interactive_rest_of_file_and_quit() {
    let dir = project(&[
        ("a.py", TWO_SLEEPS.as_bytes()),
        ("b.py", TWO_SLEEPS.as_bytes()),
    ]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesight"));
    command
        .args(["fix", "-i", "a.py", "b.py"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1");
    let mut session = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
    session.exp_string("a.py:5:5").unwrap();
    session.exp_string("(1/2) Apply this fix").unwrap();
    session.send("a").unwrap();
    session.flush().unwrap();
    session.exp_string("b.py:5:5").unwrap();
    session.exp_string("(1/2) Apply this fix").unwrap();
    session.send("q").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 2 fixes, skipped 0; 1 file changed.")
        .unwrap();
    session.exp_eof().unwrap();
    let a = String::from_utf8(read(dir.path(), "a.py")).unwrap();
    assert!(!a.contains("time.sleep"), "{a}");
    assert_eq!(read(dir.path(), "b.py"), TWO_SLEEPS.as_bytes());
}
