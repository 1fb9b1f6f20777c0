"""HIBC LIC reader: codes.md §3 examples, BarcodeParserBuilder vectors, malformed input, fuzz."""

from __future__ import annotations

import calendar
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.udi.checks import MOD43_ALPHABET, mod43_check
from station.udi.hibc import combine_hibc, parse_hibc
from station.udi.model import Kind, ParsedCode, Scheme, Status
from station.udi.normalize import ReaderConfig, normalize
from tests.unit.readings import assert_coherent, error_codes

REF = date(2026, 11, 24)
CONFIG = ReaderConfig(today=REF)
VECTORS = json.loads(
    (Path(__file__).parents[1] / "data" / "barcodeparserbuilder_hibc.json").read_text("utf-8")
)


def read(text: str) -> ParsedCode:
    return parse_hibc(normalize(text, CONFIG))


def sealed(data: str) -> str:
    """``data`` with its correct mod-43 check character appended."""
    return data + mod43_check(data)


# --------------------------------------------------------------------------- codes.md §3


@pytest.mark.parametrize(
    ("scan", "expected"),
    [
        ("+A123BJC5D6E71G", {"di": "A123BJC5D6E71"}),
        ("+A123BJC5D6E71G+$$52001510X3GD", {"di": "A123BJC5D6E71", "lot": "10X3"}),
        (
            "+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
            {"di": "A99912349", "lot": "10X3", "quantity": 500},
        ),
        (
            "+E203PB414109/$$8243280112R00089525J",
            {"di": "E203PB414109", "lot": "R00089525", "quantity": 24},
        ),
        ("+A123BJCMD6E79+", {"di": "A123BJCMD6E79"}),
        ("+$$52001510X3+ ", {"lot": "10X3"}),
    ],
)
def test_codes_md_examples_are_valid(scan: str, expected: dict[str, object]) -> None:
    code = read(scan)
    assert code.scheme is Scheme.HIBC
    assert code.valid, code.issues
    for name, value in expected.items():
        assert getattr(code, name) == value
    assert_coherent(code)


def test_codes_md_dates_and_fields() -> None:
    code = read("+A99912349/$10X3/16D20111231/14D20200131/Q500Z")
    assert (code.expiry, code.production_date) == (date(2020, 1, 31), date(2011, 12, 31))
    assert read("+E203PB414109/$$8243280112R00089525J").expiry == date(2028, 1, 12)
    assert read("+A123BJC5D6E71G+$$52001510X3GD").expiry == date(2020, 1, 15)
    primary = read("+A123BJC5D6E71G")
    assert primary.fields == {
        "lic": "A123",
        "pcn": "BJC5D6E7",
        "uom": "1",
        "check": "G",
    }


def test_check_character_space_is_data_never_stripped() -> None:
    code = read("+$$52001510X3+ ")
    assert code.valid
    assert code.fields["check"] == " "
    assert code.fields["link"] == "+"
    truncated = read("+$$52001510X3+")  # the space lost: '+' is now read as the check
    assert not truncated.valid


def test_primary_and_secondary_with_space_check_in_one_scan() -> None:
    code = read("+A123BJCMD6E79++$$52001510X3+ ")
    assert code.valid
    assert (code.di, code.lot, code.expiry) == ("A123BJCMD6E79", "10X3", date(2020, 1, 15))
    assert (code.fields["check"], code.fields["link"], code.fields["secondary_check"]) == (
        "+",
        "+",
        " ",
    )


