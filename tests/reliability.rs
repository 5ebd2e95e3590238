//! Nothing lost, nothing corrupted, no panic: edge cases of input and of
//! the file system, and interruption while fixing.

mod common;

use std::fs;
use std::process::Command;
use std::time::Duration;

use common::{run_in, stderr, stdout};

const SLEEPY: &str = "import time\n\n\nasync def a():\n    time.sleep(1)\n";
const SLEEPY_FIXED: &str = "import asyncio\n\n\nasync def a():\n    await asyncio.sleep(1)\n";

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn fix_one(content: &[u8]) -> (Option<i32>, Vec<u8>, String) {
    let dir = dir_with(&[("m.py", content)]);
    let out = run_in(dir.path(), &["fix", "m.py"]);
    (
        out.status.code(),
        fs::read(dir.path().join("m.py")).unwrap(),
        stderr(&out),
    )
}

#[test]
fn empty_file() {
    let (code, after, _) = fix_one(b"");
    assert_eq!(code, Some(0));
    assert!(after.is_empty());
}

#[test]
fn tab_indentation_is_kept() {
    let source = "import time\n\n\nasync def a():\n\tif True:\n\t\ttime.sleep(1)\n";
    let (code, after, err) = fix_one(source.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        String::from_utf8(after).unwrap(),
        "import asyncio\n\n\nasync def a():\n\tif True:\n\t\tawait asyncio.sleep(1)\n"
    );
}

