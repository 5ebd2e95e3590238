//! CS001 fixes change what programs do, as intended: fixed programs are run
//! with the machine's `python3` and their output is compared with the
//! original program's.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use codesight::config::settings::Settings;
use codesight::diagnostic::Diagnostic;
use codesight::fix::engine::{fix_source, fix_source_with};
use common::run_in;

/// A background task that raises (after a first step: a coroutine that
/// never suspends is not reported), started by a function whose caller
/// would like to know.
const RAISING: &str = r#"import asyncio


async def boom():
    await asyncio.sleep(0)
    raise ValueError("boom in the background")


async def work():
    asyncio.create_task(boom())
    await asyncio.sleep(0.05)


async def main():
    try:
        await work()
    except ValueError as error:
        print(f"caller caught: {error}")
    else:
        print("caller finished")


asyncio.run(main())
"#;

/// A background task waiting on a future nobody else references: only the
/// event loop's weak reference points at it.
const WAITING: &str = r#"import asyncio
import gc


async def wait_for_a_signal():
    await asyncio.get_running_loop().create_future()


async def main():
    asyncio.create_task(wait_for_a_signal())
    await asyncio.sleep(0)
    gc.collect()
    print(f"tasks alive: {len(asyncio.all_tasks())}")


asyncio.run(main())
"#;

const NEVER_RETRIEVED: &str = "Task exception was never retrieved";

struct Run {
    stdout: String,
    stderr: String,
    success: bool,
}

fn run_python(path: &Path) -> Run {
    let output = Command::new("python3")
        .arg(path)
        .output()
        .expect("python3 is needed by this test");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
    }
}

/// Writes `program`, fixes it with `codesight fix --select CS001` (bulk mode,
/// safe fixes) and returns the fixed text and its path.
fn fixed_by_cli(dir: &Path, program: &str) -> (String, std::path::PathBuf) {
    let path = dir.join("program.py");
    fs::write(&path, program).unwrap();
    let fix = run_in(dir, &["fix", "--select", "CS001", "program.py"]);
    assert!(fix.status.success(), "{}", common::stderr(&fix));
    (fs::read_to_string(&path).unwrap(), path)
}

fn cs001_settings() -> Settings {
    let mut settings = Settings::default();
    settings.rules.select = vec!["CS001".to_string()];
    settings
}

#[test]
fn original_program_loses_the_exception() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("program.py");
    fs::write(&path, RAISING).unwrap();
    let run = run_python(&path);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "caller finished");
    assert!(run.stderr.contains(NEVER_RETRIEVED), "{}", run.stderr);
}

#[test]
fn keep_reference_fix_logs_the_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (fixed, path) = fixed_by_cli(dir.path(), RAISING);
    assert!(fixed.contains("_keep_background_task(asyncio.create_task(boom()))"));
    let run = run_python(&path);
    // Still fire-and-forget: the caller is not affected...
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "caller finished");
    // ...but the failure is logged when it happens, with its traceback.
    assert!(run.stderr.contains("Background task"), "{}", run.stderr);
    assert!(run.stderr.contains(" failed"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ValueError: boom in the background"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(NEVER_RETRIEVED), "{}", run.stderr);
}

#[test]
fn keep_reference_fix_stops_garbage_collection_mid_run() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.py");
    fs::write(&original, WAITING).unwrap();
    let run = run_python(&original);
    assert_eq!(run.stdout.trim(), "tasks alive: 1");
    assert!(
        run.stderr.contains("Task was destroyed but it is pending"),
        "{}",
        run.stderr
    );

    let (_, path) = fixed_by_cli(dir.path(), WAITING);
    let run = run_python(&path);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "tasks alive: 2");
    // `asyncio.run` cancels the pending task at exit: the done-callback
    // skips cancelled tasks instead of raising `CancelledError`.
    assert_eq!(run.stderr, "", "the fixed program printed errors");
}

