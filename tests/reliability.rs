//! Nothing lost, nothing corrupted, no panic: edge cases of input and of
//! the file system, and interruption while fixing.

mod common;

use std::fs;
use std::process::Command;
use std::time::Duration;

use common::{run_in, stderr, stdout};

const SLEEPY: &str = "import time\n\n\nasync def a():\n    time.sleep(1)\n";
const SLEEPY_FIXED: &str =
    "import asyncio\n\n\nasync def a():\n    await asyncio.sleep(1)\n";

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
    // Each file has an `async def`, so it is one codesight must parse.
    let head = "async def f():\n    pass\n";
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

#[cfg(unix)]
#[test]
fn unreadable_directory_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("ok.py", SLEEPY.as_bytes())]);
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("x.py"), SLEEPY).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read_dir(&locked).is_ok(); // root reads anyway
    let out = run_in(dir.path(), &["check", "--format", "concise"]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        // Running as root: permissions do not stop us, so the file is checked.
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).contains("locked/x.py"));
    } else {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("ok.py:5:5"),
            "the rest is still checked"
        );
    }
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
