"""OtaManager with real slots, frames and signatures; the device side is a small recorder."""

import base64
import hashlib
import json
import os
import random
import tempfile
import time
import unittest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from fleetprune_agent.chunks import encode_frame
from fleetprune_agent.ota import OtaManager
from fleetprune_agent.signing import load_public_key
from fleetprune_agent.slots import SlotStore

ARTIFACT = bytes(random.Random(1).getrandbits(8) for _ in range(3000))
FACTORY = {"artifactId": "art-0", "modelVersion": "0", "sha256": "0" * 64, "size": 2, "arenaBytes": 1}
PROFILE = {"flash_bytes": 10000, "ram_bytes": 5000}
OPTIONS = {"max_in_flight": 2, "request_timeout_ms": 5000, "max_request_timeout_ms": 60000,
           "max_silent_rounds": 10, "persist_every_ms": 0}
PRIVATE = ec.generate_private_key(ec.SECP256R1())
PUBLIC = load_public_key(PRIVATE.public_key().public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo))


def sign(data):
    r, s = utils.decode_dss_signature(PRIVATE.sign(data, ec.ECDSA(hashes.SHA256())))
    return base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()


def offer(session=5, **changes):
    m = {"v": 1, "deploymentId": "dep-1", "session": session, "artifactId": "art-1", "modelVersion": "1",
         "size": len(ARTIFACT), "sha256": hashlib.sha256(ARTIFACT).hexdigest(), "signature": sign(ARTIFACT),
         "signatureAlg": "ecdsa-p256-sha256", "chunkSize": 1024, "arenaBytes": 100, "ops": ["CONV_2D"]}
    m.update(changes)
    return json.dumps(m).encode()


class Device:
    """What the agent gives OtaManager: publishing, the active model, activation."""

    def __init__(self, slots):
        self.slots, self.sent = slots, []

    def publish(self, channel, message):
        self.sent.append((channel, message))

    def active(self):
        _, meta = self.slots.active()
        return (meta["artifactId"], meta["modelVersion"]) if meta else (None, None)

    def activate(self, slot, meta):
        self.slots.activate(slot, meta)
        self.slots.confirm()
        return "activated", None

    def supported_ops(self):
        return ["CONV_2D"]

    def runtime_name(self):
        return "armnn"

    def on_ota_finished(self):
        pass

    def of(self, channel):
        return [m for c, m in self.sent if c == channel]


class OtaManagerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.slots = SlotStore(self.tmp.name)
        self.slots.install_factory(FACTORY, b"F0")
        self.device = Device(self.slots)
        self.ota = self.manager()

    def tearDown(self):
        self.tmp.cleanup()

    def manager(self, **options):
        m = OtaManager(self.device, self.slots, PUBLIC, PROFILE, dict(OPTIONS, **options))
        m.on_connection(True)
        return m

    def serve(self, ota, session=5, limit=1000):
        """Answers every outstanding request until done (or `limit` frames)."""
        served = 0
        while served < limit:
            pending = [r for r in self.device.of("ota/request")[served:]]
            if not pending:
                return served
            for r in pending:
                chunk = ARTIFACT[r["offset"]:r["offset"] + r["length"]]
                ota.on_chunk(encode_frame(session, r["offset"], chunk, r["offset"] + len(chunk) == len(ARTIFACT)))
                served += 1
                if served >= limit:
                    break
        return served

    def test_downloads_verifies_and_activates_into_the_inactive_slot(self):
        self.ota.on_offer(offer())
        self.assertEqual(len(self.device.of("ota/request")), 2)  # the window
        self.serve(self.ota)
        result = self.device.of("ota/result")[-1]
        self.assertEqual((result["outcome"], result["activeArtifactId"]), ("activated", "art-1"))
        self.assertEqual([p["phase"] for p in self.device.of("ota/progress")], ["downloading", "verifying",
                                                                               "activating"])
        with open(self.slots.path("b"), "rb") as f:
            self.assertEqual(f.read(), ARTIFACT)
        self.assertIsNone(self.ota.pending_session())
        # A redelivered offer gets the same answer, without a download.
        requests = len(self.device.of("ota/request"))
        self.ota.on_offer(offer())
        self.assertEqual(self.device.of("ota/result")[-1], result)
        self.assertEqual(len(self.device.of("ota/request")), requests)
        # A new session for the active artifact: activated at once.
        self.ota.on_offer(offer(session=6))
        self.assertEqual(self.device.of("ota/result")[-1]["outcome"], "activated")
        self.assertEqual(len(self.device.of("ota/request")), requests)

    def test_refuses_what_the_profile_cannot_hold(self):
        cases = [(offer(size=20000), "TOO_LARGE"), (offer(session=6, arenaBytes=6000), "ARENA_TOO_SMALL"),
                 (offer(session=7, ops=["CONV_2D", "LSTM"]), "UNSUPPORTED_OPS")]
        for payload, reason in cases:
            self.ota.on_offer(payload)
            self.assertEqual(self.device.of("ota/result")[-1]["reason"], reason)
            self.assertEqual(self.device.of("ota/result")[-1]["outcome"], "refused")
        self.assertEqual(self.device.of("ota/request"), [])
        self.assertFalse(os.path.exists(self.slots.path("b")))

    def test_hash_and_signature_failures_keep_the_active_model(self):
        self.ota.on_offer(offer(sha256="ab" * 32))
        self.serve(self.ota)
        self.assertEqual(self.device.of("ota/result")[-1]["reason"], "HASH_MISMATCH")
        self.ota.on_offer(offer(session=6, signature=sign(b"other")))
        self.serve(self.ota, session=6)
        result = self.device.of("ota/result")[-1]
        self.assertEqual((result["outcome"], result["reason"], result["activeArtifactId"]),
                         ("failed", "SIGNATURE_INVALID", "art-0"))
        self.assertEqual(self.slots.active()[0], "a")
        self.assertFalse(os.path.exists(self.slots.path("b")))  # the inactive slot is erased

    def test_ignores_bad_payloads_and_stale_frames(self):
        for payload in (b"{", b"[]", b"\xff" * 5000, json.dumps({"v": 2}).encode()):
            self.ota.on_offer(payload)
        self.ota.on_chunk(b"FP" + b"\0" * 70000)
        self.ota.on_offer(offer())
        self.ota.on_chunk(encode_frame(99, 0, ARTIFACT[:1024], False))
        self.ota.on_chunk(b"\0" * 70000)
        self.assertEqual(self.device.of("ota/result"), [])
        self.assertEqual(self.ota.invalid, 5)

    def test_times_out_after_the_silent_rounds_with_backoff(self):
        ota = self.manager(request_timeout_ms=1, max_request_timeout_ms=4, max_silent_rounds=4)
        ota.on_offer(offer())
        rounds = 0
        while not self.device.of("ota/result") and rounds < 100:
            time.sleep(0.005)
            ota.tick()
            rounds += 1
        self.assertEqual(self.device.of("ota/result")[-1]["reason"], "TIMEOUT")
        self.assertEqual(len(self.device.of("ota/request")), 2 * 4)  # the window, re-requested 3 times

    def test_resumes_after_a_restart_requesting_only_missing_chunks(self):
        self.ota.on_offer(offer())
        self.serve(self.ota, limit=2)
        self.assertEqual(self.ota.pending_session(), 5)
        self.device.sent.clear()
        restarted = self.manager()  # a new process: state comes from download.json
        self.assertEqual(restarted.pending_session(), 5)
        restarted.on_offer(offer())
        self.assertEqual([r["offset"] for r in self.device.of("ota/request")], [2048])
        self.serve(restarted)
        self.assertEqual(self.device.of("ota/result")[-1]["outcome"], "activated")

    def test_a_throttled_persist_is_written_by_the_next_tick(self):
        ota = self.manager(persist_every_ms=50)
        ota.on_offer(offer())
        self.serve(ota, limit=2)  # both chunks land within the interval: not yet on disk
        time.sleep(0.06)
        ota.tick()
        self.device.sent.clear()
        restarted = self.manager()
        restarted.on_offer(offer())
        self.assertEqual([r["offset"] for r in self.device.of("ota/request")], [2048])

    def test_resumes_after_a_reconnect_when_the_retained_offer_returns(self):
        self.ota.on_offer(offer())
        self.serve(self.ota, limit=1)
        self.ota.on_connection(False)
        self.ota.tick()  # offline: silence is not counted
        self.ota.on_connection(True)
        self.device.sent.clear()
        self.ota.on_offer(offer())  # the broker redelivers the retained offer
        self.assertEqual([r["offset"] for r in self.device.of("ota/request")], [1024, 2048])
        self.serve(self.ota)
        self.assertEqual(self.device.of("ota/result")[-1]["outcome"], "activated")

    def test_cancel_and_withdrawal_end_the_download(self):
        self.ota.on_offer(offer())
        self.ota.cancel(4)
        self.assertEqual(self.device.of("ota/result"), [])
        self.ota.cancel(5)
        self.assertEqual(self.device.of("ota/result")[-1]["reason"], "CANCELLED")
        self.ota.on_offer(offer(session=6))
        self.ota.on_offer(b"")
        self.assertEqual(self.device.of("ota/result")[-1]["session"], 6)
        self.assertEqual(self.device.of("ota/result")[-1]["reason"], "CANCELLED")
        self.assertIsNone(self.ota.pending_session())


if __name__ == "__main__":
    unittest.main()
