"""Printer errors: every failure to hand a job or a status request to a printer.

A :class:`PrinterError` always means "do not record this label as printed". ``bytes_sent``
tells whether anything reached the wire: 0 means the printer cannot have started the job; more
means it may have printed part or all of it, so a line worker should look before reprinting.
"""

from __future__ import annotations

from station.errors import ConfigError, StationError


class PrinterError(StationError):
    """A transport could not prove the printer accepted the job (or answered a query).

    ``bytes_sent`` counts the bytes handed to the device or the OS before the failure (for a
    failed query, the bytes of the command). ``total`` is the job's size, when there was one.
    """

    def __init__(self, message: str, *, bytes_sent: int = 0, total: int | None = None) -> None:
        super().__init__(message)
        self.bytes_sent = bytes_sent
        self.total = total

    @property
    def may_have_printed(self) -> bool:
        """True when some bytes went out, so the printer may have printed (part of) the label."""
        return self.bytes_sent > 0


class PrinterTimeoutError(PrinterError):
    """The printer did not take or answer in time (stalled, paused, offline, or a slow link)."""


class PrinterStatusError(PrinterError):
    """The printer's status reply is missing, truncated or not a status reply at all."""


class PrinterConfigError(PrinterError, ConfigError):
    """The printer settings are wrong (unknown transport, missing key, wrong type).

    It is both a :class:`PrinterError` and a :class:`station.errors.ConfigError`, so callers may
    catch either.
    """


def sent_of(sent: int, total: int) -> str:
    """Words for a partial write, for messages.

    >>> sent_of(0, 120)
    'none of the 120 bytes went out'
    >>> sent_of(64, 120)
    'only 64 of 120 bytes went out'
    """
    if sent == 0:
        return f"none of the {total} bytes went out"
    return f"only {sent} of {total} bytes went out"
