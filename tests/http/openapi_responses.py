#!/usr/bin/env python3
"""Check the replies an HTTP test received against docs/openapi.yaml.

Usage: openapi_responses.py OPENAPI.yaml REPLIES_DIR

REPLIES_DIR holds index.tsv (number, method, path with query, status) and,
for each number N, N.body and N.head (curl -D). tests/http/lib.sh writes it.

For every reply: the path is matched to a documented path template (the one
with the most literal segments wins, as the server's router prefers none:
the table has no overlapping patterns); the operation must document the
status (exactly, as NXX, or as default); the reply's media type must be one
the response documents; a JSON reply must validate against the response's
schema (JSON Schema 2020-12, which OpenAPI 3.1 uses), with every $ref
resolved inside the OpenAPI document. A reply to a path no template matches
must be the Error body with status 404 or 405. Exit 0 when every reply
matches, 1 otherwise, listing each difference.
"""
import json
import re
import sys

import jsonschema
import yaml

VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def template_regex(tmpl):
    parts = []
    for seg in tmpl.strip("/").split("/"):
        if seg.startswith("{") and seg.endswith("}"):
            parts.append("[^/]+")
        else:
            parts.append(re.escape(seg))
    return re.compile("^/" + "/".join(parts) + "$")


def literal_segments(tmpl):
    return sum(1 for s in tmpl.strip("/").split("/") if not s.startswith("{"))


def deref(spec, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
        seen += 1
        if seen > 32:
            raise ValueError("$ref loop")
    return node


def media_type(head):
    ct = ""
    for line in head.splitlines():
        if line.lower().startswith("content-type:"):
            ct = line.split(":", 1)[1]
    return ct.split(";", 1)[0].strip().lower()


def media_matches(documented, actual):
    documented = documented.lower()
    if documented == actual or documented == "*/*":
        return True
    if documented.endswith("/*"):
        return actual.startswith(documented[:-1])
    return False


def main():
    spec_path, replies = sys.argv[1], sys.argv[2]
    spec = yaml.safe_load(open(spec_path, encoding="utf-8"))
    routes = [(t, template_regex(t), literal_segments(t)) for t in (spec.get("paths") or {})]
    root = {"components": spec.get("components", {}), "paths": spec.get("paths", {})}
    error_schema = {"$ref": "#/components/schemas/Error"}
    problems = []
    checked = 0

    def validate(where, schema, body_text):
        try:
            body = json.loads(body_text)
        except ValueError as e:
            problems.append("%s: body is not JSON (%s)" % (where, e))
            return
        doc = dict(root)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["allOf"] = [schema]
        v = jsonschema.Draft202012Validator(doc)
        errs = sorted(v.iter_errors(body), key=lambda e: list(e.absolute_path))
        for e in errs[:3]:
            path = "/".join(str(p) for p in e.absolute_path)
            problems.append("%s: at /%s: %s" % (where, path, e.message[:300]))

    for line in open(replies + "/index.tsv", encoding="utf-8"):
        n, method, target, status = line.rstrip("\n").split("\t")
        where = "#%s %s %s -> %s" % (n, method, target, status)
        body = open("%s/%s.body" % (replies, n), "rb").read().decode("utf-8", "replace")
        head = open("%s/%s.head" % (replies, n), "rb").read().decode("latin-1")
        path = target.split("?", 1)[0]
        checked += 1
        if status == "000":
            problems.append(where + ": no reply (connection failed)")
            continue
        cands = [(lit, t) for t, rx, lit in routes if rx.match(path)]
        if not cands:
            if status not in ("404", "405"):
                problems.append(where + ": no documented path matches, yet the status is not 404/405")
            validate(where, error_schema, body)
            continue
        tmpl = max(cands)[1]
        item = spec["paths"][tmpl]
        op = item.get(method.lower())
        if op is None:
            if status != "405":
                problems.append("%s: %s is not documented for %s" % (where, method, tmpl))
            validate(where, error_schema, body)
            continue
        responses = op.get("responses", {})
        resp = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
        if resp is None:
            problems.append("%s: status %s is not documented for %s %s" % (where, status, method, tmpl))
            continue
        resp = deref(spec, resp)
        content = resp.get("content") or {}
        actual = media_type(head)
        if not content:
            if body.strip() and method != "HEAD":
                problems.append("%s: documented without a body, but one was sent (%s)" % (where, actual))
            continue
        key = next((k for k in content if media_matches(k, actual)), None)
        if key is None:
            problems.append("%s: media type %r is not documented (documented: %s)"
                            % (where, actual, ", ".join(content)))
            continue
        schema = (content[key] or {}).get("schema")
        if schema is not None and (actual == "application/json" or actual.endswith("+json")):
            validate(where, schema, body)

    for p in problems:
        print("FAIL: " + p)
    print("%d replies checked, %d differences" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
