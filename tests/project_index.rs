//! The project index: a task-returning helper defined in one module of the
//! checked package makes its dropped result a CS001 finding in another.

mod common;

use std::fs;

use common::{run_in, stdout};

const UTILS: &str = "\
import asyncio


def create_task_with_error_handling(coro, *, name=None):
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    return task
";

const SERVICE: &str = "\
from pkg.utils import create_task_with_error_handling


async def refresh():
    await do_refresh()


async def on_event(event):
    create_task_with_error_handling(refresh(), name=\"refresh\")
";

fn package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("pkg")).unwrap();
    fs::write(dir.path().join("pkg/__init__.py"), "").unwrap();
    fs::write(dir.path().join("pkg/utils.py"), UTILS).unwrap();
    fs::write(dir.path().join("pkg/service.py"), SERVICE).unwrap();
    dir
}

#[test]
fn a_helper_of_another_module_spawns_a_task() {
    let dir = package();
    let out = run_in(dir.path(), &["check", "--select", "CS001", "pkg"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("service.py:9:5: CS001 Task from `create_task_with_error_handling(...)`"),
        "{text}"
    );
    assert_eq!(text.matches("CS001").count(), 1, "{text}");
}

#[test]
fn the_index_holds_what_the_run_sees() {
    // Checking the caller alone: the helper's module is not part of the run.
    let dir = package();
    let out = run_in(
        dir.path(),
        &["check", "--select", "CS001", "pkg/service.py"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_helper_that_keeps_its_task_is_not_one() {
    let dir = package();
    let keeping = UTILS.replace(
        "    return task\n",
        "    _tasks.add(task)\n    return task\n\n\n_tasks = set()\n",
    );
    fs::write(dir.path().join("pkg/utils.py"), keeping).unwrap();
    let out = run_in(dir.path(), &["check", "--select", "CS001", "pkg"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_helper_imported_relatively_is_found() {
    let dir = package();
    let relative = SERVICE.replace("from pkg.utils import", "from .utils import");
    fs::create_dir_all(dir.path().join("pkg/sub")).unwrap();
    fs::write(dir.path().join("pkg/sub/__init__.py"), "").unwrap();
    fs::write(dir.path().join("pkg/service.py"), &relative).unwrap();
    let deeper = SERVICE.replace("from pkg.utils import", "from ..utils import");
    fs::write(dir.path().join("pkg/sub/deep.py"), &deeper).unwrap();
    let out = run_in(dir.path(), &["check", "--select", "CS001", "pkg"]);
    let text = stdout(&out);
    assert!(text.contains("pkg/service.py:9:5: CS001"), "{text}");
    assert!(text.contains("pkg/sub/deep.py:9:5: CS001"), "{text}");
}
