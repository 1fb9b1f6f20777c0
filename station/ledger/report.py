"""What verification found: each problem, named so a person can find the record.

Stored text (event ids, audit actions) is attacker-controlled, so it is escaped before it is
shown: a forged event id must not be able to print a fake "ledger intact" line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from station.ledger.chain import ChainLink

MAX_KEPT_PROBLEMS = 1000


class ProblemKind(StrEnum):
    HASH_MISMATCH = "hash_mismatch"  # content edited (or the hash itself)
    BROKEN_LINK = "broken_link"  # prev_hash is not the stored hash of seq - 1
    SEQ_GAP = "seq_gap"  # a seq is missing or out of order
    BAD_TYPE = "bad_type"  # a value has the wrong storage type, or cannot be hashed
    UNTRUSTED_KEY = "untrusted_key"  # checkpoint signed by a key the caller does not trust
    BAD_SIGNATURE = "bad_signature"  # checkpoint edited, or its signature forged
    HEAD_MISMATCH = "head_mismatch"  # chain rewritten up to a signed seq
    TRUNCATED = "truncated"  # chain shorter than a signed seq
    # Electronic signatures (station.signatures.verify); BAD_SIGNATURE and UNTRUSTED_KEY too.
    RECORD_CHANGED = "record_changed"  # the signed record no longer hashes as signed
    WRONG_RECORD = "wrong_record"  # a signature moved onto another record
    NOT_AUDITED = "not_audited"  # a signature row and the audit trail disagree


@dataclass(frozen=True)
class Problem:
    """One finding. ``where`` is ``event``, ``audit`` or ``checkpoint``; ``number`` is the
    record's seq or the checkpoint's id; ``label`` identifies it to a person (e.g. event id)."""

    where: str
    number: int
    kind: ProblemKind
    detail: str
    label: str = ""

    def __str__(self) -> str:
        name = f"checkpoint #{self.number}" if self.where == "checkpoint" else self.where
        if self.where != "checkpoint":
            name += f" seq {self.number}"
        label = f" ({_printable(self.label)})" if self.label else ""
        return f"{name}{label}: {_printable(self.detail)}"


def _printable(text: str, limit: int = 200) -> str:
    r"""Stored text is attacker-controlled: escape what could fake lines or colour a terminal.

    >>> _printable("urn:uuid:1\nledger intact\x1b[32m")
    'urn:uuid:1\\nledger intact\\x1b[32m'
    """
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass
class VerifyReport:
    """What verification found. ``ok`` only if nothing at all is wrong."""

    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems found beyond MAX_KEPT_PROBLEMS, counted only
    records: dict[str, int] = field(default_factory=dict)  # rows checked per chain
    heads: dict[str, ChainLink] = field(default_factory=dict)  # stored head per chain
    checkpoints: int = 0  # checkpoint rows examined
    signatures_checked: bool = False  # False when no trusted key was given

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The first bad record found (event chain, then audit chain, then checkpoints)."""
        return self.problems[0] if self.problems else None

    def lines(self) -> list[str]:
        """One line per problem (empty when intact), for logs and the health report."""
        more = [f"… and {self.omitted} more problems"] if self.omitted else []
        return [str(p) for p in self.problems] + more

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        else:
            self.omitted += 1
