"""Several docker hosts on real engines: the shared sandbox is engine A, the test starts a second
sandbox, engine B, in a namespace of its own (each with its own registry at 127.0.0.1:5000) and
always tears it down. wiretap runs in the host's namespace and reaches both engines over their
unix sockets, with docker.hosts = a, b. One webhook updates the app on both; with B stopped, a
newer push still updates A and the report names B as failed."""
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import unittest

from e2e import E2E_DIR, ENV, SandboxTestCase, docker, inspect

PUSH_TAG = "demo/hosts-app:latest"  # a Docker Hub name, served by each sandbox's mirror
SANDBOX = os.path.join(E2E_DIR, "sandbox.sh")


def sandbox_env(state):
    out = subprocess.run(["bash", "-c", "source %s/env && env -0" % shlex.quote(state)],
                         capture_output=True, check=True).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


def build_on(env, version):
    """Builds the busybox web app as PUSH_TAG in the sandbox of `env` and pushes it to its registry."""
    command = "source %s/lib.sh && build_web_image %s %s" % (
        shlex.quote(E2E_DIR), shlex.quote(PUSH_TAG), shlex.quote(version))
    result = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError("building %s failed: %s" % (PUSH_TAG, result.stderr))


class HostsTest(SandboxTestCase):

    @classmethod
    def setUpClass(cls):
        # Short: the unix socket paths under it must stay below 108 bytes.
        cls.state_b = tempfile.mkdtemp(prefix="wth-", dir="/tmp")
        cls.addClassCleanup(shutil.rmtree, cls.state_b, ignore_errors=True)  # runs last
        cls.addClassCleanup(subprocess.run, ["bash", SANDBOX, "down", cls.state_b], timeout=240)
        subprocess.run(["bash", SANDBOX, "up", cls.state_b], check=True, timeout=240,
                       env=dict(os.environ, WT_SANDBOX_OWNER_PID=str(os.getpid())))
        cls.env_b = dict(sandbox_env(cls.state_b), WT_SANDBOX_DIR=cls.state_b)

    def docker_b(self, *args, check=True):
        result = subprocess.run(["docker"] + list(args), env=self.env_b, capture_output=True, text=True,
                                timeout=120)
        if check and result.returncode != 0:
            raise AssertionError("docker (B) %s failed: %s" % (" ".join(args), result.stderr))
        return result.stdout.strip()

    def run_app(self, on_b):
        run = self.docker_b if on_b else docker
        run("rm", "-f", "hosts-app", check=False)
        run("pull", PUSH_TAG)
        run("run", "--detach", "--name", "hosts-app", "--label", "%s=%s" % (self.LABEL, self.id()), PUSH_TAG)
        self.addCleanup(run, "rm", "-f", "hosts-app", check=False)
        return json.loads(run("container", "inspect", "hosts-app"))[0]

    def deploy(self, wiretap):
        status, answer = wiretap.post("/hooks/generic?token=" + wiretap.token,
                                      json.dumps({"image": PUSH_TAG}))
        self.assertEqual(202, status, answer)
        return wiretap.deployment(answer["accepted"][0]["deploy"])

    def test_one_webhook_updates_both_hosts_and_a_stopped_engine_fails_only_its_part(self):
        for env in (ENV, self.env_b):
            build_on(env, "1.0")
        before_a, before_b = self.run_app(False), self.run_app(True)
        wiretap = self.start_wiretap("--set=docker.hosts=a, b", "--set=docker.hosts.a.url=" + ENV["DOCKER_HOST"],
                                     "--set=docker.hosts.b.url=" + self.env_b["DOCKER_HOST"],
                                     "--set=deploy.minUptime=1", "--set=deploy.healthTimeout=20")

        for env in (ENV, self.env_b):
            build_on(env, "1.1")
        report = self.deploy(wiretap)
        self.assertEqual("updated", report["result"], report)
        self.assertEqual([("a", "updated"), ("b", "updated")], [(h["name"], h["result"]) for h in report["hosts"]])
        after_a = inspect("hosts-app")
        after_b = json.loads(self.docker_b("container", "inspect", "hosts-app"))[0]
        self.assertNotEqual(before_a["Id"], after_a["Id"])
        self.assertNotEqual(before_b["Id"], after_b["Id"])
        for after in (after_a, after_b):
            self.assertEqual("1.1", after["Config"]["Labels"]["org.opencontainers.image.version"])

        subprocess.run(["bash", SANDBOX, "down", self.state_b], check=True, timeout=240)  # engine B stops
        build_on(ENV, "1.2")
        report = self.deploy(wiretap)
        self.assertEqual("failed", report["result"], report)
        hosts = {h["name"]: h for h in report["hosts"]}
        self.assertEqual("updated", hosts["a"]["result"], report)
        self.assertEqual("failed", hosts["b"]["result"], report)
        self.assertTrue(report["error"].startswith("b: "), report["error"])
        self.assertEqual("1.2", inspect("hosts-app")["Config"]["Labels"]["org.opencontainers.image.version"])
        self.assertIn('msg="Deploy finished on host"', wiretap.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
