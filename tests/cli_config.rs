//! Fitting a real repository the way Ruff does (issue 20): settings per
//! file, exclusion, selectors, standard input, output formats, and the
//! flags for adopting the tool.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{codesight, run_in, stderr, stdout};

const SLEEP: &str = "import time\n\n\nasync def f():\n    time.sleep(1)\n";
/// A syntax error in a file a rule applies to (a file no rule can find
/// anything in is not parsed, so its syntax errors are not reported).
const BROKEN: &str = "import time\n\n\nasync def f(:\n    time.sleep(1)\n";
/// CS005: only an unsafe fix.
const GATHER: &str = "import asyncio\n\n\nasync def main(coros):\n    return sum(await asyncio.gather(*coros, return_exceptions=True))\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

/// `(path, code)` of every JSON record (code "" for an error record).
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut full = vec!["check", "--output-format", "json"];
    full.extend_from_slice(args);
    let out = run_in(dir, &full);
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&out), stderr(&out)));
    parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

/// The root ignores CS003; `plain/` has a pyproject.toml without a
/// CodeSight table (the root's settings still apply there); `own/` has a
/// codesight.toml that wins over its own pyproject.toml; `ext/` extends the
/// root and selects CS003 again.
fn nested() -> tempfile::TempDir {
    project(&[
        (
            "pyproject.toml",
            "[project]\nrequires-python = \">=3.11\"\n[tool.codesight]\nignore = [\"CS003\"]\nextend-exclude = [\"generated/\"]\n",
        ),
        ("top.py", SLEEP),
        ("plain/pyproject.toml", "[project]\nname = \"plain\"\n"),
        ("plain/a.py", SLEEP),
        (
            "own/pyproject.toml",
            "[tool.codesight]\nselect = [\"CS001\"]\n",
        ),
        ("own/codesight.toml", "select = [\"cs003\"]\n"),
        ("own/b.py", SLEEP),
        (
            "ext/.codesight.toml",
            "extend = \"../pyproject.toml\"\nextend-select = [\"blocking-call-in-async\"]\n",
        ),
        ("ext/c.py", SLEEP),
        ("ext/generated/d.py", SLEEP),
    ])
}

#[test]
fn each_file_gets_its_closest_configuration_whatever_the_argument_order() {
    let dir = nested();
    let expected = pairs(&[("ext/c.py", "CS003"), ("own/b.py", "CS003")]);
    assert_eq!(findings(dir.path(), &[]), expected);
    assert_eq!(
        findings(dir.path(), &["own", "plain", "ext", "top.py"]),
        expected
    );
    assert_eq!(
        findings(dir.path(), &["top.py", "ext", "plain", "own"]),
        expected
    );
    // Run from inside a subfolder: the same settings for the same files.
    assert_eq!(
        findings(&dir.path().join("own"), &[]),
        pairs(&[("b.py", "CS003")])
    );
    // The extended file's exclude applies (relative to the root).
    assert!(!stdout(&run_in(dir.path(), &["check", "--show-files"])).contains("generated"));
}

