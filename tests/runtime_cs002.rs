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

/// Two first calls to a check-then-act cache of connections, run together.
/// `{cache}` is the cache's name: private (the task fix applies) or public
/// (the lock). Prints how many connections were opened and whether both
/// callers got the same one (if not, one of them is in no cache and is
/// never closed).
fn check_then_act_program(cache: &str) -> String {
    format!(
        r#"import asyncio

{cache} = {{}}
opened = []


class Connection:
    def __init__(self, key):
        self.key = key
        self.closed = False

    async def close(self):
        self.closed = True


async def connect(key):
    await asyncio.sleep(0.01)
    connection = Connection(key)
    opened.append(connection)
    return connection


async def get(key):
    if key not in {cache}:
        {cache}[key] = await connect(key)
    return {cache}[key]


async def main():
    first, second = await asyncio.gather(get("k"), get("k"))
    print(len(opened), first is second)


asyncio.run(main())
"#
    )
}

#[test]
fn storing_the_task_builds_a_cached_value_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cache.py"),
        check_then_act_program("_cache"),
    )
    .unwrap();

    // Before: both calls find no entry, suspend in `connect`, and connect;
    // each caller holds its own connection, and the cache only one of them.
    assert_eq!(run_python(dir.path(), "cache.py"), "2 False");

    fix(dir.path(), "cache.py", &["--target-version", "py311"]);
    let fixed = fs::read_to_string(dir.path().join("cache.py")).unwrap();
    assert!(
        fixed.contains("asyncio.ensure_future(connect(key))"),
        "{fixed}"
    );

    // After: the second call awaits the task the first one stored.
    assert_eq!(run_python(dir.path(), "cache.py"), "1 True");
}

#[test]
fn a_lock_around_check_then_act_builds_a_cached_value_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cache.py"), check_then_act_program("CACHE")).unwrap();
    assert_eq!(run_python(dir.path(), "cache.py"), "2 False");

    fix(dir.path(), "cache.py", &["--target-version", "py311"]);
    let fixed = fs::read_to_string(dir.path().join("cache.py")).unwrap();
    assert!(fixed.contains("async with CACHE_lock:"), "{fixed}");

    assert_eq!(run_python(dir.path(), "cache.py"), "1 True");
}

const FAILING_BUILD: &str = r#"import asyncio

_cache = {}
attempts = 0


class Connection:
    async def close(self):
        pass


async def connect(key):
    global attempts
    attempts += 1
    await asyncio.sleep(0)
    if attempts == 1:
        raise ConnectionError("first attempt fails")
    return Connection()


async def get(key):
    if key not in _cache:
        _cache[key] = await connect(key)
    return _cache[key]


async def main():
    try:
        await get("k")
    except ConnectionError:
        pass
    await asyncio.sleep(0)
    print(type(await get("k")).__name__, attempts)


asyncio.run(main())
"#;

/// A memo of plain data: racing first calls only duplicate the work. Not
/// reported, so `fix` leaves it as it is.
const MEMO: &str = r#"import asyncio

_cache = {}
builds = 0


async def build(key):
    global builds
    builds += 1
    await asyncio.sleep(0.01)
    return {"key": key}


async def get(key):
    if key not in _cache:
        _cache[key] = await build(key)
    return _cache[key]


async def main():
    first, second = await asyncio.gather(get("k"), get("k"))
    print(builds, first == second)


asyncio.run(main())
"#;

#[test]
fn a_memo_of_plain_data_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("memo.py"), MEMO).unwrap();
    assert_eq!(run_python(dir.path(), "memo.py"), "2 True");
    fix(dir.path(), "memo.py", &["--target-version", "py311"]);
    let fixed = fs::read_to_string(dir.path().join("memo.py")).unwrap();
    assert_eq!(fixed, MEMO);
}

#[test]
fn a_failed_build_is_not_cached_by_the_task_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("retry.py"), FAILING_BUILD).unwrap();
    assert_eq!(run_python(dir.path(), "retry.py"), "Connection 2");

    fix(dir.path(), "retry.py", &["--target-version", "py311"]);
    let fixed = fs::read_to_string(dir.path().join("retry.py")).unwrap();
    assert!(fixed.contains("ensure_future"), "{fixed}");

    // The failed task was forgotten: the second call builds again.
    assert_eq!(run_python(dir.path(), "retry.py"), "Connection 2");
}
