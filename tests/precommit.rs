//! The hooks of `.pre-commit-hooks.yaml` under a real `pre-commit run`.
//!
//! pre-commit is installed into a virtual environment the test creates
//! (`target/precommit-venv`, reused by later runs). The hooks are used as
//! declared (id, name, entry, file types, `require_serial`), with one
//! change: `language: system` instead of `python`, so pre-commit runs the
//! `codesight` built for this test instead of building a release wheel of
//! the repository (minutes of compiling). Without network to install
//! pre-commit the test says so and stops, except under CI, where it fails;
//! `tests/ecosystem.rs` still runs the entries directly.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo_root;

const SLEEP: &str = "import time\n\n\nasync def f():\n    time.sleep(1)\n";
const GATHER: &str = "import asyncio\n\n\nasync def main(coros):\n    return sum(await asyncio.gather(*coros, return_exceptions=True))\n";

fn venv() -> Option<PathBuf> {
    let venv = repo_root().join("target/precommit-venv");
    let pre_commit = venv.join("bin/pre-commit");
    if pre_commit.exists() {
        return Some(pre_commit);
    }
    let ok = |out: std::io::Result<Output>| out.is_ok_and(|o| o.status.success());
    let created = ok(Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(&venv)
        .output())
        && ok(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "pre-commit"])
            .output());
    if created {
        Some(pre_commit)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pre-commit could not be installed into {}",
            venv.display()
        );
        eprintln!(
            "pre-commit could not be installed (no network?); hook entries are tested in tests/ecosystem.rs"
        );
        None
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn hooks_under_a_real_pre_commit_run() {
    let Some(pre_commit) = venv() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (name, text) in [
        (
            "pyproject.toml",
            "[tool.codesight]\nextend-exclude = [\"vendored/\"]\n",
        ),
        ("app.py", SLEEP),
        ("gather.py", GATHER),
        ("vendored/lib.py", SLEEP),
    ] {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    // The declared hooks, fix first (as the README's snippet lists them).
    let python = pre_commit.with_file_name("python");
    let generated = Command::new(&python)
        .args([
            "-c",
            "import sys, yaml\n\
             hooks = yaml.safe_load(open(sys.argv[1]))\n\
             hooks.sort(key=lambda h: h['id'] != 'codesight-fix')\n\
             for h in hooks: h['language'] = 'system'\n\
             yaml.safe_dump({'repos': [{'repo': 'local', 'hooks': hooks}]}, open(sys.argv[2], 'w'))\n",
        ])
        .arg(repo_root().join(".pre-commit-hooks.yaml"))
        .arg(root.join(".pre-commit-config.yaml"))
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);

    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_codesight"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = || {
        let out = Command::new(&pre_commit)
            .args(["run", "--all-files", "--color", "never"])
            .current_dir(root)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", root.join(".pre-commit-home"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };

    let (code, first) = run();
    assert_eq!(code, Some(1), "{first}");
    assert!(
        first.contains("codesight (safe fixes)")
            && first.contains("files were modified by this hook"),
        "{first}"
    );
    assert!(
        fs::read_to_string(root.join("app.py"))
            .unwrap()
            .contains("await asyncio.sleep(1)")
    );
    assert_eq!(
        fs::read_to_string(root.join("vendored/lib.py")).unwrap(),
        SLEEP,
        "--force-exclude keeps the excluded file untouched although pre-commit names it"
    );
    // gather.py's finding (no safe fix) is printed once: by `codesight`,
    // not by the fixing hook as well.
    assert_eq!(first.matches("gather.py:5:22").count(), 1, "{first}");
    assert!(!first.contains("vendored/lib.py:"), "{first}");

    git(root, &["add", "-A"]);
    let (code, second) = run();
    assert_eq!(code, Some(1), "{second}");
    let fix_line = second
        .lines()
        .find(|l| l.starts_with("codesight (safe fixes)"))
        .unwrap_or_else(|| panic!("{second}"));
    assert!(
        fix_line.ends_with("Passed"),
        "nothing left to fix: {second}"
    );
    let check_line = second
        .lines()
        .find(|l| {
            (l.starts_with("codesight.") || l.starts_with("codesight "))
                && !l.starts_with("codesight (safe fixes)")
        })
        .unwrap_or_else(|| panic!("{second}"));
    assert!(check_line.ends_with("Failed"), "{second}");

    fs::write(
        root.join("gather.py"),
        GATHER.replace(
            "return_exceptions=True))",
            "return_exceptions=True))  # noqa: CS005",
        ),
    )
    .unwrap();
    git(root, &["add", "-A"]);
    let (code, third) = run();
    assert_eq!(code, Some(0), "{third}");
}
