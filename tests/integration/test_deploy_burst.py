"""A burst of 1,000 webhooks for one image, sent to the real server over 8 connections: they
coalesce into at most a few deploys, and the container is pulled and recreated once.

The fake docker plays an engine whose one container, fid-base, runs image v1 until wiretap
recreates it on v2; the events carry v2's digest, which is how a follow-up deploy knows the
container already runs what was pushed.
"""
import http.client
import json
import os
import threading
import time
import unittest

from harness import WiretapTestCase
from test_deploy_faults import IMAGE, IMAGE_V1, IMAGE_V2, NEW_ID, OLD, answer, running_new

BURST = 1000
CONNECTIONS = 8
STEADY = 200  # answers for the calls after the update, whatever the number of follow-ups


class DeployBurstTest(WiretapTestCase):

    def test_a_thousand_webhooks_for_one_image_pull_and_recreate_once(self):
        digest = IMAGE_V2["RepoDigests"][0].split("@", 1)[1]
        wiretap = self.start("--set=deploy.minUptime=0")
        with open(os.path.join(wiretap.scratch, "script.json"), "w") as f:
            json.dump({
                "container-ls": [{"stdout": OLD["Id"] + "\n"}] + [{"stdout": NEW_ID + "\n"}] * STEADY,
                "container-inspect": [answer(OLD)] + [answer(running_new())] * STEADY,
                "image-inspect": [answer(IMAGE_V1), answer(IMAGE_V2)] + [answer(IMAGE_V2)] * STEADY,
                "image-pull": {"stdout": IMAGE + "\n"},
                "create": {"stdout": NEW_ID + "\n"},
            }, f)

        body = json.dumps({"image": IMAGE, "digest": digest})
        statuses = []
        lock = threading.Lock()

        def send(count):
            conn = http.client.HTTPConnection("127.0.0.1", wiretap.port, timeout=30)
            try:
                for _ in range(count):
                    conn.request("POST", "/hooks/generic?token=test-token", body,
                                 {"Content-Type": "application/json"})
                    response = conn.getresponse()
                    response.read()
                    with lock:
                        statuses.append(response.status)
            finally:
                conn.close()

        threads = [threading.Thread(target=send, args=(BURST // CONNECTIONS,)) for _ in range(CONNECTIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([202] * BURST, statuses)

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the queue is idle after at least one deploy
            _, _, metrics = wiretap.request("GET", "/metrics")
            if (b"wiretap_deploys_waiting 0\n" in metrics and b"wiretap_deploys_running 0\n" in metrics
                    and 'msg="Deploy finished"' in wiretap.log()):
                break
            time.sleep(0.2)
        else:
            self.fail("the deploys did not finish:\n" + wiretap.log())
        keys = [call["key"] for call in wiretap.calls()]
        self.assertEqual(1, keys.count("image-pull"), keys)
        self.assertEqual(1, keys.count("create"), keys)
        self.assertEqual(1, keys.count("container-stop"), keys)
        finished = wiretap.log().count('msg="Deploy finished"')
        self.assertLess(finished, 10, "1,000 events should coalesce into a few deploys")
        self.assertEqual(1, wiretap.log().count("Result=updated"), wiretap.log())


if __name__ == "__main__":
    unittest.main()
