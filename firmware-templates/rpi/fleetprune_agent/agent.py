"""The agent: one thread running an event loop over MQTT events and timers.

Connect (will set) -> status online (retained) -> subscribe offer/chunk/cmd -> handle offers
(ota.py), commands, periodic inference, telemetry windows and status.
"""

import collections
import logging
import os
import signal
import time

from . import FIRMWARE_NAME, protocol, runtime
from .errors import AgentError, ProtocolError
from .inference import ActiveModel, now_ms
from .mqtt_link import MqttLink
from .ota import OtaManager
from .samples import SampleSource
from .signing import load_public_key
from .slots import SlotStore, read_json, write_json_atomic

log = logging.getLogger("fleetprune.agent")
COUNTERS = "counters.json"


def _free_memory():
    try:
        with open("/proc/meminfo", "r") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return min(int(line.split()[1]) * 1024, 0xFFFFFFFF)
    except (OSError, ValueError, IndexError):
        pass
    return None


class Agent:
    """Everything one device does; run() blocks until stop() (or SIGTERM/SIGINT)."""

    def __init__(self, config):
        self.config = config
        self.started = time.monotonic()
        self.slots = SlotStore(config["state_dir"])
        self.key = load_public_key(config["public_key_pem"])
        self.runtime = runtime.detect(config["runtime"])
        if self.runtime is None:
            log.warning("no TFLite runtime importable; offers will be refused (%s)", runtime.INSTALL_HINT)
        self.model = ActiveModel(self.slots, self.runtime)
        self.ota = OtaManager(self, self.slots, self.key, config["profile"], config["ota"])
        self.link = MqttLink(config["mqtt_url"], config["device_id"], config["password"],
                             config["intervals"]["keepalive_s"])
        self.source = self._sample_source()
        self.intervals = dict(config["intervals"])
        self.seen_commands = collections.deque(maxlen=64)
        self._counters_path = os.path.join(self.slots.dir, COUNTERS)
        self.counters = read_json(self._counters_path, {}) or {}
        self._stop = False
        self.connected = False

    def _sample_source(self):
        s = self.config["samples"]
        if not s["enabled"]:
            return None
        try:
            return SampleSource(s["dir"], s["images"], s["labels"])
        except AgentError as error:
            log.warning("no field inputs, so no inference or telemetry: %s", error)
            return None

    # --- interface used by OtaManager ---------------------------------------------------------
    def publish(self, channel, message):
        try:
            return self.link.publish(channel, protocol.encode(channel, message))
        except ProtocolError as error:  # a bug here must be logged, not crash the device
            log.error("not publishing invalid %s: %s", channel, error)
            return None

    def active(self):
        return self.model.ids()

    def activate(self, slot, meta):
        self.publish_telemetry()  # the window so far belongs to the model being replaced
        return self.model.switch_to(slot, meta)

    def supported_ops(self):
        ops = self.config["profile"]["supported_ops"]
        return ops if ops is not None else runtime.default_ops(self.runtime)

    def runtime_name(self):
        return self.runtime

    def on_ota_finished(self):
        self.publish_status()

    # --- outgoing ---------------------------------------------------------------------------------
    def publish_status(self, state="online"):
        active_id, version = self.model.ids()
        message = {"v": 1, "state": state, "ts": now_ms(), "profile": self.config["profile"]["name"],
                   "firmware": FIRMWARE_NAME, "activeArtifactId": active_id, "activeModelVersion": version,
                   "otaSession": self.ota.pending_session(), "freeHeapBytes": _free_memory(),
                   "uptimeS": min(int(time.monotonic() - self.started), 0xFFFFFFFF)}
        return self.publish("status", message)

    def _next_seq(self, name):
        seq = int(self.counters.get(name, 0)) & 0xFFFFFFFF
        self.counters[name] = (seq + 1) & 0xFFFFFFFF
        # Persisted before publishing: after a crash a seq is skipped, never repeated.
        write_json_atomic(self._counters_path, self.counters)
        return seq

    def publish_telemetry(self):
        if self.model.meta is None:
            self.model.close_window(0)
            return
        message = self.model.close_window(self._next_seq("telemetrySeq"))
        self.publish("telemetry", message)

    def upload_samples(self, max_items, misclassified_only):
        artifact_id, version = self.model.ids()
        items = self.model.recent.items(max_items, misclassified_only)
        if not artifact_id or not items:
            log.info("upload-samples: nothing to upload")
            return
        self.publish("samples", {"v": 1, "seq": self._next_seq("samplesSeq"), "artifactId": artifact_id,
                                 "modelVersion": version, "items": items})

    # --- incoming ---------------------------------------------------------------------------------
    def _on_message(self, topic, payload):
        prefix = protocol.topic(self.config["device_id"], "")
        channel = topic[len(prefix):] if topic.startswith(prefix) else None
        if channel == "ota/offer":
            self.ota.on_offer(payload)
        elif channel == "ota/chunk":
            self.ota.on_chunk(payload)
        elif channel == "cmd":
            self._on_command(payload)

    def _on_command(self, payload):
        try:
            cmd = protocol.parse("cmd", payload)
        except ProtocolError as error:
            log.warning("dropped cmd: %s (%s)", error, error.code)
            return
        if cmd["id"] in self.seen_commands:
            return  # a QoS 1 redelivery
        self.seen_commands.append(cmd["id"])
        kind = cmd["type"]
        log.info("cmd %s %s", cmd["id"], kind)
        if kind == "report-status":
            self.publish_status()
        elif kind == "cancel-ota":
            self.ota.cancel(cmd["session"])
        elif kind == "set-telemetry":
            self.intervals["telemetry_s"] = cmd["intervalS"]
        elif kind == "upload-samples":
            self.upload_samples(cmd["max"], cmd["misclassifiedOnly"])
        elif kind == "rollback":
            slot, meta = self.slots.previous()
            if meta is None:
                log.warning("rollback: the other slot holds no verified model")
            else:
                self.activate(slot, meta)
            self.publish_status()

    def _on_event(self, event):
        if event[0] == "connected":
            self.connected = True
            log.info("connected as %s", self.config["device_id"])
            self.publish_status()
            self.link.subscribe_all()
            self.ota.on_connection(True)
        elif event[0] == "disconnected":
            self.connected = False
            self.ota.on_connection(False)
        elif event[0] == "message":
            try:
                self._on_message(event[1], event[2])
            except (ProtocolError, AgentError, OSError) as error:
                log.error("while handling %s: %s", event[1], error)

    # --- loop -------------------------------------------------------------------------------------
    def stop(self, *_):
        self._stop = True

    def run(self):
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.model.boot()
        self.link.start()
        next_infer = next_window = next_status = time.monotonic()
        next_window += self.intervals["telemetry_s"]
        next_status += self.intervals["status_s"]
        while not self._stop:
            now = time.monotonic()
            wait = max(0.0, min(next_infer, next_window, next_status, now + 0.25) - now)
            try:
                self._on_event(self.link.events.get(timeout=wait))
                while True:
                    self._on_event(self.link.events.get_nowait())
            except Exception as error:  # queue.Empty ends the drain; anything else is logged
                if type(error).__name__ != "Empty":
                    log.exception("unexpected error: %s", error)
            now = time.monotonic()
            self.ota.tick()
            if now >= next_infer:
                self.model.infer(self.source)
                next_infer = now + self.intervals["inference_ms"] / 1000.0
            if now >= next_window:
                if self.connected:
                    self.publish_telemetry()
                next_window = now + self.intervals["telemetry_s"]
            if now >= next_status:
                if self.connected:
                    self.publish_status()
                next_status = now + self.intervals["status_s"]
        last = self.publish_status("offline") if self.connected else None
        self.link.stop(last)
