"""A self-hosted registry's notifications reach wiretap: one push, exactly one accepted event
for that repository and tag (the blob pushes and the pulls a push makes are ignored, 2xx)."""
import os
import subprocess
import tempfile
import time
import unittest

from e2e import ENV, SandboxTestCase, build_image, docker, free_port

REGISTRY = "127.0.0.1:5001"  # a second registry in the sandbox, with notifications on


class RegistryNotificationTest(SandboxTestCase):

    def start_registry(self, webhook_port, token):
        state = tempfile.mkdtemp(prefix="registry-", dir=ENV["WT_SANDBOX_DIR"])
        config = os.path.join(state, "config.yml")
        with open(config, "w") as f:
            f.write("""version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: %s}}
http: {addr: %s}
notifications:
  endpoints:
    - name: wiretap
      url: http://127.0.0.1:%d/listen
      headers: {Authorization: [Bearer %s]}
      timeout: 2s
      threshold: 3
      backoff: 1s
""" % (os.path.join(state, "data"), REGISTRY, webhook_port, token))
        log = open(os.path.join(state, "registry.log"), "w")
        proc = subprocess.Popen(["nsenter", "--net=" + ENV["WT_NETNS_PATH"], "docker-registry", "serve", config],
                                stdout=log, stderr=subprocess.STDOUT)

        def stop():
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
        self.addCleanup(stop)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            probe = subprocess.run(["nsenter", "--net=" + ENV["WT_NETNS_PATH"], "python3", "-c",
                                    "import urllib.request; urllib.request.urlopen('http://%s/v2/')" % REGISTRY],
                                   capture_output=True)
            if probe.returncode == 0:
                return
            time.sleep(0.2)
        self.fail("the second registry did not start")

    def test_one_push_is_one_accepted_event(self):
        wiretap = self.start_wiretap(in_namespace=True)
        self.start_registry(wiretap.port, wiretap.token)
        tag = "%s/demo/notified:v%d" % (REGISTRY, os.getpid())
        build_image("demo/notified:base", "")  # built for the sandbox registry; re-tag for this one
        docker("tag", "127.0.0.1:5000/demo/notified:base", tag)
        docker("push", tag)
        repository, _, version = tag.rpartition(":")
        accepted = 'msg="Webhook accepted" Source=registry Image="%s" Tag=%s' % (repository, version)
        wiretap.wait_for_log(accepted, timeout=30)
        time.sleep(3)  # let the registry deliver anything else it has for this push
        log = wiretap.log()
        self.assertEqual(1, log.count(accepted), log)
        self.assertIn('msg="Webhook ignored" Source=registry', log)  # the blob pushes, answered 200
        self.assertNotIn("Invalid Request", log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
