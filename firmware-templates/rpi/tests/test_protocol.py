"""Codecs against the vectors of docs/protocol.md and the limits of every field."""

import json
import unittest
import zlib

from fleetprune_agent import protocol
from fleetprune_agent.chunks import encode_frame, parse_frame
from fleetprune_agent.errors import ProtocolError

OFFER = {"v": 1, "deploymentId": "dep-7f3a", "session": 42, "artifactId": "art-1c9e", "modelVersion": "fmnist-2.1",
         "size": 102400, "sha256": "9f" * 32, "signature": "AQEB" * 21 + "AQ==", "signatureAlg": "ecdsa-p256-sha256",
         "chunkSize": 8192, "arenaBytes": 31200, "ops": ["CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED"]}


def code_of(fn):
    try:
        fn()
    except ProtocolError as error:
        return error.code
    return None


def offer_with(**changes):
    m = dict(OFFER, **changes)
    return json.dumps({k: v for k, v in m.items() if v is not None}).encode()


class ChunkFrameVectors(unittest.TestCase):
    # docs/protocol.md: session 42, offset 8192, payload "TFL3"
    DOC_FRAME = bytes.fromhex("465001000000002a000020000000000 4ef8e47d6 54464c33".replace(" ", ""))

    def test_crc_check_value(self):
        self.assertEqual(zlib.crc32(b"123456789"), 0xCBF43926)

    def test_encodes_the_documented_frame(self):
        self.assertEqual(encode_frame(42, 8192, b"TFL3", False), self.DOC_FRAME)

    def test_parses_the_documented_frame(self):
        session, offset, last, payload = parse_frame(self.DOC_FRAME)
        self.assertEqual((session, offset, last, bytes(payload)), (42, 8192, False, b"TFL3"))

    def test_refuses_damage_with_the_reference_codes(self):
        f = bytearray(self.DOC_FRAME)
        cases = [
            (bytes(f[:19]), "INVALID_MESSAGE"),
            (b"XP" + bytes(f[2:]), "INVALID_MESSAGE"),
            (bytes(f[:2]) + b"\x02" + bytes(f[3:]), "UNSUPPORTED_VERSION"),
            (bytes(f[:3]) + b"\x02" + bytes(f[4:]), "INVALID_MESSAGE"),
            (bytes(f[:-1]) + b"\x00", "CORRUPT_CHUNK"),
            (bytes(f) + b"\x00", "INVALID_MESSAGE"),
            (bytes(f[:4]) + b"\x00" * 4 + bytes(f[8:]), "INVALID_MESSAGE"),
            (bytes(f[:12]) + (70000).to_bytes(4, "big") + bytes(f[16:]), "TOO_LARGE"),
        ]
        for frame, code in cases:
            self.assertEqual(code_of(lambda: parse_frame(frame)), code, frame.hex())


class JsonCodecs(unittest.TestCase):
    def test_reads_the_documented_offer(self):
        self.assertEqual(protocol.parse("ota/offer", offer_with()), OFFER)

    def test_drops_unknown_fields_and_refuses_bad_ones(self):
        self.assertNotIn("extra", protocol.parse("ota/offer", offer_with(extra=[1])))
        cases = [
            (offer_with(v=2), "UNSUPPORTED_VERSION"),
            (offer_with(v="1"), "INVALID_MESSAGE"),
            (offer_with(size=64 * 1024 * 1024 + 1), "TOO_LARGE"),
            (offer_with(session=0), "INVALID_MESSAGE"),
            (offer_with(session=2 ** 32), "INVALID_MESSAGE"),
            (offer_with(sha256="A" * 64), "INVALID_MESSAGE"),
            (offer_with(signature="abc"), "INVALID_MESSAGE"),
            (offer_with(signatureAlg="rsa"), "INVALID_MESSAGE"),
            (offer_with(chunkSize=255), "INVALID_MESSAGE"),
            (offer_with(ops=["conv"]), "INVALID_MESSAGE"),
            (offer_with(artifactId="a\n"), "INVALID_MESSAGE"),
            (offer_with(arenaBytes=True), "INVALID_MESSAGE"),
            (b"[1]", "INVALID_MESSAGE"),
            (b"\xff{}", "INVALID_MESSAGE"),
            (b'{"v":NaN}', "INVALID_MESSAGE"),
            (b" " * 4097, "TOO_LARGE"),
        ]
        for payload, code in cases:
            self.assertEqual(code_of(lambda: protocol.parse("ota/offer", payload)), code, payload[:80])

    def test_integral_floats_are_integers_as_in_javascript(self):
        self.assertEqual(protocol.parse("ota/offer", offer_with(size=1e2))["size"], 100)
        self.assertEqual(code_of(lambda: protocol.parse("ota/offer", offer_with(size=1.5))), "INVALID_MESSAGE")

    def test_commands(self):
        ok = protocol.parse("cmd", b'{"v":1,"id":"c","type":"rollback","session":5}')
        self.assertEqual(ok, {"v": 1, "id": "c", "type": "rollback"})
        self.assertEqual(code_of(lambda: protocol.parse("cmd", b'{"v":1,"id":"c","type":"upload-samples","max":17,'
                                                               b'"misclassifiedOnly":false}')), "INVALID_MESSAGE")
        self.assertEqual(code_of(lambda: protocol.parse("cmd", b'{"v":1,"id":"c","type":"set-telemetry"}')),
                         "INVALID_MESSAGE")

    def test_writers_refuse_what_readers_refuse(self):
        result = {"v": 1, "session": 1, "deploymentId": "d", "artifactId": "a", "outcome": "failed"}
        self.assertEqual(code_of(lambda: protocol.encode("ota/result", result)), "INVALID_MESSAGE")
        result["reason"] = "TIMEOUT"
        self.assertEqual(json.loads(protocol.encode("ota/result", result)), result)
        self.assertEqual(protocol.status_will("pi-1")[1], b'{"v":1,"state":"offline"}')

    def test_confidence_bins(self):
        for p, b in [(0, 0), (0.0999, 0), (0.1, 1), (0.95, 9), (1, 9), (-0.2, 0), (float("nan"), 0)]:
            self.assertEqual(protocol.confidence_bin(p), b)

    def test_topics_refuse_wildcards(self):
        self.assertEqual(protocol.topic("pi-1", "ota/chunk"), "fleetprune/v1/devices/pi-1/ota/chunk")
        self.assertEqual(code_of(lambda: protocol.topic("pi/#", "status")), "INVALID_TOPIC")


if __name__ == "__main__":
    unittest.main()
