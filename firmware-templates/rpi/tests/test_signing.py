"""ecdsa-p256-sha256 signatures as base64 r||s: good, tampered, malformed, wrong key."""

import base64
import hashlib
import unittest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from fleetprune_agent.errors import ProtocolError
from fleetprune_agent.signing import load_public_key, verify_bytes, verify_digest

DATA = b"TFL3" + bytes(range(256)) * 8


def keypair():
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, pem


def sign_p1363(private, data):
    r, s = utils.decode_dss_signature(private.sign(data, ec.ECDSA(hashes.SHA256())))
    return base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()


class SigningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.private, cls.pem = keypair()
        cls.key = load_public_key(cls.pem)
        cls.sig = sign_p1363(cls.private, DATA)

    def test_good_signature_verifies_over_bytes_and_digest(self):
        self.assertTrue(verify_bytes(DATA, self.sig, self.key))
        self.assertTrue(verify_digest(hashlib.sha256(DATA).digest(), self.sig, self.key))

    def test_bad_signatures_fail(self):
        raw = bytearray(base64.b64decode(self.sig))
        raw[10] ^= 1
        flipped = base64.b64encode(bytes(raw)).decode()
        self.assertFalse(verify_bytes(DATA, flipped, self.key))
        self.assertFalse(verify_bytes(DATA + b"x", self.sig, self.key))
        self.assertFalse(verify_bytes(DATA, self.sig[:-4], self.key))  # 61 bytes
        self.assertFalse(verify_bytes(DATA, "!" + self.sig[1:], self.key))
        self.assertFalse(verify_bytes(DATA, base64.b64encode(b"\0" * 64).decode(), self.key))
        _, other_pem = keypair()
        self.assertFalse(verify_bytes(DATA, self.sig, load_public_key(other_pem)))

    def test_only_p256_keys_load(self):
        other = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        for pem in (other, b"not a key"):
            with self.assertRaises(ProtocolError) as caught:
                load_public_key(pem)
            self.assertEqual(caught.exception.code, "INVALID_KEY")


if __name__ == "__main__":
    unittest.main()
