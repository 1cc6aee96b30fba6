#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The 2016 seed tutorial ("push-based CD on Docker Swarm"), end to end, on this
# machine: the main command of the README (scripts/run.sh calls it after the build).
#
# Usage: WIRETAP_BIN=build/src/wiretap scripts/tutorial.sh [--host-engine]
#
#   By default everything runs on a private Docker engine and registry started
#   for the occasion in a network namespace (tests/e2e/sandbox.sh): the host's
#   containers and network are never touched. 127.0.0.1:5000 is that registry
#   and the engine's Docker Hub mirror, so the seed's Docker Hub names
#   (demo/hello-world-app) and its Docker Hub webhook work as they are.
#
#   --host-engine drives the engine your `docker` CLI reaches instead, with
#   Debian's docker-registry serving on 127.0.0.1:5000 (it must be free, and so
#   must ports 8000-8002 and the names app1/app2). Images are then named
#   127.0.0.1:5000/<user>/hello-world-app and the webhook is wiretap's generic
#   format (a Docker Hub webhook always names Docker Hub). Only containers and
#   images it created, labelled wiretap.tutorial=<run id>, are touched and
#   removed; wiretap itself only redeploys containers labelled wiretap.enable=true.
#
# Environment: WIRETAP_BIN (required), DOCKER_HUB_USERNAME (default demo),
# TOKEN (default: generated), WIRETAP_PORT (default 8000).
# Exit status: 0 only if the tutorial's checks passed. Interrupted at any point,
# it removes everything it started.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../tests/e2e/lib.sh
source "$ROOT/tests/e2e/lib.sh"
# shellcheck disable=SC2034 # read by lib.sh
E2E_LOG_TAG=tutorial

HOST_ENGINE=
case ${1:-} in
    "") ;;
    --host-engine) HOST_ENGINE=1 ;;
    -h | --help)
        sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
        exit 0
        ;;
    *)
        echo "tutorial.sh: unknown argument '$1' (see --help)" >&2
        exit 2
        ;;
esac

WIRETAP_BIN=${WIRETAP_BIN:?set WIRETAP_BIN to the wiretap binary (scripts/run.sh does)}
[[ -x $WIRETAP_BIN ]] || { echo "tutorial.sh: $WIRETAP_BIN is not executable" >&2; exit 2; }
USER_NAME=${DOCKER_HUB_USERNAME:-demo}
[[ $USER_NAME =~ ^[a-z0-9]+([._-][a-z0-9]+)*$ ]] ||
    { echo "tutorial.sh: DOCKER_HUB_USERNAME '$USER_NAME' is not a valid Docker Hub namespace" >&2; exit 2; }
PORT=${WIRETAP_PORT:-8000}
RUN_ID=tut$$
LABEL=wiretap.tutorial=$RUN_ID
APPS=(app1:8001 app2:8002)
STEPS=9

# ------------------------------------------------------------------ output --

