"""Recording an issue at a position: ``Issue.position`` is 0-based, messages count from 1.

A line worker reads "character 15", not "index 14"; tools read ``Issue.position``.

>>> from station.udi.model import Draft, Kind, Scheme, define
>>> demo = define("demo.at", Kind.NOTE, "Look at character {at}.")
>>> draft = Draft(b"+A", None, "+A", Scheme.HIBC)
>>> report_at(draft, demo, 1)
>>> draft.issues[0].position, draft.issues[0].message
(1, 'Look at character 2.')
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from station.udi.model import Draft, Issue, IssueType


def report_at(draft: Draft, issue_type: IssueType, position: int | None, **params: object) -> None:
    """Record ``issue_type`` at 0-based ``position``; the template's ``{at}`` counts from 1."""
    if position is None:
        draft.report(issue_type, None, **params)
    else:
        draft.report(issue_type, position, at=position + 1, **params)


def shown(char: str) -> str:
    """A character as a worker can read it: control and non-ASCII characters escaped.

    >>> shown("b"), shown(" "), shown("\\r"), shown("\\u00e9")
    ('b', ' ', '\\\\r', '\\\\xe9')
    """
    return ascii(char)[1:-1]


def moved(issue: Issue, offset: int, *, positions: tuple[str, ...] = ("at",)) -> Issue:
    """``issue`` found ``offset`` characters further on: when a reading is placed inside a
    longer text (a GS1 envelope, two joined HIBC labels).

    The position moves, and so do the 1-based character numbers the message quotes (the
    parameters named in ``positions``), so that message and position keep agreeing.

    >>> from station.udi.model import IssueType, Kind, Severity
    >>> demo = IssueType("demo.moved", Kind.NOTE, Severity.WARNING, "Look at character {at}.")
    >>> issue = moved(demo(3, at=4), 7)
    >>> issue.position, issue.message
    (10, 'Look at character 11.')
    """
    if issue.position is None or not offset:
        return issue
    params = dict(issue.params)
    for name in positions:
        if name in params:
            params[name] = str(int(params[name]) + offset)
    return replace(
        issue,
        position=issue.position + offset,
        message=issue.template.format_map(params),
        params=tuple(sorted(params.items())),
    )
