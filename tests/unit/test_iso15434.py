"""ISO/IEC 15434 envelopes: IFA PPN (format 06) and GS1 (format 05)."""

from __future__ import annotations

import json
import sys
import types
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.udi.iso15434 import parse_envelope
from station.udi.model import Draft, IssueType, Kind, ParsedCode, Scheme, Severity, Status
from station.udi.normalize import EOT, GS, RS, ReaderConfig, ScanInput, normalize
from station.udi.ppn import CSET82, ppn_check_digits, ppn_expiry
from tests.unit.readings import assert_coherent, assert_refused, error_codes

# Substitutes outside GS1 set 82, so none can occur in a real lot.
CONFIG = ReaderConfig(
    gs_substitutes=("{GS}",),
    rs_substitutes=("{RS}",),
    eot_substitutes=("{EOT}",),
    today=date(2026, 11, 24),
)
HEAD, TAIL = f"[)>{RS}06{GS}", f"{RS}{EOT}"
VECTORS = json.loads(
    (Path(__file__).parents[1] / "data" / "barcodeparserbuilder_ppn.json").read_text("utf-8")
)


def read(text: str) -> ParsedCode:
    return parse_envelope(normalize(text, CONFIG))


def envelope(*fields: str) -> str:
    return HEAD + GS.join(fields) + TAIL


def warning_codes(code: ParsedCode) -> list[str]:
    return [i.code for i in code.warnings]


# --------------------------------------------------------------------------- PPN rules


@pytest.mark.parametrize(
    "ppn",
    ["111234568408", "111234567842", "110375286414"],  # codes.md; securPharm 4.2 and 5.2.1
)
def test_ppn_check_digits(ppn: str) -> None:
    assert ppn_check_digits(ppn[:-2]) == ppn[-2:]


def test_expiry_day_00_is_the_whole_month_in_this_century() -> None:
    assert ppn_expiry("210600") == date(2021, 6, 30)  # securPharm 5.2.4
    assert ppn_expiry("240200") == date(2024, 2, 29)
    assert ppn_expiry("990101") == date(2099, 1, 1)  # always 2000-2099, never 1999


# --------------------------------------------------------------------------- examples


def test_codes_md_example() -> None:
    code = read(envelope("9N111234568408", "1TANDSOMEBatchNumber20", "SHASERIAL12385", "D201220"))
    assert code.scheme is Scheme.PPN
    assert code.valid, code.issues
    assert (code.di, code.gtin) == ("111234568408", None)
    assert (code.lot, code.serial, code.expiry) == (
        "ANDSOMEBatchNumber20",
        "HASERIAL12385",
        date(2020, 12, 20),
    )
    assert code.fields["9N"] == "111234568408"
    assert code.elements[0].interpretation == "PZN 12345684"
    assert_coherent(code)


def test_securpharm_examples() -> None:
    single = read(envelope("9N111234567842", "1T1A234B5", "D151231", "S1234567890123456"))
    assert single.valid
    assert (single.di, single.lot, single.serial, single.expiry) == (
        "111234567842",
        "1A234B5",
        "1234567890123456",
        date(2015, 12, 31),
    )
    multi_market = read(
        envelope(
            "9N111234567842",
            "S1234567890ABCD",
            "1T1234AB",
            "D210600",
            "8P08701234567896",
            "8P03400912345676",
        )
    )
    assert multi_market.valid, multi_market.issues
    assert (multi_market.di, multi_market.gtin) == ("111234567842", "08701234567896")
    assert multi_market.expiry == date(2021, 6, 30)
    assert warning_codes(multi_market) == ["ppn.several_gtins"]
    expiry = next(e for e in multi_market.elements if e.key == "D")
    assert expiry.interpretation == "2021-06 (month only; read as the last day, 2021-06-30)"


def test_quantity_manufacture_date_and_unknown_identifiers() -> None:
    code = read(envelope("9N111234568408", "Q25", "16D20250131", "33Lhttp://x.example"))
    assert code.valid
    assert (code.quantity, code.production_date) == (25, date(2025, 1, 31))
    assert code.fields["33L"] == "http://x.example"
    assert warning_codes(code) == ["ppn.unknown_identifier"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: repr(v["scan"][:30]))
def test_barcodeparserbuilder_vectors(vector: dict[str, str]) -> None:
    code = read(vector["scan"])
    assert code.status.value == vector["status"], code.issues
    if "error" in vector:
        assert vector["error"] in error_codes(code)
    if "warning" in vector:
        assert vector["warning"] in warning_codes(code)
    if "expected_check" in vector:
        wrong = next(i for i in code.errors if i.code == "ppn.check_digits")
        assert ("expected", vector["expected_check"]) in wrong.params
    for name in ("di", "gtin", "lot", "serial"):
        if name in vector:
            assert getattr(code, name) == vector[name]
    for name in ("expiry", "production_date"):
        if name in vector:
            assert getattr(code, name) == date.fromisoformat(vector[name])
    assert_coherent(code)


