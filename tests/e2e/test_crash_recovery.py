"""SIGKILL of wiretap in the middle of a deploy, then a restart: every container is back
under its name, running, on the old or the new image, and nothing is left aside."""
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from e2e import SandboxTestCase, build_image, docker, http_in_ns, inspect
from test_redeploy import HUB_NAME, PUSH_TAG, SEED_PAYLOAD


class CrashRecoveryTest(SandboxTestCase):

    def setUp(self):
        super().setUp()
        self.state = tempfile.mkdtemp(prefix="wiretap-state-")
        self.addCleanup(shutil.rmtree, self.state, ignore_errors=True)
        build_image(PUSH_TAG, "")  # v1: no /version

    def start(self, *extra):
        # minUptime=3: the kill can land while the new container is being watched.
        return self.start_wiretap("--set=deploy.minUptime=3", "--set=deploy.healthTimeout=20",
                                  "--set=state.dir=" + self.state, *extra)

    def kill_at(self, log_line, delay=0.0, recovers=True, run_args=(), count=1, until=None, network=None):
        """SIGKILLs wiretap (and its docker CLI) once its log shows `log_line` `count` times,
        `delay` seconds later, and when `until(old_id)` is given, once that is true too. With
        `network`, app1 is connected to it as well (two networks: create, connect, start)."""
        docker("pull", HUB_NAME)
        self.run_container("app1", "--publish", "8001:5000", *run_args, HUB_NAME)
        if network:
            docker("network", "connect", network, "app1")
        old = inspect("app1")["Id"]
        build_image(PUSH_TAG, "1.1")
        wiretap = self.start("--set=log.level=debug")  # a line before every docker call
        status, answer = wiretap.post("/listen?token=" + wiretap.token, SEED_PAYLOAD)
        self.assertEqual(202, status, answer)
        wiretap.wait_for_log(log_line, timeout=120, count=count)
        time.sleep(delay)
        deadline = time.monotonic() + 60
        while until is not None and not until(old):
            self.assertLess(time.monotonic(), deadline, wiretap.log())
            time.sleep(0.05)
        # As systemd does when the service dies (KillMode=control-group): wiretap and the
        # docker CLI it is running are killed together.
        wiretap.proc.send_signal(signal.SIGSTOP)
        subprocess.run(["pkill", "-KILL", "-P", str(wiretap.proc.pid)])
        wiretap.proc.send_signal(signal.SIGKILL)
        wiretap.proc.wait()
        restarted = self.restarted = self.start()
        restarted.wait_for_log('msg="Listening for webhooks"')
        self.assertEqual("", docker("ps", "-aq", "--filter", "name=wiretap-old"), restarted.log())
        after = inspect("app1")
        self.assertTrue(after["State"]["Running"], restarted.log())
        self.assertEqual(1, len(docker("ps", "-aq", "--filter", "name=^/app1$").split()))
        self.assertIn(http_in_ns("http://127.0.0.1:8001/")[0], (200, 404), restarted.log())
        if network:
            self.assertIn(network, after["NetworkSettings"]["Networks"], restarted.log())
        if recovers:
            self.assertIn('msg="Recovered container"', restarted.log())
        return old, after["Id"], restarted.log()

    def test_kill_during_the_stop_is_rolled_back(self):
        # The test app exits at once on SIGTERM; one that ignores its stop signal makes the
        # stop last its full timeout (10 s), and the kill lands in the middle of it.
        old, now, log = self.kill_at('msg="Killing container"', run_args=("--stop-signal", "SIGUSR1"))
        self.assertEqual(old, now, log)

    def test_kill_right_after_the_create_is_rolled_back(self):
        old, now, log = self.kill_at('msg="New container created"')
        self.assertEqual(old, now, log)
        self.assertIn('Result="recovered: rolled back"', log)
        # /v1/deployments has what the recovery did, under the interrupted deploy's id.
        status, listing = self.restarted.get_json("/v1/deployments?token=" + self.restarted.token)
        self.assertEqual(200, status, listing)
        recovery = listing["deployments"][0]
        self.assertTrue(recovery.get("recovery"), recovery)
        self.assertEqual("rolled_back", recovery["result"], recovery)
        self.assertEqual([("app1", "rolled_back")], [(c["name"], c["result"]) for c in recovery["containers"]])

    def test_kill_while_the_new_container_is_watched_is_rolled_back(self):
        old, now, log = self.kill_at('msg="New container created"', delay=1.5)
        self.assertEqual(old, now, log)
        self.assertEqual(404, http_in_ns("http://127.0.0.1:8001/version")[0])

    def test_kill_as_each_docker_step_starts(self):
        # SIGKILL right after wiretap logs the docker call of each step (the call itself may or
        # may not complete): after the restart, app1 runs under its name on either image. app1
        # is on one network: `docker run` creates and starts the new one (killed in the middle,
        # it may leave a container created and not started under the name).
        for verb, count in (("container stop", 1), ("container rename", 1), ("run -d", 1),
                            ("container inspect", 2), ("container rm", 1)):
            with self.subTest(step=verb):
                self.kill_at_call(verb, count)

    def test_kill_as_each_step_of_the_create_path_starts(self):
        # app1 on two networks: `docker run` cannot attach both, so wiretap creates the new
        # container, connects the second network, then starts it. Killed as each of those
        # starts, app1 comes back under its name, running, on both networks.
        docker("network", "create", "wiretap-crash-net")
        self.addCleanup(docker, "network", "rm", "wiretap-crash-net", check=False)
        for verb in ("create", "network connect", "container start"):
            with self.subTest(step=verb):
                self.kill_at_call(verb, 1, network="wiretap-crash-net")

    def kill_at_call(self, verb, count, network=None):
        marker = " %s " % verb
        docker("rm", "-f", "app1", check=False)
        self.state = tempfile.mkdtemp(prefix="wiretap-state-")
        self.addCleanup(shutil.rmtree, self.state, ignore_errors=True)
        build_image(PUSH_TAG, "")
        self.kill_at(marker, count=count, recovers=False, network=network)

    def test_kill_after_the_old_one_was_removed_keeps_the_new_one(self):
        # Killed once the engine no longer has the old container (the kill may also come after
        # the update was journaled as done). A kill while `docker rm` runs is in
        # test_kill_as_each_docker_step_starts: either image is right there.
        gone = lambda old: docker("ps", "-aq", "--no-trunc", "--filter", "id=" + old) == ""
        old, now, log = self.kill_at('msg="Removing container"', recovers=False, until=gone)
        self.assertNotEqual(old, now, log)
        self.assertEqual((200, "1.1"), http_in_ns("http://127.0.0.1:8001/version"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
