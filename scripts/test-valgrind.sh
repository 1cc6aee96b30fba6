#!/usr/bin/env bash
# Runs the integration tier with every wiretap it starts under valgrind
# memcheck (WIRETAP_VALGRIND=1, see tests/integration/harness.py): an invalid
# read or write, a use of uninitialised memory or a definite leak fails the
# test that started that wiretap. Uses the normal build (build/, or
# WIRETAP_BUILD_DIR); builds it when missing. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

command -v valgrind >/dev/null || { echo "test-valgrind: valgrind is missing (scripts/install-deps.sh)" >&2; exit 1; }
build=${WIRETAP_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIRETAP_WERROR=ON
cmake --build "$build" -j"$(nproc)"

export WIRETAP_VALGRIND=1
cd "$build"
if [ $# -eq 0 ]; then
    set -- -L integration
fi
exec ctest --output-on-failure "$@"
