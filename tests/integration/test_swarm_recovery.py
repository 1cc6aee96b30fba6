"""A Swarm service update interrupted by SIGKILL, against the real binary: the update is in the
journal before `docker service update`; at the next start, an update that Swarm paused meanwhile
is rolled back exactly once, and one that completed is closed and not touched; /v1/deployments
and /metrics say what recovery did."""
import json
import os
import signal
import sqlite3
import tempfile
import time
import unittest

from harness import SLOWDOWN, TEST_TOKEN, WiretapTestCase, fake_docker_calls

IMAGE = "127.0.0.1:5000/demo/web:v1"
OLD = IMAGE + "@sha256:" + "1" * 64
NEW = IMAGE + "@sha256:" + "2" * 64
MANAGER = {"stdout": json.dumps({"NodeID": "n1", "LocalNodeState": "active", "ControlAvailable": True}) + "\n"}


def service(image, version, state, started, message=""):
    """`docker service inspect web` of a service with one replica, failure action pause."""
    inspect = {"ID": "svc1", "Version": {"Index": version},
               "Spec": {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": image}},
                        "Mode": {"Replicated": {"Replicas": 1}}, "UpdateConfig": {"FailureAction": "pause"}}}
    if state:
        inspect["UpdateStatus"] = {"State": state, "StartedAt": started, "Message": message}
    return {"stdout": json.dumps([inspect]) + "\n"}


BEFORE = service(OLD, 10, "completed", "2026-11-29T10:00:00Z", "update completed")
UPDATING = service(NEW, 11, "updating", "2026-11-29T11:00:00Z", "update in progress")
PAUSED = service(NEW, 11, "paused", "2026-11-29T11:00:00Z", "update paused due to failure of task x1")
COMPLETED = service(NEW, 11, "completed", "2026-11-29T11:00:00Z", "update completed")
ROLLED_BACK = service(OLD, 12, "rollback_completed", "2026-11-29T11:05:00Z", "rollback completed")


class SwarmRecoveryTest(WiretapTestCase):

    def setUp(self):
        self.engine = tempfile.mkdtemp(prefix="wiretap-swarm-")
        self.state = tempfile.mkdtemp(prefix="wiretap-swarm-state-")

    def script(self, inspect):
        with open(os.path.join(self.engine, "script.json"), "w") as f:
            json.dump({"info": MANAGER, "container-ls": {"stdout": ""}, "service-ls": {"stdout": "svc1\n"},
                       "service-inspect": inspect}, f)

    def start_wiretap(self):
        return self.start("--set=state.dir=" + self.state, "--set=deploy.serviceTimeout=300",
                          env_overrides={"FAKE_DOCKER_DIR": self.engine})

    def calls(self, key):
        return [c for c in fake_docker_calls(self.engine) if c["key"] == key]

    def journal(self):
        with sqlite3.connect(os.path.join(self.state, "wiretap.db")) as db:
            return db.execute("SELECT service_id, image, finished, result FROM service_updates").fetchall()

    def kill_while_it_waits(self):
        """Starts wiretap, sends the webhook and SIGKILLs wiretap while it polls the update."""
        self.script({"after": "service-update", "answers": [BEFORE, UPDATING]})
        wiretap = self.start_wiretap()
        status, _, body = wiretap.request("POST", "/hooks/generic?token=" + TEST_TOKEN,
                                          json.dumps({"image": IMAGE, "digest": "sha256:" + "2" * 64}).encode(),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        deadline = time.monotonic() + 20 * SLOWDOWN
        while time.monotonic() < deadline:
            updates = self.calls("service-update")
            if updates and len(self.calls("service-inspect")) >= 3:  # the listing, then two polls
                break
            time.sleep(0.1)
        else:
            self.fail("wiretap never polled the update:\n" + wiretap.log())
        wiretap.send_signal(signal.SIGKILL)
        wiretap.kill()
        self.assertEqual(["service", "update", "--detach", "--image", NEW, "--with-registry-auth", "svc1"],
                         updates[0]["argv"][-7:])
        self.assertEqual([("svc1", NEW, 0, "")], self.journal())
        return json.loads(body)["accepted"][0]["deploy"]

    def recovered_report(self, wiretap, deploy_id):
        status, _, report = wiretap.json("GET", "/v1/deployments/%s?token=%s" % (deploy_id, TEST_TOKEN))
        self.assertEqual(200, status, wiretap.log())
        self.assertTrue(report["recovery"], report)
        self.assertEqual(1, len(report["services"]), report)
        return report

    def test_update_paused_while_wiretap_was_down_is_rolled_back_once_at_the_next_start(self):
        deploy_id = self.kill_while_it_waits()
        self.script({"after": "service-rollback", "answers": [PAUSED, ROLLED_BACK]})
        wiretap = self.start_wiretap()
        rollbacks = self.calls("service-rollback")
        self.assertEqual(1, len(rollbacks), wiretap.log())
        self.assertEqual(["service", "rollback", "--detach", "svc1"], rollbacks[0]["argv"][-4:])
        self.assertEqual([("svc1", NEW, 1, "recovered: rolled back by wiretap")], self.journal())
        report = self.recovered_report(wiretap, deploy_id)
        self.assertEqual("rolled_back", report["result"])
        self.assertEqual("wiretap", report["services"][0]["rolledBackBy"])
        self.assertIn("update paused due to failure of task x1", report["services"][0]["reason"])
        self.assertIn('level=warning msg="Recovered service" Service=web Deploy=' + deploy_id, wiretap.log())
        metrics = wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn('wiretap_service_updates_total{result="rolled_back",rolled_back_by="wiretap"} 1', metrics)
        self.assertNotIn("wiretap_deploys_total{", metrics)  # recovery is no deploy of its own
        # A second restart finds nothing open: no second rollback.
        wiretap.close()
        self.start_wiretap()
        self.assertEqual(1, len(self.calls("service-rollback")))

    def test_update_completed_while_wiretap_was_down_is_closed_and_not_touched(self):
        deploy_id = self.kill_while_it_waits()
        self.script(COMPLETED)
        wiretap = self.start_wiretap()
        self.assertEqual([], self.calls("service-rollback"), wiretap.log())
        self.assertEqual(1, len(self.calls("service-update")))
        self.assertEqual([("svc1", NEW, 1, "recovered: updated")], self.journal())
        report = self.recovered_report(wiretap, deploy_id)
        self.assertEqual("updated", report["result"])
        self.assertEqual("updated", report["services"][0]["result"])
        metrics = wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn('wiretap_service_updates_total{result="updated"} 1', metrics)


if __name__ == "__main__":
    unittest.main(verbosity=2)
