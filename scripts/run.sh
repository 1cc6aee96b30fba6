#!/usr/bin/env bash
# The main job on a Debian 12 machine: installs what is missing, builds, and
# runs wiretap in the foreground (Ctrl-C stops it). Arguments go to wiretap.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root (sudo $0): it installs packages" >&2
    exit 1
fi

scripts/install-deps.sh
build=${WIRETAP_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target wiretap
exec "$build/src/wiretap" "$@"
