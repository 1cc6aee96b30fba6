#!/usr/bin/env bash
# tests/e2e/sandbox.sh - an isolated Docker engine + registry for wiretap's e2e tests.
#
# Everything runs inside a network namespace created here (named wtt-<pid>),
# entered with `nsenter --net` (never `ip netns exec`, which remounts /sys and
# breaks dockerd's cgroup detection). Traffic only ever goes to loopback and to
# the namespace's own addresses; the host's links and iptables are untouched
# (dockerd's iptables rules land in the namespace's own tables). All state
# lives under STATE_DIR.
#
# Usage:
#   sandbox.sh up STATE_DIR [--notify-url URL]
#       Start containerd + dockerd + docker-registry (127.0.0.1:5000, also the
#       engine's Docker Hub mirror) in a fresh namespace. Prints the path of
#       STATE_DIR/env (a sourceable file exporting DOCKER_HOST, WT_NETNS, ...).
#       --notify-url URL adds a registry notifications endpoint (all events:
#       manifest/blob push/pull), timeout 1s, threshold 3, backoff 1s.
#       Also starts a detached reaper that tears the sandbox down when the
#       owner pid disappears, and sweeps stale sandboxes of dead owners.
#   sandbox.sh down STATE_DIR
#       Idempotent full teardown (containers, swarm, daemons, netns, mounts,
#       cgroups, STATE_DIR contents). Non-zero if something could not be removed.
#   sandbox.sh exec STATE_DIR CMD [ARG...]
#       Run CMD inside the namespace, with the sandbox env (DOCKER_HOST, ...).
#   sandbox.sh build-image STATE_DIR TAG CONTEXT_DIR
#       docker build CONTEXT_DIR as TAG; push it if TAG is in the sandbox registry.
#   sandbox.sh status STATE_DIR      Show the sandbox's daemons; exit 0 iff it is up.
#   sandbox.sh sweep                 Tear down sandboxes whose owner died.
#
# Environment:
#   WT_SANDBOX_OWNER_PID     pid whose death triggers the teardown (default: the
#                            parent of `sandbox.sh up`, e.g. ctest); "none" = no reaper
#   WT_DOCKERD_EXTRA_ARGS    extra dockerd flags (word-split)
#   WT_SANDBOX_START_TIMEOUT seconds to wait for the daemons (default 60)
#   WT_SANDBOX_REG_DIR       registry of live sandboxes (default /run/wiretap-sandboxes)
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
REG_DIR=${WT_SANDBOX_REG_DIR:-/run/wiretap-sandboxes}
NETNS_DIR=/var/run/netns
NS_PREFIX=wtt-
REGISTRY_ADDR=127.0.0.1:5000
MARKER=.wiretap-sandbox
START_TIMEOUT=${WT_SANDBOX_START_TIMEOUT:-60}
# Unix socket paths are limited to 107 bytes; the longest one we create is
# STATE_DIR/containerd/containerd.sock.ttrpc (dockerd's exec-root ones are shorter).
MAX_DIR_LEN=64

LOG_TAG=sandbox
log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%H:%M:%S.%3N)" "$*" >&2; }
warn() { log "WARNING: $*"; }
die() {
    log "ERROR: $*"
    exit 1
}

usage() {
    sed -n '/^# Usage:/,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SELF" >&2
    exit 2
}

