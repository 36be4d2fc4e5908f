"""The binary ota/chunk frame and the device side of a pull download (ChunkAssembler of libs/protocol).

Frame (big-endian): magic "FP", version 1, flags (bit 0 = last), session u32, offset u32,
length u32, CRC-32 (zlib) over bytes 0-15 then the payload, payload.
"""

import base64
import struct
import zlib

from . import limits as L
from .errors import ProtocolError

MAGIC = b"FP"
FRAME_VERSION = 1
FLAG_LAST = 0x01
_HEADER = struct.Struct(">2sBBIIII")


def encode_frame(session, offset, payload, last):
    """Builds one frame (the server's job; the agent's tests use it to make vectors)."""
    n = len(payload)
    if n < 1 or n > L.MAX_CHUNK_SIZE:
        raise ProtocolError("TOO_LARGE", "chunk payload of %d bytes must be 1-%d" % (n, L.MAX_CHUNK_SIZE))
    if not (0 < session <= L.U32_MAX and 0 <= offset and offset + n <= L.U32_MAX + 1):
        raise ProtocolError("INVALID_MESSAGE", "chunk session must be a non-zero u32 and offset + length fit in u32")
    head = _HEADER.pack(MAGIC, FRAME_VERSION, FLAG_LAST if last else 0, session, offset, n, 0)[:16]
    crc = zlib.crc32(payload, zlib.crc32(head))
    return head + struct.pack(">I", crc) + bytes(payload)


def parse_frame(frame):
    """Checks structure (INVALID_MESSAGE, UNSUPPORTED_VERSION, TOO_LARGE) then CRC (CORRUPT_CHUNK).

    Returns (session, offset, last, payload memoryview).
    """
    if len(frame) < L.CHUNK_HEADER_SIZE:
        raise ProtocolError("INVALID_MESSAGE", "chunk frame of %d bytes is shorter than its header" % len(frame))
    magic, version, flags, session, offset, length, stored = _HEADER.unpack_from(frame)
    if magic != MAGIC:
        raise ProtocolError("INVALID_MESSAGE", 'chunk frame does not start with the magic "FP"')
    if version != FRAME_VERSION:
        raise ProtocolError("UNSUPPORTED_VERSION", "chunk frame version %d; this side speaks 1" % version)
    if flags & ~FLAG_LAST:
        raise ProtocolError("INVALID_MESSAGE", "chunk frame flags 0x%x set reserved bits" % flags)
    if session == 0:
        raise ProtocolError("INVALID_MESSAGE", "chunk frame session must not be 0")
    if length > L.MAX_CHUNK_SIZE:
        raise ProtocolError("TOO_LARGE", "chunk frame length %d exceeds %d" % (length, L.MAX_CHUNK_SIZE))
    if length == 0 or len(frame) != L.CHUNK_HEADER_SIZE + length:
        raise ProtocolError("INVALID_MESSAGE", "chunk frame length field says %d payload bytes but the frame "
                            "holds %d" % (length, len(frame) - L.CHUNK_HEADER_SIZE))
    if offset + length > L.U32_MAX + 1:
        raise ProtocolError("INVALID_MESSAGE", "chunk frame offset %d + length %d overflows u32" % (offset, length))
    view = memoryview(frame)
    payload = view[L.CHUNK_HEADER_SIZE:]
    actual = zlib.crc32(payload, zlib.crc32(view[:16]))
    if actual != stored:
        raise ProtocolError("CORRUPT_CHUNK", "chunk at offset %d has CRC 0x%x, frame says 0x%x; request it again"
                            % (offset, actual, stored))
    return session, offset, bool(flags & FLAG_LAST), payload


