"""Chunk assembly: window, order, duplicates, damage, stale sessions, resume."""

import hashlib
import random
import unittest

from fleetprune_agent.chunks import ChunkAssembler, encode_frame

ARTIFACT = bytes(random.Random(7).getrandbits(8) for _ in range(5000))
CHUNK = 1024


def frame(offset, session=9, data=ARTIFACT):
    payload = data[offset:offset + CHUNK]
    return encode_frame(session, offset, payload, offset + len(payload) == len(data))


class Sink:
    def __init__(self, size):
        self.buf = bytearray(size)

    def write(self, offset, payload):
        self.buf[offset:offset + len(payload)] = payload


def assembler(window=4):
    sink = Sink(len(ARTIFACT))
    return ChunkAssembler(9, len(ARTIFACT), CHUNK, sink.write, window), sink


class ChunkAssemblerTest(unittest.TestCase):
    def test_window_and_out_of_order_assembly(self):
        a, sink = assembler()
        self.assertEqual(a.requests(), [(0, 1024), (1024, 1024), (2048, 1024), (3072, 1024)])
        self.assertEqual(a.requests(), [])
        for offset in (3072, 0, 2048, 1024):
            self.assertTrue(a.accept(frame(offset))[0])
        self.assertEqual(a.requests(), [(4096, 904)])
        self.assertTrue(a.accept(frame(4096))[0])
        self.assertTrue(a.complete)
        self.assertEqual(hashlib.sha256(sink.buf).digest(), hashlib.sha256(ARTIFACT).digest())

    def test_rejections_name_their_reason(self):
        a, _ = assembler()
        a.requests()
        self.assertEqual(a.accept(frame(0, session=8))[1], "session")
        self.assertEqual(a.accept(encode_frame(9, 512, ARTIFACT[512:1536], False))[1], "offset")
        self.assertEqual(a.accept(encode_frame(9, 4096, ARTIFACT[4096:], False))[1], "offset")  # last flag
        damaged = bytearray(frame(1024))
        damaged[30] ^= 1
        self.assertEqual(a.accept(bytes(damaged))[1], "corrupt")
        self.assertEqual(a.requests(), [(1024, 1024)])  # the corrupt chunk is asked for at once
        self.assertEqual(a.accept(b"FP")[1], "malformed")
        self.assertTrue(a.accept(frame(0))[0])
        self.assertEqual(a.accept(frame(0))[1], "duplicate")
        self.assertEqual(a.received, 1024)

    def test_retry_outstanding_asks_again(self):
        a, _ = assembler(window=2)
        first = a.requests()
        a.retry_outstanding()
        self.assertEqual(a.requests(), first)

    def test_resume_from_bitmap_and_prefix(self):
        a, sink = assembler()
        for offset in (0, 2048, 4096):
            a.accept(frame(offset))
        self.assertEqual(a.last_good_offset, 1024)
        b, _ = assembler()
        b.restore(a.bitmap())
        self.assertEqual(b.received, a.received)
        self.assertEqual(b.requests(), [(1024, 1024), (3072, 1024)])
        c, _ = assembler()
        c.resume(2100)
        self.assertEqual(c.received, 2048)

    def test_random_order_with_loss_always_completes(self):
        rng = random.Random(3)
        a, sink = assembler()
        for _ in range(200):
            wanted = a.requests()
            rng.shuffle(wanted)
            for offset, _ in wanted:
                if rng.random() < 0.7:
                    a.accept(frame(offset))
            if rng.random() < 0.3:
                a.retry_outstanding()
            if a.complete:
                break
            if not a.outstanding or rng.random() < 0.5:
                a.retry_outstanding()
        self.assertTrue(a.complete)
        self.assertEqual(bytes(sink.buf), ARTIFACT)


if __name__ == "__main__":
    unittest.main()
