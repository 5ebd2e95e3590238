//! CS005 end to end at run time: a program whose gather swallows an error is
//! run with `python3` before and after `codesight fix`. Before, the consumer
//! of the results fails with an unrelated `TypeError` on the exception
//! object; after, the original error surfaces.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{run_in, stderr};

const PROGRAM: &str = r#"import asyncio


async def fetch_price(product_id):
    await asyncio.sleep(0)
    if product_id == 2:
        raise ConnectionError("price service unavailable for product 2")
    return {"id": product_id, "price": 10 * product_id}


async def fetch_all_prices():
    return await asyncio.gather(
        *[fetch_price(i) for i in (1, 2, 3)],
        return_exceptions=True,
    )


def total(prices):
    return sum(p["price"] for p in prices)


print(total(asyncio.run(fetch_all_prices())))
"#;

const ORIGINAL_ERROR: &str = "ConnectionError: price service unavailable for product 2";

struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

fn python(dir: &Path) -> Run {
    let output = Command::new("python3")
        .arg("program.py")
        .current_dir(dir)
        .output()
        .expect("python3 is needed by the tests");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn python_minor() -> u32 {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info[1])"])
        .output()
        .expect("python3 is needed by the tests");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a Python minor version")
}

/// Writes the program, checks how it fails unfixed, fixes it for `target`
/// and returns the run of the fixed program and its source.
fn fix_and_run(target: &str) -> (Run, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("program.py"), PROGRAM).unwrap();

    let before = python(dir.path());
    assert!(!before.success, "the unfixed program should fail");
    let last_line = before.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(
        last_line.starts_with("TypeError:"),
        "unfixed, the consumer should fail with a TypeError on the exception object, got:\n{}",
        before.stderr
    );
    assert!(
        !before.stderr.contains(ORIGINAL_ERROR),
        "unfixed, the original error should be hidden, got:\n{}",
        before.stderr
    );

    let fix = run_in(
        dir.path(),
        &[
            "fix",
            "--select=CS005",
            "--unsafe-fixes",
            "--target-version",
            target,
            "program.py",
        ],
    );
    assert_eq!(fix.status.code(), Some(0), "{}", stderr(&fix));
    let fixed = fs::read_to_string(dir.path().join("program.py")).unwrap();
    assert_ne!(fixed, PROGRAM, "the fix changed nothing");
    (python(dir.path()), fixed)
}

#[test]
fn fixed_program_raises_the_original_error_before_python_311() {
    let (after, fixed) = fix_and_run("py39");
    assert!(!after.success, "the fixed program should fail:\n{fixed}");
    assert!(
        after.stdout.is_empty(),
        "no total is printed: {}",
        after.stdout
    );
    let last_line = after.stderr.trim_end().lines().last().unwrap_or_default();
    assert_eq!(last_line, ORIGINAL_ERROR, "stderr:\n{}", after.stderr);
    assert!(!after.stderr.contains("TypeError"), "{}", after.stderr);
}

#[test]
fn fixed_program_raises_an_exception_group_on_python_311() {
    if python_minor() < 11 {
        eprintln!("skipped: python3 is older than 3.11, which has no exception groups");
        return;
    }
    let (after, fixed) = fix_and_run("py311");
    assert!(fixed.contains("BaseExceptionGroup("), "{fixed}");
    assert!(!after.success, "the fixed program should fail:\n{fixed}");
    assert!(
        after.stdout.is_empty(),
        "no total is printed: {}",
        after.stdout
    );
    assert!(
        after
            .stderr
            .contains("ExceptionGroup: fetch_all_prices: 1 of 3 awaitables failed"),
        "stderr:\n{}",
        after.stderr
    );
    assert!(after.stderr.contains(ORIGINAL_ERROR), "{}", after.stderr);
    assert!(!after.stderr.contains("TypeError"), "{}", after.stderr);
}
