#!/usr/bin/env bash
# The fuzz smoke run (ctest label `fuzz`), and the way to run a target by hand.
#
#   run_smoke.sh build SOURCE_DIR FUZZ_BUILD_DIR
#       configures (once) and builds the libFuzzer targets with clang, -DWIRETAP_FUZZ=ON,
#       into FUZZ_BUILD_DIR: the targets and wiretap_core only; incremental after the first time.
#   run_smoke.sh run SOURCE_DIR FUZZ_BUILD_DIR TARGET [SECONDS]
#       replays tests/fuzz/regressions/TARGET/*, then fuzzes TARGET for SECONDS (default
#       $WIRETAP_FUZZ_SECONDS, else 20) over its seed corpus. Fails on any crash, leak, timeout
#       or sanitizer report and prints the reproducer and the command that replays it.
#
# CXX (default: clang++-14, else clang++) picks the compiler.
set -euo pipefail

usage() {
    sed -n '2,13p' "$0" >&2
    exit 2
}
[ $# -ge 3 ] || usage
mode=$1
src=$(readlink -f "$2")
out=$3
fixtures=$src/tests/fixtures

# Seed corpora: the recorded fixtures, used in place (never copied; libFuzzer only writes to
# the first corpus directory, ours under FUZZ_BUILD_DIR).
seeds() {
    case $1 in
    fuzz_payload | fuzz_webhook_intake) echo "$fixtures/payloads" ;;
    fuzz_inspect) echo "$fixtures/inspect" ;;
    fuzz_image_reference) echo "$src/tests/fuzz/seeds/image_reference" ;;
    *)
        echo "run_smoke: unknown target $1" >&2
        exit 2
        ;;
    esac
}

build() {
    local cxx=${CXX:-}
    if [ -z "$cxx" ]; then
        cxx=$(command -v clang++-14 || command -v clang++ || true)
    fi
    if [ -z "$cxx" ]; then
        echo "run_smoke: clang is not installed (scripts/install-deps.sh installs clang and libclang-rt-14-dev)" >&2
        exit 1
    fi
    if [ ! -f "$out/CMakeCache.txt" ]; then
        cmake -S "$src" -B "$out" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug \
            -DWIRETAP_FUZZ=ON -DWIRETAP_BUILD_TESTS=OFF
    fi
    cmake --build "$out" -j"$(nproc)" --target wiretap_fuzz_targets
}

run() {
    local target=$1 seconds=${2:-${WIRETAP_FUZZ_SECONDS:-20}}
    local binary=$out/tests/fuzz/$target
    local regressions=$src/tests/fuzz/regressions/$target
    local corpus=$out/corpus/$target artifacts=$out/artifacts/$target/
    local seed log
    seed=$(seeds "$target")
    [ -x "$binary" ] || {
        echo "run_smoke: $binary is not built (run_smoke.sh build first)" >&2
        exit 1
    }
    mkdir -p "$corpus" "$artifacts"
    log=$(mktemp)
    trap 'rm -f "$log"' RETURN

    local -a inputs=()
    if [ -d "$regressions" ]; then
        mapfile -t inputs < <(find "$regressions" -type f ! -name 'README*' | sort)
    fi
    if [ ${#inputs[@]} -gt 0 ]; then
        echo "run_smoke: $target: replaying ${#inputs[@]} regression input(s) from $regressions"
        if ! "$binary" -timeout=25 -artifact_prefix="$artifacts" "${inputs[@]}" >"$log" 2>&1; then
            tail -n 60 "$log"
            echo "run_smoke: $target FAILED on a regression input from $regressions" >&2
            return 1
        fi
    fi

    echo "run_smoke: $target: fuzzing for ${seconds}s over $seed"
    local status=0
    "$binary" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" "$corpus" "$seed" >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" || true
    if [ $status -ne 0 ]; then
        tail -n 80 "$log"
        local reproducer
        reproducer=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
        echo "run_smoke: $target FAILED (exit $status)" >&2
        if [ -n "$reproducer" ]; then
            echo "run_smoke: reproducer: $reproducer" >&2
            echo "run_smoke: replay: $binary $reproducer" >&2
            echo "run_smoke: keep it: mkdir -p $regressions && cp $reproducer $regressions/" >&2
        fi
        return 1
    fi
    echo "run_smoke: $target: no crash in ${seconds}s ($(find "$corpus" -type f | wc -l) inputs in $corpus)"
}

case $mode in
build) build ;;
run)
    [ $# -ge 4 ] || usage
    run "$4" "${5:-}"
    ;;
*) usage ;;
esac