def test_fda_hl7_example_as_printed_fails_its_check() -> None:
    printed = (
        "+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202C"
    )
    code = read(printed)
    assert code.status is Status.CHECK_FAILED
    assert error_codes(code) == ["hibc.check_character"]
    assert code.errors[0].position == len(printed) - 1
    assert ("expected", "H") in code.errors[0].params
    # The check covers every character, so nothing becomes a record field; the elements still
    # show what was read, for the worker to compare with the label.
    assert (code.di, code.lot, code.serial) == (None, None, None)
    assert (code.fields["lot"], code.fields["serial"]) == (
        "LOT123456789012345",
        "XYZ456789012345678",
    )
    corrected = read(printed[:-1] + "H")
    assert corrected.valid
    assert corrected.expiry == date(2020, 2, 2)
    assert corrected.production_date == date(2013, 2, 2)
    expiry = next(e for e in corrected.elements if e.key == "expiry")
    assert expiry.interpretation == "2020-02-02, hour 16 (YYMMDDHH)"
    assert corrected.fields["pcn"] == "PARTNO123456789012"
    assert corrected.fields["uom"] == "0"


def test_typed_human_readable_text_between_asterisks() -> None:
    code = read("*+A123BJC5D6E71G*")
    assert code.valid
    assert code.di == "A123BJC5D6E71"
    assert "hibc.typed_text" in [w.code for w in code.warnings]
    assert_coherent(code)  # positions index into the text with its asterisks


def test_provider_applications_standard_is_reported_unsupported() -> None:
    code = read(sealed("+/$MRN12345"))
    assert code.status is Status.UNPARSEABLE
    assert error_codes(code) == ["hibc.pas_unsupported"]


# --------------------------------------------------------------------------- BarcodeParserBuilder


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["scan"][:40])
def test_barcodeparserbuilder_vectors(vector: dict[str, str]) -> None:
    code = read(vector["scan"])
    assert code.scheme is Scheme.HIBC
    assert code.status.value == vector["status"], code.issues
    assert_coherent(code)
    if "error" in vector:
        assert vector["error"] in error_codes(code)
    if "expected_check" in vector:
        wrong = next(i for i in code.errors if i.code == "hibc.check_character")
        assert ("expected", vector["expected_check"]) in wrong.params
    for name in ("di", "lot", "serial"):
        if name in vector:
            assert getattr(code, name) == vector[name]
    for name in ("expiry", "production_date"):
        if name in vector:
            assert getattr(code, name) == date.fromisoformat(vector[name])
    for key in ("lic", "pcn", "uom"):
        if key in vector:
            assert code.fields[key] == vector[key]


def test_month_only_expiry_is_the_last_day_and_says_so() -> None:
    code = read("+J123AQ3451/$$1125BC34567/S4012L")
    assert code.expiry == date(2025, 11, 30)
    expiry = next(e for e in code.elements if e.key == "expiry")
    assert expiry.value == "1125"
    assert expiry.interpretation == "2025-11 (month only; read as the last day, 2025-11-30)"
    assert read(sealed("+A999T1/$$0224LOT")).expiry == date(2024, 2, 29)  # leap year


# --------------------------------------------------------------------------- date flags


@pytest.mark.parametrize(
    ("secondary", "expiry", "lot"),
    [
        ("$$0526L1", date(2026, 5, 31), "L1"),  # MMYY, flag is the first month digit
        ("$$1226L1", date(2026, 12, 31), "L1"),
        ("$$2053126L1", date(2026, 5, 31), "L1"),  # MMDDYY
        ("$$3260531L1", date(2026, 5, 31), "L1"),  # YYMMDD
        ("$$426053123L1", date(2026, 5, 31), "L1"),  # YYMMDDHH
        ("$$526151L1", date(2026, 5, 31), "L1"),  # YYJJJ
        ("$$62615100L1", date(2026, 5, 31), "L1"),  # YYJJJHH
        ("$$7L1", None, "L1"),  # no date
        ("26151L1", date(2026, 5, 31), "L1"),  # five-digit Julian lead
        ("$L1", None, "L1"),
    ],
)
def test_every_date_flag(secondary: str, expiry: date | None, lot: str) -> None:
    code = read(sealed(f"+A999T1/{secondary}"))
    assert code.valid, code.issues
    assert (code.expiry, code.lot) == (expiry, lot)


