#!/usr/bin/env bash
# Runs every test tier — unit, integration, e2e — on a Debian 12 machine:
# installs what is missing, builds with warnings as errors, runs ctest.
# Run as root: the e2e tier starts its own Docker engine in a network namespace.
# Extra arguments go to ctest (e.g. `-L unit`).
# With no arguments, the unit and integration tiers then run a second time in
# an ASan+UBSan build (scripts/test-sanitizers.sh, build-asan/).
# WIRETAP_SANITIZERS=1 runs that pass also with arguments (they go to both
# runs); WIRETAP_SANITIZERS=0 skips it.
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
sanitizers=${WIRETAP_SANITIZERS:-}
[ -n "$sanitizers" ] || { [ $# -eq 0 ] && sanitizers=1 || sanitizers=0; }

status=0
(cd "$build" && ctest --output-on-failure "$@") || status=$?
if [ "$sanitizers" = 1 ]; then
    echo "test.sh: the unit and integration tiers again, with ASan and UBSan (build-asan/)"
    scripts/test-sanitizers.sh "$@" || status=$?
fi
exit "$status"
