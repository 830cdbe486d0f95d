#!/bin/sh
# docs/errors.md must be exactly what scripts/gen-errors-doc.sh makes from
# src/http/errors.def, and must list every registry entry.
set -eu
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh scripts/gen-errors-doc.sh - > "$tmp"
if ! diff -u docs/errors.md "$tmp"; then
    echo "FAIL: docs/errors.md is stale; run scripts/gen-errors-doc.sh" >&2
    exit 1
fi
n_def=$(grep -c '^EMB_EC(' src/http/errors.def)
n_doc=$(grep -c '^| [0-9]* | `' docs/errors.md)
if [ "$n_def" -ne "$n_doc" ] || [ "$n_def" -lt 1 ]; then
    echo "FAIL: $n_def registry entries but $n_doc rows in docs/errors.md" >&2
    exit 1
fi
echo "1 passed, 0 failed"
