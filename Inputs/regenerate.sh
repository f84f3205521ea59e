#!/bin/sh
# Rebuilds the committed objects and libraries of every golden-test case by
# running each case's BUILD fragment from inside its folder.
# Override tools with CLANG=..., LLD_LINK=..., PYTHON=... if needed.
# Usage: Inputs/regenerate.sh [case...]   (default: all cases)
set -e
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ $# -eq 0 ]; then
    set -- $(for d in */; do [ -f "$d/BUILD" ] && echo "${d%/}"; done)
fi
for c in "$@"; do
    echo "== $c"
    (cd "$c" && sh -e ./BUILD)
done
