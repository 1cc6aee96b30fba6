"""DockerCli against the fake docker: the argv, global flags and environment it runs, the order of
a recreate, what a failure reports. Driven through recreate_tool (RECREATE_TOOL, built from
tests/e2e/backend) and, once the application exposes them, `wiretap --print-run` and the start-up
engine check. The canned inspect answers are the recorded fixtures of tests/fixtures/inspect.
"""
import json
import os
import subprocess
import tempfile
import unittest

from harness import FAKE_DOCKER_BIN_DIR, WIRETAP_BIN, CheckedTestCase

RECREATE_TOOL = os.environ.get("RECREATE_TOOL", "")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "inspect")


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json"), encoding="utf-8") as f:
        return f.read()


def wiretap_has_print_run():
    try:
        out = subprocess.run([WIRETAP_BIN, "--help"], capture_output=True, text=True, timeout=10)
    except OSError:
        return False
    return "print-run" in out.stdout + out.stderr


class DockerCliTest(CheckedTestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="docker-cli-")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        self.env.update(FAKE_DOCKER_DIR=self.scratch, PATH=FAKE_DOCKER_BIN_DIR + os.pathsep + os.environ["PATH"])
        self.container = json.loads(fixture("fid-04"))[0]
        self.script({"container-ls": {"stdout": self.container["Id"] + "\n"},
                     "container-inspect": {"stdout": fixture("fid-04")},
                     "image-inspect": {"stdout": fixture("image-v1")},
                     "create": {"stdout": "f" * 64 + "\n"}})

    def script(self, answers):
        with open(os.path.join(self.scratch, "script.json"), "w") as f:
            json.dump(answers, f)

    def calls(self):
        path = os.path.join(self.scratch, "calls.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def tool(self, *args):
        if not RECREATE_TOOL:
            self.skipTest("RECREATE_TOOL is not set")
        return subprocess.run([RECREATE_TOOL] + list(args), env=self.env, capture_output=True, text=True, timeout=60)

    def test_print_run_inspects_container_and_its_image_by_id_in_four_calls(self):
        result = self.tool("print-run", "fid-04")
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(result.stdout.startswith("docker run -d --name=fid-04 --network=fidnet --network-alias=front "),
                        result.stdout)
        self.assertIn(" 127.0.0.1:5000/wiretap-e2e/backend:v1 && docker network connect --alias=back --alias=api "
                      "fidnet2 fid-04 && docker network connect --ip=172.31.1.60 fidnet3 fid-04\n", result.stdout)
        calls = self.calls()
        self.assertEqual(["container-ls", "container-inspect", "container-inspect", "image-inspect"],
                         [c["key"] for c in calls])
        self.assertEqual(["container", "ls", "--all", "--quiet", "--no-trunc"], calls[0]["argv"])
        self.assertEqual(["container", "inspect", self.container["Id"]], calls[1]["argv"])
        self.assertEqual(["image", "inspect", self.container["Image"]], calls[3]["argv"])

    def test_recreate_runs_the_plain_sequence(self):
        result = self.tool("recreate", "--image=demo/app:2", "--stop-time=5", "fid-04")
        self.assertEqual(0, result.returncode, result.stderr)
        calls = self.calls()
        self.assertEqual(["container-ls", "container-inspect", "container-inspect", "image-inspect",
                          "container-rename", "create", "container-stop", "network-connect", "network-connect",
                          "container-start", "container-rm"], [c["key"] for c in calls])
        cid = self.container["Id"]
        self.assertEqual(["container", "rename", cid, "fid-04-wiretap-old"], calls[4]["argv"])
        self.assertEqual(["create", "--name=fid-04", "--network=fidnet", "--network-alias=front"], calls[5]["argv"][:4])
        self.assertEqual("demo/app:2", calls[5]["argv"][-1])
        self.assertEqual(["container", "stop", "-t", "5", cid], calls[6]["argv"])
        self.assertEqual(["network", "connect", "--alias=back", "--alias=api", "fidnet2", "fid-04"], calls[7]["argv"])
        self.assertEqual(["container", "rm", "--force", cid], calls[10]["argv"])

    def test_seed_certificate_files_become_tls_flags(self):
        for name in ("cert.pem", "key.pem", "ca.pem"):
            with open(os.path.join(self.scratch, name), "w") as f:
                f.write("x")
        self.env.update(DOCKER_HOST="tcp://10.0.0.1:2376", DOCKER_CERT_PATH=os.path.join(self.scratch, "cert.pem"),
                        DOCKER_KEY_PATH=os.path.join(self.scratch, "key.pem"),
                        DOCKER_CA_CERT_PATH=os.path.join(self.scratch, "ca.pem"))
        result = self.tool("print-run", "fid-04")
        self.assertEqual(0, result.returncode, result.stderr)
        call = self.calls()[0]
        self.assertEqual(["--host", "tcp://10.0.0.1:2376", "--tlsverify",
                          "--tlscacert", os.path.join(self.scratch, "ca.pem"),
                          "--tlscert", os.path.join(self.scratch, "cert.pem"),
                          "--tlskey", os.path.join(self.scratch, "key.pem"), "container", "ls"], call["argv"][:11])
        self.assertEqual("", call["env"]["DOCKER_CERT_PATH"])  # not a folder for the CLI to read

    def test_certificate_folder_and_config_are_the_clis_own(self):
        self.env.update(DOCKER_CERT_PATH=self.scratch, DOCKER_TLS_VERIFY="1", DOCKER_CONFIG=self.scratch)
        for name in ("cert.pem", "key.pem", "ca.pem"):
            with open(os.path.join(self.scratch, name), "w") as f:
                f.write("x")
        self.assertEqual(0, self.tool("print-run", "fid-04").returncode)
        call = self.calls()[0]
        self.assertEqual(["--config", self.scratch, "container", "ls"], call["argv"][:4])
        self.assertEqual({"DOCKER_CERT_PATH": self.scratch, "DOCKER_TLS_VERIFY": "1", "DOCKER_CONFIG": self.scratch},
                         call["env"])

    def test_failed_create_reports_masked_command_and_stderr(self):
        self.script({"container-ls": {"stdout": ""}, "container-inspect": {"stdout": fixture("fid-14")},
                     "image-inspect": {"stdout": fixture("image-v1")},
                     "create": {"exit": 125, "stderr": "docker: Error response from daemon: Conflict.\n"}})
        result = self.tool("recreate", "fid-14")
        self.assertEqual(1, result.returncode)
        self.assertIn("'--env=B=***'", result.stderr)
        self.assertNotIn("two words", result.stderr)
        self.assertIn("exit status 125: docker: Error response from daemon: Conflict.", result.stderr)

    def test_missing_docker_binary_is_a_config_error(self):
        self.env["PATH"] = "/nonexistent"
        result = self.tool("check-engine")
        self.assertEqual(1, result.returncode)
        self.assertIn("invalid configuration: docker.binary: 'docker' was not found in PATH (/nonexistent)",
                      result.stderr)

    def test_engine_check_quotes_docker_when_the_api_is_refused(self):
        self.script({"version": {"exit": 1, "stdout": '{"Client":{"Version":"28.2.2","ApiVersion":"1.52"},"Server":null}',
                                 "stderr": "Error response from daemon: client version 1.52 is too new. "
                                           "Maximum supported API version is 1.41\n"}})
        result = self.tool("check-engine")
        self.assertEqual(1, result.returncode)
        self.assertIn("the docker CLI cannot talk to the engine: Error response from daemon: client version 1.52 is "
                      "too new. Maximum supported API version is 1.41", result.stderr)
        self.assertEqual(["version", "--format", "{{json .}}"], self.calls()[0]["argv"])

    def test_engine_check_reports_versions(self):
        self.script({"version": {"stdout": '{"Client":{"Version":"28.2.2","ApiVersion":"1.41"},'
                                           '"Server":{"Version":"20.10.24","ApiVersion":"1.41"}}'}})
        result = self.tool("check-engine")
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("client 28.2.2 (API 1.41), engine 20.10.24 (API 1.41)\n", result.stdout)

    @unittest.skipUnless(wiretap_has_print_run(), "wiretap has no --print-run option yet")
    def test_wiretap_print_run_prints_the_same_line(self):
        expected = self.tool("print-run", "fid-04").stdout
        result = subprocess.run([WIRETAP_BIN, "--print-run=fid-04"], env=self.env, capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(expected, result.stdout)


if __name__ == "__main__":
    unittest.main()
