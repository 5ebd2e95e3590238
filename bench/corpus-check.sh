#!/usr/bin/env bash
# bench/corpus-check.sh [CORPUS_DIR]
#
# Real-world validation of codesight on corpus A (issue 8):
#   1. copy the corpus into a fresh temporary git repo (under $TMPDIR, outside
#      this repo so no .gitignore of ours can hide files from the walker);
#   2. `codesight check --format json corpus`: exit 0 or 1, JSON in the
#      documented shape (validated strictly, see count_findings), and stderr
#      free of "panic", "internal error" and parse errors; check.json.concise
#      lists the findings one per line for bench/corpus-a-triage.md;
#   3. `codesight fix --unsafe-fixes --diff corpus > fix.patch`: exit 0 or 1,
#      same stderr rules, and it must not write any file;
#   4. `git apply --check fix.patch`, then `git apply fix.patch`; the patch may
#      only modify existing files;
#   5. every changed .py file still parses: ast.parse and compile() in one
#      python3 process (a file whose original did not compile with this
#      python3 either is reported, not failed);
#   6. `codesight check` again on the fixed tree (exit 0/1, no panic);
#   7. `codesight fix --unsafe-fixes --diff` again: the diff must be empty
#      (fixes are idempotent).
# Prints a summary; exits non-zero on any failure. Artifacts (check.json,
# fix.patch, stderr logs, ...) are copied to target/corpus-check/ for triage.
# tests/corpus.rs runs the same checks (without git) under `cargo test`.
#
# CORPUS_DIR defaults to target/corpus-a (relative to the repo root) and is
# fetched with ../shared/corpus/make-corpus.sh; a relative CORPUS_DIR argument
# is taken relative to the current directory.
#
# Environment knobs:
#   CODESIGHT=target/release/codesight   binary to test
#   SKIP_BUILD=1           do not run cargo build --release
#   KEEP_WORK=1            keep the temporary git repo (always kept on failure)
#   SHARED_DIR=../shared   where corpus/make-corpus.sh lives (../../shared if
#                          ../shared is missing and that one exists)
#   CORPUS_LIST=$SHARED_DIR/corpus/corpus-a.txt
#   ARTIFACTS=target/corpus-check
set -euo pipefail
export LC_ALL=C