#[test]
fn await_fix_raises_to_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("program.py");
    // Bulk mode keeps the task in the background even with unsafe fixes...
    let bulk = fix_source(&path, RAISING, &cs001_settings(), true).unwrap();
    assert!(bulk.text.contains("_keep_background_task("));
    // ...awaiting is the alternative a person picks (as `fix --interactive`
    // offers it).
    let outcome = fix_source_with(&path, RAISING, &cs001_settings(), &|d: &Diagnostic| {
        d.fixes.iter().find(|f| !f.is_safe())
    })
    .unwrap();
    assert!(
        outcome.text.contains("    await boom()\n"),
        "{}",
        outcome.text
    );
    fs::write(&path, &outcome.text).unwrap();
    let run = run_python(&path);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "caller caught: boom in the background");
    assert!(!run.stderr.contains(NEVER_RETRIEVED), "{}", run.stderr);
}

#[test]
fn task_group_fix_raises_to_the_caller() {
    let program = RAISING.replace(
        "    asyncio.create_task(boom())\n",
        "    for _ in range(2):\n        asyncio.create_task(boom())\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("program.py");
    let mut settings = cs001_settings();
    settings.target_version = "py311".parse().unwrap();
    let outcome = fix_source_with(&path, &program, &settings, &|d: &Diagnostic| {
        d.fixes.iter().find(|f| !f.is_safe())
    })
    .unwrap();
    assert!(
        outcome
            .text
            .contains("async with asyncio.TaskGroup() as tg:"),
        "{}",
        outcome.text
    );
    let version = Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info >= (3, 11))"])
        .output()
        .expect("python3 is needed by this test");
    if String::from_utf8_lossy(&version.stdout).trim() != "True" {
        eprintln!("python3 is older than 3.11: not running the TaskGroup program");
        return;
    }
    fs::write(&path, &outcome.text).unwrap();
    let run = run_python(&path);
    // A TaskGroup raises an ExceptionGroup, which `except ValueError` does
    // not catch: the error reaches the top of the program.
    assert!(!run.success);
    assert!(run.stderr.contains("ExceptionGroup"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ValueError: boom in the background"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(NEVER_RETRIEVED), "{}", run.stderr);
}

/// A task whose coroutine fails in its first step: asyncio logs the failure
/// as soon as the finished task is collected (at once: nothing references
/// it), so CS001 does not report it.
const FAILS_AT_ONCE: &str = r#"import asyncio
import gc


async def check(value):
    if value < 0:
        raise ValueError("negative in the background")


async def main():
    gc.disable()  # reference counting alone collects the finished task
    asyncio.create_task(check(-1))
    await asyncio.sleep(0.05)
    print("caller finished")


asyncio.run(main())
"#;

/// The same coroutine sent from another thread: the dropped
/// `concurrent.futures.Future` takes the failure with it, even through a
/// full collection. CS001 reports it.
const FAILS_FROM_A_THREAD: &str = r#"import asyncio
import gc
import threading


async def check(value):
    if value < 0:
        raise ValueError("negative in the background")


async def main():
    loop = asyncio.get_running_loop()

    def worker():
        asyncio.run_coroutine_threadsafe(check(-1), loop)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    await asyncio.sleep(0.05)
    gc.collect()
    await asyncio.sleep(0.05)
    print("caller finished")


asyncio.run(main())
"#;

fn cs001_findings(dir: &Path, program: &str) -> String {
    let path = dir.join("program.py");
    fs::write(&path, program).unwrap();
    common::stdout(&run_in(dir, &["check", "--select", "CS001", "program.py"]))
}

#[test]
fn a_task_that_fails_in_its_first_step_is_logged_without_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let findings = cs001_findings(dir.path(), FAILS_AT_ONCE);
    assert!(!findings.contains("CS001"), "{findings}");
    let run = run_python(&dir.path().join("program.py"));
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "caller finished");
    assert!(run.stderr.contains(NEVER_RETRIEVED), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("ValueError: negative in the background"),
        "{}",
        run.stderr
    );
}

#[test]
fn run_coroutine_threadsafe_loses_a_first_step_failure_without_a_trace() {
    let dir = tempfile::tempdir().unwrap();
    let findings = cs001_findings(dir.path(), FAILS_FROM_A_THREAD);
    assert!(findings.contains("CS001"), "{findings}");
    let run = run_python(&dir.path().join("program.py"));
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "caller finished");
    assert!(!run.stderr.contains("negative"), "{}", run.stderr);
}