@pytest.mark.parametrize(
    ("secondary", "quantity", "expiry", "lot"),
    [
        ("$$8123260503LOT", 12, date(2026, 5, 3), "LOT"),
        ("$$9005003260531LOT", 500, date(2026, 5, 31), "LOT"),
        ("$$8127LOT", 12, None, "LOT"),
        ("$$812LOT", 12, None, "LOT"),  # BWIPP: the date is optional after a quantity
    ],
)
def test_quantity_flags(secondary: str, quantity: int, expiry: date | None, lot: str) -> None:
    code = read(sealed(f"+A999T1/{secondary}"))
    assert code.valid, code.issues
    assert (code.quantity, code.expiry, code.lot) == (quantity, expiry, lot)


def test_serial_leads() -> None:
    code = read(sealed("+A999T1/$+SER123"))
    assert (code.serial, code.lot) == ("SER123", None)
    code = read(sealed("+A999T1/$$+3260531SER123"))
    assert (code.serial, code.expiry) == ("SER123", date(2026, 5, 31))
    code = read(sealed("+A999T1/$$+8053260531SER123"))  # BWIPP allows a quantity here too
    assert (code.serial, code.quantity) == ("SER123", 5)


def test_lot_line_and_serial_line_in_one_code() -> None:
    code = read(sealed("+A999T1/$$3260531LOT1/$+SER1/16D20250101"))
    assert code.valid
    assert (code.lot, code.serial, code.production_date) == ("LOT1", "SER1", date(2025, 1, 1))


