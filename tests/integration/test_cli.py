"""One-shot modes of the binary: --redeploy, --dry-run, and the start-up engine check."""
import json
import os
import tempfile
import unittest

from harness import CheckedTestCase, base_env, run_wiretap


class CliTest(CheckedTestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="wiretap-cli-")
        self.env = base_env(self.scratch)

    def script(self, answers):
        with open(os.path.join(self.scratch, "script.json"), "w") as f:
            json.dump(answers, f)

    def calls(self, key=None):
        path = os.path.join(self.scratch, "calls.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            calls = [json.loads(line) for line in f]
        return [c for c in calls if key is None or c["key"] == key]

    def test_redeploy_with_nothing_running_the_image_exits_zero_without_pulling(self):
        result = run_wiretap(["--redeploy=demo/hello-world-app"], env=self.env)
        self.assertEqual(0, result.returncode, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual("no_match", report["result"])
        self.assertEqual("docker.io/demo/hello-world-app:latest", report["image"])
        self.assertEqual([], self.calls("pull"))

    def test_redeploy_of_an_invalid_reference_is_a_usage_error(self):
        result = run_wiretap(["--redeploy=User/App"], env=self.env)
        self.assertEqual(64, result.returncode)
        self.assertIn("is not an image reference", result.stderr)
        self.assertEqual([], self.calls())

    def test_malformed_options_are_usage_errors_before_anything_runs(self):
        for args, reason in ((["--bogus"], "Unknown option specified: bogus"),
                             (["--port=0", "--set", "no-equals-sign"], "--set expects KEY=VALUE"),
                             (["-Dno-equals-sign"], "--define expects KEY=VALUE"),
                             (["--config"], "config requires FILE")):
            result = run_wiretap(args, env=self.env)
            self.assertEqual(64, result.returncode, args)
            self.assertIn(reason, result.stderr, args)
            self.assertIn("level=error", result.stderr, args)
        self.assertEqual([], self.calls())

    def test_unreachable_engine_refuses_to_start_with_dockers_reason(self):
        self.script({"version": {"exit": 1, "stdout": '{"Client":{"Version":"28.2.2"},"Server":null}\n',
                                 "stderr": "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                                           "Is the docker daemon running?\n"}})
        for args in (["--port=0", "--set=http.address=127.0.0.1"], ["--redeploy=demo/app"]):
            result = run_wiretap(args, env=self.env)
            self.assertEqual(69, result.returncode, args)
            self.assertIn("Cannot connect to the Docker daemon", result.stderr)
            self.assertEqual(1, len([l for l in result.stderr.splitlines() if "level=error" in l]))

    def test_api_version_the_engine_refuses_is_reported(self):
        self.script({"version": {"exit": 1, "stderr": "Error response from daemon: client version 1.52 is too new. "
                                                      "Maximum supported API version is 1.41\n"}})
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1"], env=self.env)
        self.assertEqual(69, result.returncode)
        self.assertIn("Maximum supported API version is 1.41", result.stderr)

    def test_missing_token_refuses_to_start(self):
        env = dict(self.env)
        del env["TOKEN"]
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1"], env=env)
        self.assertEqual(78, result.returncode)
        self.assertIn("wiretap.token", result.stderr)

    def test_allow_unauthenticated_starts_with_a_warning(self):
        env = dict(self.env)
        del env["TOKEN"]
        import subprocess, signal, time
        from harness import WIRETAP_BIN, free_port
        proc = subprocess.Popen([WIRETAP_BIN, "--port=%d" % free_port(), "--set=http.address=127.0.0.1",
                                 "--set=wiretap.allowUnauthenticated=true"], env=env, stderr=subprocess.PIPE,
                                text=True)
        seen = ""
        while "Listening for webhooks" not in seen:
            line = proc.stderr.readline()
            self.assertTrue(line, seen)
            seen += line
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
        self.assertIn("level=warning", seen)
        self.assertIn("No token is set", seen)


if __name__ == "__main__":
    unittest.main(verbosity=2)
