"""config.json: defaults, relative paths, and clear refusals."""

import json
import os
import tempfile
import unittest

from fleetprune_agent.config import load_config
from fleetprune_agent.errors import AgentError


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        with open(os.path.join(self.tmp.name, "key.pem"), "w") as f:
            f.write("PEM")

    def tearDown(self):
        self.tmp.cleanup()

    def load(self, **values):
        base = {"mqtt_url": "mqtt://127.0.0.1:1883", "device_id": "pi-1", "password": "x",
                "public_key_file": "key.pem"}
        base.update(values)
        path = os.path.join(self.tmp.name, "config.json")
        with open(path, "w") as f:
            json.dump({k: v for k, v in base.items() if v is not None}, f)
        return load_config(path)

    def test_merges_defaults_and_resolves_paths(self):
        c = self.load(intervals={"telemetry_s": 5})
        self.assertEqual(c["intervals"]["telemetry_s"], 5)
        self.assertEqual(c["intervals"]["inference_ms"], 1000)
        self.assertEqual(c["state_dir"], os.path.join(self.tmp.name, "state"))
        self.assertEqual(c["public_key_pem"], "PEM")

    def test_refuses_placeholders_and_bad_values_saying_what_to_fix(self):
        cases = [({"device_id": "CHANGE-ME"}, "device_id"), ({"password": None}, "password"),
                 ({"mqtt_url": "http://x"}, "mqtt_url"), ({"device_id": "a/b"}, "device_id"),
                 ({"intervals": {"telemetry_s": 0}}, "telemetry_s"), ({"typo": 1}, "typo"),
                 ({"public_key_file": "missing.pem"}, "public_key_file"),
                 ({"profile": {"name": "tab\there"}}, "profile.name")]
        for values, words in cases:
            with self.assertRaises(AgentError) as caught:
                self.load(**values)
            self.assertIn(words, str(caught.exception))


if __name__ == "__main__":
    unittest.main()
