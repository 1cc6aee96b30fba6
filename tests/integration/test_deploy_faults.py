"""The deploy sequence of the real binary (`--redeploy`) against the fake docker, with a failure
injected at every step: the calls that follow (the rollback) and the report must be right.

The scripted engine holds one running container, `fid-base` (a container recorded from the e2e
sandbox, on two networks), on 127.0.0.1:5000/wiretap-e2e/backend:v1; the pull brings a new image.
"""
import copy
import json
import os
import sqlite3
import tempfile
import time
import unittest

from harness import CheckedTestCase, base_env, run_wiretap

FIXTURES = os.path.join(os.environ.get("WIRETAP_SOURCE_DIR", ""), "tests", "fixtures", "inspect")
IMAGE = "127.0.0.1:5000/wiretap-e2e/backend:v1"
NEW_ID = "f" * 64


def load(name):
    with open(os.path.join(FIXTURES, name)) as f:
        data = json.load(f)
    return data[0] if isinstance(data, list) else data


OLD = load("fid-base.json")
IMAGE_V1 = load("image-v1.json")
IMAGE_V2 = load("image-v2.json")


def running_new():
    new = copy.deepcopy(OLD)
    new["Id"] = NEW_ID
    new["Image"] = IMAGE_V2["Id"]
    new["RestartCount"] = 0
    new["State"].update({"Status": "running", "Running": True, "Restarting": False, "ExitCode": 0})
    return new


def created_new():
    """The new container as a `docker run` that failed to start it leaves it."""
    new = running_new()
    new["State"].update({"Status": "created", "Running": False, "ExitCode": 128})
    return new


def one_network(container):
    """The container on the default bridge only: updated with one `docker run`."""
    alone = copy.deepcopy(container)
    del alone["NetworkSettings"]["Networks"]["fidnet"]
    return alone


def exited_new():
    new = running_new()
    new["State"].update({"Status": "exited", "Running": False, "ExitCode": 3})
    return new


def answer(obj):
    return {"stdout": json.dumps([obj]) + "\n"}


FAIL = {"exit": 1, "stderr": "Error response from daemon: injected failure\n"}
NO_SUCH_CONTAINER = {"exit": 1, "stderr": "Error: No such container: fid-base\n"}


def healthy_script():
    """Every call of one successful update, in order, by fake-docker key."""
    return {
        "container-ls": {"stdout": OLD["Id"] + "\n"},
        "container-inspect": [answer(OLD), answer(running_new())],
        # The old image (by id) and the pulled one (by reference): asked alongside the pull
        # and after it, so told apart by argument rather than by order.
        "image-inspect": [answer(IMAGE_V1)],
        "image-inspect " + IMAGE: answer(IMAGE_V2),
        "image-pull": {"stdout": IMAGE + "\n"},
        "create": {"stdout": NEW_ID + "\n"},
        # After a failed create or run, the rollback looks for the new container by name.
        "container-inspect fid-base": NO_SUCH_CONTAINER,
    }


def one_network_script():
    """Every call of one successful update of fid-base on one network (create and start are one run)."""
    script = healthy_script()
    script["container-inspect"] = [answer(one_network(OLD)), answer(running_new())]
    script["run"] = {"stdout": NEW_ID + "\n"}
    return script


