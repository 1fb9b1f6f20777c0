"""Fault injection for the reference ERP: which fault, if any, hits the next request.

SPEC (``station erp-sim --faults SPEC``): rules separated by ``,``; each rule is
``KIND[:ARG]@TRIGGER``, and an optional ``seed=N`` rule seeds every probability (default 0)::

    drop-request@every=7,500@p=0.05,429:2@every=10,slow:300@p=0.1,reset@p=0.01,seed=42

KIND: ``drop-request`` (close without answering, nothing processed), ``drop-response``
(process and commit, then close without answering), ``500`` (answer 500, nothing processed),
``429[:SECONDS]`` (answer 429 with ``Retry-After``, default 1 s, nothing processed),
``slow[:MS]`` (sleep, default 1000 ms, then process normally), ``reset`` (TCP reset, nothing
processed), ``duplicate`` (processed twice, as a network that delivered it twice would; the
client gets the second answer). TRIGGER: ``p=FLOAT`` (probability per request, 0 < p ≤ 1) or
``every=N`` (the Nth, 2Nth … request). Faults apply to the delivery ``POST`` requests only, so
reads stay reliable for checking what the centre holds. Rules are tried in order; the first
that fires wins, and every rule's counter and random stream advance on every request, so a
given SPEC and seed always hit the same requests.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from enum import Enum

__all__ = ["Fault", "FaultKind", "FaultPlan", "FaultSpecError", "Trigger"]


class FaultSpecError(ValueError):
    """The SPEC does not parse; the message says which rule and why."""


class FaultKind(Enum):
    DROP_REQUEST = "drop-request"
    DROP_RESPONSE = "drop-response"
    ERROR_500 = "500"
    TOO_MANY = "429"
    SLOW = "slow"
    RESET = "reset"
    DUPLICATE = "duplicate"


_DEFAULT_ARG = {FaultKind.TOO_MANY: 1.0, FaultKind.SLOW: 1000.0}
_MAX_ARG = {FaultKind.TOO_MANY: 86_400.0, FaultKind.SLOW: 60_000.0}


@dataclass(frozen=True)
class Trigger:
    """``every`` N-th request, or each request with ``probability``."""

    every: int | None = None
    probability: float | None = None


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    trigger: Trigger
    #: seconds of ``Retry-After`` for 429, milliseconds of sleep for ``slow``
    arg: float | None = None

    @property
    def value(self) -> float:
        return self.arg if self.arg is not None else _DEFAULT_ARG.get(self.kind, 0.0)


class FaultPlan:
    """The faults of one server; :meth:`next` is thread-safe and deterministic for a seed."""

    def __init__(self, faults: tuple[Fault, ...] = (), seed: int = 0) -> None:
        self.faults = faults
        self.seed = seed
        self._lock = threading.Lock()
        self._count = 0
        self._random = [random.Random(f"{seed}/{index}") for index in range(len(faults))]  # noqa: S311 - test faults, not security

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        faults: list[Fault] = []
        seed = 0
        for rule in (part for part in spec.split(",") if part):
            if rule.startswith("seed="):
                seed = _integer(rule, rule.removeprefix("seed="), minimum=0)
            else:
                faults.append(_rule(rule))
        return cls(tuple(faults), seed)

    def next(self) -> Fault | None:
        """The fault for the next request (``None``: answer normally)."""
        with self._lock:
            self._count += 1
            chosen: Fault | None = None
            for fault, stream in zip(self.faults, self._random, strict=True):
                draw = stream.random()
                trigger = fault.trigger
                fires = (
                    self._count % trigger.every == 0
                    if trigger.every is not None
                    else draw < (trigger.probability or 0.0)
                )
                if fires and chosen is None:
                    chosen = fault
            return chosen


def _rule(rule: str) -> Fault:
    head, at, trigger_text = rule.partition("@")
    if not at:
        raise FaultSpecError(f"{rule!r}: missing @TRIGGER (e.g. @every=5 or @p=0.1)")
    name, colon, arg_text = head.partition(":")
    try:
        kind = FaultKind(name)
    except ValueError:
        kinds = ", ".join(k.value for k in FaultKind)
        raise FaultSpecError(f"{rule!r}: unknown fault {name!r} (one of {kinds})") from None
    arg: float | None = None
    if colon:
        if kind not in _MAX_ARG:
            raise FaultSpecError(f"{rule!r}: {name} takes no argument")
        arg = _number(rule, arg_text, 0.0, _MAX_ARG[kind])
    key, eq, value = trigger_text.partition("=")
    if key == "every" and eq:
        return Fault(kind, Trigger(every=_integer(rule, value, minimum=1)), arg)
    if key == "p" and eq:
        probability = _number(rule, value, 0.0, 1.0)
        if probability == 0.0:
            raise FaultSpecError(f"{rule!r}: p must be above 0")
        return Fault(kind, Trigger(probability=probability), arg)
    raise FaultSpecError(f"{rule!r}: trigger must be every=N or p=FLOAT")


def _integer(rule: str, text: str, minimum: int) -> int:
    if not text.isdecimal() or not text.isascii() or len(text) > 9 or int(text) < minimum:
        raise FaultSpecError(f"{rule!r}: {text!r} is not an integer ≥ {minimum}")
    return int(text)


def _number(rule: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"{rule!r}: {text!r} is not a number") from None
    if not low <= value <= high:  # also refuses nan
        raise FaultSpecError(f"{rule!r}: {text!r} is outside {low:g}..{high:g}")
    return value
