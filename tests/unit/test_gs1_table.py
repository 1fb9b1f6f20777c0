"""The generated AI table equals what the shipped Syntax Dictionary generates, and reads right."""

from __future__ import annotations

import pytest

from station.udi.gs1_spec import Component, pattern_matches
from station.udi.gs1_table import AI_LENGTH_BY_PREFIX, AI_TABLE
from tools.gen_gs1_table import DICTIONARY, TABLE, DictionaryError, parse_dictionary, render


def test_committed_table_is_exactly_what_the_dictionary_generates() -> None:
    generated = render(DICTIONARY.read_text(encoding="utf-8"))
    assert TABLE.read_text(encoding="utf-8") == generated, (
        "station/udi/gs1_table.py is stale: run .venv/bin/python -m tools.gen_gs1_table"
    )


def test_ranges_are_expanded_to_every_ai() -> None:
    assert [ai for ai in AI_TABLE if ai.startswith("310")] == [f"310{n}" for n in range(6)]
    assert "3106" not in AI_TABLE
    assert all(f"{n}" in AI_TABLE for n in range(91, 100))
    assert [ai for ai in AI_TABLE if ai.startswith("390")] == [f"390{n}" for n in range(10)]


def test_gtin_entry() -> None:
    gtin = AI_TABLE["01"]
    assert (gtin.title, gtin.fixed, gtin.dl_attr) == ("GTIN", True, True)
    assert gtin.components == (Component("N", 14, 14, False, ("csum", "gcppos2")),)
    assert gtin.ex == ("255", "37")
    assert gtin.dlpkey == (("22", "10", "21"), ("235",))


def test_lot_entry_is_variable_with_its_requirements() -> None:
    lot = AI_TABLE["10"]
    assert (lot.fixed, lot.min_length, lot.max_length) == (False, 1, 20)
    assert lot.components[0].cset == "X"
    assert lot.req == ((("01",), ("02",), ("03",), ("8006",), ("8026",)),)
    assert lot.dlpkey is None


def test_optional_components_and_totals() -> None:
    grai = AI_TABLE["8003"]  # N1,zero N13,csum,gcppos1 [X..16]
    assert [c.optional for c in grai.components] == [False, False, True]
    assert grai.components[0].linters == ("zero",)
    assert (grai.min_length, grai.max_length) == (14, 30)
    harvest = AI_TABLE["7007"]  # N6,yymmdd [N6],yymmdd: the linter applies to the optional one
    assert harvest.components[1] == Component("N", 6, 6, True, ("yymmdd",))


def test_group_and_pattern_requirements() -> None:
    price = AI_TABLE["3920"]
    groups = (("01", "30"), ("01", "31nn"), ("01", "32nn"), ("01", "35nn"), ("01", "36nn"))
    assert price.req == (groups,)
    assert price.ex == ("392n", "393n")
    assert AI_TABLE["8030"].components[0].cset == "Z"
    assert AI_TABLE["250"].req == ((("01", "21"), ("03", "21"), ("8006", "21")),)


def test_primary_keys_and_untitled_ais() -> None:
    keys = {ai for ai, spec in AI_TABLE.items() if spec.dlpkey is not None}
    assert {"00", "01", "253", "255", "401", "402", "414", "8003", "8004", "8006"} <= keys
    assert AI_TABLE["00"].dlpkey == ((),)
    assert AI_TABLE["414"].dlpkey == (("254",), ("7040",))
    assert AI_TABLE["8110"].title == ""


def test_ai_length_follows_from_the_first_two_digits() -> None:
    for ai in AI_TABLE:
        assert AI_LENGTH_BY_PREFIX[ai[:2]] == len(ai)
    assert AI_LENGTH_BY_PREFIX["71"] == 3
    assert AI_LENGTH_BY_PREFIX["70"] == 4


@pytest.mark.parametrize(
    ("pattern", "ai", "matches"),
    [
        ("01", "01", True),
        ("01", "02", False),
        ("31nn", "3103", True),
        ("31nn", "3203", False),
        ("394n", "3941", True),
        ("394n", "39410", False),
        ("0n", "01", True),
        ("0nn", "01", False),
    ],
)
def test_pattern_matching(pattern: str, ai: str, matches: bool) -> None:
    assert pattern_matches(pattern, ai) is matches


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("10  ?  X..20  req=01  foo=bar  # LOT", "unknown attribute"),
        ("10  ?  X..20 N6  # LOT", "only the final component"),
        ("10  ?  [N3 X..20  # LOT", "unbalanced brackets"),
        ("10  ?  X20..  # LOT", "no components"),
        ("10  ?  [N3] X..20  # LOT", "mandatory component follows an optional"),
        ("10  *  X..20  # LOT", "fixed length"),
        ("10  !  X..20  # LOT", "unknown flags"),
        ("3105-3100  *  N6  # BAD", "bad AI range"),
    ],
)
def test_generator_refuses_what_it_does_not_understand(line: str, problem: str) -> None:
    with pytest.raises(DictionaryError, match=problem):
        parse_dictionary(line)


def test_generator_refuses_ambiguous_ai_prefixes() -> None:
    with pytest.raises(DictionaryError, match="prefix"):
        parse_dictionary("10  ?  X..20  # LOT\n101  ?  X..20  # CLASH\n")
