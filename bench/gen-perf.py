#!/usr/bin/env python3
"""Generates the two worst-case files of bench/perf.sh.

    bench/gen-perf.py OUT_DIR

- tasks.py: 8,000 async functions, each binding a task and reading it
  (CS001's keep-a-reference check looks up the task's reads per function).
- sleeps.py: 8,000 async functions with 4 `time.sleep` calls each, 32,000
  CS003 fixes in one file.
"""
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

tasks = ["import asyncio\n\n\nasync def work():\n    pass\n"]
for i in range(8000):
    tasks.append(
        f"\n\nasync def f{i}():\n"
        f"    task = asyncio.create_task(work())\n"
        f"    await task\n"
    )
(out / "tasks.py").write_text("".join(tasks))

sleeps = ["import time\n"]
for i in range(8000):
    sleeps.append(
        f"\n\nasync def f{i}(x):\n"
        + "".join(f"    time.sleep({j})\n" for j in range(4))
    )
(out / "sleeps.py").write_text("".join(sleeps))