#[test]
fn config_flag_and_isolated() {
    let dir = nested();
    fs::write(dir.path().join("all.toml"), "select = [\"ALL\"]\n").unwrap();
    let everything = pairs(&[
        ("ext/c.py", "CS003"),
        ("own/b.py", "CS003"),
        ("plain/a.py", "CS003"),
        ("top.py", "CS003"),
    ]);
    // One file for every path; the root's extend-exclude no longer applies.
    let mut with_config = everything.clone();
    with_config.insert(1, ("ext/generated/d.py".into(), "CS003".into()));
    assert_eq!(findings(dir.path(), &["--config", "all.toml"]), with_config);
    assert_eq!(findings(dir.path(), &["--isolated"]), with_config);
    // Flags still apply on top of --isolated.
    assert!(findings(dir.path(), &["--isolated", "--ignore", "CS"]).is_empty());
    let missing = run_in(dir.path(), &["check", "--config", "nope.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("nope.toml"),
        "{}",
        stderr(&missing)
    );
    let _ = everything;
}

#[test]
fn show_settings_names_the_file_and_the_target_version_source() {
    let dir = nested();
    let own = run_in(dir.path(), &["check", "--show-settings", "own/b.py"]);
    assert_eq!(own.status.code(), Some(0));
    let text = stdout(&own);
    assert!(text.contains("own/codesight.toml"), "{text}");
    assert!(text.contains("enabled rules: [CS003]"), "{text}");
    // The closest requires-python (the root's: plain/ has none).
    assert!(text.contains("target-version: py311"), "{text}");
    let plain = stdout(&run_in(
        dir.path(),
        &["check", "--show-settings", "plain/a.py"],
    ));
    assert!(
        plain.contains("config file: ") && plain.contains("/pyproject.toml"),
        "{plain}"
    );
    assert!(!plain.contains("plain/pyproject.toml"), "{plain}");
}

#[test]
fn folders_without_settings_files_share_their_parents_settings() {
    let dir = nested();
    for (name, content) in [
        ("own/deep/er/e.py", SLEEP),
        ("plain/sub/ruff.toml", "line-length = 61\n"),
        ("plain/sub/g/h.py", SLEEP),
        ("plain/i.py", SLEEP),
    ] {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    let show = |file: &str| stdout(&run_in(dir.path(), &["check", "--show-settings", file]));
    let deep = show("own/deep/er/e.py");
    assert!(deep.contains("own/codesight.toml"), "{deep}");
    assert!(deep.contains("enabled rules: [CS003]"), "{deep}");
    // A `ruff.toml` deeper down changes the fix style below it, not beside it.
    assert!(
        show("plain/sub/g/h.py").contains("line-length (for fixes): 61"),
        "a ruff.toml two folders up sets the line length"
    );
    assert!(show("plain/i.py").contains("line-length (for fixes): 88"));
    // Checked together in one run (one resolver), each file still gets its own.
    assert_eq!(
        findings(dir.path(), &[]),
        pairs(&[
            ("ext/c.py", "CS003"),
            ("own/b.py", "CS003"),
            ("own/deep/er/e.py", "CS003"),
        ])
    );
}

#[test]
fn extend_cycle_and_bad_nested_config_are_errors() {
    let dir = project(&[
        ("a/.codesight.toml", "extend = \"../b/.codesight.toml\"\n"),
        ("b/.codesight.toml", "extend = \"../a/.codesight.toml\"\n"),
        ("a/x.py", SLEEP),
    ]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cycle"), "{}", stderr(&out));

    let dir = project(&[
        ("ok.py", SLEEP),
        ("sub/pyproject.toml", "[tool.codesight]\nselekt = []\n"),
        ("sub/x.py", SLEEP),
    ]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("selekt"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ok.py"),
        "other files are still checked"
    );
}

#[test]
fn exclude_force_exclude_and_per_file_ignores() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[tool.codesight]\nextend-exclude = [\"legacy/\"]\n[tool.codesight.per-file-ignores]\n\"tests/*.py\" = [\"CS003\"]\n\"scripts/\" = [\"blocking-call-in-async\"]\n",
        ),
        ("app.py", SLEEP),
        ("legacy/old.py", SLEEP),
        ("tests/test_app.py", SLEEP),
        ("scripts/run.py", SLEEP),
        (
            "stubs/api.pyi",
            "import time\n\nasync def f() -> None:\n    time.sleep(1)\n",
        ),
        ("venv/lib.py", SLEEP),
    ]);
    assert_eq!(
        findings(dir.path(), &[]),
        pairs(&[("app.py", "CS003"), ("stubs/api.pyi", "CS003")]),
        "excluded folders, per-file-ignores, .pyi walked"
    );
    // Named on the command line: checked, unless --force-exclude.
    assert_eq!(
        findings(dir.path(), &["legacy/old.py"]),
        pairs(&[("legacy/old.py", "CS003")])
    );
    assert!(findings(dir.path(), &["--force-exclude", "legacy/old.py"]).is_empty());
    assert!(findings(dir.path(), &["--force-exclude", "legacy"]).is_empty());
    // `exclude` replaces the defaults; --extend-exclude adds.
    assert!(
        findings(dir.path(), &["--exclude", "legacy/"])
            .contains(&("venv/lib.py".into(), "CS003".into()))
    );
    assert_eq!(
        findings(dir.path(), &["--extend-exclude", "stubs"]),
        pairs(&[("app.py", "CS003")])
    );
    // The fix command honours --force-exclude too (pre-commit passes it).
    let out = run_in(dir.path(), &["fix", "--force-exclude", "legacy/old.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("legacy/old.py")).unwrap(),
        SLEEP
    );
}

#[test]
fn gitignore_is_honoured_outside_a_git_repository() {
    let dir = project(&[
        (".gitignore", "ignored.py\n"),
        ("ignored.py", SLEEP),
        ("kept.py", SLEEP),
    ]);
    assert!(!dir.path().join(".git").exists());
    assert_eq!(findings(dir.path(), &[]), pairs(&[("kept.py", "CS003")]));
    assert_eq!(
        findings(dir.path(), &["--no-respect-gitignore"]),
        pairs(&[("ignored.py", "CS003"), ("kept.py", "CS003")])
    );
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.codesight]\nrespect-gitignore = false\n",
    )
    .unwrap();
    assert_eq!(findings(dir.path(), &[]).len(), 2);
    let files = stdout(&run_in(dir.path(), &["check", "--show-files"]));
    assert_eq!(files, "ignored.py\nkept.py\n");
}

