"""A/B slots: atomic marker replacement, crash leftovers, switch back, erase."""

import json
import os
import tempfile
import unittest

from fleetprune_agent.errors import AgentError
from fleetprune_agent.slots import SlotStore, write_json_atomic, read_json

META_A = {"artifactId": "art-a", "modelVersion": "1", "sha256": "0" * 64, "size": 3, "arenaBytes": 10}
META_B = dict(META_A, artifactId="art-b", modelVersion="2")


class SlotStoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = SlotStore(os.path.join(self.tmp.name, "state"))

    def tearDown(self):
        self.tmp.cleanup()

    def test_factory_then_download_into_the_other_slot(self):
        self.assertEqual(self.store.active(), (None, None))
        self.store.install_factory(META_A, b"AAA")
        self.assertEqual(self.store.active(), ("a", META_A))
        slot, writer = self.store.open_inactive(4)
        self.assertEqual(slot, "b")
        writer.write(2, b"YZ")
        writer.write(0, b"WX")
        writer.sync()
        writer.close()
        with open(self.store.path("b"), "rb") as f:
            self.assertEqual(f.read(), b"WXYZ")
        with open(self.store.path("a"), "rb") as f:
            self.assertEqual(f.read(), b"AAA")  # the active slot is never touched
        self.store.activate("b", META_B)
        self.assertEqual(self.store.active(), ("b", META_B))
        self.assertFalse(self.store.marker()["confirmed"])
        self.assertEqual(self.store.previous(), ("a", META_A))

    def test_switch_back_forgets_the_failed_slot(self):
        self.store.install_factory(META_A, b"AAA")
        self.store.activate("b", META_B)
        self.assertEqual(self.store.switch_back("b"), ("a", META_A))
        self.assertEqual(self.store.previous(), (None, None))
        self.assertTrue(self.store.marker()["confirmed"])

    def test_opening_a_slot_forgets_its_old_model_first(self):
        self.store.install_factory(META_A, b"AAA")
        self.store.activate("b", META_B)
        self.store.confirm()
        slot, writer = self.store.open_inactive(8)
        writer.close()
        self.assertEqual(slot, "a")
        self.assertNotIn("a", self.store.marker()["slots"])  # a half-written slot is never "verified"

    def test_erase_refuses_the_active_slot(self):
        self.store.install_factory(META_A, b"AAA")
        with self.assertRaises(AgentError):
            self.store.erase("a")
        slot, writer = self.store.open_inactive(3)
        writer.close()
        self.store.erase(slot)
        self.assertFalse(os.path.exists(self.store.path(slot)))

    def test_a_torn_tmp_file_leaves_the_marker_intact(self):
        self.store.install_factory(META_A, b"AAA")
        # A power cut during the write of the next marker leaves only a partial tmp file.
        with open(self.store.marker_path + ".tmp", "w") as f:
            f.write('{"v":1,"active":"b","slo')
        self.assertEqual(self.store.active(), ("a", META_A))
        write_json_atomic(self.store.marker_path, {"v": 1, "active": "a", "confirmed": True, "slots": {"a": META_A}})
        self.assertFalse(os.path.exists(self.store.marker_path + ".tmp"))

    def test_write_json_atomic_replaces_whole_files(self):
        path = os.path.join(self.tmp.name, "x.json")
        write_json_atomic(path, {"n": 1})
        write_json_atomic(path, {"n": 2})
        self.assertEqual(read_json(path), {"n": 2})
        with open(path, "w") as f:
            f.write("{broken")
        self.assertEqual(read_json(path, "default"), "default")

    def test_a_broken_marker_means_no_model(self):
        os.makedirs(self.store.dir, exist_ok=True)
        with open(self.store.marker_path, "w") as f:
            json.dump([1, 2], f)
        self.assertEqual(self.store.active(), (None, None))


if __name__ == "__main__":
    unittest.main()
