"""New SSCCs made at this station: allocated durably, before any label carries them.

An SSCC (AI 00) is the extension digit and GS1 company prefix (``labels.sscc_prefix``, 8–11
digits together), a *serial reference* filling the rest of the 17 digits, and a check digit.
It must never name two containers, so the serial reference is taken from a counter that only
grows (``sscc_counter``, a trigger refuses anything else), and each allocation is an
append-only ``sscc_allocation`` row plus an ``sscc.allocate`` audit entry, all committed in a
transaction of its own *before* the number is shown or printed: a label printed and then lost
in a crash, or a container never closed, simply leaves its number unused, never handed out
again.

Stations keep separate databases (offline-first), so two stations sharing a company prefix
cannot see each other's counters. Each is given its own **block** of serial references
(``labels.sscc_block``, ``FIRST-LAST``; empty: the whole range, for a station that alone uses
its prefix): the counter is kept per prefix *and* block, a block never hands out a number
outside itself, and blocks that do not overlap can never make the same SSCC. A number already
allocated here or already named by the ledger (an SSCC label printed elsewhere and scanned in)
is skipped. A used-up block is refused (``sscc_exhausted``) rather than spilling into a
neighbour's range.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from station.access import PACK, require
from station.context import WriteContext, utc_text
from station.events.ids import sscc_uri
from station.ledger.audit import record_audit
from station.services.errors import Refused
from station.udi.checks import gs1_check_digit

__all__ = ["SsccBlock", "allocate_sscc", "sscc_block"]

#: The SSCC's digits before the check digit.
_DIGITS = 17
#: Numbers skipped because their SSCC is already named, before giving up.
_MAX_SKIPPED = 100_000


@dataclass(frozen=True, slots=True)
class SsccBlock:
    """The serial references ``first``…``last`` under ``prefix`` that this station may use."""

    prefix: str
    first: int
    last: int

    @property
    def width(self) -> int:
        """Digits of the serial reference."""
        return _DIGITS - len(self.prefix)

    def sscc(self, reference: int) -> str:
        """The 18-digit SSCC for ``reference`` (with its check digit)."""
        digits = f"{self.prefix}{reference:0{self.width}d}"
        return digits + str(gs1_check_digit(digits))


def _not_configured(message: str) -> Refused:
    return Refused("sscc_not_configured", message)


def sscc_block(prefix: str, block: str = "") -> SsccBlock:
    """The block the settings give: ``prefix`` (``labels.sscc_prefix``) and ``block``
    (``labels.sscc_block``: ``FIRST-LAST`` serial references; empty: all of them from 1).

    Refused ``sscc_not_configured`` for a prefix or block that cannot be used.
    """
    if not prefix.isdigit() or not 8 <= len(prefix) <= 11:
        msg = (
            f"The SSCC prefix {prefix!r} must be the extension digit and company prefix"
            " (8–11 digits)."
        )
        raise _not_configured(msg)
    highest = 10 ** (_DIGITS - len(prefix)) - 1
    if not block.strip():
        return SsccBlock(prefix, 1, highest)
    first_text, dash, last_text = block.replace(" ", "").partition("-")
    if not dash or not first_text.isdigit() or not last_text.isdigit():
        msg = f"The SSCC block {block!r} must be two serial references, FIRST-LAST."
        raise _not_configured(msg)
    first, last = int(first_text), int(last_text)
    if not 1 <= first <= last <= highest:
        msg = f"The SSCC block {block!r} must lie within 1-{highest} for prefix {prefix}."
        raise _not_configured(msg)
    return SsccBlock(prefix, first, last)


def _taken(conn: Connection, sscc: str) -> bool:
    allocated = conn.execute(
        text("SELECT 1 FROM sscc_allocation WHERE sscc = :sscc"), {"sscc": sscc}
    ).first()
    if allocated is not None:
        return True
    named = conn.execute(
        text("SELECT 1 FROM event_ident WHERE uri = :uri LIMIT 1"), {"uri": sscc_uri(sscc)}
    ).first()
    return named is not None


def _free_reference(conn: Connection, block: SsccBlock, start: int) -> int:
    """The first reference from ``start`` whose SSCC is free; Refused when the block is used up."""
    reference = start
    while reference <= block.last:
        if reference - start > _MAX_SKIPPED:
            msg = f"More than {_MAX_SKIPPED} SSCCs of block {block.first}-{block.last} are in use."
            raise Refused("sscc_exhausted", msg)
        if not _taken(conn, block.sscc(reference)):
            return reference
        reference += 1
    msg = (
        f"Every SSCC of block {block.first}-{block.last} under {block.prefix} is used: "
        "ask for a new block (labels.sscc_block)."
    )
    raise Refused("sscc_exhausted", msg)


def allocate_sscc(conn: Connection, ctx: WriteContext, block: SsccBlock) -> str:
    """Allocate the next SSCC of ``block``, in the caller's transaction (permission
    ``packing.pack``). The caller commits before showing or printing it: that makes it
    crash-proof."""
    require(ctx, PACK)
    key = {"prefix": block.prefix, "first": block.first, "last": block.last}
    row = conn.execute(
        text(
            "SELECT next_reference FROM sscc_counter WHERE prefix = :prefix"
            " AND block_first = :first AND block_last = :last"
        ),
        key,
    ).first()
    reference = _free_reference(conn, block, int(row[0]) if row is not None else block.first)
    sscc = block.sscc(reference)
    moment = utc_text(ctx.now())
    conn.execute(
        text(
            "INSERT INTO sscc_allocation (sscc, prefix, reference, station, allocated_at, actor)"
            " VALUES (:sscc, :prefix, :reference, :station, :at, :actor)"
        ),
        {
            "sscc": sscc,
            "prefix": block.prefix,
            "reference": reference,
            "station": ctx.station,
            "at": moment,
            "actor": ctx.actor,
        },
    )
    counter = {**key, "next": reference + 1}
    if row is None:
        conn.execute(
            text(
                "INSERT INTO sscc_counter (prefix, block_first, block_last, next_reference)"
                " VALUES (:prefix, :first, :last, :next)"
            ),
            counter,
        )
    else:
        conn.execute(
            text(
                "UPDATE sscc_counter SET next_reference = :next WHERE prefix = :prefix"
                " AND block_first = :first AND block_last = :last"
            ),
            counter,
        )
    record_audit(
        conn,
        ctx,
        action="sscc.allocate",
        entity="sscc",
        entity_id=sscc,
        new={"prefix": block.prefix, "reference": reference, "block": [block.first, block.last]},
        reason="a new container's SSCC, allocated before its label is printed",
    )
    return sscc