#[test]
fn selectors_lowercase_names_extend_select_and_empty() {
    let dir = project(&[("a.py", SLEEP), ("g.py", GATHER)]);
    let both = pairs(&[("a.py", "CS003"), ("g.py", "CS005")]);
    assert_eq!(findings(dir.path(), &[]), both);
    assert_eq!(
        findings(dir.path(), &["--select", "cs003"]),
        pairs(&[("a.py", "CS003")])
    );
    assert_eq!(
        findings(dir.path(), &["--select", "unchecked-gather-exceptions"]),
        pairs(&[("g.py", "CS005")])
    );
    assert_eq!(
        findings(
            dir.path(),
            &["--select", "CS003", "--extend-select", "cs005"]
        ),
        both
    );
    assert_eq!(
        findings(dir.path(), &["--ignore", "cs00"]),
        Vec::<(String, String)>::new()
    );
    let empty = run_in(dir.path(), &["check", "--select", ""]);
    assert_eq!(empty.status.code(), Some(2), "{}", stderr(&empty));
    assert!(
        stderr(&empty).contains("empty rule selector"),
        "{}",
        stderr(&empty)
    );
    let unknown = run_in(dir.path(), &["check", "--select", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn no_python_files_is_a_warning() {
    let dir = project(&[("README.md", "hi\n")]);
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning: No Python files found"),
        "{}",
        stderr(&out)
    );
}

/// Runs codesight with `input` on a real pipe as standard input.
fn piped(dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    let mut child = codesight()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_check_and_fix() {
    let dir = nested();
    // The name decides the settings: own/ selects CS003, the root ignores it.
    let own = piped(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--stdin-filename",
            "own/new.py",
            "-",
        ],
        SLEEP,
    );
    assert_eq!(own.status.code(), Some(1), "{}", stderr(&own));
    assert!(
        stdout(&own).starts_with("own/new.py:5:5: CS003"),
        "{}",
        stdout(&own)
    );
    let root = piped(
        dir.path(),
        &["check", "--stdin-filename", "new.py", "-"],
        SLEEP,
    );
    assert_eq!(root.status.code(), Some(0), "{}", stdout(&root));
    // Without a name: `-` in output.
    let anonymous = piped(
        dir.path(),
        &["check", "--isolated", "--output-format", "concise", "-"],
        SLEEP,
    );
    assert!(
        stdout(&anonymous).starts_with("-:5:5: CS003"),
        "{}",
        stdout(&anonymous)
    );

    // `fix -` prints the fixed source, and nothing else, on stdout.
    let fixed = piped(
        dir.path(),
        &["fix", "--stdin-filename", "own/new.py", "-"],
        SLEEP,
    );
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert_eq!(
        stdout(&fixed),
        "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
    );
    assert!(!dir.path().join("own/new.py").exists());
    // Excluded (with --force-exclude): passed through unchanged.
    let excluded = piped(
        dir.path(),
        &[
            "fix",
            "--force-exclude",
            "--stdin-filename",
            "ext/generated/x.py",
            "-",
        ],
        SLEEP,
    );
    assert_eq!(stdout(&excluded), SLEEP);
    assert_eq!(excluded.status.code(), Some(0));
    // A syntax error: the source comes back unchanged, exit 2.
    let broken = piped(dir.path(), &["fix", "--isolated", "-"], BROKEN);
    assert_eq!(stdout(&broken), BROKEN);
    assert_eq!(broken.status.code(), Some(2));
    let mixed = run_in(dir.path(), &["check", "-", "top.py"]);
    assert_eq!(mixed.status.code(), Some(2));
}

/// A project with a finding with a safe fix, one with only an unsafe fix,
/// and a file that does not parse.
fn formats_project() -> tempfile::TempDir {
    project(&[("a.py", SLEEP), ("g.py", GATHER), ("bad.py", BROKEN)])
}

#[test]
fn machine_formats_carry_findings_and_errors() {
    let dir = formats_project();
    let run = |format: &str| {
        let out = run_in(dir.path(), &["check", "--output-format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        stdout(&out)
    };
    // json: the same array shape; an error is a record with code null.
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 3);
    let error = records.iter().find(|r| r["code"].is_null()).unwrap();
    assert_eq!(error["path"], "bad.py");
    assert_eq!(error["line"], 4);
    assert_eq!(error["column"], 13);
    assert!(error["message"].as_str().unwrap().contains("syntax error"));
    for record in records {
        let keys: Vec<&String> = record.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 9, "{record}");
    }
    // json-lines: one record per line, the same records.
    let lines: Vec<serde_json::Value> = run("json-lines")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, records);
    // SARIF: a tool execution notification, valid against the schema.
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "bad.py"
    );
    let schema_text =
        fs::read_to_string(common::repo_root().join("tests/data/sarif-schema-2.1.0.json"))
            .unwrap()
            .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}$");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // rdjson: the safe fix is a suggestion; the unsafe one is not offered.
    let rdjson: serde_json::Value = serde_json::from_str(&run("rdjson")).unwrap();
    let diagnostics = rdjson["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3);
    let sleep = diagnostics
        .iter()
        .find(|d| d["code"]["value"] == "CS003")
        .unwrap();
    assert!(
        sleep["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"] == "await asyncio.sleep")
    );
    let gather = diagnostics
        .iter()
        .find(|d| d["code"]["value"] == "CS005")
        .unwrap();
    assert!(gather.get("suggestions").is_none());
    assert!(
        diagnostics
            .iter()
            .any(|d| d["location"]["path"] == "bad.py")
    );
    // gitlab: unique fingerprints, stable from run to run.
    let gitlab_text = run("gitlab");
    assert_eq!(gitlab_text, run("gitlab"));
    let gitlab: serde_json::Value = serde_json::from_str(&gitlab_text).unwrap();
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), 3);
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 3);
    assert!(
        issues
            .iter()
            .all(|i| i["location"]["lines"]["begin"].is_u64())
    );
    // pylint and grouped.
    let pylint = run("pylint");
    assert!(pylint.contains("a.py:5: [CS003] "), "{pylint}");
    assert!(
        pylint.contains("bad.py:4: [error] syntax error"),
        "{pylint}"
    );
    let grouped = run("grouped");
    assert!(grouped.contains("a.py:\n  5:5 CS003 [*] "), "{grouped}");
    assert!(grouped.contains("g.py:\n  5:22 CS005 "), "{grouped}");
    // junit: well-formed XML with a failure per finding and an error.
    let junit = run("junit");
    let checked = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as ET; r = ET.fromstring(sys.stdin.read()); print(len(r.findall('.//failure')), len(r.findall('.//error')))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(junit.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout).trim(),
        "2 1",
        "{junit}"
    );
    // github: an annotation for the error too.
    assert!(run("github").contains("::error title=CodeSight error,file=bad.py,line=4,col=13::"));
    // `--format` is still accepted.
    let old = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        stdout(&old),
        stdout(&run_in(dir.path(), &["check", "--output-format", "json"]))
    );
}

