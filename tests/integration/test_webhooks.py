"""Webhooks over HTTP against the real binary: every answer, its body and its log line."""
import hashlib
import hmac
import http.client
import json
import os
import select
import socket
import time
import unittest
import urllib.parse

from harness import WiretapTestCase, TEST_TOKEN

FIXTURES = os.path.join(os.environ.get("WIRETAP_SOURCE_DIR", "."), "tests", "fixtures", "payloads")


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


class WebhookTest(WiretapTestCase):

    def setUp(self):
        self.wiretap = self.start()

    def post(self, path, body, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        status, hdrs, data = self.wiretap.request("POST", path, body, headers)
        return status, hdrs, json.loads(data) if data else None

    def docker_calls(self, key):
        return [call for call in self.wiretap.calls() if call["key"] == key]

    def wait_for_log(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.wiretap.log():
                return
            time.sleep(0.05)
        self.fail("log never showed %r:\n%s" % (text, self.wiretap.log()))

    def test_seed_payload_is_accepted_with_202_and_deployed(self):
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, fixture("dockerhub-legacy-with-images.json"))
        self.assertEqual(202, status, body)
        self.assertEqual("latest", body["accepted"][0]["tag"])
        self.assertIn("id", body)
        deploy_id = body["accepted"][0]["deploy"]
        # No container runs the image (the fake docker lists none): no pull.
        self.wait_for_log('msg="Deploy finished" Deploy=%s' % deploy_id)
        self.assertIn('Result="no_match"', self.wiretap.log())
        self.assertEqual([], self.docker_calls("pull"))
        self.assertEqual(1, len(self.docker_calls("container-ls")))
        metrics = self.wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn('wiretap_docker_calls_total{verb="version",result="ok"} 1', metrics)
        self.assertIn('wiretap_docker_calls_total{verb="container ls",result="ok"} 1', metrics)
        self.assertIn('wiretap_deploys_total{result="no_match"} 1', metrics)
        self.assertIn('wiretap_webhook_events_total{source="dockerhub",outcome="accepted"} 1', metrics)
        self.assertIn("wiretap_deploy_duration_seconds_count 1", metrics)

    def test_nothing_actionable_is_200_with_reasons(self):
        status, _, body = self.post("/listen", fixture("distribution-pull-with-tag.json"),
                                    {"Authorization": "Bearer " + TEST_TOKEN,
                                     "Content-Type": "application/vnd.docker.distribution.events.v1+json"})
        self.assertEqual(200, status, body)
        self.assertTrue(body["ignored"])
        self.assertNotIn("accepted", body)

    def test_malformed_json_is_400_and_logged_as_invalid_request(self):
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, b'{"push_data": ')
        self.assertEqual(400, status)
        self.assertIn("error", body)
        self.assertIn('msg="Invalid Request" Status=400', self.wiretap.log())
        self.assertIn("Remote=", self.wiretap.log())

    def test_unknown_format_is_400(self):
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, b'{"hello": "world"}')
        self.assertEqual(400, status)

    def test_wrong_tokens_are_all_401_and_nothing_reaches_the_queue(self):
        body = fixture("dockerhub.json")
        conn = http.client.HTTPConnection("127.0.0.1", self.wiretap.port, timeout=10)
        try:
            for i in range(1000):
                conn.request("POST", "/listen?token=wrong%d" % i, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = json.loads(response.read())
                self.assertEqual(401, response.status)
                self.assertEqual("invalid credentials in token query parameter", payload["error"])
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.wiretap.port, timeout=10)
        finally:
            conn.close()
        _, _, metrics = self.wiretap.request("GET", "/metrics")
        self.assertIn('wiretap_webhook_rejections_total{status="401"} 1000', metrics.decode())
        self.assertNotIn("wiretap_webhook_events_total", metrics.decode().split("# TYPE wiretap_webhook_events_total")[1].split("#")[0])
        self.assertEqual([], self.docker_calls("container-ls"))
        self.assertNotIn("secret", self.wiretap.log())
        self.assertNotIn(TEST_TOKEN, self.wiretap.log())

    def test_missing_token_is_401(self):
        status, _, body = self.post("/listen", fixture("dockerhub.json"))
        self.assertEqual(401, status)
        self.assertTrue(body["error"].startswith("missing credentials"))

    def test_unknown_source_is_404_and_unknown_path_is_404(self):
        status, _, body = self.post("/hooks/nexus?token=" + TEST_TOKEN, b"{}")
        self.assertEqual(404, status)
        self.assertIn("unknown webhook source 'nexus'", body["error"])
        status, _, _ = self.post("/nowhere", b"{}")
        self.assertEqual(404, status)

    def test_forced_source_parses_that_format(self):
        status, _, body = self.post("/hooks/generic?token=" + TEST_TOKEN, b'{"image": "127.0.0.1:5000/demo/app:v2"}')
        self.assertEqual(202, status, body)
        self.assertEqual("127.0.0.1:5000/demo/app", body["accepted"][0]["image"])

    def test_get_on_listen_is_405_with_allow(self):
        status, headers, body = self.wiretap.json("GET", "/listen")
        self.assertEqual(405, status)
        self.assertEqual("POST", headers["Allow"])

    def test_oversized_body_is_413(self):
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, b"x" * (1024 * 1024 + 1))
        self.assertEqual(413, status)
        self.assertIn("over the limit", body["error"])

    def test_oversized_chunked_body_is_413_without_reading_it_all(self):
        with socket.create_connection(("127.0.0.1", self.wiretap.port), timeout=10) as conn:
            conn.sendall(b"POST /listen?token=" + TEST_TOKEN.encode() + b" HTTP/1.1\r\nHost: t\r\n"
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"y" * 65536
            reply = b""
            try:
                for _ in range(40):  # 2.5 MiB offered; the server stops reading at 1 MiB
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    reply += data
            except ConnectionResetError:
                pass
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])

    def github_form(self, body, secret=TEST_TOKEN, delivery="f0a1b2c3-0000-11ee-8000-000000000001"):
        return {"Content-Type": "application/x-www-form-urlencoded", "X-GitHub-Event": "package",
                "X-GitHub-Delivery": delivery,
                "X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}

    def test_github_form_encoded_push_signed_over_the_raw_body_is_accepted(self):
        body = fixture("ghcr-package-tagged-form.CONSTRUCTED.txt")
        for path, delivery in (("/listen", "f0a1b2c3-0000-11ee-8000-000000000001"),
                               ("/hooks/github", "f0a1b2c3-0000-11ee-8000-000000000002")):
            status, _, answer = self.post(path, body, self.github_form(body, delivery=delivery))
            self.assertEqual(202, status, answer)
            self.assertEqual("ghcr.io/codertocat/hello-world", answer["accepted"][0]["image"])
            self.assertEqual("v1", answer["accepted"][0]["tag"])

    def test_github_form_with_a_bad_signature_is_401(self):
        body = fixture("ghcr-package-tagged-form.CONSTRUCTED.txt")
        decoded = urllib.parse.parse_qs(body.decode())["payload"][0].encode()
        for path in ("/listen", "/hooks/github"):
            for headers in (self.github_form(body, secret="guess"), self.github_form(decoded)):
                status, _, answer = self.post(path, body, headers)
                self.assertEqual(401, status, answer)
                self.assertEqual("invalid credentials in X-Hub-Signature-256 header", answer["error"])

    def test_broken_github_form_is_400_with_the_reason(self):
        cases = {b"hook_id=1": "form body has no field 'payload'",
                 b"payload=%7B%zz%7D": "form body has a bad percent-encoding at byte 11: '%zz'",
                 b"payload=published": "form field 'payload' is not a JSON object"}
        for path in ("/listen", "/hooks/github"):
            for body, reason in cases.items():
                status, _, answer = self.post(path, body, self.github_form(body))
                self.assertEqual(400, status, answer)
                self.assertEqual(reason, answer["error"])
        self.assertIn('msg="Invalid Request" Status=400 Reason="form body has no field', self.wiretap.log())

    def test_oversized_github_form_is_413(self):
        body = b"payload=" + b"%20" * (350 * 1024)
        status, _, answer = self.post("/hooks/github", body, self.github_form(body))
        self.assertEqual(413, status, answer)

    def test_same_delivery_twice_is_accepted_once(self):
        headers = {"Authorization": "Bearer " + TEST_TOKEN,
                   "Content-Type": "application/vnd.docker.distribution.events.v1+json"}
        body = fixture("distribution-real-capture.json")
        first = self.post("/listen", body, headers)
        second = self.post("/listen", body, headers)
        self.assertEqual(202, first[0])
        self.assertEqual(200, second[0])
        self.assertIn("already accepted", second[2]["ignored"][0])

    def test_deployments_need_the_token_and_list_finished_deploys(self):
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, fixture("dockerhub.json"))
        deploy_id = body["accepted"][0]["deploy"]
        self.wait_for_log('msg="Deploy finished" Deploy=%s' % deploy_id)
        status, _, _ = self.wiretap.json("GET", "/v1/deployments")
        self.assertEqual(401, status)
        status, _, listing = self.wiretap.json("GET", "/v1/deployments?token=" + TEST_TOKEN)
        self.assertEqual(200, status)
        self.assertEqual(deploy_id, listing["deployments"][0]["id"])
        self.assertEqual("no_match", listing["deployments"][0]["result"])
        status, _, one = self.wiretap.json("GET", "/v1/deployments/%s?token=%s" % (deploy_id, TEST_TOKEN))
        self.assertEqual(200, status)
        self.assertEqual("docker.io/svendowideit/testhook:latest", one["image"])

    def test_an_api_token_reads_deployments_and_triggers_nothing(self):
        self.wiretap.close()
        self.wiretap = self.start("--set=wiretap.apiToken=dashboard-only")
        status, _, body = self.post("/listen?token=dashboard-only", fixture("dockerhub.json"))
        self.assertEqual(401, status, body)
        status, _, body = self.post("/listen?token=" + TEST_TOKEN, fixture("dockerhub.json"))
        self.assertEqual(202, status, body)
        self.wait_for_log('msg="Deploy finished" Deploy=%s' % body["accepted"][0]["deploy"])
        status, _, _ = self.wiretap.json("GET", "/v1/deployments?token=" + TEST_TOKEN)
        self.assertEqual(401, status)  # the shared token no longer reads the reports
        status, _, listing = self.wiretap.json("GET", "/v1/deployments", headers={
            "Authorization": "Bearer dashboard-only"})
        self.assertEqual(200, status)
        self.assertEqual(1, len(listing["deployments"]))
        self.assertNotIn("dashboard-only", self.wiretap.log())


