//! CS003's fixes, run: three coroutines that block for 0.3 s each under
//! `asyncio.gather` take about 0.9 s before the fix and about 0.3 s after.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{run_in, stderr};

/// Runs a program that prints how long its `gather` took, in seconds.
fn elapsed(dir: &Path) -> f64 {
    let output = Command::new("python3")
        .arg("program.py")
        .current_dir(dir)
        .output()
        .expect("python3 is needed by the tests");
    assert!(
        output.status.success(),
        "program failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("the program prints a duration")
}

/// Fixes `program` with `args`, checking its timing before and after.
fn check_speedup(program: &str, args: &[&str], expected_fix: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("program.py");
    fs::write(&file, program).unwrap();

    let before = elapsed(dir.path());
    assert!(
        before >= 0.85,
        "expected ~0.9 s before the fix, got {before}"
    );

    let mut fix_args = vec!["fix", "--select", "CS003"];
    fix_args.extend(args);
    fix_args.push("program.py");
    let fix = run_in(dir.path(), &fix_args);
    let fixed = fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains(expected_fix),
        "fix not applied:\n{fixed}\n{}",
        stderr(&fix)
    );

    let after = elapsed(dir.path());
    // Relative to the measured "before", so a loaded machine slowing both
    // runs does not make the test flaky: the sleeps now overlap.
    assert!(
        after >= 0.25 && after < before * 0.65,
        "expected ~0.3 s after the fix (before: {before}), got {after}:\n{fixed}"
    );
}

const GATHER: &str = r#"
async def main():
    start = time.perf_counter()
    await asyncio.gather(worker(), worker(), worker())
    print(f"{time.perf_counter() - start:.3f}")


asyncio.run(main())
"#;

#[test]
fn sleep_fix_lets_coroutines_overlap() {
    let program = format!(
        "import asyncio\nimport time\n\n\nasync def worker():\n    time.sleep(0.3)\n\n{GATHER}"
    );
    check_speedup(&program, &[], "await asyncio.sleep(0.3)");
}

#[test]
fn to_thread_fix_lets_blocking_helpers_overlap() {
    let program = format!(
        "import asyncio\nimport time\n\n\ndef slow(seconds):\n    time.sleep(seconds)\n\n\nasync def worker():\n    slow(seconds=0.3)\n\n{GATHER}"
    );
    check_speedup(
        &program,
        &["--unsafe-fixes", "--target-version", "py39"],
        "await asyncio.to_thread(slow, seconds=0.3)",
    );
}

#[test]
fn executor_fix_lets_blocking_helpers_overlap() {
    let program = format!(
        "import asyncio\nimport time\n\n\ndef slow(seconds):\n    time.sleep(seconds)\n\n\nasync def worker():\n    slow(seconds=0.3)\n\n{GATHER}"
    );
    check_speedup(
        &program,
        &["--unsafe-fixes", "--target-version", "py38"],
        "None, functools.partial(slow, seconds=0.3)",
    );
}

/// A coroutine copies a 100 MB file through a `with open(...) as a,
/// open(...) as b:` block while another measures how long the event loop
/// goes without running it (it asks to wake every millisecond). Before the
/// fix the copy (in 4 KiB reads and writes) holds the loop for its whole
/// duration (300-700 ms here); after it, the whole block runs in a thread
/// and the longest stall is a few milliseconds (6-9 ms here, about the
/// interpreter's thread switch interval). Moving only `open()` to a thread, as the fix once did, left
/// every read and write on the loop.
#[test]
fn with_block_fix_moves_the_whole_copy_off_the_loop() {
    const PROGRAM: &str = r#"import asyncio
import os
import time


async def copy_file(src, dst):
    with open(src, "rb") as a, open(dst, "wb") as b:
        while chunk := a.read(1 << 12):
            b.write(chunk)


async def watch(stop, stalls):
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        stalls.append(now - last)
        last = now


async def main():
    stop = asyncio.Event()
    stalls = []
    watcher = asyncio.create_task(watch(stop, stalls))
    await asyncio.sleep(0.05)
    await copy_file("big.bin", "copy.bin")
    await asyncio.sleep(0.05)
    stop.set()
    await watcher
    with open("big.bin", "rb") as a, open("copy.bin", "rb") as b:
        assert a.read() == b.read(), "the copy differs"
    print(f"{max(stalls):.4f}")


asyncio.run(main())
"#;
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("big.bin"),
        (0..100u32 << 20)
            .map(|i| (i % 251) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let file = dir.path().join("program.py");
    fs::write(&file, PROGRAM).unwrap();

    let before = elapsed(dir.path());
    let fix = run_in(
        dir.path(),
        &["fix", "--select", "CS003", "--unsafe-fixes", "program.py"],
    );
    let fixed = fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("    def _sync_work() -> None:\n        with open(src, \"rb\") as a")
            && fixed.contains("await asyncio.to_thread(_sync_work)"),
        "the block was not moved:\n{fixed}\n{}",
        stderr(&fix)
    );
    let after = elapsed(dir.path());
    eprintln!("longest stall: {before:.4} s before the fix, {after:.4} s after");
    assert!(
        before >= 0.04,
        "the copy should hold the loop, stall {before}"
    );
    assert!(
        after < before / 3.0,
        "the loop still stalls {after} s after the fix (before: {before})"
    );
}

/// A name the moved `with` block binds, read only after the enclosing
/// `if`/`else`, comes back from the thread: the fixed program still returns
/// the file's text (corpus F: crawl4ai's `file://` reads raised
/// `UnboundLocalError` after the fix).
#[test]
fn with_block_fix_hands_back_a_name_read_after_the_branches() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("program.py");
    fs::write(dir.path().join("page.html"), "<p>hi</p>").unwrap();
    fs::write(
        &file,
        r#"import asyncio


async def fetch(url):
    if url.startswith("file://"):
        with open(url[7:]) as f:
            html = f.read()
    else:
        html = await asyncio.sleep(0, "remote")
    return html


print(asyncio.run(fetch("file://page.html")), asyncio.run(fetch("http://x")))
"#,
    )
    .unwrap();
    let fix = run_in(
        dir.path(),
        &["fix", "--select", "CS003", "--unsafe-fixes", "program.py"],
    );
    let fixed = fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("_sync_work"),
        "fix not applied:\n{fixed}\n{}",
        stderr(&fix)
    );
    let output = Command::new("python3")
        .arg("program.py")
        .current_dir(dir.path())
        .output()
        .expect("python3 is needed by the tests");
    assert!(
        output.status.success(),
        "fixed program failed:\n{fixed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "<p>hi</p> remote"
    );
}
