#!/bin/sh
# The main job of `make run`: show what embargo does on the bundled examples.
set -eu
bin=${1:?usage: demo.sh EMBARGO}
"$bin" --version
"$bin" --help
