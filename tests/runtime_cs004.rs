//! CS004's session hoisting, run: after the fix, a program that runs two
//! `asyncio.run(...)` in a row and closes the session's owner at the end of
//! each works, with no "Event loop is closed" and no "Unclosed client
//! session".
//!
//! aiohttp is not needed: a small stand-in package is written next to the
//! program. Like aiohttp, its `ClientSession` belongs to the event loop
//! running when it is created (a request from another loop fails with
//! "Event loop is closed"), and a session collected without being closed
//! reports "Unclosed client session".

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::run_in;

const STAND_IN_AIOHTTP: &str = r#"import asyncio
import sys


class _Response:
    def __init__(self, url):
        self.url = url

    async def json(self):
        return {"url": self.url}


class _Request:
    def __init__(self, session, url):
        self.session = session
        self.url = url

    async def __aenter__(self):
        self.session._check()
        await asyncio.sleep(0)
        return _Response(self.url)

    async def __aexit__(self, *exc):
        return False


class ClientSession:
    def __init__(self):
        self._loop = asyncio.get_running_loop()
        self.closed = False

    def _check(self):
        if self.closed:
            raise RuntimeError("Session is closed")
        if self._loop.is_closed() or asyncio.get_running_loop() is not self._loop:
            raise RuntimeError("Event loop is closed")

    def get(self, url):
        return _Request(self, url)

    async def close(self):
        self.closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    def __del__(self):
        if not self.closed:
            print("Unclosed client session", file=sys.stderr)
"#;

/// A client object with a session per call, and an owner closed at the end
/// of each run.
const PROGRAM: &str = r#"import asyncio

import aiohttp


class WeatherClient:
    async def current(self, city):
        async with aiohttp.ClientSession() as session:
            async with session.get(f"/now/{city}") as resp:
                return await resp.json()

    async def forecast(self, city):
        async with aiohttp.ClientSession() as session:
            async with session.get(f"/forecast/{city}") as resp:
                return await resp.json()

    async def close(self):
        """Release the client's resources."""


client = WeatherClient()


async def main(city):
    print((await client.current(city))["url"])
    print((await client.forecast(city))["url"])
    await client.close()


asyncio.run(main("Oslo"))
asyncio.run(main("Lima"))
"#;

struct Run {
    stdout: String,
    stderr: String,
    success: bool,
}

fn run_python(dir: &Path) -> Run {
    let output = Command::new("python3")
        .arg("program.py")
        .current_dir(dir)
        .output()
        .expect("python3 is needed by this test");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
    }
}

fn setup(dir: &Path, program: &str) {
    fs::create_dir_all(dir.join("aiohttp")).unwrap();
    fs::write(dir.join("aiohttp/__init__.py"), STAND_IN_AIOHTTP).unwrap();
    fs::write(dir.join("program.py"), program).unwrap();
}

const EXPECTED: &str = "/now/Oslo\n/forecast/Oslo\n/now/Lima\n/forecast/Lima";

#[test]
fn hoisted_onto_the_instance_survives_two_event_loops() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), PROGRAM);
    let before = run_python(dir.path());
    assert!(before.success, "{}", before.stderr);
    assert_eq!(before.stdout.trim(), EXPECTED);

    let fix = run_in(
        dir.path(),
        &["fix", "--unsafe-fixes", "--select", "CS004", "program.py"],
    );
    assert!(fix.status.success(), "{}", common::stderr(&fix));
    let fixed = fs::read_to_string(dir.path().join("program.py")).unwrap();
    assert!(
        fixed.contains("session = self._get_http_session()"),
        "{fixed}"
    );
    assert!(
        !fixed.contains("async with aiohttp.ClientSession()"),
        "{fixed}"
    );

    let after = run_python(dir.path());
    assert!(after.success, "{}\n{fixed}", after.stderr);
    assert_eq!(after.stdout.trim(), EXPECTED);
    assert!(
        !after.stderr.contains("Event loop is closed"),
        "{}",
        after.stderr
    );
    assert!(
        !after.stderr.contains("Unclosed client session"),
        "{}",
        after.stderr
    );
}

#[test]
fn the_stand_in_catches_a_session_shared_across_loops() {
    // The shape the old module-level fix produced: one session for the
    // process, never closed. The stand-in must reject it, or the test
    // above proves nothing.
    let shared = r#"import asyncio

import aiohttp

_session = None


async def get_session():
    global _session
    if _session is None:
        _session = aiohttp.ClientSession()
    return _session


async def main(city):
    session = await get_session()
    async with session.get(f"/now/{city}") as resp:
        print((await resp.json())["url"])


asyncio.run(main("Oslo"))
asyncio.run(main("Lima"))
"#;
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), shared);
    let run = run_python(dir.path());
    assert!(!run.success);
    assert!(
        run.stderr.contains("Event loop is closed"),
        "{}",
        run.stderr
    );
}

/// The same client with `__slots__` (corpus F: twitchio's `Websocket`): the
/// fix adds the session's attribute to the slots, so assigning it works.
#[test]
fn hoisted_onto_an_instance_with_slots() {
    let dir = tempfile::tempdir().unwrap();
    let program = PROGRAM.replace(
        "class WeatherClient:\n",
        "class WeatherClient:\n    __slots__ = (\"name\",)\n\n",
    );
    setup(dir.path(), &program);
    let before = run_python(dir.path());
    assert!(before.success, "{}", before.stderr);

    let fix = run_in(
        dir.path(),
        &["fix", "--unsafe-fixes", "--select", "CS004", "program.py"],
    );
    assert!(fix.status.success(), "{}", common::stderr(&fix));
    let fixed = fs::read_to_string(dir.path().join("program.py")).unwrap();
    assert!(
        fixed.contains("__slots__ = (\"name\", \"_http_session\")"),
        "{fixed}"
    );

    let after = run_python(dir.path());
    assert!(after.success, "{}\n{fixed}", after.stderr);
    assert_eq!(after.stdout.trim(), EXPECTED);
}
