#!/bin/sh
# Run the unit, http and fuzz-replay tests of BUILD (a dev build: no
# sanitizers, which valgrind cannot run under) under valgrind memcheck.
# Fails if any test fails, or valgrind reports an invalid access, a use of
# uninitialised memory or a definite/indirect leak (STYLE.md section 10: "a
# second job under valgrind"). Shell tests (label cli) are not run: they
# start the embargo binary many times and are covered by the ASan job.
# Suppressions for libraries we do not own are in tests/valgrind.supp.
#
# Skipped because each takes more than a minute under valgrind (ASan still
# runs them): formats/test_cvss_vectors (every FIRST CVSS vector, ~95 s).
set -eu
build=${1:?usage: valgrind-tests.sh BUILD}
root=$(cd "$(dirname "$0")/.." && pwd)
slow='formats/test_cvss_vectors'
build=$(cd "$build" && pwd)
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"
# name<TAB>workdir<TAB>command... (one test a line), from ctest's own list
ctest --test-dir "$build" -N --show-only=json-v1 | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    labels = props.get("LABELS", [])
    if not set(labels) & {"unit", "http", "fuzz-replay"} or t["command"][0].endswith("sh"):
        continue
    print("\t".join([t["name"], props.get("WORKING_DIRECTORY", ".")] + t["command"]))
' >"$logs/list"
status=0 n=0 bad=0
while IFS='	' read -r name dir cmd; do
    case " $slow " in *" $name "*) echo "valgrind: skip $name (slow)"; continue ;; esac
    log="$logs/$(echo "$name" | tr / _).log"
    n=$((n + 1))
    # shellcheck disable=SC2086
    if (cd "$dir" && valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --track-origins=yes --suppressions="$root/tests/valgrind.supp" \
        --log-file="$log.vg" $cmd) >"$log" 2>&1; then
        :
    else
        rc=$?
        if [ $rc -eq 77 ]; then
            echo "valgrind: $name skipped (exit 77)"
            continue
        fi
        echo "valgrind: $name FAILED (exit $rc)" >&2
        tail -5 "$log" >&2 || true
        head -40 "$log.vg" >&2 || true
        status=1 bad=$((bad + 1))
    fi
done <"$logs/list"
echo "valgrind: $n tests, $bad failed"
exit $status