class ChunkAssembler:
    """Plans requests (window of max_in_flight, lowest missing first) and checks every frame.

    Accepted payloads go to `write(offset, payload)` (the inactive slot file); the received set
    is a bitmap that can be persisted (`bitmap()`) and restored (`restore()`) across a reboot.
    """

    def __init__(self, session, size, chunk_size, write, max_in_flight=4):
        if not (1 <= size <= L.MAX_MODEL_SIZE) or not (1 <= chunk_size <= L.MAX_CHUNK_SIZE):
            raise ProtocolError("INVALID_MESSAGE", "size %d / chunk size %d out of range" % (size, chunk_size))
        self.session, self.size, self.chunk_size = session, size, chunk_size
        self.count = -(-size // chunk_size)
        self._bits = bytearray((self.count + 7) // 8)
        self._write = write
        self._max_in_flight = max(1, max_in_flight)
        self.outstanding = set()
        self.received = 0
        self._first_missing = 0

    def range_of(self, index):
        offset = index * self.chunk_size
        return offset, min(self.chunk_size, self.size - offset)

    def has(self, index):
        return bool(self._bits[index >> 3] & (1 << (index & 7)))

    def _mark(self, index):
        self.outstanding.discard(index)
        if self.has(index):
            return
        self._bits[index >> 3] |= 1 << (index & 7)
        self.received += self.range_of(index)[1]
        while self._first_missing < self.count and self.has(self._first_missing):
            self._first_missing += 1

    @property
    def complete(self):
        return self._first_missing >= self.count

    @property
    def last_good_offset(self):
        """Bytes from offset 0 that are all received."""
        return min(self.size, self._first_missing * self.chunk_size)

    def requests(self):
        """(offset, length) pairs to request now, keeping at most max_in_flight outstanding."""
        picked = []
        i = self._first_missing
        while i < self.count and len(self.outstanding) < self._max_in_flight:
            if not self.has(i) and i not in self.outstanding:
                self.outstanding.add(i)
                picked.append(self.range_of(i))
            i += 1
        return picked

    def retry_outstanding(self):
        """After a timeout or reconnect: forget what is in flight so requests() asks again."""
        self.outstanding.clear()

    def index_of(self, offset, length):
        if offset % self.chunk_size or offset >= self.size:
            return None
        index = offset // self.chunk_size
        return index if self.range_of(index)[1] == length else None

    def accept(self, frame):
        """Returns (True, offset) when stored, else (False, reason, detail); reasons as libs/protocol."""
        try:
            session, offset, last, payload = parse_frame(frame)
        except ProtocolError as error:
            if error.code != "CORRUPT_CHUNK":
                return False, "malformed", str(error)
            # The header is usually intact: free the chunk it names for an immediate re-request.
            _, _, _, _, offset, length, _ = _HEADER.unpack_from(frame)
            index = self.index_of(offset, length)
            if index is not None and not self.has(index):
                self.outstanding.discard(index)
            return False, "corrupt", str(error)
        if session != self.session:
            return False, "session", "session %d, expected %d" % (session, self.session)
        index = self.index_of(offset, len(payload))
        end = offset + len(payload)
        if index is None or last != (end == self.size):
            return False, "offset", "bytes %d-%d are not a chunk of %d bytes at %d" % (offset, end, self.size,
                                                                                     self.chunk_size)
        if self.has(index):
            self.outstanding.discard(index)
            return False, "duplicate", "chunk at %d already stored" % offset
        self._write(offset, payload)
        self._mark(index)
        return True, offset

    def bitmap(self):
        """The received set in base64, what a device persists to resume after a reboot."""
        return base64.b64encode(bytes(self._bits)).decode("ascii")

    def restore(self, bitmap_b64):
        """Marks the chunks of a persisted bitmap as received (their bytes are already in the slot)."""
        bits = base64.b64decode(bitmap_b64, validate=True)
        if len(bits) != len(self._bits):
            raise ProtocolError("INVALID_MESSAGE", "resume bitmap has %d bytes, expected %d"
                                % (len(bits), len(self._bits)))
        for index in range(self.count):
            if bits[index >> 3] & (1 << (index & 7)):
                self._mark(index)

    def resume(self, prefix_length):
        """Marks every whole chunk inside the first prefix_length bytes as received."""
        for index in range(self.count):
            offset, length = self.range_of(index)
            if offset + length > min(prefix_length, self.size):
                break
            self._mark(index)
