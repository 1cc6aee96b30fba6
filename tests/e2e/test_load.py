"""Issue 8's mixed load on the real engine, bounded: 3,000 requests (valid Docker Hub webhooks for
three images, wrong token, malformed, oversized, slow-drip) over 200 keep-alive connections, against
the default server settings. Every request is answered once with its status (none lost, none
answered twice), every /healthz probe is answered, and exactly the expected deploys happen: the one
image a container runs is pulled and that container recreated once (the burst's later deploys find
it up to date), under its name, serving the new version; the two images no container runs are never
pulled. (Latency is the benchmark's to report: bench/load.sh, docs/performance.md.)"""
import asyncio
import importlib.util
import os
import re
import time
import unittest

from e2e import SandboxTestCase, build_image, docker, http_in_ns, inspect

SOURCE = os.environ.get("WIRETAP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location("load", os.path.join(SOURCE, "bench", "load.py"))
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

# docker.io names, served by the sandbox's registry mirror.
IMAGES = ["wiretap-load/app0", "wiretap-load/app1", "wiretap-load/app2"]
RUNNING = IMAGES[0]
NAME = "wt-load-app0"
PORT = 8041


class LoadTest(SandboxTestCase):

    def test_mixed_load_on_the_real_engine_deploys_exactly_what_was_expected(self):
        build_image(RUNNING + ":latest", "1.0")
        docker("pull", RUNNING)
        self.run_container(NAME, "--publish", "%d:5000" % PORT, RUNNING)
        old = inspect(NAME)["Id"]
        build_image(RUNNING + ":latest", "2.0")
        wiretap = self.start_wiretap("--set=http.maxBodyBytes=4096", "--set=http.bodyTimeout=2",
                                     "--set=deploy.minUptime=1")

        summary = asyncio.run(load.run(wiretap.port, wiretap.token, wiretap.proc.pid, requests=3000,
                                       connections=200, slow=10, images=IMAGES, max_body=4096))
        self.assertEqual(summary["requests"], summary["answered"], summary)
        self.assertEqual({}, summary["wrong_status"], summary)
        self.assertEqual(0, summary["error_count"], summary)
        self.assertEqual([], summary["healthz"]["failures"], summary)
        self.assertGreater(summary["healthz"]["probes"], 0)
        self.assertLess(summary["rss_kib"]["peak"], 64 * 1024, summary)
        self.assertEqual(IMAGES, summary["accepted_images"], summary)

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until every accepted event has been deployed
            metrics = metrics_text(wiretap)
            if "wiretap_deploys_waiting 0\n" in metrics and "wiretap_deploys_running 0\n" in metrics:
                break
            time.sleep(0.2)
        log = wiretap.log()
        deployed = re.findall(r'msg="Deploy finished" Deploy=\S+ Image="([^"]+)" Result="?(\w+)', log)
        self.assertEqual({"docker.io/%s:latest" % image for image in IMAGES}, {image for image, _ in deployed},
                         log[-3000:])
        self.assertLessEqual(len(deployed), summary["by_kind"]["valid"]["202"])
        results = {image: sorted({result for i, result in deployed if i == image}) for image, _ in deployed}
        self.assertEqual(["no_match"], results["docker.io/wiretap-load/app1:latest"], log[-3000:])
        self.assertEqual(["no_match"], results["docker.io/wiretap-load/app2:latest"], log[-3000:])
        self.assertIn("updated", results["docker.io/%s:latest" % RUNNING], log[-3000:])
        self.assertLessEqual(set(results["docker.io/%s:latest" % RUNNING]), {"updated", "up_to_date"}, log[-3000:])

        # One recreate, under its name, on the new image; nothing pulled for the other two.
        self.assertEqual(1, log.count('msg="New container created"'), log[-3000:])
        pulls = re.findall(r'msg="Pulling newer image" Image="([^"]+)"', log)
        self.assertTrue(pulls, log[-3000:])
        self.assertEqual([], [image for image in pulls if RUNNING not in image], log[-3000:])
        after = inspect(NAME)
        self.assertNotEqual(old, after["Id"])
        self.assertTrue(after["State"]["Running"])
        self.assertEqual("", docker("ps", "-aq", "--filter", "name=wiretap-old"))
        self.assertEqual((200, "2.0"), http_in_ns("http://127.0.0.1:%d/version" % PORT))
        self.assertEqual(0, wiretap.stop(), log[-3000:])


def metrics_text(wiretap):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", wiretap.port, timeout=30)
    try:
        conn.request("GET", "/metrics")
        return conn.getresponse().read().decode()
    finally:
        conn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
