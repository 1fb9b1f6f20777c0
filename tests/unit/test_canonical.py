"""RFC 8785 canonical JSON: the RFC's own examples, its Appendix B numbers, the reference test
data of cyberphone/json-canonicalization, and properties (FUZ-1)."""

from __future__ import annotations

import enum
import json
import math
import random
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.ledger.canonical import canonical_json, number
from tests.unit.test_chain import reference_jcs

pytestmark = pytest.mark.req("TAM-1")

# RFC 8785 Appendix B: IEEE 754 bit pattern → ECMAScript text.
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def double(bits: str) -> float:
    value: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    return value


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B)
def test_appendix_b_numbers(bits: str, expected: str) -> None:
    assert canonical_json(double(bits)) == expected
    assert canonical_json({"n": double(bits)}) == f'{{"n":{expected}}}'
    assert reference_jcs(double(bits)) == expected  # the reference is held to the RFC too


@pytest.mark.parametrize("bits", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_appendix_b_nan_and_infinity_are_refused(bits: str) -> None:
    with pytest.raises(ValueError, match="not a JSON number"):
        canonical_json([double(bits)])


# RFC 8785 §3.2.2 (also cyberphone testdata/input/values.json) and its §3.2.4 UTF-8 bytes.
RFC_VALUES_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
RFC_VALUES_HEX = """
7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
"""


def test_rfc_3_2_2_example_and_its_utf8_bytes() -> None:
    text = canonical_json(json.loads(RFC_VALUES_INPUT))
    assert text == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert text.encode("utf-8") == bytes.fromhex(RFC_VALUES_HEX)


def test_rfc_3_2_3_sorting_by_utf16_code_units() -> None:
    # U+1F600 is the surrogate pair D83D DE00: it sorts *before* U+FB33 in UTF-16, though
    # after it by code point. A code-point sort would get this wrong.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    assert canonical_json(value) == (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
        '"\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )


# cyberphone/json-canonicalization testdata: input/*.json → output/*.json (written out here,
# with Python escapes where the output holds invisible characters).
CYBERPHONE = {
    "arrays": ('[56,{"d":true,"10":null,"1":[]}]', '[56,{"1":[],"10":null,"d":true}]'),
    "french": (
        (
            '{"peach":"This sorting order","péché":"is wrong according to French",'
            '"pêche":"but canonicalization MUST","sin":"ingnore locale"}'
        ),
        (
            '{"peach":"This sorting order","péché":"is wrong according to French",'
            '"pêche":"but canonicalization MUST","sin":"ingnore locale"}'
        ),
    ),
    "structures": (
        '{"1":{"f":{"f":"hi","F":5},"\\n":56.0},"10":{},"":"empty","a":{},"111":[{}],"A":{}}',
        '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
    ),
    "unicode": (
        '{"Unnormalized Unicode":"\\u1e0d\\u0307"}',
        '{"Unnormalized Unicode":"\u1e0d\u0307"}',
    ),
    "weird": (
        (
            '{"\\u20ac":"Euro Sign","1":"One","\\u0080":"Control\\u007f",'
            '"\\ud83d\\ude02":"Smiley","\\u00f6":"Latin Small Letter O With Diaeresis",'
            '"\\ufb33":"Hebrew Letter Dalet With Dagesh","</script>":"Browser Challenge"}'
        ),
        (
            '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",'
            '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
            '"\U0001f602":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
        ),
    ),
    "values": (
        RFC_VALUES_INPUT.replace('"string"', '"escaping"'),
        (
            '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],'
            '"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}'
        ),
    ),
    "simpleString": ('"this is a test string 1235"', '"this is a test string 1235"'),
}


@pytest.mark.parametrize("name", sorted(CYBERPHONE))
def test_cyberphone_reference_data(name: str) -> None:
    source, expected = CYBERPHONE[name]
    assert canonical_json(json.loads(source)) == expected


def test_simple_string_bytes_from_cyberphone_outhex() -> None:
    hex_dump = "22 74 68 69 73 20 69 73 20 61 20 74 65 73 74 20 73 74 72 69 6E 67 20 31 32 33 35 22"
    assert canonical_json("this is a test string 1235").encode() == bytes.fromhex(hex_dump)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e21, "1e+21"),
        (999999999999999900000.0, "999999999999999900000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (-0.0, "0"),
        (0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (100.0, "100"),
        (123456789012345680000.0, "123456789012345680000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2**53, "9007199254740992"),
        (-(2**53), "-9007199254740992"),
        (0, "0"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_number_boundaries(value: Any, expected: str) -> None:
    assert canonical_json(value) == expected


def test_every_control_character_is_escaped_minimally() -> None:
    text = "".join(chr(c) for c in range(0x20)) + '"\\/\x7f\u2028'
    expected = (
        '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r'
        "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
        '\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\"\\\\/\x7f\u2028"'
    )
    assert canonical_json(text) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (math.nan, ValueError),
        ([math.inf], ValueError),
        ({"x": -math.inf}, ValueError),
        ("\ud800", ValueError),
        ({"\udfff": 1}, ValueError),
        (2**53 + 1, ValueError),
        (-(2**53) - 1, ValueError),
        ({1: "int key"}, TypeError),
        (b"bytes", TypeError),
        ({1.5}, TypeError),
        (object(), TypeError),
    ],
)
def test_values_outside_i_json_are_refused(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        canonical_json(value)


def test_subclasses_are_written_as_their_plain_values() -> None:
    class Level(enum.IntEnum):
        HIGH = 3

    class Colour(enum.StrEnum):
        RED = "red"

    class Loud(float):
        def __repr__(self) -> str:
            return "LOUD"

    assert canonical_json([Level.HIGH, Colour.RED, Loud(1.5)]) == '[3,"red",1.5]'


# ----------------------------------------------------------------------------- properties

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=25,
)


@given(json_values)
def test_output_parses_back_to_an_equal_value(value: Any) -> None:
    text = canonical_json(value)
    parsed = json.loads(text, parse_int=float)  # JSON numbers are doubles in RFC 8785
    assert parsed == value
    assert canonical_json(parsed) == text  # a fixed point


@given(st.dictionaries(st.text(), json_values, max_size=8), st.randoms())
def test_stable_under_key_reordering(value: dict[str, Any], rnd: random.Random) -> None:
    items = list(value.items())
    rnd.shuffle(items)
    assert canonical_json(dict(items)) == canonical_json(value)


@given(json_values)
def test_agrees_with_the_independent_reference(value: Any) -> None:
    assert canonical_json(value) == reference_jcs(value)


@settings(max_examples=2000)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_and_agree_with_the_reference(value: float) -> None:
    assert float(number(value)) == value
    assert number(value) == reference_jcs(value)


@given(st.integers(min_value=-1074, max_value=1023), st.booleans())
def test_powers_of_two_agree_with_the_reference(exponent: int, negative: bool) -> None:
    # At a power of two the gap below is half the gap above: a classic shortest-digits trap.
    value = (-1.0 if negative else 1.0) * 2.0**exponent
    assert number(value) == reference_jcs(value)
