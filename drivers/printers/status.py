"""Printer status from the ZPL ``~HS`` (host status) reply, in words a line worker can act on.

Layout, from the Zebra ZPL II Programming Guide, "~HS Host Status Return"
(https://docs.zebra.com/us/en/printers/software/zpl-pg/zpl-commands/~hs4.html; also the
guide 45541L-004 Rev. A, p. 171-172). Three strings, each ``<STX>…<ETX><CR><LF>``:

1. ``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l``: interface settings, *paper out*, *pause*, label length
   (dots), formats in the receive buffer, *buffer full*, *communications diagnostic mode*,
   *partial format in progress*, unused ``000``, *corrupt RAM*, *under temperature*,
   *over temperature*.
2. ``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www``: function settings, unused, *head up*, *ribbon out*,
   *thermal transfer mode*, print mode, print width mode, *label waiting* (peel-off), labels
   remaining in batch, format while printing (always 1), graphic images stored.
3. ``xxxx,y``: the printer's password, static RAM installed. (The password is checked for shape
   and then dropped: it is never kept or shown.)

Flags are ``1`` for yes. The guide also warns that newer firmware sends *no* reply while the
media or ribbon is out, the head is open or too hot: silence is reported as that possibility.

>>> reply = (b"\\x02030,0,0,1225,000,0,0,0,000,0,0,0\\x03\\r\\n"
...          b"\\x02001,0,0,0,1,2,6,0,00000000,1,000\\x03\\r\\n\\x021234,0\\x03\\r\\n")
>>> parse_host_status(reply).ready
True
>>> for problem in parse_host_status(reply.replace(b"030,0,0", b"030,1,1")).problems:
...     print(problem)
out of labels: load labels and close the printer
paused: press PAUSE on the printer to resume
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drivers.printers.deadline import Deadline
from drivers.printers.errors import PrinterStatusError, PrinterTimeoutError
from drivers.printers.transport import Transport

HOST_STATUS = b"~HS"
STX, ETX = b"\x02", b"\x03"
MAX_STATUS_REPLY = 1024  # a real reply is under 100 bytes; the printer's reply is untrusted

_FRAMES = re.compile(rb"[\r\n]*\x02([ -~]*)\x03" * 3 + rb"[\r\n]*")
_PRINT_MODES = {
    "0": "rewind",
    "1": "peel-off",
    "2": "tear-off",
    "3": "cutter",
    "4": "applicator",
    "5": "delayed cut",
}


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What a ZPL printer said about itself. ``ready`` and ``problems`` are the summary."""

    paper_out: bool = False
    paused: bool = False
    head_open: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    under_temperature: bool = False
    over_temperature: bool = False
    diagnostic_mode: bool = False
    corrupt_ram: bool = False
    partial_format: bool = False  #: a format is still arriving (not a fault)
    thermal_transfer: bool = False  #: uses a ribbon (else direct thermal)
    label_waiting: bool = False  #: peel-off mode: a printed label waits to be taken
    label_length_dots: int = 0
    formats_in_buffer: int = 0
    labels_remaining: int = 0  #: labels still to print in the current batch
    graphics_stored: int = 0
    print_mode: str = "tear-off"

    @property
    def problems(self) -> tuple[str, ...]:
        """Each reason the printer cannot print a good label now, in plain words."""
        found = [text for flag, text in self._checks() if flag]
        return tuple(found)

    @property
    def ready(self) -> bool:
        """True when nothing stops the printer from printing a good label."""
        return not self.problems

    def _checks(self) -> tuple[tuple[bool, str], ...]:
        return (
            (self.paper_out, "out of labels: load labels and close the printer"),
            (self.paused, "paused: press PAUSE on the printer to resume"),
            (self.head_open, "the print head is open: close it"),
            # A direct-thermal printer has no ribbon; its ribbon flag means nothing.
            (self.ribbon_out and self.thermal_transfer, "out of ribbon: load a new ribbon"),
            (self.buffer_full, "the printer's job memory is full: wait, then print again"),
            (self.under_temperature, "the print head is too cold: wait for it to warm up"),
            (self.over_temperature, "the print head is too hot: let it cool down"),
            (
                self.diagnostic_mode,
                "diagnostic mode is on (it prints what it receives, not labels): turn it off",
            ),
            (
                self.corrupt_ram,
                "the printer lost its settings: have its configuration checked before printing",
            ),
        )


def reply_complete(reply: bytes) -> bool:
    """Whether a ``~HS`` reply read so far holds all three strings (for ``Transport.query``)."""
    return reply.count(ETX) >= 3


