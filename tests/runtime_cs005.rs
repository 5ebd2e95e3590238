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

/// Runs `codesight fix --select=CS005 --unsafe-fixes --target-version
/// TARGET` on `source` written as program.py, and returns the fixed source
/// and the run of the fixed program.
fn fix_program(source: &str, target: &str) -> (String, Run) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("program.py"), source).unwrap();
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
    assert!(matches!(fix.status.code(), Some(0 | 1)), "{}", stderr(&fix));
    let fixed = fs::read_to_string(dir.path().join("program.py")).unwrap();
    (fixed, python(dir.path()))
}

/// A teardown that cancels its tasks in the loop that collects them: the
/// gather only waits for them, and their `CancelledError`s are expected.
/// A raise inserted there would stop the teardown half-way.
const TEARDOWN: &str = r#"import asyncio


class Server:
    def __init__(self):
        self._watchdog = None
        self._helpers = []

    async def start(self):
        self._watchdog = asyncio.create_task(asyncio.sleep(3600))
        self._helpers = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(3)]
        await asyncio.sleep(0)

    async def _stop_watchdog(self):
        tasks = []
        if self._watchdog is not None:
            tasks.append(self._watchdog)
            self._watchdog.cancel()
        for task in self._helpers:
            tasks.append(task)
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def restart(workers):
    pending = []
    for worker in workers:
        worker.cancel()
        pending.append(worker)
    await asyncio.gather(*pending, return_exceptions=True)
    return "restarted"


async def main():
    server = Server()
    await server.start()
    await server._stop_watchdog()
    workers = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(2)]
    await asyncio.sleep(0)
    print(await restart(workers))
    print("stopped cleanly")


asyncio.run(main())
"#;

#[test]
fn teardown_that_cancels_as_it_collects_still_completes_after_the_fix() {
    let (fixed, after) = fix_program(TEARDOWN, "py311");
    assert_eq!(fixed, TEARDOWN, "nothing to fix in a cancel-then-gather");
    assert!(after.success, "{}", after.stderr);
    assert_eq!(after.stdout, "restarted\nstopped cleanly\n");
}

/// A gather whose results are summed: unfixed, `sum` fails with a
/// `TypeError` on the exception object.
const SUMMED: &str = r#"import asyncio


async def price(item):
    await asyncio.sleep(0)
    if item == "b":
        raise ConnectionError("price service unavailable for b")
    return 10


async def total(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    return sum(prices)


print(asyncio.run(total(["a", "b", "c"])))
"#;

const SUMMED_ERROR: &str = "ConnectionError: price service unavailable for b";

#[test]
fn summed_results_surface_the_original_error_after_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("program.py"), SUMMED).unwrap();
    let before = python(dir.path());
    assert!(
        before
            .stderr
            .trim_end()
            .ends_with("TypeError: unsupported operand type(s) for +: 'int' and 'ConnectionError'"),
        "unfixed, sum fails on the exception object:\n{}",
        before.stderr
    );
    assert!(!before.stderr.contains(SUMMED_ERROR), "{}", before.stderr);

    let (fixed, after) = fix_program(SUMMED, "py39");
    assert!(!after.success, "{fixed}");
    let last_line = after.stderr.trim_end().lines().last().unwrap_or_default();
    assert_eq!(last_line, SUMMED_ERROR, "{fixed}\n{}", after.stderr);
    assert!(!after.stderr.contains("TypeError"), "{}", after.stderr);

    if python_minor() >= 11 {
        let (fixed, after) = fix_program(SUMMED, "py311");
        assert!(fixed.contains("raise BaseExceptionGroup("), "{fixed}");
        assert!(!after.success, "{fixed}");
        assert!(after.stderr.contains(SUMMED_ERROR), "{}", after.stderr);
        assert!(
            after
                .stderr
                .contains("ExceptionGroup: total: 1 of 3 awaitables failed"),
            "{}",
            after.stderr
        );
        assert!(!after.stderr.contains("TypeError"), "{}", after.stderr);
    }
}

/// A cancelled awaitable among the results: the fixed code re-raises the
/// `CancelledError` itself, so the caller sees a cancellation, not a group.
const CANCELLED: &str = r#"import asyncio


async def slow():
    await asyncio.sleep(3600)


async def quick():
    return 1


async def both():
    slow_task = asyncio.create_task(slow())
    asyncio.get_running_loop().call_soon(slow_task.cancel)
    values = await asyncio.gather(slow_task, quick(), return_exceptions=True)
    return [v + 1 for v in values]


async def main():
    try:
        print(await both())
    except asyncio.CancelledError:
        print("cancelled")
    except BaseException as error:
        print("other:", type(error).__name__)


asyncio.run(main())
"#;

#[test]
fn a_cancelled_result_is_reraised_as_a_cancellation() {
    if python_minor() < 11 {
        eprintln!("skipped: python3 is older than 3.11, which has no exception groups");
        return;
    }
    let (fixed, after) = fix_program(CANCELLED, "py311");
    assert!(fixed.contains("asyncio.CancelledError"), "{fixed}");
    assert!(after.success, "{fixed}\n{}", after.stderr);
    assert_eq!(after.stdout, "cancelled\n", "{fixed}");
}

/// A function that already logs each failure is left byte for byte.
const ALREADY_LOGS: &str = r#"import asyncio
import logging