class DeployFaultsTest(CheckedTestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="wiretap-faults-")
        self.env = base_env(self.scratch)

    def redeploy(self, script, *extra):
        with open(os.path.join(self.scratch, "script.json"), "w") as f:
            json.dump(script, f)
        result = run_wiretap(["--redeploy=" + IMAGE, "--set=deploy.minUptime=0",
                              "--set=deploy.healthTimeout=5", *extra], env=self.env, timeout=60)
        try:
            report = json.loads(result.stdout)
        except ValueError:
            self.fail("no JSON report on stdout: %r\nstderr: %s" % (result.stdout, result.stderr))
        return result, report

    def calls(self):
        with open(os.path.join(self.scratch, "calls.jsonl")) as f:
            return [json.loads(line) for line in f]

    def keys(self):
        """The deploy's calls (the start-up `version` left out), as `key arg...` strings."""
        with open(os.path.join(self.scratch, "calls.jsonl")) as f:
            calls = [json.loads(line) for line in f]
        out = []
        for call in calls:
            if call["key"] == "version":
                continue
            words = [call["key"]]
            if call["key"] in ("container-rename", "container-start", "container-rm"):
                words.append(call["argv"][-2] + " " + call["argv"][-1]
                             if call["key"] == "container-rename" else call["argv"][-1])
            out.append(" ".join(words))
        return out

    def after(self, failing_key, nth=1):
        """The calls after the nth call with `failing_key`."""
        keys = self.keys()
        seen = 0
        for i, key in enumerate(keys):
            if key.split(" ")[0] == failing_key:
                seen += 1
                if seen == nth:
                    return keys[i + 1:]
        self.fail("%s was not called %d time(s): %s" % (failing_key, nth, keys))

    def assertRolledBack(self, result, report, step, reason_fragment="injected failure"):
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertEqual("rolled_back", report["result"], report)
        container = report["containers"][0]
        self.assertEqual("fid-base", container["name"])
        self.assertEqual("rolled_back", container["result"])
        self.assertIn(reason_fragment, container["reason"])
        failed = [s for s in container["steps"] if s.get("error")]
        self.assertEqual(step, failed[0]["step"], container["steps"])
        self.assertIn("Rolled back", result.stderr)

    # -- the happy path, and its cost --------------------------------------------------------

    def test_update_runs_the_safe_sequence_and_counts_its_docker_calls(self):
        result, report = self.redeploy(healthy_script())
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("updated", report["result"])
        self.assertEqual(NEW_ID, report["containers"][0]["newId"])
        keys = self.keys()
        # `info` runs alongside the listing (ls, then inspect), and the old image's inspect
        # alongside the pull: each pair in either order, but the pulled image's inspect after both.
        self.assertEqual(["container-inspect", "container-ls", "info"], sorted(keys[:3]))
        self.assertEqual(["container-ls", "container-inspect"], [k for k in keys[:3] if k != "info"])
        self.assertEqual(["image-inspect", "image-pull"], sorted(keys[3:5]))
        self.assertEqual(["image-inspect", "container-stop"], keys[5:7])
        self.assertTrue(keys[7].startswith("container-rename " + OLD["Id"]), keys)
        self.assertEqual(["create", "network-connect", "container-start " + NEW_ID,
                          "container-inspect", "container-rm " + OLD["Id"]], keys[8:])
        # Every docker process of the deploy is in the report: 5 to plan and pull, then
        # stop, rename, create, connect (the second network), start, inspect, rm; and `info`
        # (is the engine a Swarm manager?), which a server asks once a minute, not per deploy:
        # --redeploy is a fresh process.
        self.assertEqual(len(keys), report["dockerCalls"])
        self.assertEqual(13, report["dockerCalls"])
        self.assertIn('msg="Pulling newer image"', result.stderr)
        self.assertIn('msg="New container created"', result.stderr)

    def test_redeploy_is_journaled_in_the_state_directory(self):
        result, report = self.redeploy(healthy_script())
        self.assertEqual(0, result.returncode, result.stderr)
        db = sqlite3.connect(os.path.join(self.env["STATE_DIRECTORY"], "wiretap.db"))
        try:
            updates = db.execute("SELECT container, finished, result FROM updates").fetchall()
            reports = db.execute("SELECT id, result FROM reports").fetchall()
        finally:
            db.close()
        self.assertEqual([("fid-base", 1, "updated")], updates)
        self.assertEqual([(report["id"], "updated")], reports)
        self.assertNotIn("Deploy not journaled", result.stderr)

    # -- a failure at every step ---------------------------------------------------------------

    def test_failed_pull_touches_nothing(self):
        script = healthy_script()
        script["image-pull"] = FAIL
        result, report = self.redeploy(script)
        self.assertEqual(1, result.returncode)
        self.assertEqual("failed", report["result"])
        self.assertIn("injected failure", report["error"])
        # Only the old image's inspect, which runs alongside the pull, may end after it.
        self.assertEqual([], [key for key in self.after("image-pull") if key.split(" ")[0] != "image-inspect"])
        self.assertEqual(1, len([key for key in self.keys() if key.split(" ")[0] == "image-inspect"]))

    def test_failed_stop_starts_the_old_container_again(self):
        script = healthy_script()
        script["container-stop"] = FAIL
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "stop")
        self.assertEqual(["container-start " + OLD["Id"]], self.after("container-stop"))

    def test_failed_rename_starts_the_old_container_again(self):
        script = healthy_script()
        script["container-rename"] = FAIL
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "rename")
        self.assertEqual(["container-start " + OLD["Id"]], self.after("container-rename"))

    def test_failed_create_renames_back_and_starts_the_old(self):
        script = healthy_script()
        script["create"] = FAIL
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "create")
        # It looks for a container the failed create may still have made under the name: none.
        self.assertEqual(["container-inspect", "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("create"))

    def test_create_that_prints_no_id_is_a_failed_create(self):
        script = healthy_script()
        script["create"] = {"stdout": "\n"}
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "create", "printed no container id")
        self.assertNotIn("container-start ", self.keys())  # never `docker start ''`

    # -- one network: create and start in one `docker run` ------------------------------------

    def test_container_on_one_network_is_created_and_started_by_one_run(self):
        result, report = self.redeploy(one_network_script())
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("updated", report["result"])
        self.assertEqual(NEW_ID, report["containers"][0]["newId"])
        keys = self.keys()
        self.assertTrue(keys[7].startswith("container-rename " + OLD["Id"]), keys)
        self.assertEqual(["run", "container-inspect", "container-rm " + OLD["Id"]], keys[8:])
        run = [c for c in self.calls() if c["key"] == "run"][0]
        self.assertEqual(["run", "-d", "--name=fid-base"], run["argv"][:3])
        self.assertEqual(IMAGE, run["argv"][-1])
        # ls, inspect, info, image inspect, pull, image inspect; stop, rename, run, inspect, rm
        self.assertEqual(len(keys), report["dockerCalls"])
        self.assertEqual(11, report["dockerCalls"])
        self.assertEqual(["stop", "rename", "run", "wait", "remove"],
                         [s["step"] for s in report["containers"][0]["steps"]])

    def test_run_that_fails_before_creating_renames_back_and_starts_the_old(self):
        script = one_network_script()
        script["run"] = FAIL
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "run")
        self.assertEqual(["container-inspect", "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("run"))

    def test_run_that_created_the_container_but_could_not_start_it_removes_it(self):
        script = one_network_script()
        script["run"] = {"exit": 126, "stderr": "docker: Error response from daemon: failed to create task: "
                                                "exec format error\n"}
        script["container-inspect fid-base"] = answer(created_new())
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "run", "exec format error")
        self.assertEqual(NEW_ID, report["containers"][0]["newId"])  # found by the name
        self.assertEqual(["container-inspect", "container-rm " + NEW_ID, "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("run"))
        lookup = [c for c in self.calls() if c["key"] == "container-inspect"][-1]
        self.assertEqual(["container", "inspect", "fid-base"], lookup["argv"])

    def test_failed_network_connect_removes_the_new_one(self):
        script = healthy_script()
        script["network-connect"] = FAIL
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "connect fidnet")
        self.assertEqual(["container-rm " + NEW_ID, "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("network-connect"))

    def test_failed_start_removes_the_new_one(self):
        script = healthy_script()
        script["container-start"] = [FAIL, {}]
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "start")
        self.assertEqual(["container-rm " + NEW_ID, "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("container-start"))

    def test_new_container_that_exits_is_rolled_back(self):
        script = healthy_script()
        script["container-inspect"] = [answer(OLD), answer(exited_new())]
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "wait", "exit code 3")
        self.assertEqual(["container-rm " + NEW_ID, "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("container-inspect", 2))

    def test_new_container_that_never_gets_healthy_is_rolled_back(self):
        script = healthy_script()
        starting = running_new()
        starting["State"]["Health"] = {"Status": "starting", "FailingStreak": 0, "Log": []}
        script["container-inspect"] = [answer(OLD)] + [answer(starting)] * 500
        result, report = self.redeploy(script, "--set=deploy.healthTimeout=1")
        self.assertRolledBack(result, report, "wait", "not healthy within deploy.healthTimeout")
        self.assertNotIn("container-rm " + OLD["Id"], self.keys())

    def test_failed_removal_of_the_old_container_rolls_back(self):
        script = healthy_script()
        script["container-rm"] = [FAIL, {}]
        result, report = self.redeploy(script)
        self.assertRolledBack(result, report, "remove")
        self.assertEqual(["container-rm " + NEW_ID, "container-rename %s fid-base" % OLD["Id"],
                          "container-start " + OLD["Id"]], self.after("container-rm"))

    def test_failed_rollback_is_reported_failed(self):
        script = healthy_script()
        script["container-start"] = FAIL  # the new one, then the old one on rollback
        result, report = self.redeploy(script)
        self.assertEqual(1, result.returncode)
        self.assertEqual("failed", report["result"])
        self.assertEqual("failed", report["containers"][0]["result"])
        self.assertIn("Rollback failed", result.stderr)

    def test_hanging_docker_is_killed_at_its_timeout_and_rolled_back(self):
        script = healthy_script()
        script["container-rename"] = [{"sleep": 60}, {}]
        started = time.monotonic()
        result, report = self.redeploy(script, "--set=docker.timeout=2")
        self.assertLess(time.monotonic() - started, 30)
        self.assertRolledBack(result, report, "rename", "timed out")
        self.assertEqual(["container-start " + OLD["Id"]], self.after("container-rename"))


if __name__ == "__main__":
    unittest.main()
