#!/usr/bin/env bash
# Webhook intake benchmark (issue 4, "Performance"): valid Docker Hub payloads
# POSTed to wiretap's /listen and to adnanh/webhook serving an equivalent hook
# (token rule, JSON parse, no-op command), side by side in one run, by wrk on
# 127.0.0.1. Prints rate, latency, non-2xx and RSS for both, the ratio
# wiretap/webhook, and PASS/FAIL against the targets. Stops by itself.
#
# Usage (as root on Debian 12, from anywhere):  bench/intake.sh
# Environment (all optional):
#   WIRETAP_BIN=path      use this wiretap binary instead of building one
#   WIRETAP_SET="k=v .."  wiretap settings, each passed as --set=k=v; default
#                         none (the shipped defaults, 128 threads). POCO's HTTP
#                         server holds one worker thread per keep-alive
#                         connection: a binary from before the 128 default
#                         needs WIRETAP_SET=http.maxThreads=128.
#   DURATION=12s          wrk duration of each measured run
#   ROUNDS=2              measured runs per server, order alternating
#                         (wiretap,webhook / webhook,wiretap / ...)
#   CONNECTIONS=100 THREADS=2 WARMUP=3s
#   IDLE_MAX=30           after each run, seconds to wait at most for the
#                         server to finish queued work (webhook's commands)
#   WIRETAP_PORT=18080 WEBHOOK_PORT=19090 FLOOR_PORT=19590   first port tried
#   FLOOR=1               also run bench/floor_server.cpp (built here with g++),
#                         the least a server can do for this request: its p99
#                         is this machine's floor for the p99 target; 0 skips it
# shellcheck disable=SC2034  # IDLE_*/AFTER_* are read through ${!name}
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
DURATION=${DURATION:-12s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
IDLE_MAX=${IDLE_MAX:-30}
WIRETAP_SET=${WIRETAP_SET-}
PAYLOAD=${PAYLOAD:-$REPO/tests/fixtures/payloads/dockerhub.json}

# Targets (issue 4).
TARGET_RATIO=2.0
TARGET_P99_MS=5
TARGET_IDLE_KIB=$((10 * 1024))
TARGET_LOAD_KIB=$((32 * 1024))

log() { printf '[intake] %s\n' "$*" >&2; }
die() { printf '[intake] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- clean-up
PIDS=()
WORK=""
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # Give each server a moment, then make sure.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- packages
# Installs what is missing with apt-get (Debian 12, as root).
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}; run as root or install them"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
        die "apt-get could not install ${missing[*]}"
}

FLOOR=${FLOOR:-1}
ensure_packages wrk webhook curl
[ "$FLOOR" = 1 ] && ensure_packages g++ libpoco-dev

# ---------------------------------------------------------------- wiretap
if [ -z "${WIRETAP_BIN:-}" ]; then
    ensure_packages cmake make g++ libpoco-dev
    BUILD="$REPO/build-bench"
    BUILD_LOG="$BUILD/bench-build.log"
    mkdir -p "$BUILD"
    log "building wiretap (Release) in $BUILD"
    for attempt in 1 2 3; do
        if cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWIRETAP_BUILD_TESTS=OFF >"$BUILD_LOG" 2>&1 &&
           cmake --build "$BUILD" -j2 --target wiretap >>"$BUILD_LOG" 2>&1; then
            break
        fi
        [ "$attempt" -eq 3 ] && die "build failed three times, see $BUILD_LOG (or pass WIRETAP_BIN=)"
        log "build failed (attempt $attempt, see $BUILD_LOG); retrying in 30 s"
        sleep 30
    done
    WIRETAP_BIN="$BUILD/src/wiretap"
fi
[ -x "$WIRETAP_BIN" ] || die "WIRETAP_BIN=$WIRETAP_BIN is not an executable"

