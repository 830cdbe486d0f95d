#!/bin/bash
# Before/after check for engine changes: run two `embargo check` binaries with
# --format json over the labelled corpora, the examples and the test documents
# and show any difference in the findings (rule, lines, columns, byte offsets,
# pointers, excerpts, verdicts). Silent and exit 0 when identical.
# usage: bench/check/diff.sh OLD_EMBARGO NEW_EMBARGO [PATH...]
set -u
OLD=$1
NEW=$2
shift 2
[ $# -gt 0 ] || set -- corpus examples tests/check/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for p in "$@"; do
    n=$(echo "$p" | tr '/' '_')
    EMBARGO_CACHE_DIR="$T/cache-old" "$OLD" check -j 1 --format json "$p" >"$T/$n.old" 2>"$T/$n.old.err"
    echo "exit $?" >>"$T/$n.old.err"
    EMBARGO_CACHE_DIR="$T/cache-new" "$NEW" check -j 1 --format json "$p" >"$T/$n.new" 2>"$T/$n.new.err"
    echo "exit $?" >>"$T/$n.new.err"
    for s in "" .err; do
        if ! cmp -s "$T/$n.old$s" "$T/$n.new$s"; then
            echo "== $p${s:+ (stderr and exit status)}: differs"
            if [ -z "$s" ]; then
                diff <(python3 -m json.tool "$T/$n.old") <(python3 -m json.tool "$T/$n.new") | head -60
            else
                diff "$T/$n.old$s" "$T/$n.new$s" | head -20
            fi
            rc=1
        fi
    done
done
exit ${rc:-0}
