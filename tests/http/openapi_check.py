#!/usr/bin/env python3
"""Check recorded HTTP replies against docs/openapi.yaml.

Usage: openapi_check.py OPENAPI_YAML DIR

DIR holds pairs N.meta ("METHOD /path STATUS") and N.json (the reply body)
written by an HTTP test. For each pair the path is matched against the
documented path templates ({x} matches one segment), the documented
response for the status is looked up (with its $ref followed), and the
body is validated against its application/json schema (JSON Schema 2020-12,
as OpenAPI 3.1 uses). A reply whose route, method or status is not
documented fails, so the file cannot fall behind the server. Needs PyYAML
and jsonschema (Debian python3-yaml, python3-jsonschema); exits 77 without
them.
"""
import json
import os
import re
import sys

try:
    import yaml
    import jsonschema
except ImportError:
    print("skipped: python3-yaml or python3-jsonschema missing")
    sys.exit(77)


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def main():
    spec_path, folder = sys.argv[1], sys.argv[2]
    spec = yaml.safe_load(open(spec_path, encoding="utf-8"))
    templates = []
    for tpl, item in spec.get("paths", {}).items():
        rx = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(tpl)) + "$"
        templates.append((re.compile(rx), tpl, item))
    fails, checked = [], 0
    metas = sorted((f for f in os.listdir(folder) if f.endswith(".meta")),
                   key=lambda f: int(f.split(".")[0]))
    for meta in metas:
        method, path, status = open(os.path.join(folder, meta)).read().split()
        body_text = open(os.path.join(folder, meta[:-5] + ".json"), encoding="utf-8").read()
        where = "%s %s %s (%s)" % (method, path, status, meta)
        match = [(t, item) for rx, t, item in templates if rx.match(path)]
        # a literal segment wins over a template ({id})
        match.sort(key=lambda m: m[0].count("{"))
        if not match:
            fails.append(where + ": path not documented")
            continue
        tpl, item = match[0]
        op = item.get(method.lower())
        if op is None:
            fails.append("%s: %s %s not documented" % (where, method, tpl))
            continue
        resp = op.get("responses", {}).get(status) or op.get("responses", {}).get("default")
        if resp is None:
            fails.append("%s: status %s not documented for %s %s" % (where, status, method, tpl))
            continue
        resp = resolve(spec, resp)
        schema = resp.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            fails.append(where + ": no application/json schema")
            continue
        try:
            body = json.loads(body_text)
        except ValueError:
            fails.append(where + ": reply is not JSON")
            continue
        root = dict(schema)
        root["components"] = spec.get("components", {})
        try:
            jsonschema.Draft202012Validator(root).validate(body)
        except jsonschema.ValidationError as e:
            fails.append("%s: %s at %s" % (where, e.message, "/".join(map(str, e.absolute_path))))
            continue
        checked += 1
    for f in fails:
        print("FAIL: " + f, file=sys.stderr)
    print("%d replies match docs/openapi.yaml, %d do not" % (checked, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
