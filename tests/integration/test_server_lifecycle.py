"""The wiretap server starts, answers /healthz, and stops cleanly."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import SLOWDOWN, WiretapTestCase, free_port, run_wiretap, base_env, WIRETAP_BIN


class ServerLifecycleTest(WiretapTestCase):

    def test_healthz_answers_ok_json(self):
        wiretap = self.start()
        status, headers, body = wiretap.json("GET", "/healthz")
        self.assertEqual(200, status)
        self.assertEqual("application/json", headers["Content-Type"])
        self.assertEqual({"status": "ok"}, body)

    def test_unknown_path_is_json_404_and_logged_as_invalid_request(self):
        wiretap = self.start()
        status, _, body = wiretap.json("GET", "/nowhere")
        self.assertEqual(404, status)
        self.assertEqual({"error": "no route for /nowhere"}, body)
        self.assertIn('msg="Invalid Request"', wiretap.log())
        self.assertIn("Status=404", wiretap.log())

    def test_metrics_count_requests_by_route_and_status(self):
        wiretap = self.start()
        wiretap.request("GET", "/nowhere")
        status, headers, body = wiretap.request("GET", "/metrics")
        self.assertEqual(200, status)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        self.assertIn("# TYPE wiretap_http_requests_total counter", text)
        self.assertIn('wiretap_http_requests_total{route="unmatched",method="GET",status="404"} 1', text)
        # wait_ready() polled /healthz at least once
        self.assertRegex(text, r'wiretap_http_requests_total\{route="/healthz",method="GET",status="200"\} [1-9]')

    def test_wrong_method_is_json_405_with_allow(self):
        wiretap = self.start()
        status, headers, body = wiretap.json("DELETE", "/healthz")
        self.assertEqual(405, status)
        self.assertEqual("GET, HEAD", headers["Allow"])
        self.assertIn("error", body)

    def test_sigterm_stops_with_exit_status_zero(self):
        wiretap = self.start()
        self.assertEqual(0, wiretap.stop(signal.SIGTERM))
        self.assertIn('msg=Stopped', wiretap.log())

    def test_sigint_stops_with_exit_status_zero(self):
        wiretap = self.start()
        self.assertEqual(0, wiretap.stop(signal.SIGINT))

    def test_request_in_flight_at_sigterm_is_answered(self):
        wiretap = self.start()
        with socket.create_connection(("127.0.0.1", wiretap.port), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")
            time.sleep(0.3)  # the server is now reading this request
            wiretap.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.assertIsNone(wiretap.proc.poll(), "wiretap exited with a request in flight")
            conn.sendall(b"Connection: close\r\n\r\n")
            reply = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
        self.assertTrue(reply.startswith(b"HTTP/1.1 200 OK"), reply)
        self.assertIn(b'{"status":"ok"}', reply)
        self.assertEqual(0, wiretap.stop())

    def test_idle_keep_alive_connection_does_not_prevent_stop(self):
        wiretap = self.start("--set=http.keepAliveTimeout=60", "--set=http.shutdownTimeout=60")
        with socket.create_connection(("127.0.0.1", wiretap.port), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            self.assertTrue(conn.recv(4096).startswith(b"HTTP/1.1 200 OK"))
            wiretap.send_signal(signal.SIGTERM)
            # The idle connection is closed by the server rather than waited on for 60 s.
            self.assertEqual(0, wiretap.proc.wait(timeout=20))

    def test_port_in_use_is_one_error_line_and_nonzero_exit(self):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            result = run_wiretap(["--port=%d" % port, "--set=http.address=127.0.0.1"])
        self.assertNotEqual(0, result.returncode)
        self.assertOneErrorLine(result.stderr, "cannot listen on 127.0.0.1:%d" % port, "Address already in use")

    def test_missing_config_file_is_one_error_line_and_exit_78(self):
        result = run_wiretap(["--config=/nonexistent/wiretap.properties"])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "cannot load configuration file /nonexistent/wiretap.properties")

    def test_malformed_xml_config_is_one_error_line_and_exit_78(self):
        path = os.path.join(tempfile.mkdtemp(), "wiretap.xml")
        with open(path, "w") as f:
            f.write("<config><http><port>8000</http>")
        result = run_wiretap(["--config=" + path])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "cannot load configuration file " + path)

    def test_invalid_port_value_is_one_error_line_and_exit_78(self):
        result = run_wiretap(["--port=99999"])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "http.port", "99999 is out of range")

    def test_config_file_sets_the_listen_port(self):
        port = free_port()
        path = os.path.join(tempfile.mkdtemp(), "wiretap.ini")
        with open(path, "w") as f:
            f.write("[http]\naddress = 127.0.0.1\nport = %d\n" % port)
        proc = subprocess.Popen([WIRETAP_BIN, "--config=" + path], env=base_env(tempfile.mkdtemp()),
                                stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 10 * SLOWDOWN
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                self.fail("wiretap did not listen on the port from its .ini file")
        finally:
            proc.terminate()
            self.assertEqual(0, proc.wait(timeout=30))

    def test_shipped_configuration_file_is_valid(self):
        shipped = os.path.join(os.environ["WIRETAP_SOURCE_DIR"], "etc", "wiretap.properties")
        wiretap = self.start("--config=" + shipped)
        self.assertEqual(200, wiretap.request("GET", "/healthz")[0])

    def test_version_prints_version_and_exits_zero(self):
        result = run_wiretap(["--version"])
        self.assertEqual(0, result.returncode)
        self.assertRegex(result.stdout, r"^wiretap \d+\.\d+\.\d+\n$")

    def test_help_lists_the_options(self):
        result = run_wiretap(["--help"])
        self.assertEqual(0, result.returncode)
        for option in ("--config=FILE", "--port=N", "--daemon", "--pidfile", "--set=KEY=VALUE"):
            self.assertIn(option, result.stdout)

    def test_unknown_option_exits_nonzero_with_a_message(self):
        result = run_wiretap(["--frobnicate"])
        self.assertNotEqual(0, result.returncode)
        self.assertIn("frobnicate", result.stderr)

    def test_sigterm_right_after_start_up_is_a_clean_stop(self):
        # The stop request arrives while the server is still starting its threads.
        for _ in range(5):
            proc = subprocess.Popen([WIRETAP_BIN, "--port=%d" % free_port(), "--set=http.address=127.0.0.1"],
                                    env=base_env(tempfile.mkdtemp()), stderr=subprocess.PIPE, text=True)
            seen = ""
            while "Listening for webhooks" not in seen:
                line = proc.stderr.readline()
                self.assertTrue(line, "wiretap ended before it listened:\n" + seen)
                seen += line
            proc.send_signal(signal.SIGTERM)
            _, rest = proc.communicate(timeout=30)
            self.assertEqual(0, proc.returncode, seen + rest)
            self.assertIn('msg=Stopped', rest)

    def test_daemon_writes_pidfile_and_stops_on_sigterm(self):
        scratch = tempfile.mkdtemp()
        pidfile = os.path.join(scratch, "wiretap.pid")
        port = free_port()
        result = run_wiretap(["--daemon", "--pidfile=" + pidfile, "--port=%d" % port,
                              "--set=http.address=127.0.0.1"])
        self.assertEqual(0, result.returncode, result.stderr)
        deadline = time.monotonic() + 10 * SLOWDOWN
        written = ""
        while time.monotonic() < deadline:  # the file exists a moment before the pid is in it
            if os.path.exists(pidfile):
                with open(pidfile) as f:
                    written = f.read()
                if written.endswith("\n"):
                    break
            time.sleep(0.05)
        pid = int(written.strip())
        try:
            deadline = time.monotonic() + 10 * SLOWDOWN
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                self.fail("the daemon did not listen")
        finally:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(os.path.exists("/proc/%d" % pid), "the daemon did not stop")
        self.assertFalse(os.path.exists(pidfile), "the pidfile was left behind")


if __name__ == "__main__":
    unittest.main(verbosity=2)
