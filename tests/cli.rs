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
    // Flags win over the file, as in Ruff: `--select` starts over, so the
    // file's `ignore` no longer applies...
    assert_eq!(
        run_in(dir.path(), &["check", "--select", "CS003"])
            .status
            .code(),
        Some(1),
        "--select CS003 reports CS003 although the file ignores it"
    );
    assert_eq!(
        run_in(
            dir.path(),
            &["check", "--select", "CS00", "--ignore", "CS003"]
        )
        .status
        .code(),
        Some(0),
        "--ignore still applies next to --select"
    );
    // ... and `--ignore` alone takes away from the file's selection, even a
    // more specific `select` there.
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codesight]\nselect = [\"CS003\"]\nignore = [\"CS00\"]\n",
    )
    .unwrap();
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(1));
    assert_eq!(
        run_in(dir.path(), &["check", "--ignore", "CS0"])
            .status
            .code(),
        Some(0),
        "--ignore CS0 removes the CS003 the file selected"
    );
    // `--extend-select` adds to the file's selection, whose ignore stays.
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codesight]\nignore = [\"CS003\"]\n",
    )
    .unwrap();
    assert_eq!(
        run_in(dir.path(), &["check", "--extend-select", "CS001"])
            .status
            .code(),
        Some(0)
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
        .exp_string("Applied 1 fix, skipped 1; 1 file changed; 1 remaining.")
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
        .exp_string("Apply this fix [y,n,a,A,q,?,p,1-2]?")
        .unwrap();
    session.send("2").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 1 fix, skipped 0; 1 file changed; 0 remaining.")
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
    session.exp_string("(1/4) Apply this fix").unwrap();
    session.send("a").unwrap();
    session.flush().unwrap();
    session.exp_string("b.py:5:5").unwrap();
    // The counter spans the whole run: a.py's two, then b.py's.
    session.exp_string("(3/4) Apply this fix").unwrap();
    session.send("q").unwrap();
    session.flush().unwrap();
    // `q` ends the review like bulk fixing ends: b.py's findings remain.
    session
        .exp_string("Applied 2 fixes, skipped 0; 1 file changed; 2 remaining.")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_status(&session), Some(1));
    let a = String::from_utf8(read(dir.path(), "a.py")).unwrap();
    assert!(!a.contains("time.sleep"), "{a}");
    assert_eq!(read(dir.path(), "b.py"), TWO_SLEEPS.as_bytes());
}

fn interactive(dir: &Path, args: &[&str]) -> rexpect::session::PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesight"));
    command
        .args(["fix", "-i"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1");
    rexpect::session::spawn_command(command, Some(20_000)).unwrap()
}

fn exit_status(session: &rexpect::session::PtySession) -> Option<i32> {
    match session.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

/// Ctrl-C at a prompt stops at once: the fix accepted in the file under
/// review is written (and said so), no further file is reviewed, exit 130.
#[test]
fn interactive_ctrl_c_keeps_what_was_accepted_and_exits_130() {
    let dir = project(&[
        ("a.py", TWO_SLEEPS.as_bytes()),
        ("b.py", TWO_SLEEPS.as_bytes()),
    ]);
    let mut session = interactive(dir.path(), &["a.py", "b.py"]);
    session.exp_string("(1/4) Apply this fix").unwrap();
    session.send("y").unwrap();
    session.flush().unwrap();
    session.exp_string("(2/4) Apply this fix").unwrap();
    session.send("\u{3}").unwrap();
    session.flush().unwrap();
    session.exp_string("Wrote a.py (1 fix).").unwrap();
    session.exp_string("Interrupted: 1 file written").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_status(&session), Some(130));
    let a = String::from_utf8(read(dir.path(), "a.py")).unwrap();
    assert!(a.contains("await asyncio.sleep(1)"), "{a}");
    assert!(a.contains("    time.sleep(2)"), "{a}");
    assert_eq!(read(dir.path(), "b.py"), TWO_SLEEPS.as_bytes());
}

/// `q` at the first prompt: nothing applied, the findings are listed and
/// remain, exit 1 (as bulk `fix` exits with findings left).
#[test]
fn interactive_quit_at_once_exits_like_bulk_fix() {
    let dir = project(&[("a.py", TWO_SLEEPS.as_bytes())]);
    let mut session = interactive(dir.path(), &["a.py"]);
    session.exp_string("(1/2) Apply this fix").unwrap();
    session.send("q").unwrap();
    session.flush().unwrap();
    session.exp_string("a.py:9:5: CS003").unwrap();
    session
        .exp_string("Applied 0 fixes, skipped 0; 0 files changed; 2 remaining.")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_status(&session), Some(1));
    assert_eq!(read(dir.path(), "a.py"), TWO_SLEEPS.as_bytes());
}

