"""Serial numbers that never repeat: allocated durably before any label carries them.

A serial (GS1 AI 21) must be unique for its GTIN: the unit's identity is GTIN + serial, whatever
its lot. So the counter is per GTIN, and each allocation records the lot it was made for; a
number allocated and then never printed (a printer jam, a crash) is simply never used again.
The counter row only grows (a trigger refuses anything else) and every allocation is an
append-only row, both committed in the caller's transaction *before* the label is rendered, so a
crash during printing cannot hand the same number out twice.

Serials look like ``format.format(n=number)``; the default is eight digits (``00000042``). A
number whose serial already names a unit in the ledger (imported, or made elsewhere) is skipped.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from station.context import WriteContext, utc_text
from station.events.ids import sgtin_uri
from station.services.errors import Refused

__all__ = ["DEFAULT_SERIAL_FORMAT", "MAX_BATCH", "allocate_serials", "serials_of_job"]

DEFAULT_SERIAL_FORMAT = "{n:08d}"
#: One print job's upper bound: a typo of 1,000,000 must not burn a million numbers.
MAX_BATCH = 10_000
#: Numbers skipped because their serial is already taken, before giving up.
_MAX_SKIPPED = 100_000
_SET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)


def _serial(serial_format: str, number: int) -> str:
    try:
        serial = serial_format.format(n=number)
    except (KeyError, IndexError, ValueError) as error:
        msg = f"Serial format {serial_format!r} is not usable: {error}."
        raise Refused("serial_format", msg) from None
    if not 1 <= len(serial) <= 20 or not set(serial) <= _SET82:
        msg = f"Serial format {serial_format!r} gives {serial!r}: 1–20 GS1 set 82 characters."
        raise Refused("serial_format", msg)
    return serial


def _taken(conn: Connection, gtin: str, serial: str) -> bool:
    allocated = conn.execute(
        text("SELECT 1 FROM serial_allocation WHERE gtin = :gtin AND serial = :serial"),
        {"gtin": gtin, "serial": serial},
    ).first()
    if allocated is not None:
        return True
    named = conn.execute(
        text("SELECT 1 FROM event_ident WHERE uri = :uri LIMIT 1"),
        {"uri": sgtin_uri(gtin, serial)},
    ).first()
    return named is not None


def allocate_serials(
    conn: Connection,
    ctx: WriteContext,
    *,
    gtin: str,
    lot: str,
    count: int,
    job_id: str,
    serial_format: str = DEFAULT_SERIAL_FORMAT,
) -> list[str]:
    """Allocate ``count`` new serials for ``gtin`` (made for ``lot``), in the caller's transaction.

    The caller must commit before printing: that is what makes the numbers crash-proof.
    """
    if not 1 <= count <= MAX_BATCH:
        raise Refused("bad_quantity", f"Allocate 1 to {MAX_BATCH} serials at a time, not {count}.")
    if _serial(serial_format, 1) == _serial(serial_format, 2):
        msg = f"Serial format {serial_format!r} gives the same serial for every number."
        raise Refused("serial_format", msg)
    row = conn.execute(
        text("SELECT next_number FROM serial_counter WHERE gtin = :gtin"), {"gtin": gtin}
    ).first()
    number = row[0] if row is not None else 1
    serials: list[str] = []
    now = utc_text(ctx.now())
    last = number + count + _MAX_SKIPPED
    while len(serials) < count:
        if number > last:
            msg = (
                f"More than {_MAX_SKIPPED} serials of {gtin} are already in use; check the format."
            )
            raise Refused("serial_format", msg)
        serial = _serial(serial_format, number)
        if not _taken(conn, gtin, serial):
            conn.execute(
                text(
                    "INSERT INTO serial_allocation (gtin, serial, lot, number, job_id,"
                    " allocated_at) VALUES (:gtin, :serial, :lot, :number, :job, :at)"
                ),
                {
                    "gtin": gtin,
                    "serial": serial,
                    "lot": lot,
                    "number": number,
                    "job": job_id,
                    "at": now,
                },
            )
            serials.append(serial)
        number += 1
    if row is None:
        conn.execute(
            text("INSERT INTO serial_counter (gtin, next_number) VALUES (:gtin, :next)"),
            {"gtin": gtin, "next": number},
        )
    else:
        conn.execute(
            text("UPDATE serial_counter SET next_number = :next WHERE gtin = :gtin"),
            {"gtin": gtin, "next": number},
        )
    return serials


def serials_of_job(conn: Connection, job_id: str) -> list[str]:
    """The serials a job allocated, in allocation order."""
    rows = conn.execute(
        text("SELECT serial FROM serial_allocation WHERE job_id = :job ORDER BY number"),
        {"job": job_id},
    )
    return [serial for (serial,) in rows]
