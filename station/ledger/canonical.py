"""RFC 8785 JSON Canonicalization Scheme (JCS): one exact text for one JSON value.

The ledger hashes and signs this text, so it must never vary with dict order, Python version or
locale. The rules (RFC 8785 §3.2):

* object members sorted by their names as arrays of UTF-16 code units, no whitespace;
* strings: only ``"``, ``\\`` and C0 controls are escaped (``\\b \\f \\n \\r \\t`` in short form,
  the rest as ``\\u00xx`` in lowercase hex); everything else is written as itself;
* numbers as ECMAScript's ``Number.prototype.toString`` writes an IEEE 754 double.

Values outside the I-JSON data model are refused rather than coerced: NaN and infinities, lone
surrogates, non-string keys, and integers a double cannot hold exactly (beyond ±2**53, where two
different integers would silently canonicalise to the same text).

>>> canonical_json({"b": [1, 2.5, None], "a": "€\\n", "c": True})
'{"a":"€\\\\n","b":[1,2.5,null],"c":true}'
>>> canonical_json([1e21, 1e-7, 123e-9, -0.0, 1.0])
'[1e+21,1e-7,1.23e-7,0,1]'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring

#: The largest integer magnitude below which every integer is an exact IEEE 754 double.
MAX_EXACT_INT = 2**53

# RFC 8785 §3.2.2.2 escapes exactly what the json module's non-ASCII string encoder escapes:
# `"`, `\\`, and C0 controls (short forms for \b \f \n \r \t, else \u00xx in lowercase hex).
# The C version is fast, which matters when verifying millions of rows; the test suite checks
# every escaped character against the RFC and against an independent implementation.
_quote = encode_basestring
# A Python str holds a surrogate code point only when it is unpaired: not Unicode text.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Below U+10000, UTF-16 code unit order is code point order, which is Python's str order.
_FIRST_ASTRAL = "\U00010000"


def canonical_json(value: object) -> str:
    """Return the RFC 8785 canonical JSON text of ``value``.

    Accepts ``None``, ``bool``, ``int``, ``float``, ``str``, lists/tuples and mappings with
    string keys. Raises ``ValueError`` for values JSON cannot represent exactly and
    ``TypeError`` for other types.
    """
    parts: list[str] = []
    _write(value, parts)
    text = "".join(parts)
    # One scan of the result instead of one per string: keys and values alike.
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise ValueError(f"lone surrogate {surrogate.group()!r} in a string")
    return text


def _write(value: object, out: list[str]) -> None:
    if isinstance(value, str):  # the common case first
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_integer(value))
    elif isinstance(value, float):
        out.append(number(value))
    elif isinstance(value, Mapping):
        _write_object(value, out)
    elif isinstance(value, list | tuple):
        _write_array(value, out)
    else:
        raise TypeError(f"canonical JSON cannot represent {type(value).__name__}")


def _write_object(value: Mapping[object, object], out: list[str]) -> None:
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"object keys must be strings, not {type(key).__name__}")
    keys: list[str] = list(value)  # type: ignore[arg-type] # checked just above
    joined = "".join(keys)
    if not joined.isascii() and max(joined) >= _FIRST_ASTRAL:
        # UTF-16BE bytes compare exactly like the sequence of UTF-16 code units.
        keys.sort(key=lambda k: k.encode("utf-16-be", "surrogatepass"))
    else:
        keys.sort()
    out.append("{")
    for index, key in enumerate(keys):
        if index:
            out.append(",")
        out.append(_quote(key))
        out.append(":")
        item = value[key]
        if type(item) is str:  # inlined common case: verification hashes millions of rows
            out.append(_quote(item))
        else:
            _write(item, out)
    out.append("}")


def _write_array(value: Sequence[object], out: list[str]) -> None:
    out.append("[")
    for index, item in enumerate(value):
        if index:
            out.append(",")
        _write(item, out)
    out.append("]")


def _integer(value: int) -> str:
    if not -MAX_EXACT_INT <= value <= MAX_EXACT_INT:
        raise ValueError(f"integer {value} is not exactly representable as an IEEE 754 double")
    return int.__repr__(value)  # not str(): an IntEnum or other subclass may override it


def number(value: float) -> str:
    """Write a double as ECMAScript ``Number.prototype.toString`` does (ECMA-262 §7.1.12.1).

    Python's ``repr`` already yields the shortest digit string that round-trips (and the
    closest one when several are that short), which is what ECMAScript requires; only the
    layout differs.

    >>> [number(x) for x in (1e21, 1e20, 1e-6, 1e-7, 5e-324, -0.0, 0.1 + 0.2)]
    ['1e+21', '100000000000000000000', '0.000001', '1e-7', '5e-324', '0', '0.30000000000000004']
    """
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a JSON number")
    if value == 0:
        return "0"  # also for -0.0
    if value < 0:
        return "-" + number(-value)
    mantissa, _, exponent = float.__repr__(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # value = 0.digits × 10**n; ECMAScript's n (the position of the decimal point).
    n = len(whole) + int(exponent or "0") if whole != "0" else -(len(fraction) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    sign = "+" if n - 1 >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(n - 1)}"