now() { echo "${EPOCHREALTIME/,/.}"; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

STEP=0 STEP_TITLE="" STEP_T0="" T0=$(now)
SUMMARY=()
step() {
    STEP=$((STEP + 1)) STEP_TITLE=$1 STEP_T0=$(now)
    printf '\n==> [%d/%d] %s\n' "$STEP" "$STEPS" "$STEP_TITLE"
}
step_done() {
    local took
    took=$(seconds_since "$STEP_T0")
    printf '    [%d/%d] done in %ss\n' "$STEP" "$STEPS" "$took"
    SUMMARY+=("$(printf '%6ss  [%d/%d] %s' "$took" "$STEP" "$STEPS" "$STEP_TITLE")")
}
say() { printf '    %s\n' "$*"; }
# shows a command as the seed tutorial would have you type it
shows() { printf '    $ %s\n' "$*"; }
fail() {
    printf '\nFAILED at step %d/%d (%s): %s\n' "$STEP" "$STEPS" "$STEP_TITLE" "$*" >&2
    exit 1
}

# --------------------------------------------------------------- teardown --

WORK="" SANDBOX="" WIRETAP_PID="" STREAM_PID="" REGISTRY_PIDFILE="" CLEANED=""
cleanup() {
    local rc=$?
    [[ -n $CLEANED ]] && return
    CLEANED=1
    trap '' INT TERM HUP # a second Ctrl-C must not leave half a teardown
    ((rc == 0)) || printf '\n(exit status %d: tearing down what was started)\n' "$rc" >&2
    local t0 ok=1 i pid ids
    t0=$(now)
    [[ $rc != 0 ]] || step "Tear everything down"
    if [[ -n $WIRETAP_PID ]] && kill -0 "$WIRETAP_PID" 2>/dev/null; then
        kill -TERM "$WIRETAP_PID" 2>/dev/null || true
        for i in $(seq 150); do
            kill -0 "$WIRETAP_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$WIRETAP_PID" 2>/dev/null || true
    fi
    if [[ -n $STREAM_PID ]]; then
        # tail --pid ends with wiretap; give the last lines a moment to come out
        for i in $(seq 20); do
            kill -0 "$STREAM_PID" 2>/dev/null || break
            sleep 0.1
        done
        pkill -TERM -P "$STREAM_PID" 2>/dev/null || true
        wait "$STREAM_PID" 2>/dev/null || true
    fi
    [[ -z $WIRETAP_PID ]] || say "wiretap stopped"
    if [[ -n $HOST_ENGINE ]]; then
        ids=$(docker ps -aq --filter "label=$LABEL" 2>/dev/null || true)
        # shellcheck disable=SC2086
        [[ -z $ids ]] || docker rm -f $ids >/dev/null 2>&1 || { ok=; say "could not remove containers $ids"; }
        ids=$(docker image ls -q --filter "label=$LABEL" 2>/dev/null | sort -u || true)
        # shellcheck disable=SC2086
        [[ -z $ids ]] || docker image rm -f $ids >/dev/null 2>&1 || { ok=; say "could not remove images $ids"; }
        say "removed the containers and images labelled $LABEL"
        if [[ -n $REGISTRY_PIDFILE && -s $REGISTRY_PIDFILE ]]; then
            pid=$(cat "$REGISTRY_PIDFILE")
            kill -TERM "$pid" 2>/dev/null || true
            for i in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$pid" 2>/dev/null || true
            say "docker-registry stopped"
        fi
    elif [[ -n $SANDBOX ]]; then
        if bash "$ROOT/tests/e2e/sandbox.sh" down "$SANDBOX" >"$WORK/sandbox-down.log" 2>&1; then
            say "private engine, registry, containers and network namespace removed"
        else
            ok=
            cat "$WORK/sandbox-down.log" >&2
        fi
    fi
    if [[ -n $WORK ]]; then
        rm -rf --one-file-system -- "$WORK" || ok=
    fi
    if [[ -z $ok ]]; then
        printf 'WARNING: the teardown left something behind (see above)\n' >&2
        ((rc)) || rc=1
    fi
    if ((rc == 0)); then
        step_done
        printf '\nTimes (after the build):\n'
        printf '%s\n' "${SUMMARY[@]}"
        printf '%6ss  in all\n' "$(seconds_since "$T0")"
        printf '\nPASS: both apps were redeployed by the webhook and answer /version -> 1.1\n'
    else
        case $rc in
            129 | 130 | 143) printf 'interrupted; teardown took %ss\n' "$(seconds_since "$t0")" >&2 ;;
            *) printf 'teardown took %ss; the tutorial FAILED (exit %d)\n' "$(seconds_since "$t0")" "$rc" >&2 ;;
        esac
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- helpers --

