"""GS1 Digital Link URIs.

Vectors marked "ported" come from gs1/gs1-syntax-engine, src/c-lib/dl.c (test_dl_parseDLuri and
test_dl_testValidateDLpathAIseq; Apache-2.0, GS1 AISBL). The reference's expected output, an
FNC1-separated AI string such as ``^011231231231233322TEST^10ABC``, is written here as the
(AI, value) pairs it contains.
"""

from __future__ import annotations

from datetime import date

import pytest

from station.udi import ParsedCode, ReaderConfig, Scheme, Status, read_scan
from station.udi.digital_link import looks_like_digital_link, parse_digital_link, valid_key_path
from station.udi.normalize import normalize
from tests.unit.readings import error_codes

CONFIG = ReaderConfig(today=date(2026, 11, 24))


def parse(uri: str) -> ParsedCode:
    return parse_digital_link(normalize(uri, CONFIG))


def pairs(code: ParsedCode) -> list[tuple[str, str]]:
    return [(element.key, element.value) for element in code.elements]


SSCC = [("00", "006141411234567890")]
GTIN = [("01", "12312312312333")]

PORTED_VALID = [
    ("http://a/00/006141411234567890", SSCC),
    ("HTTP://a/00/006141411234567890", SSCC),
    ("https://a/00/006141411234567890", SSCC),
    ("HTTPS://a/00/006141411234567890", SSCC),
    ("https://a/01/12312312312333", GTIN),
    ("https://xn--fsq.xn--0zwm56d/01/12312312312333", GTIN),
    ("https://a./01/12312312312333", GTIN),
    ("https://a:65535/01/12312312312333", GTIN),
    ("https://192.0.2.1/01/12312312312333", GTIN),
    ("https://[2001:db8::1]/01/12312312312333", GTIN),
    ("https://a/stem/00/006141411234567890", SSCC),
    ("https://a/more/stem/00/006141411234567890", SSCC),
    ("https://a/00/faux/00/006141411234567890", SSCC),
    (
        "https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ",
        [*GTIN, ("22", "TEST"), ("10", "ABC"), ("21", "XYZ")],
    ),
    ("https://a/01/12312312312333/235/TEST", [*GTIN, ("235", "TEST")]),
    ("https://a/253/1231231231232", [("253", "1231231231232")]),
    ("https://a/253/1231231231232TEST5678901234567", [("253", "1231231231232TEST5678901234567")]),
    (
        "https://a/8018/123456789012345675/8019/123",
        [("8018", "123456789012345675"), ("8019", "123")],
    ),
    ("https://a/stem/00/006141411234567890?", SSCC),
    ("https://a/stem/00/006141411234567890?99=ABC", [*SSCC, ("99", "ABC")]),
    ("https://a/stem/401/12345678?99=ABC", [("401", "12345678"), ("99", "ABC")]),
    ("https://a/01/12312312312333?99=ABC&98=XYZ", [*GTIN, ("99", "ABC"), ("98", "XYZ")]),
    ("https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", [*GTIN, ("99", "ABC"), ("98", "XYZ")]),
    (
        "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987",
        [*GTIN, ("22", "ABC-123"), ("99", "ABC"), ("98", "XYZ/987")],
    ),
    (
        "https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987",  # '+' is '+' in the path
        [*GTIN, ("22", "ABC+123"), ("99", "ABC"), ("98", "XYZ/987")],
    ),
    (
        "https://a/01/12312312312333/22/test/10/abc/21/xyz#",
        [*GTIN, ("22", "test"), ("10", "abc"), ("21", "xyz")],
    ),
    (
        "https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment",
        [*GTIN, ("22", "test"), ("10", "abc"), ("21", "xyz")],
    ),
    ("https://a/stem/00/006141411234567890?99=ABC#fragment", [*SSCC, ("99", "ABC")]),
    ("https://id.gs1.org/01/09520123456788", [("01", "09520123456788")]),
    ("https://id.gs1.org/01/09520123456788/22/2A", [("01", "09520123456788"), ("22", "2A")]),
    (
        "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        [("01", "09520123456788"), ("10", "ABC1"), ("21", "12345"), ("17", "180426")],
    ),
    (
        "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
        [("01", "09520123456788"), ("3103", "000195"), ("3922", "0299"), ("17", "201225")],
    ),
    (
        "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
        [("00", "952012345678912345"), ("02", "09520123456788"), ("37", "25"), ("10", "ABC123")],
    ),
    (
        "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
        [("414", "9520123456788"), ("254", "32a/b")],
    ),
    (
        "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
        [("01", "09520123456788"), ("235", "XYZ"), ("10", "ABC123")],
    ),
]


