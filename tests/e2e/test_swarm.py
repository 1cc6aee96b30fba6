"""Swarm services (issue 7) on the sandbox engine, made a one-node swarm for this test only:
one webhook updates a 3-replica service with a published port, pinned to the pushed digest,
and every task serves the new version; an image that exits at once is rolled back — by
wiretap when the service's failure action pauses, by Swarm when it is `rollback` — and the
tasks still serve the old version; and when wiretap is SIGKILLed while it waits for such an
update, its next start rolls back the update Swarm paused meanwhile. The swarm is left (and its services removed) however the
test ends, so that the other e2e tests find a plain engine."""
import json
import signal
import time
import unittest

from e2e import SandboxTestCase, build_image, docker

WEB = "wiretap-e2e/swarm-web:v1"
BAD = "wiretap-e2e/swarm-bad:v1"
CRASH = "wiretap-e2e/swarm-crash:v1"
REGISTRY = "127.0.0.1:5000/"
# Small update_config delays keep the rollouts short; Swarm still drives them.
FAST = ["--update-parallelism", "1", "--update-delay", "0s", "--update-monitor", "1s",
        "--rollback-parallelism", "1", "--rollback-delay", "0s", "--rollback-monitor", "1s",
        "--stop-grace-period", "2s", "--label", "wiretap.enable=true", "--with-registry-auth", "--detach"]


