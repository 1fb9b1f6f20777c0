"""ISBT 128 reader: the AccessGUDID example, blood-bag UDI, ICCBBA examples, malformed input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.udi.isbt import cyyjjj, din_check_character, parse_isbt128
from station.udi.model import Kind, ParsedCode, Scheme, Status
from station.udi.normalize import normalize
from tests.unit.readings import assert_coherent, assert_refused, error_codes

GUDID = "=/A9999XYZ100T0944=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123"


def read(text: str) -> ParsedCode:
    return parse_isbt128(normalize(text))


def test_accessgudid_example() -> None:
    code = read(GUDID)
    assert code.scheme is Scheme.ISBT128
    assert code.valid, code.issues
    assert code.di == "A9999XYZ100T0944"
    assert code.serial == "000025"
    assert code.lot == "000000000000XYZ123"
    assert code.expiry == date(2014, 2, 1)
    assert code.production_date == date(2013, 2, 1)
    assert code.fields == {
        "=/": "A9999XYZ100T0944",
        "=,": "000025",
        "=": "A99971312345600",
        "=>": "014032",
        "=}": "013032",
        "&,1": "000000000000XYZ123",
    }
    assert_coherent(code)


def test_concatenation_symbology_is_kept() -> None:
    code = parse_isbt128(normalize("]C4=/A9999XYZ100T0944=,000025"))
    assert code.symbology == "]C4"
    assert (code.di, code.serial) == ("A9999XYZ100T0944", "000025")
    assert code.elements[0].start == 2  # positions index into the text after the AIM ID


def test_blood_bag_udi() -> None:
    """FDA/HL7 example for blood containers: =) is the DI, &) the lot."""
    code = read("=)1TE123456A&)RZ12345678")
    assert code.valid
    assert (code.di, code.lot) == ("1TE123456A", "RZ12345678")
    container = code.elements[0]
    assert container.interpretation == "container 1, manufacturer TE, catalogue number 123456A"


def test_st017_examples() -> None:
    """ICCBBA ST-017 examples as quoted by an open implementation (see tests/data/README.md)."""
    ppic = read("=/A9997AB3456T0123")
    assert ppic.valid
    assert ppic.elements[0].interpretation == (
        "facility A9997, product code AB3456, description code T0123"
    )
    din = read("=A99991712345600")
    assert din.valid
    assert din.fields == {"=": "A99991712345600"}
    assert [w.code for w in din.warnings] == ["isbt.no_device_identifier"]


def test_expiry_with_time_st012_example() -> None:
    code = read("=/A9997AB3456T0123&>0183652359")
    assert code.valid
    assert code.expiry == date(2018, 12, 31)
    assert code.elements[1].interpretation == "2018-12-31 23:59"


def test_compound_message() -> None:
    code = read("=+04000=/A9997AB3456T0123=A99991712345600=,000001=>025001")
    assert code.valid, code.issues
    assert code.fields["=+"] == "04000"
    assert code.elements[0].interpretation == "4 data structures follow, any order"
    short = read("=+05000=/A9997AB3456T0123=A99991712345600=,000001=>025001")
    assert error_codes(short) == ["isbt.compound_count"]
    assert short.status is Status.CHECK_FAILED


def test_din_keyboard_check_character() -> None:
    assert din_check_character("G123417654321") == "A"  # ICCBBA ST-001 Appendix A
    # Flags 60-96 carry the check value + 60: 'A' is 10, so flags 70.
    assert read("=G12341765432170").valid
    wrong = read("=G12341765432171")
    assert error_codes(wrong) == ["isbt.din_check"]
    assert wrong.errors[0].position == 14
    assert read("=G12341765432100").valid  # other flags carry no check


@pytest.mark.parametrize(
    ("content", "expected"),
    [("014032", date(2014, 2, 1)), ("024366", date(2024, 12, 31)), ("000001", date(2000, 1, 1))],
)
def test_cyyjjj(content: str, expected: date) -> None:
    assert cyyjjj(content) == expected


@pytest.mark.parametrize(
    ("scan", "error", "kind", "position"),
    [
        ("=/A9999XYZ100T0944=>014367", "isbt.bad_date", Kind.CHECK, 20),  # Julian day 367
        ("=/A9999XYZ100T0944=>025366", "isbt.bad_date", Kind.CHECK, 20),  # 2025 is common
        ("=/A9999XYZ100T0944=>014000", "isbt.bad_date", Kind.CHECK, 20),
        ("=/A9999XYZ100T0944=>114032", "isbt.bad_date", Kind.CHECK, 20),  # century 1
        ("=/A9999XYZ100T0944&>0140322400", "isbt.bad_date", Kind.CHECK, 20),  # hour 24
        ("=/A9999XYZ100T0944&>0140321260", "isbt.bad_date", Kind.CHECK, 20),  # minute 60
        ("=/A9999XYZ100T094", "isbt.truncated", Kind.SYNTAX, 2),
        ("=/A9999XYZ100T0944=,00002", "isbt.truncated", Kind.SYNTAX, 20),
        ("=/A9999XYZ100T0944&,100000000000XYZ12", "isbt.truncated", Kind.SYNTAX, 21),
        ("=/A9999XYZ100T0944=>01403", "isbt.truncated", Kind.SYNTAX, 20),
        ("=/a9999XYZ100T0944", "isbt.bad_content", Kind.CHECK, 2),  # lowercase
        ("=/O9999XYZ100T0944", "isbt.bad_content", Kind.CHECK, 2),  # no letter O in a FIN
        ("=/A9999XYZ100T094-", "isbt.bad_content", Kind.CHECK, 2),
        ("=A9997131234560X", "isbt.bad_content", Kind.CHECK, 1),  # flag not a digit
        ("=/A9999XYZ100T0944=>01403A", "isbt.bad_content", Kind.CHECK, 20),
        ("=/A9999XYZ100T0944=,00002-", "isbt.bad_content", Kind.CHECK, 20),
        ("=;A99991234567890123456", "isbt.unknown_identifier", Kind.SYNTAX, 0),
        ("=/A9999XYZ100T0944&a12345", "isbt.unknown_identifier", Kind.SYNTAX, 18),
        ("=OA9971312345600", "isbt.unknown_identifier", Kind.SYNTAX, 0),  # no DIN starts with O
        ("=/A9999XYZ100T0944 =,000025", "isbt.unexpected_character", Kind.SYNTAX, 18),
        ("=/A9999XYZ100T0944\r", "isbt.unexpected_character", Kind.SYNTAX, 18),
        ("=/A9999XYZ100T0944=/A9999XYZ100T0945", "isbt.duplicate", Kind.CHECK, 20),
        ("=/A9999XYZ100T0944=>014032&>0140331200", "isbt.duplicate", Kind.CHECK, 28),
        ("=/A9999XYZ100T0944=)1TE123456A", "isbt.duplicate", Kind.CHECK, 20),
        ("=A99971312345600=A99971312345601", "isbt.duplicate", Kind.CHECK, 17),  # two DINs
    ],
)
def test_malformed(scan: str, error: str, kind: Kind, position: int) -> None:
    assert_refused(read(scan), error, kind, position)


def test_no_device_identifier_note_only_when_none_was_scanned() -> None:
    assert "isbt.no_device_identifier" in [w.code for w in read("=>014032").warnings]
    misprinted = read("=/a9999XYZ100T0944")
    assert [i.code for i in misprinted.issues] == ["isbt.bad_content"]


def test_same_expiry_as_date_and_as_date_time_is_consistent() -> None:
    code = read("=/A9999XYZ100T0944=>014032&>0140321200")
    assert code.valid
    assert code.expiry == date(2014, 2, 1)


def test_empty_text_is_not_a_valid_reading() -> None:
    code = parse_isbt128(replace(normalize("=>014032"), text=""))
    assert error_codes(code) == ["isbt.unexpected_character"]


def test_scan_issues_come_first() -> None:
    code = parse_isbt128(normalize("=/A9999XYZ100T0944{GS}"))
    assert code.issues[0].code == "scan.substitute_mapped"


# --------------------------------------------------------------------------- properties

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FIN = "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"  # no letter O
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _cyyjjj(day: date) -> str:
    return f"0{day:%y}{(day - date(day.year, 1, 1)).days + 1:03d}"


@st.composite
def isbt_codes(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """Concatenated structures in random order and the fields they must read as."""
    parts: list[str] = []
    expected: dict[str, object] = {}
    ppic = draw(st.text(FIN, min_size=5, max_size=5)) + draw(
        st.text(ALNUM, min_size=11, max_size=11)
    )
    parts.append("=/" + ppic)
    expected["di"] = ppic
    if draw(st.booleans()):
        serial = draw(st.text(ALNUM, min_size=6, max_size=6))
        parts.append("=," + serial)
        expected["serial"] = serial
    if draw(st.booleans()):
        lot = draw(st.text(ALNUM, min_size=18, max_size=18))
        parts.append("&,1" + lot)
        expected["lot"] = lot
    if draw(st.booleans()):
        day = draw(days)
        if draw(st.booleans()):
            parts.append("=>" + _cyyjjj(day))
        else:
            parts.append(f"&>{_cyyjjj(day)}{draw(st.integers(0, 23)):02d}59")
        expected["expiry"] = day
    if draw(st.booleans()):
        day = draw(days)
        parts.append("=}" + _cyyjjj(day))
        expected["production_date"] = day
    if draw(st.booleans()):
        din13 = draw(st.sampled_from("ABCDEFGHIJKLMNPQRSTUVWXYZ123456789")) + draw(
            st.text("0123456789", min_size=12, max_size=12)
        )
        check = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*".index(din_check_character(din13))
        parts.append(f"={din13}{60 + check}")
    parts = draw(st.permutations(parts))
    if draw(st.booleans()):
        parts.insert(0, f"=+{len(parts):02d}000")
    return "".join(parts), expected


@settings(max_examples=300, deadline=None)
@given(isbt_codes())
def test_round_trip_of_generated_codes(case: tuple[str, dict[str, object]]) -> None:
    scan, expected = case
    code = read(scan)
    assert code.valid, (scan, code.issues)
    for name in ("di", "lot", "serial", "expiry", "production_date"):
        assert getattr(code, name) == expected.get(name)
    assert_coherent(code)


def test_julian_day_366_only_in_leap_years() -> None:
    assert read("=>024366").expiry == date(2024, 12, 31)
    assert error_codes(read("=>023366")) == ["isbt.bad_date"]


LEADS = ["=", "=/", "=,", "=>", "=}", "&>", "&,1", "=)", "&)", "=+", "=A", "&"]
JUNK = ALNUM + "=&/,>}+)*<%;abc -\x1d\r\u00e9"


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(LEADS), st.text(JUNK, max_size=60))
def test_random_text_never_raises(lead: str, body: str) -> None:
    code = read(lead + body)
    assert code.scheme is Scheme.ISBT128
    assert code.valid or code.errors
    assert_coherent(code)