@pytest.mark.parametrize(("uri", "expected"), PORTED_VALID)
def test_ported_valid_links(uri: str, expected: list[tuple[str, str]]) -> None:
    code = parse(uri)
    assert code.scheme is Scheme.GS1_DIGITAL_LINK
    assert code.valid, code.issues
    assert pairs(code) == expected
    assert looks_like_digital_link(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "ftp://",
        "http://",
        "http:///",
        "http://a",
        "http://a/",
        "http://a/b",
        "http://a/b/",
        "HtTp://a/b/00/006141411234567890",  # mixed-case scheme
        "https://00/006141411234567890",  # no domain
        "https://[fe80::1%25lo]/01/12312312312333",
        "https://$a/006141411234567890",
        "https://a/gtin/12312312312333",  # convenience alphas are not GS1 keys
        "https://a/01/2112345678900",  # zero-suppressed GTIN in the path
        "https://a/253/1231231231232TEST56789012345678",  # too long
        "https://a/stem/00/006141411234567890/",  # cannot end in a slash
        "https://a/01/12312312312333?99=",  # empty value
        "https://a/01/12312312312333?99=ABC&999=faux",  # numeric, not an AI
        "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987",  # '+' is a space: illegal
        "https://example.com/01/09520123456788?10=ABC123",  # belongs in the path
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788",
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123",
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789",
        "https://example.com/01/09520123456788/89/ABC123?99=XYZ",  # unknown AI in the path
        "https://example.com/01/09520123456788?99=XYZ&89=ABC123",  # unknown AI in the query
    ],
)
def test_ported_invalid_links(uri: str) -> None:
    code = parse(uri)
    assert not code.valid
    assert code.errors


@pytest.mark.parametrize(
    "ais",
    [
        ["00"],
        ["01"],
        ["01", "21"],
        ["01", "10"],
        ["01", "10", "21"],
        ["01", "22"],
        ["01", "22", "21"],
        ["01", "22", "10"],
        ["01", "22", "10", "21"],
        ["01", "235"],
        ["253"],
        ["255"],
        ["401"],
        ["402"],
        ["414", "254"],
        ["414", "7040"],
        ["417", "7040"],
        ["8003"],
        ["8004", "7040"],
        ["8006", "22", "10", "21"],
        ["8010", "8011"],
        ["8013"],
        ["8017", "8019"],
        ["8018", "8019"],
    ],
)
def test_ported_valid_key_qualifier_paths(ais: list[str]) -> None:
    assert valid_key_path(ais)


@pytest.mark.parametrize(
    "ais",
    [
        ["01", "10", "22"],
        ["01", "21", "10"],
        ["01", "22", "235"],
        ["01", "10", "10"],
        ["00", "10"],
        ["414", "254", "7040"],
        ["10"],
        [],
    ],
)
def test_invalid_key_qualifier_paths(ais: list[str]) -> None:
    assert not valid_key_path(ais)


# --------------------------------------------------------------------------- station behaviour


