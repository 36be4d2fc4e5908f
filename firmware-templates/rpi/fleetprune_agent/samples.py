"""Field inputs for the demo: labelled images from IDX files (Fashion-MNIST or MNIST), in a loop.

IDX: big-endian magic 0x0000 <type> <dims>, then one u32 per dimension, then the data; only
unsigned bytes (type 0x08) are read. Files may be gzipped. Sizes are checked against limits
before anything is allocated, since the files come from the operator's config.
"""

import gzip
import os
import struct

from .errors import AgentError

MAX_IDX_BYTES = 64 * 1024 * 1024
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
IMAGES = ("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte")
LABELS = ("t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte")


def read_idx(path):
    """(dims, data bytes) of an unsigned-byte IDX file, gzipped or not."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read(MAX_IDX_BYTES + 1)
    except OSError as error:
        raise AgentError("SAMPLES", "cannot read IDX file %s: %s" % (path, error)) from None
    if len(raw) > MAX_IDX_BYTES or len(raw) < 4:
        raise AgentError("SAMPLES", "%s is not an IDX file of at most %d bytes" % (path, MAX_IDX_BYTES))
    zero, kind, ndims = struct.unpack_from(">HBB", raw)
    if zero != 0 or kind != 0x08 or not 1 <= ndims <= 4 or len(raw) < 4 + 4 * ndims:
        raise AgentError("SAMPLES", "%s is not an unsigned-byte IDX file" % path)
    dims = list(struct.unpack_from(">%dI" % ndims, raw, 4))
    count = 1
    for d in dims:
        count *= d
    body = raw[4 + 4 * ndims:]
    if len(body) != count:
        raise AgentError("SAMPLES", "%s holds %d data bytes, its header says %d" % (path, len(body), count))
    return dims, body


def _find(directory, names):
    for name in names:
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise AgentError("SAMPLES", "none of %s in %s; install dataset-fashion-mnist or set samples.images/labels"
                     % (", ".join(names), directory))


class SampleSource:
    """Cycles through labelled 8-bit images: next() gives (image bytes, shape, label)."""

    def __init__(self, directory=FASHION_MNIST_DIR, images=None, labels=None, start=0):
        img_dims, self._images = read_idx(images or _find(directory, IMAGES))
        lab_dims, self._labels = read_idx(labels or _find(directory, LABELS))
        if len(img_dims) < 2 or img_dims[0] != lab_dims[0]:
            raise AgentError("SAMPLES", "image and label files disagree on the number of items")
        self.count = img_dims[0]
        self.shape = img_dims[1:] + ([1] if len(img_dims) == 3 else [])
        self.item_bytes = len(self._images) // self.count
        self._next = start % self.count

    def next(self):
        i = self._next
        self._next = (i + 1) % self.count
        start = i * self.item_bytes
        return self._images[start:start + self.item_bytes], list(self.shape), self._labels[i]