now_ms() {
    local t=${EPOCHREALTIME//[.,]/}
    echo $((t / 1000))
}

# ---------------------------------------------------------------- processes --

# "STATE STARTTIME" of a pid (fields 3 and 22 of /proc/PID/stat); fails if gone.
proc_stat() {
    local s f
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    read -r -a f <<<"$s"
    printf '%s %s\n' "${f[0]}" "${f[19]}"
}

pid_alive() {
    local st
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    st=$(proc_stat "$1") || return 1
    [[ ${st%% *} != [ZX] ]]
}

proc_start() {
    local st
    st=$(proc_stat "$1") || return 1
    echo "${st##* }"
}

# same_process PID STARTTIME: PID is alive and is the process that was recorded.
same_process() {
    pid_alive "$1" || return 1
    [[ -z ${2:-} || $(proc_start "$1" 2>/dev/null) == "$2" ]]
}

netns_inode_of_pid() {
    local l
    l=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 1
    l=${l#net:[}
    echo "${l%]}"
}

pids_in_netns() {
    local p ino=$1
    [[ -n $ino ]] || return 0
    for p in /proc/[0-9]*; do
        if [[ $(readlink "$p/ns/net" 2>/dev/null) == "net:[$ino]" ]]; then
            echo "${p#/proc/}"
        fi
    done
    return 0
}

cgroup_dirs() {
    [[ -n ${1:-} ]] || return 0
    find /sys/fs/cgroup -maxdepth 2 -type d -name "$1" 2>/dev/null || true
}

pids_in_cgroups() {
    local d
    while IFS= read -r d; do
        find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null || true
    done < <(cgroup_dirs "$1") | sort -un
}

# wait_gone TIMEOUT_S PID...: 0 once all are gone, 1 on timeout.
wait_gone() {
    local t=$1 p alive deadline
    shift
    deadline=$(($(now_ms) + t * 1000))
    while :; do
        alive=0
        for p in "$@"; do
            if pid_alive "$p"; then alive=1; fi
        done
        ((alive)) || return 0
        (($(now_ms) < deadline)) || return 1
        sleep 0.1
    done
}

# stop_pids NAME TIMEOUT_S PID...: SIGTERM, wait, SIGKILL the stragglers.
stop_pids() {
    local name=$1 t=$2 p left=()
    shift 2
    for p in "$@"; do
        if pid_alive "$p"; then left+=("$p"); fi
    done
    ((${#left[@]})) || return 0
    log "stopping $name (pid ${left[*]})"
    kill -TERM "${left[@]}" 2>/dev/null || true
    wait_gone "$t" "${left[@]}" && return 0
    warn "$name (pid ${left[*]}) still alive ${t}s after SIGTERM; sending SIGKILL"
    kill -KILL "${left[@]}" 2>/dev/null || true
    wait_gone 5 "${left[@]}"
}

# our_pid DIR NAME INODE: the recorded pid of daemon NAME if it is still the
# process we started (in our namespace, or with DIR on its command line).
our_pid() {
    local dir=$1 name=$2 ino=$3 pid
    [[ -n $dir && -r $dir/pids/$name ]] || return 0
    pid=$(cat "$dir/pids/$name" 2>/dev/null || true)
    pid_alive "$pid" || return 0
    if [[ -n $ino && $(netns_inode_of_pid "$pid") == "$ino" ]] ||
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/"; then
        echo "$pid"
    fi
    return 0
}

# ------------------------------------------------------------------ mounts --

# Mount points strictly below DIR, deepest first.
mounts_under() {
    local dir=$1 mp slashes
    while read -r _ _ _ _ mp _; do
        mp=${mp//\\040/ }
        mp=${mp//\\011/$'\t'}
        mp=${mp//\\012/$'\n'}
        mp=${mp//\\134/\\}
        if [[ $mp == "$dir"/* ]]; then
            slashes=${mp//[!\/]/}
            printf '%d\t%s\n' "${#slashes}" "$mp"
        fi
    done </proc/self/mountinfo | sort -rn -k1,1 | cut -f2-
}

unmount_under() {
    local dir=$1 pass mp n
    for pass in 1 2 3 4 5; do
        n=0
        while IFS= read -r mp; do
            [[ -n $mp ]] || continue
            umount -l -- "$mp" 2>/dev/null || umount -l -n -- "$mp" 2>/dev/null || true
            n=$((n + 1))
        done < <(mounts_under "$dir")
        ((n)) || return 0
        log "unmounted $n mount(s) under $dir (pass $pass)"
    done
    [[ -z $(mounts_under "$dir") ]]
}

# ------------------------------------------------------ sandbox bookkeeping --

# The registry of live sandboxes: REG_DIR/NS holds shell assignments
# (STATE_DIR, OWNER_PID, OWNER_START, NETNS_INODE, CREATED_DIR);
# REG_DIR/NS.lock serializes up/down/reaper; REG_DIR/NS.reaper is the reaper's pid.
write_kv_file() { # FILE KEY=VALUE...
    local file=$1 kv tmp
    shift
    tmp=$(mktemp "$file.XXXXXX")
    for kv in "$@"; do printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"; done >"$tmp"
    mv -f "$tmp" "$file"
}

# load_entry NS: sets E_STATE_DIR E_OWNER_PID E_OWNER_START E_NETNS_INODE E_CREATED_DIR
load_entry() {
    local STATE_DIR="" OWNER_PID="" OWNER_START="" NETNS_INODE="" CREATED_DIR=""
    [[ -f $REG_DIR/$1 ]] || return 1
    # shellcheck disable=SC1090
    source "$REG_DIR/$1" || return 1
    E_STATE_DIR=$STATE_DIR E_OWNER_PID=$OWNER_PID E_OWNER_START=$OWNER_START
    E_NETNS_INODE=$NETNS_INODE E_CREATED_DIR=$CREATED_DIR
}

# load_marker DIR: sets M_NETNS M_NETNS_INODE from DIR/.wiretap-sandbox
load_marker() {
    local NETNS="" NETNS_INODE=""
    [[ -f $1/$MARKER ]] || return 1
    # shellcheck disable=SC1090,SC1091
    source "$1/$MARKER" || return 1
    M_NETNS=$NETNS M_NETNS_INODE=$NETNS_INODE
}

# find the namespace name of a STATE_DIR (marker first, then the registry)
ns_of_dir() {
    local dir=$1 f
    if load_marker "$dir" && [[ -n $M_NETNS ]]; then
        echo "$M_NETNS"
        return 0
    fi
    for f in "$REG_DIR/$NS_PREFIX"*; do
        [[ -f $f && $f != *.* ]] || continue
        if load_entry "${f##*/}" && [[ $E_STATE_DIR == "$dir" ]]; then
            echo "${f##*/}"
            return 0
        fi
    done
    return 1
}

HAVE_LOCK=""
# take_lock NS [flock-args]: serialize operations on one sandbox (fd 9).
take_lock() {
    local ns=$1
    shift
    [[ $HAVE_LOCK == "$ns" ]] && return 0
    local try
    for try in 1 2 3 4 5; do # REG_DIR may be removed concurrently by a teardown
        mkdir -p "$REG_DIR"
        if exec 9>>"$REG_DIR/$ns.lock"; then break; fi 2>/dev/null
        ((try < 5)) || return 1
        sleep 0.1
    done
    if ! flock "${@:--w300}" 9; then
        exec 9>&-
        return 1
    fi
    HAVE_LOCK=$ns
}

release_lock() {
    if [[ -n $HAVE_LOCK ]]; then
        exec 9>&-
        HAVE_LOCK=""
    fi
}

stop_reaper() {
    local ns=$1 pid
    [[ -f $REG_DIR/$ns.reaper ]] || return 0
    pid=$(cat "$REG_DIR/$ns.reaper" 2>/dev/null || true)
    if [[ $pid != "$$" ]] && pid_alive "$pid" &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "__reap $ns"; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$REG_DIR/$ns.reaper"
}

# ---------------------------------------------------------------- teardown --

# dockerd creates /run/docker/plugins and the containerd shims /run/containerd/s
# (hard-coded paths). Once the last sandbox is gone, remove them if they are
# empty (rmdir never removes a non-empty directory, e.g. of a host engine).
remove_host_leftovers() {
    local f
    for f in "$REG_DIR/$NS_PREFIX"*; do
        [[ -e $f && $f != *.lock && $f != *.log ]] || continue
        return 0 # another sandbox is alive (or being set up)
    done
    rmdir /run/docker/plugins /run/docker /run/containerd/s /run/containerd 2>/dev/null || true
    rmdir "$REG_DIR" 2>/dev/null || true
}

# teardown NS DIR INODE: remove everything of one sandbox. Caller holds the lock
# (or the sandbox is known dead). Any argument may be empty. Returns non-zero if
# something is left behind.
teardown() {
    local ns=$1 dir=$2 ino=$3 rc=0 nspath pid pids left ids created=""
    nspath=${ns:+$NETNS_DIR/$ns}
    if [[ -n $ns ]] && load_entry "$ns"; then
        [[ -n $dir ]] || dir=$E_STATE_DIR
        [[ -n $ino ]] || ino=$E_NETNS_INODE
        created=$E_CREATED_DIR
    fi
    log "tearing down sandbox ${ns:-?} (${dir:-no state dir})"
    if [[ -z $ino && -n $nspath && -e $nspath ]]; then
        ino=$(stat -L -c %i "$nspath" 2>/dev/null || true)
    fi
    [[ -n $ns ]] && stop_reaper "$ns"

    # 1. containers and swarm, while the engine still answers
    local stop_timeout=3 # an engine that does not answer may ignore SIGTERM too
    pid=$(our_pid "$dir" dockerd "$ino")
    if [[ -n $pid ]] && engine_answers "$dir/docker.sock"; then
        stop_timeout=20
        local -a dk=(env -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH
            DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/client" timeout)
        "${dk[@]}" 30 docker swarm leave --force >/dev/null 2>&1 || true
        ids=$("${dk[@]}" 10 docker ps -aq 2>/dev/null || true)
        if [[ -n $ids ]]; then
            log "removing containers: $(echo "$ids" | tr '\n' ' ')"
            # shellcheck disable=SC2086
            "${dk[@]}" 60 docker rm -f $ids >/dev/null 2>&1 || warn "docker rm -f failed"
        fi
    fi

    # 2. daemons, engine first
    stop_pids dockerd "$stop_timeout" ${pid:+"$pid"} || rc=1
    pids=()
    local d
    for d in registry containerd; do
        pid=$(our_pid "$dir" "$d" "$ino")
        [[ -z $pid ]] || pids+=("$pid")
    done
    stop_pids "registry/containerd" 10 "${pids[@]}" || rc=1

    # 3. anything else left: container processes (our cgroup parent), shims,
    #    docker-proxy, ... (every process in our namespace)
    mapfile -t pids < <(pids_in_cgroups "$ns")
    if ((${#pids[@]})); then
        log "killing leftover container processes: ${pids[*]}"
        kill -KILL "${pids[@]}" 2>/dev/null || true
        wait_gone 5 "${pids[@]}" || rc=1
    fi
    mapfile -t pids < <(pids_in_netns "$ino")
    stop_pids "leftover processes in $ns" 5 "${pids[@]}" || rc=1

    # 4. the namespace
    if [[ -n $nspath && -e $nspath ]]; then
        ip netns del "$ns" 2>/dev/null || { umount -l "$nspath" 2>/dev/null && rm -f "$nspath"; } || true
        if [[ -e $nspath ]]; then
            warn "could not delete netns $ns"
            rc=1
        fi
    fi

    # 5. mounts, cgroups, files
    if [[ -n $dir && -d $dir ]]; then
        unmount_under "$dir" || {
            warn "mounts left under $dir: $(mounts_under "$dir" | tr '\n' ' ')"
            rc=1
        }
    fi
    local cg
    while IFS= read -r cg; do
        find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
        if [[ -d $cg ]]; then
            warn "could not remove cgroup $cg"
            rc=1
        fi
    done < <(cgroup_dirs "$ns")
    # (the marker, or its temporary copy if `up` was interrupted while writing it,
    # says that the directory's contents are ours)
    if [[ -n $dir && $dir == /?* ]] && compgen -G "$dir/$MARKER*" >/dev/null; then
        # the marker goes last, so that a failed removal can be retried
        if ! find "$dir" -mindepth 1 -maxdepth 1 ! -name "$MARKER" \
            ! -name "$MARKER.??????" -exec rm -rf --one-file-system -- {} + 2>/dev/null; then
            warn "could not remove everything under $dir"
            rc=1
        else
            rm -f "$dir/$MARKER" "$dir/$MARKER".??????
        fi
        if [[ $created == 1 ]]; then rmdir "$dir" 2>/dev/null || true; fi
    fi

    # 6. verify
    if [[ -n $ino ]]; then
        left=$(pids_in_netns "$ino" | tr '\n' ' ')
        if [[ -n $left ]]; then
            warn "processes still in the namespace: $left"
            rc=1
        fi
    fi
    if ((rc == 0)); then
        [[ -z $ns ]] || rm -f "$REG_DIR/$ns" "$REG_DIR/$ns".*
        remove_host_leftovers
        log "sandbox ${ns:-?} is gone"
    else
        warn "teardown of ${ns:-?} incomplete (kept $REG_DIR/$ns for a later sweep)"
    fi
    return "$rc"
}

# --------------------------------------------------------------- commands --

cmd_sweep() {
    local f ns
    if [[ -d $REG_DIR ]]; then
        for f in "$REG_DIR/$NS_PREFIX"*; do
            [[ -f $f && $f != *.* ]] || continue
            ns=${f##*/}
            load_entry "$ns" || continue
            # owner "none": the user manages it (sandbox.sh down)
            [[ $E_OWNER_PID == none ]] && continue
            same_process "$E_OWNER_PID" "$E_OWNER_START" && continue
            # busy (being set up or torn down by someone else)? leave it.
            (
                take_lock "$ns" -n || exit 0
                [[ -f $REG_DIR/$ns ]] || exit 0
                log "sweeping stale sandbox $ns (owner $E_OWNER_PID is gone)"
                teardown "$ns" "" "" || true
            )
        done
    fi
    # namespaces of ours without any record (e.g. from a crash before the record existed)
    while read -r ns _; do
        [[ $ns == "$NS_PREFIX"* && ! -e $REG_DIR/$ns ]] || continue
        log "sweeping orphan namespace $ns"
        teardown "$ns" "" "" || true
    done < <(ip netns list 2>/dev/null)
}

cmd_reap() {
    local ns=$1
    LOG_TAG="sandbox-reaper $ns"
    cd /
    trap '' INT HUP
    echo "$$" >"$REG_DIR/$ns.reaper"
    load_entry "$ns" || exit 0
    while [[ -f $REG_DIR/$ns ]] && same_process "$E_OWNER_PID" "$E_OWNER_START"; do
        sleep 0.5
    done
    [[ -f $REG_DIR/$ns ]] || exit 0
    log "owner pid $E_OWNER_PID is gone"
    take_lock "$ns" || exit 1
    [[ -f $REG_DIR/$ns ]] || exit 0
    rm -f "$REG_DIR/$ns.reaper"
    teardown "$ns" "$E_STATE_DIR" "$E_NETNS_INODE"
}

# start_daemon NAME LOGFILE CMD...: run CMD in the namespace, in its own
# session, stdio detached; the real pid is written to STATE_DIR/pids/NAME.
start_daemon() {
    local name=$1 logf=$2
    shift 2
    rm -f "$DIR/pids/$name"
    (
        cd /
        # shellcheck disable=SC2016 # $$ and $1 are for the inner sh
        exec nsenter --net="$NETNS_DIR/$NS" setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' \
            sh "$DIR/pids/$name" "$@" </dev/null >>"$logf" 2>&1 9>&-
    ) &
    disown
    local i
    for i in $(seq 100); do
        [[ -s $DIR/pids/$name ]] && break
        sleep 0.02
    done
    [[ -s $DIR/pids/$name ]] || die "could not start $name"
    printf -v "PID_$name" '%s' "$(cat "$DIR/pids/$name")"
}

show_log_tail() { # NAME FILE
    [[ -s $2 ]] || return 0
    printf -- '----- last lines of %s -----\n' "$2" >&2
    tail -n 30 "$2" >&2
    printf -- '----- end of %s -----\n' "$1" >&2
}

# http_ok_in_ns URL: GET from inside the namespace succeeds (2xx)
http_ok_in_ns() {
    if command -v curl >/dev/null; then
        nsenter --net="$NETNS_DIR/$NS" curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
    else
        nsenter --net="$NETNS_DIR/$NS" busybox wget -q -O /dev/null -T 2 "$1" 2>/dev/null
    fi
}

# engine_answers SOCKET: the engine answers /_ping within 2 s
engine_answers() {
    [[ -S $1 ]] || return 1
    if command -v curl >/dev/null; then
        curl -fsS -o /dev/null --max-time 2 --unix-socket "$1" http://docker/_ping 2>/dev/null
    else
        DOCKER_HOST=unix://$1 timeout 2 docker version >/dev/null 2>&1
    fi
}

UP_DONE="" NS="" DIR="" NETNS_INODE=""
PID_dockerd="" PID_containerd="" PID_registry=""
up_on_exit() {
    local rc=$?
    [[ -n $UP_DONE ]] && return 0
    ((rc)) || rc=1
    trap - EXIT INT TERM HUP
    [[ -n $NS ]] || exit "$rc" # nothing created yet
    log "sandbox setup failed; tearing down"
    teardown "$NS" "$DIR" "${NETNS_INODE:-}" || true
    release_lock
    exit "$rc"
}

cmd_up() {
    [[ $# -ge 1 ]] || usage
    local dir=$1 notify="" created="" owner owner_start t0 d
    shift
    while [[ $# -gt 0 ]]; do
        case $1 in
            --notify-url) [[ $# -ge 2 ]] || usage; notify=$2; shift 2 ;;
            --notify-url=*) notify=${1#*=}; shift ;;
            *) usage ;;
        esac
    done
    t0=$(now_ms)
    # traps first: a signal that arrives while a child runs would otherwise be
    # ignored by bash when the child itself survives it
    trap up_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    [[ $(id -u) == 0 ]] || die "must run as root"
    for d in ip nsenter setsid flock dockerd containerd docker-registry docker busybox timeout; do
        command -v "$d" >/dev/null || die "required command not found: $d"
    done
    owner=${WT_SANDBOX_OWNER_PID:-$PPID}
    owner_start=""
    if [[ $owner != none ]]; then
        owner_start=$(proc_start "$owner" 2>/dev/null) || die "owner pid $owner is not running"
    fi
    mkdir -p "$REG_DIR"
    cmd_sweep || warn "sweep of stale sandboxes failed"

    DIR=$(realpath -m -- "$dir")
    [[ $DIR == /?* ]] || die "bad state dir: $dir"
    [[ $DIR =~ ^[A-Za-z0-9._/+@-]+$ ]] ||
        die "state dir path has characters the daemon configs cannot take (use [A-Za-z0-9._/+@-]): $DIR"
    ((${#DIR} <= MAX_DIR_LEN)) ||
        die "state dir path too long (${#DIR} > $MAX_DIR_LEN chars; unix socket paths would overflow): $DIR"
    if [[ ! -e $DIR ]]; then
        mkdir -p "$DIR"
        created=1
    fi
    [[ -d $DIR ]] || die "state dir is not a directory: $DIR"
    if load_marker "$DIR"; then
        if load_entry "$M_NETNS" &&
            { [[ $E_OWNER_PID == none ]] || same_process "$E_OWNER_PID" "$E_OWNER_START"; }; then
            die "a sandbox ($M_NETNS) is already up in $DIR; run '$0 down $DIR' first"
        fi
        log "stale sandbox state in $DIR (netns $M_NETNS); cleaning it first"
        (take_lock "$M_NETNS" && teardown "$M_NETNS" "$DIR" "$M_NETNS_INODE") ||
            die "could not clean stale sandbox in $DIR"
        if [[ ! -e $DIR ]]; then
            mkdir -p "$DIR"
            created=1
        fi
    fi
    [[ -z $(ls -A "$DIR") ]] || die "state dir $DIR is not empty (and holds no sandbox)"

    NS=$NS_PREFIX$$
    [[ -e $NETNS_DIR/$NS || -e $REG_DIR/$NS ]] && NS=$NS_PREFIX$$-$RANDOM
    [[ ! -e $NETNS_DIR/$NS && ! -e $REG_DIR/$NS ]] || die "netns name clash: $NS"
    take_lock "$NS" -w10 || die "could not lock $REG_DIR/$NS.lock"
    write_kv_file "$REG_DIR/$NS" STATE_DIR="$DIR" OWNER_PID="$owner" OWNER_START="$owner_start" \
        NETNS_INODE="" CREATED_DIR="$created"
    write_kv_file "$DIR/$MARKER" NETNS="$NS" NETNS_INODE=""

    if [[ $owner != none ]]; then
        setsid -f "$SELF" __reap "$NS" </dev/null >>"$REG_DIR/$NS.reaper.log" 2>&1 9>&-
    fi

    log "creating netns $NS"
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    NETNS_INODE=$(stat -L -c %i "$NETNS_DIR/$NS")
    write_kv_file "$REG_DIR/$NS" STATE_DIR="$DIR" OWNER_PID="$owner" OWNER_START="$owner_start" \
        NETNS_INODE="$NETNS_INODE" CREATED_DIR="$created"
    write_kv_file "$DIR/$MARKER" NETNS="$NS" NETNS_INODE="$NETNS_INODE"

    mkdir -p "$DIR/pids" "$DIR/containerd" "$DIR/registry" "$DIR/client" "$DIR/docker" "$DIR/exec"

    # containerd of our own: dockerd would otherwise use the host's
    # /run/containerd/containerd.sock if one exists, and its managed containerd
    # creates /opt/containerd.
    cat >"$DIR/containerd/config.toml" <<EOF
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
oom_score = 0

[grpc]
  address = "$DIR/containerd/containerd.sock"

[debug]
  level = "info"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$DIR/containerd/opt"
  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = "$DIR/containerd/runc"
EOF

    {
        cat <<EOF
version: 0.1
log:
  level: info
  formatter: text
  fields:
    service: registry
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $DIR/registry/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $REGISTRY_ADDR
  secret: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
        if [[ -n $notify ]]; then
            cat <<EOF
notifications:
  events:
    includereferences: true
  endpoints:
    - name: wiretap
      url: $notify
      timeout: 1s
      threshold: 3
      backoff: 1s
EOF
        fi
    } >"$DIR/registry/config.yml"
    # own (empty) daemon config instead of the host's /etc/docker/daemon.json;
    # the engine's identity key would otherwise be written to /etc/docker/key.json
    printf '{\n  "deprecated-key-path": "%s"\n}\n' "$DIR/docker/key.json" >"$DIR/daemon.json"

    log "starting containerd, docker-registry"
    start_daemon containerd "$DIR/containerd.log" \
        containerd --config "$DIR/containerd/config.toml" --log-level info
    start_daemon registry "$DIR/registry.log" docker-registry serve "$DIR/registry/config.yml"
    local deadline i
    deadline=$(($(now_ms) + START_TIMEOUT * 1000))
    until [[ -S $DIR/containerd/containerd.sock ]]; do
        if ! pid_alive "$PID_containerd" || (($(now_ms) > deadline)); then
            show_log_tail containerd "$DIR/containerd.log"
            die "containerd did not start"
        fi
        sleep 0.05
    done

    # shellcheck disable=SC2206 # intentional word splitting of extra flags
    local -a extra=(${WT_DOCKERD_EXTRA_ARGS:-})
    log "starting dockerd${extra[*]:+ (extra args: ${extra[*]})}"
    start_daemon dockerd "$DIR/dockerd.log" \
        dockerd --config-file "$DIR/daemon.json" \
        --data-root "$DIR/docker" --exec-root "$DIR/exec" \
        --host "unix://$DIR/docker.sock" --pidfile "$DIR/dockerd.pid" \
        --containerd "$DIR/containerd/containerd.sock" \
        --registry-mirror "http://$REGISTRY_ADDR" \
        --cgroup-parent "/$NS" \
        "${extra[@]}"

    export DOCKER_HOST=unix://$DIR/docker.sock DOCKER_CONFIG=$DIR/client DOCKER_BUILDKIT=0
    unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
    until engine_answers "$DIR/docker.sock"; do
        if ! pid_alive "$PID_dockerd"; then
            show_log_tail dockerd "$DIR/dockerd.log"
            die "dockerd exited during startup (see log above)"
        fi
        if (($(now_ms) > deadline)); then
            show_log_tail dockerd "$DIR/dockerd.log"
            die "dockerd did not answer on $DIR/docker.sock within ${START_TIMEOUT}s"
        fi
        sleep 0.05
    done
    local ver
    ver=$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}' 2>&1) || {
        show_log_tail dockerd "$DIR/dockerd.log"
        die "'docker version' failed: $ver"
    }
    log "dockerd is up: engine $ver"

    until http_ok_in_ns "http://$REGISTRY_ADDR/v2/"; do
        if ! pid_alive "$PID_registry" || (($(now_ms) > deadline)); then
            show_log_tail registry "$DIR/registry.log"
            die "docker-registry did not answer GET http://$REGISTRY_ADDR/v2/"
        fi
        sleep 0.05
    done
    log "registry is up at $REGISTRY_ADDR${notify:+ (notifications -> $notify)}"

    for d in containerd registry dockerd; do
        i=PID_$d
        pid_alive "${!i}" || die "$d died during startup"
    done

    {
        echo "# wiretap e2e sandbox (generated by sandbox.sh up; source it)"
        printf 'export %s=%q\n' \
            WT_SANDBOX_DIR "$DIR" \
            WT_SANDBOX_SH "$SELF" \
            WT_NETNS "$NS" \
            WT_NETNS_PATH "$NETNS_DIR/$NS" \
            WT_REGISTRY "$REGISTRY_ADDR" \
            WT_REGISTRY_URL "http://$REGISTRY_ADDR" \
            WT_NOTIFY_URL "$notify" \
            WT_DOCKERD_PID "$PID_dockerd" \
            WT_CONTAINERD_PID "$PID_containerd" \
            WT_REGISTRY_PID "$PID_registry" \
            DOCKER_HOST "unix://$DIR/docker.sock" \
            DOCKER_CONFIG "$DIR/client" \
            DOCKER_BUILDKIT 0
        echo "unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH"
    } >"$DIR/env"

    UP_DONE=1
    trap - EXIT INT TERM HUP
    release_lock
    log "sandbox $NS is up in $(($(now_ms) - t0)) ms (owner pid $owner); env: $DIR/env"
    echo "$DIR/env"
}

cmd_down() {
    [[ $# -eq 1 ]] || usage
    local dir ns rc=0
    dir=$(realpath -m -- "$1")
    ns=$(ns_of_dir "$dir" || true)
    if [[ -z $ns ]]; then
        log "no sandbox recorded for $dir; only checking for leftover mounts"
        [[ -d $dir ]] && { unmount_under "$dir" || rc=1; }
        return "$rc"
    fi
    local t0
    t0=$(now_ms)
    take_lock "$ns" || die "could not lock sandbox $ns"
    teardown "$ns" "$dir" "" || rc=1
    release_lock
    log "down took $(($(now_ms) - t0)) ms"
    return "$rc"
}

load_env_of() {
    local dir
    dir=$(readlink -f "$1" 2>/dev/null || echo "$1")
    [[ -f $dir/env ]] || die "no sandbox env at $dir/env (is the sandbox up?)"
    # shellcheck disable=SC1091
    source "$dir/env"
    [[ -e $WT_NETNS_PATH ]] || die "netns $WT_NETNS of $dir does not exist"
}

cmd_exec() {
    [[ $# -ge 2 ]] || usage
    load_env_of "$1"
    shift
    exec nsenter --net="$WT_NETNS_PATH" -- "$@"
}

cmd_build_image() {
    [[ $# -eq 3 ]] || usage
    load_env_of "$1"
    local tag=$2 ctx=$3
    log "building $tag from $ctx"
    docker build -q -t "$tag" "$ctx" >/dev/null
    if [[ $tag == "$WT_REGISTRY"/* ]]; then
        log "pushing $tag"
        docker push -q "$tag" >/dev/null
    fi
}

cmd_status() {
    [[ $# -eq 1 ]] || usage
    load_env_of "$1"
    local d p ok=0
    for d in dockerd containerd registry; do
        p=$(our_pid "$WT_SANDBOX_DIR" "$d" "")
        if [[ -n $p ]]; then echo "$d: running (pid $p)"; else echo "$d: NOT running"; ok=1; fi
    done
    echo "netns: $WT_NETNS"
    echo "engine: $(docker version --format '{{.Server.Version}}' 2>&1)"
    return "$ok"
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd=$1
    shift
    case $cmd in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        exec) cmd_exec "$@" ;;
        build-image) cmd_build_image "$@" ;;
        status) cmd_status "$@" ;;
        sweep) cmd_sweep ;;
        __reap) cmd_reap "$@" ;;
        -h | --help | help) usage ;;
        *) usage ;;
    esac
}

main "$@"
