"""Cross-implementation check driven by test/firmware-rpi.e2e-spec.ts (reads JSON on stdin).

Input: {"json": [{"channel", "payload" (base64)}], "frames": [base64], "signatures": [{"data" (base64),
"signature", "publicKeyPem"}]}. Output on stdout: the verdicts this package gives, plus messages
its writers produce, for libs/protocol to parse.
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.setrecursionlimit(5000)

from fleetprune_agent import protocol  # noqa: E402
from fleetprune_agent.chunks import parse_frame  # noqa: E402
from fleetprune_agent.errors import ProtocolError  # noqa: E402
from fleetprune_agent.signing import load_public_key, verify_bytes  # noqa: E402
from fleetprune_agent.telemetry import RecentInputs, TelemetryWindow  # noqa: E402


def verdict(fn):
    try:
        return {"ok": True, "value": fn()}
    except ProtocolError as error:
        return {"ok": False, "code": error.code}


def frame_verdict(raw):
    def run():
        session, offset, last, payload = parse_frame(raw)
        return {"session": session, "offset": offset, "last": last,
                "payload": base64.b64encode(bytes(payload)).decode()}
    return verdict(run)


def written():
    """Messages built by the agent's own writers, encoded as the agent sends them."""
    window = TelemetryWindow(1764000000000)
    recent = RecentInputs()
    for i in range(23):
        confidence = (i % 11) / 10.0
        window.add(i % 10, confidence, 0.5 + i * 0.37, label=(i % 10) if i % 3 else None)
        recent.add(bytes([i]) * 784, [28, 28, 1], i % 10 if i % 2 else None, (i * 3) % 10, confidence, 1764 + i)
    out = {
        "status": {"v": 1, "state": "online", "ts": 1764000000000, "profile": "rpi4",
                   "firmware": "fleetprune-rpi 0.1.0", "activeArtifactId": "art-1", "activeModelVersion": "1.0", "otaSession": 7,
                   "freeHeapBytes": 123456, "uptimeS": 5},
        "ota/request": {"v": 1, "session": 7, "offset": 8192, "length": 8192},
        "ota/progress": {"v": 1, "session": 7, "phase": "verifying", "received": 10, "total": 10},
        "ota/result": {"v": 1, "session": 7, "deploymentId": "dep-1", "artifactId": "art-2", "outcome": "failed",
                       "reason": "SIGNATURE_INVALID", "detail": "signature does not verify",
                       "activeArtifactId": "art-1", "activeModelVersion": "1.0"},
        "telemetry": window.message(41, "art-1", "1.0", 1764000060000, 31200),
        "samples": {"v": 1, "seq": 3, "artifactId": "art-1", "modelVersion": "1.0",
                    "items": recent.items(16, False)},
    }
    result = {channel: protocol.encode(channel, m).decode() for channel, m in out.items()}
    result["will"] = protocol.status_will("pi-1")[1].decode()
    return result


def main():
    vectors = json.load(sys.stdin)
    report = {
        "json": [verdict(lambda v=v: protocol.parse(v["channel"], base64.b64decode(v["payload"])))
                 for v in vectors["json"]],
        "frames": [frame_verdict(base64.b64decode(f)) for f in vectors["frames"]],
        "signatures": [verify_bytes(base64.b64decode(s["data"]), s["signature"], load_public_key(s["publicKeyPem"]))
                       for s in vectors["signatures"]],
        "written": written(),
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
