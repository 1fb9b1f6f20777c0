"""The transport protocol (bytes to a printer) and the factory that builds one from settings.

A transport moves bytes and nothing else: the renderer decides what the bytes mean. The one
promise every transport keeps is the station's print rule: :meth:`Transport.send` returns only
when the device or the OS has *accepted every byte*, and raises :class:`PrinterError` otherwise,
so a label is never recorded as printed unless ``send`` returned. What "accepted" means for each
transport is in ``docs/printers.md``.

>>> t = open_transport({"transport": "memory"})
>>> t.send(b"^XA^XZ", timeout=1.0)
>>> t.jobs
[b'^XA^XZ']
>>> open_transport({"transport": "tcp", "host": "127.0.0.1"}).name
'tcp:127.0.0.1:9100'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, TypeVar

from drivers.printers.cups import CupsTransport
from drivers.printers.deadline import ReplyComplete
from drivers.printers.errors import PrinterConfigError
from drivers.printers.file import FileTransport
from drivers.printers.memory import MemoryTransport
from drivers.printers.serial_port import SerialTransport
from drivers.printers.tcp import TcpTransport

T = TypeVar("T")


class Transport(Protocol):
    """Moves a rendered job to one printer.

    ``send`` returns a reference to the accepted job where the transport has one (cups: lp's
    job id; file: the path written), else ``None``. ``query`` sends a command and returns the
    reply, read until ``complete(reply)`` is true; one-way transports raise PrinterError.
    """

    @property
    def name(self) -> str:
        """Which printer, for messages: ``tcp:10.0.0.5:9100``, ``cups:zebra``."""

    def send(self, data: bytes, *, timeout: float) -> str | None:
        """Return only when every byte was accepted; raise PrinterError otherwise."""

    def query(
        self,
        command: bytes,
        *,
        timeout: float,
        complete: ReplyComplete | None = None,
        max_reply: int = ...,
    ) -> bytes:
        """Send ``command`` and return the reply (bidirectional transports only)."""

    def close(self) -> None:
        """Release the device; the transport may be used again (it reopens)."""


#: Each transport's settings: key -> (type, required). "transport" itself is implied.
_KEYS: dict[str, dict[str, tuple[type, bool]]] = {
    "tcp": {
        "host": (str, True),
        "port": (int, False),
        "connect_timeout": (float, False),
        "wait_for_close": (bool, False),
    },
    "serial": {
        "port": (str, True),
        "baudrate": (int, False),
        "xonxoff": (bool, False),
        "rtscts": (bool, False),
    },
    "file": {"folder": (str, True), "extension": (str, False)},
    "cups": {"queue": (str, True), "format": (str, False), "lp": (str, False)},
    "memory": {},
}


def transport_kinds() -> tuple[str, ...]:
    """The transport names ``open_transport`` accepts."""
    return tuple(_KEYS)


def open_transport(config: Mapping[str, object]) -> Transport:
    """Build the transport a settings dict names; PrinterConfigError says what is wrong.

    >>> open_transport({"transport": "fax"})
    Traceback (most recent call last):
    ...
    drivers.printers.errors.PrinterConfigError: unknown printer transport 'fax' (use one of: ...)
    >>> open_transport({"transport": "tcp"})
    Traceback (most recent call last):
    ...
    drivers.printers.errors.PrinterConfigError: printer transport 'tcp' needs the setting 'host'
    """
    kind = config.get("transport")
    if not isinstance(kind, str) or kind not in _KEYS:
        msg = f"unknown printer transport {kind!r} (use one of: {', '.join(_KEYS)})"
        raise PrinterConfigError(msg)
    values = _checked(kind, config)
    if kind == "tcp":
        return TcpTransport(
            _get(values, "host", str),
            port=_get(values, "port", int, default=9100),
            connect_timeout=_get(values, "connect_timeout", float, default=5.0),
            wait_for_close=_get(values, "wait_for_close", bool, default=True),
        )
    if kind == "serial":
        return SerialTransport(
            _get(values, "port", str),
            baudrate=_get(values, "baudrate", int, default=9600),
            xonxoff=_get(values, "xonxoff", bool, default=False),
            rtscts=_get(values, "rtscts", bool, default=False),
        )
    if kind == "file":
        return FileTransport(
            Path(_get(values, "folder", str)), _get(values, "extension", str, default="zpl")
        )
    if kind == "cups":
        return CupsTransport(
            _get(values, "queue", str),
            document=_get(values, "format", str, default="zpl"),
            lp=_get(values, "lp", str, default="lp"),
        )
    return MemoryTransport()


def _checked(kind: str, config: Mapping[str, object]) -> dict[str, object]:
    allowed = _KEYS[kind]
    unknown = sorted(str(k) for k in config if k != "transport" and k not in allowed)
    if unknown:
        known = ", ".join(allowed) or "none"
        msg = f"printer transport {kind!r} has no setting {unknown[0]!r} (its settings: {known})"
        raise PrinterConfigError(msg)
    for key, (wanted, required) in allowed.items():
        if key not in config:
            if required:
                msg = f"printer transport {kind!r} needs the setting {key!r}"
                raise PrinterConfigError(msg)
            continue
        value = config[key]
        # bool is an int in Python: refuse True as a port number; accept an int as a float.
        ok = isinstance(value, wanted) and not (wanted is not bool and isinstance(value, bool))
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            msg = (
                f"printer setting {key!r} must be {_TYPE_WORDS[wanted]}, "
                f"not {type(value).__name__} {value!r}"
            )
            raise PrinterConfigError(msg)
    return {k: v for k, v in config.items() if k != "transport"}


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _get(values: Mapping[str, object], key: str, kind: type[T], *, default: T | None = None) -> T:
    value = values.get(key, default)
    if kind is float and isinstance(value, int):
        value = float(value)
    assert isinstance(value, kind), key  # checked in _checked
    return value
