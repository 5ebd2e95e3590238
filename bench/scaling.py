#!/usr/bin/env python3
"""How `codesight check` and `codesight fix` scale with the size of one file.

For each rule, a generated worst case (one module holding N copies of what
the rule finds and fixes) at N, 2N and 4N. A near-linear rule takes about
twice as long for twice the size; a quadratic one four times as long. The
table gives the times and the growth factor from N to 4N (linear: ~4,
quadratic: ~16). Fails (exit 1) when a growth factor exceeds --max-growth.

    cargo build --release
    python3 bench/scaling.py [--binary target/release/codesight] [--n 1000]

Not a test: timings depend on the machine; run it after changing a rule.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def cs001(n):
    body = "".join(f"    asyncio.create_task(job({i}))\n" for i in range(n))
    return f"import asyncio\n\n\nasync def job(i):\n    await asyncio.sleep(i)\n\n\nasync def main():\n{body}"


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


def cs003_requests(n):
    body = "".join(f"    x = requests.get('http://example.com/{i}')\n" for i in range(n))
    return f"import requests\n\n\nasync def main():\n{body}"


def cs003_sleep(n):
    body = "".join(f"    time.sleep({i})\n" for i in range(n))
    return f"import time\n\n\nasync def main():\n{body}"


def cs004(n):
    funcs = "".join(
        f"\n\nasync def fetch_{i}(url):\n    session = aiohttp.ClientSession()\n"
        f"    response = await session.get(url)\n    return await response.text()\n"
        for i in range(n)
    )
    return f"import aiohttp\n{funcs}"


def cs005(n):
    body = "".join(
        f"    r{i} = await asyncio.gather(job(1), job(2), return_exceptions=True)\n"
        for i in range(n)
    )
    return (
        "import asyncio\n\n\nasync def job(i):\n    return i\n\n\n"
        f"async def main():\n{body}"
    )


CASES = [
    ("CS001 create_task", cs001),
    ("CS002 shared dict", cs002),
    ("CS003 requests.get", cs003_requests),
    ("CS003 time.sleep", cs003_sleep),
    ("CS004 session per call", cs004),
    ("CS005 gather", cs005),
]


def timed(args, cwd):
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/codesight")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--max-growth", type=float, default=8.0)
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    sizes = [options.n, 2 * options.n, 4 * options.n]
    header = ["case"] + [f"check {n}" for n in sizes] + ["x"] + [f"fix {n}" for n in sizes] + ["x"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES:
            checks, fixes = [], []
            for n in sizes:
                path = os.path.join(tmp, "case.py")
                with open(path, "w") as f:
                    f.write(make(n))
                checks.append(timed([binary, "check", "case.py"], tmp))
                fixes.append(timed([binary, "fix", "--unsafe-fixes", "case.py"], tmp))
            growth = (checks[-1] / checks[0], fixes[-1] / fixes[0])
            worst = max(worst, *growth)
            row = [name] + [f"{t:.2f} s" for t in checks] + [f"{growth[0]:.1f}"]
            row += [f"{t:.2f} s" for t in fixes] + [f"{growth[1]:.1f}"]
            print("| " + " | ".join(row) + " |", flush=True)
    if worst > options.max_growth:
        print(f"growth {worst:.1f} from {sizes[0]} to {sizes[-1]} exceeds {options.max_growth}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
