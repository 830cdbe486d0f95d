#!/bin/bash
# Throughput of `embargo check` (one thread) beside cat and ripgrep (-j1, same
# patterns, byte mode), over a generated corpus of >= 500 MB of mixed
# Chinese/English Markdown. Run from the repository root after
#   cmake --preset release && cmake --build build/release -j2
# usage: bench/check/run.sh [DIR] [MB]     (DIR default /tmp/embargo-bench-check)
set -eu
DIR=${1:-/tmp/embargo-bench-check}
MB=${2:-512}
E=${EMBARGO:-build/release/embargo}
[ -d "$DIR" ] || python3 bench/check/gen.py "$DIR" "$MB"
BYTES=$(du -sb "$DIR" | cut -f1)
PATS=$(mktemp)
trap 'rm -f "$PATS" "$PATS.time"' EXIT
# the same expressions, as rg sees them: caseless rules get (?i), and the
# "(?:^|\n)" line anchors become "^" (rg matches line by line)
"$E" check --list-rules --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["disabled"]:
        continue
    for p in r["patterns"]:
        p = p.replace("(?:^|\\n)", "^")
        if "\\n" in p.replace("[^\\n]", ""):
            continue
        p = p.replace("[\"“]", "(?:\"|“)")
        # rg --no-unicode takes non-ASCII only as byte escapes (byte mode, as Vectorscan)
        p = "".join(c if ord(c) < 128 else "".join("\\x%02X" % b for b in c.encode()) for c in p)
        print(("(?i:%s)" if r["caseless"] else "(?:%s)") % p)
' >"$PATS"
echo "corpus: $DIR, $BYTES bytes, $(ls "$DIR" | wc -l) files; $(wc -l <"$PATS") patterns"
cat "$DIR"/* >/dev/null # warm the page cache
t() { # label, command...: wall time and CPU time (user+sys; robust on a shared machine)
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$PATS.time" "$@" >/dev/null 2>&1 || true
    python3 - "$label" "$BYTES" "$PATS.time" <<'PY'
import sys
label, b = sys.argv[1], int(sys.argv[2])
e, u, s = map(float, open(sys.argv[3]).read().split()[-3:])
cpu = max(u + s, 1e-3)
print("%-34s wall %6.2f s %8.1f MB/s   cpu %6.2f s %8.1f MB/s" % (label, e, b / 1e6 / max(e, 1e-3), cpu, b / 1e6 / cpu))
PY
}
t "cat" sh -c "cat '$DIR'/* >/dev/null"
t "embargo check -j1 (all rules)" "$E" check -j 1 --format json "$DIR"
t "rg -j1 --no-unicode -c (same set)" rg -j1 --no-unicode -c -f "$PATS" "$DIR"
/usr/bin/time -f "embargo check max RSS: %M KiB" "$E" check -j 1 --format json "$DIR" >/dev/null
