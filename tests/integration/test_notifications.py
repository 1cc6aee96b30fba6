"""When a deploy ends, Docker Hub's callback_url and notify.url hear about it; a dead receiver
never holds anything up."""
import http.server
import json
import os
import threading
import time
import unittest

from harness import WiretapTestCase, TEST_TOKEN, free_port

FIXTURES = os.path.join(os.environ.get("WIRETAP_SOURCE_DIR", "."), "tests", "fixtures", "payloads")


class Receiver:
    """An HTTP server on loopback that records every POST."""

    def __init__(self, status=200):
        received = self.received = []
        answer = status

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                received.append((self.path, self.headers.get("Content-Type"), json.loads(self.rfile.read(length))))
                self.send_response(answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def wait(self, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class NotificationTest(WiretapTestCase):

    def setUp(self):
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)

    def dockerhub_payload(self, callback):
        with open(os.path.join(FIXTURES, "dockerhub.json")) as f:
            payload = json.load(f)
        payload["callback_url"] = callback
        return json.dumps(payload)

    def test_docker_hub_callback_gets_the_result(self):
        wiretap = self.start("--set=notify.callbackHosts=127.0.0.1")
        status, _, body = wiretap.request("POST", "/listen?token=" + TEST_TOKEN,
                                          self.dockerhub_payload(self.receiver.url("/u/svendowideit/testhook/hook/x/")),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        received = self.receiver.wait()
        self.assertEqual(1, len(received), wiretap.log())
        path, content_type, callback = received[0]
        self.assertEqual("/u/svendowideit/testhook/hook/x/", path)
        self.assertEqual("application/json", content_type)
        self.assertEqual("success", callback["state"])  # nothing runs the image: nothing to do
        self.assertEqual("wiretap", callback["context"])
        self.assertLessEqual(len(callback["description"]), 255)
        self.assertIn("no_match", callback["description"])

    def test_callback_to_a_host_not_allowed_is_not_sent(self):
        wiretap = self.start()  # only Docker Hub's hosts by default
        url = self.receiver.url("/u/svendowideit/testhook/hook/x/")
        status, _, body = wiretap.request("POST", "/listen?token=" + TEST_TOKEN, self.dockerhub_payload(url),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        deadline = time.monotonic() + 10
        while 'msg="Callback not sent' not in wiretap.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn('msg="Callback not sent: its host is not in notify.callbackHosts" URL="%s"' % url,
                      wiretap.log())
        self.assertEqual([], self.receiver.wait(timeout=1))

    def test_notify_url_gets_a_slack_compatible_summary_of_every_deploy(self):
        wiretap = self.start("--set=notify.url=" + self.receiver.url("/hooks/deploys"),
                             "--set=notify.publicUrl=https://wiretap.example.com/")
        status, _, _ = wiretap.request("POST", "/hooks/generic?token=" + TEST_TOKEN,
                                       b'{"image": "demo/app:v2"}', {"Content-Type": "application/json"})
        self.assertEqual(202, status)
        received = self.receiver.wait()
        self.assertEqual(1, len(received), wiretap.log())
        _, _, summary = received[0]
        self.assertTrue(summary["text"].startswith("wiretap: docker.io/demo/app:v2 no_match"), summary["text"])
        self.assertEqual("docker.io/demo/app:v2", summary["deployment"]["image"])

    def test_failing_receiver_is_logged_and_does_not_block_deploys(self):
        self.receiver.close()
        dead = "http://127.0.0.1:%d/gone" % free_port()
        wiretap = self.start("--set=notify.url=" + dead, "--set=notify.timeout=2")
        for tag in ("v1", "v2", "v3"):
            status, _, _ = wiretap.request("POST", "/hooks/generic?token=" + TEST_TOKEN,
                                           ('{"image": "demo/app:%s"}' % tag).encode(),
                                           {"Content-Type": "application/json"})
            self.assertEqual(202, status)
        deadline = time.monotonic() + 15
        while wiretap.log().count('msg="Notification failed"') < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(3, wiretap.log().count('msg="Deploy finished"'))
        self.assertEqual(3, wiretap.log().count('msg="Notification failed"'), wiretap.log())

    def test_invalid_notify_url_is_a_configuration_error(self):
        from harness import run_wiretap
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1", "--set=notify.url=ftp://x"])
        self.assertEqual(78, result.returncode)
        self.assertIn("notify.url", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
