#!/bin/bash
# Worst-case shapes for the validators: for every rule that reports a finding
# somewhere in the labelled corpora (not the holdout set), take the first line it reports and write
# a file of that line repeated to about SIZE bytes (one long paragraph, no
# code fence) and a file of it repeated along one line, then time `embargo check` over each file beside `cat`. A
# validator that does whole-text or whole-region work per hit shows up as a
# file far slower than the rest (two did: hype.sale_field and the paragraph
# regions of code rules, 9.5 min and > 30 s before their fixes); a linear one
# stays within a few times the others. Run from the repository root after
#   cmake --preset release && cmake --build build/release -j2
# usage: bench/check/stress.sh [SIZE_BYTES]       (default 900000)
# env:   EMBARGO (default build/release/embargo); LIMIT seconds a file may take
#        before it is reported as SLOW (default 5; exit status 1 if any is);
#        STRESS_DIR keeps the generated files there (default: a temporary one).
set -eu
SIZE=${1:-900000}
E=${EMBARGO:-build/release/embargo}
LIMIT=${LIMIT:-5}
if [ -n "${STRESS_DIR:-}" ]; then # keep the files for profiling
    T=$STRESS_DIR
    mkdir -p "$T"
else
    T=$(mktemp -d)
    trap 'rm -rf "$T"' EXIT
fi
python3 - "$E" "$T" "$SIZE" <<'PY'
import glob, json, subprocess, sys
emb, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
first = {}
for d in sorted(glob.glob("corpus/*/")):
    if d.rstrip("/").endswith("holdout"):
        continue  # the holdout set is never opened outside its evaluation
    r = subprocess.run([emb, "check", "-j", "1", "--format", "json", d],
                       capture_output=True, text=True)
    for f in json.loads(r.stdout)["files"]:
        try:
            lines = open(f["path"], encoding="utf-8").read().split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        for fd in f.get("findings", []):
            rule, line = fd.get("rule"), fd.get("line")
            if rule and line and rule not in first and line <= len(lines) and lines[line - 1].strip():
                first[rule] = lines[line - 1]
for rule, line in sorted(first.items()):
    n = max(1, size // (len(line.encode()) + 1))
    with open(f"{out}/{rule}.md", "w", encoding="utf-8") as fh:
        fh.write("# stress\n\n" + (line + "\n") * n)
    # the same text as one line: what a validator reads "on the hit's line"
    # must not be read again for every hit along it
    with open(f"{out}/{rule}.one-line.md", "w", encoding="utf-8") as fh:
        fh.write("# stress\n\n" + " ".join([line.strip()] * n) + "\n")
print(f"stress: {len(first)} rules, files of about {size} bytes", file=sys.stderr)
PY
for f in "$T"/*.md; do
    c0=$(date +%s.%N)
    cat "$f" >/dev/null
    c1=$(date +%s.%N)
    rc=0
    timeout "$LIMIT" "$E" check -j 1 "$f" >/dev/null 2>&1 || rc=$?
    c2=$(date +%s.%N)
    flag=""
    [ "$rc" -eq 124 ] && flag=" SLOW (over ${LIMIT}s)"
    printf '%8.3f s  cat %6.3f s  %s%s\n' "$(echo "$c2 - $c1" | bc)" "$(echo "$c1 - $c0" | bc)" \
        "$(basename "$f" .md)" "$flag"
done >"$T/times"
sort -rn "$T/times"
if grep -q SLOW "$T/times"; then
    echo "stress: some files took over ${LIMIT}s" >&2
    exit 1
fi