# ---------------------------------------------------------------- set-up
WORK=$(mktemp -d /tmp/wiretap-bench.XXXXXX)
mkdir -p "$WORK/state"
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# The sample payload without callback_url: wiretap would POST a completion
# notice to Docker Hub's URL, and this benchmark talks to 127.0.0.1 only.
sed '/"callback_url"[[:space:]]*:/d' "$PAYLOAD" >"$WORK/body.json"
! grep -q callback_url "$WORK/body.json" || die "could not strip callback_url from $PAYLOAD"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p=$1
    while ! port_free "$p"; do p=$((p + 1)); done
    echo "$p"
}
WIRETAP_PORT=$(free_port "${WIRETAP_PORT:-18080}")
WEBHOOK_PORT=$(free_port "${WEBHOOK_PORT:-19090}")
[ "$WIRETAP_PORT" != "$WEBHOOK_PORT" ] || WEBHOOK_PORT=$(free_port $((WEBHOOK_PORT + 1)))
FLOOR_PORT=$(free_port "${FLOOR_PORT:-19590}")

WIRETAP_URL="http://127.0.0.1:$WIRETAP_PORT/listen?token=$TOKEN"
WEBHOOK_URL="http://127.0.0.1:$WEBHOOK_PORT/hooks/listen?token=$TOKEN"
FLOOR_URL="http://127.0.0.1:$FLOOR_PORT/listen?token=$TOKEN"

wiretap_args=(--port="$WIRETAP_PORT" --set=http.address=127.0.0.1
              --set=state.dir="$WORK/state" --set=log.level=warning)
for kv in $WIRETAP_SET; do wiretap_args+=(--set="$kv"); done

# The fake docker (bench/docker) first in PATH: no engine needed, deploys find
# no container and end at once.
log "starting wiretap on 127.0.0.1:$WIRETAP_PORT (${WIRETAP_SET:-default settings})"
PATH="$BENCH_DIR:$PATH" TOKEN="$TOKEN" "$WIRETAP_BIN" "${wiretap_args[@]}" \
    >"$WORK/wiretap.log" 2>&1 &
WIRETAP_PID=$!
PIDS+=("$WIRETAP_PID")

log "starting webhook $(webhook -version 2>&1 | awk '{print $NF}') on 127.0.0.1:$WEBHOOK_PORT"
BENCH_TOKEN="$TOKEN" webhook -hooks "$BENCH_DIR/hooks.json" -template \
    -ip 127.0.0.1 -port "$WEBHOOK_PORT" -nopanic >"$WORK/webhook.log" 2>&1 &
WEBHOOK_PID=$!
PIDS+=("$WEBHOOK_PID")

SERVERS=(wiretap webhook)
declare -A PID=([wiretap]=$WIRETAP_PID [webhook]=$WEBHOOK_PID)
declare -A URL=([wiretap]=$WIRETAP_URL [webhook]=$WEBHOOK_URL)
if [ "$FLOOR" = 1 ]; then
    log "building bench/floor_server.cpp"
    g++ -O2 -std=c++17 "$BENCH_DIR/floor_server.cpp" -o "$WORK/floor_server" -lPocoJSON -lPocoFoundation ||
        die "could not build bench/floor_server.cpp (or pass FLOOR=0)"
    log "starting floor_server on 127.0.0.1:$FLOOR_PORT"
    FLOOR_TOKEN="$TOKEN" "$WORK/floor_server" "$FLOOR_PORT" >"$WORK/floor.log" 2>&1 &
    PID[floor]=$!
    PIDS+=("${PID[floor]}")
    URL[floor]=$FLOOR_URL
    SERVERS+=(floor)
fi

wait_listening() { # name pid port
    for _ in $(seq 1 100); do
        kill -0 "$2" 2>/dev/null || { cat "$WORK/$1.log" >&2; die "$1 exited at start-up"; }
        port_free "$3" || return 0
        sleep 0.1
    done
    cat "$WORK/$1.log" >&2
    die "$1 is not listening on port $3 after 10 s"
}
wait_listening wiretap "$WIRETAP_PID" "$WIRETAP_PORT"
wait_listening webhook "$WEBHOOK_PID" "$WEBHOOK_PORT"
[ "$FLOOR" = 1 ] && wait_listening floor "${PID[floor]}" "$FLOOR_PORT"

