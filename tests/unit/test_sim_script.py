"""The simulated scanner's script format (drivers/simulated/script.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.simulated.script import (
    DEFAULT_DELAY,
    ScriptError,
    ScriptStep,
    decode_line,
    load_script,
    parse_script,
)

DEMO_SCRIPT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "scans.txt"


@pytest.mark.parametrize(
    ("line", "raw"),
    [
        ("]d2010401234512345610LOT-A1{GS}21SN0001", b"]d2010401234512345610LOT-A1\x1d21SN0001"),
        ("[)>{RS}06{GS}9N1{RS}{EOT}", b"[)>\x1e06\x1d9N1\x1e\x04"),
        (r"\x1d0104012345123456", b"\x1d0104012345123456"),
        (r"bad utf-8 \xFF\xfe", b"bad utf-8 \xff\xfe"),
        (r"back\\slash", b"back\\slash"),
        ("+A123BJC5D6E71 ", b"+A123BJC5D6E71 "),  # trailing space is data
        ("  leading", b"  leading"),
        ("批号", "批号".encode()),
        ("{gs} {XY} {GS", b"{gs} {XY} {GS"),  # only the exact names are escapes
    ],
)
def test_decode_line(line: str, raw: bytes) -> None:
    assert decode_line(line) == raw


@pytest.mark.parametrize("line", [r"lone \ backslash", "ends with \\", r"\x4", r"\xZZ"])
def test_bad_escapes_are_refused(line: str) -> None:
    with pytest.raises(ScriptError, match="bad escape"):
        decode_line(line)


def test_comments_blank_lines_and_delays() -> None:
    script = "# header\n\nA\n@delay=0.5\nB{GS}\n# note\n@delay=0\nC\n"
    assert parse_script(script) == [
        ScriptStep(DEFAULT_DELAY, b"A"),
        ScriptStep(0.5, b"B\x1d"),
        ScriptStep(0.0, b"C"),
    ]


def test_windows_line_ends_are_not_data() -> None:
    assert parse_script("A\r\nB\r\n", default_delay=0) == [ScriptStep(0, b"A"), ScriptStep(0, b"B")]


def test_raw_separators_in_a_script_line_stay_data() -> None:
    # str.splitlines() would split on GS/RS; the script must not.
    assert parse_script("A\x1dB\x1eC", default_delay=0) == [ScriptStep(0, b"A\x1dB\x1eC")]


def test_hash_and_at_are_data_when_escaped_or_not_first() -> None:
    steps = parse_script(r"\x23 not a comment" + "\n" + r"\x40delay=1" + "\nA#B@C", 0)
    assert [s.raw for s in steps] == [b"# not a comment", b"@delay=1", b"A#B@C"]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("A\n@delay=soon", r"line 2: @delay needs a number"),
        ("@delay=-1", r"line 1: @delay needs"),
        ("@delay=nan", r"line 1: @delay needs"),
        ("@delay=inf", r"line 1: @delay needs"),
        ("@pause=1", r"line 1: unknown directive"),
        ("ok\n\nbad \\q", r"line 3: bad escape at column 5"),
    ],
)
def test_errors_name_the_line(script: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        parse_script(script)


def test_demo_script_has_every_scheme_and_its_separators() -> None:
    steps = load_script(DEMO_SCRIPT)
    raws = [step.raw for step in steps]
    assert len(raws) == 15
    assert b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001" in raws
    assert (
        b"[)>\x1e06\x1d9N111234568408\x1d1TANDSOMEBatchNumber20\x1dSHASERIAL12385\x1dD201220\x1e\x04"
        in raws
    )
    assert any(raw.startswith(b"+") for raw in raws)  # HIBC
    assert any(raw.startswith(b"=") for raw in raws)  # ISBT 128
    assert any(raw.startswith(b"MA.") for raw in raws)
    assert any(raw.startswith(b"]Q1https://") for raw in raws)
    assert raws[-1] == b"10D9T"
    assert all(step.delay == 1.5 for step in steps)
