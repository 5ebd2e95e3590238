#!/usr/bin/env bash
# bench/perf.sh [CORPUS_DIR]
#
# The figures of README's "Performance" section, release build:
#   1. generated worst cases (bench/gen-perf.py): `codesight check` on 8,000
#      functions each binding and reading a task (goal < 0.2 s), and
#      `codesight fix` of 32,000 `time.sleep` calls in one file (goal < 1 s);
#   2. `codesight check DIR` against
#      `ruff check --isolated --no-cache --select ASYNC,RUF006 DIR` in the same
#      run (goal: ratio <= 0.5), with peak RSS (goal < 64 MiB).
# DIR defaults to target/corpus-b (../shared/corpus/make-corpus.sh
# ../shared/corpus/corpus-b.txt target/corpus-b). Ruff comes from
# target/bench-venv (pip install ruff==0.17.6). Each timing is the median of
# RUNS (default 5) runs; peak RSS is GNU /usr/bin/time's %M, max over runs.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-target/corpus-b}
RUNS=${RUNS:-5}
RUFF=${RUFF:-target/bench-venv/bin/ruff}
CS=target/release/codesight
[ -x "$RUFF" ] || { python3 -m venv target/bench-venv && target/bench-venv/bin/python -m pip install -q ruff==0.17.6; }
[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release -q
python3 bench/gen-perf.py target/perf

# measure LABEL CMD... : prints "LABEL median_wall_s median_cpu_s peak_MiB"
# (CPU = user + system: steadier than wall time on a shared machine)
measure() {
  local label=$1 t c m walls="" cpus="" peak=0 u s
  shift
  for _ in $(seq "$RUNS"); do
    [ -n "${PREPARE:-}" ] && eval "$PREPARE"
    /usr/bin/time -f '%e %M %U %S' -o /tmp/perf-time.$$ "$@" >/dev/null 2>&1 || true
    read -r t m u s < <(tail -n 1 /tmp/perf-time.$$)
    walls+="$t"$'\n'
    cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"$'\n'
    [ "$m" -gt "$peak" ] && peak=$m
  done
  median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  t=$(printf '%s' "$walls" | median)
  c=$(printf '%s' "$cpus" | median)
  printf '%-45s %7.2f s wall %7.2f s CPU %7.1f MiB\n' "$label" "$t" "$c" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
  LAST=$t
  LAST_CPU=$c
}

measure "check tasks.py (8,000 tasks)" "$CS" check target/perf/tasks.py
PREPARE='cp target/perf/sleeps.py target/perf/sleeps-fix.py' \
  measure "fix sleeps.py (32,000 time.sleep fixes)" "$CS" fix target/perf/sleeps-fix.py
measure "ruff check (ASYNC,RUF006) $CORPUS" "$RUFF" check --isolated --no-cache --select ASYNC,RUF006 --exit-zero "$CORPUS"
RUFF_T=$LAST
RUFF_CPU=$LAST_CPU
measure "codesight check $CORPUS" "$CS" check "$CORPUS"
awk -v a="$LAST" -v b="$RUFF_T" -v c="$LAST_CPU" -v d="$RUFF_CPU" \
  'BEGIN { printf "codesight / ruff: wall time %.2f, CPU time %.2f\n", a / b, c / d }'
