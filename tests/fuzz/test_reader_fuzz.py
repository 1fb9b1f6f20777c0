"""Fuzz the reader: whatever bytes arrive, it returns a coherent reading or raises ParseError."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.errors import ParseError
from station.udi import ParsedCode, Status, read_scan
from station.udi.jsonview import as_json

# Leads that steer input into each parser, so the fuzzer reaches deep into all of them.
LEADS = [
    b"",
    b"]d2",
    b"]C1",
    b"]Q3",
    b"]e0",
    b"]d1",
    b"]Q1",
    b"]E0",
    b"]E4",
    b"]C4",
    b"\x1d",
    b"(01)",
    b"(",
    b"01",
    b"https://id.gs1.org/01/",
    b"http://x/01/",
    b"+",
    b"+$$",
    b"+$",
    b"=/",
    b"=",
    b"&,1",
    b"=>",
    b"[)>\x1e06\x1d",
    b"[)>\x1e05\x1d",
    b"[)>\x1e",
    b"MA.156.M0.",
    b"MA.",
]
ALPHABET = (
    b"0123456789ABCDEFXYZabcxyz-./$+%()[]{}<>=&,;:!?'\"*_^~#@\\ \x1d\x1e\x04\r\n\t\x00"
    b"\x7f\xc3\xa9\xe2\x80\xae"
)
fragments = st.binary(max_size=80) | st.lists(st.sampled_from(list(ALPHABET)), max_size=80).map(
    bytes
)
scans = st.builds(lambda lead, body: lead + body, st.sampled_from(LEADS), fragments)


def _check_coherent(raw: bytes, code: ParsedCode) -> None:
    assert code.raw == raw
    assert "reader.internal_error" not in [i.code for i in code.issues], code.issues
    assert code.valid == (code.status is Status.VALID)
    if code.valid:
        assert not code.errors
    for issue in code.issues:
        assert issue.message
        assert issue.position is None or 0 <= issue.position <= len(code.text)
    for element in code.elements:
        assert 0 <= element.start <= len(code.text)
    json.dumps(as_json(code))  # always serialisable for the CLI and the event store


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scans)
def test_structured_fuzz_never_crashes(raw: bytes) -> None:
    try:
        code = read_scan(raw)
    except ParseError:
        return
    _check_coherent(raw, code)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(raw: bytes) -> None:
    try:
        code = read_scan(raw)
    except ParseError:
        return
    _check_coherent(raw, code)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_random_text_from_a_keyboard_never_crashes(text: str) -> None:
    code = read_scan(text)
    assert "reader.internal_error" not in [i.code for i in code.issues]
