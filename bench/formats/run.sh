#!/bin/bash
# CSAF validation throughput on the 19 OASIS example advisories (6 real
# advisories and 13 VEX documents), beside python3-jsonschema checking the
# schema alone on the same files (a lower bar: no section 6 tests).
#     bench/formats/run.sh [BUILD_DIR] [SECONDS]
set -eu
B=${1:-build/release}
S=${2:-5}
V="$(cd "$(dirname "$0")/../../.." && pwd)/shared/vectors/csaf"
FILES=("$V"/examples/csaf/*.json "$V"/examples/csaf/csaf_vex/*.json)
echo "embargo (schema + all implemented section 6 tests):"
"$B/bench/bench_csaf" "$S" "${FILES[@]}"
echo "python3-jsonschema (schema only):"
python3 - "$S" "$V" "$(cd "$(dirname "$0")/../../tests/formats" && pwd)" "${FILES[@]}" <<'PY'
import json, sys, time
secs, V, HERE, files = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, HERE)
from schema_util import validator
schema = json.load(open(f"{V}/json_schema/csaf_json_schema.json"))
extra = {f"https://www.first.org/cvss/{n}.json": json.load(open(f"{V}/referenced_schema/first/{n}.json"))
         for n in ("cvss-v2.0", "cvss-v3.0", "cvss-v3.1")}
v = validator(schema, extra, formats=True)
texts = [open(f).read() for f in files]
size = sum(len(t.encode()) for t in texts)
docs = total = 0
t0 = time.monotonic()
while True:
    for t in texts:
        list(v.iter_errors(json.loads(t)))
    docs += len(texts); total += size
    el = time.monotonic() - t0
    if el >= secs:
        break
print(f"{docs} documents in {el:.2f} s: {docs/el:.0f} documents/s, {total/el/1e6:.1f} MB/s")
PY
