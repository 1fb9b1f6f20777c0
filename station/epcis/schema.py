"""Validation against the official EPCIS 2.0 JSON Schema shipped in ``resources/epcis/``.

``jsonschema`` checks ``format: uri`` and ``format: date-time`` only when ``rfc3987`` and
``rfc3339-validator`` are installed; without them a typo bizStep, a bare GTIN in ``epcList`` or
``"22-07-2026"`` as eventTime all pass silently (docs/sync.md §5). :func:`validator` therefore
refuses to run without both checkers.

Capture checks every event before it is written, on the path between scan and "recorded", so
:func:`validate_event` first runs the same schema compiled to Python by ``fastjsonschema``
(about an eighth of jsonschema's time, docs/benchmarks.md) with jsonschema's own format
checkers; only an event it refuses goes through jsonschema, for the messages. Exports use
jsonschema throughout, and tests check that both agree on every kind of event the station
writes and on mutations of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any

import fastjsonschema

# No type stubs are installed for jsonschema (types-jsonschema is not a dependency).
from jsonschema import Draft7Validator, FormatChecker  # type: ignore[import-untyped]

from station.resources import resource_path

__all__ = [
    "REQUIRED_FORMATS",
    "SCHEMA_SOURCE",
    "compiled_event_check",
    "event_validator",
    "format_checker",
    "is_uri",
    "load_schema",
    "validate_document",
    "validate_event",
    "validator",
]

#: Where the shipped schema comes from (recorded, since the GitHub copy lags the ratified one).
SCHEMA_SOURCE = "github.com/gs1/EPCIS@2b888befbc071e1c2d388e027b30149b3f51dcef"
REQUIRED_FORMATS = frozenset({"uri", "date-time"})


@cache
def load_schema() -> Mapping[str, Any]:
    """The EPCIS 2.0 JSON Schema (draft-07, all definitions inlined)."""
    text = resource_path("epcis", "EPCIS-JSON-Schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def format_checker() -> FormatChecker:
    """jsonschema's FormatChecker, refused unless it really checks ``uri`` and ``date-time``."""
    checker = FormatChecker()
    missing = REQUIRED_FORMATS - set(checker.checkers)
    if missing:
        msg = (
            f"jsonschema cannot check the formats {sorted(missing)}: install rfc3987 and "
            "rfc3339-validator, or invalid EPCIS documents would pass"
        )
        raise RuntimeError(msg)
    return checker


def is_uri(value: str) -> bool:
    """Whether ``value`` passes the schema's own ``format: uri`` check (RFC 3987, absolute).

    >>> is_uri("urn:udi-station:loc:DOCK-1"), is_uri("04012345123456"), is_uri("urn:x:a b")
    (True, False, False)
    """
    conforms: bool = format_checker().conforms(value, "uri")
    return conforms


@cache
def validator() -> Draft7Validator:
    """A draft-07 validator of whole documents with live ``uri`` and ``date-time`` checks."""
    return Draft7Validator(load_schema(), format_checker=format_checker())


def _event_schema() -> dict[str, Any]:
    """The rules for one member of ``epcisBody.eventList`` (``EPCIS-Document-Event``)."""
    return {
        "$schema": load_schema()["$schema"],
        "$ref": "#/definitions/EPCIS-Document-Event",
        "definitions": load_schema()["definitions"],
    }


@cache
def event_validator() -> Draft7Validator:
    """jsonschema's validator of one event, with live ``uri`` and ``date-time`` checks."""
    return Draft7Validator(_event_schema(), format_checker=format_checker())


@cache
def compiled_event_check() -> Callable[[Any], object]:
    """The event schema compiled to Python; raises ``JsonSchemaValueException`` when invalid.

    It uses jsonschema's format checkers, so ``uri`` and ``date-time`` mean exactly what they
    mean in exports.
    """
    checker = format_checker()

    def conforms(name: str) -> Callable[[str], bool]:
        function, raises = checker.checkers[name]  # what ``checker.conforms`` calls

        # Vocabulary URIs (bizStep, disposition, locations) recur in nearly every event.
        @lru_cache(maxsize=4096)
        def check(value: str) -> bool:
            try:
                return bool(function(value))
            except raises:
                return False

        return check

    formats = {name: conforms(name) for name in sorted(REQUIRED_FORMATS)}
    compiled: Callable[[Any], object] = fastjsonschema.compile(_event_schema(), formats=formats)
    return compiled


def _pointer(where: str, path: Any) -> str:
    return where + "".join(f"/{part}" for part in path) or "(document)"


def validate_document(document: Mapping[str, Any]) -> list[str]:
    """Every schema violation as ``"<json-pointer>: <message>"``, empty when valid."""
    return _problems(validator(), document, "")


def validate_event(event: Mapping[str, Any], where: str = "") -> list[str]:
    """The violations of one event, its pointers prefixed with ``where`` (its place in a list).

    The compiled check decides; jsonschema explains. Should jsonschema find nothing wrong with
    an event the compiled check refused, the event is still refused, with the compiled check's
    reason: a disagreement must never let an event through.
    """
    try:
        compiled_event_check()(event)
    except fastjsonschema.JsonSchemaValueException as refused:
        problems = _problems(event_validator(), event, where)
        return problems or [f"{where or '(event)'}: {refused.message}"]
    return []


def _problems(checker: Draft7Validator, instance: Mapping[str, Any], where: str) -> list[str]:
    """Sorted ``"<pointer>: <message>"`` lines.

    ``oneOf``/``anyOf`` failures hide the real cause in their sub-errors, so the deepest ones
    are reported.
    """
    problems: list[str] = []
    for error in sorted(checker.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        leaves = [error]
        while leaves and all(leaf.context for leaf in leaves):
            leaves = [sub for leaf in leaves for sub in leaf.context or ()]
        problems.extend(f"{_pointer(where, leaf.absolute_path)}: {leaf.message}" for leaf in leaves)
    return list(dict.fromkeys(problems))
