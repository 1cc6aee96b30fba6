"""A bounded run of bench/load.py against the real binary: 2,000 mixed requests (valid, wrong
token, malformed, oversized, slow-drip) over 50 keep-alive connections, against 16 worker threads,
so that connections queue and take turns as 200 connections do against the default 128. Every
request is answered once (none lost, none answered twice) with its status, every /healthz probe is
answered, memory stays bounded, and exactly the images that were accepted are deployed, each at
least once and never more often than it was accepted. (Latency is the benchmark's to report, not
this test's: bench/load.py, docs/performance.md.)"""
import asyncio
import importlib.util
import os
import re
import time
import unittest

from harness import TEST_TOKEN, WiretapTestCase

SOURCE = os.environ.get("WIRETAP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location("load", os.path.join(SOURCE, "bench", "load.py"))
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

IMAGES = ["loadtest/app%d" % i for i in range(3)]


class LoadTest(WiretapTestCase):

    def test_mixed_load_is_answered_once_each_and_deploys_what_was_accepted(self):
        wiretap = self.start("--set=http.maxBodyBytes=4096", "--set=http.bodyTimeout=2", "--set=http.maxThreads=16")
        summary = asyncio.run(load.run(wiretap.port, TEST_TOKEN, wiretap.proc.pid, requests=2000,
                                       connections=50, slow=5, images=IMAGES, max_body=4096))
        self.assertEqual(summary["requests"], summary["answered"], summary)
        self.assertEqual({}, summary["wrong_status"], summary)
        self.assertEqual(0, summary["error_count"], summary)
        self.assertEqual([], summary["healthz"]["failures"], summary)
        self.assertGreater(summary["healthz"]["probes"], 0)
        if not (os.environ.get("ASAN_OPTIONS") or os.environ.get("WIRETAP_VALGRIND")):
            # (ASan's shadow memory and quarantine, or valgrind, would set their own RSS.)
            self.assertLess(summary["rss_kib"]["peak"], 64 * 1024, summary)
        self.assertEqual(5, summary["by_kind"]["slow_drip"].get("408"), summary)

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until every accepted event has been deployed
            _, _, metrics = wiretap.request("GET", "/metrics")
            if b"wiretap_deploys_waiting 0\n" in metrics and b"wiretap_deploys_running 0\n" in metrics:
                break
            time.sleep(0.2)
        log = wiretap.log()
        deployed = re.findall(r'msg="Deploy finished" Deploy=\S+ Image="([^"]+)"', log)
        self.assertEqual(IMAGES, summary["accepted_images"], summary)
        self.assertEqual({"docker.io/%s:latest" % image for image in IMAGES}, set(deployed), log[-3000:])
        self.assertLessEqual(len(deployed), summary["by_kind"]["valid"]["202"])
        self.assertEqual(wiretap.stop(), 0, log[-3000:])


if __name__ == "__main__":
    unittest.main()