#[test]
fn output_file_statistics_and_exit_zero() {
    let dir = formats_project();
    fs::remove_file(dir.path().join("bad.py")).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--output-file",
            "out/report.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(written.as_array().unwrap().len(), 2);
    // --statistics honours the JSON format.
    let stats = run_in(
        dir.path(),
        &["check", "--statistics", "--output-format", "json"],
    );
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(
        stats,
        serde_json::json!([
            {"code": "CS003", "name": "blocking-call-in-async", "count": 1, "fixable": 1},
            {"code": "CS005", "name": "unchecked-gather-exceptions", "count": 1, "fixable": 0},
        ])
    );
    // --exit-zero: findings do not fail; errors still do.
    assert_eq!(
        run_in(dir.path(), &["check", "--exit-zero"]).status.code(),
        Some(0)
    );
    fs::write(dir.path().join("bad.py"), BROKEN).unwrap();
    assert_eq!(
        run_in(dir.path(), &["check", "--exit-zero"]).status.code(),
        Some(2)
    );
    // Hidden fixes: the unsafe-only finding.
    fs::remove_file(dir.path().join("bad.py")).unwrap();
    let text = stdout(&run_in(dir.path(), &["check"]));
    assert!(text.contains("Found 2 findings (1 fixable with `codesight fix`).\n1 hidden fix can be enabled with the `--unsafe-fixes` option."), "{text}");
    assert!(!stdout(&run_in(dir.path(), &["check", "--unsafe-fixes"])).contains("hidden"));
    let fix = run_in(dir.path(), &["fix", "--diff"]);
    assert!(
        stderr(&fix).contains("1 remaining (1 hidden fix can be enabled"),
        "{}",
        stderr(&fix)
    );
}

