//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `codesight` binary built for this test run.
pub fn codesight() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_codesight"));
    command.env("NO_COLOR", "1");
    command
}

/// Runs codesight with `args` in `dir` and returns its output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    codesight()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("codesight runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether `python3` compiles `path` (syntax only; nothing is executed).
pub fn python_compiles(path: &Path) -> Result<(), String> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import ast, sys; ast.parse(open(sys.argv[1], 'rb').read())",
        ])
        .arg(path)
        .output()
        .map_err(|e| format!("python3 is needed by the tests: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The file holding what fixing the `fixes/` case `input` must produce:
/// `NAME.fixed.py`, or the input itself for an `ok_*` case (nothing to fix).
pub fn expected_output_path(input: &Path) -> PathBuf {
    let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
    if stem.starts_with("ok_") {
        input.to_path_buf()
    } else {
        input.with_file_name(format!("{stem}.fixed.py"))
    }
}
