"""The fault-injection matrix: every docker call of a deploy fails, then hangs past its timeout,
in turn; each time the engine the calls describe must end with exactly one container under the
original name, running, on the old or the new image, nothing left under the aside name, the
report right, and no open update in the journal. Also: the docker binary missing or not
executable, the engine gone during a deploy, and a state directory that is not writable or full.

The fake docker is scripted (test_deploy_faults.healthy_script); EngineModel replays its calls.
"""
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import unittest

from harness import CheckedTestCase, WiretapProcess, base_env, run_wiretap
from test_deploy_faults import (FAIL, IMAGE, NEW_ID, OLD, answer, created_new, healthy_script, one_network_script,
                                running_new)

HANG = {"sleep": 30}
# (fake-docker key, which call of it, what the deploy reports, the report's failing step).
# `None` for the step: the failure is the deploy's own (nothing was touched).
STEPS = [
    ("container-ls", 1, "failed", None),
    ("container-inspect", 1, "failed", None),
    ("image-pull", 1, "failed", None),
    ("image-inspect " + IMAGE, 1, "failed", None),
    ("container-stop", 1, "rolled_back", "stop"),
    ("container-rename", 1, "rolled_back", "rename"),
    ("create", 1, "rolled_back", "create"),
    ("network-connect", 1, "rolled_back", "connect fidnet"),
    ("container-start", 1, "rolled_back", "start"),
    ("container-inspect", 2, "rolled_back", "wait"),
    ("container-rm", 1, "rolled_back", "remove"),
]
# The same container on one network: created and started by one `docker run`.
RUN_STEPS = [step for step in STEPS if step[0] not in ("create", "network-connect", "container-start")]
RUN_STEPS.insert(RUN_STEPS.index(("container-inspect", 2, "rolled_back", "wait")), ("run", 1, "rolled_back", "run"))


class EngineModel:
    """The containers an engine would hold after the recorded calls (the fake docker keeps none)."""

    def __init__(self, failed_run_created=False):
        self.containers = {OLD["Id"]: {"name": "fid-base", "running": True, "image": "old"}}
        # Whether a `docker run` that failed (or hung) had created its container first.
        self.failed_run_created = failed_run_created

    def replay(self, calls):
        for call in calls:
            key, argv = call["key"], call["argv"]
            failed = call.get("exit", 0) != 0 or call.get("sleep", 0) > 0
            if key == "run" and (not failed or self.failed_run_created):
                name = next(a.split("=", 1)[1] for a in argv if a.startswith("--name="))
                self.containers[NEW_ID] = {"name": name, "running": not failed, "image": "new"}
            if failed:
                continue  # failed, or hung and killed: nothing changed
            target = argv[-1]
            if key == "container-stop" and target in self.containers:
                self.containers[target]["running"] = False
            elif key == "container-rename" and argv[-2] in self.containers:
                self.containers[argv[-2]]["name"] = argv[-1]
            elif key == "create":
                name = next(a.split("=", 1)[1] for a in argv if a.startswith("--name="))
                self.containers[NEW_ID] = {"name": name, "running": False, "image": "new"}
            elif key == "container-start" and target in self.containers:
                self.containers[target]["running"] = True
            elif key == "container-rm" and target in self.containers:
                del self.containers[target]
        return self

    def named(self, name):
        return [c for c in self.containers.values() if c["name"] == name]