class SwarmTest(SandboxTestCase):

    def setUp(self):
        super().setUp()
        docker("swarm", "leave", "--force", check=False)  # a run killed before its cleanup
        self.addCleanup(self.leave_swarm)
        docker("swarm", "init", "--advertise-addr", "127.0.0.1")
        # Parallel: the services of one push are updated at once (deploy.parallelism 4).
        self.wiretap = self.start_wiretap("--set=deploy.serviceTimeout=60", "--set=deploy.strategy=parallel")

    def leave_swarm(self):
        services = docker("service", "ls", "-q", check=False).split()
        if services:
            docker("service", "rm", *services, check=False)
        docker("swarm", "leave", "--force", check=False)
        # The tasks' containers go with the swarm; make sure none is left for the next test.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            tasks = docker("ps", "-aq", "--filter", "label=com.docker.swarm.service.id", check=False).split()
            if not tasks:
                break
            docker("rm", "-f", *tasks, check=False)
            time.sleep(0.5)

    def create_service(self, name, image, replicas, *extra):
        docker("service", "create", "--name", name, "--replicas", str(replicas), *FAST, *extra, REGISTRY + image)
        self.wait_until(lambda: len(self.serving(name)) == replicas, 60, "%s has %d tasks up" % (name, replicas))

    def serving(self, service):
        """What each running task of the service answers on /version (inside it: the routing mesh
        does not answer on the namespace's loopback)."""
        answers = []
        for task in docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service).split():
            result = docker("exec", task, "wget", "-qO-", "http://127.0.0.1:5000/version", check=False)
            answers.append(result)
        return answers

    def spec_image(self, service):
        return docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service)

    def metrics(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.wiretap.port, timeout=30)
        try:
            conn.request("GET", "/metrics")
            return conn.getresponse().read().decode()
        finally:
            conn.close()

    def wait_until(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.5)
        self.fail("timed out waiting until " + what)

    def hook(self, image, digest=None):
        body = {"image": REGISTRY + image}
        if digest:
            body["digest"] = digest
        status, answer = self.wiretap.post("/hooks/generic?token=" + self.wiretap.token, json.dumps(body))
        self.assertEqual(202, status, answer)
        return self.wiretap.deployment(answer["accepted"][0]["deploy"])

    def test_one_webhook_updates_a_replicated_service_and_every_task_serves_the_new_version(self):
        old = build_image(WEB, "1.0")
        self.create_service("web", WEB, 3, "--publish", "8090:5000")
        self.assertEqual(["1.0"] * 3, self.serving("web"))
        new = build_image(WEB, "2.0")
        report = self.hook(WEB)  # no digest in the event: wiretap pulls and pins the pulled one
        self.assertEqual("updated", report["result"], report)
        service = report["services"][0]
        self.assertEqual(("web", "updated"), (service["name"], service["result"]), report)
        self.assertEqual(REGISTRY + WEB + "@" + old, service["oldImage"])
        self.assertEqual(REGISTRY + WEB + "@" + new, service["newImage"])
        self.assertEqual(REGISTRY + WEB + "@" + new, self.spec_image("web"))
        self.assertEqual(["2.0"] * 3, self.serving("web"))
        ports = docker("service", "inspect", "--format", "{{json .Endpoint.Ports}}", "web")
        self.assertIn('"PublishedPort":8090', ports)
        # The tasks' containers are the service's: none was recreated beside Swarm.
        self.assertTrue(report["containers"], report)
        for container in report["containers"]:
            self.assertEqual(("skipped", "a task of Swarm service web: updated through the service"),
                             (container["result"], container["reason"]), report)
        log = self.wiretap.log()
        self.assertIn('msg="Updating service" Service=web Image="%s%s@%s"' % (REGISTRY, WEB, new), log)
        self.assertIn('msg="Service updated" Service=web', log)

        # The same push again: the service is on that digest already and is not touched.
        again = self.hook(WEB, new)
        self.assertEqual("up_to_date", again["result"], again)
        self.assertEqual("up_to_date", again["services"][0]["result"], again)

    def test_an_image_that_exits_at_once_is_rolled_back_and_the_old_version_still_serves(self):
        old = build_image(BAD, "1.0")
        self.create_service("bad-paused", BAD, 2)  # failure action pause, Swarm's default
        self.create_service("bad-rollback", BAD, 2, "--update-failure-action", "rollback")
        broken = build_image(BAD, "9.9", 'CMD ["/bin/sh", "-c", "exit 3"]')
        report = self.hook(BAD, broken)
        self.assertEqual("rolled_back", report["result"], report)
        by_name = {service["name"]: service for service in report["services"]}
        self.assertEqual(("rolled_back", "wiretap"),
                         (by_name["bad-paused"]["result"], by_name["bad-paused"]["rolledBackBy"]), report)
        self.assertIn("Swarm paused the update", by_name["bad-paused"]["reason"])
        self.assertEqual(("rolled_back", "swarm"),
                         (by_name["bad-rollback"]["result"], by_name["bad-rollback"]["rolledBackBy"]), report)
        for name in ("bad-paused", "bad-rollback"):
            self.assertEqual(REGISTRY + BAD + "@" + old, self.spec_image(name))
            self.wait_until(lambda: self.serving(name) == ["1.0"] * 2, 30, name + " serves 1.0 on 2 tasks")
        metrics = self.metrics()
        self.assertIn('wiretap_service_updates_total{result="rolled_back",rolled_back_by="wiretap"} 1', metrics)
        self.assertIn('wiretap_service_updates_total{result="rolled_back",rolled_back_by="swarm"} 1', metrics)
        log = self.wiretap.log()
        self.assertIn('msg="Service rolled back" Service=bad-paused By=wiretap', log)
        self.assertIn('msg="Service rolled back" Service=bad-rollback By=swarm', log)
        # Both updates were under way before either ended (deploy.strategy=parallel).
        first_end = log.index('msg="Service rolled back"')
        self.assertLess(log.index('msg="Updating service" Service=bad-paused'), first_end)
        self.assertLess(log.index('msg="Updating service" Service=bad-rollback'), first_end)

    def test_an_update_paused_while_wiretap_was_killed_is_rolled_back_at_its_next_start(self):
        old = build_image(CRASH, "1.0")
        self.create_service("crash", CRASH, 2)  # failure action pause
        broken = build_image(CRASH, "9.9", 'CMD ["/bin/sh", "-c", "exit 3"]')
        body = json.dumps({"image": REGISTRY + CRASH, "digest": broken})
        status, answer = self.wiretap.post("/hooks/generic?token=" + self.wiretap.token, body)
        self.assertEqual(202, status, answer)
        deploy_id = answer["accepted"][0]["deploy"]
        # Killed once Swarm has the update and wiretap waits for it.
        self.wait_until(lambda: self.spec_image("crash") == REGISTRY + CRASH + "@" + broken, 30, "update asked")
        self.wiretap.wait_for_log('msg="Updating service" Service=crash')
        self.wiretap.proc.send_signal(signal.SIGKILL)
        self.wiretap.proc.wait()
        self.wait_until(lambda: self.update_state("crash") == "paused", 30, "Swarm paused the update")

        restarted = self.start_wiretap("--set=deploy.serviceTimeout=60", "--set=state.dir=" + self.wiretap.scratch)
        log = restarted.log()
        self.assertIn('msg="Recovering interrupted service update" Deploy=%s Service=crash' % deploy_id, log)
        self.assertIn('msg="Recovered service" Service=crash Deploy=%s Result="recovered: rolled back by wiretap"'
                      % deploy_id, log)
        self.assertEqual(REGISTRY + CRASH + "@" + old, self.spec_image("crash"))
        self.wait_until(lambda: self.serving("crash") == ["1.0"] * 2, 30, "crash serves 1.0 on 2 tasks")
        status, report = restarted.get_json("/v1/deployments/%s?token=%s" % (deploy_id, restarted.token))
        self.assertEqual(200, status, report)
        self.assertTrue(report["recovery"], report)
        self.assertEqual(("crash", "rolled_back", "wiretap"),
                         (report["services"][0]["name"], report["services"][0]["result"],
                          report["services"][0]["rolledBackBy"]), report)

    def update_state(self, service):
        return docker("service", "inspect", "--format", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
                      service, check=False)


if __name__ == "__main__":
    unittest.main()
