#!/usr/bin/env bash
# bench/compare-ruff.sh [CORPUS_DIR]
#
# Speed comparison of `codesight` against Ruff on the real-world corpus A
# (issue 8), measured in the same run on the same files:
#
#   ruff      : ruff check --isolated --no-cache --select ASYNC,RUF006 --exit-zero DIR
#   check     : target/release/codesight check DIR                (all rules)
#   fix       : target/release/codesight fix --unsafe-fixes --diff DIR
#
# each on corpus A (DIR) and on corpus A doubled (DIR-doubled: two full copies
# of DIR, to show that time grows linearly). Prints median wall seconds, peak
# RSS, input size, MB/s and the ratios codesight/ruff, fix/check, doubled/single.
#
# Steps: fetch the corpus (../shared/corpus/make-corpus.sh, cached), install
# ruff in a venv under target/bench-venv (only if missing or another version),
# `cargo build --release`, then measure.
#
# Timing: hyperfine when on PATH (--runs $RUNS after one checked warm-up run);
# otherwise a loop of $RUNS runs, median taken. Peak RSS comes from GNU
# /usr/bin/time -f %M; without it from python3's getrusage(RUSAGE_CHILDREN);
# without either it is skipped. No root needed.
#
# CORPUS_DIR defaults to target/corpus-a (relative to the repo root); a
# relative CORPUS_DIR argument is taken relative to the current directory.
#
# Environment knobs:
#   RUNS=5                 timed runs per benchmark
#   RUFF_SPEC=ruff==0.17.6 pip requirement for the Ruff anchor
#   BENCH_VENV=target/bench-venv
#   CODESIGHT=target/release/codesight   binary to measure
#   SKIP_BUILD=1           do not run cargo build
#   RUFF_ONLY=1            measure Ruff only (no build, no codesight)
#   NO_HYPERFINE=1         force the plain loop even if hyperfine exists
#   BENCH_MEM_TOOL=gnu-time|python|none   force the peak-RSS method
#   SHARED_DIR=../shared   where corpus/make-corpus.sh lives
#   CORPUS_LIST=$SHARED_DIR/corpus/corpus-a.txt
set -euo pipefail
export LC_ALL=C

CALLER_PWD=$PWD
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

abspath_from_caller() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$CALLER_PWD/$1" ;;
  esac
}

