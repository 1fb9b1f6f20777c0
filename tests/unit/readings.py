"""Assertions shared by the code reader's tests."""

from __future__ import annotations

from station.udi import ParsedCode, Status


def error_codes(code: ParsedCode) -> list[str]:
    """The codes of a reading's errors, in order."""
    return [issue.code for issue in code.errors]


def assert_coherent(code: ParsedCode) -> None:
    """Every element's value is found at its position; every issue points into the text."""
    for element in code.elements:
        assert code.text[element.start : element.start + len(element.value)] == element.value
    for issue in code.issues:
        assert issue.position is None or 0 <= issue.position <= len(code.text)
    assert code.valid == (code.status is Status.VALID)
