#!/usr/bin/env bash
# Mixed-load benchmark (issue 8, "Load"): bench/load.py against wiretap, ROUNDS
# times; with BASELINE_BIN, against that binary too, in alternating order, so
# both meet the same machine. Prints a row per run and, per binary, the
# /healthz latency over all its runs' probes (p50, p99, max; target < 100 ms).
# Exits 0 only if every run answered every request once, with its status.
#
# Usage (from anywhere):  WIRETAP_BIN=build/src/wiretap bench/load.sh
# Environment (all optional):
#   WIRETAP_BIN=path      the binary to measure (default build/src/wiretap)
#   BASELINE_BIN=path     a second binary, e.g. a build of main, measured alternately
#   ROUNDS=5              runs per binary
#   REQUESTS=10000 CONNECTIONS=200 SLOW=20
#   WIRETAP_SET="k=v .."  extra wiretap settings for both, each passed as --set=k=v
#   PORT=18777            first port tried
#   KEEP=1                keep the folder with each run's log, JSON summary and
#                         probes (start s, latency ms), and print its path
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
WIRETAP_BIN=${WIRETAP_BIN:-$REPO/build/src/wiretap}
BASELINE_BIN=${BASELINE_BIN-}
ROUNDS=${ROUNDS:-5}
REQUESTS=${REQUESTS:-10000}
CONNECTIONS=${CONNECTIONS:-200}
SLOW=${SLOW:-20}
WIRETAP_SET=${WIRETAP_SET-}
PORT=${PORT:-18777}

log() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] error: %s\n' "$*" >&2; exit 1; }

[ -x "$WIRETAP_BIN" ] || die "no wiretap binary at $WIRETAP_BIN (build it, or set WIRETAP_BIN)"
[ -z "$BASELINE_BIN" ] || [ -x "$BASELINE_BIN" ] || die "no baseline binary at $BASELINE_BIN"

WORK=$(mktemp -d /tmp/wiretap-load.XXXXXX)
SERVER=""
KEEP=${KEEP-}
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    if [ -n "$KEEP" ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'exit 143' TERM

free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# run NAME BIN ROUND: one bench/load.py run against a fresh wiretap.
run() {
    local name=$1 bin=$2 round=$3 port state sets=() kv
    port=$(free_port "$PORT")
    state=$WORK/state-$name-$round
    mkdir "$state"
    for kv in $WIRETAP_SET; do sets+=("--set=$kv"); done
    # A small body limit and body timeout, so that the oversized and slow-drip requests end quickly;
    # bench/docker (a fake CLI) ends each deploy at once.
    TOKEN=SECRET PATH="$BENCH_DIR:$PATH" "$bin" --port="$port" --set=http.address=127.0.0.1 \
        --set=state.dir="$state" --set=http.maxBodyBytes=4096 --set=http.bodyTimeout=2 \
        --set=log.level=warning "${sets[@]}" >"$WORK/$name-$round.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        kill -0 "$SERVER" 2>/dev/null || die "$bin did not start: $(tail -3 "$WORK/$name-$round.log")"
        sleep 0.1
    done
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    python3 "$BENCH_DIR/load.py" --port "$port" --token SECRET --pid "$SERVER" --requests "$REQUESTS" \
        --connections "$CONNECTIONS" --slow "$SLOW" --latencies "$WORK/$name.$round.ms" \
        >"$WORK/$name-$round.json" || true
    kill "$SERVER"
    wait "$SERVER" || true
    SERVER=""
    python3 - "$WORK/$name-$round.json" "$name" "$round" "$load" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
s = json.loads(text[:text.rindex("}") + 1])
h = s["healthz"]
print("%-8s %5s %6s %5s %6s/%-6s %6s %8s %7s %7s %7s %6s" % (
    sys.argv[2], sys.argv[3], sys.argv[4], "ok" if s["ok"] else "FAIL", s["answered"], s["requests"],
    s["seconds"], "%.1f" % (s["rss_kib"]["peak"] / 1024), h["p50_ms"], h["p99_ms"], h["max_ms"], h["probes"]))
PY
    python3 -c 'import json,sys; t=open(sys.argv[1]).read(); sys.exit(0 if json.loads(t[:t.rindex("}")+1])["ok"] else 1)' \
        "$WORK/$name-$round.json" || failed=1
}

failed=0
printf '%-8s %5s %6s %5s %13s %6s %8s %7s %7s %7s %6s\n' binary round load ok answered s "peak MiB" p50 p99 max probes
for round in $(seq "$ROUNDS"); do
    if [ -n "$BASELINE_BIN" ] && [ $((round % 2)) -eq 1 ]; then
        run baseline "$BASELINE_BIN" "$round"
        run wiretap "$WIRETAP_BIN" "$round"
    else
        run wiretap "$WIRETAP_BIN" "$round"
        [ -z "$BASELINE_BIN" ] || run baseline "$BASELINE_BIN" "$round"
    fi
done

echo
echo "/healthz during the load, every probe of every run (ms):"
for name in wiretap baseline; do
    ls "$WORK/$name".*.ms >/dev/null 2>&1 || continue
    cat "$WORK/$name".*.ms | python3 -c '
import sys
ms = sorted(float(line.split()[1]) for line in sys.stdin)
pick = lambda f: ms[min(len(ms) - 1, int(len(ms) * f))]
verdict = "PASS" if ms[-1] < 100 else "FAIL"
print("  %-8s %5d probes  p50 %6.1f  p99 %6.1f  max %6.1f  over 100 ms: %d   %s (target: max < 100 ms)"
      % (sys.argv[1], len(ms), pick(0.5), pick(0.99), ms[-1], sum(m >= 100 for m in ms), verdict))' "$name"
done
[ "$failed" = 0 ] && echo "PASS  every request of every run answered once, with its status" ||
    echo "FAIL  a run lost a request, answered one twice or with the wrong status (see above)"
exit "$failed"