if [ $# -gt 1 ]; then
  echo "usage: $0 [CORPUS_DIR]" >&2
  exit 2
fi
if [ $# -eq 1 ]; then
  CORPUS=$(abspath_from_caller "$1")
else
  CORPUS=target/corpus-a
fi
CORPUS=${CORPUS%/}
DOUBLED=$CORPUS-doubled

RUNS=${RUNS:-5}
RUFF_SPEC=${RUFF_SPEC:-ruff==0.17.6}
VENV=${BENCH_VENV:-target/bench-venv}
CODESIGHT=${CODESIGHT:-target/release/codesight}
SKIP_BUILD=${SKIP_BUILD:-0}
RUFF_ONLY=${RUFF_ONLY:-0}
NO_HYPERFINE=${NO_HYPERFINE:-0}
SHARED=${SHARED_DIR:-../shared}
LIST=${CORPUS_LIST:-$SHARED/corpus/corpus-a.txt}

case "$RUNS" in
  '' | *[!0-9]* | 0) echo "RUNS must be a positive integer, got '$RUNS'" >&2; exit 2 ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/codesight-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'compare-ruff: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- corpus ----
if [ -f "$SHARED/corpus/make-corpus.sh" ] && [ -f "$LIST" ]; then
  say "fetching corpus into $CORPUS (cached)"
  if ! bash "$SHARED/corpus/make-corpus.sh" "$LIST" "$CORPUS" >"$TMP/make-corpus.log" 2>&1; then
    cat "$TMP/make-corpus.log" >&2
    die "make-corpus.sh failed"
  fi
elif [ -d "$CORPUS" ]; then
  say "no $SHARED/corpus/make-corpus.sh; using existing $CORPUS as is"
else
  die "no corpus at $CORPUS and no $SHARED/corpus/make-corpus.sh to fetch it"
fi

py_files() { find "$1" -type f -name '*.py' "${@:2}"; }
NFILES=$(py_files "$CORPUS" | wc -l | tr -d ' ')
[ "$NFILES" -gt 0 ] || die "no .py files under $CORPUS"
BYTES=$(py_files "$CORPUS" -print0 | xargs -0 cat | wc -c | tr -d ' ')

# Corpus doubled: two plain (symlink-free) copies side by side. Recreated each
# run, it is cheap (a few MB).
say "making doubled corpus $DOUBLED"
rm -rf "$DOUBLED"
mkdir -p "$DOUBLED"
cp -RL "$CORPUS" "$DOUBLED/copy1"
cp -RL "$CORPUS" "$DOUBLED/copy2"
NFILES2=$(py_files "$DOUBLED" | wc -l | tr -d ' ')
BYTES2=$(py_files "$DOUBLED" -print0 | xargs -0 cat | wc -c | tr -d ' ')

# ------------------------------------------------------------------ ruff ----
want_ver=""
case "$RUFF_SPEC" in ruff==*) want_ver=${RUFF_SPEC#ruff==} ;; esac
RUFF=$VENV/bin/ruff
have_ver=""
if [ -x "$RUFF" ]; then
  have_ver=$("$RUFF" --version 2>/dev/null | awk '{print $2}') || have_ver=""
fi
if [ -z "$have_ver" ] || { [ -n "$want_ver" ] && [ "$have_ver" != "$want_ver" ]; }; then
  say "installing $RUFF_SPEC into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$RUFF_SPEC"
fi
RUFF_VERSION=$("$RUFF" --version)

# ------------------------------------------------------------- codesight ----
if [ "$RUFF_ONLY" != 1 ]; then
  if [ "$SKIP_BUILD" != 1 ]; then
    say "cargo build --release"
    cargo build --release
  fi
  [ -x "$CODESIGHT" ] || die "codesight binary not found at $CODESIGHT"
  CODESIGHT_VERSION=$("$CODESIGHT" --version 2>/dev/null || echo "codesight (version unknown)")
fi

# ------------------------------------------------------------- measuring ----
# BENCH_MEM_TOOL=gnu-time|python|none forces a method (for testing the fallbacks)
MEM_TOOL=${BENCH_MEM_TOOL:-}
if [ -n "$MEM_TOOL" ]; then
  :
elif [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o "$TMP/probe" true >/dev/null 2>&1; then
  MEM_TOOL=gnu-time
elif command -v python3 >/dev/null 2>&1; then
  MEM_TOOL=python
  say "note: GNU /usr/bin/time not found (Debian package 'time'); peak RSS read via python3 getrusage"
else
  say "note: neither GNU /usr/bin/time nor python3 available: peak memory not measured"
fi

USE_HYPERFINE=0
HF_SHELL_NONE=()
if [ "$NO_HYPERFINE" != 1 ] && command -v hyperfine >/dev/null 2>&1; then
  USE_HYPERFINE=1
  # -N (no intermediate shell) exists since hyperfine 1.13
  if hyperfine -N --runs 2 --style none true >/dev/null 2>&1; then
    HF_SHELL_NONE=(-N)
  fi
fi

if [ -n "${EPOCHREALTIME:-}" ]; then
  stamp() { printf -v "$1" '%s' "$EPOCHREALTIME"; }
else
  stamp() { printf -v "$1" '%s' "$(date +%s.%N)"; }
fi

# python3 fallback for peak RSS: runs the command, prints "wall maxrss_kib rc"
PY_RUN='import resource, subprocess, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], "wb") as err:
    rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err)
wall = time.perf_counter() - t0
if rc < 0:
    rc = 128 - rc
print("%.4f %d %d" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc))'

# run_once ERRFILE CMD... : sets LAST_WALL (s), LAST_RSS_KB (KiB or empty), LAST_RC
run_once() {
  local err=$1 t0 t1 out
  shift
  LAST_RC=0
  LAST_RSS_KB=""
  case $MEM_TOOL in
    gnu-time)
      stamp t0
      /usr/bin/time -o "$TMP/time.out" -f '%M' "$@" >/dev/null 2>"$err" || LAST_RC=$?
      stamp t1
      # GNU time may put "Command exited with non-zero status N" first
      LAST_RSS_KB=$(tail -n 1 "$TMP/time.out")
      LAST_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
      ;;
    python)
      out=$(python3 -c "$PY_RUN" "$err" "$@")
      read -r LAST_WALL LAST_RSS_KB LAST_RC <<<"$out"
      ;;
    none)
      stamp t0
      "$@" >/dev/null 2>"$err" || LAST_RC=$?
      stamp t1
      LAST_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
      ;;
  esac
}

# check_run NAME ALLOWED_RCS ERRFILE : exit if the last run failed
check_run() {
  local name=$1 allowed=$2 err=$3
  case " $allowed " in
    *" $LAST_RC "*) ;;
    *)
      sed -n '1,40p' "$err" >&2
      die "$name: exit code $LAST_RC (allowed: $allowed)"
      ;;
  esac
  if grep -Eiq 'panic|internal error' "$err"; then
    sed -n '1,40p' "$err" >&2
    die "$name: stderr reports a panic or an internal error"
  fi
}

