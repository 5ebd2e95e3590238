#!/usr/bin/env python3
"""How `codesight check` and `codesight fix` scale with the size of one file.

For each rule, generated worst cases (one module holding N copies of what
the rule finds and fixes, in the shapes that made a rule superlinear: many
findings in one function, in one block, in one loop, or one per function)
at N, 2N and 4N. A near-linear rule takes about twice as long for twice the
size; a quadratic one four times as long. The table gives the CPU time
(user + system: steadier than wall time on a shared machine) of the best of
--repeat runs for each size and the growth factor from N to 4N (linear: ~4,
quadratic: ~16), for `check` and for `fix --unsafe-fixes`.

The check: a case fails when a growth factor exceeds its bound
(--max-growth, default 5.0: linear is 4, the rest is room for noise and
n log n) and its 4N run takes at least --min-seconds (default 0.05 s of CPU; below
that, process start-up and noise decide the ratio), or when a run takes
longer than --timeout. Exit code 1 when a case fails, 0 otherwise.

    cargo build --release
    python3 bench/scaling.py [--binary target/release/codesight] [--n 2000]
        [--only CS001,CS004] [--repeat 3] [--max-growth 5] [--timeout 120]

The default N is 2000 (2,000 / 4,000 / 8,000 copies; about a minute and a
half on a shared 2-core machine); every case also passes at --n 4000
(16,000 copies), which takes a few minutes.

Not part of `cargo test`: timings depend on the machine and its load; run
it after changing a rule.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile


def cs001_run(n):
    # One block of awaitable tasks: "await them together" gathers a run.
    body = "".join(f"    asyncio.create_task(job({i}))\n" for i in range(n))
    return (
        "import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(0)\n    return i\n\n\n"
        f"async def main():\n{body}"
    )


def cs001_loop(n):
    # One loop creating every task: the TaskGroup fix rewrites the loop.
    body = "".join(f"        asyncio.create_task(job(item, {i}))\n" for i in range(n))
    return (
        "import asyncio\n\n\nasync def job(item, i):\n    await asyncio.sleep(0)\n    return i\n\n\n"
        f"async def main(items):\n    for item in items:\n{body}"
    )


def cs001_functions(n):
    # A task per function: the module helper is shared by every fix.
    funcs = "".join(
        f"\n\nasync def handler_{i}(request):\n    asyncio.create_task(job({i}))\n    return 'ok'\n"
        for i in range(n)
    )
    return f"import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(0)\n    return i\n{funcs}"


def cs001_rebound(n):
    # One name bound to a task again and again, read once at the end: each
    # binding's reads and the rebindings between.
    body = "".join(f"    task = asyncio.create_task(job({i}))\n" for i in range(n))
    return (
        "import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(0)\n    return i\n\n\n"
        f"async def main():\n{body}    await task\n"
    )


def cs001_rebound_in_branches(n):
    # The same, each binding in its own `if`: the statements that may bind
    # the name on the way to the read.
    body = "".join(
        f"    if i == {i}:\n        task = asyncio.create_task(job({i}))\n" for i in range(n)
    )
    return (
        "import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(0)\n    return i\n\n\n"
        f"async def main(i):\n{body}    await task\n"
    )


def cs002(n):
    funcs = "".join(
        f"\n\nasync def bump_{i}(key):\n    counts[key] = counts.get(key, 0) + await fetch(key)\n"
        for i in range(n)
    )
    calls = ", ".join(f"bump_{i}('k')" for i in range(n))
    return (
        "import asyncio\n\ncounts = {}\n\n\nasync def fetch(key):\n    return 1\n"
        f"{funcs}\n\nasync def main():\n    await asyncio.gather({calls})\n"
    )


def cs002_spawned_names(n):
    # Coroutines held in names and gathered at once: what each name holds,
    # and what is appended to it, is followed for every name.
    body = "".join(f"    c{i} = bump_{i}('k')\n" for i in range(n))
    funcs = "".join(
        f"\n\nasync def bump_{i}(key):\n    counts[key] = counts.get(key, 0) + await fetch(key)\n"
        for i in range(n)
    )
    names = ", ".join(f"c{i}" for i in range(n))
    return (
        "import asyncio\n\ncounts = {}\n\n\nasync def fetch(key):\n    return 1\n"
        f"{funcs}\n\nasync def main():\n{body}    await asyncio.gather({names})\n"
    )


def cs002_merge(n):
    # Coroutines that fill a module-level dict that a batch function
    # returns: the "return and merge" fix, one per dict.
    funcs = "".join(
        f"\n\nresults_{i} = {{}}\n\n\nasync def fetch_{i}(db, uid):\n"
        f"    results_{i}[uid] = await db.get(uid)\n\n\n"
        f"async def batch_{i}(db, uids):\n"
        f"    await asyncio.gather(*[fetch_{i}(db, uid) for uid in uids])\n"
        f"    return results_{i}\n"
        for i in range(n)
    )
    return f"import asyncio\n{funcs}"


def cs002_check_then_act(n):
    # Caches filled after an `await`, one per function: the task fix.
    funcs = "".join(
        f"\n\n_cache_{i} = {{}}\n\n\nasync def get_{i}(key):\n"
        f"    if key not in _cache_{i}:\n        _cache_{i}[key] = await connect(key)\n"
        f"    return _cache_{i}[key]\n"
        for i in range(n)
    )
    calls = ", ".join(f"get_{i}('k')" for i in range(n))
    return (
        "import asyncio\n\n\nclass Connection:\n    async def close(self):\n        pass\n\n\n"
        "async def connect(key):\n    await asyncio.sleep(0)\n    return Connection()\n"
        f"{funcs}\n\nasync def main():\n    await asyncio.gather({calls})\n"
    )


def cs003_requests(n):
    body = "".join(f"    x = requests.get('http://example.com/{i}')\n" for i in range(n))
    return f"import requests\n\n\nasync def main():\n{body}"


def cs003_sleep(n):
    body = "".join(f"    time.sleep({i})\n" for i in range(n))
    return f"import time\n\n\nasync def main():\n{body}"


def cs003_with_blocks(n):
    # `with open(...)` blocks in one function: each moves to a thread in a
    # local function of its own (names it binds and the coroutine reads
    # come back as its result).
    body = "".join(
        f"    with open(path + '{i}') as f:\n        data_{i} = f.read()\n    total += len(data_{i})\n"
        for i in range(n)
    )
    return f"import asyncio\n\n\nasync def load(path):\n    total = 0\n{body}    return total\n"


def cs004_functions(n):
    funcs = "".join(
        f"\n\nasync def fetch_{i}(url):\n    session = aiohttp.ClientSession()\n"
        f"    response = await session.get(url)\n    return await response.text()\n"
        for i in range(n)
    )
    return f"import aiohttp\n{funcs}"


def cs004_one_function(n):
    # Many leaked sessions in one function: each finding's uses, closes and
    # "close it on every path" fix (which moves the rest of the block).
    body = "".join(
        f"    session_{i} = aiohttp.ClientSession()\n    await session_{i}.get(url)\n"
        for i in range(n)
    )
    return f"import aiohttp\n\n\nasync def fetch(url):\n{body}"


def cs005(n):
    body = "".join(
        f"    r{i} = await asyncio.gather(job(1), job(2), return_exceptions=True)\n"
        for i in range(n)
    )
    return (
        "import asyncio\n\n\nasync def job(i):\n    return i\n\n\n"
        f"async def main():\n{body}"
    )


def cs004_rebound(n):
    # One name bound to a new session again and again in one function.
    body = "".join(
        f"    session = aiohttp.ClientSession()\n    await session.get(url + '{i}')\n"
        for i in range(n)
    )
    return f"import aiohttp\n\n\nasync def fetch(url):\n{body}"


def cs005_rebound(n):
    # One name bound to a gather's results again and again, each read once.
    body = "".join(
        f"    r = await asyncio.gather(job(1), job({i}), return_exceptions=True)\n"
        f"    total += r[0]\n"
        for i in range(n)
    )
    return (
        "import asyncio\n\n\nasync def job(i):\n    return i\n\n\n"
        f"async def main():\n    total = 0\n{body}    return total\n"
    )


def cs006(n):
    body = "".join(f"    if os.path.exists(path + '{i}'):\n        found += 1\n" for i in range(n))
    return f"import os\n\n\nasync def count(path):\n    found = 0\n{body}    return found\n"


# (name, generator, extra arguments for both commands)
CASES = [
    ("CS001 run of tasks in one block", cs001_run, []),
    ("CS001 tasks in one loop (py311)", cs001_loop, ["--target-version", "py311"]),
    ("CS001 a task per function", cs001_functions, []),
    ("CS001 one name rebound", cs001_rebound, []),
    ("CS001 one name rebound in ifs", cs001_rebound_in_branches, []),
    ("CS002 shared dict", cs002, []),
    ("CS002 shared dict, lock fix (py311)", cs002, ["--target-version", "py311"]),
    ("CS002 coroutines in names", cs002_spawned_names, []),
    ("CS002 returned dicts (merge fix)", cs002_merge, []),
    ("CS002 caches (py311)", cs002_check_then_act, ["--target-version", "py311"]),
    ("CS003 requests.get", cs003_requests, []),
    ("CS003 time.sleep", cs003_sleep, []),
    ("CS003 with-blocks in one function", cs003_with_blocks, []),
    ("CS004 session per call", cs004_functions, []),
    ("CS004 sessions in one function", cs004_one_function, []),
    ("CS004 one name rebound", cs004_rebound, []),
    ("CS005 gather", cs005, []),
    ("CS005 one name rebound", cs005_rebound, []),
    ("CS006 os.path.exists", cs006, ["--select", "CS006"]),
]


def timed(args, cwd, timeout, prepare=None):
    """CPU seconds (user + system) the command took, or None when it ran
    longer than `timeout` seconds of wall time. CPU time, not wall time: the
    machine is shared, and other processes stretch wall times at random."""
    if prepare:
        prepare()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        subprocess.run(
            args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(args, cwd, options, prepare=None):
    times = []
    for _ in range(options.repeat):
        t = timed(args, cwd, options.timeout, prepare)
        if t is None:
            return None
        times.append(t)
    return min(times)


def show(t):
    return "timeout" if t is None else f"{t:.2f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/codesight")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--only", default="", help="comma-separated substrings of case names")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-growth", type=float, default=5.0)
    parser.add_argument("--min-seconds", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=120.0)
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    sizes = [options.n, 2 * options.n, 4 * options.n]
    wanted = [w for w in options.only.split(",") if w]
    cases = [c for c in CASES if not wanted or any(w in c[0] for w in wanted)]
    header = ["case"] + [f"check {n}" for n in sizes] + ["x"]
    header += [f"fix {n}" for n in sizes] + ["x", ""]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header), flush=True)
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.py")
        for name, make, extra in cases:
            row = [name]
            verdicts = []
            for command in (["check"], ["fix", "--unsafe-fixes"]):
                times = []
                for n in sizes:
                    text = make(n)

                    def write(text=text):
                        with open(path, "w") as f:
                            f.write(text)

                    args = [binary, *command, *extra, "case.py"]
                    times.append(best(args, tmp, options, prepare=write))
                    if times[-1] is None:
                        break
                times += [None] * (len(sizes) - len(times))
                if None in times:
                    growth = None
                    verdicts.append(f"{command[0]} timed out (>{options.timeout:.0f} s)")
                else:
                    growth = times[-1] / times[0]
                    if growth > options.max_growth and times[-1] >= options.min_seconds:
                        verdicts.append(f"{command[0]} grows {growth:.1f}x")
                row += [show(t) for t in times]
                row.append("-" if growth is None else f"{growth:.1f}")
            row.append("; ".join(verdicts) if verdicts else "ok")
            if verdicts:
                failed.append(name)
            print("| " + " | ".join(row) + " |", flush=True)
    if failed:
        print(
            f"superlinear from {sizes[0]} to {sizes[-1]} (bound {options.max_growth}x "
            f"above {options.min_seconds} s): {', '.join(failed)}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
