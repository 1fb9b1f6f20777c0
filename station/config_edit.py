"""Changing values in a settings file as a person wrote it: comments, order, blank lines and
every untouched value stay as they were, byte for byte; a changed value is written in place.

The settings file is edited by hand as well as from Admin → Settings, and operators put the
reasons for their values in comments. Writing the file anew from the values would drop them,
so a save goes through :func:`edit_settings_text`, which uses tomlkit (a style-preserving TOML
parser and writer) to replace only the values that changed:

* a setting the file names keeps its place, its key spelling (``[reader]`` table, dotted
  ``reader.max_length`` or an inline table) and its trailing comment; only its value changes.
  A changed list is written on one line, so comments inside that list's old brackets go with
  the old value;
* a setting the file does not name is added at the end of its table (the table is added at
  the end of the file when the file has none).

A file written by an older station (``version`` below :data:`station.config.SETTINGS_VERSION`)
is not edited in place: its upgrade may rename settings, so the caller writes it anew.

>>> text = "# why: long HIBC codes\\n[reader]\\nmax_length = 4096  # bytes\\n"
>>> print(edit_settings_text(text, {"reader.max_length": 8192}), end="")
# why: long HIBC codes
[reader]
max_length = 8192  # bytes
>>> print(edit_settings_text("version = 1\\n", {"wedge.terminator": "tab"}), end="")
version = 1
<BLANKLINE>
[wedge]
terminator = "tab"
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from station.config import SETTINGS_VERSION
from station.errors import ConfigError

__all__ = ["edit_settings_text", "editable_in_place"]


def editable_in_place(text: str) -> bool:
    """Whether :func:`edit_settings_text` may edit ``text``: written for this station's
    settings version (or naming none, which means this one)."""
    import tomlkit  # noqa: PLC0415 - loaded on the first save, not at start-up

    version: object = tomlkit.parse(text).get("version", SETTINGS_VERSION)
    return version == SETTINGS_VERSION


def _toml_value(value: object) -> Any:
    """A settings value as a tomlkit item (tuples as arrays)."""
    import tomlkit  # noqa: PLC0415

    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, bool | int | str | list):
        msg = f"cannot write a {type(value).__name__} to the settings file"
        raise TypeError(msg)
    return tomlkit.item(value)


def _table_for(document: MutableMapping[str, Any], path: list[str], key: str) -> Any:
    """The table that holds the setting ``key`` (``path`` is its key without the last part),
    made at the end of its parent when the file has none."""
    import tomlkit  # noqa: PLC0415

    table: MutableMapping[str, Any] = document
    for part in path:
        if part not in table:
            table[part] = tomlkit.table()
        table = table[part]
        if not isinstance(table, MutableMapping):
            msg = f"{key}: {part!r} in the settings file is a value, not a table"
            raise ConfigError(msg)
    return table


def edit_settings_text(text: str, changes: Mapping[str, object]) -> str:
    """``text`` with each setting in ``changes`` (setting key → value) set in place.

    Raises ConfigError when ``text`` is not valid TOML or a setting's table is a value.
    The caller reads the result back through :func:`station.config.parse_settings`.
    """
    import tomlkit  # noqa: PLC0415
    from tomlkit.exceptions import TOMLKitError  # noqa: PLC0415

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        msg = f"the settings file is not valid TOML: {error}"
        raise ConfigError(msg) from error
    for key, value in changes.items():
        *path, name = key.split(".")
        table = _table_for(document, path, key)
        table[name] = _toml_value(value)
    return document.as_string()
