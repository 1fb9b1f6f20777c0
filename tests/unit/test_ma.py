"""China MA code reader: structure, dates, the unverified check character."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.udi.ma import parse_ma
from station.udi.model import Kind, ParsedCode, Scheme
from station.udi.normalize import ReaderConfig, normalize
from tests.unit.readings import assert_coherent, assert_refused

CONFIG = ReaderConfig(today=date(2026, 11, 24))
EXAMPLE = "MA.156.M0.100761.21234561.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3"


def read(text: str) -> ParsedCode:
    return parse_ma(normalize(text, CONFIG))


def test_codes_md_example() -> None:
    code = read(EXAMPLE)
    assert code.scheme is Scheme.MA
    assert code.valid, code.issues
    assert code.di == "MA.156.M0.100761.21234561"
    assert (code.lot, code.serial) == ("20220117", "x00008")
    assert (code.production_date, code.expiry) == (date(2022, 1, 17), date(2022, 1, 30))
    assert code.fields["sterilisation_lot"] == "20220118"
    assert code.fields["validity_date"] == "220117"
    assert (code.fields["registrant"], code.fields["product"]) == ("100761", "21234561")
    assert_coherent(code)


def test_check_character_is_not_verified_and_says_so() -> None:
    code = read(EXAMPLE)
    check = next(e for e in code.elements if e.key == "check")
    assert check.value == "3"
    assert check.interpretation == "not verified (no reliable public algorithm)"
    assert [w.code for w in code.warnings] == ["ma.check_not_verified"]
    assert read(EXAMPLE[:-1] + "7").valid  # any check value passes: only structure is read


@pytest.mark.parametrize(
    ("scan", "fields"),
    [
        (  # vendor sample: alphanumeric product code and lot
            "MA.156.M0.100350.01004YA10017.SLMSAGAAAC.M210628.LAY21062803.E220628.V220627.C3",
            {"lot": "AY21062803", "serial": "LMSAGAAAC", "expiry": date(2022, 6, 28)},
        ),
        (  # vendor sample: lower-case product code
            "MA.156.M0.100011.2cscp023.Ste002.M200206.L343432.D555555.E200228.V200307.C9",
            {"di": "MA.156.M0.100011.2cscp023", "serial": "te002", "expiry": date(2020, 2, 28)},
        ),
        (  # older code with .P production date, no check segment
            "MA.156.M0.100472.1110331.S1576130942.P190101.LABS20191201.E191201",
            {"production_date": date(2019, 1, 1), "lot": "ABS20191201"},
        ),
        ("MA.156.M0.100204.13351764", {"di": "MA.156.M0.100204.13351764", "lot": None}),
    ],
)
def test_public_samples(scan: str, fields: dict[str, object]) -> None:
    code = read(scan)
    assert code.valid, code.issues
    for name, value in fields.items():
        assert getattr(code, name) == value
    assert_coherent(code)


@pytest.mark.parametrize(
    ("scan", "error", "kind", "position"),
    [
        ("MA.156.M0.100761.21234561.E221301", "ma.bad_date", Kind.CHECK, 27),  # month 13
        ("MA.156.M0.100761.21234561.E220132", "ma.bad_date", Kind.CHECK, 27),  # day 32
        ("MA.156.M0.100761.21234561.M230229", "ma.bad_date", Kind.CHECK, 27),  # not leap
        ("MA.156.M0.100761.21234561.E2201", "ma.bad_date", Kind.CHECK, 27),  # too short
        ("MA.156.M0.100761.21234561.E22013A", "ma.bad_date", Kind.CHECK, 27),
        ("MA.156.M0.100761.21234561.V220100", "ma.bad_date", Kind.CHECK, 27),  # no day 00
        ("MA.156.M0.100761.21234561..L1", "ma.structure", Kind.SYNTAX, 26),
        ("MA.156.M0.100761.21234561.L1.", "ma.structure", Kind.SYNTAX, 29),
        ("MA.156.M0.100761.21234561.L", "ma.structure", Kind.SYNTAX, 27),
        ("MA.156.M0.100761.21234561.123", "ma.structure", Kind.SYNTAX, 26),
        ("MA.156.M0.100761.21234561.l123", "ma.structure", Kind.SYNTAX, 26),
        ("MA.156.M0.100761.21234561.L1 2", "ma.bad_value", Kind.CHECK, 27),
        ("MA.156.M0.100761.21234561.L1/2", "ma.bad_value", Kind.CHECK, 27),
        ("MA.156.M0.100761.21234561.C3.L1", "ma.structure", Kind.SYNTAX, 26),  # .C not last
        ("MA.156.M0.10076.21234561", "ma.structure", Kind.SYNTAX, 0),  # registrant 5 digits
        ("MA.156.M0.1007610.21234561", "ma.structure", Kind.SYNTAX, 0),
        ("MA.156.M0.100761", "ma.structure", Kind.SYNTAX, 0),  # no product code
        ("MA.156.M0.100761.", "ma.structure", Kind.SYNTAX, 0),
        ("MA.15.M0.100761.21234561", "ma.structure", Kind.SYNTAX, 0),
        ("MA.156.X0.100761.21234561", "ma.structure", Kind.SYNTAX, 0),
        ("MA.156.M0.100761.2123-4561", "ma.structure", Kind.SYNTAX, 0),
        ("MA.156.M0.100761.21234561.L1.L2", "ma.duplicate", Kind.CHECK, 30),
        ("MA.156.M0.100761.21234561.M220117.P220118", "ma.duplicate", Kind.CHECK, 35),
    ],
)
def test_malformed(scan: str, error: str, kind: Kind, position: int) -> None:
    assert_refused(read(scan), error, kind, position)


def test_unknown_segment_and_other_country_are_notes() -> None:
    code = read("MA.156.M0.100761.21234561.X12.L1")
    assert code.valid
    assert code.fields["segment_X"] == "12"
    assert [w.code for w in code.warnings] == ["ma.unknown_segment"]
    foreign = read("MA.840.M0.100761.21234561")
    assert foreign.valid
    assert [w.code for w in foreign.warnings] == ["ma.other_country"]


def test_repeated_identical_segment_is_accepted() -> None:
    code = read("MA.156.M0.100761.21234561.L1.L1")
    assert code.valid
    assert code.lot == "1"


# --------------------------------------------------------------------------- properties

VALUE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2076, 12, 31))


@st.composite
def ma_codes(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    registrant = draw(st.text("0123456789", min_size=6, max_size=6))
    product = draw(st.text(VALUE[:62], min_size=1, max_size=16))
    di = f"MA.156.M0.{registrant}.{product}"
    segments: list[str] = []
    expected: dict[str, object] = {"di": di}
    for mark, name in (("L", "lot"), ("S", "serial"), ("D", None)):
        if draw(st.booleans()):
            value = draw(st.text(VALUE, min_size=1, max_size=20))
            segments.append(mark + value)
            if name:
                expected[name] = value
    for mark, name in (("M", "production_date"), ("E", "expiry"), ("V", None)):
        if draw(st.booleans()):
            day = draw(days)
            segments.append(f"{mark}{day:%y%m%d}")
            if name:
                expected[name] = day
    segments = draw(st.permutations(segments))
    if draw(st.booleans()):
        segments.append("C" + draw(st.text(VALUE[:36], min_size=1, max_size=2)))
    return ".".join([di, *segments]), expected


@settings(max_examples=300, deadline=None)
@given(ma_codes())
def test_round_trip_of_generated_codes(case: tuple[str, dict[str, object]]) -> None:
    text, expected = case
    code = read(text)
    assert code.valid, (text, code.issues)
    for name in ("di", "lot", "serial", "expiry", "production_date"):
        assert getattr(code, name) == expected.get(name)
    assert_coherent(code)


JUNK = VALUE + ". /\u4e2d\x1d\r"


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(["MA.", "MA.156.", "MA.156.M0.", "MA.156.M0.100761."]),
    st.text(JUNK, max_size=60),
)
def test_random_text_never_raises(lead: str, body: str) -> None:
    code = read(lead + body)
    assert code.scheme is Scheme.MA
    assert code.valid or code.errors
    assert_coherent(code)
