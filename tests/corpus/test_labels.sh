#!/bin/bash
# Keep corpus/*/labels.json consistent with the documents: every file labelled,
# every snippet on its stated line, verdicts implied by the findings.
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipping"; exit 77; }
cd "$(dirname "$0")/../.." || exit 1
exec python3 corpus/check_labels.py corpus
