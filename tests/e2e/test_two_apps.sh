#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# tests/e2e/test_two_apps.sh - e2e smoke test of the sandbox: two copies of the
# demo web app, pulled by their Docker Hub name through the sandbox mirror.
#
# Usage: test_two_apps.sh [STATE_DIR]     (default: $WT_SANDBOX_DIR)
#   STATE_DIR is a sandbox started with `tests/e2e/sandbox.sh up STATE_DIR`.
#
# Builds and pushes 127.0.0.1:5000/demo/hello-world-app:latest (v1: no /version),
# runs app1 (--publish 8001:5000) and app2 (--publish 8002:5000) from
# `demo/hello-world-app`, checks GET / answers and GET /version is 404 on both
# (from inside the sandbox namespace), and removes its containers on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck disable=SC2034 # used by lib.sh
E2E_LOG_TAG=test_two_apps

e2e_load_env "${1:-${WT_SANDBOX_DIR:-}}"

PUSH_REF=$WT_REGISTRY/demo/hello-world-app:latest
HUB_NAME=demo/hello-world-app # docker.io/demo/hello-world-app, served by the mirror
LABEL=wiretap.e2e.test=test_two_apps
APPS=("app1:8001" "app2:8002")

cleanup() {
    local rc=$?
    e2e_remove_containers_labeled "$LABEL" || e2e_log "warning: could not remove the test containers"
    if ((rc == 0)); then e2e_log "PASS"; else e2e_log "FAILED (exit $rc)"; fi
    return "$rc"
}
trap cleanup EXIT

# leftovers of an earlier, interrupted run of this test
e2e_remove_containers_labeled "$LABEL"
for app in "${APPS[@]}"; do
    name=${app%%:*}
    if docker container inspect "$name" >/dev/null 2>&1; then
        e2e_fail "a container named $name (not made by this test) already exists in the sandbox"
    fi
done

digest=$(build_web_image "$PUSH_REF" "")
e2e_log "pushed $PUSH_REF@$digest"

# Drop any local copy of the Docker Hub name, so that the pull below has to
# fetch the manifest through the registry mirror (there is no internet here).
docker image rm "$HUB_NAME" >/dev/null 2>&1 || true
e2e_log "pulling $HUB_NAME through the mirror"
out=$(docker pull "$HUB_NAME" 2>&1) || e2e_fail "docker pull $HUB_NAME failed: $out"
repo_digests=$(docker image inspect --format '{{join .RepoDigests " "}}' "$HUB_NAME") ||
    e2e_fail "no local image $HUB_NAME after pull"
[[ " $repo_digests " == *" $HUB_NAME@$digest "* ]] ||
    e2e_fail "$HUB_NAME has digests '$repo_digests', expected $HUB_NAME@$digest (the pushed one)"

for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    e2e_log "starting $name on port $port"
    out=$(docker run -d --name "$name" --label "$LABEL" --publish "$port:5000" "$HUB_NAME" 2>&1) ||
        e2e_fail "docker run $name failed: $out"
done

for app in "${APPS[@]}"; do
    name=${app%%:*} port=${app#*:}
    image=$(docker container inspect --format '{{.Config.Image}}' "$name")
    [[ $image == "$HUB_NAME" ]] || e2e_fail "$name runs image '$image', expected $HUB_NAME"
    body=$(wait_http_in_ns "http://127.0.0.1:$port/" 30 "hello-world-app") ||
        e2e_fail "$name: GET http://127.0.0.1:$port/ did not answer with the app's page (logs: $(docker logs "$name" 2>&1 | tail -n 5))"
    [[ $body == *"version none"* ]] || e2e_fail "$name: unexpected index page: $body"
    status=$(http_status_in_ns "http://127.0.0.1:$port/version")
    [[ $status == 404 ]] || e2e_fail "$name: GET /version returned HTTP $status, expected 404 (v1 has no /version)"
    e2e_log "$name OK: GET / -> 200, GET /version -> 404"
done
