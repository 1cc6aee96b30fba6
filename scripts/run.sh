#!/usr/bin/env bash
# The main job on a Debian 12 machine: installs what is missing, builds, and
# runs wiretap in the foreground (Ctrl-C stops it and cleans up).
#
# By default wiretap drives a private Docker engine and registry started for
# the occasion in a network namespace (tests/e2e/sandbox.sh), so the host's
# containers are never touched; --host-engine uses the engine the docker CLI
# reaches instead. TOKEN is generated when not set. Other arguments go to wiretap.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root (sudo $0): it installs packages and starts a sandboxed engine" >&2
    exit 1
fi
host_engine=
if [ "${1:-}" = "--host-engine" ]; then
    host_engine=1
    shift
fi

step() { printf '==> %s\n' "$*" >&2; }

step "installing what is missing"
scripts/install-deps.sh >&2
build=${WIRETAP_BUILD_DIR:-build}
step "building wiretap"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target wiretap >/dev/null

if [ -z "$host_engine" ]; then
    sandbox=$(mktemp -d /tmp/wiretap-run.XXXXXX)
    cleanup() { bash tests/e2e/sandbox.sh down "$sandbox" >/dev/null 2>&1 || true; }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    step "starting a private Docker engine and registry (127.0.0.1:5000, also the Docker Hub mirror)"
    WT_SANDBOX_OWNER_PID=$$ bash tests/e2e/sandbox.sh up "$sandbox" >/dev/null
    # shellcheck disable=SC1091
    source "$sandbox/env"
    step "DOCKER_HOST=$DOCKER_HOST (containers run in network namespace $WT_NETNS)"
fi

export TOKEN=${TOKEN:-$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')}
state=${WIRETAP_STATE_DIR:-${sandbox:-$(mktemp -d /tmp/wiretap-state.XXXXXX)}/state}
mkdir -p "$state"
port=${WIRETAP_PORT:-8000}
step "webhook URL: http://$(hostname -I 2>/dev/null | awk '{print $1}'):$port/listen?token=$TOKEN"
"$build/src/wiretap" --port="$port" --set=state.dir="$state" "$@"
