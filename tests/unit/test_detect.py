"""Format detection (codes.md §1): the AIM ID wins; content sniffing stays narrow."""

from __future__ import annotations

from datetime import date

import pytest

from station.udi import ReaderConfig, Scheme, read_scan

CONFIG = ReaderConfig(today=date(2026, 11, 24))


@pytest.mark.parametrize(
    ("scan", "scheme"),
    [
        (b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001", Scheme.GS1),
        (b"]Q30104012345123456112501151726123110LOT-A1\x1d21SN0001", Scheme.GS1),
        (b"]C100340123450000000017", Scheme.GS1),
        (b"\x1d0104012345123456", Scheme.GS1),  # leading GS instead of an AIM ID
        (b"(01)04012345123456(17)261231(10)LOT-A1", Scheme.GS1),
        (
            b"]Q1https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?17=261231",
            Scheme.GS1_DIGITAL_LINK,
        ),
        (b"https://id.gs1.org/01/04012345123456", Scheme.GS1_DIGITAL_LINK),
        (b"+A123BJC5D6E71G", Scheme.HIBC),
        (b"]C0+A123BJC5D6E71G", Scheme.HIBC),
        (b"=/A9999XYZ100T0944=,000025", Scheme.ISBT128),
        (b"[)>\x1e06\x1d9N111234568408\x1d1TLOT1\x1e\x04", Scheme.PPN),
        (b"MA.156.M0.100761.21234561.L20220117.C3", Scheme.MA),
        (b"]E04012345123456", Scheme.GS1),
    ],
)
def test_scheme_detection(scan: bytes, scheme: Scheme) -> None:
    assert read_scan(scan, CONFIG).scheme is scheme


@pytest.mark.req("UDI-4")
def test_plain_lot_is_not_taken_for_gs1_ai_10() -> None:
    code = read_scan(b"10D9T", CONFIG)
    assert code.scheme is Scheme.UNKNOWN
    assert code.lot is None
    assert not code.valid


def test_gs1_symbology_forces_gs1_even_for_lot_like_content() -> None:
    code = read_scan(b"]C110D9T", CONFIG)
    assert code.scheme is Scheme.GS1
    assert code.lot == "D9T"
    assert not code.valid  # AI 10 needs a GTIN in the same message


def test_content_inference_needs_a_valid_gtin_check_digit() -> None:
    inferred = read_scan(b"0104012345123456", CONFIG)
    assert inferred.scheme is Scheme.GS1
    assert "gs1.inferred" in [w.code for w in inferred.warnings]
    assert read_scan(b"0104012345123457", CONFIG).scheme is Scheme.UNKNOWN


def test_datamatrix_without_fnc1_is_parsed_but_marked_inferred() -> None:
    code = read_scan(b"]d10104012345123456172612001010X", CONFIG)
    assert code.scheme is Scheme.GS1
    assert code.lot == "10X"
    assert "gs1.inferred" in [w.code for w in code.warnings]


def test_url_without_gs1_key_is_unknown() -> None:
    assert read_scan(b"https://example.com/manual.pdf", CONFIG).scheme is Scheme.UNKNOWN


def test_raw_and_symbology_are_kept_on_every_result() -> None:
    raw = b"]d2010401234512345617261200"
    code = read_scan(raw, CONFIG)
    assert code.raw == raw
    assert code.symbology == "]d2"
    assert code.text == "010401234512345617261200"


@pytest.mark.parametrize(
    "scan",
    [b"*+A123BJC5D6E71G*", b"&>0183652359", b"=%12345", b"=<123456789012345678"],
)
def test_less_common_hibc_and_isbt_leads_reach_their_parsers(scan: bytes) -> None:
    code = read_scan(scan, CONFIG)
    assert code.scheme in (Scheme.HIBC, Scheme.ISBT128)
    assert "scan.unknown_format" not in [i.code for i in code.issues]