/// `--summary` and `--exit-non-zero-on-fix` work in interactive mode too.
#[test]
fn interactive_honours_summary_and_exit_non_zero_on_fix() {
    let dir = project(&[("a.py", TWO_SLEEPS.as_bytes())]);
    let mut session = interactive(
        dir.path(),
        &["--summary", "pr.md", "--exit-non-zero-on-fix", "a.py"],
    );
    session.exp_string("(1/2) Apply this fix").unwrap();
    session.send("A").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 2 fixes, skipped 0; 1 file changed; 0 remaining.")
        .unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_status(&session), Some(1));
    let summary = fs::read_to_string(dir.path().join("pr.md")).unwrap();
    assert!(summary.contains("CodeSight applied 2 fixes"), "{summary}");
}

/// Interactive review goes through the bulk engine: accepting everything
/// gives exactly what bulk fixing writes, on the example shop (fixes of
/// every rule, some overlapping, some only possible in a later pass).
#[test]
fn interactive_accept_all_equals_bulk_fix() {
    let bulk = tempfile::tempdir().unwrap();
    let reviewed = tempfile::tempdir().unwrap();
    for dir in [bulk.path(), reviewed.path()] {
        let status = Command::new("cp")
            .arg("-r")
            .arg(repo_root().join("examples"))
            .arg(dir.join("shop"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let out = run_in(bulk.path(), &["fix", "--unsafe-fixes", "shop"]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let mut session = interactive(reviewed.path(), &["--unsafe-fixes", "shop"]);
    session.exp_string("Apply this fix").unwrap();
    session.send("A").unwrap();
    session.flush().unwrap();
    session.exp_string("remaining.").unwrap();
    session.exp_eof().unwrap();
    let mut compared = 0;
    for entry in walk(&bulk.path().join("shop")) {
        let relative = entry.strip_prefix(bulk.path()).unwrap();
        assert_eq!(
            String::from_utf8(fs::read(&entry).unwrap()).unwrap(),
            String::from_utf8(fs::read(reviewed.path().join(relative)).unwrap()).unwrap(),
            "{}",
            relative.display()
        );
        compared += 1;
    }
    assert!(compared >= 3);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "py") {
            files.push(path);
        }
    }
    files
}

/// Issue 20's interactive review: each prompt shows only what its fix adds
/// (the `import asyncio` an accepted fix already adds is not shown again),
/// a stray Enter after a key is ignored, and the counter spans the run.
#[test]
fn interactive_hunks_are_incremental_and_enter_is_ignored() {
    let dir = project(&[
        ("a.py", TWO_SLEEPS.as_bytes()),
        ("b.py", TWO_SLEEPS.as_bytes()),
    ]);
    let mut session = interactive(dir.path(), &["a.py", "b.py"]);
    let before_first = session.exp_string("(1/4) Apply this fix").unwrap();
    assert!(before_first.contains("+import asyncio"), "{before_first}");
    // `y` then Enter, as people type.
    session.send("y\r").unwrap();
    session.flush().unwrap();
    let before_second = session.exp_string("(2/4) Apply this fix").unwrap();
    assert!(
        !before_second.contains("+import asyncio"),
        "the import the first fix adds is shown again:\n{before_second}"
    );
    assert!(
        before_second.contains("+    await asyncio.sleep(2)"),
        "{before_second}"
    );
    assert!(
        !before_second.contains("skip this fix"),
        "Enter printed the help"
    );
    session.send("n").unwrap();
    session.flush().unwrap();
    // b.py: the counter goes on.
    session.exp_string("(3/4) Apply this fix").unwrap();
    session.send("q").unwrap();
    session.flush().unwrap();
    session.exp_eof().unwrap();
    let a = String::from_utf8(read(dir.path(), "a.py")).unwrap();
    assert!(
        a.contains("await asyncio.sleep(1)") && a.contains("time.sleep(2)"),
        "{a}"
    );
    assert_eq!(read(dir.path(), "b.py"), TWO_SLEEPS.as_bytes());
}

/// Alternatives other than the first can be previewed before choosing:
/// `p` shows the next one's diff, and `y` applies the one shown.
#[test]
fn interactive_previews_an_alternative_before_choosing() {
    let source = "import asyncio\n\n\nasync def job():\n    await asyncio.sleep(0)\n\n\nasync def main():\n    asyncio.create_task(job())\n    return 1\n";
    let dir = project(&[("app.py", source.as_bytes())]);
    let mut session = interactive(dir.path(), &["--unsafe-fixes", "app.py"]);
    let first = session
        .exp_string("Apply this fix [y,n,a,A,q,?,p,1-2]?")
        .unwrap();
    assert!(first.contains("the diff shows 1"), "{first}");
    assert!(!first.contains("+    await job()"), "{first}");
    session.send("p").unwrap();
    session.flush().unwrap();
    let second = session
        .exp_string("Apply this fix [y,n,a,A,q,?,p,1-2]?")
        .unwrap();
    assert!(second.contains("the diff shows 2"), "{second}");
    assert!(second.contains("+    await job()"), "{second}");
    session.send("y").unwrap();
    session.flush().unwrap();
    session
        .exp_string("Applied 1 fix, skipped 0; 1 file changed; 0 remaining.")
        .unwrap();
    session.exp_eof().unwrap();
    let fixed = String::from_utf8(read(dir.path(), "app.py")).unwrap();
    assert!(fixed.contains("    await job()\n"), "{fixed}");
}
