"""One telemetry window of inferences, and a ring of recent inputs for upload-samples."""

import base64
import collections

from . import limits as L
from .protocol import confidence_bin


class TelemetryWindow:
    """Counts inferences between start_ms and the moment it is closed."""

    def __init__(self, start_ms):
        self.start_ms = start_ms
        self.samples = self.labelled = self.correct = 0
        self.histogram = [0] * L.CONFIDENCE_BINS
        self.latencies = []

    def add(self, predicted, confidence, latency_ms, label=None):
        if self.samples >= L.MAX_WINDOW_SAMPLES:
            return  # the protocol caps a window; the rest of it goes uncounted
        self.samples += 1
        self.histogram[confidence_bin(confidence)] += 1
        if label is not None:
            self.labelled += 1
            self.correct += int(label == predicted)
        self.latencies.append(min(float(latency_ms), float(L.MAX_LATENCY_MS)))

    def message(self, seq, artifact_id, model_version, end_ms, arena_bytes):
        """The `telemetry` message of this window (p95 by nearest rank)."""
        lat = sorted(self.latencies)
        mean = sum(lat) / len(lat) if lat else 0.0
        p95 = lat[max(0, -(-95 * len(lat) // 100) - 1)] if lat else 0.0
        end = min(max(end_ms, self.start_ms), self.start_ms + L.MAX_WINDOW_MS)
        return {"v": 1, "seq": seq, "artifactId": artifact_id, "modelVersion": model_version,
                "windowStart": self.start_ms, "windowEnd": end, "samples": self.samples,
                "labelled": self.labelled, "correct": self.correct, "confidenceHistogram": list(self.histogram),
                "latencyMeanMs": round(mean, 4), "latencyP95Ms": round(p95, 4),
                "arenaUsedBytes": min(max(0, int(arena_bytes)), L.U32_MAX)}


class RecentInputs:
    """The last `capacity` inputs with their predictions, for `samples` uploads."""

    def __init__(self, capacity=64):
        self._items = collections.deque(maxlen=capacity)

    def add(self, data, shape, label, predicted, confidence, captured_ms):
        self._items.append((bytes(data), list(shape), label, predicted, confidence, captured_ms))

    def items(self, max_items, misclassified_only):
        """Up to max_items `samples` items, newest first, within the payload's byte limits."""
        picked = []
        for data, shape, label, predicted, confidence, at in reversed(self._items):
            if len(picked) >= max_items:
                break
            if misclassified_only and (label is None or label == predicted):
                continue
            if len(data) > L.MAX_SAMPLE_BYTES:
                continue
            item = {"predicted": int(predicted), "confidence": min(1.0, max(0.0, float(confidence))),
                    "shape": shape, "dtype": "uint8", "data": base64.b64encode(data).decode("ascii"),
                    "capturedAt": at}
            if label is not None:
                item["label"] = int(label)
            picked.append(item)
        return picked
