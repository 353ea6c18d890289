"""GetActivityTask's long poll when no task comes: it holds the request for
about 60 seconds (AWS's maximum), then answers without a task token, and the
server keeps serving other requests meanwhile. (The one test that waits the
full minute; run.py starts it first so it overlaps the other modules.)"""
import time
import unittest

from common import ServerTestCase, start_module_server, stop_module_server, uid
from test_activities import Worker


def setUpModule():
    start_module_server()


def tearDownModule():
    stop_module_server()


class LongPoll(ServerTestCase):
    def test_empty_poll_returns_after_about_60_seconds(self):
        activity = self.sfn.create_activity(name=uid("idle"))["activityArn"]
        w = Worker(self.server, activity, "idle-worker")
        w.start()
        # Other requests are served while the poll is held.
        for _ in range(3):
            time.sleep(1)
            t0 = time.time()
            self.sfn.list_activities()
            self.assertLess(time.time() - t0, 2)
            self.assertTrue(w.is_alive(), "the poll returned at once instead of waiting for a task")
        w.join(70)  # bounded: AWS holds the poll at most 60 s
        self.assertFalse(w.is_alive(), "GetActivityTask held the request for more than 70 s")
        self.assertIsNone(w.error)
        self.assertGreaterEqual(w.elapsed, 50)
        self.assertLessEqual(w.elapsed, 66)
        self.assertFalse(w.task.get("taskToken"), w.task)  # no task: a null token
        self.assertNotIn("input", w.task)


if __name__ == "__main__":
    unittest.main()
