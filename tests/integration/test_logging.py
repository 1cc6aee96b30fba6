"""Logging through the real binary: the logrus and JSON console formats, Poco's logging.*
keys with our formatters (a FileChannel, syslog over UDP), and SIGHUP reopening log files."""
import json
import os
import re
import signal
import socket
import tempfile
import time
import unittest

from harness import WiretapTestCase, run_wiretap

LOGRUS_LINE = re.compile(r'^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=(trace|debug|info|warning|error|fatal) '
                         r'msg=("([^"\\]|\\.)*"|\S+)( [A-Za-z][\w.-]*=("([^"\\]|\\.)*"|\S*))*$')


def wait_for(predicate, timeout=10, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        return f.read()


class LoggingTest(WiretapTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="wiretap-log-")

    def file_logging_config(self, log_path, extra=""):
        path = os.path.join(self.dir, "logging.properties")
        with open(path, "w") as f:
            f.write("logging.formatters.logrus.class = LogrusFormatter\n"
                    "logging.channels.file.class = FileChannel\n"
                    "logging.channels.file.path = %s\n"
                    "logging.channels.file.rotation = 10 M\n"
                    "logging.channels.file.archive = timestamp\n"
                    "logging.channels.file.purgeCount = 5\n"
                    "logging.channels.file.formatter = logrus\n"
                    "logging.loggers.root.channel = file\n"
                    "logging.loggers.root.level = information\n%s" % (log_path, extra))
        return path

    def test_default_console_format_is_the_seeds_logrus_text(self):
        wiretap = self.start()
        wiretap.request("GET", "/nowhere")
        self.assertEqual(0, wiretap.stop())
        lines = [l for l in wiretap.log().splitlines() if l]
        self.assertGreaterEqual(len(lines), 4)
        for line in lines:
            self.assertRegex(line, LOGRUS_LINE)
        self.assertTrue(any('msg="Listening for webhooks"' in l for l in lines))

    def test_log_format_json_gives_one_object_per_line(self):
        wiretap = self.start("--set=log.format=json")
        wiretap.request("GET", "/nowhere")
        self.assertEqual(0, wiretap.stop())
        records = [json.loads(line) for line in wiretap.log().splitlines() if line]
        self.assertTrue(all({"time", "level", "msg"} <= set(r) for r in records), records)
        invalid = [r for r in records if r["msg"] == "Invalid Request"]
        self.assertEqual("404", invalid[0]["Status"])
        self.assertEqual("warning", invalid[0]["level"])
        self.assertRegex(records[0]["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_log_level_warning_hides_info_lines(self):
        wiretap = self.start("--set=log.level=warning")
        wiretap.request("GET", "/nowhere")
        self.assertEqual(0, wiretap.stop())
        self.assertNotIn("level=info", wiretap.log())
        self.assertIn('level=warning msg="Invalid Request"', wiretap.log())

    def test_file_channel_is_reopened_on_sighup_after_a_rename(self):
        log_path = os.path.join(self.dir, "wiretap.log")
        wiretap = self.start("--config=" + self.file_logging_config(log_path))
        wait_for(lambda: "Listening for webhooks" in read(log_path), what="the first lines in the log file")
        self.assertEqual("", wiretap.log())  # nothing on the console
        os.rename(log_path, log_path + ".1")  # what logrotate does without copytruncate
        wiretap.request("GET", "/before-hup")
        wiretap.send_signal(signal.SIGHUP)
        wait_for(lambda: "Reopened log files" in read(log_path), what="a fresh log file")
        wiretap.request("GET", "/after-hup")
        self.assertIsNone(wiretap.proc.poll(), "SIGHUP stopped wiretap")
        wait_for(lambda: "/after-hup" in read(log_path), what="the request logged in the fresh file")
        old, new = read(log_path + ".1"), read(log_path)
        self.assertIn('msg="Listening for webhooks"', old)
        self.assertIn("/before-hup", old)
        self.assertNotIn("/after-hup", old)
        self.assertIn('level=info msg="Reopened log files" Files=1', new)
        for line in new.splitlines():
            self.assertRegex(line, LOGRUS_LINE)
        # A second rotation works the same way, and the server still stops cleanly.
        os.rename(log_path, log_path + ".2")
        wiretap.send_signal(signal.SIGHUP)
        wait_for(lambda: "Reopened log files" in read(log_path), what="a second fresh log file")
        self.assertEqual(200, wiretap.request("GET", "/healthz")[0])
        self.assertEqual(0, wiretap.stop())
        self.assertIn('msg=Stopped', read(log_path))

    def test_sighup_with_console_logging_keeps_running(self):
        wiretap = self.start()
        for _ in range(3):
            wiretap.send_signal(signal.SIGHUP)
        wait_for(lambda: wiretap.log().count("Reopened log files") >= 1, what="the reopen line")
        self.assertIsNone(wiretap.proc.poll())
        self.assertEqual(200, wiretap.request("GET", "/healthz")[0])
        self.assertIn('msg="Reopened log files" Files=0', wiretap.log())
        self.assertEqual(0, wiretap.stop())

    def test_json_formatter_selected_by_class_name_for_a_file(self):
        log_path = os.path.join(self.dir, "wiretap.json")
        wiretap = self.start("--config=" + self.file_logging_config(log_path),
                             "--set=logging.formatters.logrus.class=JsonLogFormatter")
        wait_for(lambda: "Listening for webhooks" in read(log_path), what="JSON lines in the file")
        self.assertEqual(0, wiretap.stop())
        records = [json.loads(line) for line in read(log_path).splitlines()]
        self.assertIn("Listening for webhooks", [r["msg"] for r in records])

    def test_remote_syslog_channel_sends_logrus_lines_over_udp(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
            receiver.bind(("127.0.0.1", 0))
            receiver.settimeout(10)
            path = os.path.join(self.dir, "syslog.properties")
            with open(path, "w") as f:
                f.write("logging.formatters.logrus.class = LogrusFormatter\n"
                        "logging.channels.remote.class = RemoteSyslogChannel\n"
                        "logging.channels.remote.loghost = 127.0.0.1:%d\n"
                        "logging.channels.remote.name = wiretap\n"
                        "logging.channels.remote.formatter = logrus\n"
                        "logging.loggers.root.channel = remote\n" % receiver.getsockname()[1])
            wiretap = self.start("--config=" + path)
            seen = []
            while not any("Listening for webhooks" in m for m in seen):
                seen.append(receiver.recv(65536).decode("utf-8", "replace"))
            self.assertEqual(0, wiretap.stop())
        self.assertTrue(any('level=info msg="Listening for webhooks"' in m for m in seen), seen)

    def test_start_up_error_with_file_logging_is_on_stderr_and_in_the_file(self):
        log_path = os.path.join(self.dir, "wiretap.log")
        result = run_wiretap(["--config=" + self.file_logging_config(log_path), "--port=eighty"])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "invalid configuration: http.port: 'eighty' is not a whole number")
        self.assertIn("http.port: 'eighty'", read(log_path))

    def test_unwritable_log_file_is_exit_78(self):
        result = run_wiretap(["--config=" + self.file_logging_config("/nonexistent/dir/wiretap.log")])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "invalid configuration: logging.channels:",
                                "/nonexistent/dir/wiretap.log")

    def test_unknown_channel_class_is_exit_78(self):
        result = run_wiretap(["--set=logging.channels.c1.class=NoSuchChannel",
                              "--set=logging.loggers.root.channel=c1"])
        self.assertEqual(78, result.returncode)
        self.assertOneErrorLine(result.stderr, "invalid configuration: logging.*:", "NoSuchChannel")


if __name__ == "__main__":
    unittest.main(verbosity=2)
