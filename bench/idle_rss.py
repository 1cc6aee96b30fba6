#!/usr/bin/env python3
"""Idle memory of wiretap binaries (or settings), side by side in one run.

    bench/idle_rss.py build/src/wiretap                          # one binary, 5 rounds
    bench/idle_rss.py --rounds 8 OLD_BIN NEW_BIN                  # compare two builds
    bench/idle_rss.py BIN 'LD_BIND_NOW=1 BIN' 'BIN --set=x=y'     # environment or options per variant
    bench/idle_rss.py --mappings BIN                              # which files the resident pages belong to

Each round starts every variant in turn (alternating the order between rounds), the
way the integration harness does: TOKEN set, the fake `docker` of bench/ first on
PATH, a scratch state.dir, 127.0.0.1 and a free port. It waits for /healthz, sends
one webhook (--payload: `generic` by default; `dockerhub` is the sample bench/intake.sh
sends, whose callback_url makes wiretap POST to Docker Hub over HTTPS when the deploy
ends; `none` sends nothing), waits for that deploy to finish (and its notice) and for
the process to settle, then reads /proc/PID/status
and /proc/PID/smaps_rollup. Printed per variant: the median and range over the
rounds of VmRSS, its anonymous and file-backed parts, and Pss (the process's
share of pages that other processes map too). Only processes this script started
are stopped.
"""
import argparse
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PAYLOAD = os.path.join(HERE, "..", "tests", "fixtures", "payloads", "dockerhub.json")
TOKEN = "idle-rss-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_variant(text):
    """'A=1 B=2 /path/bin --opt' -> (env additions, argv)."""
    words = shlex.split(text)
    env = {}
    while words and "=" in words[0] and not words[0].startswith(("/", ".", "-")):
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return env, words


def fields(path, names):
    values = {}
    with open(path) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in names:
                values[key] = int(rest.split()[0])
    return values


def start(variant, scratch, payload):
    env_add, argv = parse_variant(variant)
    port = free_port()
    env = dict(os.environ, TOKEN=TOKEN, PATH=HERE + os.pathsep + os.environ.get("PATH", ""))
    env.update(env_add)
    log = open(os.path.join(scratch, "wiretap.log"), "w")
    proc = subprocess.Popen(argv + ["--port=%d" % port, "--set=http.address=127.0.0.1",
                                    "--set=state.dir=" + scratch], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.05)
    if payload == "none":
        return proc, log
    if payload == "dockerhub":
        with open(PAYLOAD, "rb") as f:
            body = f.read()
    else:
        body = b'{"image": "demo/app:v1"}'
    request = urllib.request.Request("http://127.0.0.1:%d/listen?token=%s" % (port, TOKEN), data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 202, r.status
    return proc, log


def measure(variant, settle, payload):
    scratch = tempfile.mkdtemp(prefix="wiretap-idle-")
    proc, log = start(variant, scratch, payload)
    try:
        wanted = {"none": [], "generic": ['msg="Deploy finished"'],
                  "dockerhub": ['msg="Deploy finished"', 'msg="Notification ']}[payload]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(os.path.join(scratch, "wiretap.log")) as f:
                text = f.read()
            if all(w in text for w in wanted):
                break
            time.sleep(0.05)
        time.sleep(settle)
        status = fields("/proc/%d/status" % proc.pid, {"VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads"})
        rollup = fields("/proc/%d/smaps_rollup" % proc.pid, {"Pss", "Private_Clean", "Private_Dirty",
                                                             "Shared_Clean"})
        mappings = per_mapping(proc.pid)
        return dict(status, **rollup), mappings
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def per_mapping(pid):
    """Rss in KiB per mapped file ('[anon]' for anonymous memory, heap and stacks)."""
    totals = {}
    name = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
                name = parts[5] if len(parts) >= 6 else "[anon]"
                if name.startswith("[") and name not in ("[heap]", "[stack]"):
                    name = "[anon]" if name != "[vdso]" else name
            elif parts[0] == "Rss:":
                totals[name] = totals.get(name, 0) + int(parts[1])
    return totals


def mib(kib):
    return "%.1f" % (kib / 1024.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+", help="a binary, optionally with NAME=VALUE before and options after")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--payload", choices=("generic", "dockerhub", "none"), default="generic")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds between the deploy's end and the sample")
    parser.add_argument("--mappings", action="store_true", help="print the resident KiB per mapped file too")
    parser.add_argument("--json", help="also write every sample to this file")
    args = parser.parse_args()

    samples = {v: [] for v in args.variants}
    maps = {}
    for round_ in range(args.rounds):
        order = args.variants if round_ % 2 == 0 else list(reversed(args.variants))
        for variant in order:
            sample, mappings = measure(variant, args.settle, args.payload)
            samples[variant].append(sample)
            maps.setdefault(variant, mappings)

    print("%-50s %16s %16s %16s %16s %7s" % ("variant (MiB: median [min-max])", "VmRSS", "RssAnon", "RssFile",
                                            "Pss", "threads"))
    for variant in args.variants:
        cells = []
        for key in ("VmRSS", "RssAnon", "RssFile", "Pss"):
            values = [s[key] for s in samples[variant]]
            cells.append("%s [%s-%s]" % (mib(statistics.median(values)), mib(min(values)), mib(max(values))))
        print("%-50s %16s %16s %16s %16s %7d" % (variant[-50:], *cells, samples[variant][0]["Threads"]))
    if args.mappings:
        for variant in args.variants:
            print("\n" + variant)
            for name, kib in sorted(maps[variant].items(), key=lambda item: -item[1]):
                if kib:
                    print("  %7d KiB  %s" % (kib, name))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"samples": samples, "mappings": maps}, f, indent=1)


if __name__ == "__main__":
    main()