class SlowHeadTest(WiretapTestCase):
    """Slowloris: clients that drip their request heads are cut at http.headerTimeout."""

    HEAD = b"GET /healthz HTTP/1.1\r\nHost: slowloris\r\nUser-Agent: drip\r\n\r\n"

    def drip_until_closed(self, conn, interval=0.5, limit=30):
        """Sends HEAD a byte every `interval` s; True once the server closed the connection."""
        deadline = time.monotonic() + limit
        for byte in self.HEAD * 4:
            if time.monotonic() > deadline:
                break
            try:
                conn.sendall(bytes([byte]))
                if select.select([conn], [], [], interval)[0]:
                    data = conn.recv(4096)
                    self.assertEqual(b"", data, "the head was answered, not cut")
                    return True
            except (BrokenPipeError, ConnectionResetError):
                return True
        return False

    def test_head_dripped_slower_than_the_deadline_is_closed_and_logged(self):
        wiretap = self.start("--set=http.headerTimeout=1")
        with socket.create_connection(("127.0.0.1", wiretap.port), timeout=10) as conn:
            started = time.monotonic()
            self.assertTrue(self.drip_until_closed(conn), "wiretap kept the connection open")
            self.assertGreater(time.monotonic() - started, 0.8)
        self.wait_for_count(wiretap, "request head not received within 1000 ms", 1)
        self.assertIn('msg="Invalid Request" Status=408 Reason="request head not received within 1000 ms" '
                      'Remote="127.0.0.1:', wiretap.log())
        metrics = wiretap.request("GET", "/metrics")[2].decode()
        self.assertIn("wiretap_http_head_timeouts_total 1", metrics)

    def test_healthz_answers_while_more_slow_heads_than_threads_are_open(self):
        wiretap = self.start("--set=http.headerTimeout=1", "--set=http.maxThreads=8")
        slow = [socket.create_connection(("127.0.0.1", wiretap.port), timeout=10) for _ in range(20)]
        try:
            for conn in slow:
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: slow")
            # Every thread is held by a slow head now; each is cut after a second, and the
            # probe, queued behind them, gets a thread within a few rounds.
            status, _, body = wiretap.request("GET", "/healthz")
            self.assertEqual(200, status)
            self.assertEqual({"status": "ok"}, json.loads(body))
            for conn in slow:
                conn.settimeout(15)
                try:
                    self.assertEqual(b"", conn.recv(4096))
                except ConnectionResetError:
                    pass
        finally:
            for conn in slow:
                conn.close()
        self.wait_for_count(wiretap, "request head not received within 1000 ms", 20)

    def wait_for_count(self, wiretap, text, count, timeout=10):
        """The log shows `text` `count` times: the watchdog logs just after it closed a connection."""
        deadline = time.monotonic() + timeout
        while wiretap.log().count(text) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(count, wiretap.log().count(text), wiretap.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
