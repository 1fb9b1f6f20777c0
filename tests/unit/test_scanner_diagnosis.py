"""Scanner diagnosis: each simulated fault (and each pair) is named exactly; junk never crashes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.scanning.diagnosis import Diagnosis, diagnose, identify, summarise
from station.scanning.findings import CATALOG, Severity, finding
from station.scanning.layouts import (
    LAYOUT_MISMATCHES,
    US_TYPED_ON_FRENCH,
    US_TYPED_ON_GERMAN,
    LayoutMismatch,
    invert_case,
    retype,
)
from station.scanning.raw import RawScan
from station.scanning.sheet import GS, SHEET, SheetCode, by_id

Fault = Callable[[str, SheetCode], str]


def _strip_aim(text: str, code: SheetCode) -> str:
    return text.removeprefix(code.aim)


#: name → (how the scan is changed, the finding code it must give). Applied in this order:
#: the AIM is stripped before layout/case change it; GS stand-ins and affixes arrive as given.
FAULTS: dict[str, tuple[Fault, str]] = {
    "strip-aim": (_strip_aim, "aim-missing"),
    "qwertz": (lambda t, c: retype(t, US_TYPED_ON_GERMAN), "layout-de"),
    "azerty": (lambda t, c: retype(t, US_TYPED_ON_FRENCH), "layout-fr"),
    "caps-lock": (lambda t, c: invert_case(t), "caps-lock"),
    "drop-gs": (lambda t, c: t.replace(GS, ""), "gs-dropped"),
    "gs-tilde": (lambda t, c: t.replace(GS, "~"), "gs-substituted"),
    "gs-caret": (lambda t, c: t.replace(GS, "^]"), "gs-substitute-configured"),
    "gs-braces": (lambda t, c: t.replace(GS, "{GS}"), "gs-substitute-configured"),
    "gs-at": (lambda t, c: t.replace(GS, "@"), "gs-substituted"),
    "gs-percent": (lambda t, c: t.replace(GS, "%"), "gs-substituted-unsafe"),
    "prefix": (lambda t, c: "PRE:" + t, "prefix-extra"),
    "suffix-tab": (lambda t, c: t + "\t", "suffix-tab"),
    "suffix-crlf": (lambda t, c: t + "\r\n", "suffix-extra"),
}
ORDER = list(FAULTS)
GS_FAULTS = {name for name in FAULTS if name.startswith(("drop-gs", "gs-"))}
LAYOUT_FAULTS = {"qwertz", "azerty"}
SUFFIX_FAULTS = {"suffix-tab", "suffix-crlf"}


def _apply(code: SheetCode, names: tuple[str, ...]) -> tuple[bytes, set[str]] | None:
    """The faulty scan and the findings it must give; None for an impossible combination."""
    if any(len(kind & set(names)) > 1 for kind in (GS_FAULTS, LAYOUT_FAULTS, SUFFIX_FAULTS)):
        return None
    text, expected = code.text, set()
    for name in sorted(names, key=ORDER.index):
        fault, finding_code = FAULTS[name]
        changed = fault(text, code)
        if changed != text:
            expected.add(finding_code)
        text = changed
    return text.encode("utf-8"), expected or {"ok"}


CASES = [
    pytest.param(code, names, id=f"{code.id}:{'+'.join(names)}")
    for code in SHEET
    for size in (1, 2)
    for names in combinations(ORDER, size)
    if _apply(code, names) is not None
]


@pytest.mark.parametrize(("code", "names"), CASES)
def test_each_fault_and_each_pair_is_named_exactly(code: SheetCode, names: tuple[str, ...]) -> None:
    case = _apply(code, names)
    assert case is not None
    scan, expected = case
    found = {f.code for f in diagnose(code, scan, "keyboard")}
    assert found == expected, scan
    matched = identify(scan, "keyboard")
    assert matched.code == code
    assert {f.code for f in matched.findings} == expected


@pytest.mark.parametrize("code", SHEET, ids=lambda c: c.id)
def test_correct_scan_is_ok_from_either_path_and_rawscan(code: SheetCode) -> None:
    assert [f.code for f in diagnose(code, code.expected, "serial")] == ["ok"]
    assert [f.code for f in diagnose(code, code.expected, "keyboard")] == ["ok"]
    camera = RawScan(code.data, "camera", datetime.now(UTC), symbology=code.aim)
    assert identify(camera, "serial").correct


def test_serial_terminators_are_not_faults_but_tab_is() -> None:
    code = by_id("gs1-datamatrix")
    for terminator in (b"\r\n", b"\r", b"\n"):
        assert [f.code for f in diagnose(code, code.expected + terminator, "serial")] == ["ok"]
    assert [f.code for f in diagnose(code, code.expected + b"\t", "serial")] == ["suffix-tab"]


def test_a_stand_in_typed_through_a_foreign_layout_is_reported_as_it_arrives() -> None:
    code = by_id("gs1-128")
    scan = retype(code.text.replace(GS, "^]"), US_TYPED_ON_GERMAN).encode()
    found = {f.code: dict(f.params) for f in diagnose(code, scan, "keyboard")}
    assert found["gs-substituted-unsafe"] == {"token": "&+"}
    assert set(found) == {"layout-de", "gs-substituted-unsafe"}


def test_layout_seen_on_serial_is_reported_as_changed_characters() -> None:
    code = by_id("layout")
    scan = retype(code.text, US_TYPED_ON_GERMAN).encode()
    found = diagnose(code, scan, "serial")
    assert [f.code for f in found] == ["chars-changed"]
    assert "-→ß" in found[0].message


def test_unknown_layout_names_the_changed_characters() -> None:
    code = by_id("layout")
    scan = code.text.replace("-", "'").replace("/", "&").encode()  # Italian-like
    found = diagnose(code, scan, "keyboard")
    assert [f.code for f in found] == ["chars-changed"]
    assert "-→'" in found[0].message
    assert "/→&" in found[0].message


@pytest.mark.parametrize("mismatch", LAYOUT_MISMATCHES, ids=lambda m: m.code)
def test_every_layout_mismatch_is_recognised_on_the_layout_code(mismatch: LayoutMismatch) -> None:
    code = by_id("layout")
    scan = retype(code.text, mismatch.mapping).encode()
    found = diagnose(code, scan, "keyboard")
    assert [f.code for f in found] == [mismatch.code]
    assert mismatch.computer in found[0].fix


def test_layout_finding_lists_the_changes() -> None:
    scan = retype(by_id("layout").text, US_TYPED_ON_GERMAN).encode()
    (layout,) = diagnose(by_id("layout"), scan, "keyboard")
    assert "y→z" in layout.message
    assert "Z→Y" in layout.message
    assert "-→ß" in layout.message


@pytest.mark.parametrize("code", SHEET, ids=lambda c: c.id)
def test_truncation(code: SheetCode) -> None:
    scan = code.expected[: max(8, len(code.expected) * 2 // 3)]
    found = diagnose(code, scan, "serial")
    assert [f.code for f in found][:1] == ["truncated"]
    assert found[0].params == (("expected", str(len(code.expected))), ("received", str(len(scan))))
    assert identify(scan, "serial").code == code


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("<GS>", "gs-substituted-unsafe"),
        ("[GS]", "gs-substituted"),
        ("{GS}", "gs-substitute-configured"),
    ],
)
def test_a_stand_in_is_unsafe_only_when_every_character_can_be_gs1_data(
    token: str, expected: str
) -> None:
    code = by_id("gs1-datamatrix")
    scan = code.expected.replace(b"\x1d", token.encode())
    assert [f.code for f in diagnose(code, scan, "serial")] == [expected]


def test_wrong_aim_is_named() -> None:
    code = by_id("gs1-datamatrix")
    found = diagnose(code, b"]d1" + code.data, "serial")
    assert [(f.code, dict(f.params)) for f in found] == [
        ("aim-wrong", {"received": "]d1", "expected": "]d2"})
    ]


def test_wrong_and_foreign_codes() -> None:
    found = diagnose(by_id("gs1-datamatrix"), by_id("hibc").expected, "serial")
    assert [(f.code, dict(f.params)) for f in found] == [
        ("wrong-code", {"received": "3", "expected": "1"})
    ]
    foreign = b"]E04006381333931"
    assert [f.code for f in diagnose(by_id("hibc"), foreign, "serial")] == ["not-sheet-code"]
    assert identify(foreign, "serial").code is None


def test_empty_and_oversized_scans() -> None:
    assert [f.code for f in diagnose(SHEET[0], b"", "serial")] == ["empty"]
    assert [f.code for f in identify(b"x" * 5000, "keyboard").findings] == ["too-long"]


def test_gs_substitute_in_messages_is_shown_visibly() -> None:
    code = by_id("gs1-128")
    (sub,) = diagnose(code, code.expected.replace(b"\x1d", b"\x1c"), "serial")
    assert sub.code == "gs-substituted"
    assert dict(sub.params)["token"] == "⟨U+001C⟩"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["serial", "keyboard"]))
def test_arbitrary_bytes_never_crash(raw: bytes, how: str) -> None:
    result = identify(raw, how)  # type: ignore[arg-type]
    assert result.findings
    for code in SHEET[:2]:
        assert diagnose(code, raw, how)  # type: ignore[arg-type]
    for item in result.findings:
        assert item.message
        assert item.fix


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(SHEET),
    st.text(max_size=12),
    st.text(max_size=12),
    st.integers(min_value=0, max_value=80),
)
def test_sheet_codes_with_junk_around_never_crash(
    code: SheetCode, before: str, after: str, cut: int
) -> None:
    scan = (before + code.text[:cut] + after).encode("utf-8", "surrogatepass")
    assert identify(scan, "keyboard").findings


def _result(code_id: str, scan: bytes) -> Diagnosis:
    code = by_id(code_id)
    return Diagnosis(code, scan, tuple(diagnose(code, scan, "keyboard")))


def test_summary_groups_problems_and_lists_missing_codes() -> None:
    results = [
        _result("gs1-datamatrix", by_id("gs1-datamatrix").expected.replace(b"\x1d", b"")),
        _result("gs1-128", by_id("gs1-128").expected.replace(b"\x1d", b"")),
        _result("layout", by_id("layout").expected),
    ]
    summary = summarise(results)
    assert [f.code for f in summary] == ["gs-dropped", "not-scanned"]
    assert summary[0].evidence == "1, 2"
    assert dict(summary[1].params) == {"numbers": "3, 5, 6"}


def test_summary_merges_one_layout_mismatch_seen_on_several_codes() -> None:
    results = [
        _result(c.id, retype(c.text, US_TYPED_ON_GERMAN).encode())
        for c in (by_id("gs1-128"), by_id("layout"))
    ]
    (layout, missing) = summarise(results)
    assert layout.code == "layout-de"
    assert layout.evidence == "2, 4"
    changes = dict(layout.params)["changes"].split(" ")
    assert changes[:2] == ["]→+", "-→ß"]
    assert len(changes) == len(set(changes))
    assert missing.code == "not-scanned"


def test_summary_uses_the_latest_scan_of_each_code() -> None:
    first = [_result(c.id, c.data) for c in SHEET]
    assert {f.code for f in summarise(first)} == {"aim-missing"}
    again = [*first, *(_result(c.id, c.expected) for c in SHEET)]
    assert [f.code for f in summarise(again)] == ["all-correct"]
    assert [f.code for f in summarise([])] == ["nothing-scanned"]


def test_catalog_templates_fill_and_severities() -> None:
    for code, (severity, message, _fix) in CATALOG.items():
        assert isinstance(severity, Severity)
        names = {"token", "changes", "scanner", "computer", "expected", "received", "prefix"}
        names |= {"suffix", "length", "numbers"}
        f = finding(code, **dict.fromkeys(names, "X"))
        assert f.message, code
        assert f.fix, code
        assert message.count("{") == message.count("}")
        assert "{{GS}}" not in f.fix