stats() { # reads numbers on stdin, prints "median min max"
  sort -g | awk '{ v[NR] = $1 }
    END {
      if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.4f %.4f %.4f\n", m, v[1], v[NR]
    }'
}

declare -A MED MIN MAX RSS

# bench KEY ALLOWED_RCS CMD...
bench() {
  local key=$1 allowed=$2 err="$TMP/$1.err" cmdstr i walls="" rss_max=0 hf_out
  shift 2
  say "measuring $key: $*"
  # one checked run first: validates exit code / stderr, warms the page cache
  run_once "$err" "$@"
  check_run "$key" "$allowed" "$err"
  [ -n "$LAST_RSS_KB" ] && rss_max=$LAST_RSS_KB
  if [ "$USE_HYPERFINE" = 1 ]; then
    printf -v cmdstr '%q ' "$@"
    hyperfine "${HF_SHELL_NONE[@]}" --style basic --runs "$RUNS" -i \
      --export-json "$TMP/$key.json" "${cmdstr% }" >"$TMP/$key.hyperfine.log" 2>&1 ||
      { cat "$TMP/$key.hyperfine.log" >&2; die "$key: hyperfine failed"; }
    hf_out=$(python3 - "$TMP/$key.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
codes = set(r.get("exit_codes", []))
mem = r.get("memory_usage_byte") or []
print("%.4f %.4f %.4f %d %s" % (r["median"], r["min"], r["max"],
      max(mem) // 1024 if mem else 0, ",".join(str(c) for c in sorted(codes))))
EOF
)
    local codes hf_rss
    read -r "MED[$key]" "MIN[$key]" "MAX[$key]" hf_rss codes <<<"$hf_out"
    for i in ${codes//,/ }; do
      case " $allowed " in *" $i "*) ;; *) die "$key: a timed run exited $i (allowed: $allowed)" ;; esac
    done
    [ "$hf_rss" -gt "$rss_max" ] && rss_max=$hf_rss
  else
    for ((i = 0; i < RUNS; i++)); do
      run_once "$err" "$@"
      check_run "$key" "$allowed" "$err"
      walls+="$LAST_WALL"$'\n'
      if [ -n "$LAST_RSS_KB" ] && [ "$LAST_RSS_KB" -gt "$rss_max" ]; then rss_max=$LAST_RSS_KB; fi
    done
    read -r "MED[$key]" "MIN[$key]" "MAX[$key]" <<<"$(printf '%s' "$walls" | stats)"
  fi
  RSS[$key]=$rss_max
}

fingerprint() { find "$1" -type f -print0 | sort -z | xargs -0 cksum | cksum; }

RUFF_ARGS=(check --isolated --no-cache --select 'ASYNC,RUF006' --exit-zero)

# Ruff must see every file (a .gitignore above the corpus or Ruff's default
# excludes could silently shrink its input and flatter it).
for d in "$CORPUS" "$DOUBLED"; do
  seen=$("$RUFF" "${RUFF_ARGS[@]}" --show-files "$d" | grep -c '\.py$' || true)
  want=$(py_files "$d" | wc -l | tr -d ' ')
  [ "$seen" = "$want" ] || die "ruff sees $seen of the $want .py files under $d (excluded by a .gitignore or Ruff's default excludes?)"
done

FP_BEFORE=$(fingerprint "$CORPUS")

bench ruff 0 "$RUFF" "${RUFF_ARGS[@]}" "$CORPUS"
bench ruff2 0 "$RUFF" "${RUFF_ARGS[@]}" "$DOUBLED"
if [ "$RUFF_ONLY" != 1 ]; then
  bench check "0 1" "$CODESIGHT" check "$CORPUS"
  bench check2 "0 1" "$CODESIGHT" check "$DOUBLED"
  bench fix "0 1" "$CODESIGHT" fix --unsafe-fixes --diff "$CORPUS"
  bench fix2 "0 1" "$CODESIGHT" fix --unsafe-fixes --diff "$DOUBLED"
fi

[ "$(fingerprint "$CORPUS")" = "$FP_BEFORE" ] ||
  die "files under $CORPUS changed during the benchmark (did 'fix --diff' write files?); restore with: rm -rf $CORPUS and re-run"

# --------------------------------------------------------------- report -----
CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.2f", b / 1e6 }')
MB2=$(awk -v b="$BYTES2" 'BEGIN { printf "%.2f", b / 1e6 }')
if [ "$USE_HYPERFINE" = 1 ]; then
  METHOD="hyperfine $(hyperfine --version | awk '{print $2}'), $RUNS runs after 1 checked warm-up run"
else
  METHOD="plain loop, $RUNS runs after 1 checked warm-up run, median"
fi
case $MEM_TOOL in
  gnu-time) MEMNOTE="peak RSS: GNU /usr/bin/time %M, max over runs" ;;
  python) MEMNOTE="peak RSS: python3 getrusage(RUSAGE_CHILDREN), max over runs" ;;
  none) MEMNOTE="peak RSS: not measured (no GNU time, no python3)" ;;
