"""Regression tests from an adversarial review of the code reader (one test per bug found).

Each test names the input that was read wrongly and what the standard (or the station's own
documented decision) says it must give.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.errors import BuildError
from station.udi import ParsedCode, ReaderConfig, Scheme, Status, gs1_validate, read_scan
from station.udi import digital_link as dl_module
from station.udi.build import digital_link_of, element_string_of, hri_of
from station.udi.checks import mod43_check
from station.udi.gs1_table import AI_LENGTH_BY_PREFIX, AI_TABLE
from station.udi.gs1_validate import find_hidden_elements
from station.udi.hibc import combine_hibc
from station.udi.model import Kind

# Long inputs must reach the parsers: the quadratic-work tests use sites' largest limit.
CONFIG = ReaderConfig(today=date(2026, 11, 24), max_length=8192)
GS, RS, EOT = "\x1d", "\x1e", "\x04"
HEAD05 = f"[)>{RS}05{GS}"
HEAD06 = f"[)>{RS}06{GS}"
TAIL = f"{RS}{EOT}"


def read(scan: str | bytes) -> ParsedCode:
    return read_scan(scan, CONFIG)


def record(code: ParsedCode) -> tuple[object, ...]:
    return (
        code.di,
        code.gtin,
        code.sscc,
        code.lot,
        code.serial,
        code.expiry,
        code.production_date,
        code.quantity,
    )


EMPTY = (None,) * 8


# --------------------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    "scan",
    [
        # element string: an unknown AI after the lot stops reading; the lot may be cut short
        f"]d2010401234512345610ABC{GS}2Z",
        f"]d2010401234512345610ABC{GS}{RS}",
        # HRI: an unescaped '(' inside the lot makes the rest unreadable ("LOT(1)" or "LOT"?)
        "(01)04012345123456(10)LOT(1)",
        "(01)04012345123456(10)ABC(9999)X",
        # format-05 envelope: the same element string inside ISO/IEC 15434
        f"{HEAD05}010401234512345610ABC{GS}2Z{TAIL}",
    ],
)
def test_gs1_syntax_error_leaves_every_record_field_empty(scan: str) -> None:
    """docs/code-reader.md: a reading that cannot be split keeps its record fields empty."""
    code = read(scan)
    assert code.status is Status.UNPARSEABLE
    assert record(code) == EMPTY, record(code)
    assert any(e.key == "10" for e in code.elements)  # the elements still show what was found


# --------------------------------------------------------------------------- quadratic work


def _brute_tail(value: str, pos: int, reference: date) -> tuple[tuple[str, str], ...] | None:
    found: list[tuple[str, str]] = []
    while pos < len(value):
        length = AI_LENGTH_BY_PREFIX.get(value[pos : pos + 2])
        spec = AI_TABLE.get(value[pos : pos + length]) if length else None
        if spec is None:
            return None
        start = pos + len(spec.ai)
        if spec.fixed:
            end = start + spec.max_length
            if end > len(value):
                return None
        elif found and start < len(value) <= start + spec.max_length:
            end = len(value)
        else:
            return None
        piece = value[start:end]
        if gs1_validate._first_fault(spec, piece, reference) is not None:
            return None
        found.append((spec.ai, piece))
        pos = end
    return tuple(found) or None


def _brute_force_hidden(
    value: str, reference: date, *, terminated: bool = False, shortest: int = 1
) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """The original, obviously correct search: try every offset, read the tail from scratch."""
    for offset in range(max(1, shortest), len(value) - 3):
        found = _brute_tail(value, offset, reference)
        if found and not (terminated and AI_TABLE[found[-1][0]].fixed):
            return offset, found
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["17261231", "15210526", "10", "21", "1", "0", "A", "3103000195", "99X"]),
        max_size=8,
    ).map("".join),
    st.booleans(),
    st.integers(min_value=1, max_value=20),
)
def test_hidden_element_search_finds_what_the_brute_force_finds(
    value: str, terminated: bool, shortest: int
) -> None:
    reference = date(2026, 1, 1)
    expected = _brute_force_hidden(value, reference, terminated=terminated, shortest=shortest)
    found = find_hidden_elements(value, reference, terminated=terminated, shortest=shortest)
    assert found == expected


def test_hidden_element_search_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 8 KB lot of repeated '17261231' took over a second (every offset re-read the tail)."""
    calls = 0
    original = gs1_validate._first_fault

    def counting(*args: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(gs1_validate, "_first_fault", counting)
    scan = "]d20104012345123456" + "10" + ("17261231" * 1100)[:8150]
    code = read(scan)
    assert code.status is Status.CHECK_FAILED  # far too long for a lot
    assert calls < 4 * len(scan), calls


def test_digital_link_query_checks_do_not_grow_with_path_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """800 path qualifiers and 300 query AIs took ~2 s: every query AI was tried at every cut."""
    calls = 0
    original = dl_module.valid_key_path

    def counting(ais: list[str]) -> bool:
        nonlocal calls
        calls += 1
        return original(ais)

    monkeypatch.setattr(dl_module, "valid_key_path", counting)
    attributes = [
        ai for ai, spec in AI_TABLE.items() if spec.dl_attr and ai not in ("01", "10", "21", "22")
    ][:300]
    uri = (
        "https://a/01/04012345123456" + "/10/A" * 800 + "?" + "&".join(f"{a}=1" for a in attributes)
    )
    code = read(uri)
    assert code.scheme is Scheme.GS1_DIGITAL_LINK
    assert "dl.qualifier_order" in [i.code for i in code.errors]
    assert calls < 10 * len(attributes), calls


def test_digital_link_query_qualifier_still_belongs_in_path() -> None:
    code = read("https://a/01/04012345123456?10=ABC")
    assert "dl.belongs_in_path" in [i.code for i in code.errors]
    ok = read("https://a/01/04012345123456/235/XYZ?10=ABC")
    assert ok.valid, ok.issues


# --------------------------------------------------------------------------- control characters

_CONTROL_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in _CONTROL_CATEGORIES]