def test_codes_md_example() -> None:
    code = read_scan(
        "]Q1https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?17=261231", CONFIG
    )
    assert code.scheme is Scheme.GS1_DIGITAL_LINK
    assert code.valid
    assert (code.gtin, code.di, code.lot, code.serial) == (
        "04012345123456",
        "04012345123456",
        "LOT-A1",
        "SN0001",
    )
    assert code.expiry == date(2026, 12, 31)
    starts = [e.start for e in code.elements]
    assert [
        code.text[s : s + len(e.value)] for s, e in zip(starts, code.elements, strict=True)
    ] == [e.value for e in code.elements]


def test_qualifiers_out_of_order() -> None:
    code = parse("https://a/01/12312312312333/21/X/10/Y")
    assert error_codes(code) == ["dl.qualifier_order"]
    assert "/21/…/10/…" in code.errors[0].message
    assert "/22, /10, /21" in code.errors[0].message


def test_query_ai_must_be_a_data_attribute() -> None:
    code = parse("https://a/01/12312312312333?21=X")
    assert "dl.not_data_attribute" in error_codes(code)


def test_ai_belonging_in_the_path() -> None:
    code = parse("https://example.com/01/09520123456788?10=ABC123")
    assert error_codes(code) == ["dl.belongs_in_path"]
    assert code.errors[0].position == 38


def test_non_ai_parameters_are_ignored_with_a_note() -> None:
    code = parse("https://a/01/12312312312333?linkType=gs1:pip&99=ABC&singleton")
    assert code.valid
    assert [w.code for w in code.warnings] == ["dl.ignored_parameter", "dl.ignored_parameter"]
    assert "linkType" in code.warnings[0].message


def test_short_gtin_in_the_query_is_padded_with_a_note() -> None:
    code = parse("https://example.com/8004/9520614141234567?01=9520123456788")
    assert code.valid, code.issues
    assert ("01", "09520123456788") in pairs(code)
    assert [w.code for w in code.warnings] == ["dl.gtin_padded"]


def test_percent_encoded_nul_is_refused() -> None:
    code = parse("https://a/01/12312312312333/10/AB%00C")
    assert "dl.bad_escape" in error_codes(code)


def test_pairing_rules_apply_to_digital_links_too() -> None:
    code = parse("https://a/00/006141411234567890?10=ABC")
    assert error_codes(code) == ["gs1.missing_required_ai"]


def test_check_digit_error_position_points_into_the_uri() -> None:
    code = parse("https://id.gs1.org/01/04012345123457")
    assert error_codes(code) == ["gs1.check_digit"]
    assert code.errors[0].position == len("https://id.gs1.org/01/0401234512345")
    assert code.status is Status.CHECK_FAILED


def test_compressed_link_is_reported_as_unsupported() -> None:
    uri = "https://id.gs1.org/AQnYUc1gRjBzVKCHGwtI"
    assert not looks_like_digital_link(uri)
    code = read_scan(uri, CONFIG)
    # An ordinary web address can look the same, so it is never read as GS1: unknown + a note.
    assert code.scheme is Scheme.UNKNOWN
    assert error_codes(code) == ["scan.unknown_format"]
    assert "dl.maybe_compressed" in [w.code for w in code.warnings]
    assert code.status is Status.UNPARSEABLE
    # Called directly, the Digital Link reader still says why it cannot read it.
    direct = parse_digital_link(normalize(uri, CONFIG))
    assert error_codes(direct) == ["dl.compressed"]


def test_a_product_web_page_is_not_taken_for_gs1() -> None:
    code = read_scan("https://example.com/Product123", CONFIG)
    assert code.scheme is Scheme.UNKNOWN
    assert error_codes(code) == ["scan.unknown_format"]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/manual.pdf",
        "https://example.com/products/stent-x200",
        "https://example.com/",
        "mailto:a@b.c",
        "0104012345123456",
        "https://example.com/01/",
    ],
)
def test_ordinary_addresses_are_not_digital_links(text: str) -> None:
    assert not looks_like_digital_link(text)
