"""The device side of one OTA session (docs/protocol.md "The OTA sequence", rules 1-7).

Offer -> profile checks (refused) -> pull chunks into the inactive slot with a window and
backoff -> size, SHA-256, signature (failed) -> activate + self-test (activated/rolled_back).
The download state (offer, slot, received bitmap) is persisted after the slot is fsynced, so a
restart resumes where it stopped when the same offer comes back.
"""

import logging
import os
import re
import time

from . import protocol
from .chunks import ChunkAssembler
from .errors import AgentError, ProtocolError
from .limits import MAX_CHUNK_FRAME
from .signing import verify_digest
from .slots import read_json, sha256_file, write_json_atomic

log = logging.getLogger("fleetprune.ota")
DOWNLOAD_STATE = "download.json"
LAST_RESULT = "last-result.json"


def text(detail):
    """Free text fit for a result's `detail`: no control characters, at most 256 bytes."""
    clean = re.sub(r"[\x00-\x1f]", " ", str(detail))
    return clean.encode("utf-8")[:256].decode("utf-8", "ignore")


class Download:
    """An offer being fetched into one slot."""

    def __init__(self, offer, slot, writer, assembler):
        self.offer, self.slot, self.writer, self.assembler = offer, slot, writer, assembler
        self.timeout_ms = 0
        self.silent_rounds = 0
        self.last_activity = time.monotonic()
        self.last_persist = 0.0
        self.unsaved = False  # chunks accepted since the last persist


