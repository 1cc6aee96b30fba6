"""Helpers for wiretap's Python e2e tests: the shared sandbox (tests/e2e/sandbox.sh),
docker through its socket, HTTP inside its namespace, test images, and wiretap itself."""
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

E2E_DIR = os.path.dirname(os.path.abspath(__file__))
WIRETAP_BIN = os.environ.get("WIRETAP_BIN", "wiretap")


def load_sandbox_env():
    """The environment of the sandbox named by WT_SANDBOX_DIR (its env file, as bash sources it)."""
    state = os.environ.get("WT_SANDBOX_DIR")
    if not state or not os.path.exists(os.path.join(state, "env")):
        raise AssertionError("no sandbox: WT_SANDBOX_DIR=%r has no env file (run via ctest -L e2e)" % state)
    out = subprocess.run(["bash", "-c", "source %s/env && env -0" % shlex.quote(state)],
                         capture_output=True, check=True).stdout
    env = dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)
    return env


ENV = load_sandbox_env()


def docker(*args, check=True, timeout=120):
    result = subprocess.run(["docker"] + list(args), env=ENV, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError("docker %s failed (%d): %s" % (" ".join(args), result.returncode, result.stderr))
    return result.stdout.strip()


def inspect(name):
    return json.loads(docker("container", "inspect", name))[0]


def http_in_ns(url, timeout=5):
    """(status, body) of GET url from inside the sandbox namespace; status 0 when no connection."""
    script = ("import sys,urllib.request,urllib.error\n"
              "try:\n r=urllib.request.urlopen(sys.argv[1],timeout=%d); print(r.status); sys.stdout.write(r.read().decode())\n"
              "except urllib.error.HTTPError as e: print(e.code)\n"
              "except Exception: print(0)\n" % timeout)
    out = subprocess.run(["nsenter", "--net=" + ENV["WT_NETNS_PATH"], "python3", "-c", script, url],
                         capture_output=True, text=True, timeout=timeout + 10).stdout
    status, _, body = out.partition("\n")
    return int(status or 0), body


def build_image(tag, version, *dockerfile_lines):
    """Builds the busybox web app (tests/e2e/images/web) as WT_REGISTRY/tag and pushes it; returns the digest."""
    command = "source %s/lib.sh && build_web_image %s" % (
        shlex.quote(E2E_DIR), " ".join(shlex.quote(arg) for arg in (tag, version) + dockerfile_lines))
    result = subprocess.run(["bash", "-c", command], env=ENV, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError("building %s failed: %s" % (tag, result.stderr))
    return result.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wiretap:
    """wiretap on 127.0.0.1:<free port>, driving the sandbox engine, logging to a file."""

    def __init__(self, *extra_args, in_namespace=False):
        """in_namespace: run inside the sandbox's network namespace (reachable from its registry,
        not from here: use the log)."""
        self.token = secrets.token_hex(20)
        self.port = free_port()
        self.scratch = tempfile.mkdtemp(prefix="wiretap-run-")
        self.log_path = os.path.join(self.scratch, "wiretap.log")
        env = dict(ENV, TOKEN=self.token)
        self._log = open(self.log_path, "w")
        prefix = ["nsenter", "--net=" + ENV["WT_NETNS_PATH"]] if in_namespace else []
        self.proc = subprocess.Popen(
            prefix + [WIRETAP_BIN, "--port=%d" % self.port, "--set=http.address=127.0.0.1",
                      "--set=state.dir=" + self.scratch] + list(extra_args),
            env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.wait_for_log("Listening for webhooks")

    @property
    def webhook_url(self):
        return "http://127.0.0.1:%d/listen?token=%s" % (self.port, self.token)

    def post(self, path_and_query, body, headers=None):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", path_and_query, body, dict({"Content-Type": "application/json"}, **(headers or {})))
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    def get_json(self, path):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_for_log(self, text, timeout=120, count=1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(text) >= count:
                return
            if self.proc.poll() is not None:
                raise AssertionError("wiretap exited (%s):\n%s" % (self.proc.returncode, self.log()))
            time.sleep(0.1)
        raise AssertionError("wiretap's log never showed %r:\n%s" % (text, self.log()))

    def deployment(self, deploy_id, timeout=180):
        """Waits for the deploy to finish; returns its report."""
        self.wait_for_log('msg="Deploy finished" Deploy=%s ' % deploy_id, timeout)
        status, report = self.get_json("/v1/deployments/%s?token=%s" % (deploy_id, self.token))
        if status != 200:
            raise AssertionError("no report for %s: %s %s" % (deploy_id, status, report))
        return report

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


class SandboxTestCase(unittest.TestCase):
    """Removes the containers a test labelled, also when it fails."""

    LABEL = "wiretap.e2e.test"

    def setUp(self):
        self.addCleanup(self.remove_labelled)

    def remove_labelled(self):
        ids = docker("ps", "-aq", "--filter", "label=%s=%s" % (self.LABEL, self.id())).split()
        if ids:
            docker("rm", "-f", *ids, check=False)

    def run_container(self, name, *args):
        docker("rm", "-f", name, check=False)
        self.addCleanup(docker, "rm", "-f", name, check=False)
        return docker("run", "--detach", "--name", name, "--label", "%s=%s" % (self.LABEL, self.id()), *args)

    def start_wiretap(self, *args, in_namespace=False):
        wiretap = Wiretap(*args, in_namespace=in_namespace)
        # Cleanups run last-in first-out: stopped first, then its scratch folder goes.
        self.addCleanup(shutil.rmtree, wiretap.scratch, ignore_errors=True)
        self.addCleanup(wiretap.stop)
        return wiretap
