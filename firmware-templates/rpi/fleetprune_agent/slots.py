"""A/B model slots on disk: state/slot-a.tflite, state/slot-b.tflite and the active marker.

The marker (active.json) names the active slot and, per slot, the verified artifact it holds:
    {"v": 1, "active": "a", "confirmed": true,
     "slots": {"a": {"artifactId": ..., "modelVersion": ..., "sha256": ..., "size": ..., "arenaBytes": ...}}}
It is only ever replaced whole (tmp + fsync + rename + directory fsync), so a power cut leaves
either the old or the new marker, each naming a complete, flushed slot. "confirmed" is false
between a switch and the new model's self-test; a boot that finds it false self-tests first.
"""

import hashlib
import json
import os

from .errors import AgentError

SLOTS = ("a", "b")
MARKER = "active.json"


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path, value):
    """Replaces `path` with `value` as JSON so readers see the old or the new file, never a mix."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, separators=(",", ":"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(os.path.dirname(os.path.abspath(path)))


def read_json(path, default=None):
    """The JSON in `path`, or `default` when it is missing or unreadable (a torn tmp is ignored)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def sha256_file(path):
    """(SHA-256 hex, size) of a file, read in 64 KiB blocks."""
    digest = hashlib.sha256()
    total = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 16)
            if not block:
                break
            digest.update(block)
            total += len(block)
    return digest.hexdigest(), total


class SlotWriter:
    """Positional writes into one slot file; sync() makes everything written so far durable."""

    def __init__(self, path, size, keep):
        flags = os.O_RDWR | os.O_CREAT
        self.fd = os.open(path, flags, 0o644)
        if not keep:
            os.ftruncate(self.fd, 0)
        os.ftruncate(self.fd, size)

    def write(self, offset, payload):
        view = memoryview(payload)
        while len(view):
            n = os.pwrite(self.fd, view, offset)
            view, offset = view[n:], offset + n

    def sync(self):
        os.fsync(self.fd)

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class SlotStore:
    """The slot files and the marker under one state directory."""

    def __init__(self, state_dir):
        self.dir = state_dir
        os.makedirs(state_dir, exist_ok=True)
        self.marker_path = os.path.join(state_dir, MARKER)

    def path(self, slot):
        return os.path.join(self.dir, "slot-%s.tflite" % slot)

    def marker(self):
        m = read_json(self.marker_path)
        if not isinstance(m, dict) or not isinstance(m.get("slots"), dict):
            return {"v": 1, "active": None, "confirmed": True, "slots": {}}
        return m

    def active(self):
        """(slot, metadata) of the active model, or (None, None) before the first one."""
        m = self.marker()
        slot = m.get("active")
        meta = m["slots"].get(slot) if slot in SLOTS else None
        return (slot, meta) if meta else (None, None)

    def inactive(self):
        slot, _ = self.active()
        return "b" if slot == "a" else "a"

    def previous(self):
        """(slot, metadata) of the verified model in the other slot, if any."""
        m = self.marker()
        other = "b" if m.get("active") == "a" else "a"
        meta = m["slots"].get(other)
        return (other, meta) if meta else (None, None)

    def _write_marker(self, m):
        write_json_atomic(self.marker_path, m)

    def open_inactive(self, size, keep=False):
        """Forgets what the inactive slot held (it is about to be overwritten) and opens it."""
        slot = self.inactive()
        m = self.marker()
        if m["slots"].pop(slot, None) is not None:
            self._write_marker(m)
        try:
            return slot, SlotWriter(self.path(slot), size, keep)
        except OSError as error:
            raise AgentError("WRITE_FAILED", "cannot open %s: %s" % (self.path(slot), error)) from None

    def erase(self, slot):
        m = self.marker()
        if m.get("active") == slot:
            raise AgentError("ACTIVE_SLOT", "refusing to erase the active slot %s" % slot)
        if m["slots"].pop(slot, None) is not None:
            self._write_marker(m)
        try:
            os.unlink(self.path(slot))
        except FileNotFoundError:
            pass

    def activate(self, slot, meta):
        """Makes `slot` active (unconfirmed) in one atomic marker replacement."""
        m = self.marker()
        m["slots"][slot] = meta
        m["active"], m["confirmed"] = slot, False
        self._write_marker(m)

    def confirm(self):
        m = self.marker()
        if not m.get("confirmed"):
            m["confirmed"] = True
            self._write_marker(m)

    def switch_back(self, failed):
        """Reactivates the other slot after `failed` failed its self-test; forgets the failed one."""
        m = self.marker()
        m["slots"].pop(failed, None)
        other = "b" if failed == "a" else "a"
        m["active"] = other if other in m["slots"] else None
        m["confirmed"] = True
        self._write_marker(m)
        return self.active()

    def install_factory(self, meta, data):
        """Writes a model into slot a and activates it (used by renderers and tests)."""
        with open(self.path("a"), "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self._write_marker({"v": 1, "active": "a", "confirmed": True, "slots": {"a": meta}})
