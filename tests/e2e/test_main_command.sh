#!/usr/bin/env bash
# tests/e2e/test_main_command.sh - the README's main command, `sudo scripts/run.sh`
# (the seed tutorial end to end on its own sandbox), run as a user would, with
# the binary already built (WIRETAP_BIN). Checks its output — every step's
# progress line and time, both apps answering 1.1 after the webhook, unchanged
# configuration — and that nothing is left behind: no network namespace, no
# daemon or wiretap process, no sandbox record, no temporary folder. Then runs
# it again and presses Ctrl-C (SIGINT to its process group) once wiretap is up:
# it must clean up just as well.
#
# Needs root, and no shared sandbox (the main command starts its own).
set -euo pipefail

SRC=${WIRETAP_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export WIRETAP_BIN=${WIRETAP_BIN:?set WIRETAP_BIN to the built wiretap}
REG_DIR=${WT_SANDBOX_REG_DIR:-/run/wiretap-sandboxes}
SCRATCH=$(mktemp -d /tmp/wiretap-test-main.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT

log() { printf '[test_main_command %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
FAILURES=0
check() { # DESCRIPTION COMMAND...: one named check; the test fails at the end if any failed
    local what=$1
    shift
    if "$@"; then
        log "ok: $what"
    else
        log "FAIL: $what"
        FAILURES=$((FAILURES + 1))
    fi
}
has() { grep -qE -- "$2" "$1"; }
has_not() { ! grep -qE -- "$2" "$1"; }
has_step() { has "$1" "^==> \[$2/9\] [A-Z]" && has "$1" "^ +\[$2/9\] done in [0-9]+\.[0-9]s\$"; }
# answers OUTPUT PORT: the app's answers to the tutorial's GET /version, in order
answers() {
    awk -v url="\$ curl http://127.0.0.1:$2/version" 'after { sub(/^ +/, ""); print; after = 0 }
        index($0, url) { after = 1 }' "$1"
}
answered() { # OUTPUT PORT FIRST LAST
    [[ $(answers "$1" "$2" | head -n 1) == "$3"* && $(answers "$1" "$2" | tail -n 1) == "$4" ]]
}
redeployed() { # OUTPUT APP
    has "$1" "msg=\"Killing container\" ID=[0-9a-f]{64} Name=$2 Signal=SIGTERM" &&
        has "$1" "msg=\"New container created\" ID=[0-9a-f]{64} Name=$2 "
}

# leftovers_of OUTPUT: every trace of the run whose output is OUTPUT; prints them, fails if any
leftovers_of() {
    local out=$1 work ns pid found=0
    work=$(sed -n 's/^ *work folder: \(\/tmp\/wiretap-tutorial\.[A-Za-z0-9]*\)$/\1/p' "$out" | head -n 1)
    ns=$(sed -n 's/^ *network namespace \(wtt-[0-9-]*\);.*/\1/p' "$out" | head -n 1)
    pid=$(sed -n 's/.*msg="Listening for webhooks".* Pid=\([0-9]*\).*/\1/p' "$out" | head -n 1)
    [[ -n $work ]] || { echo "no work folder in the output"; return 1; }
    if [[ -e $work ]]; then echo "folder $work still exists"; found=1; fi
    if pgrep -f -- "$work" >/dev/null; then
        echo "processes still running from $work: $(pgrep -af -- "$work" | tr '\n' ';')"
        found=1
    fi
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then echo "wiretap (pid $pid) still runs"; found=1; fi
    if [[ -n $ns ]]; then
        if ip netns list | grep -qw -- "$ns"; then echo "network namespace $ns still exists"; found=1; fi
        if compgen -G "$REG_DIR/$ns*" >/dev/null; then echo "sandbox record $REG_DIR/$ns still exists"; found=1; fi
        if [[ -n $(find /sys/fs/cgroup -maxdepth 2 -type d -name "$ns" 2>/dev/null) ]]; then
            echo "cgroup $ns still exists"
            found=1
        fi
    fi
    return "$found"
}

# ---- 1: the whole tutorial
out=$SCRATCH/run.out
log "running scripts/run.sh (WIRETAP_BIN=$WIRETAP_BIN)"
start=$SECONDS
rc=0
timeout --signal=INT --kill-after=60 300 "$SRC/scripts/run.sh" >"$out" 2>&1 </dev/null || rc=$?
took=$((SECONDS - start))
sed 's/^/  | /' "$out" >&2
log "scripts/run.sh exited $rc after ${took}s"

check "run.sh exits 0" test "$rc" -eq 0
for n in 1 2 3 4 5 6 7 8 9; do
    check "step $n/9 has its progress line and its time" has_step "$out" "$n"
done
check "wiretap answers the seed's Docker Hub payload with 202" has "$out" '^ +> HTTP/1\.1 202 Accepted'
check "wiretap's log lines are streamed, prefixed" \
    has "$out" '^ +wiretap \| time=".*" level=info msg="Pulling newer image" Image="demo/hello-world-app:latest"'
for app in app1:8001 app2:8002; do
    check "${app%:*}: /version is 404 before the webhook and 1.1 after it" \
        answered "$out" "${app#*:}" "HTTP 404 " "HTTP 200 1.1"
    check "wiretap's log shows ${app%:*} redeployed" redeployed "$out" "${app%:*}"
done
check "the deploy finished as updated" has "$out" 'msg="Deploy finished" .* Result=updated '
for app in app1 app2; do
    check "$app keeps its name, ports, env and restart policy" \
        has "$out" "^ +$app unchanged: name=/$app ports=.*HostPort\":\"800[12]\".* env=.*GREETING=hello from $app.* restart=.*unless-stopped"
done
check "it reports PASS" has "$out" '^PASS: '
check "it takes under two minutes after the build" test "$took" -lt 120
if ! leftovers=$(leftovers_of "$out"); then
    check "nothing is left behind ($leftovers)" false
else
    check "nothing is left behind" true
fi

# ---- 2: interrupted (Ctrl-C: SIGINT to the process group) once wiretap is up
out2=$SCRATCH/interrupted.out
log "running scripts/run.sh again, to interrupt it once wiretap listens"
# a process group of its own, with SIGINT not ignored (as in a terminal)
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' "$SRC/scripts/run.sh" >"$out2" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1200); do
    grep -q 'WEBHOOK_URL=' "$out2" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
check "the second run got as far as wiretap listening" has "$out2" 'WEBHOOK_URL='
kill -INT -- "-$pid" 2>/dev/null || true
rc=0
for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    log "run.sh still runs 60s after SIGINT; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
fi
wait "$pid" || rc=$?
sed 's/^/  | /' "$out2" >&2
check "interrupted, run.sh exits non-zero ($rc)" test "$rc" -ne 0
check "interrupted, it does not report PASS" has_not "$out2" '^PASS: '
check "interrupted, it says it tears down" has "$out2" 'tearing down what was started'
if ! leftovers=$(leftovers_of "$out2"); then
    check "interrupted, nothing is left behind ($leftovers)" false
else
    check "interrupted, nothing is left behind" true
fi

if ((FAILURES)); then
    log "FAILED: $FAILURES check(s)"
    exit 1
fi
log "PASS"
