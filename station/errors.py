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