#[test]
fn mixed_line_endings_are_kept_line_by_line() {
    let source = "import time\r\n\nasync def a():\r\n    time.sleep(1)\n    x = 1\r\n";
    let (code, after, err) = fix_one(source.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    let after = String::from_utf8(after).unwrap();
    // Lines we did not touch keep their own endings; the inserted line takes
    // the file's first line ending.
    assert_eq!(
        after,
        "import asyncio\r\n\nasync def a():\r\n    await asyncio.sleep(1)\n    x = 1\r\n"
    );
}

#[test]
fn very_long_lines() {
    let long = "x".repeat(200_000);
    let source = format!(
        "import time\nBLOB = \"{long}\"\n\n\nasync def a():\n    time.sleep(1); y = \"{long}\"\n"
    );
    let (code, after, err) = fix_one(source.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    let after = String::from_utf8(after).unwrap();
    assert!(after.contains(&format!("    await asyncio.sleep(1); y = \"{long}\"\n")));
}

#[test]
fn ten_megabyte_file() {
    let mut source = String::from("import time\n\n");
    let mut i = 0;
    while source.len() < 10 * 1024 * 1024 {
        source.push_str(&format!(
            "\n\nasync def handler_{i}(request):\n    data = {{'id': {i}, 'name': 'item {i}', 'tags': ['a', 'b', 'c']}}\n    return data\n"
        ));
        i += 1;
    }
    source.push_str("\n\nasync def last():\n    time.sleep(1)\n");
    let dir = dir_with(&[("big.py", source.as_bytes())]);
    let check = run_in(dir.path(), &["check", "--format", "concise", "big.py"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(
        stdout(&check)
            .lines()
            .filter(|l| l.contains("CS003"))
            .count(),
        1
    );
    let fix = run_in(dir.path(), &["fix", "big.py"]);
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    let after = fs::read_to_string(dir.path().join("big.py")).unwrap();
    assert!(after.ends_with("    await asyncio.sleep(1)\n"));
    assert_eq!(
        after.len(),
        // `import time`, unused after the fix, is gone.
        source.len() + "import asyncio\n".len() + "await asyncio.sleep(1)".len()
            - "time.sleep(1)".len()
            - "import time\n".len()
    );
}

#[test]
fn deeply_nested_code_is_an_error_not_a_crash() {
    // Each file has a blocking call in an `async def`, so it is one
    // codesight must parse.
    let head = "import time\nasync def f():\n    time.sleep(1)\n";
    let chain = format!("{head}x = {}\n", vec!["a"; 300_000].join(" + "));
    let nots = format!("{head}x = {}a\n", "not ".repeat(300_000));
    let parens = format!(
        "{head}x = {}1{}\n",
        "(".repeat(300_000),
        ")".repeat(300_000)
    );
    let dir = dir_with(&[
        ("chain.py", chain.as_bytes()),
        ("nots.py", nots.as_bytes()),
        ("parens.py", parens.as_bytes()),
        ("ok.py", SLEEPY.as_bytes()),
    ]);
    let out = run_in(dir.path(), &["fix"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for name in ["chain.py", "nots.py", "parens.py"] {
        assert!(
            stderr(&out).contains(&format!("{name}: code nests too deeply")),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("chain.py")).unwrap(),
        chain
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("ok.py")).unwrap(),
        SLEEPY_FIXED
    );
}

#[test]
fn read_only_file_is_reported_not_a_crash() {
    let dir = dir_with(&[("ro.py", SLEEPY.as_bytes())]);
    let path = dir.path().join("ro.py");
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let out = run_in(dir.path(), &["fix"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ro.py: cannot write file: file is read-only"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), SLEEPY);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_or_written_through() {
    let outside = dir_with(&[("target.py", SLEEPY.as_bytes())]);
    let dir = dir_with(&[("own.py", SLEEPY.as_bytes())]);
    std::os::unix::fs::symlink(outside.path().join("target.py"), dir.path().join("link.py"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linkdir")).unwrap();
    // Walking a directory does not follow links.
    let check = run_in(dir.path(), &["check", "--format", "concise", "."]);
    let report = stdout(&check);
    assert!(report.contains("own.py:5:5"), "{report}");
    assert!(!report.contains("link"), "{report}");
    // Named explicitly, a link is checked, but a fix is never written through it.
    let named = run_in(dir.path(), &["fix", "link.py"]);
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains("symbolic link"),
        "{}",
        stderr(&named)
    );
    assert_eq!(
        fs::read_to_string(outside.path().join("target.py")).unwrap(),
        SLEEPY
    );
}

/// Only where permissions apply (not as root, which reads anyway: CI runs
/// as root). The error path itself is exercised everywhere by
/// `named_paths_that_are_not_read_are_errors`.
#[cfg(unix)]
#[test]
fn unreadable_directory_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("ok.py", SLEEPY.as_bytes())]);
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("x.py"), SLEEPY).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read_dir(&locked).is_ok();
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        eprintln!("unreadable_directory_is_reported: running as root, permissions do not apply");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ok.py:5:5"),
        "the rest is still checked"
    );
}

/// SIGINT during a bulk fix: whatever moment it lands, each file is either
/// fully old or fully new, and no temporary file is left behind.
#[cfg(unix)]
#[test]
fn interrupted_fix_leaves_every_file_old_or_new() {
    for delay_ms in [0u64, 15, 40, 80] {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..400 {
            fs::write(dir.path().join(format!("m{i:03}.py")), SLEEPY).unwrap();
        }
        let child = common::codesight()
            .args(["fix", "."])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let code = out.status.code();
        // `None`: the signal landed before the handler was installed, at
        // start-up, and ended the process before it touched anything.
        assert!(
            matches!(code, None | Some(0) | Some(130)),
            "exit {code:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut fixed = 0;
        for entry in fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".codesight-"),
                "temporary file left: {name}"
            );
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                text == SLEEPY || text == SLEEPY_FIXED,
                "{name} is partial: {text:?}"
            );
            fixed += usize::from(text == SLEEPY_FIXED);
        }
        match code {
            Some(130) => assert!(String::from_utf8_lossy(&out.stderr).contains("Interrupted")),
            Some(0) => assert_eq!(fixed, 400),
            _ => assert_eq!(fixed, 0),
        }
    }
}

// ------------------------------------------------------------ issue 19

