"""Starts the real wiretap binary for integration tests and talks to it over HTTP.

Environment (set by CMake): WIRETAP_BIN, the binary under test; FAKE_DOCKER_BIN_DIR,
a folder whose `docker` is the fake. Each WiretapProcess gets its own scratch
folder (FAKE_DOCKER_DIR) and a free loopback port.

Sanitizers and valgrind (scripts/test-sanitizers.sh, scripts/test-valgrind.sh):
when ASAN_OPTIONS or UBSAN_OPTIONS is set, every process the tests start writes
its sanitizer reports into one folder (log_path), and a CheckedTestCase fails
when a report appeared during the test, whatever the exit code the test
expected. WIRETAP_VALGRIND=1 runs WIRETAP_BIN under valgrind memcheck (through
a small wrapper script, so every test's way of starting it is covered); an
error or a definite leak makes valgrind exit 99 and write the same folder.
Without --track-origins, which made the tier take half as long again; to see
where an uninitialised value came from, rerun the test with
VALGRIND_OPTS=--track-origins=yes.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

WIRETAP_BIN = os.environ.get("WIRETAP_BIN", "wiretap")
FAKE_DOCKER_BIN_DIR = os.environ.get("FAKE_DOCKER_BIN_DIR", "")
TEST_TOKEN = "test-token"
SOURCE_DIR = os.environ.get("WIRETAP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

# Where sanitizer and valgrind reports of this suite's processes go; None when neither is on.
REPORT_DIR = None
if os.environ.get("ASAN_OPTIONS") or os.environ.get("UBSAN_OPTIONS") or os.environ.get("WIRETAP_VALGRIND") == "1":
    REPORT_DIR = tempfile.mkdtemp(prefix="wiretap-reports-")
    for var, prefix in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
        options = os.environ.get(var, "")
        os.environ[var] = (options + ":" if options else "") + "log_path=" + os.path.join(REPORT_DIR, prefix)

if os.environ.get("WIRETAP_VALGRIND") == "1":
    _wrapper = os.path.join(REPORT_DIR, "wiretap-under-valgrind")
    with open(_wrapper, "w") as f:
        f.write("#!/bin/sh\n"
                "exec %s --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
                " --show-leak-kinds=definite --num-callers=30"
                " --suppressions=%s --log-file=%s/valgrind.%%p %s \"$@\"\n"
                % (shutil.which("valgrind") or "valgrind",  # absolute: some tests run with a bare PATH
                   os.path.join(SOURCE_DIR, "tests", "sanitizers", "valgrind.supp"), REPORT_DIR, WIRETAP_BIN))
    os.chmod(_wrapper, 0o755)
    WIRETAP_BIN = _wrapper

# valgrind makes start-up several times slower.
SLOWDOWN = 10 if os.environ.get("WIRETAP_VALGRIND") == "1" else 1


def sanitizer_reports():
    """The report files written so far: {path: text}. Valgrind writes an empty log when all is well."""
    if REPORT_DIR is None:
        return {}
    reports = {}
    for name in sorted(os.listdir(REPORT_DIR)):
        path = os.path.join(REPORT_DIR, name)
        if name.startswith(("asan.", "ubsan.", "valgrind.")):
            with open(path, errors="replace") as f:
                text = f.read()
            if text.strip():
                reports[path] = text
    return reports


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wiretap(args, env=None, timeout=30):
    """Runs wiretap to completion (for options that exit at once)."""
    return subprocess.run([WIRETAP_BIN] + list(args), env=env or base_env(tempfile.mkdtemp()),
                          capture_output=True, text=True, timeout=timeout)


def fake_docker_calls(scratch):
    """The calls the fake docker recorded in `scratch` (its FAKE_DOCKER_DIR), oldest first."""
    path = os.path.join(scratch, "calls.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f]


def base_env(scratch):
    env = dict(os.environ)
    env["PATH"] = FAKE_DOCKER_BIN_DIR + os.pathsep + env.get("PATH", "")
    env["FAKE_DOCKER_DIR"] = scratch
    env["STATE_DIRECTORY"] = scratch  # the deploy journal's state.dir, as systemd would pass it
    env["TOKEN"] = TEST_TOKEN
    return env


class WiretapProcess:
    """One running wiretap on 127.0.0.1:<free port>; stop() returns its exit code."""

    def __init__(self, *extra_args, env_overrides=None):
        self.scratch = tempfile.mkdtemp(prefix="wiretap-it-")
        self.port = free_port()
        self.env = base_env(self.scratch)
        self.env.update(env_overrides or {})
        self.log_path = os.path.join(self.scratch, "wiretap.log")
        self.args = [WIRETAP_BIN, "--port=%d" % self.port, "--set=http.address=127.0.0.1",
                     "--set=state.dir=" + self.scratch] + list(extra_args)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.args, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout=10):
        deadline = time.monotonic() + timeout * SLOWDOWN
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("wiretap exited with %s before it was ready:\n%s"
                                     % (self.proc.returncode, self.log()))
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("wiretap did not answer /healthz within %ss:\n%s" % (timeout, self.log()))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None):
        status, hdrs, data = self.request(method, path, body, headers)
        return status, hdrs, json.loads(data) if data else None

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()

    def close(self, timeout=20):
        """Stops it as systemd would: SIGTERM, then SIGKILL after `timeout` seconds. A clean exit lets
        LeakSanitizer and valgrind check for leaks, which SIGKILL would skip."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def log(self):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path) as f:
            return f.read()

    def calls(self):
        return fake_docker_calls(self.scratch)


class CheckedTestCase(unittest.TestCase):
    """Fails a test when a process it started wrote a sanitizer or valgrind report."""

    def run(self, result=None):
        # Registered first, so it runs last: after the cleanups that stop the processes.
        before = set(sanitizer_reports())
        self.addCleanup(self._assertNoNewReports, before)
        return super().run(result)

    def _assertNoNewReports(self, before):
        new = {path: text for path, text in sanitizer_reports().items() if path not in before}
        if new:
            self.fail("sanitizer or valgrind reports:\n" +
                      "\n".join("== %s ==\n%s" % (path, text) for path, text in new.items()))


class WiretapTestCase(CheckedTestCase):
    """Stops every wiretap a test started, also when the test fails."""

    def start(self, *args, **kwargs):
        process = WiretapProcess(*args, **kwargs)
        self.addCleanup(process.close)
        return process

    def assertOneErrorLine(self, output, *fragments):
        lines = [line for line in output.splitlines() if line.strip()]
        self.assertEqual(1, len(lines), "expected exactly one line, got:\n" + output)
        self.assertIn("level=error", lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