def parse_host_status(reply: bytes) -> PrinterStatus:
    """Read a ``~HS`` reply; PrinterStatusError if it is empty, truncated or not a status."""
    if len(reply) > MAX_STATUS_REPLY:
        msg = f"the printer's status reply is {len(reply)} bytes long; not a ~HS reply"
        raise PrinterStatusError(msg)
    framed = _FRAMES.fullmatch(reply)
    if framed is None:
        raise PrinterStatusError(_why_unreadable(reply))
    line1 = _fields(framed.group(1), 1, 12)
    line2 = _fields(framed.group(2), 2, 11)
    line3 = _fields(framed.group(3), 3, 2)
    if not re.fullmatch(r"[0-9]{1,8}", line3[0]):  # shape only: the value is never kept or shown
        msg = "status line 3: the password field is not a number"
        raise PrinterStatusError(msg)
    _flag(line3, 1, 3, "static RAM installed")
    _number(line1, 0, 1, "interface settings")
    _number(line2, 0, 2, "function settings")
    mode = line2[5]
    if not re.fullmatch(r"[0-9A-Z]", mode):
        msg = f"status line 2: print mode {mode!r} is not a single digit or letter"
        raise PrinterStatusError(msg)
    return PrinterStatus(
        paper_out=_flag(line1, 1, 1, "paper out"),
        paused=_flag(line1, 2, 1, "pause"),
        label_length_dots=_number(line1, 3, 1, "label length"),
        formats_in_buffer=_number(line1, 4, 1, "formats in buffer"),
        buffer_full=_flag(line1, 5, 1, "buffer full"),
        diagnostic_mode=_flag(line1, 6, 1, "diagnostic mode"),
        partial_format=_flag(line1, 7, 1, "partial format"),
        corrupt_ram=_flag(line1, 9, 1, "corrupt RAM"),
        under_temperature=_flag(line1, 10, 1, "under temperature"),
        over_temperature=_flag(line1, 11, 1, "over temperature"),
        head_open=_flag(line2, 2, 2, "head up"),
        ribbon_out=_flag(line2, 3, 2, "ribbon out"),
        thermal_transfer=_flag(line2, 4, 2, "thermal transfer"),
        print_mode=_PRINT_MODES.get(mode, f"mode {mode}"),
        label_waiting=_flag(line2, 7, 2, "label waiting"),
        labels_remaining=_number(line2, 8, 2, "labels remaining"),
        graphics_stored=_number(line2, 10, 2, "graphics stored"),
    )


def printer_status(transport: Transport, timeout: float = 3.0) -> PrinterStatus:
    """Ask a ZPL printer for its status through ``transport`` (TCP or serial)."""
    deadline = Deadline(timeout)
    try:
        reply = transport.query(
            HOST_STATUS, timeout=timeout, complete=reply_complete, max_reply=MAX_STATUS_REPLY
        )
    except PrinterTimeoutError as exc:
        msg = (
            f"{transport.name}: the printer did not answer the status request within "
            f"{deadline.timeout:.1f} s. Some printers stay silent while out of labels or "
            "ribbon, or with the head open: check the printer"
        )
        raise PrinterTimeoutError(msg, bytes_sent=exc.bytes_sent) from exc
    try:
        return parse_host_status(reply)
    except PrinterStatusError as exc:
        raise PrinterStatusError(f"{transport.name}: {exc}") from exc


def format_host_status(status: PrinterStatus, *, baud_code: int = 30) -> bytes:
    """A ``~HS`` reply for ``status``, in the guide's layout (used by the simulated printer).

    >>> parse_host_status(format_host_status(PrinterStatus(head_open=True))).head_open
    True
    """
    modes = {name: code for code, name in _PRINT_MODES.items()}
    b = {False: "0", True: "1"}
    s = status
    line1 = (
        f"{baud_code:03d},{b[s.paper_out]},{b[s.paused]},{s.label_length_dots:04d},"
        f"{s.formats_in_buffer:03d},{b[s.buffer_full]},{b[s.diagnostic_mode]},"
        f"{b[s.partial_format]},000,{b[s.corrupt_ram]},{b[s.under_temperature]},"
        f"{b[s.over_temperature]}"
    )
    line2 = (
        f"001,0,{b[s.head_open]},{b[s.ribbon_out]},{b[s.thermal_transfer]},"
        f"{modes.get(s.print_mode, '2')},6,{b[s.label_waiting]},{s.labels_remaining:08d},1,"
        f"{s.graphics_stored:03d}"
    )
    line3 = "1234,0"
    return b"".join(STX + line.encode("ascii") + ETX + b"\r\n" for line in (line1, line2, line3))


def _why_unreadable(reply: bytes) -> str:
    if not reply:
        return "the printer sent an empty status reply"
    shown = reply[:60]
    complete = reply.count(ETX)
    if complete < 3 and re.fullmatch(rb"([\r\n]*\x02[ -~]*\x03)*[\r\n]*(\x02[ -~]*)?", reply):
        return f"the printer's status reply is cut short: {complete} of 3 lines came ({shown!r})"
    return f"not a ~HS status reply: {shown!r}"


def _fields(line: bytes, number: int, expected: int) -> list[str]:
    fields = line.decode("ascii").split(",")
    # Newer firmware may append fields; the documented ones keep their places.
    if len(fields) < expected:
        shown = f": {line!r}" if number != 3 else ""  # line 3 holds the printer's password
        msg = f"status line {number} has {len(fields)} fields, expected {expected}{shown}"
        raise PrinterStatusError(msg)
    return fields


def _flag(fields: list[str], index: int, line: int, what: str) -> bool:
    value = fields[index]
    if value not in ("0", "1"):
        msg = f"status line {line}: the {what} flag is {value!r}, not 0 or 1"
        raise PrinterStatusError(msg)
    return value == "1"


def _number(fields: list[str], index: int, line: int, what: str) -> int:
    value = fields[index]
    if not re.fullmatch(r"[0-9]{1,8}", value):
        msg = f"status line {line}: the {what} field is {value!r}, not a number"
        raise PrinterStatusError(msg)
    return int(value)


__all__ = [
    "HOST_STATUS",
    "PrinterStatus",
    "format_host_status",
    "parse_host_status",
    "printer_status",
    "reply_complete",
]
