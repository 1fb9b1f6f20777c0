"""Every station setting, declared exactly once, and the loader for the settings file.

The file is TOML with a ``version``; numbered upgrade functions bring old files forward step by
step. Loading validates everything once and yields a frozen :class:`Settings` snapshot that
constructors receive; nothing reads settings globally. Secrets never live here.

>>> settings = parse_settings('version = 1\\n[reader]\\ngs_substitutes = ["|"]\\n')
>>> settings.get(READER_GS_SUBSTITUTES)
('|',)
>>> settings.reader_config().gs_substitutes
('|',)
>>> parse_settings('version = 1\\n[reader]\\ngs_substitute = ["|"]\\n')  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
station.errors.ConfigError: settings: unknown setting 'reader.gs_substitute' (did you mean ...?)
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast

from station.errors import ConfigError, ParseError
from station.udi.normalize import (
    DEFAULT_EOT_SUBSTITUTES,
    DEFAULT_GS_SUBSTITUTES,
    DEFAULT_MAX_LENGTH,
    DEFAULT_RS_SUBSTITUTES,
    ReaderConfig,
)

T = TypeVar("T")

SETTINGS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One setting: its dotted key, how to read it, default, and the words the UI shows."""

    key: str
    convert: Callable[[object], T]
    default: T
    label: str
    help: str
    secret: bool = False  # never written to the audit trail (none exist: secrets live elsewhere)


#: Every declared setting by key, in declaration order (the settings dialog is built from it).
DECLARED: dict[str, Setting[Any]] = {}


def declare(
    key: str,
    convert: Callable[[object], T],
    default: T,
    label: str,
    help: str,
    *,
    secret: bool = False,
) -> Setting[T]:
    if key in DECLARED:
        msg = f"setting {key!r} declared twice"
        raise ValueError(msg)
    setting = Setting(key, convert, default, label, help, secret)
    DECLARED[key] = setting
    return setting


# -- converters: each raises ValueError with a reason a person can act on


def text_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        msg = "must be a list of strings"
        raise ValueError(msg)
    return tuple(value)


def positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = "must be a whole number of at least 1"
        raise ValueError(msg)
    return value


def optional_path(value: object) -> str:
    """A path as text: empty for "none", else absolute (a relative one would follow the cwd).

    >>> optional_path("")
    ''
    >>> optional_path("backups")
    Traceback (most recent call last):
    ...
    ValueError: must be empty or an absolute path
    """
    if not isinstance(value, str) or "\0" in value:
        msg = "must be text"
        raise ValueError(msg)
    if value and not Path(value).is_absolute():
        msg = "must be empty or an absolute path"
        raise ValueError(msg)
    return value


