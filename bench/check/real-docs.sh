#!/bin/bash
# Precision probe on real technical text: runs `embargo check` over the
# Markdown files, NEWS files and upstream changelogs that Debian packages
# install under /usr/share/doc (what is there depends on the packages the
# machine has; .ci/run's package set gives about 300 files, 57 MB). These are
# not vulnerability write-ups, but advisories cite the same things they are
# full of (tracker and commit references, fingerprints, version numbers,
# RFC sections, build steps, API names), so every finding is a candidate
# false positive to read. Prints the files, how many block, and the findings
# per rule; keeps the JSON report in DIR for reading.
# usage: bench/check/real-docs.sh [DIR] [EMBARGO]
set -eu
DIR=${1:-/tmp/embargo-real-docs}
EMB=${2:-build/release/embargo}
mkdir -p "$DIR/files"
if [ -z "$(ls -A "$DIR/files")" ]; then
    i=0
    find /usr/share/doc -name '*.md' -size +2k 2>/dev/null | sort | head -400 | while read -r f; do
        i=$((i + 1))
        cp "$f" "$DIR/files/$(printf %03d "$i")-$(basename "$f")"
    done
    find /usr/share/doc -name '*.gz' -size +4k 2>/dev/null | grep -iE 'news|changelog' |
        grep -v Debian | sort | head -150 | while read -r f; do
        zcat "$f" >"$DIR/files/z-$(echo "$f" | tr / _ | tail -c 60 | sed 's/\.gz$//').txt"
    done
fi
"$EMB" check -j 2 --format json "$DIR/files" >"$DIR/report.json" 2>"$DIR/errors.txt" || true
python3 - "$DIR/report.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
rules, blocked = collections.Counter(), 0
for f in d["files"]:
    live = [x for x in f.get("findings", []) if not x.get("suppressed")]
    rules.update(x["rule"] for x in live)
    blocked += any(x.get("severity") == "block" for x in live)
print(f"{len(d['files'])} files, {blocked} block, {sum(rules.values())} findings")
for r, n in rules.most_common():
    print(f"  {n:6d}  {r}")
PY
echo "(files that could not be read: $(grep -c 'error' "$DIR/errors.txt" || true); report: $DIR/report.json)"
