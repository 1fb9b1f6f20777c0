"""Assertions shared by the code reader's tests."""

from __future__ import annotations

from station.udi import Kind, ParsedCode, Status


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


def assert_refused(code: ParsedCode, error: str, kind: Kind, position: int | None = None) -> None:
    """``code`` carries ``error`` of ``kind`` (at ``position`` if given); syntax errors leave
    every record field empty and make the code unparseable, check errors make it check_failed.
    """
    assert error in error_codes(code), code.issues
    issue = next(i for i in code.errors if i.code == error)
    assert issue.kind is kind
    if position is not None:
        assert issue.position == position
    if kind is Kind.SYNTAX:
        assert code.status is Status.UNPARSEABLE
        assert (code.di, code.lot, code.serial, code.expiry) == (None, None, None, None)
    else:
        assert code.status is Status.CHECK_FAILED
    assert_coherent(code)