def choice(*options: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if value not in options:
            msg = f"must be one of {', '.join(repr(o) for o in options)}"
            raise ValueError(msg)
        return str(value)

    return convert


# -- the declarations

READER_GS_SUBSTITUTES = declare(
    "reader.gs_substitutes",
    text_list,
    DEFAULT_GS_SUBSTITUTES,
    "Typed stand-ins for the GS separator",
    "Text a keyboard-wedge scanner types instead of the invisible GS character. Choose text "
    "that can never be data (outside GS1 character set 82), such as {GS} or ^].",
)
READER_RS_SUBSTITUTES = declare(
    "reader.rs_substitutes",
    text_list,
    DEFAULT_RS_SUBSTITUTES,
    "Typed stand-ins for the RS separator",
    "As for GS, for the RS of ISO/IEC 15434 codes.",
)
READER_EOT_SUBSTITUTES = declare(
    "reader.eot_substitutes",
    text_list,
    DEFAULT_EOT_SUBSTITUTES,
    "Typed stand-ins for EOT",
    "As for GS, for the EOT ending ISO/IEC 15434 codes.",
)
READER_MAX_LENGTH = declare(
    "reader.max_length",
    positive_int,
    DEFAULT_MAX_LENGTH,
    "Longest scan accepted (bytes)",
    "Longer input is refused unread.",
)
UI_LANGUAGE = declare(
    "ui.language",
    choice("system", "en", "zh_CN"),
    "system",
    "Language",
    "User interface language; 'system' follows the computer's setting.",
)
BACKUP_DIRECTORY = declare(
    "backup.directory",
    optional_path,
    "",
    "Scheduled backup folder",
    "Where the station copies its database on a schedule; empty turns scheduled backups off. "
    "It must be on separate media (another disk, a USB drive or a network share), never the "
    "disk that holds the database: a copy on the same disk is lost with it.",
)
BACKUP_INTERVAL_MINUTES = declare(
    "backup.interval_minutes",
    positive_int,
    60,
    "Back up every (minutes)",
    "The longest time between two scheduled backups.",
)
BACKUP_EVERY_EVENTS = declare(
    "backup.every_events",
    positive_int,
    1000,
    "Back up after (events)",
    "A scheduled backup is also taken once this many events were recorded since the last one.",
)
BACKUP_KEEP = declare(
    "backup.keep",
    positive_int,
    10,
    "Backups kept",
    "How many verified copies to keep in the backup folder; older ones are deleted.",
)

#: version N → function turning a version-N mapping into version N+1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True, slots=True)
class Settings:
    """A validated, immutable snapshot of all settings."""

    values: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({k: s.default for k, s in DECLARED.items()})
    )
    source: Path | None = None

    def get(self, setting: Setting[T]) -> T:
        return cast("T", self.values[setting.key])

    def reader_config(self) -> ReaderConfig:
        try:
            return ReaderConfig(
                gs_substitutes=self.get(READER_GS_SUBSTITUTES),
                rs_substitutes=self.get(READER_RS_SUBSTITUTES),
                eot_substitutes=self.get(READER_EOT_SUBSTITUTES),
                max_length=self.get(READER_MAX_LENGTH),
            )
        except ParseError as exc:
            raise ConfigError(f"{self._where()}: reader settings: {exc}") from exc

    def snapshot(self) -> dict[str, Any]:
        """The effective values as plain JSON data (lists for tuples), secrets left out.

        This is what the audit trail records for a settings change (P11-K1), so two snapshots
        are equal exactly when the station behaves the same.

        >>> Settings().snapshot()["reader.max_length"] == READER_MAX_LENGTH.default
        True
        """
        return {
            key: _plain(value)
            for key, value in sorted(self.values.items())
            if not (key in DECLARED and DECLARED[key].secret)
        }

    def _where(self) -> str:
        return str(self.source) if self.source else "settings"


def _plain(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _upgrade(document: dict[str, Any], where: str) -> dict[str, Any]:
    version = document.get("version", SETTINGS_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        msg = f"{where}: 'version' must be a whole number of at least 1"
        raise ConfigError(msg)
    if version > SETTINGS_VERSION:
        msg = (
            f"{where}: written by a newer station (version {version}); "
            f"this one reads up to version {SETTINGS_VERSION}"
        )
        raise ConfigError(msg)
    while version < SETTINGS_VERSION:
        document = UPGRADES[version](document)
        version += 1
    return document


def parse_settings(text: str, source: Path | None = None) -> Settings:
    """Validate a settings document; raise ConfigError naming the first problem."""
    where = str(source) if source else "settings"
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    flat = _flatten(_upgrade(document, where))
    flat.pop("version", None)
    values = {key: setting.default for key, setting in DECLARED.items()}
    for key, raw in flat.items():
        setting = DECLARED.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, DECLARED, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{where}: unknown setting {key!r}{hint}")
        try:
            values[key] = setting.convert(raw)
        except ValueError as exc:
            raise ConfigError(f"{where}: {key} {exc}, got {raw!r}") from exc
    settings = Settings(MappingProxyType(values), source)
    settings.reader_config()  # cross-field checks (e.g. one token used twice) fail at load
    return settings


def load_settings(path: Path | None) -> Settings:
    """Load ``path``; a missing file means all defaults."""
    if path is None or not path.exists():
        return Settings(source=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
    return parse_settings(text, path)