post() { # url -> HTTP status on stdout, body in $WORK/answer
    curl -s -o "$WORK/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary @"$WORK/body.json" --max-time 5 "$1" || true
}
# Both must really accept the payload, and really refuse a wrong token.
for name in "${SERVERS[@]}"; do
    url=${URL[$name]}
    status=$(post "$url")
    [ "$status" = 202 ] || die "$name answered $status to a valid payload: $(cat "$WORK/answer")"
    status=$(post "${url%%\?*}?token=wrong")
    [ "$status" = 401 ] || die "$name answered $status to a wrong token (expected 401)"
done

rss_kib() { awk -v k="${2:-VmRSS}:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Idle resident memory: started, one request served, then left alone.
# (IDLE_*, IDLE_ANON_* and AFTER_* are read through ${!name} in the report.)
sleep 2
IDLE_wiretap=$(rss_kib "$WIRETAP_PID")
IDLE_webhook=$(rss_kib "$WEBHOOK_PID")
IDLE_ANON_wiretap=$(rss_kib "$WIRETAP_PID" RssAnon)
IDLE_ANON_webhook=$(rss_kib "$WEBHOOK_PID" RssAnon)
if [ "$FLOOR" = 1 ]; then
    IDLE_floor=$(rss_kib "${PID[floor]}")
    IDLE_ANON_floor=$(rss_kib "${PID[floor]}" RssAnon)
fi

# Samples VmRSS every 100 ms into $2 (one value per line) until killed.
sample_rss() {
    local pid=$1 out=$2
    while kill -0 "$pid" 2>/dev/null; do
        awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" >>"$out" 2>/dev/null || true
        sleep 0.1
    done
}

# CPU time (µs) used so far by a process and its waited-for children
# (wiretap's docker calls, webhook's commands).
cpu_us() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13 + $14 + $15) * 1e6 / hz) }' "/proc/$1/stat"
}