class OtaManager:
    """Handles offers, chunks, cancels and timeouts; `device` supplies publishing and activation.

    device: publish(channel, message dict), active() -> (artifactId, modelVersion) or (None, None),
    activate(slot, meta) -> (outcome, detail) with outcome "activated" or "rolled_back",
    supported_ops() -> list or None, runtime_name() -> str or None, profile dict.
    """

    def __init__(self, device, slots, public_key, profile, options):
        self.device, self.slots, self.key = device, slots, public_key
        self.profile, self.options = profile, options
        self.download = None
        self.invalid = 0
        self._state_path = os.path.join(slots.dir, DOWNLOAD_STATE)
        self._result_path = os.path.join(slots.dir, LAST_RESULT)
        self.saved = read_json(self._state_path)
        self.connected = False

    def pending_session(self):
        """The session to report as `otaSession` in status while a download is pending."""
        if self.download:
            return self.download.offer["session"]
        offer = (self.saved or {}).get("offer")
        return offer.get("session") if isinstance(offer, dict) else None

    # --- messages -------------------------------------------------------------------------
    def on_offer(self, payload):
        if len(payload) == 0:
            return self._withdrawn()
        try:
            offer = protocol.parse("ota/offer", payload)
        except ProtocolError as error:
            self.invalid += 1
            log.warning("dropped ota/offer: %s (%s)", error, error.code)
            return
        last = read_json(self._result_path) or {}
        if last.get("session") == offer["session"]:
            return self.device.publish("ota/result", last["message"])  # a redelivery: same answer
        if self.download and self.download.offer["session"] == offer["session"]:
            self.download.assembler.retry_outstanding()  # reconnect: re-request what is missing
            return self._pull()
        if self.device.active()[0] == offer["artifactId"]:
            self._abandon(erase=False)
            return self._finish(offer, "activated")
        refusal = self._check_profile(offer)
        if refusal:
            self._abandon(erase=False)
            return self._finish(offer, "refused", *refusal)
        self._start(offer)

    def on_chunk(self, payload):
        d = self.download
        if d is None or len(payload) > MAX_CHUNK_FRAME:
            self.invalid += 0 if d is None else 1
            return
        outcome = d.assembler.accept(payload)
        if not outcome[0]:
            log.debug("chunk dropped (%s): %s", outcome[1], outcome[2])
            if outcome[1] in ("corrupt", "duplicate"):
                self._pull()
            return
        d.silent_rounds, d.timeout_ms, d.last_activity = 0, self.options["request_timeout_ms"], time.monotonic()
        if d.assembler.complete:
            return self._complete()
        self._persist(force=False)
        self._pull()

    def cancel(self, session):
        if self.download and self.download.offer["session"] == session:
            offer = self.download.offer
            self._abandon(erase=True)
            self._finish(offer, "failed", "CANCELLED", "cancel-ota from the server")

    def _withdrawn(self):
        if self.download:
            offer = self.download.offer
            self._abandon(erase=True)
            self._finish(offer, "failed", "CANCELLED", "the server withdrew the offer")

    # --- timers and connection ------------------------------------------------------------
    def on_connection(self, up):
        self.connected = up
        if self.download:
            self.download.assembler.retry_outstanding()
            self.download.last_activity = time.monotonic()

    def tick(self):
        """Re-requests after silence, doubling the wait; gives up after max_silent_rounds."""
        d = self.download
        if d is None:
            return
        if d.unsaved:
            # A persist skipped as too soon is due once the interval passes, even if no
            # chunk follows: otherwise chunks stored just before a stall are fetched again.
            self._persist(force=False)
        if not self.connected:
            return
        if (time.monotonic() - d.last_activity) * 1000 < d.timeout_ms:
            return
        d.silent_rounds += 1
        if d.silent_rounds >= self.options["max_silent_rounds"]:
            offer = d.offer
            self._abandon(erase=True)
            return self._finish(offer, "failed", "TIMEOUT", "no chunk for %d rounds" % d.silent_rounds)
        d.timeout_ms = min(d.timeout_ms * 2, self.options["max_request_timeout_ms"])
        d.last_activity = time.monotonic()
        d.assembler.retry_outstanding()
        self._pull()

    # --- steps ------------------------------------------------------------------------------
    def _check_profile(self, offer):
        if offer["size"] > self.profile["flash_bytes"]:
            return "TOO_LARGE", "%d bytes exceed the slot of %d" % (offer["size"], self.profile["flash_bytes"])
        if offer["arenaBytes"] > self.profile["ram_bytes"]:
            return "ARENA_TOO_SMALL", "arena of %d bytes exceeds %d" % (offer["arenaBytes"], self.profile["ram_bytes"])
        if self.device.runtime_name() is None:
            return "UNSUPPORTED_OPS", "no TFLite runtime on this device; install tflite-runtime or python3-pyarmnn"
        supported = self.device.supported_ops()
        missing = [op for op in offer["ops"] if supported is not None and op not in supported]
        if missing:
            return "UNSUPPORTED_OPS", "not supported here: " + ", ".join(sorted(set(missing)))
        return None

    def _same_artifact(self, a, b):
        return all(a.get(k) == b.get(k) for k in ("artifactId", "sha256", "size", "chunkSize"))

    def _start(self, offer):
        keep_from = None
        if self.download and self._same_artifact(self.download.offer, offer):
            keep_from = self.download.assembler.bitmap()  # a new session for the same bytes
        elif self.saved and isinstance(self.saved.get("offer"), dict) and self._same_artifact(
                self.saved["offer"], offer) and self.saved.get("slot") == self.slots.inactive():
            keep_from = self.saved.get("bitmap")
        self._close_writer()
        try:
            slot, writer = self.slots.open_inactive(offer["size"], keep=keep_from is not None)
        except AgentError as error:
            return self._finish(offer, "failed", "WRITE_FAILED", str(error))
        assembler = ChunkAssembler(offer["session"], offer["size"], offer["chunkSize"], writer.write,
                                   self.options["max_in_flight"])
        if keep_from:
            try:
                assembler.restore(keep_from)
            except (ProtocolError, ValueError):
                log.warning("saved download state unusable; starting over")
        self.download = Download(offer, slot, writer, assembler)
        self.download.timeout_ms = self.options["request_timeout_ms"]
        log.info("downloading %s (%d bytes, session %d) into slot %s, %d bytes kept", offer["artifactId"],
                 offer["size"], offer["session"], slot, assembler.received)
        self._persist(force=True)
        self._progress("downloading")
        if assembler.complete:
            return self._complete()
        self._pull()

    def _pull(self):
        d = self.download
        if d is None or not self.connected:
            return
        for offset, length in d.assembler.requests():
            self.device.publish("ota/request", {"v": 1, "session": d.offer["session"], "offset": offset,
                                                "length": length})

    def _persist(self, force):
        d = self.download
        now = time.monotonic()
        if not force and (now - d.last_persist) * 1000 < self.options["persist_every_ms"]:
            d.unsaved = True
            return
        d.writer.sync()  # the bitmap may only name bytes that are already on disk
        self.saved = {"offer": d.offer, "slot": d.slot, "bitmap": d.assembler.bitmap()}
        write_json_atomic(self._state_path, self.saved)
        d.last_persist, d.unsaved = now, False

    def _complete(self):
        d = self.download
        offer = d.offer
        self._progress("verifying")
        try:
            d.writer.sync()
        except OSError as error:
            self._abandon(erase=True)
            return self._finish(offer, "failed", "WRITE_FAILED", "fsync of slot %s failed: %s" % (d.slot, error))
        self._close_writer()
        path = self.slots.path(d.slot)
        digest_hex, size = sha256_file(path)
        failure = None
        if size != offer["size"]:
            failure = "SIZE_MISMATCH", "slot holds %d bytes, the offer says %d" % (size, offer["size"])
        elif digest_hex != offer["sha256"]:
            failure = "HASH_MISMATCH", "SHA-256 is %s" % digest_hex
        elif not verify_digest(bytes.fromhex(digest_hex), offer["signature"], self.key):
            failure = "SIGNATURE_INVALID", "signature does not verify with the provisioned public key"
        if failure:
            self._abandon(erase=True)
            return self._finish(offer, "failed", *failure)
        self._progress("activating")
        self.download = None
        self._clear_saved()
        meta = {k: offer[k] for k in ("artifactId", "modelVersion", "sha256", "size", "arenaBytes")}
        outcome, detail = self.device.activate(d.slot, meta)
        if outcome == "activated":
            return self._finish(offer, "activated")
        self._finish(offer, outcome, "ACTIVATION_FAILED", detail)

    def _progress(self, phase):
        d = self.download
        self.device.publish("ota/progress", {"v": 1, "session": d.offer["session"], "phase": phase,
                                             "received": d.assembler.received, "total": d.offer["size"]})

    def _finish(self, offer, outcome, reason=None, detail=None):
        active_id, active_version = self.device.active()
        message = {"v": 1, "session": offer["session"], "deploymentId": offer["deploymentId"],
                   "artifactId": offer["artifactId"], "outcome": outcome, "reason": reason,
                   "detail": text(detail) if detail else None, "activeArtifactId": active_id,
                   "activeModelVersion": active_version}
        log.info("ota/result %s %s %s", outcome, reason or "", detail or "")
        write_json_atomic(self._result_path, {"session": offer["session"], "message": message})
        self.device.publish("ota/result", message)
        self.device.on_ota_finished()

    def _close_writer(self):
        if self.download and self.download.writer:
            self.download.writer.close()

    def _clear_saved(self):
        self.saved = None
        try:
            os.unlink(self._state_path)
        except FileNotFoundError:
            pass

    def _abandon(self, erase):
        d = self.download
        if d is None:
            return
        self._close_writer()
        self.download = None
        self._clear_saved()
        if erase:
            self.slots.erase(d.slot)
