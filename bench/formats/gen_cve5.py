#!/usr/bin/env python3
"""Generate CVE JSON 5.1 records for a bulk-import benchmark.

Deterministic (seeded), schema-valid PUBLISHED records with varied content:
descriptions of different lengths, one to three affected products with
version ranges, CWE problem types, CVSS 3.1 metrics (vector and matching
base score for a fixed set of vectors), references and credits. Files are
laid out as cvelistV5 does: OUT/YYYY/NNxxx/CVE-YYYY-NNNNN.json.

    bench/formats/gen_cve5.py [--count 250000] [--seed 1] [--check N] OUT

--check N validates N evenly spread records against the bundled CVE 5.1
schema (needs python3-jsonschema and ../shared/vectors).
"""
import argparse
import json
import os
import random
import sys

# (vector, base score, severity): scores from the CVSS 3.1 specification calculator
VECTORS = [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"),
    ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "HIGH"),
    ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, "MEDIUM"),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3, "MEDIUM"),
    ("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 2.4, "LOW"),
]
CWES = [("CWE-79", "Improper Neutralization of Input During Web Page Generation"),
        ("CWE-89", "SQL Injection"), ("CWE-787", "Out-of-bounds Write"),
        ("CWE-20", "Improper Input Validation"), ("CWE-78", "OS Command Injection"),
        ("CWE-416", "Use After Free"), ("CWE-22", "Path Traversal")]
WORDS = ("buffer parser request handler module router firmware library service "
         "remote local attacker crafted packet file upload session token memory "
         "overflow injection bypass privilege escalation denial").split()
ORG = "9cbfeea8-dea2-4923-b772-1ab41730e742"


def record(i, rnd):
    year = 2015 + i % 10
    num = 10000 + i
    cve = f"CVE-{year}-{num}"
    vendor = f"vendor{rnd.randrange(5000)}"
    desc = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(12, 120)))
    affected = []
    for k in range(rnd.randrange(1, 4)):
        major = rnd.randrange(1, 20)
        affected.append({"vendor": vendor, "product": f"product{rnd.randrange(20000)}-{k}",
                         "versions": [{"version": f"{major}.0.0", "lessThan": f"{major}.{rnd.randrange(1, 9)}.0",
                                       "status": "affected", "versionType": "semver"}],
                         "defaultStatus": "unaffected"})
    vec, score, sev = rnd.choice(VECTORS)
    cwe, cwe_name = rnd.choice(CWES)
    day = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00.000Z"
    return cve, year, num, {
        "dataType": "CVE_RECORD", "dataVersion": "5.1",
        "cveMetadata": {"cveId": cve, "assignerOrgId": ORG, "assignerShortName": "bench",
                        "state": "PUBLISHED", "datePublished": day, "dateUpdated": day},
        "containers": {"cna": {
            "providerMetadata": {"orgId": ORG, "shortName": "bench", "dateUpdated": day},
            "title": f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} in {vendor}",
            "descriptions": [{"lang": "en", "value": desc}],
            "affected": affected,
            "problemTypes": [{"descriptions": [{"lang": "en", "cweId": cwe, "type": "CWE",
                                                "description": f"{cwe}: {cwe_name}"}]}],
            "metrics": [{"cvssV3_1": {"version": "3.1", "vectorString": vec, "baseScore": score,
                                      "baseSeverity": sev}}],
            "references": [{"url": f"https://example.com/{vendor}/advisories/{cve}"}],
            "credits": [{"lang": "en", "value": f"researcher{rnd.randrange(1000)}", "type": "finder"}],
            "datePublic": day}}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=250000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", type=int, default=0)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    checked = []
    step = max(1, a.count // a.check) if a.check else 0
    for i in range(a.count):
        cve, year, num, rec = record(i, rnd)
        d = os.path.join(a.out, str(year), f"{num // 1000}xxx")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"{cve}.json")
        with open(path, "w") as f:
            json.dump(rec, f, separators=(",", ":"))
        if step and i % step == 0:
            checked.append(path)
    if checked:
        import jsonschema
        here = os.path.dirname(os.path.abspath(__file__))
        schema_path = os.path.join(here, "../../../shared/vectors/cve5/schema/CVE_JSON_5.1_bundled.json")
        schema = json.load(open(schema_path))
        v = jsonschema.validators.validator_for(schema)(schema)
        bad = [p for p in checked if any(True for _ in v.iter_errors(json.load(open(p))))]
        print(f"checked {len(checked)} records against the CVE 5.1 schema: {len(bad)} invalid")
        if bad:
            sys.exit(1)
    print(f"wrote {a.count} records under {a.out}")


if __name__ == "__main__":
    main()
