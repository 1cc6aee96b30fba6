#!/usr/bin/env bash
# Runs every test tier — unit, integration, e2e — on a Debian 12 machine:
# installs what is missing, builds with warnings as errors, runs ctest.
# Run as root: the e2e tier starts its own Docker engine in a network namespace.
# Extra arguments go to ctest (e.g. `-L unit`).
# With no arguments, the unit and integration tiers then run a second time in
# an ASan+UBSan build (scripts/test-sanitizers.sh, build-asan/), and then the
# integration tier a third time with every wiretap it starts under valgrind
# memcheck (scripts/test-valgrind.sh, the build above; about 5 minutes).
# WIRETAP_SANITIZERS=1 / WIRETAP_VALGRIND=1 run that pass also with arguments
# (they go to every run); =0 skips it.
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
valgrind=${WIRETAP_VALGRIND:-}
[ -n "$valgrind" ] || { [ $# -eq 0 ] && valgrind=1 || valgrind=0; }
# The integration tests run wiretap under valgrind when WIRETAP_VALGRIND=1 is in
# their environment: only test-valgrind.sh sets it, for its own pass.
unset WIRETAP_VALGRIND

status=0
(cd "$build" && ctest --output-on-failure "$@") || status=$?
if [ "$sanitizers" = 1 ]; then
    echo "test.sh: the unit and integration tiers again, with ASan and UBSan (build-asan/)"
    scripts/test-sanitizers.sh "$@" || status=$?
fi
if [ "$valgrind" = 1 ]; then
    echo "test.sh: the integration tier again, wiretap under valgrind memcheck ($build/)"
    WIRETAP_BUILD_DIR=$build scripts/test-valgrind.sh "$@" || status=$?
fi
exit "$status"