esac
if [ "$USE_HYPERFINE" = 1 ] && [ "$MEM_TOOL" != none ]; then
  MEMNOTE="${MEMNOTE%, max over runs} of the warm-up run (and hyperfine's own figure if it gives one)"
fi

ratio() { awk -v a="${MED[$1]}" -v b="${MED[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { # KEY LABEL BYTES
  local key=$1 label=$2 bytes=$3 rss mbs
  if [ "$MEM_TOOL" = none ]; then rss="n/a"; else rss=$(awk -v k="${RSS[$key]}" 'BEGIN { printf "%.1f", k / 1024 }'); fi
  mbs=$(awk -v b="$bytes" -v t="${MED[$key]}" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t; else print "n/a" }')
  printf '| %-42s | %8.3f | %13s | %9s | %6s |\n' "$label" "${MED[$key]}" "$(printf '%.3f-%.3f' "${MIN[$key]}" "${MAX[$key]}")" "$rss" "$mbs"
}

echo
echo "## codesight vs Ruff on corpus A ($(date -u +%Y-%m-%d))"
echo
echo "- machine: $CORES cores${CPU:+, $CPU}"
echo "- input: A = $CORPUS: $NFILES .py files, $MB MB ($BYTES bytes); A x2 = $DOUBLED: $NFILES2 files, $MB2 MB"
echo "- ruff: $RUFF_VERSION; \`ruff ${RUFF_ARGS[*]} DIR\`"
if [ "$RUFF_ONLY" != 1 ]; then
  echo "- codesight: $CODESIGHT_VERSION; \`codesight check DIR\`, \`codesight fix --unsafe-fixes --diff DIR\`"
fi
echo "- timing: $METHOD; $MEMNOTE"
echo "- MB = 10^6 bytes of .py input; RSS in MiB"
echo
printf '| %-42s | %8s | %13s | %9s | %6s |\n' "command" "median s" "min-max s" "peak MiB" "MB/s"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..44})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..15})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..8})"
row ruff "ruff (A)" "$BYTES"
[ "$RUFF_ONLY" = 1 ] || row check "codesight check (A)" "$BYTES"
[ "$RUFF_ONLY" = 1 ] || row fix "codesight fix --unsafe-fixes --diff (A)" "$BYTES"
row ruff2 "ruff (A x2)" "$BYTES2"
[ "$RUFF_ONLY" = 1 ] || row check2 "codesight check (A x2)" "$BYTES2"
[ "$RUFF_ONLY" = 1 ] || row fix2 "codesight fix --unsafe-fixes --diff (A x2)" "$BYTES2"
echo
echo "- ruff scaling A x2 / A: $(ratio ruff2 ruff) (linear = 2.00)"
if [ "$RUFF_ONLY" != 1 ]; then
  cs_mbs=$(awk -v b="$BYTES" -v t="${MED[check]}" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t; else print "n/a" }')
  cs_core=$(awk -v b="$BYTES" -v t="${MED[check]}" -v c="$CORES" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / t / c; else print "n/a" }')
  echo "- **codesight check / ruff: A $(ratio check ruff), A x2 $(ratio check2 ruff2)** (goal <= 0.75)"
  echo "- codesight check throughput: $cs_mbs MB/s on $CORES cores = $cs_core MB/s per core (parser floor ~60 MB/s per core)"
  echo "- codesight scaling A x2 / A: check $(ratio check2 check), fix $(ratio fix2 fix) (linear = 2.00)"
  echo "- fix --diff / check: A $(ratio fix check), A x2 $(ratio fix2 check2)"
  if [ "$MEM_TOOL" != none ]; then
    echo "- peak RSS codesight check A: $(awk -v k="${RSS[check]}" 'BEGIN { printf "%.1f", k / 1024 }') MiB, fix A: $(awk -v k="${RSS[fix]}" 'BEGIN { printf "%.1f", k / 1024 }') MiB (goal < 100 MB)"
  fi
fi
