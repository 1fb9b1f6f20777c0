"""Changing the settings file from the station: values from a form, checked by each setting's
own ``convert``, written atomically, with exactly one ``settings.changed`` audit entry (P11-K1).

The entry has the same shape as the one the command line records when it finds the file
changed outside the station (``ui/commands/session.py``, "settings drift"): ``entity``
``settings``, ``entity_id`` the file's path, ``old`` and ``new`` the effective settings
(:meth:`station.config.Settings.snapshot`), here with the actor and the reason given. Because
``new`` is the whole snapshot, the next drift check finds nothing to record.

Order inside the writer's transaction (:func:`save_settings`): check the permission, the
reason and that the file is still the one the form was filled from (its SHA-256); build the new
document and load it back through :func:`station.config.parse_settings` (the cross-field checks
run there); write it to a temporary file beside the target and fsync it; append the audit
entry; replace the file (``os.replace``) and fsync the folder. A failure before the replace
leaves the old file and rolls the entry back. Only a commit failing after the replace can leave
a changed file without its entry, and the drift check records that one at the next start.

A file that exists is edited in place (:func:`station.config_edit.edit_settings_text`): the
operator's comments, order and untouched values stay byte for byte, only the changed values
are rewritten. Without a file (or one written by an older station, whose upgrade may rename
settings) the file is written anew by :func:`settings_toml`.

>>> from station.config import READER_MAX_LENGTH, WEDGE_TERMINATOR, READER_GS_SUBSTITUTES
>>> value_from_form(READER_MAX_LENGTH, "4096")
4096
>>> value_from_form(READER_MAX_LENGTH, "0")
Traceback (most recent call last):
...
ValueError: must be a whole number of at least 1
>>> value_from_form(WEDGE_TERMINATOR, "space")
Traceback (most recent call last):
...
ValueError: must be one of 'enter', 'tab', 'none'
>>> value_from_form(READER_GS_SUBSTITUTES, "{GS}\\n^]")
('{GS}', '^]')
>>> form_text(("{GS}", "^]"))
'{GS}\\n^]'
>>> print(settings_toml({"reader.max_length": 4096, "wedge.terminator": "tab"}, ()), end="")
# UDI Station settings, written by the station (Admin → Settings).
version = 1
<BLANKLINE>
[reader]
max_length = 4096
<BLANKLINE>
[wedge]
terminator = "tab"
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from station.access import SETTINGS_MANAGE, require
from station.config import DECLARED, SETTINGS_VERSION, Setting, Settings, parse_settings
from station.config_edit import edit_settings_text, editable_in_place
from station.context import WriteContext
from station.errors import ConfigError
from station.ledger.audit import record_audit
from station.persistence.backup import fsync_directory
from station.services.errors import Refused

__all__ = [
    "SETTINGS_ACTION",
    "SettingsChange",
    "SettingsFile",
    "form_text",
    "read_settings_file",
    "save_settings",
    "settings_toml",
    "value_from_form",
]

#: The audit action of a settings change; the same as ``ui.commands.session.SETTINGS_ACTION``
#: (station/ may not import ui/, a test keeps the two equal).
SETTINGS_ACTION = "settings.changed"
_HEADER = "# UDI Station settings, written by the station (Admin → Settings).\n"


@dataclass(frozen=True, slots=True)
class SettingsFile:
    """A settings file as read now: its settings, its bytes' SHA-256, the keys it names."""

    path: Path
    settings: Settings
    #: SHA-256 of the file's bytes; ``None`` when there is no file (all defaults).
    sha256: str | None
    #: The settings the file names (kept when it is written again, even at their default).
    explicit: frozenset[str]
    #: The file's text, edited in place by a save; ``None`` when there is no file.
    text: str | None = None


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """What :func:`save_settings` did."""

    path: Path
    changed: tuple[str, ...]
    old: dict[str, Any]
    new: dict[str, Any]
    audit_seq: int
    sha256: str


