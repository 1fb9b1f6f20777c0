"""Build HIBC LIC codes: the concatenated primary/secondary form printed in one symbol.

``+`` LIC PCN UoM ``/`` secondary ``check``, where the secondary is ``$$3YYMMDD`` + lot (expiry
and lot), ``$`` + lot (lot only), ``$$+3YYMMDD`` + serial or ``$+`` + serial (serial only),
then HIBC 2.6 supplements: ``/S`` serial when a lot is also given, ``/16D`` manufacture date.
Like the GS1 builders, the output is read back with the station's own HIBC reader and must give
exactly the input, or :class:`~station.errors.BuildError` is raised.

>>> from datetime import date
>>> hibc_code("A123", "BJC5D6E7", "1")
'+A123BJC5D6E71G'
>>> hibc_code("A123", "BJC5D6E7", "1", lot="10X3", expiry=date(2027, 1, 15))
'+A123BJC5D6E71/$$327011510X3I'
"""

from __future__ import annotations

from datetime import date

from station.errors import BuildError
from station.udi.hibc import parse_hibc
from station.udi.normalize import DEFAULT_CONFIG, ScanInput

__all__ = ["HIBC_CHARSET", "hibc_check", "hibc_code"]

HIBC_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
# The reader takes lots and serials of letters and digits only (codes.md §3 leaves the rest
# unverified), so the builder refuses anything it could not read back.
_DATA_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def hibc_check(data: str) -> str:
    """The mod-43 check character of ``data`` (every character counts, ``+`` and ``/`` too).

    >>> hibc_check("+A123BJC5D6E71")
    'G'
    """
    return HIBC_CHARSET[sum(HIBC_CHARSET.index(c) for c in data) % 43]


def _problems(lic: str, pcn: str, uom: str, lot: str | None, serial: str | None) -> list[str]:
    problems = []
    if len(lic) != 4 or not lic[:1].isalpha() or not set(lic) <= _ALNUM:
        problems.append(f"LIC {lic!r}: a letter and three letters or digits (upper case)")
    if not 1 <= len(pcn) <= 18 or not set(pcn) <= _ALNUM:
        problems.append(f"PCN {pcn!r}: 1–18 upper-case letters or digits")
    if len(uom) != 1 or not uom.isdigit():
        problems.append(f"unit of measure {uom!r}: one digit")
    for name, value in (("lot", lot), ("serial", serial)):
        if value is not None and (not 1 <= len(value) <= 18 or not set(value) <= _DATA_CHARS):
            problems.append(f"{name} {value!r}: 1–18 upper-case letters or digits (HIBC)")
    return problems


def _pairing_problems(lot: str | None, serial: str | None, production: date | None) -> list[str]:
    if production is not None and lot is None and serial is None:
        return ["a production date needs a lot or serial beside it in HIBC"]
    return []


def _secondary(
    lot: str | None, serial: str | None, expiry: date | None, production_date: date | None
) -> str:
    when = f"3{expiry:%y%m%d}" if expiry is not None else ""
    if lot is not None:
        text = (f"$${when}" if when else "$") + lot
        if serial is not None:
            text += f"/S{serial}"
    elif serial is not None:
        text = (f"$$+{when}" if when else "$+") + serial
    else:
        text = f"$${when}"  # an expiry alone: the lot is left empty
    if production_date is not None:
        text += f"/16D{production_date:%Y%m%d}"
    return text


def hibc_code(
    lic: str,
    pcn: str,
    uom: str,
    *,
    lot: str | None = None,
    serial: str | None = None,
    expiry: date | None = None,
    production_date: date | None = None,
) -> str:
    """The HIBC code for a product and its production identifiers (one symbol, checked)."""
    problems = _problems(lic, pcn, uom, lot, serial) + _pairing_problems(
        lot, serial, production_date
    )
    if problems:
        raise BuildError(tuple(problems), "HIBC")
    text = f"+{lic}{pcn}{uom}"
    if any(v is not None for v in (lot, serial, expiry, production_date)):
        text += "/" + _secondary(lot, serial, expiry, production_date)
    text += hibc_check(text)
    _verify(
        text,
        lic + pcn + uom,
        lot=lot,
        serial=serial,
        expiry=expiry,
        production_date=production_date,
    )
    return text


def _verify(
    text: str,
    di: str,
    *,
    lot: str | None,
    serial: str | None,
    expiry: date | None,
    production_date: date | None,
) -> None:
    code = parse_hibc(ScanInput(text.encode(), None, text, config=DEFAULT_CONFIG))
    got = (code.di, code.lot, code.serial, code.expiry, code.production_date)
    want = (di, lot, serial, expiry, production_date)
    if not code.valid or got != want:
        problems = "; ".join(i.message for i in code.errors) or f"read back as {got}"
        raise BuildError((f"{text!r} does not read back as built: {problems}",), "HIBC")
