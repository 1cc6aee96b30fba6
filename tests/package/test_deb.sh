#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# tests/package/test_deb.sh - the Debian package, built, linted, installed and
# run the way an admin would, then removed and purged.
#
# Usage: test_deb.sh SOURCE_DIR VERSION      (as root; WT_SANDBOX_DIR: a sandbox
#                                             started by tests/e2e/sandbox.sh up)
#
# Builds wiretap_VERSION_ARCH.deb with scripts/package.sh (a temporary copy of
# the tree), runs lintian (errors fail), checks its files, conffiles and
# dependencies, installs it with dpkg -i (apt-get -f install for missing
# dependencies; policy-rc.d keeps any service from starting), checks the user,
# the state folder, `wiretap --version` and `--check-config`, runs
# systemd-analyze verify on the installed unit, then starts the installed
# binary as the user wiretap exactly as the unit would (its ExecStart, its
# Environment=, /etc/default/wiretap) against the sandbox engine and drives one
# Docker Hub webhook to a redeploy. dpkg -r keeps the configuration, dpkg -P
# removes it. On exit, also on failure: the package is purged, the user removed
# if this test created it, the test's containers removed.
set -euo pipefail

SOURCE_DIR=$(cd "${1:?usage: test_deb.sh SOURCE_DIR VERSION}" && pwd)
VERSION=${2:?usage: test_deb.sh SOURCE_DIR VERSION}
E2E_LOG_TAG=package.deb
# shellcheck source=../e2e/lib.sh
source "$SOURCE_DIR/tests/e2e/lib.sh"
log() { e2e_log "$@"; }
fail() { e2e_fail "$@"; }

[[ $(id -u) == 0 ]] || fail "run as root: the test installs the package"
for tool in dpkg-buildpackage dh lintian setpriv curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done
status=$(dpkg-query -W -f='${Status}' wiretap 2>/dev/null || true)
[[ -z $status || $status == *not-installed ]] ||
    fail "a wiretap package is already on this machine ($status); this test would replace it: dpkg -P wiretap first"

e2e_load_env "${WT_SANDBOX_DIR:-}" # before the build: fail fast without a sandbox

ARCH=$(dpkg --print-architecture)
DEB=wiretap_${VERSION}_$ARCH.deb
CONFIG=/etc/wiretap/wiretap.properties
DEFAULTS=/etc/default/wiretap
UNIT=/lib/systemd/system/wiretap.service
LABEL=wiretap.e2e.test=package_deb
APP=wiretap-package-app
HUB_NAME=demo/wiretap-package-app # served by the sandbox's Docker Hub mirror
APP_PORT=8021

work=$(mktemp -d /tmp/wiretap-test-deb.XXXXXX)
user_existed=$(getent passwd wiretap >/dev/null && echo 1 || true)
group_existed=$(getent group wiretap >/dev/null && echo 1 || true)
own_policy=
acl_socket=
wiretap_pid=

