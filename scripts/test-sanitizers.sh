#!/usr/bin/env bash
# Builds wiretap with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/ and runs the unit and integration tiers there; the integration
# tier then runs that build's wiretap. Any report fails the test it came from:
# in-process (unit) by aborting, in the wiretap the integration tests start by
# the report file tests/integration/harness.py finds after each test.
# scripts/test.sh runs this after the main run; extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

build=${WIRETAP_ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIRETAP_WERROR=ON \
    -DWIRETAP_SANITIZE=address,undefined
cmake --build "$build" -j"$(nproc)"

supp=$PWD/tests/sanitizers/lsan.supp
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:exitcode=86:check_initialization_order=1
export LSAN_OPTIONS=suppressions=$supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
if [ $# -eq 0 ]; then
    set -- -L 'unit|integration'
fi
exec ctest --output-on-failure "$@"