#[test]
fn add_noqa_with_a_reason_then_check_is_clean() {
    let dir = project(&[
        (
            "a.py",
            "import time\n\n\nasync def f():\n    time.sleep(1)  # noqa: E501\n    time.sleep(2)\n",
        ),
        ("g.py", GATHER),
    ]);
    let out = run_in(dir.path(), &["check", "--add-noqa=adopted in 2026"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Added 3 noqa directives in 2 files."),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.py")).unwrap(),
        "import time\n\n\nasync def f():\n    time.sleep(1)  # noqa: E501, CS003\n    time.sleep(2)  # noqa: CS003 -- adopted in 2026\n"
    );
    let check = run_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stderr(&check).is_empty(), "{}", stderr(&check));
    // Idempotent.
    let again = run_in(dir.path(), &["check", "--add-noqa"]);
    assert!(
        stderr(&again).contains("Added 0 noqa directives"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn unknown_noqa_codes_are_warned_and_file_level_noqa_works() {
    let dir = project(&[
        (
            "a.py",
            "import time\n\n\nasync def f():\n    time.sleep(1)  # noqa: CS033, E501\n",
        ),
        (
            "b.py",
            "# codesight: noqa: CS003\nimport time\n\n\nasync def f():\n    time.sleep(1)\n",
        ),
    ]);
    let out = run_in(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("warning: a.py:5: unknown rule code `CS033`"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("E501"));
    assert_eq!(
        stdout(&out).lines().filter(|l| l.contains("CS003")).count(),
        1
    );
    assert!(stdout(&out).starts_with("a.py:5:5: CS003"));
}

#[test]
fn fix_show_fixes_diff_summary_and_json_summary() {
    let dir = formats_project();
    fs::remove_file(dir.path().join("bad.py")).unwrap();
    let out = run_in(
        dir.path(),
        &["fix", "--diff", "--show-fixes", "--summary", "pr.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Would apply fixes:\n  a.py:\n    CS003 Replace"),
        "{}",
        stderr(&out)
    );
    let md = fs::read_to_string(dir.path().join("pr.md")).unwrap();
    assert!(
        md.contains("CodeSight would apply 1 fix in 1 file."),
        "{md}"
    );
    assert!(!md.contains("applied"), "{md}");
    assert_eq!(fs::read_to_string(dir.path().join("a.py")).unwrap(), SLEEP);

    let out = run_in(
        dir.path(),
        &[
            "fix",
            "--unsafe-fixes",
            "--summary",
            "pr.json",
            "--summary-format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("pr.json")).unwrap()).unwrap();
    assert_eq!(summary["dry_run"], false);
    assert_eq!(summary["fixes_applied"], 2);
    assert_eq!(summary["unsafe_fixes_applied"], 1);
    assert_eq!(summary["files_changed"], 2);
    assert_eq!(summary["remaining"], 0);
    assert_eq!(summary["files"][0]["path"], "a.py");
}

#[test]
fn fix_only_fails_only_when_it_changed_files() {
    let dir = formats_project();
    fs::remove_file(dir.path().join("bad.py")).unwrap();
    let args = ["fix", "--fix-only", "--exit-non-zero-on-fix", "--quiet"];
    let first = run_in(dir.path(), &args);
    assert_eq!(first.status.code(), Some(1), "it changed a.py");
    assert_eq!(stdout(&first), "", "findings left are not listed");
    let second = run_in(dir.path(), &args);
    assert_eq!(
        second.status.code(),
        Some(0),
        "g.py's unsafe-only finding does not fail it"
    );
    assert_eq!(stdout(&second), "");
    // Without --fix-only the finding left fails the run.
    assert_eq!(run_in(dir.path(), &["fix"]).status.code(), Some(1));
    assert_eq!(
        run_in(dir.path(), &["fix", "--exit-zero"]).status.code(),
        Some(0)
    );
}

#[test]
fn rules_as_json_and_explain_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["CS001", "CS002", "CS003", "CS004", "CS005", "CS006"]
    );
    assert_eq!(rules[2]["name"], "blocking-call-in-async");
    assert_eq!(rules[2]["fixes"]["safe"], true);
    assert!(rules[2]["explanation"].as_str().unwrap().len() > 100);
    let all = stdout(&run_in(dir.path(), &["explain", "--all"]));
    for code in codes {
        assert!(all.contains(code), "{code}");
    }
    assert_eq!(run_in(dir.path(), &["explain"]).status.code(), Some(2));
}

/// Every flag of `check` and `fix` appears in the README.
#[test]
fn readme_shows_every_flag() {
    use clap::CommandFactory;
    let readme = fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let cli = codesight::cli::Cli::command();
    let mut missing = Vec::new();
    for name in ["check", "fix"] {
        let sub = cli.find_subcommand(name).unwrap();
        for arg in sub.get_arguments() {
            if arg.is_hide_set() {
                continue;
            }
            if let Some(long) = arg.get_long() {
                if matches!(long, "help" | "color" | "quiet") {
                    continue;
                }
                if !readme.contains(&format!("--{long}")) {
                    missing.push(format!("{name} --{long}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "README.md does not mention {missing:?}");
}

/// `fix` prints what is left in the chosen format too, errors included.
#[test]
fn fix_output_format_and_file() {
    let dir = formats_project();
    let out = run_in(dir.path(), &["fix", "--output-format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let left: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let left = left.as_array().unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().any(|r| r["code"] == "CS005"));
    assert!(
        left.iter()
            .any(|r| r["code"].is_null() && r["path"] == "bad.py")
    );
    // a.py was fixed; with --output-file the findings go to the file.
    fs::remove_file(dir.path().join("bad.py")).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "fix",
            "--output-format",
            "pylint",
            "--output-file",
            "left.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let text = fs::read_to_string(dir.path().join("left.txt")).unwrap();
    assert!(text.starts_with("g.py:5: [CS005] "), "{text}");
}
