#!/bin/sh
# Source checks that the compiler does not make: banned C calls (STYLE.md
# section 6) and every .c file opening with a comment that says what it is for.
set -eu
cd "$(dirname "$0")/.."
status=0
banned=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atoll|gets)\s*\(' \
    src tests fuzz bench --include='*.c' --include='*.h' || true)
if [ -n "$banned" ]; then
    echo "lint: banned calls (use snprintf, emb_buf, emb_cur_*):" >&2
    echo "$banned" >&2
    status=1
fi
for f in $(find src fuzz -name '*.c'); do
    if ! head -c 2 "$f" | grep -q '/\*'; then
        echo "lint: $f does not open with a comment saying what it is for" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "lint: ok"
exit $status
