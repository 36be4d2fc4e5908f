"""ecdsa-p256-sha256 artifact signatures: base64 of the 64-byte r||s (IEEE P1363) form.

The agent hashes the slot once (for the offer's sha256) and verifies the signature over that
same digest (Prehashed), so the artifact is read a single time.
"""

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from .errors import ProtocolError

SIGNATURE_BYTES = 64


def load_public_key(pem):
    """The SPKI PEM public key, which must be ECDSA P-256; raises ProtocolError INVALID_KEY."""
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    except (ValueError, TypeError, UnicodeError):
        raise ProtocolError("INVALID_KEY", "signing public key is not a readable PEM key") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ProtocolError("INVALID_KEY", "signing public key must be an ECDSA P-256 (prime256v1) key")
    return key


def decode_signature(signature_b64):
    """The DER form of a canonical base64 r||s signature, or None when it is not one."""
    try:
        raw = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != SIGNATURE_BYTES or base64.b64encode(raw).decode("ascii") != signature_b64:
        return None
    r = int.from_bytes(raw[:32], "big")
    s = int.from_bytes(raw[32:], "big")
    return utils.encode_dss_signature(r, s)


def verify_digest(digest, signature_b64, key):
    """Whether `signature_b64` signs the SHA-256 `digest` (32 bytes) under `key`."""
    der = decode_signature(signature_b64)
    if der is None:
        return False
    try:
        key.verify(der, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        return True
    except InvalidSignature:
        return False


def verify_bytes(data, signature_b64, key):
    """Whether `signature_b64` signs `data` (hashes it here; for tests and small inputs)."""
    der = decode_signature(signature_b64)
    if der is None:
        return False
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False
