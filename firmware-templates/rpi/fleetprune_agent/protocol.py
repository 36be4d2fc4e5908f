"""Topics and JSON message codecs of protocol v1, with the checks and error codes of libs/protocol.

Every parse checks size first (before decoding), then UTF-8, JSON, object, "v", then fields
in the order libs/protocol reads them, so both sides give the same verdict on the same bytes.
Unknown fields are dropped; writers validate what they send with the same readers.
"""

import json
import re

from . import limits as L
from .errors import ProtocolError
from .fields import FieldReader, StringRule, is_integer

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
ID_RULE = StringRule(64, r"[A-Za-z0-9][A-Za-z0-9._:-]*",
                     hint="an id of A-Z a-z 0-9 . _ : - starting with a letter or digit")
VERSION_RULE = StringRule(64, r"[\x21-\x7e]+", hint="printable ASCII without spaces")
NAME_RULE = StringRule(64, r"[\x20-\x7e]+", hint="printable ASCII")
SHA256_RULE = StringRule(64, r"[0-9a-f]{64}", min_bytes=64, hint="64 lowercase hex characters")
BASE64 = r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
SIGNATURE_RULE = StringRule(256, BASE64, hint="padded base64")
OP_RULE = StringRule(40, r"[A-Z][A-Z0-9_]*", hint="an upper-case operator name")
TEXT_RULE = StringRule(256, r"[^\x00-\x1f]*", min_bytes=0, hint="text without control characters")
SIGNATURE_ALGORITHMS = ("ecdsa-p256-sha256",)
OTA_PHASES = ("downloading", "verifying", "writing", "activating")
OTA_OUTCOMES = ("activated", "refused", "failed", "rolled_back")
OTA_REASONS = ("TOO_LARGE", "ARENA_TOO_SMALL", "UNSUPPORTED_OPS", "UNSUPPORTED_ALGORITHM",
               "SIZE_MISMATCH", "HASH_MISMATCH", "SIGNATURE_INVALID", "MODEL_INVALID",
               "WRITE_FAILED", "ACTIVATION_FAILED", "TIMEOUT", "CANCELLED", "BUSY")
COMMAND_TYPES = ("report-status", "cancel-ota", "rollback", "set-telemetry", "upload-samples")
SAMPLE_DTYPES = {"uint8": 1, "int8": 1, "float32": 4}


def topic(device_id, channel):
    """Full topic of a device channel, e.g. fleetprune/v1/devices/pi-1/ota/chunk."""
    if not isinstance(device_id, str) or DEVICE_ID.fullmatch(device_id) is None:
        raise ProtocolError("INVALID_TOPIC", "invalid device id %r (1-64 of A-Z a-z 0-9 _ -)" % (device_id,))
    return "%s/%s/%s" % (L.TOPIC_ROOT, device_id, channel)


def _read_offer(f):
    size = f.integer("size", 1, L.U32_MAX)
    if size > L.MAX_MODEL_SIZE:
        raise ProtocolError("TOO_LARGE", 'ota/offer field "size" is %d bytes; protocol v1 allows at most %d'
                            % (size, L.MAX_MODEL_SIZE))
    return {"v": 1, "deploymentId": f.string("deploymentId", ID_RULE),
            "session": f.integer("session", 1, L.U32_MAX), "artifactId": f.string("artifactId", ID_RULE),
            "modelVersion": f.string("modelVersion", VERSION_RULE), "size": size,
            "sha256": f.string("sha256", SHA256_RULE), "signature": f.string("signature", SIGNATURE_RULE),
            "signatureAlg": f.one_of("signatureAlg", SIGNATURE_ALGORITHMS),
            "chunkSize": f.integer("chunkSize", L.MIN_CHUNK_SIZE, L.MAX_CHUNK_SIZE),
            "arenaBytes": f.integer("arenaBytes", 0, L.U32_MAX),
            "ops": f.string_array("ops", 0, L.MAX_OPS, OP_RULE)}


def _read_command(f):
    m = {"v": 1, "id": f.string("id", ID_RULE)}
    kind = m["type"] = f.one_of("type", COMMAND_TYPES)
    if kind == "cancel-ota":
        m["session"] = f.integer("session", 1, L.U32_MAX)
    elif kind == "set-telemetry":
        m["intervalS"] = f.integer("intervalS", 1, 86400)
    elif kind == "upload-samples":
        m["max"] = f.integer("max", 1, L.MAX_SAMPLE_ITEMS)
        m["misclassifiedOnly"] = f.boolean("misclassifiedOnly")
    return m


