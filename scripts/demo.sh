#!/bin/sh
# The main job of `make run`: embargo check over the bundled example articles
# (a write-up that the regulation forbids publishing, a clean advisory, then
# the redacted copy of the first, checked again), then the platform itself:
# `embargo serve --demo` in the foreground on DEMO_LISTEN (127.0.0.1:8080),
# a seeded instance kept in DEMO_DATA (var/demo; a second run reuses it,
# remove the directory for a fresh one). Ctrl-C stops the server.
set -u
bin=${1:?usage: demo.sh EMBARGO}
root=$(cd "$(dirname "$0")/.." && pwd)
listen=${DEMO_LISTEN:-127.0.0.1:8080}
data=${DEMO_DATA:-$root/var/demo}
out=$(mktemp -d)

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
rm -rf "$out"

printf '\n$ embargo serve --demo --listen %s --data %s\n' "$listen" "$data"
printf '(seeding a demo instance the first time takes a few seconds; Ctrl-C stops it)\n'
exec "$bin" serve --demo --listen "$listen" --data "$data"
