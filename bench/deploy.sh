#!/usr/bin/env bash
# Deploy benchmark (issue 5, "Performance"): the time from the webhook to every
# container serving the new image, divided by the time of the same docker steps
# typed by hand (pull once; per container stop, rm, run), side by side in one
# run on the e2e sandbox (a real engine and registry in a network namespace),
# for 1 and for 10 containers, with deploy.minUptime=0. Also prints the docker
# CLI calls of each deploy against the budget of 6 per container plus planning.
#
# Usage (as root on Debian 12, from anywhere):  bench/deploy.sh
# Environment (all optional):
#   WIRETAP_BIN=path   use this wiretap binary instead of building one (Release)
#   COUNTS="1 10"      container counts to measure
#   ROUNDS=3           measured rounds per count; the order alternates
#                      (by hand first, then wiretap first, ...)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
COUNTS=${COUNTS:-1 10}
ROUNDS=${ROUNDS:-3}
TARGET_RATIO=1.15
CALLS_PER_CONTAINER=6
# ls, inspect, image inspect; pull and its image inspect; `info` (is the engine a Swarm
# manager?), which a server asks at most once a minute, so only some deploys pay it.
PLANNING_CALLS=6
FIRST_PORT=21000

log() { printf '[deploy-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[deploy-bench] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root: the sandbox needs a network namespace"

WORK=""
WIRETAP_PID=""
SANDBOX=""
cleanup() {
    if [ -n "$WIRETAP_PID" ]; then
        kill "$WIRETAP_PID" 2>/dev/null || true
        wait "$WIRETAP_PID" 2>/dev/null || true
    fi
    [ -z "$SANDBOX" ] || bash "$REPO/tests/e2e/sandbox.sh" down "$SANDBOX" >/dev/null 2>&1 || true
    [ -z "$WORK" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- build
"$REPO/scripts/install-deps.sh" >/dev/null
if [ -z "${WIRETAP_BIN:-}" ]; then
    BUILD="$REPO/build-bench"
    log "building wiretap (Release) in $BUILD"
    cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWIRETAP_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target wiretap >/dev/null
    WIRETAP_BIN="$BUILD/src/wiretap"
fi
[ -x "$WIRETAP_BIN" ] || die "WIRETAP_BIN=$WIRETAP_BIN is not an executable"

# ---------------------------------------------------------------- sandbox
WORK=$(mktemp -d /tmp/wiretap-deploy-bench.XXXXXX)
SANDBOX="$WORK/sb"
log "starting the sandbox engine and registry"
WT_SANDBOX_OWNER_PID=$$ bash "$REPO/tests/e2e/sandbox.sh" up "$SANDBOX" >"$WORK/sandbox.log" 2>&1 ||
    { cat "$WORK/sandbox.log" >&2; die "the sandbox did not start"; }
# shellcheck source=/dev/null
source "$SANDBOX/env"
# shellcheck source=../tests/e2e/lib.sh
source "$REPO/tests/e2e/lib.sh"
E2E_LOG_TAG=deploy-bench

IMAGE="$WT_REGISTRY/wiretap-bench/app"
build_web_image "$IMAGE:v1" 1.0 >/dev/null
build_web_image "$IMAGE:v2" 2.0 >/dev/null

# Points the registry's :latest at v1 or v2, leaving the local :latest at v1.
publish_latest() {
    docker tag "$IMAGE:$1" "$IMAGE:latest"
    docker push --quiet "$IMAGE:latest" >/dev/null
    docker tag "$IMAGE:v1" "$IMAGE:latest"
}

ports() { seq "$FIRST_PORT" $((FIRST_PORT + $1 - 1)); }
serving() { # VERSION N: waits until all N containers serve VERSION; prints seconds
    # shellcheck disable=SC2046
    nsenter --net="$WT_NETNS_PATH" python3 "$BENCH_DIR/serving.py" "$1" 120 $(ports "$2")
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# N containers named bench-I on :latest (v1), each publishing its own port.
reset_fleet() {
    local n=$1 i
    docker rm -f $(docker ps -aq --filter label=wiretap.bench) >/dev/null 2>&1 || true
    publish_latest v1
    for ((i = 0; i < n; i++)); do
        docker run --detach --name "bench-$i" --label wiretap.bench=1 \
            --publish "$((FIRST_PORT + i)):5000" "$IMAGE:latest" >/dev/null
    done
    serving 1.0 "$n" >/dev/null || die "the fleet of $n did not serve 1.0"
    publish_latest v2
}

# ---------------------------------------------------------------- wiretap
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
PORT=18480
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
mkdir -p "$WORK/state"
log "starting wiretap on 127.0.0.1:$PORT"
TOKEN="$TOKEN" "$WIRETAP_BIN" --port="$PORT" --set=http.address=127.0.0.1 --set=state.dir="$WORK/state" \
    --set=deploy.minUptime=0 >"$WORK/wiretap.log" 2>&1 &
WIRETAP_PID=$!
for _ in $(seq 100); do
    grep -q "Listening for webhooks" "$WORK/wiretap.log" && break
    kill -0 "$WIRETAP_PID" 2>/dev/null || { cat "$WORK/wiretap.log" >&2; die "wiretap exited"; }
    sleep 0.1
done

# The steps typed by hand: pull once; per container stop, rm, run.
by_hand() {
    local n=$1 i
    docker pull --quiet "$IMAGE:latest" >/dev/null
    for ((i = 0; i < n; i++)); do
        docker stop "bench-$i" >/dev/null
        docker rm "bench-$i" >/dev/null
        docker run --detach --name "bench-$i" --label wiretap.bench=1 \
            --publish "$((FIRST_PORT + i)):5000" "$IMAGE:latest" >/dev/null
    done
}

LAST_CALLS=""
by_wiretap() {
    local answer deploy
    answer=$(curl -sS -X POST -H 'Content-Type: application/json' \
        --data "{\"image\": \"$IMAGE:latest\"}" "http://127.0.0.1:$PORT/hooks/generic?token=$TOKEN")
    deploy=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accepted"][0]["deploy"])' <<<"$answer") ||
        die "wiretap did not accept the webhook: $answer"
    echo "$deploy" >"$WORK/deploy-id"
}

wait_report() { # prints "result dockerCalls up" of the last deploy; up: when its last new container ran (epoch s)
    local deploy report
    deploy=$(cat "$WORK/deploy-id")
    for _ in $(seq 600); do
        grep -q "msg=\"Deploy finished\" Deploy=$deploy " "$WORK/wiretap.log" && break
        sleep 0.1
    done
    report=$(curl -sS "http://127.0.0.1:$PORT/v1/deployments/$deploy?token=$TOKEN")
    python3 -c '
import calendar, json, sys, time
def epoch(iso):  # 2026-11-29T09:27:10.650Z
    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) + float("0" + iso[19:-1])
r = json.load(sys.stdin)
up = max(epoch(s["startedAt"]) + s["seconds"] for c in r["containers"] for s in c["steps"] if s["step"] == "wait")
print(r["result"], r["dockerCalls"], "%.3f" % up)' <<<"$report"
}

# ---------------------------------------------------------------- measure
declare -A RATIOS
printf '%-6s %-5s %-9s %10s %10s %8s %14s %8s\n' count round order "hand s" "wiretap s" ratio "docker calls" budget
for n in $COUNTS; do
    RATIOS[$n]=""
    budget=$((CALLS_PER_CONTAINER * n + PLANNING_CALLS))
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then order="hand,wt"; else order="wt,hand"; fi
        hand="" wt="" calls=""
        for variant in ${order//,/ }; do
            reset_fleet "$n"
            # Timed until the last container is up: by hand, when the last `docker run`
            # returns; wiretap, when it has seen the last new container running (the end of
            # its `wait` step in the deploy report; the old one's removal comes after). Then,
            # untimed, every port must serve 2.0. (Probing the ports while containers are
            # replaced is no clock: docker-proxy stalls such connections for up to a second.)
            t0=$(now)
            if [ "$variant" = hand ]; then
                by_hand "$n"
                hand=$(elapsed "$t0" "$(now)")
                serving 2.0 "$n" >/dev/null || die "by hand: the fleet did not serve 2.0"
            else
                by_wiretap
                read -r result calls up < <(wait_report)
                [ "$result" = updated ] || die "the deploy ended '$result'"
                wt=$(elapsed "$t0" "$up")
                serving 2.0 "$n" >/dev/null || { tail -20 "$WORK/wiretap.log" >&2; die "wiretap: the fleet did not serve 2.0"; }
            fi
        done
        ratio=$(awk -v a="$wt" -v b="$hand" 'BEGIN { printf "%.2f", a / b }')
        RATIOS[$n]+="$ratio "
        printf '%-6s %-5s %-9s %10s %10s %8s %14s %8s\n' "$n" "$round" "$order" "$hand" "$wt" "$ratio" "$calls" "$budget"
        [ "$calls" -le "$budget" ] || CALLS_OVER=1
    done
done

echo
status=0
for n in $COUNTS; do
    # shellcheck disable=SC2086
    median=$(printf '%s\n' ${RATIOS[$n]} | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    verdict=PASS
    awk -v r="$median" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }' || { verdict=FAIL; status=1; }
    printf '%s  %2s container(s): median ratio wiretap/by hand %.2fx (target <= %s; rounds: %s)\n' \
        "$verdict" "$n" "$median" "$TARGET_RATIO" "${RATIOS[$n]% }"
done
if [ -n "${CALLS_OVER:-}" ]; then
    echo "FAIL  docker calls over 6 per container + $PLANNING_CALLS"
    status=1
else
    echo "PASS  docker calls within 6 per container + $PLANNING_CALLS"
fi
exit "$status"
