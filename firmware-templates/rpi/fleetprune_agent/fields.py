"""Typed reads of untrusted JSON objects, mirroring libs/protocol's FieldReader verdicts."""

import math
import re

from .errors import ProtocolError

MAX_SAFE_INTEGER = 2 ** 53 - 1


def utf8_len(text):
    # surrogatepass: a lone "\ud800" escape counts 3 bytes, as Buffer.byteLength does.
    return len(text.encode("utf-8", "surrogatepass"))


def _show(value):
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "an array of %d" % len(value)
    if isinstance(value, dict):
        return "an object"
    text = repr(value)
    return text[:40] + "..." if len(text) > 40 else text


def is_integer(value):
    """A JSON number without fraction within the safe range (bool is not a number here)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER
    return False


def is_number(value):
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


class StringRule:
    """Limits of one string field; lengths in UTF-8 bytes so C buffers can be sized from them."""

    def __init__(self, max_bytes, pattern=None, min_bytes=1, hint=None):
        self.max = max_bytes
        self.min = min_bytes
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint


class FieldReader:
    """Reads typed fields out of one JSON object and names message and field in every error."""

    def __init__(self, obj, where):
        self.obj = obj
        self.where = where

    def fail(self, field, expected, value=None):
        shown = _show(self.obj.get(field) if value is None else value)
        raise ProtocolError("INVALID_MESSAGE",
                            '%s field "%s" must %s, got %s' % (self.where, field, expected, shown))

    def check(self, ok, field, expected):
        if not ok:
            self.fail(field, expected)

    def has(self, field):
        return field in self.obj

    def string(self, field, rule):
        value = self.obj.get(field)
        if not isinstance(value, str):
            self.fail(field, "be a string of %d-%d bytes" % (rule.min, rule.max))
        n = utf8_len(value)
        if n < rule.min or n > rule.max:
            self.fail(field, "be %d-%d bytes long" % (rule.min, rule.max))
        if rule.pattern is not None and rule.pattern.fullmatch(value) is None:
            self.fail(field, "be " + (rule.hint or rule.pattern.pattern))
        return value

    def optional_string(self, field, rule):
        return self.string(field, rule) if self.has(field) else None

    def integer(self, field, lo, hi):
        value = self.obj.get(field)
        if not is_integer(value) or value < lo or value > hi:
            self.fail(field, "be an integer in [%d, %d]" % (lo, hi))
        return int(value)

    def optional_integer(self, field, lo, hi):
        return self.integer(field, lo, hi) if self.has(field) else None

    def number(self, field, lo, hi):
        value = self.obj.get(field)
        if not is_number(value) or value < lo or value > hi:
            self.fail(field, "be a number in [%s, %s]" % (lo, hi))
        return value

    def boolean(self, field):
        value = self.obj.get(field)
        if not isinstance(value, bool):
            self.fail(field, "be true or false")
        return value

    def one_of(self, field, values):
        value = self.obj.get(field)
        if not isinstance(value, str) or value not in values:
            self.fail(field, "be one of " + ", ".join(values))
        return value

    def array(self, field, lo, hi, item):
        value = self.obj.get(field)
        if not isinstance(value, list) or len(value) < lo or len(value) > hi:
            self.fail(field, "be an array of %d-%d items" % (lo, hi))
        return [item(x, "%s %s[%d]" % (self.where, field, i)) for i, x in enumerate(value)]

    def integer_array(self, field, lo, hi, vmin, vmax):
        def read(x, where):
            if not is_integer(x) or x < vmin or x > vmax:
                self.fail(field, "hold integers in [%d, %d] (%s is %s)" % (vmin, vmax, where, _show(x)), x)
            return int(x)
        return self.array(field, lo, hi, read)

    def string_array(self, field, lo, hi, rule):
        return self.array(field, lo, hi, lambda x, where: FieldReader({"item": x}, where).string("item", rule))