class FaultMatrixTest(CheckedTestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="wiretap-matrix-")
        self.addCleanup(shutil.rmtree, self.scratch, True)

    def redeploy(self, script, *extra, env=None):
        env = env or base_env(self.scratch)
        with open(os.path.join(env["FAKE_DOCKER_DIR"], "script.json"), "w") as f:
            json.dump(script, f)
        result = run_wiretap(["--redeploy=" + IMAGE, "--set=deploy.minUptime=0", "--set=deploy.stopTimeout=1",
                              "--set=docker.timeout=1", "--set=docker.pullTimeout=1", *extra], env=env, timeout=120)
        return result, env

    def calls(self, env):
        path = os.path.join(env["FAKE_DOCKER_DIR"], "calls.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def open_updates(self, env):
        db = sqlite3.connect(os.path.join(env["STATE_DIRECTORY"], "wiretap.db"))
        try:
            return db.execute("SELECT container, step FROM updates WHERE finished = 0").fetchall()
        finally:
            db.close()

    def reports(self, env):
        """Every deploy report in the journal, oldest first."""
        db = sqlite3.connect(os.path.join(env["STATE_DIRECTORY"], "wiretap.db"))
        try:
            return [json.loads(text) for (text,) in db.execute("SELECT json FROM reports ORDER BY seq")]
        finally:
            db.close()

    def assertSafeEnd(self, env, context, failed_run_created=False):
        engine = EngineModel(failed_run_created).replay(self.calls(env))
        holders = engine.named("fid-base")
        self.assertEqual(1, len(holders), "%s: %s" % (context, engine.containers))
        self.assertTrue(holders[0]["running"], "%s: %s" % (context, engine.containers))
        self.assertFalse([c for c in engine.containers.values() if "-wiretap-old-" in c["name"]],
                         "%s: %s" % (context, engine.containers))
        self.assertEqual([], self.open_updates(env), context)

    def inject(self, key, nth, answer, script=None):
        script = script or healthy_script()
        healthy = script.get(key, {})
        answers = list(healthy) if isinstance(healthy, list) else [healthy] * nth
        while len(answers) < nth:
            answers.append({})
        answers[nth - 1] = answer
        script[key] = answers
        return script

    def run_matrix(self, answer, reason, steps=STEPS, script=healthy_script):
        for key, nth, result, step in steps:
            with self.subTest(key=key, nth=nth, path=script.__name__):
                scratch = tempfile.mkdtemp(prefix="case-", dir=self.scratch)
                run, env = self.redeploy(self.inject(key, nth, answer, script()), env=base_env(scratch))
                context = "%s #%d: %s" % (key, nth, run.stderr[-2000:])
                self.assertEqual(1, run.returncode, context)
                report = json.loads(run.stdout)
                self.assertEqual(result, report["result"], context)
                if step is None:
                    self.assertIn(reason, report["error"], context)
                    self.assertNotIn("container-stop", [c["key"] for c in self.calls(env)], context)
                else:
                    container = report["containers"][0]
                    self.assertIn(reason, container["reason"], context)
                    failed = [s["step"] for s in container["steps"] if s.get("error")]
                    self.assertEqual(step, failed[0], context)
                self.assertSafeEnd(env, context)

    def test_every_step_failing_in_turn(self):
        self.run_matrix(FAIL, "injected failure")

    def test_every_step_hanging_past_its_timeout_in_turn(self):
        self.run_matrix(HANG, "timed out")

    def test_every_step_of_an_update_by_run_failing_in_turn(self):
        self.run_matrix(FAIL, "injected failure", RUN_STEPS, one_network_script)

    def test_every_step_of_an_update_by_run_hanging_past_its_timeout_in_turn(self):
        self.run_matrix(HANG, "timed out", RUN_STEPS, one_network_script)

    def test_run_failing_or_hanging_after_it_created_the_container(self):
        # The engine made the container, then the start failed (or the call was killed at its
        # timeout): the rollback finds it by the original name and removes it.
        for answer_, reason in ((FAIL, "injected failure"), (HANG, "timed out")):
            with self.subTest(reason=reason):
                scratch = tempfile.mkdtemp(prefix="case-", dir=self.scratch)
                script = self.inject("run", 1, answer_, one_network_script())
                script["container-inspect fid-base"] = answer(created_new())
                run, env = self.redeploy(script, env=base_env(scratch))
                context = "run created, then %s: %s" % (reason, run.stderr[-2000:])
                self.assertEqual(1, run.returncode, context)
                container = json.loads(run.stdout)["containers"][0]
                self.assertEqual("rolled_back", container["result"], context)
                self.assertIn(reason, container["reason"], context)
                self.assertIn("container-rm", [c["key"] for c in self.calls(env)], context)
                self.assertSafeEnd(env, context, failed_run_created=True)

    def test_failed_image_removal_after_an_update_is_only_a_warning(self):
        script = healthy_script()
        script["image-rm"] = FAIL
        # After the update the engine lists only the new container, on the new image.
        script["container-ls"] = [script["container-ls"], {"stdout": NEW_ID + "\n"}]
        script["container-inspect"] = script["container-inspect"] + [answer(running_new())]
        run, env = self.redeploy(script, "--set=deploy.cleanup=true")
        self.assertEqual(0, run.returncode, run.stderr)
        self.assertEqual("updated", json.loads(run.stdout)["result"])
        self.assertIn('msg="Old image not removed"', run.stderr)
        self.assertIn("image-rm", [c["key"] for c in self.calls(env)])
        self.assertSafeEnd(env, run.stderr)

    def test_failed_swarm_manager_check_fails_the_deploy_but_still_updates_the_containers(self):
        for answer_, reason in ((FAIL, "injected failure"), (HANG, "timed out")):
            with self.subTest(reason=reason):
                scratch = tempfile.mkdtemp(prefix="case-", dir=self.scratch)
                script = healthy_script()
                script["info"] = answer_
                run, env = self.redeploy(script, env=base_env(scratch))
                self.assertEqual(1, run.returncode, run.stderr)
                report = json.loads(run.stdout)
                self.assertEqual("failed", report["result"], run.stderr)
                self.assertIn("Swarm services not listed", report["error"])
                self.assertIn(reason, report["error"])
                self.assertEqual("updated", report["containers"][0]["result"], run.stderr)
                self.assertSafeEnd(env, run.stderr)

    def test_engine_gone_in_the_middle_of_a_deploy(self):
        script = healthy_script()
        gone = {"exit": 1, "stderr": "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                                     "Is the docker daemon running?\n"}
        for key in ("container-rename", "create", "container-start", "container-rm", "network-connect"):
            script[key] = gone
        run, env = self.redeploy(script)
        self.assertEqual(1, run.returncode)
        report = json.loads(run.stdout)
        # The rollback cannot reach the engine either: reported, never claimed.
        self.assertEqual("failed", report["result"], report)
        self.assertIn("Cannot connect to the Docker daemon", report["containers"][0]["reason"])
        self.assertIn('msg="Rollback failed"', run.stderr)
        # The container is stopped and the rollback could not start it: the update stays open
        # in the journal, so the next start (or --redeploy) recovers it.
        self.assertEqual(["fid-base"], [container for container, _ in self.open_updates(env)])
        again, _ = self.redeploy(healthy_script(), env=env)
        self.assertIn('msg="Recovered container"', again.stderr)
        self.assertEqual([], self.open_updates(env))
        # What the recovery did is a report of its own, under the first deploy's id.
        first, recovery = [r for r in self.reports(env) if r["id"] == report["id"]]
        self.assertNotIn("recovery", first)
        self.assertTrue(recovery["recovery"], recovery)
        self.assertEqual(["fid-base"], [c["name"] for c in recovery["containers"]])
        # The scripted engine shows a container wiretap does not know under the name: left alone.
        self.assertEqual("skipped", recovery["containers"][0]["result"], recovery)
        self.assertIn("left alone", recovery["containers"][0]["reason"])
        self.assertIn(recovery["containers"][0]["reason"], again.stderr)
        self.assertGreaterEqual(recovery["seconds"], 0, recovery)

    def test_docker_binary_not_executable_is_a_configuration_error(self):
        env = base_env(self.scratch)
        docker = os.path.join(self.scratch, "docker")
        with open(docker, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(docker, stat.S_IRUSR | stat.S_IWUSR)
        result = run_wiretap(["--redeploy=" + IMAGE, "--set=docker.binary=" + docker], env=env)
        self.assertEqual(78, result.returncode, result.stderr)
        self.assertIn("docker.binary", result.stderr)

    def test_state_directory_not_writable_refuses_to_start(self):
        state = tempfile.mkdtemp(prefix="ro-", dir=self.scratch)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", state]).returncode != 0:
            self.fail("cannot mount a read-only tmpfs (run as root)")
        self.addCleanup(subprocess.run, ["umount", "-l", state])
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1", "--set=state.dir=" + state],
                             env=base_env(self.scratch))
        self.assertEqual(73, result.returncode, result.stderr)
        self.assertIn("not writable", result.stderr)
        self.assertEqual(1, len([l for l in result.stderr.splitlines() if "level=error" in l]), result.stderr)

    def test_full_disk_while_journaling_means_the_update_does_not_start(self):
        mount = tempfile.mkdtemp(prefix="full-", dir=self.scratch)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]).returncode != 0:
            self.fail("cannot mount a small tmpfs (run as root)")
        self.addCleanup(subprocess.run, ["umount", "-l", mount])
        # The server opens its journal, then the disk fills up.
        wiretap = WiretapProcess("--set=state.dir=" + mount, "--set=deploy.minUptime=0")
        self.addCleanup(wiretap.kill)
        with open(os.path.join(wiretap.scratch, "script.json"), "w") as f:
            json.dump(healthy_script(), f)
        subprocess.run(["dd", "if=/dev/zero", "of=" + os.path.join(mount, "fill"), "bs=4k"], capture_output=True)
        status, _, body = wiretap.request("POST", "/hooks/generic?token=test-token",
                                          json.dumps({"image": IMAGE}).encode(),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        deploy = json.loads(body)["accepted"][0]["deploy"]
        wiretap.stop()
        log = wiretap.log()
        self.assertIn('msg="Deploy finished" Deploy=%s' % deploy, log)
        self.assertIn('msg="Update not started"', log)
        keys = [c["key"] for c in wiretap.calls()]
        self.assertNotIn("container-stop", keys, log)
        self.assertNotIn("create", keys, log)

if __name__ == "__main__":
    unittest.main()
