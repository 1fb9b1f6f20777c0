"""Input normalisation: nothing lost, nothing invented (codes.md §7)."""

from __future__ import annotations

import pytest

from station.errors import ParseError
from station.udi.normalize import ReaderConfig, normalize


def test_aim_identifier_is_split_and_kept() -> None:
    scan = normalize(b"]C100340123450000000017")
    assert scan.symbology == "]C1"
    assert scan.text == "00340123450000000017"
    assert scan.raw == b"]C100340123450000000017"


def test_never_strips_gs_or_trailing_space() -> None:
    assert normalize(b"\x1d0104012345123456\x1d").text == "\x1d0104012345123456\x1d"
    assert normalize(b"+$$52001510X3+ ").text == "+$$52001510X3+ "
    assert normalize(b" leading").text == " leading"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10ABC{GS}21X", "10ABC\x1d21X"),
        ("10ABC^]21X", "10ABC\x1d21X"),
        ("[)>{RS}06{GS}9N1{RS}{EOT}", "[)>\x1e06\x1d9N1\x1e\x04"),
        ("[)>^^06^]9N1^^^D", "[)>\x1e06\x1d9N1\x1e\x04"),
    ],
)
def test_wedge_substitutes_map_back_to_controls(typed: str, expected: str) -> None:
    scan = normalize(typed)
    assert scan.text == expected
    assert [i.code for i in scan.issues] == ["scan.substitute_mapped"]


def test_set82_lookalike_is_data_unless_the_site_opts_in() -> None:
    # "<GS>" is legal GS1 set-82 text, so by default it stays literal.
    assert normalize("10A<GS>B").text == "10A<GS>B"
    opted_in = ReaderConfig(gs_substitutes=("<GS>",), rs_substitutes=("<RS>",))
    assert normalize("10A<GS>B", opted_in).text == "10A\x1dB"


def test_site_chosen_substitute_character() -> None:
    config = ReaderConfig(gs_substitutes=("|",))
    assert normalize("10ABC|21X", config).text == "10ABC\x1d21X"
    # Not configured here, so "{GS}" stays literal text.
    assert normalize("10ABC{GS}21X", config).text == "10ABC{GS}21X"


def test_longest_substitute_wins() -> None:
    config = ReaderConfig(gs_substitutes=("~", "~~G"))
    assert normalize("A~~GB~C", config).text == "A\x1dB\x1dC"


@pytest.mark.req("SEC-5")
@pytest.mark.parametrize("bad", [b"01\x00", "ab\u202ecd".encode(), "x\u2066y".encode()])
def test_nul_and_bidi_controls_are_refused(bad: bytes) -> None:
    scan = normalize(bad)
    assert scan.refused
    assert scan.issues[-1].code == "scan.forbidden_character"


def test_empty_and_aim_only_scans_are_refused() -> None:
    assert normalize(b"").refused
    only_aim = normalize(b"]d2")
    assert only_aim.refused
    assert only_aim.symbology == "]d2"


@pytest.mark.req("SEC-5")
def test_length_is_capped_at_512_characters_by_default() -> None:
    assert not normalize("1" * 512).refused
    too_long = normalize("1" * 513)
    assert too_long.refused
    assert too_long.issues[0].code == "scan.too_long"
    assert too_long.raw == b"1" * 513
    # 200 three-byte characters: 600 bytes but only 200 characters, so accepted.
    assert not normalize("中" * 200).refused


def test_a_flood_is_refused_before_decoding() -> None:
    scan = normalize(b"\xff" * 100_000, ReaderConfig(max_length=10))
    assert scan.refused
    assert scan.issues[0].code == "scan.too_long"
    assert scan.text == ""  # never decoded


@pytest.mark.req("SEC-5")
@pytest.mark.parametrize("control", ["\x07", "\t", "\r", "\n", "\x1c", "\x1f", "\x7f", "\x85"])
def test_control_characters_other_than_separators_are_refused(control: str) -> None:
    scan = normalize(f"10AB{control}C")
    assert scan.refused
    assert scan.issues[-1].code == "scan.forbidden_character"
    assert scan.issues[-1].position == 4


def test_separators_gs_rs_eot_are_data() -> None:
    assert not normalize(b"[)>\x1e06\x1d9N1\x1e\x04").refused


@pytest.mark.req("SEC-5")
def test_text_is_normalised_to_nfc_and_raw_bytes_kept() -> None:
    decomposed = "Lot-e\u0301"  # e + combining acute
    scan = normalize(decomposed)
    assert scan.text == "Lot-\u00e9"
    assert scan.raw == decomposed.encode()


def test_non_utf8_bytes_are_kept_and_noted() -> None:
    scan = normalize(b"LOT\xff\xfe")
    assert scan.text == "LOT\xff\xfe"
    assert scan.raw == b"LOT\xff\xfe"
    assert [i.code for i in scan.issues] == ["scan.not_utf8"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gs_substitutes": ("",)},
        {"gs_substitutes": ("|",), "rs_substitutes": ("|",)},
        {"max_length": 0},
    ],
)
def test_bad_reader_configuration_raises_parse_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ParseError):
        ReaderConfig(**kwargs)  # type: ignore[arg-type]
