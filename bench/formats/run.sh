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
python3 - "$S" "$V" "${FILES[@]}" <<'PY'
import json, sys, time
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
secs, V, files = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
schema = json.load(open(f"{V}/json_schema/csaf_json_schema.json"))
reg = Registry()
for n in ("cvss-v2.0", "cvss-v3.0", "cvss-v3.1"):
    reg = reg.with_resource(f"https://www.first.org/cvss/{n}.json", Resource.from_contents(
        json.load(open(f"{V}/referenced_schema/first/{n}.json")), default_specification=DRAFT7))
cls = jsonschema.validators.validator_for(schema)
v = cls(schema, registry=reg, format_checker=cls.FORMAT_CHECKER)
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
