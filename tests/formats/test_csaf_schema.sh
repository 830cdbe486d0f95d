#!/bin/bash
# Cross-check of the CSAF schema checks with an independent implementation:
# python3-jsonschema (Draft 2020-12, FIRST CVSS schemas registered) decides
# schema validity of every OASIS test file and example; `embargo csaf
# validate` must report a "schema" or "6.1.8" finding exactly for the files
# jsonschema rejects.
set -u
: "${EMBARGO:?EMBARGO must point at the built binary}"
V="$(cd "$(dirname "$0")/../../.." && pwd)/shared/vectors/csaf"
[ -d "$V" ] || { echo "skipped: $V not found"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "skipped: no python3-jsonschema"; exit 77; }
python3 - "$V" "$EMBARGO" "$(cd "$(dirname "$0")" && pwd)" <<'PY'
import glob, json, subprocess, sys
import jsonschema
V, EMB, HERE = sys.argv[1], sys.argv[2], sys.argv[3]
schema = json.load(open(f"{V}/json_schema/csaf_json_schema.json"))
sys.path.insert(0, HERE)
from schema_util import validator
extra = {f"https://www.first.org/cvss/{n}.json": json.load(open(f"{V}/referenced_schema/first/{n}.json"))
         for n in ("cvss-v2.0", "cvss-v3.0", "cvss-v3.1")}
val = validator(schema, extra, formats=True)
files = sorted(glob.glob(f"{V}/validator/data/*/*.json") + glob.glob(f"{V}/examples/csaf/*.json")
               + glob.glob(f"{V}/examples/csaf/csaf_vex/*.json"))
ok = bad = rejected = 0
for f in files:
    doc = json.load(open(f))
    py_bad = any(True for _ in val.iter_errors(doc))
    out = subprocess.run([EMB, "csaf", "validate", "--format", "json", f], capture_output=True, text=True)
    items = json.loads(out.stdout)
    ours = any(i["test"] in ("schema", "6.1.8") for i in items)
    rejected += py_bad
    if py_bad == ours:
        ok += 1
    else:
        bad += 1
        print(f"FAIL {f}: jsonschema {'rejects' if py_bad else 'accepts'}, embargo {'rejects' if ours else 'accepts'}",
              file=sys.stderr)
print(f"files: {ok} agree, {bad} disagree ({len(files)} files, {rejected} rejected by jsonschema)")

# Mutations of the examples: drop a property, change a type, break an enum,
# empty an array or a string, add an unknown property to the CVSS object.
# Formats (uri, date-time) are left out: Debian's jsonschema checks them only
# with optional modules.
import os, random, tempfile
random.seed(1)
def nodes(x, path=()):
    yield path, x
    if isinstance(x, dict):
        for k, v in x.items():
            yield from nodes(v, path + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from nodes(v, path + (i,))
def setp(doc, path, fn):
    d = doc
    for p in path[:-1]:
        d = d[p]
    fn(d, path[-1])
muts = []
for f in files[-19:] + files[:40]:
    doc = json.load(open(f))
    ns = [p for p, _ in nodes(doc) if p]
    for path in random.sample(ns, min(25, len(ns))):
        for kind in ("drop", "type", "empty", "enum"):
            m = json.loads(json.dumps(doc))
            def fn(parent, k, kind=kind):
                v = parent[k]
                if kind == "drop" and isinstance(parent, dict):
                    del parent[k]
                elif kind == "type":
                    parent[k] = 7 if isinstance(v, (str, list, dict)) else "x"
                elif kind == "empty" and isinstance(v, (str, list)):
                    parent[k] = "" if isinstance(v, str) else []
                elif kind == "enum" and isinstance(v, str):
                    parent[k] = v + "_x"
            setp(m, path, fn)
            if m != doc:
                muts.append(m)
tmp = tempfile.mkdtemp()
paths = []
for i, m in enumerate(muts):
    p = os.path.join(tmp, f"m{i:05d}.json")
    json.dump(m, open(p, "w"))
    paths.append(p)
ours = {}
for b in range(0, len(paths), 1000):
    out = subprocess.run([EMB, "csaf", "validate", "--format", "json"] + paths[b:b + 1000],
                         capture_output=True, text=True)
    for i in json.loads(out.stdout):
        if i["test"] in ("schema", "6.1.8"):
            ours.setdefault(i["file"], []).append(i["message"])
magree = mbad = uri_only = 0
for p, m in zip(paths, muts):
    py_bad = any(True for _ in val.iter_errors(m))
    mine = ours.get(p, [])
    if py_bad == bool(mine):
        magree += 1
    elif not py_bad and all("absolute URI" in msg for msg in mine):
        uri_only += 1  # jsonschema checks "uri" only with rfc3987 installed
    else:
        mbad += 1
        if mbad <= 10:
            errs = [e.message[:100] for e in val.iter_errors(m)][:2]
            print(f"FAIL mutation {p}: jsonschema {'rejects' if py_bad else 'accepts'} {errs}", file=sys.stderr)
            os.rename(p, p + ".keep")
bad += mbad
ok += magree
print(f"mutations: {magree} agree, {mbad} disagree, {uri_only} differ only in the uri format "
      f"jsonschema does not check ({len(muts)} documents)")
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
