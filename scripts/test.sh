#!/usr/bin/env bash
# Runs every test tier — unit, integration, e2e — on a Debian 12 machine:
# installs what is missing, builds with warnings as errors, runs ctest.
# Run as root: the e2e tier starts its own Docker engine in a network namespace.
# Extra arguments go to ctest (e.g. `-L unit`).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: run as root (sudo $0): the e2e tier needs network namespaces" >&2
    exit 1
fi

scripts/install-deps.sh
build=${WIRETAP_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIRETAP_WERROR=ON
cmake --build "$build" -j"$(nproc)"
cd "$build"
exec ctest --output-on-failure "$@"