/// A panic while analysing or fixing one file (a rule bug; provoked here
/// with the `CODESIGHT_PANIC_ON` testing hook) is that file's error: the
/// other files are still checked and written, and the run exits 2.
#[test]
fn a_panic_in_one_file_is_that_files_error() {
    let boom = format!("# PANIC-HERE\n{SLEEPY}");
    let dir = dir_with(&[("boom.py", boom.as_bytes()), ("ok.py", SLEEPY.as_bytes())]);
    let run = |args: &[&str]| {
        common::codesight()
            .args(args)
            .current_dir(dir.path())
            .env("CODESIGHT_PANIC_ON", "PANIC-HERE")
            .output()
            .unwrap()
    };
    let check = run(&["check", "--format", "concise", "."]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("boom.py: internal error while checking boom.py; please report"),
        "{}",
        stderr(&check)
    );
    assert!(!stderr(&check).contains("panicked"), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("ok.py:5:5: CS003"),
        "{}",
        stdout(&check)
    );

    let fix = run(&["fix", "."]);
    assert_eq!(fix.status.code(), Some(2), "{}", stderr(&fix));
    assert!(
        stderr(&fix).contains("internal error while checking boom.py; please report"),
        "{}",
        stderr(&fix)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("boom.py")).unwrap(),
        boom
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("ok.py")).unwrap(),
        SLEEPY_FIXED
    );
}

/// Under an address-space limit the 1 GiB stacks cannot be reserved: the
/// run falls back to smaller stacks (and a lower nesting limit), says so,
/// and works.
#[cfg(unix)]
#[test]
fn address_space_limit_falls_back_to_smaller_stacks() {
    let dir = dir_with(&[("a.py", SLEEPY.as_bytes())]);
    let binary = env!("CARGO_BIN_EXE_codesight");
    for command in ["check", "fix --diff"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 2500000; exec \"$0\" {command} a.py"))
            .arg(binary)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(stdout(&out).contains("time.sleep"), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("warning: cannot reserve 1024 MiB stacks"),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("levels is reported as an error"));
    }
}

/// A file over the size limit is reported and skipped, not read into
/// memory (a 4 GiB one would abort the line index).
#[test]
fn a_huge_file_is_a_clear_error() {
    let dir = dir_with(&[("ok.py", SLEEPY.as_bytes())]);
    let huge = dir.path().join("huge.py");
    fs::write(&huge, SLEEPY).unwrap();
    // Sparse: no disk space is used.
    fs::OpenOptions::new()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let check = run_in(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert!(
        stderr(&check)
            .contains("huge.py: file is too large to check (65 MiB; the limit is 64 MiB)"),
        "{}",
        stderr(&check)
    );
    assert!(stdout(&check).contains("ok.py:5:5"), "{}", stdout(&check));
    let fix = run_in(dir.path(), &["fix", "."]);
    assert_eq!(fix.status.code(), Some(2));
    assert_eq!(fs::metadata(&huge).unwrap().len(), 65 * 1024 * 1024);
}

/// Paths that are named but cannot be read as source are errors, even as
/// root (unlike an unreadable directory): a FIFO, a dangling link, a link
/// loop, a notebook, a terminal or pipe given as `/dev/stdin`. The other
/// files are still checked.
#[cfg(unix)]
#[test]
fn named_paths_that_are_not_read_are_errors() {
    let dir = dir_with(&[("ok.py", SLEEPY.as_bytes()), ("nb.ipynb", b"{}")]);
    let status = Command::new("mkfifo")
        .arg(dir.path().join("pipe.py"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("missing.py", dir.path().join("dangling.py")).unwrap();
    std::os::unix::fs::symlink("loop_b.py", dir.path().join("loop_a.py")).unwrap();
    std::os::unix::fs::symlink("loop_a.py", dir.path().join("loop_b.py")).unwrap();
    let expectations = [
        ("pipe.py", "not a regular file (a FIFO)"),
        ("dangling.py", "symbolic link to a missing file"),
        ("loop_a.py", "symbolic link loop"),
        ("nb.ipynb", "Jupyter notebooks are not supported"),
    ];
    for (name, message) in expectations {
        for command in ["check", "fix"] {
            let out = common::codesight()
                .args([command, name, "ok.py"])
                .current_dir(dir.path())
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {name}: {}",
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(&format!("error: {name}: {message}")),
                "{command} {name}: {}",
                stderr(&out)
            );
            assert!(!stdout(&out).contains("All checks passed"));
        }
    }
    // `/dev/stdin` that is not a regular file (here: /dev/null, a device).
    let out = common::codesight()
        .args(["check", "/dev/stdin"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/dev/stdin: not a regular file"),
        "{}",
        stderr(&out)
    );
    // Redirected from a regular file, it is read.
    fs::write(dir.path().join("input.txt"), SLEEPY).unwrap();
    let out = common::codesight()
        .args(["check", "--format", "concise", "/dev/stdin"])
        .current_dir(dir.path())
        .stdin(fs::File::open(dir.path().join("input.txt")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// Overlapping paths name some files twice: each is checked and fixed once.
#[test]
fn overlapping_paths_are_processed_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("shop")).unwrap();
    fs::write(dir.path().join("shop/a.py"), SLEEPY).unwrap();
    fs::write(dir.path().join("b.py"), SLEEPY).unwrap();
    let check = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            ".",
            "shop",
            "shop/a.py",
            "./b.py",
        ],
    );
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 2, "{findings}");
    let fix = run_in(dir.path(), &["fix", ".", "shop", "./shop/a.py"]);
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    assert!(
        stderr(&fix).contains("Fixed 2 findings in 2 files; 0 remaining."),
        "{}",
        stderr(&fix)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("shop/a.py")).unwrap(),
        SLEEPY_FIXED
    );
}

