//! CS002 fixes change what a program does, as intended: this runs small
//! programs with `python3` before and after `codesight fix`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{run_in, stderr, stdout};

fn run_python(dir: &Path, file: &str) -> String {
    let output = Command::new("python3")
        .arg(file)
        .current_dir(dir)
        .output()
        .expect("python3 is needed by the tests");
    assert!(
        output.status.success(),
        "python3 {file} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn fix(dir: &Path, file: &str, extra: &[&str]) {
    let mut args = vec!["fix", "--select", "CS002", "--unsafe-fixes"];
    args.extend(extra);
    args.push(file);
    let output = run_in(dir, &args);
    assert!(
        output.status.success(),
        "codesight fix failed:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
}

const BATCH: &str = r#"import asyncio

results = {}


async def fetch_user(uid):
    # Finish in a different order than started, like real I/O.
    await asyncio.sleep(0.01 * (uid % 3))
    results[uid] = f"user-{uid}"


async def fetch_batch(uids):
    await asyncio.gather(*[fetch_user(uid) for uid in uids])
    return results


async def main():
    first, second = await asyncio.gather(fetch_batch([1, 2]), fetch_batch([3, 4]))
    print(sorted(first), sorted(second))


asyncio.run(main())
"#;

#[test]
fn return_and_merge_keeps_concurrent_batches_apart() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("batch.py"), BATCH).unwrap();

    // Before: both batches return the one module-level dict, with each
    // other's entries.
    assert_eq!(
        run_python(dir.path(), "batch.py"),
        "[1, 2, 3, 4] [1, 2, 3, 4]"
    );

    fix(dir.path(), "batch.py", &[]);
    let fixed = fs::read_to_string(dir.path().join("batch.py")).unwrap();
    assert!(!fixed.contains("results = {}"), "{fixed}");

    // After: each batch returns only its own users.
    assert_eq!(run_python(dir.path(), "batch.py"), "[1, 2] [3, 4]");
}

const COUNTER: &str = r#"import asyncio

counter = 0


async def bump():
    global counter
    counter += await asyncio.sleep(0.001, result=1)


async def main():
    await asyncio.gather(*[bump() for _ in range(50)])
    print(counter)


asyncio.run(main())
"#;

#[test]
fn lock_fix_stops_lost_updates() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("counter.py"), COUNTER).unwrap();

    // Before: every call reads 0, suspends, then writes 1.
    assert_eq!(run_python(dir.path(), "counter.py"), "1");

    fix(dir.path(), "counter.py", &["--target-version", "py311"]);
    let fixed = fs::read_to_string(dir.path().join("counter.py")).unwrap();
    assert!(fixed.contains("async with counter_lock:"), "{fixed}");

    assert_eq!(run_python(dir.path(), "counter.py"), "50");
}
