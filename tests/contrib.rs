//! The migration recipes of `contrib/`, run the way their engines run them,
//! in throw-away git repositories with different `requires-python` values
//! and configurations: each repository's own settings must apply.
//!
//! Sourcegraph: the batch spec is parsed (PyYAML), checked against the
//! constraints of the published batch-spec schema that it uses (no copy of
//! the schema ships here, and `src` is not available offline), and its
//! step's `run` script is executed with `sh` in each repository, as the
//! executor does in the container; then the change is committed as a
//! changeset would be. multi-gitter: the script is run in each clone with
//! `REPOSITORY` set, as `multi-gitter run` does.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo_root;

const SUBPROCESS: &str =
    "import subprocess\n\n\nasync def build():\n    subprocess.run([\"make\"])\n";
const SLEEP: &str = "import time\n\n\nasync def f():\n    time.sleep(1)\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A git repository with `files`, committed.
fn repo(parent: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = parent.join(name);
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-qm", "initial"]);
    dir
}

/// The repositories every recipe is run on, and what must happen in each.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    /// Files the commit must change.
    changed: &'static [&'static str],
    /// Text the fixed `a.py` must contain.
    fixed_contains: Option<&'static str>,
    /// Text the summary must contain.
    summary_contains: &'static [&'static str],
    /// Whether the step/script must succeed.
    succeeds: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "py38",
        files: &[
            (
                "pyproject.toml",
                "[project]\nname = \"old\"\nrequires-python = \">=3.8\"\n",
            ),
            ("a.py", SUBPROCESS),
        ],
        changed: &["a.py"],
        fixed_contains: Some("run_in_executor(None, subprocess.run"),
        summary_contains: &["CodeSight applied 1 fix in 1 file.", "| CS003 |"],
        succeeds: true,
    },
    Case {
        name: "py312",
        files: &[
            (
                "pyproject.toml",
                "[project]\nname = \"new\"\nrequires-python = \">=3.12\"\n",
            ),
            ("a.py", SUBPROCESS),
        ],
        changed: &["a.py"],
        fixed_contains: Some("await asyncio.to_thread(subprocess.run, [\"make\"])"),
        summary_contains: &["CodeSight applied 1 fix in 1 file."],
        succeeds: true,
    },
    Case {
        name: "ignores-cs003",
        files: &[
            ("codesight.toml", "ignore = [\"CS003\"]\n"),
            ("a.py", SLEEP),
            (
                "pkg/pyproject.toml",
                "[tool.codesight]\nselect = [\"CS003\"]\n",
            ),
            ("pkg/b.py", SLEEP),
        ],
        changed: &["pkg/b.py"],
        fixed_contains: None,
        summary_contains: &["CodeSight applied 1 fix in 1 file.", "`pkg/b.py`: CS003 ×1"],
        succeeds: true,
    },
    Case {
        name: "one-file-broken",
        files: &[
            ("a.py", SLEEP),
            (
                "broken.py",
                "import time\nasync def f(:\n    time.sleep(1)\n",
            ),
        ],
        changed: &["a.py"],
        fixed_contains: Some("await asyncio.sleep(1)"),
        summary_contains: &["### Could not be checked", "`broken.py`: syntax error"],
        succeeds: true,
    },
    Case {
        name: "bad-config",
        files: &[
            ("pyproject.toml", "[tool.codesight]\nselekt = [\"CS003\"]\n"),
            ("a.py", SLEEP),
        ],
        changed: &[],
        fixed_contains: None,
        summary_contains: &[],
        succeeds: false,
    },
];

fn path_with_codesight() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_codesight"));
    format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs one recipe over every case; `run` executes it in a repository and
/// returns its output and the summary it produced.
fn check_cases(run: impl Fn(&Path, &str) -> (Output, String)) {
    let parent = tempfile::tempdir().unwrap();
    for case in CASES {
        let dir = repo(parent.path(), case.name, case.files);
        let (out, summary) = run(&dir, case.name);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.success(),
            case.succeeds,
            "{}: exit {:?}: {stderr}",
            case.name,
            out.status.code()
        );
        for text in case.summary_contains {
            assert!(
                summary.contains(text),
                "{}: {text:?} not in\n{summary}",
                case.name
            );
        }
        if let Some(text) = case.fixed_contains {
            let fixed = fs::read_to_string(dir.join("a.py")).unwrap();
            assert!(fixed.contains(text), "{}: {fixed}", case.name);
        }
        // Commit what changed, as the engine does, and compare the files.
        git(&dir, &["add", "-A"]);
        let staged = git(&dir, &["diff", "--cached", "--name-only"]);
        let staged: Vec<&str> = staged.lines().collect();
        assert_eq!(staged, case.changed, "{}: the commit's files", case.name);
        if !staged.is_empty() {
            git(
                &dir,
                &[
                    "commit",
                    "-qm",
                    "Fix asyncio concurrency bugs found by CodeSight",
                ],
            );
            assert!(git(&dir, &["status", "--porcelain"]).is_empty());
        }
    }
}

