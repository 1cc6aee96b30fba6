"""Configuration through the real binary: --check-config, precedence, exit status 78, unknown keys."""
import json
import os
import tempfile
import unittest

from harness import TEST_TOKEN, WiretapTestCase, base_env, fake_docker_calls, run_wiretap


def effective(stdout):
    """--check-config's lines as {key: (value, source)}."""
    values = {}
    for line in stdout.splitlines():
        if line.startswith("#") or " = " not in line:
            continue
        key, rest = line.split(" = ", 1)
        value, source = rest.rsplit("  # ", 1)
        values[key] = (value, source)
    return values


class ConfigurationTest(WiretapTestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="wiretap-cfg-")
        self.env = base_env(self.scratch)

    def write(self, name, text):
        path = os.path.join(self.scratch, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def assertConfigError(self, result, *fragments):
        self.assertEqual(78, result.returncode, result.stderr)
        self.assertOneErrorLine(result.stderr, "invalid configuration:", *fragments)
        self.assertEqual("", result.stdout)

    def test_check_config_prints_every_key_with_secrets_masked_and_exits_zero(self):
        result = run_wiretap(["--check-config", "--set=hooks.github.token=gh-hook-secret",
                              "--set=notify.url=https://bot:hunter2@chat.example.com/hook?token=abc123"],
                             env=self.env)
        self.assertEqual(0, result.returncode, result.stderr)
        values = effective(result.stdout)
        self.assertEqual(("********", "environment TOKEN"), values["wiretap.token"])
        self.assertEqual(("********", "command line"), values["hooks.github.token"])
        self.assertEqual(("https://bot:********@chat.example.com/hook?token=********", "command line"),
                         values["notify.url"])
        self.assertEqual(("8000", "default"), values["http.port"])
        self.assertEqual(("rolling", "default"), values["deploy.strategy"])
        self.assertEqual((self.scratch, "default"), values["state.dir"])  # from STATE_DIRECTORY
        for secret in (TEST_TOKEN, "gh-hook-secret", "hunter2", "abc123"):
            self.assertNotIn(secret, result.stdout + result.stderr)

    def test_check_config_needs_no_engine_and_touches_no_container(self):
        with open(os.path.join(self.scratch, "script.json"), "w") as f:
            json.dump({"version": {"exit": 1, "stderr": "Cannot connect to the Docker daemon\n"}}, f)
        result = run_wiretap(["--check-config"], env=self.env)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual([], fake_docker_calls(self.scratch))

    def test_shipped_configuration_file_checks_clean(self):
        shipped = os.path.join(os.environ["WIRETAP_SOURCE_DIR"], "etc", "wiretap.properties")
        result = run_wiretap(["--check-config", "--config=" + shipped], env=self.env)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual("", result.stderr)  # not even an unknown-key warning

    def test_bad_port_is_exit_78_with_one_line_naming_the_key(self):
        path = self.write("wiretap.properties", "http.port = 99999\n")
        for args, fragments in (
                (["--port=eighty"], ("http.port: 'eighty' is not a whole number", "(command line)")),
                (["--config=" + path], ("http.port: 99999 is out of range 0..65535", "(file " + path + ")"))):
            for mode in ([], ["--check-config"]):
                with self.subTest(args=args, mode=mode):
                    self.assertConfigError(run_wiretap(mode + args, env=self.env), *fragments)

    def test_negative_timeout_is_exit_78(self):
        result = run_wiretap(["--set=deploy.healthTimeout=-1"], env=self.env)
        self.assertConfigError(result, "deploy.healthTimeout: '-1' must not be less than 0.001")

    def test_unknown_strategy_is_exit_78(self):
        result = run_wiretap(["--check-config", "--set=deploy.strategy=foo"], env=self.env)
        self.assertConfigError(result, "deploy.strategy: 'foo' is not a strategy (rolling, parallel)")

    def test_missing_docker_binary_is_exit_78_not_69(self):
        for mode in ([], ["--check-config"]):
            with self.subTest(mode=mode):
                result = run_wiretap(mode + ["--set=docker.binary=/nonexistent/docker"], env=self.env)
                self.assertConfigError(result, "docker.binary: '/nonexistent/docker' is not an executable file")

    def test_bad_value_is_78_even_without_any_docker(self):
        env = dict(self.env, PATH="/nonexistent")
        result = run_wiretap(["--port=-1"], env=env)
        self.assertConfigError(result, "http.port: -1 is out of range")

    def test_set_without_a_value_is_one_logrus_error_line(self):
        result = run_wiretap(["--set=http.port"], env=self.env)
        self.assertEqual(64, result.returncode)  # EX_USAGE: the command line, not the configuration
        self.assertOneErrorLine(result.stderr, "--set expects KEY=VALUE, got 'http.port'")
        self.assertTrue(result.stderr.startswith('time="'), result.stderr)

    def test_unknown_key_is_a_warning_naming_it_and_the_server_starts(self):
        path = self.write("wiretap.properties", "http.prot = 8001\ndeploy.minUptime = 1\n")
        wiretap = self.start("--config=" + path, "--set=deploy.stratgy=parallel")
        self.assertEqual(200, wiretap.request("GET", "/healthz")[0])
        log = wiretap.log()
        self.assertIn('level=warning msg="Unknown configuration key, ignored" Key=http.prot '
                      'Source="file %s"' % path, log)
        self.assertIn('Key=deploy.stratgy Source="command line"', log)
        self.assertNotIn("Key=deploy.minUptime", log)

    def test_precedence_file_environment_command_line_seen_by_check_config(self):
        path = self.write("wiretap.properties", "docker.host = unix:///file.sock\n"
                                                "wiretap.token = file-token\n"
                                                "deploy.minUptime = 7\n")
        env_with_host = dict(self.env, DOCKER_HOST="unix:///env.sock")
        env_without_token = {k: v for k, v in self.env.items() if k != "TOKEN"}
        cases = [
            (self.env, [], "docker.host", ("unix:///file.sock", "file " + path)),
            (env_with_host, [], "docker.host", ("unix:///env.sock", "environment DOCKER_HOST")),
            (env_with_host, ["--set=docker.host=unix:///cli.sock"], "docker.host",
             ("unix:///cli.sock", "command line")),
            (self.env, ["-Ddocker.host=unix:///cli.sock"], "docker.host", ("unix:///cli.sock", "command line")),
            (env_without_token, [], "wiretap.token", ("********", "file " + path)),
            (self.env, [], "wiretap.token", ("********", "environment TOKEN")),
            (self.env, ["--define=wiretap.token=cli-token"], "wiretap.token", ("********", "command line")),
            (self.env, [], "deploy.minUptime", ("7", "file " + path)),
            (self.env, ["--set=deploy.minUptime=9"], "deploy.minUptime", ("9", "command line")),
            (self.env, [], "deploy.healthTimeout", ("60", "default")),
        ]
        for env, args, key, expected in cases:
            with self.subTest(args=args, key=key, expected=expected):
                result = run_wiretap(["--check-config", "--config=" + path] + args, env=env)
                self.assertEqual(0, result.returncode, result.stderr)
                self.assertEqual(expected, effective(result.stdout)[key])

    def test_command_line_docker_host_beats_DOCKER_HOST_for_the_cli(self):
        wiretap = self.start("--set=docker.host=unix:///cli.sock", env_overrides={"DOCKER_HOST": "unix:///env.sock"})
        wiretap.stop()
        version = [c for c in wiretap.calls() if c["key"] == "version"][0]
        self.assertEqual(["--host", "unix:///cli.sock"], version["argv"][:2])
        self.assertEqual("", version["env"]["DOCKER_HOST"])  # the CLI cannot fall back on it

    def test_DOCKER_HOST_beats_the_file_for_the_cli(self):
        path = self.write("wiretap.properties", "docker.host = unix:///file.sock\n")
        wiretap = self.start("--config=" + path, env_overrides={"DOCKER_HOST": "unix:///env.sock"})
        wiretap.stop()
        version = [c for c in wiretap.calls() if c["key"] == "version"][0]
        self.assertEqual(["--host", "unix:///env.sock"], version["argv"][:2])


if __name__ == "__main__":
    unittest.main(verbosity=2)