# --------------------------------------------------------------------------- the envelope


def test_lost_trailer_is_a_warning_not_a_failure() -> None:
    data = f"{HEAD}9N111234568408{GS}1TLOT1"
    for text, missing in [(data, "RS EOT"), (data + RS, "EOT"), (data + EOT, "RS")]:
        code = read(text)
        assert code.valid, (text, code.issues)
        assert code.lot == "LOT1"
        assert warning_codes(code) == ["iso15434.missing_trailer"]
        assert ("missing", missing) in code.warnings[0].params


@pytest.mark.parametrize(
    ("text", "error", "position"),
    [
        (f"{HEAD}9N111234568408{TAIL}X", "iso15434.trailing_data", 23),
        (f"{HEAD}9N111234568408{RS}X", "iso15434.trailing_data", 22),
        (f"{HEAD}9N111234568408{EOT}{RS}", "iso15434.trailing_data", 22),
        (f"{HEAD}9N111234568408{RS}05{GS}0104012345123456{TAIL}", "iso15434.several_formats", 22),
        (f"[)>{RS}12{GS}ABC{TAIL}", "iso15434.unsupported_format", 4),
        (f"[)>{RS}6{GS}9N111234568408{TAIL}", "iso15434.bad_header", 5),  # one format digit
        (f"[)>{RS}069N111234568408{TAIL}", "iso15434.bad_header", 6),  # GS lost
        (f"[)>{GS}06{GS}9N111234568408{TAIL}", "iso15434.bad_header", 3),
    ],
)
def test_envelope_errors(text: str, error: str, position: int) -> None:
    code = read(text)
    assert code.status is Status.UNPARSEABLE
    assert error in error_codes(code)
    assert next(i for i in code.errors if i.code == error).position == position
    assert (code.di, code.lot) == (None, None)


# --------------------------------------------------------------------------- malformed fields


@pytest.mark.parametrize(
    ("fields", "error", "kind"),
    [
        (["9N111234568415"], "ppn.check_digits", Kind.CHECK),
        (["9N111234568480"], "ppn.check_digits", Kind.CHECK),  # digits swapped
        (["9N11123456840A"], "ppn.bad_value", Kind.CHECK),
        (["9N111"], "ppn.bad_value", Kind.CHECK),
        (["9N11123456789012345678901"], "ppn.bad_value", Kind.CHECK),  # 23 characters
        (["9N1112345684o8"], "ppn.bad_value", Kind.CHECK),  # lowercase
        (["8P03574661451948"], "ppn.gtin_check_digit", Kind.CHECK),
        (["8P0357466145194"], "ppn.bad_value", Kind.CHECK),
        (["9N111234568408", "D201301"], "ppn.bad_date", Kind.CHECK),  # month 13
        (["9N111234568408", "D200230"], "ppn.bad_date", Kind.CHECK),  # 30 February
        (["9N111234568408", "D201232"], "ppn.bad_date", Kind.CHECK),  # day 32
        (["9N111234568408", "D2012"], "ppn.bad_date", Kind.CHECK),
        (["9N111234568408", "16D20201200"], "ppn.bad_date", Kind.CHECK),  # no day 00 here
        (["9N111234568408", "16D00000101"], "ppn.bad_date", Kind.CHECK),  # year 0000
        (["9N111234568408", "1T"], "ppn.bad_value", Kind.CHECK),
        (["9N111234568408", "1TLOT 1"], "ppn.bad_value", Kind.CHECK),  # space not in set 82
        (["9N111234568408", "SABC#1"], "ppn.bad_value", Kind.CHECK),
        (["9N111234568408", "Q1A"], "ppn.bad_value", Kind.CHECK),
        (["9N111234568408", "lot"], "ppn.bad_field", Kind.SYNTAX),
        (["9N111234568408", "1234"], "ppn.bad_field", Kind.SYNTAX),
        (["9N111234568408", "1TA", "1TB"], "ppn.duplicate", Kind.CHECK),
        (["9N111234568408", "9N111234567842"], "ppn.duplicate", Kind.CHECK),
        (["1TLOT1", "SSER1"], "ppn.no_product_code", Kind.CHECK),
    ],
)
def test_malformed_fields(fields: list[str], error: str, kind: Kind) -> None:
    assert_refused(read(envelope(*fields)), error, kind)


def test_check_digit_error_points_at_the_digits() -> None:
    code = read(envelope("1TLOT", "9N111234568415"))
    assert code.errors[0].position == len(HEAD) + len("1TLOT") + 1 + 2 + 10
    assert ("expected", "08") in code.errors[0].params


def test_repeated_identical_field_and_empty_fields() -> None:
    code = read(HEAD + f"9N111234568408{GS}{GS}1TLOT{GS}1TLOT{GS}" + TAIL)
    assert code.valid
    assert code.lot == "LOT"
    assert warning_codes(code) == ["ppn.empty_field", "ppn.empty_field"]


