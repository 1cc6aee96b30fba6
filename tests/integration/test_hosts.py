"""Several docker hosts (docker.hosts) against the real binary: each host is a fake engine of its
own (the fake docker answers by --host). One webhook updates the container on every host; a host
whose engine does not answer fails only its own part, and the report, /v1/deployments and
/metrics name it."""
import json
import os
import tempfile
import time
import unittest

from harness import WiretapTestCase, TEST_TOKEN, fake_docker_calls
from test_deploy_faults import IMAGE, healthy_script

HOST_A = "unix:///run/wiretap-it-a.sock"
HOST_B = "unix:///run/wiretap-it-b.sock"
UNREACHABLE = {"exit": 1, "stderr": "Cannot connect to the Docker daemon at %s. Is the docker daemon running?\n"
                                    % HOST_B}


class HostsTest(WiretapTestCase):

    def start_with(self, script):
        self.engines = tempfile.mkdtemp(prefix="wiretap-hosts-")
        with open(os.path.join(self.engines, "script.json"), "w") as f:
            json.dump(script, f)
        return self.start("--set=docker.hosts=a, b", "--set=docker.hosts.a.url=" + HOST_A,
                          "--set=docker.hosts.b.url=" + HOST_B, "--set=deploy.minUptime=0",
                          "--set=deploy.healthTimeout=5", env_overrides={"FAKE_DOCKER_DIR": self.engines})

    def deploy(self, wiretap):
        status, _, body = wiretap.request("POST", "/hooks/generic?token=" + TEST_TOKEN,
                                          json.dumps({"image": IMAGE}).encode(),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        deploy_id = json.loads(body)["accepted"][0]["deploy"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, _, report = wiretap.json("GET", "/v1/deployments/%s?token=%s" % (deploy_id, TEST_TOKEN))
            if status == 200:
                return report
            time.sleep(0.1)
        self.fail("deploy %s never finished:\n%s" % (deploy_id, wiretap.log()))

    def creates_on(self, host):
        return [c for c in fake_docker_calls(self.engines) if c["key"] == "create" and c["host"] == host]

    def test_one_webhook_updates_the_container_on_every_host(self):
        wiretap = self.start_with(healthy_script())
        report = self.deploy(wiretap)
        self.assertEqual("updated", report["result"], report)
        self.assertEqual([("a", "updated"), ("b", "updated")],
                         [(h["name"], h["result"]) for h in report["hosts"]])
        self.assertEqual(["a", "b"], sorted(c["host"] for c in report["containers"]))
        self.assertEqual(1, len(self.creates_on(HOST_A)))
        self.assertEqual(1, len(self.creates_on(HOST_B)))
        log = wiretap.log()
        self.assertIn('msg="Pulling newer image" Image="127.0.0.1:5000/wiretap-e2e/backend:v1" Host=a', log)
        self.assertIn("Host=b", log)
        metrics = wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn('wiretap_host_deploys_total{host="a",result="updated"} 1', metrics)
        self.assertIn('wiretap_host_deploys_total{host="b",result="updated"} 1', metrics)
        self.assertIn('wiretap_docker_calls_total{host="b",verb="create",result="ok"} 1', metrics)

    def test_a_host_whose_engine_is_down_fails_only_its_part(self):
        script = healthy_script()
        script["@" + HOST_B] = {"version": UNREACHABLE}
        wiretap = self.start_with(script)
        self.assertIn('level=warning msg="Docker engine unreachable; its deploys fail until it answers" Host=b',
                      wiretap.log())
        report = self.deploy(wiretap)
        self.assertEqual("failed", report["result"])
        self.assertTrue(report["error"].startswith("b: "), report["error"])
        self.assertIn("Cannot connect to the Docker daemon", report["error"])
        hosts = {h["name"]: h for h in report["hosts"]}
        self.assertEqual("updated", hosts["a"]["result"])
        self.assertEqual("failed", hosts["b"]["result"])
        self.assertEqual(1, len(self.creates_on(HOST_A)))
        self.assertEqual([], self.creates_on(HOST_B))
        status, _, listing = wiretap.json("GET", "/v1/deployments?token=" + TEST_TOKEN)
        self.assertEqual(200, status)
        self.assertEqual("failed", listing["deployments"][0]["hosts"][1]["result"])
        metrics = wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn('wiretap_host_deploys_total{host="a",result="updated"} 1', metrics)
        self.assertIn('wiretap_host_deploys_total{host="b",result="failed"} 1', metrics)

    def redeploy(self, script, *args):
        """`wiretap --redeploy=IMAGE` on both fake engines; its exit code and JSON report."""
        from harness import run_wiretap, base_env
        self.engines = tempfile.mkdtemp(prefix="wiretap-hosts-")
        with open(os.path.join(self.engines, "script.json"), "w") as f:
            json.dump(script, f)
        result = run_wiretap(["--redeploy=" + IMAGE, "--set=docker.hosts=a, b", "--set=docker.hosts.a.url=" + HOST_A,
                              "--set=docker.hosts.b.url=" + HOST_B, "--set=deploy.minUptime=0",
                              "--set=deploy.healthTimeout=5"] + list(args),
                             env=base_env(self.engines), timeout=60)
        self.assertTrue(result.stdout.strip(), result.stderr)
        return result.returncode, json.loads(result.stdout), result.stderr

    def test_redeploy_on_the_command_line_covers_every_host(self):
        code, report, stderr = self.redeploy(healthy_script())
        self.assertEqual(0, code, stderr)
        self.assertEqual([("a", "updated"), ("b", "updated")], [(h["name"], h["result"]) for h in report["hosts"]])
        self.assertEqual(1, len(self.creates_on(HOST_A)))
        self.assertEqual(1, len(self.creates_on(HOST_B)))

    def test_redeploy_with_a_host_down_exits_1_and_names_it(self):
        script = healthy_script()
        script["@" + HOST_B] = {"version": UNREACHABLE}
        code, report, stderr = self.redeploy(script)
        self.assertEqual(1, code, stderr)
        self.assertEqual("failed", report["result"])
        self.assertTrue(report["error"].startswith("b: "), report["error"])
        self.assertEqual({"a": "updated", "b": "failed"}, {h["name"]: h["result"] for h in report["hosts"]})
        self.assertEqual(1, len(self.creates_on(HOST_A)))

    def test_redeploy_dry_run_plans_on_every_host_and_changes_nothing(self):
        code, report, stderr = self.redeploy(healthy_script(), "--dry-run")
        self.assertEqual(0, code, stderr)
        self.assertEqual("dry_run", report["result"], report)
        self.assertEqual([("a", "dry_run"), ("b", "dry_run")], [(h["name"], h["result"]) for h in report["hosts"]])
        self.assertEqual({"a", "b"}, {c["host"] for c in report["containers"]})
        read_only = {"version", "info", "container-ls", "container-inspect", "image-inspect"}
        calls = fake_docker_calls(self.engines)
        self.assertEqual({HOST_A, HOST_B}, {c["host"] for c in calls})
        self.assertEqual([], [c["key"] for c in calls if c["key"] not in read_only])

    def test_no_host_answering_refuses_to_start(self):
        from harness import run_wiretap, base_env
        engines = tempfile.mkdtemp(prefix="wiretap-hosts-")
        with open(os.path.join(engines, "script.json"), "w") as f:
            json.dump({"version": UNREACHABLE}, f)
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1", "--set=docker.hosts=a,b",
                              "--set=docker.hosts.a.url=" + HOST_A, "--set=docker.hosts.b.url=" + HOST_B],
                             env=base_env(engines))
        self.assertEqual(69, result.returncode, result.stderr)
        self.assertIn("no docker host answers: a: ", result.stderr)

    def test_a_host_without_url_is_a_config_error(self):
        from harness import run_wiretap
        result = run_wiretap(["--check-config", "--set=docker.hosts=a,b", "--set=docker.hosts.a.url=" + HOST_A])
        self.assertEqual(78, result.returncode, result.stderr)
        self.assertIn("docker.hosts.b.url", result.stderr)


if __name__ == "__main__":
    unittest.main()
