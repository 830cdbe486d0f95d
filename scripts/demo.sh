#!/bin/sh
# The main job of `make run`: embargo check over the bundled example articles,
# a write-up that the regulation forbids publishing and a clean advisory, then
# the redacted copy of the first, checked again.
set -u
bin=${1:?usage: demo.sh EMBARGO}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

show() {
    printf '\n$ embargo %s\n' "$*"
    "$bin" "$@"
    printf '(exit status %d)\n' $?
}
show check "$root/examples/blocked-writeup.md"
show check "$root/examples/clean-advisory.md"
printf '\n$ embargo check --redact redacted.md examples/blocked-writeup.md\n'
"$bin" check --redact "$out/redacted.md" "$root/examples/blocked-writeup.md" >/dev/null
printf 'Redacted copy written; checking it again (the live target, dork and exploit code\n'
printf 'are gone; what remains is the missing fix section, which only the author can add):\n'
show check "$out/redacted.md"
printf '\nMore: embargo --help, docs/check.md, README.md.\n'
exit 0
