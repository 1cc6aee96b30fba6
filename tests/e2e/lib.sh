# shellcheck shell=bash
# tests/e2e/lib.sh - helpers for wiretap's e2e test scripts (bash; source it).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   e2e_load_env "${1:-${WT_SANDBOX_DIR:-}}"   # a sandbox started by sandbox.sh up
#
# Functions:
#   e2e_log MSG...                 progress message on stderr
#   e2e_fail MSG...                print "FAIL: MSG" on stderr and exit 1
#   e2e_load_env [STATE_DIR]       source STATE_DIR/env (default $WT_SANDBOX_DIR),
#                                  check the engine answers; fails otherwise
#   in_ns CMD...                   run CMD inside the sandbox's network namespace
#   http_get_in_ns URL             print the body; non-zero on HTTP error/no connection
#   http_status_in_ns URL          print the HTTP status code (000: no connection)
#   wait_http_in_ns URL [TIMEOUT_S=30] [SUBSTRING]
#                                  wait until GET URL succeeds (and its body contains
#                                  SUBSTRING); print the body; non-zero on timeout
#   build_web_image TAG VERSION|"" [DOCKERFILE_LINE...]
#                                  build the busybox httpd test app (images/web) as TAG
#                                  (prefixed with $WT_REGISTRY/ unless it already is),
#                                  push it, print its pushed digest (sha256:...)
#   e2e_remove_containers_labeled KEY=VALUE
#                                  docker rm -f every container with that label

[[ -n ${_WT_E2E_LIB_LOADED:-} ]] && return 0
_WT_E2E_LIB_LOADED=1

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_BUSYBOX=${E2E_BUSYBOX:-/bin/busybox}
E2E_LOG_TAG=${E2E_LOG_TAG:-e2e}

e2e_log() { printf '[%s %s] %s\n' "$E2E_LOG_TAG" "$(date +%H:%M:%S.%3N)" "$*" >&2; }

e2e_fail() {
    printf '[%s %s] FAIL: %s\n' "$E2E_LOG_TAG" "$(date +%H:%M:%S.%3N)" "$*" >&2
    exit 1
}

e2e_load_env() {
    local dir=${1:-${WT_SANDBOX_DIR:-}} out
    [[ -n $dir ]] || e2e_fail "no sandbox: pass its STATE_DIR or set WT_SANDBOX_DIR (start one with tests/e2e/sandbox.sh up STATE_DIR)"
    [[ -f $dir/env ]] || e2e_fail "no sandbox env file at $dir/env (is the sandbox up? run tests/e2e/sandbox.sh up $dir)"
    # shellcheck disable=SC1091
    source "$dir/env"
    [[ -e $WT_NETNS_PATH ]] || e2e_fail "the sandbox's network namespace $WT_NETNS_PATH is gone"
    out=$(docker version --format '{{.Server.Version}}' 2>&1) ||
        e2e_fail "the sandbox engine does not answer on $DOCKER_HOST: $out"
}

in_ns() {
    nsenter --net="${WT_NETNS_PATH:?e2e_load_env first}" -- "$@"
}

_e2e_have_curl() { command -v curl >/dev/null 2>&1; }

http_get_in_ns() {
    if _e2e_have_curl; then
        in_ns curl -fsS --max-time 5 -- "$1"
    else
        in_ns busybox wget -q -O - -T 5 "$1"
    fi
}

http_status_in_ns() {
    local code
    if _e2e_have_curl; then
        code=$(in_ns curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -- "$1" 2>/dev/null) || true
    else
        code=$(in_ns busybox wget -S -q -O /dev/null -T 5 "$1" 2>&1 |
            awk '$1 ~ /^HTTP\// {c = $2} END {print c}') || true
    fi
    echo "${code:-000}"
}

wait_http_in_ns() {
    local url=$1 timeout=${2:-30} want=${3:-} body="" deadline
    deadline=$((SECONDS + timeout))
    while :; do
        if body=$(http_get_in_ns "$url" 2>/dev/null) && [[ -z $want || $body == *"$want"* ]]; then
            printf '%s\n' "$body"
            return 0
        fi
        if ((SECONDS >= deadline)); then
            e2e_log "timeout (${timeout}s) waiting for GET $url${want:+ to contain \"$want\"}: last status $(http_status_in_ns "$url"), body '${body:0:200}'"
            return 1
        fi
        sleep 0.2
    done
}

build_web_image() {
    (($# >= 2)) || e2e_fail "usage: build_web_image TAG VERSION|\"\" [DOCKERFILE_LINE...]"
    local tag=$1 version=$2 ctx out line digest
    shift 2
    [[ $tag == "$WT_REGISTRY"/* ]] || tag=$WT_REGISTRY/$tag
    [[ -x $E2E_BUSYBOX ]] || e2e_fail "static busybox not found at $E2E_BUSYBOX (apt-get install busybox-static)"
    ctx=$(mktemp -d "$WT_SANDBOX_DIR/build.XXXXXX")
    cp -R "$E2E_DIR/images/web/." "$ctx/"
    cp "$E2E_BUSYBOX" "$ctx/busybox"
    sed -i -e "s|@TAG@|${tag//|/\\|}|g" -e "s|@VERSION@|${version:-none}|g" "$ctx/www/index.html"
    if [[ -n $version ]]; then
        printf '%s' "$version" >"$ctx/www/version"
        printf 'LABEL org.opencontainers.image.version="%s"\n' "$version" >>"$ctx/Dockerfile"
    fi
    for line in "$@"; do printf '%s\n' "$line" >>"$ctx/Dockerfile"; done
    e2e_log "building $tag (version: ${version:-none})"
    if ! out=$(DOCKER_BUILDKIT=0 docker build --pull=false -t "$tag" "$ctx" 2>&1); then
        rm -rf "$ctx"
        printf '%s\n' "$out" >&2
        e2e_fail "docker build of $tag failed"
    fi
    rm -rf "$ctx"
    e2e_log "pushing $tag"
    out=$(docker push "$tag" 2>&1) || {
        printf '%s\n' "$out" >&2
        e2e_fail "docker push of $tag failed"
    }
    digest=$(printf '%s\n' "$out" | sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p' | tail -n 1)
    [[ -n $digest ]] || e2e_fail "no digest in the output of docker push $tag: $out"
    echo "$digest"
}

e2e_remove_containers_labeled() {
    local ids
    ids=$(docker ps -aq --filter "label=$1") || return 1
    [[ -n $ids ]] || return 0
    # shellcheck disable=SC2086
    docker rm -f $ids >/dev/null
}