def test_scan_issues_come_first() -> None:
    code = parse_envelope(normalize("[)>{RS}06{GS}9N111234568408{RS}{EOT}", CONFIG))
    assert code.valid
    assert code.issues[0].code == "scan.substitute_mapped"


# --------------------------------------------------------------------------- format 05 (GS1)

# Built directly, not with define(): a test must not add codes to the shared catalogue.
FAKE_NOTE = IssueType("gs1.fake_note", Kind.NOTE, Severity.WARNING, "A fake GS1 reader note.")


def _fake_gs1(scan: ScanInput, extra_issues: tuple[object, ...] = ()) -> ParsedCode:
    """A stand-in GS1 reader: one element at the start of its text and one note at index 2."""
    draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.GS1, [], list(scan.issues))
    draft.add("01", "GTIN", scan.text[2:16], 2)
    draft.report(FAKE_NOTE, 2)
    return draft.finish(di=scan.text[2:16], gtin=scan.text[2:16])


def test_format05_positions_index_into_the_whole_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("station.udi.gs1")
    fake.parse_element_string = _fake_gs1  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "station.udi.gs1", fake)
    text = f"[)>{RS}05{GS}0104012345123456{RS}"
    code = parse_envelope(normalize("]d1" + text, CONFIG))
    assert code.text == text
    assert code.symbology == "]d1"
    assert code.elements[0].start == 9
    assert text[9:23] == "04012345123456"
    assert [(i.code, i.position) for i in code.issues] == [
        ("iso15434.missing_trailer", len(text)),
        ("gs1.fake_note", 9),
    ]
    assert code.raw == ("]d1" + text).encode()


def test_format05_with_the_gs1_reader() -> None:
    pytest.importorskip("station.udi.gs1_validate")  # the GS1 reader is written alongside
    text = f"[)>{RS}05{GS}0104012345123456{GS}17261231{GS}10LOT-A1{RS}{EOT}"
    code = read(text)
    assert code.scheme is Scheme.GS1
    assert code.valid, code.issues
    assert (code.gtin, code.lot, code.expiry) == ("04012345123456", "LOT-A1", date(2026, 12, 31))
    assert code.text == text
    assert_coherent(code)
    broken = read(f"[)>{RS}05{GS}0104012345123457{RS}{EOT}")
    assert broken.errors[0].position == 7 + 15  # the GTIN's check digit, in the whole scan


# --------------------------------------------------------------------------- properties

SET82 = "".join(sorted(CSET82))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def ppn_codes(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    body = "11" + draw(st.text("0123456789", min_size=8, max_size=8))
    ppn = body + ppn_check_digits(body)
    fields = [f"9N{ppn}"]
    expected: dict[str, object] = {"di": ppn}
    if draw(st.booleans()):
        lot = draw(st.text(SET82, min_size=1, max_size=20))
        fields.append("1T" + lot)
        expected["lot"] = lot
    if draw(st.booleans()):
        serial = draw(st.text(SET82, min_size=1, max_size=20))
        fields.append("S" + serial)
        expected["serial"] = serial
    if draw(st.booleans()):
        day = draw(days)
        if draw(st.booleans()):
            fields.append(f"D{day:%y%m}00")
            expected["expiry"] = ppn_expiry(f"{day:%y%m}00")
        else:
            fields.append(f"D{day:%y%m%d}")
            expected["expiry"] = day
    if draw(st.booleans()):
        day = draw(days)
        fields.append(f"16D{day:%Y%m%d}")
        expected["production_date"] = day
    return envelope(*draw(st.permutations(fields))), expected


@settings(max_examples=300, deadline=None)
@given(ppn_codes())
def test_round_trip_of_generated_codes(case: tuple[str, dict[str, object]]) -> None:
    text, expected = case
    code = read(text)
    assert code.valid, (text, code.issues)
    for name in ("di", "lot", "serial", "expiry", "production_date"):
        assert getattr(code, name) == expected.get(name)
    assert_coherent(code)


@settings(max_examples=300, deadline=None)
@given(ppn_codes(), st.data())
def test_a_single_misread_ppn_character_is_never_accepted(
    case: tuple[str, dict[str, object]], data: st.DataObject
) -> None:
    text = case[0]
    start = text.index(GS + "9N") + 3  # the field, not a "9N" inside a lot
    index = data.draw(st.integers(start, start + 11))
    other = data.draw(
        st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".replace(text[index], ""))
    )
    code = read(text[:index] + other + text[index + 1 :])
    assert not code.valid
    assert "ppn.check_digits" in error_codes(code) or "ppn.bad_value" in error_codes(code)


LEADS = [f"[)>{RS}06{GS}", f"[)>{RS}05{GS}", f"[)>{RS}", f"[)>{RS}06{GS}9N", "[)>"]
JUNK = SET82 + f"{GS}{RS}{EOT} \r\n\u00e9"


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(LEADS), st.text(JUNK, max_size=60))
def test_random_text_never_raises(lead: str, body: str) -> None:
    code = read(lead + body)
    assert code.valid or code.errors
    assert_coherent(code)