logging.basicConfig(format="%(levelname)s %(message)s")
logger = logging.getLogger("sync")


async def sync(store):
    await asyncio.sleep(0)
    if store == "b":
        raise OSError("disk full on b")
    return store


async def sync_all(stores):
    outcomes = await asyncio.gather(*(sync(s) for s in stores), return_exceptions=True)
    for store, outcome in zip(stores, outcomes):
        if isinstance(outcome, Exception):
            logger.error("sync of %s failed: %s", store, outcome)


asyncio.run(sync_all(["a", "b"]))
print("done")
"#;

#[test]
fn a_function_that_already_logs_each_failure_is_left_unchanged() {
    let (fixed, after) = fix_program(ALREADY_LOGS, "py311");
    assert_eq!(fixed.as_bytes(), ALREADY_LOGS.as_bytes());
    assert!(after.success, "{}", after.stderr);
    assert!(
        after
            .stderr
            .contains("ERROR sync of b failed: disk full on b"),
        "{}",
        after.stderr
    );
}

/// Discarded results outside teardown: the fix logs each failure with the
/// module's logger, and the function carries on as before.
const DISCARDED: &str = r#"import asyncio
import logging

logging.basicConfig(format="%(levelname)s %(name)s %(message)s")
_LOGGER = logging.getLogger("devices")


async def refresh(device):
    await asyncio.sleep(0)
    if device == 2:
        raise TimeoutError("device 2 did not answer")


async def refresh_all(devices):
    await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)
    print("refreshed", len(devices))


asyncio.run(refresh_all([1, 2, 3]))
"#;

#[test]
fn discarded_failures_are_logged_and_control_flow_is_unchanged() {
    let (fixed, after) = fix_program(DISCARDED, "py311");
    assert!(fixed.contains("_LOGGER.error("), "{fixed}");
    assert_eq!(
        fixed.matches("raise").count(),
        DISCARDED.matches("raise").count(),
        "no raise is added: {fixed}"
    );
    assert!(after.success, "{fixed}\n{}", after.stderr);
    assert_eq!(after.stdout, "refreshed 3\n");
    assert!(
        after
            .stderr
            .contains("ERROR devices Awaitable failed in refresh_all"),
        "{}",
        after.stderr
    );
    assert!(
        after
            .stderr
            .contains("TimeoutError: device 2 did not answer"),
        "{}",
        after.stderr
    );
}

/// Code that handles the failures it expects and drops the others: after
/// the fix the others are counted, logged and marked where the expected
/// ones are, and the expected ones are handled exactly as before (the
/// "already subscribed" error still does not count as a failure).
const PARTLY_HANDLED: &str = r#"import asyncio
import logging

logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(message)s")
_LOGGER = logging.getLogger(__name__)
ALREADY_SUBSCRIBED = 1207


class ApiError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


async def subscribe(device):
    await asyncio.sleep(0)
    if device == "lamp":
        raise ApiError(ALREADY_SUBSCRIBED)
    if device == "fan":
        raise TimeoutError("fan did not answer")
    if device == "oven":
        raise ValueError("bad device id")
    return device


def failures(results):
    return sum(
        isinstance(result, ValueError)
        or (
            isinstance(result, ApiError)
            and result.code != ALREADY_SUBSCRIBED
        )
        for result in results
    )


async def main():
    devices = ["lamp", "fan", "oven", "door"]
    results = await asyncio.gather(*(subscribe(d) for d in devices), return_exceptions=True)
    print("failed:", failures(results))
    status = dict(zip(devices, results))
    for device, result in status.items():
        if isinstance(result, ApiError):
            _LOGGER.debug("api error", exc_info=result)
            status[device] = result.code == ALREADY_SUBSCRIBED
        elif isinstance(result, ValueError):
            _LOGGER.warning("skipping %s: %r", device, result)
            status[device] = False
    print("ok:", sorted(device for device, up in status.items() if up))


asyncio.run(main())
"#;

#[test]
fn partly_handled_failures_are_handled_like_the_expected_ones_after_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("program.py"), PARTLY_HANDLED).unwrap();
    let before = python(dir.path());
    assert!(before.success, "{}", before.stderr);
    // The timeout is neither counted nor logged, and passes for a success.
    assert!(before.stdout.contains("failed: 1\n"), "{}", before.stdout);
    assert!(
        before.stdout.contains("ok: ['door', 'fan', 'lamp']"),
        "{}",
        before.stdout
    );
    assert!(
        !before.stderr.contains("fan did not answer"),
        "{}",
        before.stderr
    );

    let (fixed, after) = fix_program(PARTLY_HANDLED, "py311");
    assert!(
        !fixed.contains("for outcome"),
        "no loop of its own:\n{fixed}"
    );
    assert!(after.success, "{}\n{fixed}", after.stderr);
    // Counted now, and the already-subscribed lamp still is not a failure.
    assert!(
        after.stdout.contains("failed: 2\n"),
        "{}\n{fixed}",
        after.stdout
    );
    assert!(
        after.stdout.contains("ok: ['door', 'lamp']"),
        "{}\n{fixed}",
        after.stdout
    );
    // Logged and marked where the others are, with the device.
    assert!(
        after
            .stderr
            .contains("skipping fan: TimeoutError('fan did not answer')"),
        "{}\n{fixed}",
        after.stderr
    );
    assert!(after.stderr.contains("skipping oven"), "{}", after.stderr);
}