# --------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize(
    ("data", "error", "kind"),
    [
        ("+A999T1/$$3261301L1", "hibc.bad_date", Kind.CHECK),  # month 13
        ("+A999T1/$$3260532L1", "hibc.bad_date", Kind.CHECK),  # day 32
        ("+A999T1/$$3250229L1", "hibc.bad_date", Kind.CHECK),  # 2025 is no leap year
        ("+A999T1/$$525367L1", "hibc.bad_date", Kind.CHECK),  # Julian day 367
        ("+A999T1/$$525366L1", "hibc.bad_date", Kind.CHECK),  # day 366 of a common year
        ("+A999T1/25000L1", "hibc.bad_date", Kind.CHECK),  # Julian day 000
        ("+A999T1/$$1326L1", "hibc.bad_date", Kind.CHECK),  # MMYY month 13
        ("+A999T1/$$426053124L1", "hibc.bad_date", Kind.CHECK),  # hour 24
        ("+A999T1/$$62615124L1", "hibc.bad_date", Kind.CHECK),  # hour 24
        ("+A999T1/16D20251301", "hibc.bad_date", Kind.CHECK),
        ("+A999T1/14D2025013", "hibc.bad_date", Kind.CHECK),  # 7 digits
        ("+A999T1/16D00000101", "hibc.bad_date", Kind.CHECK),  # year 0000
        ("+A999T1/$$3260A31L1", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/$$32605", "hibc.secondary_structure", Kind.SYNTAX),  # truncated date
        ("+A999T1/$$8", "hibc.secondary_structure", Kind.SYNTAX),  # truncated quantity
        ("+A999T1/$$9123L1", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/$$ABC", "hibc.secondary_structure", Kind.SYNTAX),  # no date flag
        ("+A999T1/$$", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/$", "hibc.secondary_structure", Kind.SYNTAX),  # '$' with no lot
        ("+A999T1/$+", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/$$7", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/2601L1", "hibc.secondary_structure", Kind.SYNTAX),  # 4-digit lead
        ("+A999T1/$L1//16D20250101", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/S", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/Q12A", "hibc.secondary_structure", Kind.SYNTAX),
        ("+A999T1/$LOT-1", "hibc.field_character", Kind.CHECK),
        ("+A999T1/$LOT 1", "hibc.field_character", Kind.CHECK),
        ("+A999T1/$LOT1234567890ABCDEFG", "hibc.field_length", Kind.CHECK),  # 19
        ("+A999T1/26151LOT4567890ABCD", "hibc.field_length", Kind.CHECK),  # 14 after Julian
        ("+A999T1/$+S1/SS2", "hibc.duplicate", Kind.CHECK),
        ("+A999T1/$$3260531L1/14D20260601", "hibc.duplicate", Kind.CHECK),
        ("+A999T1/$$812L1/Q13", "hibc.duplicate", Kind.CHECK),
        ("+A99T1", "hibc.primary_structure", Kind.SYNTAX),  # primary too short
        ("+A999PCN45678901234567890", "hibc.primary_structure", Kind.SYNTAX),  # PCN 19
        ("+A999T", "hibc.primary_structure", Kind.SYNTAX),  # unit of measure not a digit
        ("+$$", "hibc.secondary_structure", Kind.SYNTAX),
        ("+-ABC", "hibc.bad_lead", Kind.SYNTAX),
    ],
)
def test_malformed_is_reported_with_the_right_kind(data: str, error: str, kind: Kind) -> None:
    code = read(sealed(data))  # the check is right, so only the defect under test remains
    assert error in error_codes(code), code.issues
    first = next(i for i in code.errors if i.code == error)
    assert first.kind is kind
    assert first.position is not None
    if kind is Kind.SYNTAX:
        assert code.status is Status.UNPARSEABLE
        assert (code.di, code.lot, code.serial, code.expiry) == (None, None, None, None)
    else:
        assert code.status is Status.CHECK_FAILED
    assert_coherent(code)


@pytest.mark.parametrize(
    ("scan", "error", "position"),
    [
        ("+A123bJC5D6E71G", "hibc.bad_character", 5),  # Caps Lock
        ("+A123BJC5D6E71G_", "hibc.bad_character", 15),
        ("+A99912345/$$52001510X3\x1d16D20111212/S77DEFG45/", "hibc.bad_character", 23),
        ("+A", "hibc.too_short", None),
        ("*+A123BJC5D6E71G", "hibc.bad_character", 0),  # asterisk on one side only
        ("+A123BJC5D6E71G*", "hibc.bad_character", 15),
    ],
)
def test_characters_outside_the_set(scan: str, error: str, position: int | None) -> None:
    code = read(scan)
    assert code.status is Status.UNPARSEABLE
    assert error_codes(code) == [error]
    assert code.errors[0].position == position


def test_wrong_check_and_truncation() -> None:
    assert error_codes(read("+A123BJC5D6E71H")) == ["hibc.check_character"]
    truncated = read("+A123BJC5D6E71")  # check lost: '1' is read as the check, '7' as U/M
    assert error_codes(truncated) == ["hibc.check_character"]
    assert error_codes(read("+A99912349/$10X3/16D20111231/14D2020013Z")) == [
        "hibc.bad_date",
        "hibc.check_character",
    ]


def test_pair_errors_name_the_failing_label() -> None:
    code = read("+A123BJC5D6E71G+$$52001510X3+ ")  # secondary of another primary
    assert error_codes(code) == ["hibc.link_mismatch"]
    assert code.errors[0].position == 28
    code = read("+A123BJC5D6E71H+$$52001510X3HE")  # primary misread, link follows it
    assert "hibc.check_character" in error_codes(code)
    assert code.errors[0].position == 14


def test_unknown_supplement_is_kept_with_a_note() -> None:
    code = read(sealed("+A999T1/$L1/1TXYZ"))
    assert code.valid
    assert code.fields["supplement"] == "1TXYZ"
    assert [w.code for w in code.warnings] == ["hibc.unknown_supplement"]


def test_scan_issues_come_first() -> None:
    code = parse_hibc(normalize("+A123BJC5D6E71{GS}", CONFIG))
    assert code.issues[0].code == "scan.substitute_mapped"
    assert "hibc.bad_character" in error_codes(code)


# --------------------------------------------------------------------------- combine_hibc


def test_combine_two_scans_equals_one_scan_of_both() -> None:
    primary, secondary = read("+A123BJC5D6E71G"), read("+$$52001510X3GD")
    joined = combine_hibc(primary, secondary)
    assert joined.valid
    assert (joined.di, joined.lot, joined.expiry) == ("A123BJC5D6E71", "10X3", date(2020, 1, 15))
    one_scan = read("+A123BJC5D6E71G+$$52001510X3GD")
    assert joined.text == one_scan.text
    assert joined.fields == one_scan.fields
    assert [e.start for e in joined.elements] == [e.start for e in one_scan.elements]
    assert joined.raw == primary.raw + secondary.raw
    assert_coherent(joined)


def test_combine_refuses_a_foreign_secondary() -> None:
    joined = combine_hibc(read("+A123BJCMD6E79+"), read("+$$52001510X3GD"))
    assert error_codes(joined) == ["hibc.link_mismatch"]
    assert joined.errors[0].position == len("+A123BJCMD6E79+") + 13


def test_combine_refuses_wrong_order_and_non_labels() -> None:
    primary, secondary = read("+A123BJC5D6E71G"), read("+$$52001510X3GD")
    swapped = combine_hibc(secondary, primary)
    assert error_codes(swapped) == ["hibc.not_a_primary", "hibc.not_a_secondary"]
    assert swapped.lot is None
    concatenated = read("+A99912349/$10X3/16D20111231/14D20200131/Q500Z")
    assert error_codes(combine_hibc(concatenated, secondary)) == ["hibc.not_a_primary"]
    joined = combine_hibc(primary, read("+$$A12"))
    assert "hibc.not_a_secondary" in error_codes(joined)
    assert joined.status is Status.UNPARSEABLE


def test_combine_keeps_check_failures_of_either_label() -> None:
    joined = combine_hibc(read("+A123BJC5D6E71G"), read("+$$52001510X3GE"))
    assert error_codes(joined) == ["hibc.check_character"]
    assert joined.errors[0].position == 15 + 14


# --------------------------------------------------------------------------- properties

ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = "0123456789" + ALPHA
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2075, 12, 31))