@pytest.mark.parametrize(
    ("scan", "issue"),
    [
        # GS, RS and EOT pass the scan gate (ISO/IEC 15434 needs them); so do U+2028 LINE
        # SEPARATOR and U+00AD SOFT HYPHEN, which are invisible or break a log line.
        (f"]d2010401234512345610ABC{GS}{RS}", "gs1.unknown_ai"),
        (f"]d20104012345123456{EOT}", "gs1.unknown_ai"),
        (f"]E4{GS}{RS}{EOT}", "gs1.bad_ean"),
        (f"=/A9999XYZ100T0944={RS}", "isbt.unknown_identifier"),
        (f"]d20104012345123456{GS}10A\u2028{GS}10B", "gs1.conflicting_ai"),
        ("]d2010401234512345610\u00ad15210526", "gs1.separator_missing"),
    ],
)
def test_issue_messages_never_embed_raw_control_characters(scan: str, issue: str) -> None:
    code = read(scan)
    found = [i for i in code.issues if i.code == issue]
    assert found, code.issues
    for item in code.issues:
        assert not _raw_controls(item.message), (item.code, item.message)


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(["", "]d2", "]E0", "]E4", "(01)", "=", "=/", "+", HEAD05, HEAD06, "MA."]),
    st.text(alphabet="0123456789AZaz=/+$()\x1d\x1e\x04\r\n\t\x7f\x85\u2028\u00ad", max_size=40),
)
def test_no_reader_message_carries_a_control_character(lead: str, body: str) -> None:
    for item in read(lead + body).issues:
        assert not _raw_controls(item.message), (item.code, item.message)


# --------------------------------------------------------------------------- moved positions


def _at_matches_position(code: ParsedCode) -> None:
    for item in code.issues:
        params = dict(item.params)
        if item.position is not None and "at" in params:
            assert int(params["at"]) == item.position + 1, item
            assert str(item.position + 1) in item.message, item.message


@pytest.mark.parametrize(
    "scan",
    [
        f"{HEAD05}0104012345123456{GS}10ABC{GS}17261299{TAIL}",
        f"{HEAD05}{GS}0104012345123456{GS}{GS}10ABC{TAIL}",
        f"{HEAD05}0104012345123457{GS}10A#{TAIL}",
    ],
)
def test_format05_messages_count_characters_of_the_whole_scan(scan: str) -> None:
    """The issue moved into the envelope, but its message still named the inner position."""
    code = read(scan)
    assert code.issues
    _at_matches_position(code)


def test_combined_hibc_messages_count_characters_of_the_joined_text() -> None:
    primary, secondary = read("+A123BJC5D6E71G"), read("+$$52001510X3GE")
    joined = combine_hibc(primary, secondary)
    assert [i.code for i in joined.errors] == ["hibc.check_character"]
    _at_matches_position(joined)
    two_lots = "+$10X3/$20X4G"  # two different lots, link G
    duplicate = combine_hibc(primary, read(two_lots + mod43_check(two_lots)))
    found = [i for i in duplicate.issues if i.code == "hibc.duplicate"]
    assert found
    _at_matches_position(duplicate)
    first = int(dict(found[0].params)["first"]) - 1
    assert duplicate.text[first : first + 4] == "10X3"


# --------------------------------------------------------------------------- conflicting values