def _read_status(f):
    return {"v": 1, "state": f.one_of("state", ("online", "offline")),
            "ts": f.optional_integer("ts", 0, L.EPOCH_MS_MAX), "profile": f.optional_string("profile", NAME_RULE),
            "firmware": f.optional_string("firmware", NAME_RULE),
            "activeArtifactId": f.optional_string("activeArtifactId", ID_RULE),
            "activeModelVersion": f.optional_string("activeModelVersion", VERSION_RULE),
            "otaSession": f.optional_integer("otaSession", 1, L.U32_MAX),
            "freeHeapBytes": f.optional_integer("freeHeapBytes", 0, L.U32_MAX),
            "uptimeS": f.optional_integer("uptimeS", 0, L.U32_MAX)}


def _read_request(f):
    return {"v": 1, "session": f.integer("session", 1, L.U32_MAX), "offset": f.integer("offset", 0, L.U32_MAX),
            "length": f.integer("length", 1, L.MAX_CHUNK_SIZE)}


def _read_progress(f):
    m = {"v": 1, "session": f.integer("session", 1, L.U32_MAX), "phase": f.one_of("phase", OTA_PHASES),
         "received": f.integer("received", 0, L.MAX_MODEL_SIZE), "total": f.integer("total", 1, L.MAX_MODEL_SIZE)}
    f.check(m["received"] <= m["total"], "received", 'not exceed "total"')
    return m


def _read_result(f):
    m = {"v": 1, "session": f.integer("session", 1, L.U32_MAX), "deploymentId": f.string("deploymentId", ID_RULE),
         "artifactId": f.string("artifactId", ID_RULE), "outcome": f.one_of("outcome", OTA_OUTCOMES),
         "reason": f.one_of("reason", OTA_REASONS) if f.has("reason") else None,
         "detail": f.optional_string("detail", TEXT_RULE),
         "activeArtifactId": f.optional_string("activeArtifactId", ID_RULE),
         "activeModelVersion": f.optional_string("activeModelVersion", VERSION_RULE)}
    f.check((m["outcome"] == "activated") == (m["reason"] is None), "reason",
            'be present exactly when outcome is not "activated"')
    return m


def _read_telemetry(f):
    m = {"v": 1, "seq": f.integer("seq", 0, L.U32_MAX), "artifactId": f.string("artifactId", ID_RULE),
         "modelVersion": f.string("modelVersion", VERSION_RULE),
         "windowStart": f.integer("windowStart", 0, L.EPOCH_MS_MAX),
         "windowEnd": f.integer("windowEnd", 0, L.EPOCH_MS_MAX),
         "samples": f.integer("samples", 0, L.MAX_WINDOW_SAMPLES),
         "labelled": f.integer("labelled", 0, L.MAX_WINDOW_SAMPLES),
         "correct": f.integer("correct", 0, L.MAX_WINDOW_SAMPLES),
         "confidenceHistogram": f.integer_array("confidenceHistogram", L.CONFIDENCE_BINS, L.CONFIDENCE_BINS,
                                                0, L.MAX_WINDOW_SAMPLES),
         "latencyMeanMs": f.number("latencyMeanMs", 0, L.MAX_LATENCY_MS),
         "latencyP95Ms": f.number("latencyP95Ms", 0, L.MAX_LATENCY_MS),
         "arenaUsedBytes": f.integer("arenaUsedBytes", 0, L.U32_MAX)}
    span = m["windowEnd"] - m["windowStart"]
    f.check(0 <= span <= L.MAX_WINDOW_MS, "windowEnd", 'be 0-%d ms after "windowStart"' % L.MAX_WINDOW_MS)
    f.check(m["labelled"] <= m["samples"], "labelled", 'not exceed "samples"')
    f.check(m["correct"] <= m["labelled"], "correct", 'not exceed "labelled"')
    binned = sum(m["confidenceHistogram"])
    f.check(binned == m["samples"], "confidenceHistogram", 'sum to "samples" (%d), not %d' % (m["samples"], binned))
    return m