def form_text(value: object) -> str:
    """A value as a form shows it: lists one item per line, numbers and text as they are."""
    if isinstance(value, tuple | list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def value_from_form(setting: Setting[Any], entered: str | bool) -> Any:
    """The value a form entry stands for, checked by the setting's ``convert``.

    ``entered`` is a check box's state for a true/false setting, else the text typed: a whole
    number for a number, one item per line (empty lines ignored) for a list. Raises ValueError
    with the setting's own words (what is wrong, what is allowed).
    """
    default = setting.default
    raw: object
    if isinstance(default, bool):
        raw = entered
    elif isinstance(entered, bool):
        msg = "must be text"
        raise ValueError(msg)
    elif isinstance(default, int):
        try:
            raw = int(entered, 10)
        except ValueError:
            msg = "must be a whole number"
            raise ValueError(msg) from None
    elif isinstance(default, tuple | list):
        raw = [line for line in entered.splitlines() if line]
    else:
        raw = entered
    return setting.convert(raw)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # JSON's escapes are TOML basic-string escapes; DEL must be escaped in TOML too.
        return json.dumps(value, ensure_ascii=True).replace("\x7f", "\\u007f")
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    msg = f"cannot write a {type(value).__name__} to the settings file"
    raise TypeError(msg)


def settings_toml(values: Mapping[str, Any], keep: Iterable[str]) -> str:
    """The settings document for ``values``: each setting in ``keep`` and each that differs
    from its default, in declaration order, grouped in tables."""
    kept = set(keep)
    tables: dict[str, list[str]] = {}
    for key, setting in DECLARED.items():
        if key not in values:
            continue
        value = values[key]
        if key not in kept and value == setting.default:
            continue
        table, _, name = key.rpartition(".")
        tables.setdefault(table, []).append(f"{name} = {_toml_value(value)}")
    lines = [_HEADER + f"version = {SETTINGS_VERSION}\n"]
    for table, entries in tables.items():
        lines.append(f"\n[{table}]\n" + "".join(entry + "\n" for entry in entries))
    return "".join(lines)


def _explicit_keys(text: str) -> frozenset[str]:
    import tomllib  # noqa: PLC0415 - only here

    def walk(table: Mapping[str, Any], prefix: str) -> Iterable[str]:
        for name, value in table.items():
            if isinstance(value, dict):
                yield from walk(value, f"{prefix}{name}.")
            elif f"{prefix}{name}" in DECLARED:
                yield f"{prefix}{name}"

    return frozenset(walk(tomllib.loads(text), ""))


def read_settings_file(path: Path) -> SettingsFile:
    """The file as it is now (no file: defaults); ConfigError when it is not valid."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return SettingsFile(path, Settings(source=path), None, frozenset())
    except OSError as error:
        msg = f"{path}: cannot read settings: {error}"
        raise ConfigError(msg) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"{path}: the settings file is not UTF-8: {error}"
        raise ConfigError(msg) from error
    settings = parse_settings(text, path)
    return SettingsFile(
        path, settings, hashlib.sha256(data).hexdigest(), _explicit_keys(text), text
    )


def _new_text(current: SettingsFile, values: Mapping[str, Any], changed: tuple[str, ...]) -> str:
    """The file's next text: edited in place when it can be, else written anew."""
    if current.text is not None and editable_in_place(current.text):
        return edit_settings_text(current.text, {key: values[key] for key in changed})
    return settings_toml(values, current.explicit | set(changed))


def _staged(path: Path, data: bytes) -> Path:
    """``data`` durably in a new file beside ``path`` (same folder, so the rename is atomic)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    staged = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):  # keep the old file's permissions
            staged.chmod(path.stat().st_mode & 0o777)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def save_settings(
    conn: Connection,
    ctx: WriteContext,
    path: Path,
    changes: Mapping[str, Any],
    *,
    reason: str,
    expected_sha256: str | None,
) -> SettingsChange:
    """Write ``changes`` (setting key → value, as :func:`value_from_form` gives) into the
    settings file at ``path`` and audit it, in the caller's writer transaction.

    ``expected_sha256`` is the SHA-256 of the file the form was filled from (``None``: there
    was no file); a file changed meanwhile is refused rather than overwritten. Refusals
    (:class:`~station.services.errors.Refused`): ``reason_required``,
    ``settings_unreadable``, ``settings_file_changed``, ``settings_invalid``, ``no_change``.
    """
    require(ctx, SETTINGS_MANAGE)
    where = str(path)
    if not reason.strip():
        raise Refused("reason_required", "Say why the settings change.", subject=where)
    unknown = sorted(set(changes) - set(DECLARED))
    if unknown:
        msg = f"unknown setting(s): {', '.join(unknown)}"
        raise ValueError(msg)
    try:
        current = read_settings_file(path)
    except ConfigError as error:
        raise Refused("settings_unreadable", str(error), subject=where) from error
    if current.sha256 != expected_sha256:
        raise Refused(
            "settings_file_changed",
            f"{path} changed since the form was filled; reload the settings and enter the"
            " change again.",
            subject=where,
        )
    values = dict(current.settings.values)
    for key, value in changes.items():
        try:
            values[key] = DECLARED[key].convert(value)  # checked again here, not only in the form
        except ValueError as error:
            raise Refused("settings_invalid", f"{key} {error}", subject=where) from error
    changed = tuple(key for key in DECLARED if values[key] != current.settings.values[key])
    if not changed:
        raise Refused("no_change", "Nothing was changed.", subject=where)
    text = _new_text(current, values, changed)
    try:
        written = parse_settings(text, path)
    except ConfigError as error:
        raise Refused("settings_invalid", str(error), subject=where) from error
    if dict(written.values) != values:  # the writer and the reader must agree exactly
        msg = f"{path}: the settings did not read back as written"
        raise ConfigError(msg)
    old, new = current.settings.snapshot(), written.snapshot()
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = _staged(path, data)
    try:
        link = record_audit(
            conn,
            ctx,
            action=SETTINGS_ACTION,
            entity="settings",
            entity_id=where,
            old=old,
            new=new,
            reason=reason,
        )
        staged.replace(path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
    return SettingsChange(path, changed, old, new, link.seq, hashlib.sha256(data).hexdigest())