cleanup() {
    local rc=$? st
    set +e
    if [[ -n $wiretap_pid ]] && kill -0 "$wiretap_pid" 2>/dev/null; then
        kill -TERM "$wiretap_pid"
        timeout 30 tail --pid="$wiretap_pid" -f /dev/null
        kill -KILL "$wiretap_pid" 2>/dev/null
    fi
    e2e_remove_containers_labeled "$LABEL"
    [[ -z $acl_socket ]] || setfacl -x u:wiretap "$acl_socket"
    st=$(dpkg-query -W -f='${Status}' wiretap 2>/dev/null)
    if [[ -n $st && $st != *not-installed ]]; then
        log "cleanup: purging the package"
        dpkg -P wiretap >/dev/null || log "warning: dpkg -P wiretap failed"
    fi
    if [[ -z $user_existed ]] && getent passwd wiretap >/dev/null; then
        userdel wiretap || log "warning: could not remove the user wiretap"
    fi
    if [[ -z $group_existed ]] && getent group wiretap >/dev/null; then
        groupdel wiretap || log "warning: could not remove the group wiretap"
    fi
    [[ -z $own_policy ]] || rm -f /usr/sbin/policy-rc.d
    rm -rf "$work"
    if ((rc == 0)); then log "PASS"; else log "FAILED (exit $rc)"; fi
    return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build --
t0=$SECONDS
WIRETAP_PACKAGE_JOBS=${WIRETAP_PACKAGE_JOBS:-2} "$SOURCE_DIR/scripts/package.sh" deb "$work/out"
log "TIMING deb build: $((SECONDS - t0)) s"
[[ -f $work/out/$DEB ]] || fail "no $DEB"

log "lintian"
# lintian exits non-zero on errors (its default --fail-on); warnings are shown.
lintian --pedantic "$work/out/wiretap_${VERSION}_$ARCH.changes" >"$work/lintian.txt" 2>&1 || {
    cat "$work/lintian.txt" >&2
    fail "lintian reports errors"
}
grep -v '^running with root' "$work/lintian.txt" >&2 || true
log "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings"

contents=$(dpkg-deb -c "$work/out/$DEB" | awk '{print $6}')
for f in ./usr/bin/wiretap ./etc/wiretap/wiretap.properties ./etc/default/wiretap \
    ./lib/systemd/system/wiretap.service ./usr/share/man/man8/wiretap.8.gz \
    ./usr/share/doc/wiretap/copyright; do
    grep -qx -- "$f" <<<"$contents" || fail "$DEB lacks $f; it has: $contents"
done
dpkg-deb -e "$work/out/$DEB" "$work/control"
for f in "$CONFIG" "$DEFAULTS"; do
    grep -qx -- "$f" "$work/control/conffiles" || fail "$f is not a conffile: $(cat "$work/control/conffiles")"
done
depends=$(dpkg-deb -f "$work/out/$DEB" Depends)
recommends=$(dpkg-deb -f "$work/out/$DEB" Recommends)
for lib in libpocofoundation libpoconet libpocoutil libpocojson adduser; do
    [[ $depends == *"$lib"* ]] || fail "Depends has no $lib: $depends"
done
[[ $recommends == "docker.io | docker-ce-cli" ]] || fail "Recommends: '$recommends'"
dpkg-deb --fsys-tarfile "$work/out/$DEB" | tar -tvf - ./etc/default/wiretap | grep -q '^-rw------- ' ||
    fail "/etc/default/wiretap is not 0600 in the package"

# ---------------------------------------------------------------- install --
# No service may start on this machine: policy-rc.d says no to invoke-rc.d
# and deb-systemd-invoke (the unit is not started at installation anyway).
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
fi
log "dpkg -i $DEB"
if ! dpkg -i "$work/out/$DEB" >"$work/dpkg.log" 2>&1; then
    log "installing missing dependencies: apt-get -f install"
    DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >>"$work/dpkg.log" 2>&1 || {
        cat "$work/dpkg.log" >&2
        fail "dpkg -i $DEB failed, and apt-get -f install did not fix it"
    }
fi
[[ $(dpkg-query -W -f='${Status} ${Version}' wiretap) == "install ok installed $VERSION" ]] ||
    fail "wiretap is not installed: $(dpkg-query -W -f='${Status} ${Version}' wiretap 2>&1)"

getent passwd wiretap >/dev/null || fail "the postinst made no user wiretap"
home=$(getent passwd wiretap | cut -d: -f6)
[[ $home == /var/lib/wiretap ]] || fail "wiretap's home is $home, expected /var/lib/wiretap"
if getent group docker >/dev/null; then
    id -nG wiretap | tr ' ' '\n' | grep -qx docker || fail "wiretap is not in the group docker: $(id wiretap)"
fi
[[ $(stat -c '%U:%G %a' /var/lib/wiretap) == "wiretap:wiretap 750" ]] ||
    fail "/var/lib/wiretap is $(stat -c '%U:%G %a' /var/lib/wiretap), expected wiretap:wiretap 750"
[[ $(stat -c '%U:%G %a' "$CONFIG") == "root:wiretap 640" ]] ||
    fail "$CONFIG is $(stat -c '%U:%G %a' "$CONFIG"), expected root:wiretap 640"
[[ $(stat -c '%U:%G %a' "$DEFAULTS") == "root:root 600" ]] ||
    fail "$DEFAULTS is $(stat -c '%U:%G %a' "$DEFAULTS"), expected root:root 600"

out=$(/usr/bin/wiretap --version)
[[ $out == "wiretap $VERSION" ]] || fail "/usr/bin/wiretap --version printed '$out', expected 'wiretap $VERSION'"
log "/usr/bin/wiretap --version: $out"
man_path=$(man -w wiretap 2>&1) || fail "man -w wiretap: $man_path"
[[ $man_path == /usr/share/man/man8/wiretap.8.gz ]] || fail "man -w wiretap found $man_path"

if command -v systemd-analyze >/dev/null; then
    # Without systemd as PID 1 verify still parses the unit and checks its
    # commands and man page; every line it prints about wiretap is a failure.
    rc=0
    verify=$(systemd-analyze verify "$UNIT" 2>&1) || rc=$?
    if [[ $rc != 0 ]] || grep -q wiretap <<<"$verify"; then
        fail "systemd-analyze verify $UNIT (exit $rc): $verify"
    fi
    [[ -z $verify ]] || log "systemd-analyze verify, about other units: $verify"
    log "systemd-analyze verify $UNIT: clean"
    # The hardening, scored offline (0 = locked down, 10 = none); 2.0 at most.
    security=$(systemd-analyze security --offline=true --threshold=20 "$UNIT" 2>&1) ||
        fail "systemd-analyze security: the unit's exposure is above 2.0: $security"
    log "systemd-analyze security: ${security##*$'\n'}"
else
    log "SKIP systemd-analyze: not installed"
fi

# -------------------------------------------------- run it as the service --
token=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
# What an admin does: TOKEN and the engine in the environment file.
cat >>"$DEFAULTS" <<EOF
TOKEN=$token
DOCKER_HOST=$DOCKER_HOST
EOF

socket=${DOCKER_HOST#unix://}
if [[ $(stat -c %G "$socket") == docker ]] && getent group docker >/dev/null; then
    log "the sandbox's socket belongs to the group docker: wiretap reaches it through the postinst's membership"
else
    setfacl -m u:wiretap:rw "$socket"
    acl_socket=$socket
    log "granted wiretap rw on the sandbox's socket $socket (ACL, removed afterwards)"
fi

# The unit's command line and environment, as systemd would set them up.
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
[[ $exec_start == "/usr/bin/wiretap --config=$CONFIG" ]] || fail "unexpected ExecStart=$exec_start"
grep -qx "EnvironmentFile=-$DEFAULTS" "$UNIT" || fail "the unit does not read $DEFAULTS"
grep -qx "User=wiretap" "$UNIT" || fail "the unit does not run as User=wiretap"
mapfile -t unit_env < <(sed -n 's/^Environment=//p' "$UNIT")
mapfile -t file_env < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$DEFAULTS")
service_env=(HOME=/var/lib/wiretap USER=wiretap LOGNAME=wiretap SHELL=/usr/sbin/nologin
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    STATE_DIRECTORY=/var/lib/wiretap LOGS_DIRECTORY=/var/log/wiretap
    "${unit_env[@]}" "${file_env[@]}")
# (exec all along: the pid of a background as_service is wiretap's)
as_service=(setpriv --reuid=wiretap --regid=wiretap --init-groups env -i "${service_env[@]}"
    /bin/sh -c 'umask 0027 && cd / && exec "$@"' service)

rc=0
out=$("${as_service[@]}" /usr/bin/wiretap --config="$CONFIG" --check-config 2>&1) || rc=$?
[[ $rc == 0 ]] || fail "wiretap --check-config with the installed configuration exited $rc: $out"
[[ $out != *"$token"* ]] || fail "--check-config printed the token unmasked: $out"
log "--check-config as wiretap: OK"

out=$("${as_service[@]}" docker version --format '{{.Server.Version}}' 2>&1) ||
    fail "the user wiretap cannot use the sandbox engine: $out"

e2e_remove_containers_labeled "$LABEL"
docker rm -f "$APP" >/dev/null 2>&1 || true
build_web_image "$HUB_NAME:latest" "" >/dev/null
docker pull -q "$HUB_NAME" >/dev/null
docker run -d --name "$APP" --label "$LABEL" --publish "$APP_PORT:5000" "$HUB_NAME" >/dev/null
old_id=$(docker container inspect -f '{{.Id}}' "$APP")
wait_http_in_ns "http://127.0.0.1:$APP_PORT/" 30 >/dev/null || fail "$APP does not answer"
[[ $(http_status_in_ns "http://127.0.0.1:$APP_PORT/version") == 404 ]] || fail "v1 of $APP has a /version"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "starting /usr/bin/wiretap as wiretap on 127.0.0.1:$port"
# shellcheck disable=SC2086 # exec_start is the unit's command line
"${as_service[@]}" $exec_start --port="$port" --set=http.address=127.0.0.1 --set=deploy.minUptime=1 \
    >"$work/wiretap.log" 2>&1 &
wiretap_pid=$!
wait_for_log() { # TEXT TIMEOUT_S
    local deadline=$((SECONDS + $2))
    until grep -qF -- "$1" "$work/wiretap.log"; do
        kill -0 "$wiretap_pid" 2>/dev/null || fail "wiretap exited: $(cat "$work/wiretap.log")"
        ((SECONDS < deadline)) || fail "no '$1' in wiretap's log within $2 s: $(cat "$work/wiretap.log")"
        sleep 0.2
    done
}
wait_for_log 'Listening for webhooks' 60
[[ $(stat -c %U "/proc/$wiretap_pid") == wiretap ]] || fail "wiretap does not run as the user wiretap"

build_web_image "$HUB_NAME:latest" "1.1" >/dev/null
payload=$(printf '{"push_data":{"pusher":"demo","tag":"latest"},"repository":{"repo_name":"%s","namespace":"demo","name":"wiretap-package-app"}}' "$HUB_NAME")
answer=$(curl -sS --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' \
    --data "$payload" "http://127.0.0.1:$port/listen?token=$token")
code=${answer##*$'\n'}
answer=${answer%$'\n'*}
[[ $code == 202 ]] || fail "POST /listen answered $code: $answer"
deploy=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["accepted"][0]["deploy"])' "$answer")
log "webhook accepted: deploy $deploy"
wait_for_log "msg=\"Deploy finished\" Deploy=$deploy " 180
report=$(curl -sS --max-time 10 "http://127.0.0.1:$port/v1/deployments/$deploy?token=$token")
result=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["result"])' "$report")
[[ $result == updated ]] || fail "deploy $deploy: result $result: $report"
new_id=$(docker container inspect -f '{{.Id}}' "$APP")
[[ $new_id != "$old_id" ]] || fail "$APP was not recreated"
body=$(wait_http_in_ns "http://127.0.0.1:$APP_PORT/version" 30 1.1) || fail "$APP does not serve v1.1"
log "redeployed $APP through the installed wiretap: /version -> $body"
[[ -f /var/lib/wiretap/wiretap.db ]] || fail "no journal in /var/lib/wiretap: $(ls -la /var/lib/wiretap)"

kill -TERM "$wiretap_pid"
rc=0
wait "$wiretap_pid" || rc=$?
wiretap_pid=
[[ $rc == 0 ]] || fail "wiretap exited $rc after SIGTERM: $(tail -n 20 "$work/wiretap.log")"
e2e_remove_containers_labeled "$LABEL"
if [[ -n $acl_socket ]]; then
    setfacl -x u:wiretap "$acl_socket"
    acl_socket=
fi

# ------------------------------------------------------ remove and purge --
log "dpkg -r wiretap"
dpkg -r wiretap >"$work/dpkg.log" 2>&1 || fail "dpkg -r: $(cat "$work/dpkg.log")"
[[ ! -e /usr/bin/wiretap && ! -e $UNIT ]] || fail "dpkg -r left the binary or the unit"
[[ -f $CONFIG && -f $DEFAULTS ]] || fail "dpkg -r removed the configuration"
grep -q "^TOKEN=$token" "$DEFAULTS" || fail "dpkg -r lost the admin's change to $DEFAULTS"
[[ $(dpkg-query -W -f='${Status}' wiretap) == "deinstall ok config-files" ]] ||
    fail "after dpkg -r: $(dpkg-query -W -f='${Status}' wiretap)"
log "dpkg -P wiretap"
dpkg -P wiretap >"$work/dpkg.log" 2>&1 || fail "dpkg -P: $(cat "$work/dpkg.log")"
for f in "$CONFIG" "$DEFAULTS" /etc/wiretap /var/lib/wiretap; do
    [[ ! -e $f ]] || fail "dpkg -P left $f"
done
! dpkg-statoverride --list "$CONFIG" >/dev/null || fail "dpkg -P left the statoverride of $CONFIG"
log "TIMING package.deb total: $SECONDS s"