# app_get PORT PATH: prints "STATUS BODY" of GET http://127.0.0.1:PORT/PATH,
# from inside the sandbox's network namespace (or the host's with --host-engine)
app_get() {
    local out code
    out=$(mktemp "$WORK/http.XXXXXX")
    if [[ -n $HOST_ENGINE ]]; then
        code=$(curl -sS -o "$out" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1$2" 2>/dev/null) || true
    else
        code=$(nsenter --net="$WT_NETNS_PATH" curl -sS -o "$out" -w '%{http_code}' --max-time 5 \
            "http://127.0.0.1:$1$2" 2>/dev/null) || true
    fi
    printf '%s %s\n' "${code:-000}" "$(head -c 300 "$out" | tr '\n' ' ')"
    rm -f "$out"
}

# wait_app PORT: until GET / answers 200 (30 s)
wait_app() {
    local i
    for i in $(seq 150); do
        [[ $(app_get "$1" /) == 200* ]] && return 0
        sleep 0.2
    done
    return 1
}

# wiretap_curl ARGS...: curl to wiretap, where it listens
wiretap_curl() {
    if [[ -n $HOST_ENGINE ]]; then curl "$@"; else nsenter --net="$WT_NETNS_PATH" curl "$@"; fi
}

# what wiretap and the apps must keep: name, port bindings, env, restart policy
KEPT_FORMAT='name={{.Name}} ports={{json .HostConfig.PortBindings}} env={{json .Config.Env}} restart={{json .HostConfig.RestartPolicy}}'

# ------------------------------------------------------------- the steps --

printf 'wiretap: the seed tutorial end to end (DOCKER_HUB_USERNAME=%s)\n' "$USER_NAME"
WORK=$(mktemp -d /tmp/wiretap-tutorial.XXXXXX)
say "work folder: $WORK"

if [[ -z $HOST_ENGINE ]]; then
    step "Start a private Docker engine and registry (network namespace; 127.0.0.1:5000 is also the Docker Hub mirror)"
    SANDBOX=$WORK/sandbox
    WT_SANDBOX_OWNER_PID=$$ bash "$ROOT/tests/e2e/sandbox.sh" up "$SANDBOX" >"$WORK/sandbox-up.log" 2>&1 || {
        cat "$WORK/sandbox-up.log" >&2
        fail "the sandbox did not start"
    }
    # shellcheck disable=SC1091
    source "$SANDBOX/env"
    say "network namespace $WT_NETNS; engine $(docker version --format '{{.Server.Version}}'); DOCKER_HOST=$DOCKER_HOST"
    IMAGE=$USER_NAME/hello-world-app
    WIRETAP_ADDR=127.0.0.1:8000
else
    step "Check the host's engine and start docker-registry on 127.0.0.1:5000"
    command -v docker-registry >/dev/null || fail "docker-registry is not installed (apt-get install docker-registry)"
    out=$(docker version --format '{{.Server.Version}}' 2>&1) ||
        fail "the engine your docker CLI reaches does not answer: $out"
    say "engine $out (${DOCKER_HOST:-the default socket})"
    ! curl -s -o /dev/null --max-time 2 http://127.0.0.1:5000/ ||
        fail "something already listens on 127.0.0.1:5000; stop it first"
    ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" ||
        fail "something already listens on 127.0.0.1:$PORT; set WIRETAP_PORT"
    for app in "${APPS[@]}"; do
        ! docker container inspect "${app%%:*}" >/dev/null 2>&1 ||
            fail "a container named ${app%%:*} already exists; this tutorial never touches containers it did not create"
    done
    mkdir -p "$WORK/registry"
    cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
  secret: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
EOF
    REGISTRY_PIDFILE=$WORK/registry/pid
    # shellcheck disable=SC2016 # $$ and $1 are the inner shell's
    setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$REGISTRY_PIDFILE" \
        docker-registry serve "$WORK/registry/config.yml" </dev/null >"$WORK/registry/log" 2>&1 &
    for i in $(seq 100); do
        curl -fs -o /dev/null --max-time 1 http://127.0.0.1:5000/v2/ && break
        ((i < 100)) || { cat "$WORK/registry/log" >&2; fail "docker-registry did not start"; }
        sleep 0.1
    done
    export WT_REGISTRY=127.0.0.1:5000 WT_SANDBOX_DIR=$WORK DOCKER_BUILDKIT=0
    IMAGE=$WT_REGISTRY/$USER_NAME/hello-world-app
    WIRETAP_ADDR=127.0.0.1:$PORT
    say "docker-registry serving $WORK/registry on 127.0.0.1:5000"
fi
step_done

step "Build $IMAGE v1 and push it"
say "(the seed's Flask app, as a busybox web app: GET / answers, GET /version does not exist yet)"
digest=$(build_web_image "$USER_NAME/hello-world-app:latest" "" "LABEL $LABEL") || fail "build or push failed"
say "pushed $WT_REGISTRY/$USER_NAME/hello-world-app:latest@$digest"
shows "docker pull $IMAGE"
out=$(docker pull "$IMAGE" 2>&1) || fail "docker pull $IMAGE failed: $out"
[[ -n $HOST_ENGINE ]] || say "pulled by its Docker Hub name through the mirror"
step_done

step "Run app1 and app2 from $IMAGE"
declare -A BEFORE
for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    extra=()
    [[ -z $HOST_ENGINE ]] || extra=(--label wiretap.enable=true)
    shows "docker run --detach --name $name --publish $port:5000 --restart unless-stopped --env GREETING=\"hello from $name\" $IMAGE"
    id=$(docker run --detach --name "$name" --publish "$port:5000" --restart unless-stopped \
        --env "GREETING=hello from $name" --label "$LABEL" "${extra[@]}" "$IMAGE" 2>&1) ||
        fail "docker run $name failed: $id"
    say "$id"
done
for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    wait_app "$port" || fail "$name does not answer on port $port: $(docker logs "$name" 2>&1 | tail -n 5)"
    BEFORE[$name]=$(docker inspect --format "$KEPT_FORMAT" "$name")
done
step_done

step "Start wiretap with a generated secret"
export TOKEN=${TOKEN:-$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')}
# shellcheck disable=SC2016 # shown, not run
shows 'export SECRET=$(openssl rand -hex 20)   # here: TOKEN'
mkdir -p "$WORK/state"
LOG=$WORK/wiretap.log
: >"$LOG"
args=(--port="${WIRETAP_ADDR##*:}" --set=http.address=127.0.0.1 --set=state.dir="$WORK/state")
if [[ -n $HOST_ENGINE ]]; then
    args+=(--set=deploy.labelEnable=true)
    "$WIRETAP_BIN" "${args[@]}" </dev/null >>"$LOG" 2>&1 &
else
    # in the sandbox's namespace, beside the apps: port 8000 of the host stays free
    nsenter --net="$WT_NETNS_PATH" "$WIRETAP_BIN" "${args[@]}" </dev/null >>"$LOG" 2>&1 &
fi
WIRETAP_PID=$!
# wiretap's log, as `docker logs -f wiretap` showed it in the seed, for the rest of the run
(tail -n +1 -s 0.1 -F --pid="$WIRETAP_PID" "$LOG" 2>/dev/null | sed -u 's/^/    wiretap | /') &
STREAM_PID=$!
for i in $(seq 300); do
    grep -q 'msg="Listening for webhooks"' "$LOG" && break
    kill -0 "$WIRETAP_PID" 2>/dev/null || fail "wiretap exited at start-up (its log is above)"
    ((i < 300)) || fail "wiretap did not start listening within 30 s"
    sleep 0.1
done
WEBHOOK_URL="http://$WIRETAP_ADDR/listen?token=$TOKEN"
say "WEBHOOK_URL=$WEBHOOK_URL"
[[ -n $HOST_ENGINE ]] || say "(wiretap listens inside the sandbox's network namespace, as the apps do)"
step_done

step "Check that /version does not exist yet"
for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    shows "curl http://127.0.0.1:$port/version      # $name"
    read -r code body < <(app_get "$port" /version)
    say "HTTP $code ${body:0:80}"
    [[ $code == 404 ]] || fail "$name: GET /version answered $code, expected 404"
done
step_done

step "Make the seed's code change (v2: GET /version answers 1.1) and push it"
say "the seed adds to app.py:  @app.route('/version') def version(): return '1.1'"
digest2=$(build_web_image "$USER_NAME/hello-world-app:latest" "1.1" "LABEL $LABEL") || fail "build or push failed"
say "pushed $WT_REGISTRY/$USER_NAME/hello-world-app:latest@$digest2 (v1 was ${digest:0:19}...)"
step_done

step "POST the registry's webhook to wiretap and watch it redeploy"
if [[ -z $HOST_ENGINE ]]; then
    # the seed's wh.json, exactly: Docker Hub's legacy shape (float timestamps, images[], no tag)
    cat >"$WORK/wh.json" <<EOF
{
  "push_data": {
    "images": [
        "27d47432a69bca5f2700e4dff7de0388ed65f9d3fb1ec645e2bc24c223dc1cc3",
        "51a9c7c1f8bb2fa19bcd09789a34e63f35abb80044bc10196e304f6634cc582c"
    ],
    "pushed_at": 1.417566161e+09,
    "pusher": "trustedbuilder"
  },
  "repository": {
    "comment_count": "0",
    "date_created": 1.417494799e+09,
    "description": "",
    "is_official": false,
    "is_private": true,
    "is_trusted": true,
    "name": "testhook",
    "namespace": "$USER_NAME",
    "owner": "$USER_NAME",
    "repo_name": "$USER_NAME/hello-world-app",
    "repo_url": "https://registry.hub.docker.com/u/$USER_NAME/hello-world-app/",
    "star_count": 0,
    "status": "Active"
  }
}
EOF
    say "wh.json: the seed's Docker Hub payload (repo_name $USER_NAME/hello-world-app, no tag: latest)"
else
    printf '{"image": "%s:latest"}\n' "$IMAGE" >"$WORK/wh.json"
    say "wh.json: $(cat "$WORK/wh.json") (wiretap's generic format: a Docker Hub webhook always names Docker Hub)"
fi
shows "curl -i -X POST \"\$WEBHOOK_URL\" --data \"@wh.json\""
answer=$(wiretap_curl -sS -i --max-time 30 -X POST "$WEBHOOK_URL" --data "@$WORK/wh.json" 2>&1) ||
    fail "POST to $WIRETAP_ADDR failed: $answer"
printf '%s\n' "$answer" | sed -e 's/\r$//' -e '/^$/d' -e 's/^/    > /'
[[ $(printf '%s\n' "$answer" | head -n 1) == *" 202 "* ]] || fail "wiretap did not answer 202 Accepted"
deploy_id=$(printf '%s\n' "$answer" | sed -n 's/.*"deploy" *: *"\([^"]*\)".*/\1/p' | head -n 1)
[[ -n $deploy_id ]] || fail "no deploy id in wiretap's answer"
for i in $(seq 900); do
    finished=$(grep -F "msg=\"Deploy finished\" Deploy=$deploy_id " "$LOG" || true)
    [[ -z $finished ]] || break
    kill -0 "$WIRETAP_PID" 2>/dev/null || fail "wiretap exited during the deploy"
    ((i < 900)) || fail "deploy $deploy_id did not finish within 90 s"
    sleep 0.1
done
sleep 0.3 # let the log stream catch up before the next step's lines
[[ $finished == *"Result=updated"* ]] || fail "deploy $deploy_id did not update the apps: $finished"
step_done

step "Check that both apps serve v2 with the same names, ports and configuration"
for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    shows "curl http://127.0.0.1:$port/version      # $name"
    read -r code body < <(app_get "$port" /version)
    say "HTTP $code $body"
    [[ $code == 200 && $body == 1.1 ]] || fail "$name: GET /version answered '$code $body', expected '200 1.1'"
done
for app in "${APPS[@]}"; do
    name=${app%%:*}
    after=$(docker inspect --format "$KEPT_FORMAT" "$name") || fail "$name is gone"
    if [[ $after != "${BEFORE[$name]}" ]]; then
        printf '    before: %s\n    after:  %s\n' "${BEFORE[$name]}" "$after"
        fail "$name: its name, ports, env or restart policy changed"
    fi
    say "$name unchanged: $after"
done
step_done

# step 9 (teardown) runs in cleanup, on every exit
