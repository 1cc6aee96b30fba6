"""Twenty containers on one image, updated by one webhook: one pull, every container recreated
under its name with its own configuration, every one serving the new version, and the deploy's
docker calls within 6 per container (deploy.strategy=parallel) plus a constant for planning and the pull."""
import json
import unittest

from e2e import SandboxTestCase, build_image, docker, http_in_ns, inspect

FLEET = 20
TAG = "wiretap-e2e/fleet:latest"


class ManyContainersTest(SandboxTestCase):

    def test_twenty_containers_on_one_image_are_updated_by_one_webhook(self):
        build_image(TAG, "1.0")
        image = "127.0.0.1:5000/" + TAG
        names = ["fleet-%02d" % i for i in range(FLEET)]
        before = {}
        for i, name in enumerate(names):
            self.run_container(name, "--env", "FLEET_INDEX=%d" % i, "--label", "fleet.index=%d" % i, image)
            before[name] = inspect(name)
        build_image(TAG, "2.0")

        # Four at a time: the parallel strategy on a real engine, and a shorter CI run.
        wiretap = self.start_wiretap("--set=deploy.minUptime=0", "--set=deploy.strategy=parallel",
                                     "--set=deploy.parallelism=4")
        status, answer = wiretap.post("/hooks/generic?token=" + wiretap.token, json.dumps({"image": image}))
        self.assertEqual(202, status, answer)
        report = wiretap.deployment(answer["accepted"][0]["deploy"], timeout=600)

        self.assertEqual("updated", report["result"], report)
        self.assertEqual(FLEET, len(report["containers"]))
        self.assertEqual(set(names), {c["name"] for c in report["containers"]})
        self.assertTrue(all(c["result"] == "updated" for c in report["containers"]), report)
        for i, name in enumerate(names):
            after = inspect(name)
            self.assertNotEqual(before[name]["Id"], after["Id"])
            self.assertTrue(after["State"]["Running"])
            self.assertIn("FLEET_INDEX=%d" % i, after["Config"]["Env"])
            self.assertEqual(str(i), after["Config"]["Labels"]["fleet.index"])
            address = after["NetworkSettings"]["Networks"]["bridge"]["IPAddress"]
            self.assertEqual((200, "2.0"), http_in_ns("http://%s:5000/version" % address))
        self.assertEqual("", docker("ps", "-aq", "--filter", "name=wiretap-old"))
        log = wiretap.log()
        self.assertEqual(1, log.count('msg="Pulling newer image"'), log)
        # One ls and one inspect to plan, an image inspect, the pull and its inspect; then per
        # container (on one network) stop, rename, run (create and start), inspect, rm. And
        # `info` (a Swarm manager?): wiretap asks once a minute, and this is the first deploy of
        # its process.
        self.assertLessEqual(report["dockerCalls"], 5 * FLEET + 6, report["dockerCalls"])
        self.assertIn("DockerCalls=%d" % report["dockerCalls"], log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
