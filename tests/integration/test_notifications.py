"""When a deploy ends, Docker Hub's callback_url and notify.url hear about it; a dead receiver
never holds anything up."""
import http.server
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

from harness import WiretapTestCase, TEST_TOKEN, free_port

FIXTURES = os.path.join(os.environ.get("WIRETAP_SOURCE_DIR", "."), "tests", "fixtures", "payloads")


class Receiver:
    """An HTTP server on loopback that records every POST."""

    def __init__(self, status=200, certificate=None):
        """certificate: (cert, key) PEM files to serve HTTPS with."""
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
        self.scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            # A client that refuses the certificate fails the handshake in accept(): an
            # OSError, which the server drops.
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return "%s://127.0.0.1:%d%s" % (self.scheme, self.port, path)

    def wait(self, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Certificates:
    """A throwaway CA and server certificates for 127.0.0.1, made with openssl in a temporary folder."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wiretap-tls-")
        self.ca = self._path("ca.pem")
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=wiretap test CA",
                      "-keyout", self._path("ca.key"), "-out", self.ca)
        self.trusted = self.issue("trusted", "IP:127.0.0.1,DNS:localhost")
        self.wrong_host = self.issue("wrong-host", "DNS:receiver.example.com")
        self.self_signed = (self._path("self.pem"), self._path("self.key"))
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", self.self_signed[1],
                      "-out", self.self_signed[0])

    def issue(self, name, alt_names):
        """A server certificate signed by the CA: (cert, key)."""
        cert, key, csr, ext = (self._path(name + suffix) for suffix in (".pem", ".key", ".csr", ".ext"))
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n" % alt_names)
        self._openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", key, "-out", csr)
        self._openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self._path("ca.key"),
                      "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
        return cert, key

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _openssl(self, *args):
        subprocess.run(["openssl"] + list(args), check=True, capture_output=True)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


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

    def https_receiver(self, certificate):
        receiver = Receiver(certificate=certificate)
        self.addCleanup(receiver.close)
        return receiver

    def certificates(self):
        certificates = Certificates()
        self.addCleanup(certificates.close)
        return certificates

    def deploy(self, wiretap, count=1):
        status, _, _ = wiretap.request("POST", "/hooks/generic?token=" + TEST_TOKEN, b'{"image": "demo/app:v2"}',
                                       {"Content-Type": "application/json"})
        self.assertEqual(202, status)
        deadline = time.monotonic() + 15
        while wiretap.log().count('msg="Deploy finished"') < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def wait_for_failures(self, wiretap, count, timeout=15):
        deadline = time.monotonic() + timeout
        while wiretap.log().count('msg="Notification failed"') < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return [line for line in wiretap.log().splitlines() if 'msg="Notification failed"' in line]

    def test_notify_url_over_https_with_a_private_ca_in_notify_cafile(self):
        certificates = self.certificates()
        receiver = self.https_receiver(certificates.trusted)
        wiretap = self.start("--set=notify.url=" + receiver.url("/hooks/deploys"),
                             "--set=notify.caFile=" + certificates.ca)
        self.deploy(wiretap)
        received = receiver.wait()
        self.assertEqual(1, len(received), wiretap.log())
        path, content_type, summary = received[0]
        self.assertEqual(("/hooks/deploys", "application/json"), (path, content_type))
        self.assertEqual("docker.io/demo/app:v2", summary["deployment"]["image"])
        # Logged once the receiver's answer is read, which may come after the receiver saw the POST.
        sent = 'msg="Notification sent" What="deploy notification" URL=127.0.0.1'
        deadline = time.monotonic() + 15
        while sent not in wiretap.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn(sent, wiretap.log())

    def test_ssl_cert_file_in_the_environment_is_trusted_too(self):
        certificates = self.certificates()
        receiver = self.https_receiver(certificates.trusted)
        wiretap = self.start("--set=notify.url=" + receiver.url("/hooks/deploys"),
                             env_overrides={"SSL_CERT_FILE": certificates.ca})
        self.deploy(wiretap)
        self.assertEqual(1, len(receiver.wait()), wiretap.log())

    def test_https_receivers_without_a_valid_certificate_are_refused_and_deploys_go_on(self):
        certificates = self.certificates()
        cases = [
            # (receiver's certificate, notify.caFile or None, what the log says)
            (certificates.self_signed, certificates.ca, "certificate verify failed: self-signed certificate "
                                                        "(CN=127.0.0.1, depth 0)"),
            # a private CA not in notify.caFile
            (certificates.trusted, None, "certificate verify failed: unable to get local issuer certificate "
                                         "(CN=trusted, depth 0)"),
            (certificates.wrong_host, certificates.ca, "Unacceptable certificate from 127.0.0.1"),
        ]
        for certificate, ca_file, reason in cases:
            with self.subTest(reason=reason):
                receiver = self.https_receiver(certificate)
                args = ["--set=notify.url=" + receiver.url("/hooks/deploys"), "--set=notify.timeout=5"]
                if ca_file:
                    args.append("--set=notify.caFile=" + ca_file)
                wiretap = self.start(*args)
                self.deploy(wiretap)
                self.deploy(wiretap, count=2)  # a refused receiver holds nothing up
                failures = self.wait_for_failures(wiretap, 2)
                self.assertEqual(2, len(failures), wiretap.log())
                self.assertIn(reason, failures[0])
                self.assertIn("URL=127.0.0.1 ", failures[0])
                self.assertEqual(2, wiretap.log().count('msg="Deploy finished"'))
                self.assertEqual([], receiver.received)
                wiretap.close()

    def test_docker_hub_callback_over_https_gets_the_result(self):
        certificates = self.certificates()
        receiver = self.https_receiver(certificates.trusted)
        wiretap = self.start("--set=notify.callbackHosts=*", "--set=notify.caFile=" + certificates.ca)
        status, _, body = wiretap.request("POST", "/listen?token=" + TEST_TOKEN,
                                          self.dockerhub_payload(receiver.url("/u/svendowideit/testhook/hook/x/")),
                                          {"Content-Type": "application/json"})
        self.assertEqual(202, status, body)
        received = receiver.wait()
        self.assertEqual(1, len(received), wiretap.log())
        path, _, callback = received[0]
        self.assertEqual("/u/svendowideit/testhook/hook/x/", path)
        self.assertEqual("success", callback["state"])

    def test_unreadable_ca_file_is_a_configuration_error(self):
        from harness import run_wiretap
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1", "--set=notify.caFile=/nonexistent/ca.pem"])
        self.assertEqual(78, result.returncode)
        self.assertIn("notify.caFile", result.stderr)

    def test_invalid_notify_url_is_a_configuration_error(self):
        from harness import run_wiretap
        result = run_wiretap(["--port=0", "--set=http.address=127.0.0.1", "--set=notify.url=ftp://x"])
        self.assertEqual(78, result.returncode)
        self.assertIn("notify.url", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
