#!/bin/sh
# Run by multi-gitter in the root of each cloned repository:
#
#   multi-gitter run "$PWD/contrib/multi-gitter/codesight-fix.sh" \
#     -O my-org -B codesight/asyncio-fixes \
#     -m "Fix asyncio concurrency bugs found by CodeSight" \
#     --pr-title "Fix asyncio concurrency bugs (CodeSight)" --dry-run
#
# It applies CodeSight's fixes (unsafe ones too unless CODESIGHT_SAFE_ONLY=1)
# with the repository's own configuration, prints the diff it made, and
# writes the pull-request body to $CODESIGHT_SUMMARY_DIR/<repository>.md
# (default: $TMPDIR/codesight-summaries), outside the clone so it is not
# committed. multi-gitter commits whatever changed when the script exits 0.
#
# Exit status: 0 when the repository was processed (changed or not);
# non-zero when CodeSight could not run (a bad configuration, codesight not
# installed): multi-gitter then reports the repository as failed.
set -u

summary_dir="${CODESIGHT_SUMMARY_DIR:-${TMPDIR:-/tmp}/codesight-summaries}"
mkdir -p "$summary_dir" || exit 3
name=$(printf '%s' "${REPOSITORY:-$(basename "$PWD")}" | tr '/' '_')
summary="$summary_dir/$name.md"
rm -f "$summary"

unsafe="--unsafe-fixes"
[ "${CODESIGHT_SAFE_ONLY:-0}" = 1 ] && unsafe=""

# --exit-zero: findings left are listed in the summary, not a failure.
# Exit 2 with a summary: some file could not be parsed (the summary names
# it); the other files are fixed. Without a summary: CodeSight did not run.
# shellcheck disable=SC2086
codesight fix $unsafe --exit-zero --quiet --summary "$summary" . > /dev/null
status=$?
if [ ! -f "$summary" ]; then
    echo "codesight did not run in $PWD (exit $status)" >&2
    exit "$((status == 0 ? 4 : status))"
fi
git --no-pager diff
exit 0
