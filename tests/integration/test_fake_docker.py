"""The fake docker records every call and answers as its script says."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import FAKE_DOCKER_BIN_DIR


class FakeDockerTest(unittest.TestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="fake-docker-")
        self.env = dict(os.environ, FAKE_DOCKER_DIR=self.scratch)
        self.env["PATH"] = FAKE_DOCKER_BIN_DIR + os.pathsep + self.env["PATH"]

    def docker(self, *args, timeout=30):
        return subprocess.run(["docker"] + list(args), env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def script(self, answers):
        with open(os.path.join(self.scratch, "script.json"), "w") as f:
            json.dump(answers, f)

    def calls(self):
        with open(os.path.join(self.scratch, "calls.jsonl")) as f:
            return [json.loads(line) for line in f]

    def test_records_argv_and_key_without_global_flags(self):
        self.env["DOCKER_HOST"] = "tcp://10.0.0.1:2376"
        self.assertEqual(0, self.docker("--host", "unix:///x.sock", "--tlsverify", "network", "connect",
                                        "--alias", "a b", "net", "ctr").returncode)
        call = self.calls()[0]
        self.assertEqual(["--host", "unix:///x.sock", "--tlsverify", "network", "connect", "--alias", "a b",
                          "net", "ctr"], call["argv"])
        self.assertEqual("network-connect", call["key"])
        self.assertEqual("tcp://10.0.0.1:2376", call["env"]["DOCKER_HOST"])

    def test_scripted_failure_returns_exit_status_and_stderr(self):
        self.script({"pull": {"exit": 1, "stderr": "manifest unknown\n"}})
        result = self.docker("pull", "demo/app:latest")
        self.assertEqual(1, result.returncode)
        self.assertEqual("manifest unknown\n", result.stderr)

    def test_answers_in_order_then_succeeds(self):
        self.script({"inspect": [{"stdout": "[1]"}, {"exit": 3}]})
        self.assertEqual("[1]", self.docker("inspect", "a").stdout)
        self.assertEqual(3, self.docker("inspect", "a").returncode)
        self.assertEqual(0, self.docker("inspect", "a").returncode)

    def test_answers_by_the_calls_of_another_command(self):
        self.script({"service-inspect": {"after": "service-rollback",
                                         "answers": [{"stdout": "paused"}, {"stdout": "rolled back"}]}})
        self.assertEqual("paused", self.docker("service", "inspect", "web").stdout)
        self.assertEqual("paused", self.docker("service", "inspect", "web").stdout)
        self.docker("service", "rollback", "web")
        self.assertEqual("rolled back", self.docker("service", "inspect", "web").stdout)
        self.docker("service", "rollback", "web")
        self.assertEqual("rolled back", self.docker("service", "inspect", "web").stdout)

    def test_a_key_with_the_last_argument_answers_those_calls_apart(self):
        self.script({"image-inspect": [{"stdout": "[old]"}, {"exit": 3}],
                     "image-inspect demo/app:v2": [{"stdout": "[new]"}, {"exit": 4}]})
        self.assertEqual("[new]", self.docker("image", "inspect", "demo/app:v2").stdout)
        self.assertEqual("[old]", self.docker("image", "inspect", "sha256:1").stdout)
        self.assertEqual(4, self.docker("image", "inspect", "demo/app:v2").returncode)
        self.assertEqual(3, self.docker("image", "inspect", "sha256:1").returncode)
        self.assertEqual(["image-inspect"] * 4, [c["key"] for c in self.calls()])

    def test_hang_is_killed_by_callers_timeout(self):
        self.script({"stop": {"sleep": 60}})
        with self.assertRaises(subprocess.TimeoutExpired):
            self.docker("stop", "app1", timeout=1)

    def test_refuses_to_run_without_a_state_folder(self):
        del self.env["FAKE_DOCKER_DIR"]
        result = self.docker("version")
        self.assertEqual(125, result.returncode)
        self.assertIn("FAKE_DOCKER_DIR", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