CALLER_PWD=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [ $# -gt 1 ]; then
  echo "usage: $0 [CORPUS_DIR]" >&2
  exit 2
fi
if [ $# -eq 1 ]; then
  case "$1" in /*) CORPUS=$1 ;; *) CORPUS=$CALLER_PWD/$1 ;; esac
else
  CORPUS=$ROOT/target/corpus-a
fi
CORPUS=${CORPUS%/}

CODESIGHT=${CODESIGHT:-target/release/codesight}
case "$CODESIGHT" in /*) ;; *) CODESIGHT=$ROOT/$CODESIGHT ;; esac
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_WORK=${KEEP_WORK:-0}
# ../shared beside the repo; a git worktree under <repo>/../wt/NAME finds it
# one level further up.
if [ -z "${SHARED_DIR:-}" ] && [ ! -d ../shared ] && [ -f ../../shared/corpus/make-corpus.sh ]; then
  SHARED_DIR=../../shared
fi
SHARED=${SHARED_DIR:-../shared}
LIST=${CORPUS_LIST:-$SHARED/corpus/corpus-a.txt}
ARTIFACTS=${ARTIFACTS:-target/corpus-check}
case "$ARTIFACTS" in /*) ;; *) ARTIFACTS=$ROOT/$ARTIFACTS ;; esac

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'corpus-check: error: %s\n' "$*" >&2; exit 1; }

FAILURES=()
fail() {
  FAILURES+=("$*")
  printf 'FAIL: %s\n' "$*" >&2
}

# ---------------------------------------------------------------- corpus ----
if [ -f "$SHARED/corpus/make-corpus.sh" ] && [ -f "$LIST" ]; then
  say "fetching corpus into $CORPUS (cached)"
  log=$(mktemp)
  if ! bash "$SHARED/corpus/make-corpus.sh" "$LIST" "$CORPUS" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "make-corpus.sh failed"
  fi
  rm -f "$log"
elif [ -d "$CORPUS" ]; then
  say "no $SHARED/corpus/make-corpus.sh; using existing $CORPUS as is"
else
  die "no corpus at $CORPUS and no $SHARED/corpus/make-corpus.sh to fetch it"
fi
NFILES=$(find "$CORPUS" -type f -name '*.py' | wc -l | tr -d ' ')
[ "$NFILES" -gt 0 ] || die "no .py files under $CORPUS"

# ----------------------------------------------------------------- build ----
if [ "$SKIP_BUILD" != 1 ]; then
  say "cargo build --release"
  cargo build --release
fi
[ -x "$CODESIGHT" ] || die "codesight binary not found at $CODESIGHT"

# ------------------------------------------------------------- temp repo ----
WORK=$(mktemp -d "${TMPDIR:-/tmp}/codesight-corpus-check.XXXXXX")
REPO=$WORK/repo
LOGS=$WORK/logs
mkdir -p "$REPO" "$LOGS"
finish() {
  local rc=$?
  if [ -d "$LOGS" ]; then
    rm -rf "$ARTIFACTS"
    mkdir -p "$ARTIFACTS"
    cp -R "$LOGS"/. "$ARTIFACTS"/ 2>/dev/null || true
  fi
  if [ "$rc" -eq 0 ] && [ "$KEEP_WORK" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "work tree kept: $REPO" >&2
  fi
}
trap finish EXIT

# parse_changed.py CHANGED_LIST (run in $REPO): ast.parse + compile() each
# changed .py file in one process; a failure is the fix's fault only if the
# original (HEAD) version parsed and compiled.
cat >"$WORK/parse_changed.py" <<'EOF'
import ast, subprocess, sys, warnings

warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes etc.


def problem(src, name):
    """None if src parses and compiles, else a one-line reason."""
    try:
        ast.parse(src, filename=name)
    except (SyntaxError, ValueError) as e:
        return "ast.parse: %s" % e
    try:
        compile(src, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        return "compile: %s" % e
    return None


files = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
ok = broken = preexisting = 0
for f in files:
    if not f.endswith(".py"):
        print("note: non-.py file changed: %s" % f, file=sys.stderr)
        continue
    why = problem(open(f, "rb").read(), f)
    if why is None:
        ok += 1
        continue
    orig = subprocess.run(["git", "show", "HEAD:" + f], capture_output=True).stdout
    if problem(orig, f) is not None:
        preexisting += 1
        print("note: %s did not compile before the fix either: %s" % (f, why), file=sys.stderr)
    else:
        broken += 1
        print("BROKEN by fix: %s: %s" % (f, why), file=sys.stderr)
total = ok + broken + preexisting
print("%d/%d changed .py files parse and compile%s" % (
    ok, total, ", %d did not before the fix either" % preexisting if preexisting else ""))
sys.exit(1 if broken else 0)
EOF

say "copying corpus into temporary git repo $REPO"
cp -RL "$CORPUS" "$REPO/corpus"
GIT=(git -C "$REPO" -c user.name=corpus-check -c user.email=corpus-check@localhost
  -c commit.gpgsign=false -c core.autocrlf=false)
git -c init.defaultBranch=main init -q "$REPO"
"${GIT[@]}" add -A
"${GIT[@]}" commit -q -m "corpus as fetched"

# run_cs NAME OUTFILE ARGS... : runs codesight in $REPO; sets CS_RC and checks
# the exit code (0/1 allowed) and stderr (no panic / internal error / parse error)
run_cs() {
  local name=$1 out=$2 err
  shift 2
  err=$LOGS/$name.stderr
  say "codesight $*"
  CS_RC=0
  (cd "$REPO" && "$CODESIGHT" "$@") >"$out" 2>"$err" || CS_RC=$?
  case $CS_RC in
    0 | 1) ;;
    *) fail "$name: 'codesight $*' exited $CS_RC (allowed: 0 or 1); stderr in $name.stderr" ;;
  esac
  if grep -Eiq 'panic|internal error' "$err"; then
    fail "$name: stderr reports a panic or an internal error:"
    grep -Ei -m 5 -A 3 'panic|internal error' "$err" >&2 || true
  fi
  # the corpus parses with CPython, so codesight must parse every file too
  if grep -Eiq 'parse error|failed to parse|cannot parse|could not parse|syntax ?error' "$err"; then
    fail "$name: stderr reports files codesight could not parse:"
    grep -Ei -m 10 'parse error|failed to parse|cannot parse|could not parse|syntax ?error' "$err" >&2 || true
  fi
}

# count_findings JSONFILE : validates `--format json` strictly and prints
# "N<TAB>per-rule summary", or fails (exit 3) naming the first problems. The
# format is fixed: a JSON array of findings sorted by (path, line, column,
# code), each exactly {code, name, message, path, line, column, end_line,
# end_column, fixes}; each fix exactly {title, applicability, edits}; each
# edit exactly {content, line, column, end_line, end_column}. Positions are
# 1-based and ranges ordered; paths are relative, under corpus/, and exist;
# every code maps to one rule name. Also writes JSONFILE.concise
# (path:line:column: code message), the list used for triage.
count_findings() {
  (cd "$REPO" && python3 - "$1") <<'EOF'
import collections, json, os, re, sys

path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
except Exception as e:  # empty or invalid output
    print("invalid JSON: %s" % e, file=sys.stderr)
    sys.exit(3)

FINDING = {"code": str, "name": str, "message": str, "path": str, "line": int,
           "column": int, "end_line": int, "end_column": int, "fixes": list}
FIX = {"title": str, "applicability": str, "edits": list}
EDIT = {"content": str, "line": int, "column": int, "end_line": int, "end_column": int}
APPLICABILITY = {"safe", "unsafe", "display-only"}
problems = []


def shape(obj, spec, where):
    if not isinstance(obj, dict):
        problems.append("%s: not an object" % where)
        return False
    if set(obj) != set(spec):
        problems.append("%s: keys %s, expected %s" % (where, sorted(obj), sorted(spec)))
        return False
    for key, typ in spec.items():
        value = obj[key]
        # bool is an int in Python; positions must be real integers
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            problems.append("%s: %s is %r, expected %s" % (where, key, value, typ.__name__))
            return False
    return True


def span(obj, where):
    if obj["line"] < 1 or obj["column"] < 1:
        problems.append("%s: position %d:%d is not 1-based" % (where, obj["line"], obj["column"]))
    if (obj["end_line"], obj["end_column"]) < (obj["line"], obj["column"]):
        problems.append("%s: range ends before it starts" % where)


if not isinstance(data, list):
    print("top level is %s, expected a JSON array of findings" % type(data).__name__, file=sys.stderr)
    sys.exit(3)
rules = collections.Counter()
names = {}
keys = []
for i, it in enumerate(data):
    where = "finding %d" % i
    if not shape(it, FINDING, where):
        continue
    where = "finding %d (%s:%d)" % (i, it["path"], it["line"])
    if not re.fullmatch(r"CS\d{3}", it["code"]):
        problems.append("%s: code %r" % (where, it["code"]))
    if names.setdefault(it["code"], it["name"]) != it["name"]:
        problems.append("%s: %s named both %r and %r" % (where, it["code"], names[it["code"]], it["name"]))
    if not it["message"].strip():
        problems.append("%s: empty message" % where)
    p = it["path"]
    if os.path.isabs(p) or not p.startswith("corpus/") or ".." in p.split("/"):
        problems.append("%s: path %r is not relative under corpus/" % (where, p))
    elif not os.path.isfile(p):
        problems.append("%s: path %r does not exist" % (where, p))
    span(it, where)
    for j, fix in enumerate(it["fixes"]):
        fw = "%s fix %d" % (where, j)
        if not shape(fix, FIX, fw):
            continue
        if fix["applicability"] not in APPLICABILITY:
            problems.append("%s: applicability %r" % (fw, fix["applicability"]))
        if not fix["title"].strip():
            problems.append("%s: empty title" % fw)
        if not fix["edits"]:
            problems.append("%s: no edits" % fw)
        for k, edit in enumerate(fix["edits"]):
            if shape(edit, EDIT, "%s edit %d" % (fw, k)):
                span(edit, "%s edit %d" % (fw, k))
    rules[it["code"]] += 1
    keys.append((it["path"], it["line"], it["column"], it["code"]))
if keys != sorted(keys):
    problems.append("findings are not sorted by path, line, column, code")
if problems:
    for line in problems[:10]:
        print(line, file=sys.stderr)
    if len(problems) > 10:
        print("... and %d more problems" % (len(problems) - 10), file=sys.stderr)
    sys.exit(3)
with open(path + ".concise", "w", encoding="utf-8") as out:
    for it in data:
        out.write("%s:%d:%d: %s %s\n" % (it["path"], it["line"], it["column"], it["code"], it["message"]))
summary = ", ".join("%s %d" % (c, n) for c, n in sorted(rules.items(), key=lambda x: (-x[1], x[0])))
print("%d\t%s" % (len(data), summary or "-"))
EOF
}

# --------------------------------------------------------------- 1. check ---
CHECK_FINDINGS="?"
CHECK_RULES=""
run_cs check "$LOGS/check.json" check --format json corpus
CHECK_RC=$CS_RC
if out=$(count_findings "$LOGS/check.json" 2>"$LOGS/check.json-parse.err"); then
  CHECK_FINDINGS=${out%%$'\t'*}
  CHECK_RULES=${out#*$'\t'}
  if [ "$CHECK_RC" = 0 ] && [ "$CHECK_FINDINGS" != 0 ]; then
    fail "check: exit 0 but $CHECK_FINDINGS findings in the JSON"
  elif [ "$CHECK_RC" = 1 ] && [ "$CHECK_FINDINGS" = 0 ]; then
    fail "check: exit 1 but no findings in the JSON"
  fi
else
  fail "check: --format json output unusable: $(cat "$LOGS/check.json-parse.err")"
fi

# ------------------------------------------------------------ 2. fix --diff -
run_cs fix "$LOGS/fix.patch" fix --unsafe-fixes --diff corpus
FIX_RC=$CS_RC
if [ -n "$("${GIT[@]}" status --porcelain)" ]; then
  fail "fix --diff wrote to the work tree (it must only print a diff):"
  "${GIT[@]}" status --short | sed -n '1,20p' >&2
  "${GIT[@]}" reset -q --hard
  "${GIT[@]}" clean -qfd
fi

PATCH_FILES=0 PATCH_ADDED=0 PATCH_REMOVED=0 PATCH_HUNKS=0 APPLIED=no
PARSE_SUMMARY="not run (no changes)"
if [ -s "$LOGS/fix.patch" ]; then
  [ "$FIX_RC" = 0 ] && say "note: fix --diff printed a diff but exited 0"
  PATCH_HUNKS=$(grep -c '^@@ ' "$LOGS/fix.patch" || true)
  PATCH_FILES=$(grep -c '^+++ ' "$LOGS/fix.patch" || true)
  # ------------------------------------------------------- 3. git apply ----
  if (cd "$REPO" && git apply --check "$LOGS/fix.patch") 2>"$LOGS/git-apply-check.err"; then
    (cd "$REPO" && git apply --numstat "$LOGS/fix.patch") >"$LOGS/fix.numstat"
    read -r PATCH_FILES PATCH_ADDED PATCH_REMOVED < <(awk '{ f++; a += $1; r += $2 } END { print f + 0, a + 0, r + 0 }' "$LOGS/fix.numstat")
    if (cd "$REPO" && git apply "$LOGS/fix.patch") 2>"$LOGS/git-apply.err"; then
      APPLIED=yes
    else
      fail "git apply failed after git apply --check passed: $(head -n 5 "$LOGS/git-apply.err")"
    fi
  else
    fail "the fix diff does not apply (git apply --check):"
    sed -n '1,10p' "$LOGS/git-apply-check.err" >&2
  fi

  if [ "$APPLIED" = yes ]; then
    "${GIT[@]}" status --porcelain >"$LOGS/status.txt"
    if grep -qv '^ M ' "$LOGS/status.txt"; then
      fail "the fix diff does more than modify existing files:"
      grep -v '^ M ' "$LOGS/status.txt" | sed -n '1,10p' >&2
    fi
    "${GIT[@]}" diff --name-only >"$LOGS/changed-files.txt"
    nchanged=$(wc -l <"$LOGS/changed-files.txt" | tr -d ' ')
    [ "$nchanged" -gt 0 ] || fail "git apply succeeded but changed no file"
    # ------------------------------------------------------ 4. parse ------
    say "parsing $nchanged changed files (ast.parse + compile)"
    if PARSE_SUMMARY=$(cd "$REPO" && python3 "$WORK/parse_changed.py" "$LOGS/changed-files.txt"); then
      :
    else
      fail "some fixed files no longer parse/compile (see above): $PARSE_SUMMARY"
    fi
  fi
else
  [ "$FIX_RC" = 1 ] && say "note: fix --diff exited 1 with an empty diff"
fi

# ----------------------------------------------------- 5. check after fix --
RECHECK_FINDINGS="?"
RECHECK_RULES=""
RECHECK_RC="-"
if [ "$APPLIED" = yes ]; then
  run_cs recheck "$LOGS/recheck.json" check --format json corpus
  RECHECK_RC=$CS_RC
  if out=$(count_findings "$LOGS/recheck.json" 2>"$LOGS/recheck.json-parse.err"); then
    RECHECK_FINDINGS=${out%%$'\t'*}
    RECHECK_RULES=${out#*$'\t'}
  else
    fail "re-check: --format json output unusable: $(cat "$LOGS/recheck.json-parse.err")"
  fi
fi

# --------------------------------------------------------- 6. idempotence --
IDEM="not run (nothing was applied)"
if [ "$APPLIED" = yes ]; then
  before=$({ "${GIT[@]}" status --porcelain; "${GIT[@]}" diff; } | cksum)
  run_cs fix2 "$LOGS/fix2.patch" fix --unsafe-fixes --diff corpus
  after=$({ "${GIT[@]}" status --porcelain; "${GIT[@]}" diff; } | cksum)
  [ "$before" = "$after" ] || fail "second fix --diff wrote to the work tree (it must only print a diff)"
  if [ -s "$LOGS/fix2.patch" ]; then
    n2=$(grep -c '^+++ ' "$LOGS/fix2.patch" || true)
    h2=$(grep -c '^@@ ' "$LOGS/fix2.patch" || true)
    IDEM="FAILED: second run still changes $n2 files ($h2 hunks), see fix2.patch"
    fail "fixes are not idempotent: second fix --diff is not empty ($n2 files, $h2 hunks):"
    grep '^+++ ' "$LOGS/fix2.patch" | sed -n '1,10p' >&2
  else
    IDEM="ok (second fix --diff is empty)"
  fi
fi

# --------------------------------------------------------------- summary ----
{
  echo
  echo "corpus-check summary"
  echo "  corpus:       $CORPUS ($NFILES .py files)"
  echo "  binary:       $CODESIGHT"
  echo "  check:        exit $CHECK_RC, $CHECK_FINDINGS findings${CHECK_RULES:+ ($CHECK_RULES)}"
  echo "  fix --diff:   exit $FIX_RC, $PATCH_FILES files, $PATCH_HUNKS hunks, +$PATCH_ADDED -$PATCH_REMOVED lines"
  echo "  git apply:    $APPLIED"
  echo "  parse:        $PARSE_SUMMARY"
  echo "  re-check:     exit $RECHECK_RC, $RECHECK_FINDINGS findings left${RECHECK_RULES:+ ($RECHECK_RULES)}"
  echo "  idempotence:  $IDEM"
  echo "  artifacts:    $ARTIFACTS/"
  if [ ${#FAILURES[@]} -eq 0 ]; then
    echo "RESULT: PASS"
  else
    echo "RESULT: FAIL (${#FAILURES[@]} problems)"
    for f in "${FAILURES[@]}"; do echo "  - ${f%:}"; done
  fi
} | tee "$LOGS/summary.txt"
[ ${#FAILURES[@]} -eq 0 ]
