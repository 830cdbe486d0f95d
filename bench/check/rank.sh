#!/bin/bash
# The cost of each entry of check's main Vectorscan database, in instructions
# of hs_scan (callgrind): bench_check_rank compiles the whole database and one
# without each entry (natively, for the AVX2 platform), scans them all under
# callgrind in one process, and this script prints the entries by what leaving
# each out saves, with their matches and the literals every match contains
# (docs/PERFORMANCE.md, "sixth pass").
# usage: bench/check/rank.sh OUT FILE... (OUT: an empty scratch directory; a
#        few bench files, e.g. /tmp/embargo-bench-check/doc-0000.md)
# env:   RANK (default build/release/bench/bench_check_rank), TOP (default 40)
set -eu
R=${RANK:-build/release/bench/bench_check_rank}
OUT=$1
shift
mkdir -p "$OUT"
"$R" prep "$OUT" "$@" >/dev/null
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$OUT/cg" \
    "$R" scan "$OUT" "$@" >/dev/null 2>"$OUT/scan.log"
python3 - "$OUT" "${TOP:-40}" <<'EOF'
import glob, sys
d, top = sys.argv[1], int(sys.argv[2])
tot = {}
for f in glob.glob(d + '/cg.*'):
    for line in open(f):
        if line.startswith('totals:'):
            tot[int(f.rsplit('.', 1)[1])] = int(line.split()[1])
whole = tot[1]
rows = []
for line in list(open(d + '/manifest.tsv'))[1:]:
    c = line.rstrip('\n').split('\t')
    if int(c[0]) in tot:
        rows.append((whole - tot[int(c[0])], c))
rows.sort(key=lambda r: -r[0])
print(f'hs_scan, whole main database: {whole} instructions; {len(rows)} entries; '
      f'sum of the single savings {sum(r[0] for r in rows)}')
print('saved      share  kind rule                         caseless matches  expression || literals (occurrences)')
for s, c in rows[:top]:
    print(f'{s:9d} {100 * s / whole:5.2f} %  {c[1]} {c[2]:28s} {c[3]:>3} {c[4]:>7}  '
          f'{c[6][:80]} || {c[5][:120]}')
EOF
