#!/usr/bin/env python3
"""A fake `docker` executable for wiretap's integration tests.

Put its directory first in PATH (CMake installs it as `fakebin/docker`) and
point FAKE_DOCKER_DIR at a scratch folder. Every call appends one JSON line
to $FAKE_DOCKER_DIR/calls.jsonl: {"argv": [...], "key": "...", "env": {...}, "exit": N,
"sleep": S} (exit and sleep as scripted: a call that sleeps may be killed before it answers).

The call's key is its command without global flags: `pull`, `inspect`,
`version`, or `network-connect` for management commands (`network connect`).
$FAKE_DOCKER_DIR/script.json says how each key answers:

    {"pull": {"exit": 1, "stderr": "no such image"},          # every call
     "inspect": [{"stdout": "[...]"}, {"exit": 1}],            # 1st, 2nd call, then success
     "stop": {"sleep": 30}}                                    # hang (killed by the caller's timeout)

An entry {"after": KEY, "answers": [...]} answers by how many calls of the other command KEY
came before (the last answer once there were more): a Swarm service that shows the update or
rollback it was asked for, e.g. {"service-inspect": {"after": "service-rollback", "answers":
[paused, rolled_back]}}.

A key followed by a space and the call's last argument ("image-inspect demo/app:v2") answers
only the calls that end with that argument, counted apart; the plain key answers (and counts)
the others. For calls that may come in either order, such as two inspects run alongside each
other.

An answer may hold stdout, stderr, exit (default 0) and sleep (seconds,
before answering). A key not in the script answers as DEFAULTS says, or
succeeds with no output.

Several engines: a call with `--host URL` first looks in the script's "@URL"
entry, a script of its own ({"@unix:///b.sock": {"version": {"exit": 1}}}),
and counts its calls apart; what that entry lacks comes from the main script.
Each recorded call also holds "host" (the --host value, or "").
"""
import fcntl
import json
import os
import sys
import time

GLOBAL_WITH_VALUE = {"-H", "--host", "--config", "-c", "--context", "-l", "--log-level",
                     "--tlscacert", "--tlscert", "--tlskey"}
GLOBAL_FLAGS = {"-D", "--debug", "--tls", "--tlsverify"}
MANAGEMENT = {"builder", "config", "container", "context", "image", "manifest", "network", "node",
              "plugin", "secret", "service", "stack", "swarm", "system", "trust", "volume"}
# What a healthy CLI/engine pair answers when the script says nothing else.
DEFAULTS = {
    "version": {"stdout": json.dumps({
        "Client": {"Version": "28.2.2", "ApiVersion": "1.41", "DefaultAPIVersion": "1.50"},
        "Server": {"Version": "20.10.24+dfsg1", "ApiVersion": "1.41", "MinAPIVersion": "1.12"},
    }) + "\n"},
    # `docker info --format '{{json .Swarm}}'` of an engine that is in no swarm (the common case).
    "info": {"stdout": json.dumps({
        "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": False,
        "Error": "", "RemoteManagers": None,
    }) + "\n"},
}
RECORDED_ENV = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG", "DOCKER_CONTEXT")


def command_key(argv):
    words = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not words and arg in GLOBAL_WITH_VALUE:
            i += 2
            continue
        if not words and (arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_WITH_VALUE | GLOBAL_FLAGS):
            i += 1
            continue
        if arg.startswith("-"):
            if words:
                break
            i += 1
            continue
        words.append(arg)
        if words[0] not in MANAGEMENT or len(words) == 2:
            break
        i += 1
    return "-".join(words) if words else "(none)"


def host_of(argv):
    """The value of the global --host/-H flag, "" when there is none."""
    for i, arg in enumerate(argv[:-1]):
        if arg in ("-H", "--host"):
            return argv[i + 1]
        if not arg.startswith("-") and (i == 0 or argv[i - 1] not in GLOBAL_WITH_VALUE):
            break
    for arg in argv:
        if arg.startswith("--host="):
            return arg.split("=", 1)[1]
    return ""


def main():
    state = os.environ.get("FAKE_DOCKER_DIR")
    if not state:
        sys.stderr.write("fake docker: FAKE_DOCKER_DIR is not set\n")
        return 125
    argv = sys.argv[1:]
    key = command_key(argv)
    host = host_of(argv)
    with open(os.path.join(state, "calls.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        script = {}
        script_path = os.path.join(state, "script.json")
        if os.path.exists(script_path):
            with open(script_path) as f:
                script = json.load(f)
        own = script.get("@" + host, {}) if host else {}
        script_key = key
        with_argument = "%s %s" % (key, argv[-1]) if argv else key
        if with_argument in own or with_argument in script:
            script_key = with_argument
        count_key = "@%s %s" % (host, script_key) if host else script_key
        counts_path = os.path.join(state, "counts.json")
        counts = {}
        if os.path.exists(counts_path):
            with open(counts_path) as f:
                counts = json.load(f)
        nth = counts.get(count_key, 0)
        counts[count_key] = nth + 1
        with open(counts_path, "w") as f:
            json.dump(counts, f)
        answer = DEFAULTS.get(key, {})
        if script:
            entry = own.get(script_key, script.get(script_key)) if host else script.get(script_key)
            if isinstance(entry, dict) and "after" in entry:
                done = counts.get("@%s %s" % (host, entry["after"]) if host else entry["after"], 0)
                answer = entry["answers"][min(done, len(entry["answers"]) - 1)]
            elif isinstance(entry, list):
                answer = entry[nth] if nth < len(entry) else {}
            elif isinstance(entry, dict):
                answer = entry
        with open(os.path.join(state, "calls.jsonl"), "a") as log:
            env = {name: os.environ[name] for name in RECORDED_ENV if name in os.environ}
            log.write(json.dumps({"argv": argv, "key": key, "host": host, "env": env, "exit": int(answer.get("exit", 0)),
                                  "sleep": float(answer.get("sleep", 0))}) + "\n")
    if answer.get("sleep"):
        time.sleep(float(answer["sleep"]))
    sys.stdout.write(answer.get("stdout", ""))
    sys.stderr.write(answer.get("stderr", ""))
    return int(answer.get("exit", 0))


if __name__ == "__main__":
    sys.exit(main())