# Waits (at most IDLE_MAX seconds) until a server and its children use under
# 5% of a core in each of two consecutive half-seconds.
wait_idle() { # name pid
    local before after waited=0 quiet=0
    before=$(cpu_us "$2")
    while [ "$waited" -lt $((IDLE_MAX * 2)) ] && [ "$quiet" -lt 2 ]; do
        sleep 0.5
        waited=$((waited + 1))
        after=$(cpu_us "$2")
        if [ $((after - before)) -lt 25000 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        before=$after
    done
    waited=$((waited - 1))
    [ "$waited" -gt 1 ] && log "$1 was busy for $(awk -v w="$waited" 'BEGIN{printf "%.1f", w/2}') s after its run"
    return 0
}

run_wrk() { # name url duration label -> $WORK/line.<label> (the BENCH line), $WORK/peak.<label> (KiB)
    local name=$1 url=$2 duration=$3 label=$4 pid sampler
    pid=${PID[$name]}
    : >"$WORK/rss.$label"
    cpu_us "$pid" >"$WORK/cpu0.$label"
    sample_rss "$pid" "$WORK/rss.$label" &
    sampler=$!
    PIDS+=("$sampler")
    BODY_FILE="$WORK/body.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency \
        -s "$BENCH_DIR/post.lua" "$url" >"$WORK/wrk.$label" 2>&1 || true
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/$name.log" >&2; die "$name died during the run"; }
    # Work a server queued and still does after answering (deploys; webhook's
    # hook commands, which fall far behind) belongs to this run: wait until
    # it is idle, so it is counted here and does not slow the next run.
    wait_idle "$name" "$pid"
    echo $(($(cpu_us "$pid") - $(cat "$WORK/cpu0.$label"))) >"$WORK/cpu.$label"
    sort -n "$WORK/rss.$label" | tail -1 >"$WORK/peak.$label"
    grep '^BENCH ' "$WORK/wrk.$label" >"$WORK/line.$label" ||
        { cat "$WORK/wrk.$label" >&2; die "wrk gave no result for $name"; }
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

log "warm-up: $WARMUP each"
run_wrk wiretap "$WIRETAP_URL" "$WARMUP" warm-wiretap
run_wrk webhook "$WEBHOOK_URL" "$WARMUP" warm-webhook
[ "$FLOOR" = 1 ] && run_wrk floor "$FLOOR_URL" "$WARMUP" warm-floor
sleep 1

declare -A REQS DUR P99MAX PEAK NON2XX NON202 SOCKERR P50SUM RUNS CPU
for s in "${SERVERS[@]}"; do
    REQS[$s]=0; DUR[$s]=0; P99MAX[$s]=0; PEAK[$s]=0; NON2XX[$s]=0; NON202[$s]=0; SOCKERR[$s]=0; P50SUM[$s]=0; RUNS[$s]=0; CPU[$s]=0
done
ms() { awk -v u="$1" 'BEGIN{printf "%.2f", u/1000}'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
ROWFMT='%-8s %5s %9s %8s %8s %8s %7s %-15s %8s %8s  %s\n'
ROWS=()
for round in $(seq 1 "$ROUNDS"); do
    # Each round starts with the next server: wiretap,webhook,floor / webhook,floor,wiretap / ...
    order=()
    for i in "${!SERVERS[@]}"; do order+=("${SERVERS[$(((round - 1 + i) % ${#SERVERS[@]}))]}"); done
    for s in "${order[@]}"; do
        url=${URL[$s]}
        log "round $round: $s, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
        run_wrk "$s" "$url" "$DURATION" "$s.$round"
        line=$(cat "$WORK/line.$s.$round")
        peak=$(cat "$WORK/peak.$s.$round"); peak=${peak:-0}
        cpu=$(cat "$WORK/cpu.$s.$round")
        requests=$(field requests "$line")
        ROWS+=("$(printf "$ROWFMT" "$s" "$round" "$(field rps "$line")" \
            "$(ms "$(field p50_us "$line")")" "$(ms "$(field p99_us "$line")")" "$(ms "$(field max_us "$line")")" \
            "$(field non2xx "$line")" \
            "$(field connect "$line")/$(field read "$line")/$(field write "$line")/$(field timeout "$line")" \
            "$(mib "$peak")" "$(awk -v c="$cpu" -v n="$requests" 'BEGIN{printf "%.0f", (n > 0 ? c/n : 0)}')" \
            "$(field statuses "$line")")")
        REQS[$s]=$((REQS[$s] + requests))
        DUR[$s]=$((DUR[$s] + $(field duration_us "$line")))
        P50SUM[$s]=$((P50SUM[$s] + $(field p50_us "$line")))
        RUNS[$s]=$((RUNS[$s] + 1))
        CPU[$s]=$((CPU[$s] + cpu))
        p99=$(field p99_us "$line"); if [ "$p99" -gt "${P99MAX[$s]}" ]; then P99MAX[$s]=$p99; fi
        if [ "$peak" -gt "${PEAK[$s]}" ]; then PEAK[$s]=$peak; fi
        NON2XX[$s]=$((NON2XX[$s] + $(field non2xx "$line")))
        NON202[$s]=$((NON202[$s] + $(field non202 "$line")))
        SOCKERR[$s]=$((SOCKERR[$s] + $(field sockerr "$line")))
        sleep 1
    done
done
sleep 2
AFTER_wiretap=$(rss_kib "$WIRETAP_PID")
AFTER_webhook=$(rss_kib "$WEBHOOK_PID")
[ "$FLOOR" = 1 ] && AFTER_floor=$(rss_kib "${PID[floor]}")

# ---------------------------------------------------------------- report
rate() { awk -v r="${REQS[$1]}" -v d="${DUR[$1]}" 'BEGIN{printf "%.0f", r/(d/1e6)}'; }
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }

echo
echo "wiretap intake benchmark  $(date -u '+%Y-%m-%d %H:%M:%SZ')  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  ulimit -n $(ulimit -n)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS round(s) per server, alternating order, $(wc -c <"$WORK/body.json")-byte Docker Hub payload"
echo "wiretap: ${MALLOC_ARENA_MAX:+MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX }$WIRETAP_BIN${WIRETAP_SET:+ --set }${WIRETAP_SET// / --set }"
echo "webhook: $(command -v webhook) $(webhook -version 2>&1 | awk '{print $NF}'), bench/hooks.json"
[ "$FLOOR" = 1 ] && echo "floor:   bench/floor_server.cpp (one epoll thread: token, JSON parse, 202; no limits, metrics, logs or queue)"
echo
printf "$ROWFMT" server round "req/s" "p50 ms" "p99 ms" "max ms" non2xx "sockerr c/r/w/t" "peak MiB" "cpu us/req" statuses
for row in "${ROWS[@]}"; do echo "$row"; done
echo
printf '%-8s %9s %8s %14s %16s %9s %15s %10s %7s\n' server "req/s" "p50 ms" "p99 ms (worst)" "idle MiB (anon)" "peak MiB" "after-load MiB" "cpu us/req" errors
for s in "${SERVERS[@]}"; do
    idle_var=IDLE_$s; after_var=AFTER_$s; anon_var=IDLE_ANON_$s
    printf '%-8s %9s %8s %14s %16s %9s %15s %10s %7s\n' "$s" "$(rate $s)" \
        "$(ms $((P50SUM[$s] / RUNS[$s])))" "$(ms "${P99MAX[$s]}")" \
        "$(mib "${!idle_var}") ($(mib "${!anon_var}"))" "$(mib "${PEAK[$s]}")" "$(mib "${!after_var}")" \
        "$(awk -v c="${CPU[$s]}" -v n="${REQS[$s]}" 'BEGIN{printf "%.0f", (n > 0 ? c/n : 0)}')" \
        "$((NON202[$s] + SOCKERR[$s]))"
done
RATIO=$(awk -v a="$(rate wiretap)" -v b="$(rate webhook)" 'BEGIN{printf "%.2f", (b > 0 ? a/b : 0)}')
echo
echo "ratio wiretap/webhook (request rate): ${RATIO}x"
echo
ok_ratio=$(awk -v r="$RATIO" -v t=$TARGET_RATIO 'BEGIN{print (r >= t)}')
ok_p99=$(awk -v u="${P99MAX[wiretap]}" -v t=$TARGET_P99_MS 'BEGIN{print (u/1000 < t)}')
ok_idle=$([ "$IDLE_wiretap" -le $TARGET_IDLE_KIB ] && echo 1 || echo 0)
ok_load=$([ "${PEAK[wiretap]}" -le $TARGET_LOAD_KIB ] && echo 1 || echo 0)
errors=0
for s in "${SERVERS[@]}"; do errors=$((errors + NON202[$s] + SOCKERR[$s])); done
ok_err=$([ "$errors" -eq 0 ] && echo 1 || echo 0)
printf '%-4s  request rate >= %sx webhook          (%sx)\n' "$(verdict "$ok_ratio")" "$TARGET_RATIO" "$RATIO"
printf '%-4s  p99 latency < %s ms at %s connections  (%s ms, worst run)\n' "$(verdict "$ok_p99")" "$TARGET_P99_MS" "$CONNECTIONS" "$(ms "${P99MAX[wiretap]}")"
[ "$FLOOR" = 1 ] && printf '      (floor_server, same run: %s ms worst p99, %sx webhook'"'"'s rate)\n' "$(ms "${P99MAX[floor]}")" \
    "$(awk -v a="$(rate floor)" -v b="$(rate webhook)" 'BEGIN{printf "%.2f", (b > 0 ? a/b : 0)}')"
printf '%-4s  RSS idle <= 10 MiB                     (%s MiB)\n' "$(verdict "$ok_idle")" "$(mib "$IDLE_wiretap")"
printf '%-4s  RSS under load <= 32 MiB               (%s MiB peak)\n' "$(verdict "$ok_load")" "$(mib "${PEAK[wiretap]}")"
printf '%-4s  every answer 202, no socket errors     (%s wiretap, %s webhook%s)\n' "$(verdict "$ok_err")" \
    "$((NON202[wiretap] + SOCKERR[wiretap]))" "$((NON202[webhook] + SOCKERR[webhook]))" \
    "$([ "$FLOOR" = 1 ] && echo ", $((NON202[floor] + SOCKERR[floor])) floor")"
[ "$ok_ratio$ok_p99$ok_idle$ok_load$ok_err" = 11111 ]
