"""The active model in this process: loading, slot switching with self-test, field inference."""

import logging
import time

from . import runtime
from .errors import AgentError
from .telemetry import RecentInputs, TelemetryWindow

log = logging.getLogger("fleetprune.model")


def now_ms():
    return int(time.time() * 1000)


class ActiveModel:
    """Owns the loaded model and the current telemetry window; switches slots through SlotStore."""

    def __init__(self, slots, runtime_name):
        self.slots = slots
        self.runtime_name = runtime_name
        self.model = None
        self.meta = None
        self.window = TelemetryWindow(now_ms())
        self.recent = RecentInputs()

    def ids(self):
        _, meta = self.slots.active()
        return (meta["artifactId"], meta["modelVersion"]) if meta else (None, None)

    def boot(self):
        """Loads the active slot; an unconfirmed switch is self-tested first and rolled back on failure."""
        slot, meta = self.slots.active()
        if slot is None:
            return
        if not self.slots.marker().get("confirmed", True):
            ok, detail = runtime.self_test(self.slots.path(slot), self.runtime_name)
            if not ok:
                log.warning("unconfirmed model in slot %s failed its self-test (%s); rolling back", slot, detail)
                self.slots.switch_back(slot)
                return self.boot()
            self.slots.confirm()
        self._load()

    def _load(self):
        slot, meta = self.slots.active()
        self.model, self.meta = None, meta
        if slot is None or self.runtime_name is None:
            return
        try:
            self.model = runtime.load(self.slots.path(slot), self.runtime_name)
            log.info("model %s (%s) loaded from slot %s with %s", meta["artifactId"], meta["modelVersion"],
                     slot, self.runtime_name)
        except AgentError as error:
            log.error("%s", error)

    def switch_to(self, slot, meta):
        """Activates `slot`, self-tests it, loads it; on failure switches back. Returns (outcome, detail)."""
        self.slots.activate(slot, meta)
        ok, detail = runtime.self_test(self.slots.path(slot), self.runtime_name)
        if ok:
            try:
                model = runtime.load(self.slots.path(slot), self.runtime_name)
            except AgentError as error:
                ok, detail = False, str(error)
        if not ok:
            log.warning("model in slot %s failed its self-test: %s; switching back", slot, detail)
            self.slots.switch_back(slot)
            self._load()
            return "rolled_back", detail
        self.slots.confirm()
        self.model, self.meta = model, meta
        return "activated", None

    def infer(self, source):
        """Runs one input from `source` (a SampleSource) and counts it in the window."""
        if self.model is None or source is None:
            return
        data, shape, label = source.next()
        if len(data) != self.model.input_elements:
            return  # the samples do not fit this model's input; nothing to measure
        try:
            import numpy as np
            pixels = np.frombuffer(data, dtype=np.uint8) * (1 / 255)  # as libs/tflite: pixel * (1/255)
            probs, latency = self.model.infer(self.model.quantize(pixels))
        except Exception as error:  # a runtime error on one input must not stop the agent
            log.warning("inference failed: %s", error)
            return
        predicted = int(probs.argmax())
        confidence = float(probs[predicted])
        self.window.add(predicted, confidence, latency, label)
        self.recent.add(data, shape, label, predicted, confidence, now_ms())

    def close_window(self, seq):
        """The telemetry message of the current window (None without a model), and a fresh window."""
        ended, self.window = self.window, TelemetryWindow(now_ms())
        if not self.meta:
            return None
        return ended.message(seq, self.meta["artifactId"], self.meta["modelVersion"], self.window.start_ms,
                             self.meta.get("arenaBytes", 0))