fn python_with_yaml() -> Option<String> {
    let candidates = [
        "python3".to_string(),
        repo_root()
            .join("target/precommit-venv/bin/python")
            .display()
            .to_string(),
    ];
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import yaml"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn sourcegraph_batch_spec_step_in_each_repository() {
    let Some(python) = python_with_yaml() else {
        assert!(std::env::var_os("CI").is_none(), "PyYAML is needed");
        eprintln!("PyYAML not available; skipped");
        return;
    };
    let spec = repo_root().join("contrib/sourcegraph/codesight-fixes.batch.yaml");
    // The schema's constraints on what the spec uses, and the step script.
    let checked = Command::new(&python)
        .args([
            "-c",
            r#"
import re, sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
# PyYAML reads the key `on` as YAML 1.1's boolean; Sourcegraph reads YAML 1.2.
spec = {("on" if key is True else key): value for key, value in spec.items()}
top = {"version", "name", "description", "on", "workspaces", "steps", "transformChanges", "importChangesets", "changesetTemplate"}
assert set(spec) <= top, set(spec) - top
assert re.fullmatch(r"[\w.-]+", spec["name"]), spec["name"]
for on in spec["on"]:
    assert set(on) in ({"repositoriesMatchingQuery"}, {"repository"}, {"repository", "branch"}), on
step_keys = {"run", "container", "allow_network", "outputs", "env", "files", "if"}
for step in spec["steps"]:
    assert set(step) <= step_keys and {"run", "container"} <= set(step), step
    assert isinstance(step["run"], str) and isinstance(step["container"], str)
    for name, output in step.get("outputs", {}).items():
        assert isinstance(output["value"], str), name
        assert output.get("format", "text") in ("json", "yaml", "text")
template = spec["changesetTemplate"]
assert set(template) <= {"title", "body", "branch", "commit", "published"}, template
assert {"title", "branch", "commit"} <= set(template)
assert set(template["commit"]) <= {"message", "author"} and "message" in template["commit"]
assert isinstance(template["published"], bool) or template["published"] == "draft"
assert "${{ outputs.summary }}" in template["body"]
assert spec["steps"][0]["outputs"]["summary"]["value"] == "${{ step.stdout }}"
sys.stdout.write(spec["steps"][0]["run"])
"#,
        ])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let script = String::from_utf8(checked.stdout).unwrap();
    assert!(script.contains("codesight fix --unsafe-fixes"), "{script}");
    let path = path_with_codesight();
    check_cases(|dir, _| {
        let out = Command::new("sh")
            .args(["-c", &script])
            .current_dir(dir)
            .env("PATH", &path)
            .output()
            .unwrap();
        // The step's stdout is the changeset body.
        let summary = String::from_utf8_lossy(&out.stdout).into_owned();
        (out, summary)
    });
}

#[test]
fn multi_gitter_script_in_each_clone() {
    let script = repo_root().join("contrib/multi-gitter/codesight-fix.sh");
    let summaries = tempfile::tempdir().unwrap();
    let path = path_with_codesight();
    check_cases(|dir, name| {
        let out = Command::new(&script)
            .current_dir(dir)
            .env("PATH", &path)
            .env("REPOSITORY", format!("my-org/{name}"))
            .env("CODESIGHT_SUMMARY_DIR", summaries.path())
            .output()
            .unwrap();
        let summary = fs::read_to_string(summaries.path().join(format!("my-org_{name}.md")))
            .unwrap_or_default();
        if out.status.success() && name != "bad-config" {
            // The diff it made is printed for multi-gitter's log.
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(stdout.contains("+++ b/"), "{name}: {stdout}");
        }
        (out, summary)
    });
    // Without codesight on PATH the script fails instead of committing nothing.
    let parent = tempfile::tempdir().unwrap();
    let dir = repo(parent.path(), "no-tool", &[("a.py", SLEEP)]);
    let out = Command::new(&script)
        .current_dir(&dir)
        .env("PATH", "/usr/bin:/bin")
        .env("CODESIGHT_SUMMARY_DIR", summaries.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}