/// A file that could not be written keeps its findings: they are listed
/// and counted as remaining.
#[test]
fn findings_of_an_unwritten_file_remain() {
    let dir = dir_with(&[("ro.py", SLEEPY.as_bytes())]);
    let path = dir.path().join("ro.py");
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).unwrap();
    let out = run_in(dir.path(), &["fix"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Fixed 0 findings in 0 files; 1 remaining."),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("ro.py:5:5: CS003"),
        "{}",
        stdout(&out)
    );
}

/// A closed pipe ends the run quietly with the findings' exit code: no
/// "Broken pipe" error, no panic, whether stderr goes to the pipe too or
/// not.
#[cfg(unix)]
#[test]
fn closed_pipe_ends_the_run_quietly() {
    let mut many = String::from("import time\n\n\nasync def a():\n");
    for _ in 0..2000 {
        many.push_str("    time.sleep(1)\n");
    }
    let dir = dir_with(&[("many.py", many.as_bytes())]);
    let binary = env!("CARGO_BIN_EXE_codesight");
    for (args, redirect) in [
        ("check --format sarif .", ""),
        ("check --format sarif .", "2>&1"),
        ("check .", "2>&1"),
        ("fix --diff .", "2>&1"),
        ("rules", "2>&1"),
        ("explain CS003", "2>&1"),
    ] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "\"$0\" {args} {redirect} | head -c 10 >/dev/null; echo \"status ${{PIPESTATUS[0]}}\""
            ))
            .arg(binary)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let expected = if args.starts_with("check") || args.starts_with("fix") {
            "status 1"
        } else {
            "status 0"
        };
        assert_eq!(
            stdout(&out).trim(),
            expected,
            "{args} {redirect}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).is_empty(),
            "{args} {redirect}: {}",
            stderr(&out)
        );
    }
}

/// The text prefilters that spare parsing most files must never hide a
/// finding: on every `fixes/` case, with every rule on, the findings are the
/// same with the prefilters turned off.
#[test]
fn prefilters_lose_no_finding_on_the_fixes_cases() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixes = root.join("fixes");
    assert!(fixes.is_dir(), "fixes/ is missing");
    let run = |off: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_codesight"))
            .args([
                "check",
                "--isolated",
                "--select",
                "ALL",
                "--format",
                "json",
                "--quiet",
            ])
            .arg(&fixes)
            .env("CODESIGHT_NO_PREFILTER", off)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        stdout(&out)
    };
    let with = run("0");
    assert!(
        with.matches("\"code\"").count() > 100,
        "too few findings: {with}"
    );
    assert_eq!(with, run("1"));
}