def _julian(day: date) -> str:
    return f"{day:%y}{day.timetuple().tm_yday:03d}"


@st.composite
def dated(draw: st.DrawFn) -> tuple[str, date | None]:
    """A date field after '$$' (flag + digits) and the expiry it must read as."""
    flag = draw(st.sampled_from("0234567"))
    if flag == "7":
        return "7", None
    day = draw(days)
    hour = f"{draw(st.integers(0, 23)):02d}"
    if flag == "0":  # MMYY: the flag is the month's first digit
        last = calendar.monthrange(day.year, day.month)[1]
        return f"{day:%m%y}", day.replace(day=last)
    digits = {
        "2": f"{day:%m%d%y}",
        "3": f"{day:%y%m%d}",
        "4": f"{day:%y%m%d}{hour}",
        "5": _julian(day),
        "6": _julian(day) + hour,
    }[flag]
    return flag + digits, day


@st.composite
def secondaries(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """Secondary data (no '+', link or check) and the fields it must read as."""
    lead = draw(st.sampled_from(["julian", "$", "$+", "$$", "$$+"]))
    expected: dict[str, object] = {}
    if lead == "julian":
        day = draw(days)
        lot = draw(st.text(ALNUM, max_size=13))
        expected["expiry"] = day
        if lot:
            expected["lot"] = lot
        return _julian(day) + lot, expected
    value = draw(st.text(ALNUM, min_size=1, max_size=18))
    expected["serial" if lead.endswith("+") else "lot"] = value
    if lead in ("$", "$+"):
        return lead + value, expected
    quantity = ""
    if draw(st.booleans()):
        amount = draw(st.integers(0, 99999))
        quantity = f"8{amount:02d}" if amount < 100 else f"9{amount:05d}"
        expected["quantity"] = amount
    date_field, expiry = draw(dated())
    if expiry is not None:
        expected["expiry"] = expiry
    return lead + quantity + date_field + value, expected


@st.composite
def supplements(draw: st.DrawFn, have: dict[str, object]) -> tuple[list[str], dict[str, object]]:
    fields: list[str] = []
    expected: dict[str, object] = {}
    if draw(st.booleans()):
        day = draw(days)
        fields.append(f"16D{day:%Y%m%d}")
        expected["production_date"] = day
    if "expiry" not in have and draw(st.booleans()):
        day = draw(days)
        fields.append(f"14D{day:%Y%m%d}")
        expected["expiry"] = day
    if "serial" not in have and draw(st.booleans()):
        serial = draw(st.text(ALNUM, min_size=1, max_size=18))
        fields.append("S" + serial)
        expected["serial"] = serial
    if "quantity" not in have and draw(st.booleans()):
        amount = draw(st.integers(0, 99999))
        fields.append(f"Q{amount}")
        expected["quantity"] = amount
    return draw(st.permutations(fields)), expected


@st.composite
def hibc_codes(draw: st.DrawFn) -> tuple[list[str], dict[str, object]]:
    """One or two scans of a correct HIBC code and the fields they must read as."""
    lic = draw(st.sampled_from(ALPHA)) + draw(st.text(ALNUM, min_size=3, max_size=3))
    di = lic + draw(st.text(ALNUM, min_size=1, max_size=18)) + draw(st.sampled_from("0123456789"))
    primary = sealed("+" + di)
    shape = draw(st.sampled_from(["primary", "concatenated", "pair", "two scans", "secondary"]))
    if shape == "primary":
        return [primary], {"di": di}
    secondary, expected = draw(secondaries())
    extra, more = draw(supplements(expected))
    expected |= more
    data = "/".join([secondary, *extra])
    if shape == "concatenated":
        return [sealed(f"+{di}/{data}")], expected | {"di": di}
    label = sealed(f"+{data}{primary[-1]}")
    if shape == "secondary":
        return [label], expected
    scans = [primary + label] if shape == "pair" else [primary, label]
    return scans, expected | {"di": di}


FIELDS = ("di", "lot", "serial", "expiry", "production_date", "quantity")


@settings(max_examples=400, deadline=None)
@given(hibc_codes())
def test_round_trip_of_generated_codes(case: tuple[list[str], dict[str, object]]) -> None:
    scans, expected = case
    codes = [read(scan) for scan in scans]
    code = codes[0] if len(codes) == 1 else combine_hibc(codes[0], codes[1])
    assert code.valid, (scans, code.issues)
    assert {name: getattr(code, name) for name in FIELDS} == {
        name: expected.get(name) for name in FIELDS
    }
    assert_coherent(code)


@settings(max_examples=500, deadline=None)
@given(hibc_codes(), st.data())
def test_a_single_misread_letter_or_digit_is_never_accepted(
    case: tuple[list[str], dict[str, object]], data: st.DataObject
) -> None:
    """Every letter or digit is under a mod-43 check that catches any single substitution.

    Letters and digits never decide the code's shape (the '+', '/' and '$' do), so a misread
    one is always caught. A misread structure character can in principle form another shape
    whose checks happen to pass; the structure rules make that rare, not impossible.
    """
    scan = "".join(case[0])
    positions = [i for i, char in enumerate(scan) if char in ALNUM]
    index = data.draw(st.sampled_from(positions))
    other = data.draw(st.sampled_from(ALNUM.replace(scan[index], "")))
    code = read(scan[:index] + other + scan[index + 1 :])
    assert not code.valid, (scan, index, other)


def test_an_uninterpreted_supplement_cannot_swallow_structure_characters() -> None:
    # A pair whose PCN character was misread as '/' would read as a concatenated code with a
    # supplement "7G+$$…": refused whatever the check character says.
    code = read(sealed("+A12345/7G+$$52001510X3G"))
    assert "hibc.field_character" in error_codes(code)
    assert not code.valid


LEADS = ["+", "+$", "+$$", "+$$+", "+A", "+A999", "*+", "+/", "+2"]
JUNK = MOD43_ALPHABET + "abc*_#\x1d\x1e\x04\r\n\t\u00e9"


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(LEADS), st.text(JUNK, max_size=60))
def test_random_text_never_raises(lead: str, body: str) -> None:
    code = read(lead + body)
    assert code.scheme is Scheme.HIBC
    assert code.valid or code.errors
    assert_coherent(code)
