"""For each file that `bench/realcode --fix-review` changed in a corpus: the
lines the fixes wrote that black or `ruff format` would rewrite.

usage: bench/fix-format-check.py CORPUS_DIR PATCH CODESIGHT
  e.g. bench/fix-format-check.py target/corpus-d target/bench/d/fix.patch target/release/codesight
FMT_BIN: folder with `black` and `ruff` (default target/fmt-venv/bin, made with
`python3 -m venv target/fmt-venv && target/fmt-venv/bin/pip install black ruff`).
Each changed file is fixed again on a copy (`fix --unsafe-fixes --isolated`),
formatted from stdin, and the lines the formatter removes that the original
did not have are printed."""
import os, re, subprocess, sys, tempfile, shutil, difflib
corpus, patch, cs = sys.argv[1:4]
venv = os.environ.get("FMT_BIN", "target/fmt-venv/bin").rstrip("/") + "/"
files = sorted(set(re.findall(r"^\+\+\+ b/corpus/(\S+)", open(patch).read(), re.M)))
tmp = tempfile.mkdtemp()
total = {"black": 0, "ruff": 0}
for rel in files:
    src = os.path.join(corpus, rel)
    dst = os.path.join(tmp, rel.replace("/", "__"))
    shutil.copy(src, dst)
    subprocess.run([cs, "fix", "--unsafe-fixes", "--isolated", dst], capture_output=True)
    orig = open(src).read().splitlines()
    fixed = open(dst).read().splitlines()
    new = set(l for l in fixed if l not in set(orig))
    for tool, cmd in (("black", [venv + "black", "-q", "-"]), ("ruff", [venv + "ruff", "format", "--isolated", "-"])):
        out = subprocess.run(cmd, input="\n".join(fixed) + "\n", capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{tool} failed on {rel}: {out.stderr[:200]}")
            continue
        formatted = out.stdout.splitlines()
        removed = [l[1:] for l in difflib.unified_diff(fixed, formatted, lineterm="", n=0) if l.startswith("-") and not l.startswith("---")]
        touched = [l for l in removed if l in new]
        if touched:
            total[tool] += len(touched)
            print(f"{tool}: {rel}: {len(touched)} fix lines rewritten")
            for l in touched[:6]:
                print("   |" + l)
print("total fix lines rewritten:", total, "in", len(files), "files")