@pytest.mark.parametrize(
    ("scan", "field"),
    [
        ("+A99912349/$10X3/$20X4Z", "lot"),
        ("+A999T1/$+S1/SS2Z", "serial"),
        ("+A999T1/$$3260531L1/14D20260601Z", "expiry"),
        ("+A999T1/$$812L1/Q13Z", "quantity"),
        ("=/A9999XYZ100T0944=/A9999XYZ100T0945", "di"),
        ("=/A9999XYZ100T0944=>014032&>0140331200", "expiry"),
        ("=/A9999XYZ100T0944=,000025=,000026", "serial"),
        (f"{HEAD06}9N111234568408{GS}1TA{GS}1TB{TAIL}", "lot"),
        (f"{HEAD06}9N111234568408{GS}SA{GS}SB{TAIL}", "serial"),
        (f"{HEAD06}9N111234568408{GS}9N111234567842{TAIL}", "di"),
        (f"{HEAD06}9N111234568408{GS}D261231{GS}D261130{TAIL}", "expiry"),
        (f"{HEAD06}9N111234568408{GS}Q1{GS}Q2{TAIL}", "quantity"),
        ("MA.156.M0.100761.21234561.L1.L2", "lot"),
        ("MA.156.M0.100761.21234561.M220117.P220118", "production_date"),
        ("https://a/01/04012345123456/10/ABC?10=XYZ", "lot"),  # query repeats a path AI
        ("https://a/01/04012345123456?17=261231&17=261130", "expiry"),
        ("https://a/01/04012345123456?01=04012345123463", "gtin"),
    ],
)
def test_a_field_given_twice_with_different_values_is_not_recorded(scan: str, field: str) -> None:
    """'The station cannot tell which is right' - so it must not record the first one either."""
    if scan.startswith("+") and scan.endswith("Z"):  # seal HIBC test data with its check
        scan = scan[:-1] + mod43_check(scan[:-1])
    code = read(scan)
    assert code.status is Status.CHECK_FAILED, code.issues
    assert any("duplicate" in i.code for i in code.errors), code.issues
    assert getattr(code, field) is None, (field, getattr(code, field))


def test_the_same_value_twice_is_still_recorded() -> None:
    code = read(f"{HEAD06}9N111234568408{GS}1TA{GS}1TA{TAIL}")
    assert code.valid
    assert code.lot == "A"
    link = read("https://a/01/04012345123456/10/ABC?10=ABC")  # forbidden, but not ambiguous
    assert [i.code for i in link.errors] == ["dl.duplicate_ai"]
    assert link.lot == "ABC"


# --------------------------------------------------------------------------- PPN check digits


def test_ppn_gtin_with_a_wrong_check_digit_never_becomes_the_gtin() -> None:
    code = read(f"{HEAD06}8P04012345123457{GS}1TABC{TAIL}")
    assert code.status is Status.CHECK_FAILED
    assert (code.gtin, code.di) == (None, None)
    assert code.fields["8P"] == "04012345123457"  # shown as an element
    assert code.lot == "ABC"


def test_ppn_with_wrong_check_digits_never_becomes_the_di() -> None:
    code = read(f"{HEAD06}9N111234568409{GS}8P04012345123456{TAIL}")
    assert code.status is Status.CHECK_FAILED
    assert code.di == "04012345123456"  # the GTIN passed its check; the PPN did not
    code = read(f"{HEAD06}9N111234568409{TAIL}")
    assert code.di is None
    assert code.fields["9N"] == "111234568409"


# --------------------------------------------------------------------------- false warnings


def test_fixed_length_value_of_exact_length_hides_no_element() -> None:
    """AI 8006 is N18 (FNC1 required): an 18-digit value cannot have swallowed a lost field."""
    code = read(f"]d28006040123451234560102{GS}10A")
    assert code.valid
    assert not code.warnings, code.warnings
    lot = read("]d2010401234512345610032915210526")  # biip's lost-separator case
    assert "gs1.separator_missing" in [i.code for i in lot.warnings]


# --------------------------------------------------------------------------- positions


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(
        [
            "]d2",
            "",
            "(01)04012345123456(10)",
            "+A99912349/",
            "+",
            "=/A9999XYZ100T0944",
            HEAD06,
            HEAD05,
            "MA.156.M0.100761.21234561.",
        ]
    ),
    st.text(alphabet="0123456789AXZ$/+.-=,>}&()LSMDE\x1d\x1e\x04", max_size=50),
)
def test_every_literal_element_is_found_at_its_position(lead: str, body: str) -> None:
    """Element.start indexes ParsedCode.text; a value read as it stands is the text there."""
    code = read(lead + body)
    escaped = "\\(" in code.text
    for element in code.elements:
        if escaped or code.scheme is Scheme.GS1_DIGITAL_LINK:
            continue  # unescaped / percent-decoded values are not literal substrings
        assert code.text[element.start : element.start + len(element.value)] == element.value
    for item in code.issues:
        assert item.position is None or 0 <= item.position <= len(code.text)
        if item.kind is Kind.SYNTAX and item.is_error:
            assert record(code) == EMPTY


# --------------------------------------------------------------------------- re-encoding


@pytest.mark.parametrize(
    "scan",
    ["(01)04012345123456(10)LOT(1)", f"]d2010401234512345610ABC{GS}2Z"],
)
def test_a_reading_that_could_not_be_split_is_never_re_encoded(scan: str) -> None:
    """hri_of() turned '(10)LOT(1)' (a syntax error) into the valid label '(10)LOT'."""
    code = read(scan)
    assert code.status is Status.UNPARSEABLE
    for build in (hri_of, element_string_of, digital_link_of):
        with pytest.raises(BuildError):
            build(code, today=date(2026, 11, 24))
