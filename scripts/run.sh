#!/usr/bin/env bash
# The main job on a Debian 12 machine: installs what is missing, builds, and
# runs the seed tutorial end to end (scripts/tutorial.sh): two apps on
# <user>/hello-world-app, a push, the Docker Hub webhook, both apps redeployed
# by wiretap with the same names, ports and configuration; then tears it all down.
#
# Usage: sudo scripts/run.sh [--host-engine] [--serve [WIRETAP_ARGS...]]
#
#   (no option)    the tutorial, on a private Docker engine and registry started
#                  for the occasion in a network namespace (tests/e2e/sandbox.sh):
#                  the host's containers are never touched.
#   --serve        instead, just run wiretap in the foreground on port 8000 with
#                  a generated TOKEN (it prints the webhook URL); Ctrl-C stops it
#                  and cleans up. Arguments after it go to wiretap.
#   --host-engine  use the engine your docker CLI reaches instead of a private
#                  one; the tutorial then serves its images from Debian's
#                  docker-registry on 127.0.0.1:5000 (see scripts/tutorial.sh).
#
# Environment: DOCKER_HUB_USERNAME (default demo), TOKEN (default: generated),
# WIRETAP_BIN (an already built wiretap: skips installing and building),
# WIRETAP_BUILD_DIR (default build), WIRETAP_PORT (default 8000; --serve, --host-engine),
# WIRETAP_STATE_DIR (--serve only).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

usage() { sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

host_engine="" serve=""
while [ $# -gt 0 ]; do
    case $1 in
        --host-engine) host_engine=1; shift ;;
        --serve) serve=1; shift; break ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
if [ -z "$serve" ] && [ $# -gt 0 ]; then
    echo "run.sh: wiretap arguments are for --serve" >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: run as root (sudo $0): it installs packages and starts a sandboxed engine" >&2
    exit 1
fi

step() { printf '==> %s\n' "$*" >&2; }

if [ -n "${WIRETAP_BIN:-}" ]; then
    [ -x "$WIRETAP_BIN" ] || { echo "run.sh: WIRETAP_BIN=$WIRETAP_BIN is not executable" >&2; exit 1; }
    step "using $WIRETAP_BIN (WIRETAP_BIN: no install, no build)"
else
    step "installing what is missing"
    scripts/install-deps.sh >&2
    build=${WIRETAP_BUILD_DIR:-build}
    step "building wiretap in $build"
    t0=$SECONDS
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j"$(nproc)" --target wiretap >/dev/null
    step "built in $((SECONDS - t0))s"
    WIRETAP_BIN=$PWD/$build/src/wiretap
fi
export WIRETAP_BIN

if [ -z "$serve" ]; then
    exec scripts/tutorial.sh ${host_engine:+--host-engine}
fi

# --serve: wiretap in the foreground until Ctrl-C
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
"$WIRETAP_BIN" --port="$port" --set=state.dir="$state" "$@"
