"""The seed tutorial on a real engine: push, webhook, and both apps serve the new version —
with the same names, ports and configuration. Then what the original got wrong: an image
that is already running is not restarted, a broken image is rolled back."""
import json
import os
import unittest

from e2e import SandboxTestCase, build_image, docker, http_in_ns, inspect

HUB_NAME = "demo/hello-world-app"  # docker.io/demo/hello-world-app, served by the sandbox's mirror
PUSH_TAG = "demo/hello-world-app:latest"

# The seed's wh.json, as the tutorial prints it, with DOCKER_HUB_USERNAME=demo.
SEED_PAYLOAD = json.dumps({
    "push_data": {
        "images": ["27d47432a69bca5f2700e4dff7de0388ed65f9d3fb1ec645e2bc24c223dc1cc3",
                   "51a9c7c1f8bb2fa19bcd09789a34e63f35abb80044bc10196e304f6634cc582c"],
        "pushed_at": 1.417566161e+09,
        "pusher": "trustedbuilder"},
    "repository": {
        "comment_count": "0", "date_created": 1.417494799e+09, "description": "", "is_official": False,
        "is_private": True, "is_trusted": True, "name": "testhook", "namespace": "demo", "owner": "demo",
        "repo_name": "demo/hello-world-app",
        "repo_url": "https://registry.hub.docker.com/u/demo/hello-world-app/",
        "star_count": 0, "status": "Active"}})

# What must survive a redeploy unchanged.
# (Config.Labels is not here: the image's own labels follow the new image; the user's are checked below.)
KEPT = [("Name",), ("HostConfig", "PortBindings"), ("HostConfig", "RestartPolicy"), ("HostConfig", "Binds"),
        ("HostConfig", "Memory"), ("Config", "Image")]


def kept(container):
    values = {}
    for path in KEPT:
        value = container
        for key in path:
            value = (value or {}).get(key)
        values[".".join(path)] = value
    return values


class RedeployTest(SandboxTestCase):

    def setUp(self):
        super().setUp()
        build_image(PUSH_TAG, "")  # v1: no /version
        self.wiretap = self.start_wiretap("--set=deploy.minUptime=1", "--set=deploy.healthTimeout=20")

    def run_apps(self):
        docker("pull", HUB_NAME)  # an earlier test may have left a newer local tag
        self.run_container("app1", "--publish", "8001:5000", "--restart", "unless-stopped",
                           "--env", "GREETING=hello world", HUB_NAME)
        self.run_container("app2", "--publish", "8002:5000", "--memory", "64m", HUB_NAME)
        for port in (8001, 8002):
            self.assertEqual(404, http_in_ns("http://127.0.0.1:%d/version" % port)[0])
        return {name: inspect(name) for name in ("app1", "app2")}

    def deploy(self):
        status, answer = self.wiretap.post("/listen?token=" + self.wiretap.token, SEED_PAYLOAD)
        self.assertEqual(202, status, answer)
        return self.wiretap.deployment(answer["accepted"][0]["deploy"])

    def test_seed_tutorial_both_apps_serve_the_new_version_with_the_same_configuration(self):
        before = self.run_apps()
        build_image(PUSH_TAG, "1.1")  # the seed's code change: /version answers 1.1
        report = self.deploy()
        self.assertEqual("updated", report["result"], report)
        for port in (8001, 8002):
            self.assertEqual((200, "1.1"), http_in_ns("http://127.0.0.1:%d/version" % port))
        for name in ("app1", "app2"):
            after = inspect(name)
            self.assertNotEqual(before[name]["Id"], after["Id"])
            self.assertNotEqual(before[name]["Image"], after["Image"])
            self.assertEqual(kept(before[name]), kept(after))
            self.assertEqual(before[name]["Config"]["Labels"][self.LABEL], after["Config"]["Labels"][self.LABEL])
            self.assertEqual("1.1", after["Config"]["Labels"]["org.opencontainers.image.version"])
        self.assertIn("GREETING=hello world", inspect("app1")["Config"]["Env"])
        self.assertEqual("", docker("ps", "-aq", "--filter", "name=wiretap-old"))
        log = self.wiretap.log()
        self.assertEqual(1, log.count('msg="Pulling newer image" Image="demo/hello-world-app:latest"'), log)
        for line in ('msg="Killing container" ID=%s Name=app1 Signal=SIGTERM' % before["app1"]["Id"],
                     'msg="Removing container" ID=%s' % before["app2"]["Id"],
                     'msg="New container created" ID='):
            self.assertIn(line, log)

    def test_container_already_on_the_pushed_image_is_not_restarted(self):
        before = self.run_apps()
        report = self.deploy()  # nothing new was pushed
        self.assertEqual("up_to_date", report["result"], report)
        for name in ("app1", "app2"):
            after = inspect(name)
            self.assertEqual(before[name]["Id"], after["Id"])
            self.assertEqual(before[name]["State"]["StartedAt"], after["State"]["StartedAt"])
        self.assertIn('msg="Image is up to date"', self.wiretap.log())

    def test_image_whose_process_exits_at_once_is_rolled_back(self):
        before = self.run_apps()
        build_image(PUSH_TAG, "broken", 'CMD ["/bin/busybox", "false"]')
        report = self.deploy()
        self.assertEqual("rolled_back", report["result"], report)
        self.assertIn("exit code 1", report["containers"][0]["reason"])
        self.assertEqual("skipped", report["containers"][1]["result"])  # deploy.onFailure=stop
        for name, port in (("app1", 8001), ("app2", 8002)):
            after = inspect(name)
            self.assertEqual(before[name]["Id"], after["Id"])
            self.assertTrue(after["State"]["Running"])
            self.assertEqual(404, http_in_ns("http://127.0.0.1:%d/version" % port)[0])
        self.assertEqual("", docker("ps", "-aq", "--filter", "name=wiretap-old"))

    def test_image_that_never_becomes_healthy_is_rolled_back(self):
        before = self.run_apps()
        build_image(PUSH_TAG, "unhealthy",
                    'HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["/bin/busybox", "false"]')
        report = self.deploy()
        self.assertEqual("rolled_back", report["result"], report)
        self.assertIn("unhealthy", report["containers"][0]["reason"])
        self.assertEqual(before["app1"]["Id"], inspect("app1")["Id"])
        self.assertTrue(inspect("app1")["State"]["Running"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