def _read_sample_item(value, where):
    if not isinstance(value, dict):
        FieldReader({"item": value}, where).fail("item", "be an object")
    f = FieldReader(value, where)
    item = {"label": f.optional_integer("label", 0, 65535), "predicted": f.integer("predicted", 0, 65535),
            "confidence": f.number("confidence", 0, 1),
            "shape": f.integer_array("shape", 1, 4, 1, L.MAX_SAMPLE_BYTES),
            "dtype": f.one_of("dtype", tuple(SAMPLE_DTYPES)),
            "data": f.string("data", StringRule(-(-L.MAX_SAMPLE_BYTES // 3) * 4, BASE64, min_bytes=0,
                                                hint="padded base64")),
            "capturedAt": f.integer("capturedAt", 0, L.EPOCH_MS_MAX)}
    expected = SAMPLE_DTYPES[item["dtype"]]
    for n in item["shape"]:
        expected *= n
    f.check(expected <= L.MAX_SAMPLE_BYTES, "shape", "describe at most %d bytes" % L.MAX_SAMPLE_BYTES)
    data = item["data"]
    decoded = len(data) // 4 * 3 - (2 if data.endswith("==") else 1 if data.endswith("=") else 0)
    f.check(decoded == expected, "data", "decode to %d bytes (shape x dtype)" % expected)
    return item


def _read_samples(f):
    return {"v": 1, "seq": f.integer("seq", 0, L.U32_MAX), "artifactId": f.string("artifactId", ID_RULE),
            "modelVersion": f.string("modelVersion", VERSION_RULE),
            "items": f.array("items", 1, L.MAX_SAMPLE_ITEMS, _read_sample_item)}


READERS = {"ota/offer": _read_offer, "cmd": _read_command, "status": _read_status, "ota/request": _read_request,
           "ota/progress": _read_progress, "ota/result": _read_result, "telemetry": _read_telemetry,
           "samples": _read_samples}


def _reject_constant(name):
    raise ValueError("JSON has no " + name)


def _compact(value):
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def validate(channel, value):
    """Checks a decoded message of `channel`; returns a clean copy holding only known fields."""
    if not isinstance(value, dict):
        raise ProtocolError("INVALID_MESSAGE", "%s must be a JSON object" % channel)
    v = value.get("v")
    if not is_integer(v):
        raise ProtocolError("INVALID_MESSAGE", '%s field "v" must be the protocol version 1' % channel)
    if v != L.PROTOCOL_VERSION:
        raise ProtocolError("UNSUPPORTED_VERSION", "%s has protocol version %d; this side speaks 1 "
                            "(update the agent or the server)" % (channel, v))
    return _compact(READERS[channel](FieldReader(value, channel)))


def parse(channel, payload):
    """Decodes and validates one received payload; raises ProtocolError naming the field."""
    limit = L.CHANNELS[channel][2]
    if len(payload) > limit:
        raise ProtocolError("TOO_LARGE", "%s payload is %d bytes; the limit is %d" % (channel, len(payload), limit))
    try:
        text = bytes(payload).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("INVALID_MESSAGE", "%s payload is not valid UTF-8" % channel) from None
    if text.startswith("\ufeff"):
        text = text[1:]  # TextDecoder drops a BOM before JSON.parse sees it; do the same
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise ProtocolError("INVALID_MESSAGE", "%s payload is not JSON" % channel) from None
    return validate(channel, value)


def encode(channel, message):
    """Validates and serialises a message; never yields a payload its own parse would refuse."""
    clean = validate(channel, _compact(message))  # None means "absent", as undefined does in TS
    data = json.dumps(clean, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    if len(data) > L.CHANNELS[channel][2]:
        raise ProtocolError("TOO_LARGE", "%s would be %d bytes; the limit is %d"
                            % (channel, len(data), L.CHANNELS[channel][2]))
    return data


def status_will(device_id):
    """Last will: {"v":1,"state":"offline"} on the status topic, QoS 1, retained."""
    return topic(device_id, "status"), b'{"v":1,"state":"offline"}', 1, True


def confidence_bin(p):
    """Histogram bin of a top-1 confidence; 1.0 falls in the last bin, NaN and negatives in the first."""
    if not p > 0:
        return 0
    return min(L.CONFIDENCE_BINS - 1, max(0, int(p * L.CONFIDENCE_BINS)))
