"""The station's exception hierarchy: every error raised on purpose derives from StationError."""

from __future__ import annotations


class StationError(Exception):
    """Base class for errors the station raises deliberately (never for bugs)."""


class ParseError(StationError):
    """The code reader could not do what was asked.

    Reading a scan never raises for bad *content*: an invalid code is data, reported in the
    result's ``issues``. ParseError is raised for misuse (a bad reader configuration) and by
    :meth:`station.udi.model.ParsedCode.raise_for_errors` for callers that want an exception.
    """


class ConfigError(StationError):
    """A setting has a value the station cannot work with."""


class BuildError(StationError):
    """Data cannot be encoded as a valid code; ``problems`` lists every reason.

    Raised by :mod:`station.udi.build` and :mod:`station.udi.hibc_build`, which never produce
    an invalid element string, HRI text, Digital Link or HIBC code.
    """

    def __init__(self, problems: tuple[str, ...], scheme: str = "GS1") -> None:
        self.problems = problems
        super().__init__(f"Cannot build a valid {scheme} code: " + " | ".join(problems))


class StorageError(StationError):
    """The station's database cannot be used safely; the message tells the operator what to do.

    Raised for a refused start (wrong PRAGMAs, a second writer, a symlinked or network path),
    for a write that was rolled back because the disk is full or failing (nothing was recorded),
    and for a failed health check (safe mode).
    """
