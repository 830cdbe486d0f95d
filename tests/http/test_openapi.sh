#!/bin/sh
# docs/openapi.yaml against the code: the file parses as OpenAPI 3.1, every
# route in src/daemon/serve.c's table is documented with its methods and
# nothing else is, every error of src/http/errors.def has a response in
# components with the right code, name and status, and every $ref resolves.
# Needs python3 with PyYAML (Debian python3-yaml); skips (77) without it.
set -eu
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" -c 'import yaml' 2>/dev/null || { echo "skipped: python3-yaml missing"; exit 77; }
exec "$PYTHON" - docs/openapi.yaml src/daemon/serve.c src/http/errors.def <<'PY'
import re, sys, yaml

spec_path, serve_c, errors_def = sys.argv[1:4]
fail = []
spec = yaml.safe_load(open(spec_path, encoding="utf-8"))
if not str(spec.get("openapi", "")).startswith("3.1"):
    fail.append("openapi: not 3.1")

# Routes: the entries of the serve_routes[] table, methods as EMB_X | EMB_Y.
src = open(serve_c, encoding="utf-8").read()
m = re.search(r"serve_routes\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
if not m:
    sys.exit("FAIL: no serve_routes[] table in " + serve_c)
code_routes = set()
for methods, path in re.findall(r'\{\s*(EMB_[A-Z_|\s]+?),\s*"([^"]+)"', m.group(1)):
    for meth in methods.split("|"):
        if meth.strip() != "EMB_INLINE":  # a scheduling flag, not a method
            code_routes.add((path, meth.strip()[4:].lower()))
if not code_routes:
    fail.append("no routes found in " + serve_c)
doc_routes = set()
verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
for path, item in (spec.get("paths") or {}).items():
    for verb in item:
        if verb in verbs:
            doc_routes.add((path, verb))
for r in sorted(code_routes - doc_routes):
    fail.append("route %s %s is in serve.c but not in openapi.yaml" % (r[1].upper(), r[0]))
for r in sorted(doc_routes - code_routes):
    fail.append("openapi.yaml documents %s %s, which serve.c does not route" % (r[1].upper(), r[0]))

# Errors: one response per registry entry.
resp = spec.get("components", {}).get("responses", {}) or {}
n = 0
for line in open(errors_def, encoding="utf-8"):
    e = re.match(r'EMB_EC\((\d+), (\w+), (\d+), "(.*)"\)\s*$', line)
    if not e:
        continue
    n += 1
    num, name, status, hint = int(e.group(1)), e.group(2), e.group(3), e.group(4)
    r = resp.get(name)
    if r is None:
        fail.append("error %s (%d) has no components/responses/%s" % (name, num, name))
        continue
    ex = r.get("content", {}).get("application/json", {}).get("example", {})
    if ex.get("code") != num or ex.get("name") != name or ex.get("hint") != hint:
        fail.append("components/responses/%s: example code/name/hint differ from errors.def" % name)
    if not str(r.get("description", "")).startswith(status + " "):
        fail.append("components/responses/%s: description must start with HTTP %s" % (name, status))
if n == 0:
    fail.append("no entries parsed from " + errors_def)
schema = spec.get("components", {}).get("schemas", {}).get("Error", {})
for field in ("code", "name", "hint", "detail", "request_id"):
    if field not in schema.get("properties", {}):
        fail.append("Error schema lacks " + field)

# Every $ref points at something.
def walk(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                target = spec
                for part in v.lstrip("#/").split("/"):
                    target = target.get(part) if isinstance(target, dict) else None
                if target is None:
                    fail.append("%s: $ref %s does not resolve" % (where, v))
            else:
                walk(v, where + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s[%d]" % (where, i))
walk(spec, "")

for f in fail:
    print("FAIL: " + f, file=sys.stderr)
print("%d passed, %d failed" % (0 if fail else 1, 1 if fail else 0))
sys.exit(1 if fail else 0)
PY
