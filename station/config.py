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

from station.config_values import (
    byte_text,
    choice,
    escaped_bytes,
    flag,
    optional_path,
    plain_text,
    positive_int,
    text_list,
    whole_number,
)
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
STATION_DATABASE = declare(
    "station.database",
    optional_path,
    "",
    "Station database",
    "The station's SQLite file on a local disk. Empty: station.sqlite in the user's data folder "
    "(shown by 'station diagnostics'). Never a network share (the station refuses one).",
)
STATION_ID = declare(
    "station.id",
    plain_text,
    "",
    "Station code",
    "This station's code in the master data (a location such as GI-01); it names the station "
    "in every event. Empty: the computer's name.",
)
FEEDBACK_SOUND = declare(
    "feedback.sound",
    flag,
    default=True,
    label="Sounds",
    help="A sound for every accepted, warning and refused scan (colours and words show anyway).",
)
SSCC_PREFIX = declare(
    "labels.sscc_prefix",
    plain_text,
    "",
    "SSCC prefix",
    "Extension digit and GS1 company prefix for new SSCCs made at packing (e.g. 36901234); "
    "empty: packing only scans SSCC labels printed elsewhere.",
)
SSCC_BLOCK = declare(
    "labels.sscc_block",
    plain_text,
    "",
    "SSCC serial reference block",
    "The serial references this station may use for new SSCCs, FIRST-LAST (e.g. 1-4999999); "
    "give every station that shares the SSCC prefix its own block, so no two make the same "
    "SSCC. Empty: the whole range (only when no other station uses the prefix).",
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


#: Barcode formats the camera may be asked to read (zxing-cpp's names; ``docs/codes.md`` §9).
CAMERA_FORMAT_NAMES = (
    "Aztec",
    "Codabar",
    "Code39",
    "Code93",
    "Code128",
    "DataBar",
    "DataBarExpanded",
    "DataBarLimited",
    "DataMatrix",
    "DXFilmEdge",
    "EAN8",
    "EAN13",
    "ITF",
    "MaxiCode",
    "MicroQRCode",
    "PDF417",
    "QRCode",
    "RMQRCode",
    "UPCA",
    "UPCE",
)


def format_list(value: object) -> tuple[str, ...]:
    formats = text_list(value)
    unknown = [f for f in formats if f not in CAMERA_FORMAT_NAMES]
    if unknown:
        known = ", ".join(CAMERA_FORMAT_NAMES)
        msg = f"has unknown formats {', '.join(map(repr, unknown))} (known: {known})"
        raise ValueError(msg)
    if not formats or len(set(formats)) != len(formats):
        msg = "must list at least one format, each once"
        raise ValueError(msg)
    return formats


SCANNER_KIND = declare(
    "scanner.kind",
    choice("keyboard", "serial", "simulated", "none"),
    "keyboard",
    "Scanner",
    "How the scanner is connected. 'keyboard': a scanner that types (USB keyboard wedge, works "
    "with no setup); 'serial': a serial or USB-CDC (virtual COM port) scanner, see the port "
    "settings; 'simulated': the built-in simulator; 'none': no scanner, keys are never taken "
    "as scans. The keyboard wedge also listens with 'serial' and 'simulated'. The demo always "
    "uses the simulator.",
)
SCANNER_PORT = declare(
    "scanner.port",
    plain_text,
    "",
    "Serial port",
    "The scanner's port, e.g. COM3 or /dev/ttyACM0; prefer a stable name such as "
    "/dev/serial/by-id/…, which survives plugging into another USB socket. Required when the "
    "scanner is 'serial'.",
)
SCANNER_BAUDRATE = declare(
    "scanner.baudrate",
    whole_number(50, 4_000_000),
    9600,
    "Baud rate",
    "RS-232 scanners must match the scanner's setting; USB virtual COM ports ignore it.",
)
SCANNER_TERMINATOR = declare(
    "scanner.terminator",
    choice("auto", "cr", "lf", "crlf", "none"),
    "auto",
    "End of scan (serial)",
    "What the scanner sends after each code: 'auto' accepts CR, LF or CR LF; 'cr', 'lf' or "
    "'crlf' accept only that one; 'none' relies on a pause (set the pause below).",
)
SCANNER_TIMEOUT_MS = declare(
    "scanner.timeout_ms",
    whole_number(0, 10_000),
    0,
    "Pause that ends a scan (ms, serial)",
    "Silence after which a scan counts as complete; 0 turns it off. Needed when the end of scan "
    "is 'none' (50–200 ms suits most scanners); it must be longer than any pause the scanner "
    "makes inside one code.",
)
SCANNER_PREFIX = declare(
    "scanner.prefix",
    byte_text,
    "",
    "Prefix removed (serial)",
    "Bytes the scanner sends before each code, removed when present. Write control bytes as "
    "\\xHH (\\x02 is STX); \\r, \\n, \\t and \\\\ also work. Empty: none.",
)
SCANNER_SUFFIX = declare(
    "scanner.suffix",
    byte_text,
    "",
    "Suffix removed (serial)",
    "Bytes the scanner sends after each code, before the end of scan, removed when present; "
    "written as for the prefix (\\x03 is ETX).",
)
WEDGE_MAX_KEY_GAP_MS = declare(
    "wedge.max_key_gap_ms",
    whole_number(1, 250),
    35,
    "Longest pause between scanner keys (ms)",
    "A keyboard-wedge scanner types a key every 1–10 ms, a person rarely faster than every "
    "50 ms. Keys closer together than this belong to a scan.",
)
WEDGE_MIN_LENGTH = declare(
    "wedge.min_length",
    whole_number(2, 100),
    4,
    "Shortest scan typed (keys)",
    "Fewer fast keys than this are taken as typing and passed on to the screen.",
)
WEDGE_TERMINATOR = declare(
    "wedge.terminator",
    choice("enter", "tab", "none"),
    "enter",
    "Key ending a scan (keyboard)",
    "The key the scanner types after each code: 'enter' (the usual factory setting), 'tab', "
    "or 'none' when the scanner sends no suffix: then a pause ends the scan.",
)
WEDGE_END_GAP_MS = declare(
    "wedge.end_gap_ms",
    whole_number(10, 5_000),
    100,
    "Pause that ends a typed scan (ms)",
    "Silence after the last scanner key that ends a scan with no end key ('none'), or "
    "abandons an unfinished one. Must be longer than the pause between scanner keys.",
)
CAMERA_KIND = declare(
    "camera.kind",
    choice("none", "device", "simulated"),
    "none",
    "Camera",
    "'device': a camera attached to the computer; 'simulated': images or a video from the "
    "source below; 'none': no camera.",
)
CAMERA_SOURCE = declare(
    "camera.source",
    plain_text,
    "",
    "Camera source",
    "For a device, its number (0 is the first camera; empty means 0) or a stream URL; for the "
    "simulated camera, an image file, a folder of images or a video file.",
)
DEFAULT_CAMERA_FORMATS: tuple[str, ...] = ("DataMatrix", "Code128", "QRCode")
CAMERA_FORMATS = declare(
    "camera.formats",
    format_list,
    DEFAULT_CAMERA_FORMATS,
    "Barcode formats read by the camera",
    "Fewer formats read faster. Add others (e.g. Code39, DataBar, EAN13) only where labels "
    "need them.",
)
CAMERA_REPEAT_WINDOW_MS = declare(
    "camera.repeat_window_ms",
    whole_number(0, 60_000),
    1500,
    "Ignore the same code again for (ms)",
    "A code held in front of the camera is read many times a second; it counts once until it "
    "has been out of view this long. 0 reports every read.",
)
CAMERA_PYZBAR = declare(
    "camera.pyzbar",
    flag,
    default=False,
    label="Second reader (pyzbar)",
    help="Also try pyzbar when zxing-cpp finds nothing (1D and QR only; needs the zbar library).",
)
CAMERA_WIDTH = declare(
    "camera.width",
    whole_number(160, 7680),
    1280,
    "Camera width (pixels)",
    "Requested frame width; the camera may choose the nearest size it supports.",
)
CAMERA_HEIGHT = declare(
    "camera.height",
    whole_number(120, 4320),
    720,
    "Camera height (pixels)",
    "Requested frame height; the camera may choose the nearest size it supports.",
)
SYNC_CONNECTOR = declare(
    "sync.connector",
    choice("none", "epcis", "webhook"),
    "none",
    "ERP connection",
    "'epcis': the centre's EPCIS 2.0 capture interface; 'webhook': the JSON webhook for ERPs "
    "without EPCIS; 'none': events stay queued on the station.",
)
SYNC_ENDPOINT = declare(
    "sync.endpoint",
    plain_text,
    "",
    "ERP address",
    "The centre's base URL (https://…; http:// only for this computer, e.g. station erp-sim). "
    "The API token is kept in the computer's keyring (station sync login), never here.",
)
SYNC_CA_FILE = declare(
    "sync.ca_file",
    optional_path,
    "",
    "Company CA certificate",
    "A PEM file: when set, only certificates issued by this CA are trusted for the ERP "
    "(pinning); empty uses the computer's trusted certificates.",
)
SYNC_PERIOD_SECONDS = declare(
    "sync.period_seconds",
    whole_number(5, 3600),
    30,
    "Sync at least every (s)",
    "A sync round runs after each new event and at least this often.",
)
SYNC_MASTER_DATA = declare(
    "sync.master_data",
    flag,
    default=True,
    label="Pull master data from the ERP",
    help="Products, suppliers, orders, inspection plans and users come from the ERP's master-data "
    "feed (GET /sync/master/…) when the connector is 'epcis'.",
)
SYNC_MASTER_PERIOD_SECONDS = declare(
    "sync.master_period_seconds",
    whole_number(30, 86_400),
    300,
    "Pull master data every (s)",
    "How often master data (and revoked users) is pulled while the station runs.",
)
SYNC_SKEW_WARNING_SECONDS = declare(
    "sync.skew_warning_seconds",
    whole_number(10, 86_400),
    120,
    "Clock difference warning (s)",
    "Warn (and log an incident) when the station clock and the ERP's differ by more.",
)
AUTH_IDLE_TIMEOUT_MINUTES = declare(
    "auth.idle_timeout_minutes",
    whole_number(1, 15),
    5,
    "Sign out after idle (minutes)",
    "A session with no key, scan or click for this long ends; the next signature asks for the "
    "badge (or user name) and the PIN again (AUTH-4).",
)
AUTH_SESSION_HOURS = declare(
    "auth.session_hours",
    whole_number(1, 12),
    12,
    "Longest session (hours)",
    "A session ends this long after its login, however busy.",
)
AUTH_PIN_EXPIRY_DAYS = declare(
    "auth.pin_expiry_days",
    whole_number(0, 3650),
    180,
    "PIN and password expiry (days)",
    "After this many days a secret must be changed before the user can sign in; 0: never.",
)
AUTH_MAX_FAILURES = declare(
    "auth.max_failures",
    whole_number(1, 10),
    5,
    "Failures before the account locks",
    "Consecutive wrong PINs or passwords that lock a user until someone allowed to manage users "
    "unlocks it (P11-U7).",
)
AUTH_STATION_FAILURES_PER_MINUTE = declare(
    "auth.station_failures_per_minute",
    whole_number(3, 1000),
    20,
    "Failed sign-ins per minute (station)",
    "More failed sign-ins than this within a minute, for any users, make the station refuse "
    "sign-ins until the minute has passed (AUTH-3).",
)
AUTH_USER_LIST_MAX_AGE_HOURS = declare(
    "auth.user_list_max_age_hours",
    whole_number(0, 8760),
    72,
    "Users from the ERP: longest without an update (hours)",
    "When users come from the ERP and the last successful master-data pull is older than this, "
    "a sign-in also needs a supervisor's PIN (revocations may be missing, P11-U6); 0: no limit.",
)


@dataclass(frozen=True, slots=True)
class SerialScannerSettings:
    """What the serial scanner's driver needs, in plain values (``ui`` builds the driver)."""

    port: str
    baudrate: int
    terminator: str  # "auto" | "cr" | "lf" | "crlf" | "none"
    timeout: float | None  # seconds of silence that end a scan; None: off
    prefix: bytes
    suffix: bytes


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    """The keyboard wedge's timing rule (``ui.wedge.WedgeConfig`` is built from it)."""

    max_key_gap_ms: int
    min_length: int
    terminator: str  # "enter" | "tab" | "none"
    end_gap_ms: int


@dataclass(frozen=True, slots=True)
class CameraSettings:
    kind: str  # "none" | "device" | "simulated"
    source: str
    formats: tuple[str, ...]
    repeat_window_ms: int
    pyzbar: bool
    width: int
    height: int


#: version N → function turning a version-N mapping into version N+1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """Where and how events go to the ERP (no secret: the token lives in the keyring)."""

    connector: str  # none | epcis | webhook
    endpoint: str
    ca_file: str
    period_s: int
    skew_warn_s: int
    master_data: bool = True
    master_period_s: int = 300


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

    def serial_scanner(self) -> SerialScannerSettings:
        """The serial scanner's settings; ConfigError when they cannot work together."""
        port, terminator = self.get(SCANNER_PORT), self.get(SCANNER_TERMINATOR)
        timeout_ms = self.get(SCANNER_TIMEOUT_MS)
        if self.get(SCANNER_KIND) == "serial" and not port:
            msg = f"{self._where()}: scanner.port must name the port when scanner.kind is 'serial'"
            raise ConfigError(msg)
        if terminator == "none" and not timeout_ms:
            msg = (
                f"{self._where()}: scanner.timeout_ms must be more than 0 when "
                "scanner.terminator is 'none' (nothing else would end a scan)"
            )
            raise ConfigError(msg)
        return SerialScannerSettings(
            port=port,
            baudrate=self.get(SCANNER_BAUDRATE),
            terminator=terminator,
            timeout=timeout_ms / 1000 if timeout_ms else None,
            prefix=escaped_bytes(self.get(SCANNER_PREFIX)),
            suffix=escaped_bytes(self.get(SCANNER_SUFFIX)),
        )

    def wedge(self) -> WedgeSettings:
        wedge = WedgeSettings(
            max_key_gap_ms=self.get(WEDGE_MAX_KEY_GAP_MS),
            min_length=self.get(WEDGE_MIN_LENGTH),
            terminator=self.get(WEDGE_TERMINATOR),
            end_gap_ms=self.get(WEDGE_END_GAP_MS),
        )
        if wedge.end_gap_ms <= wedge.max_key_gap_ms:
            msg = (
                f"{self._where()}: wedge.end_gap_ms ({wedge.end_gap_ms}) must be longer than "
                f"wedge.max_key_gap_ms ({wedge.max_key_gap_ms})"
            )
            raise ConfigError(msg)
        return wedge

    def camera(self) -> CameraSettings:
        return CameraSettings(
            kind=self.get(CAMERA_KIND),
            source=self.get(CAMERA_SOURCE),
            formats=self.get(CAMERA_FORMATS),
            repeat_window_ms=self.get(CAMERA_REPEAT_WINDOW_MS),
            pyzbar=self.get(CAMERA_PYZBAR),
            width=self.get(CAMERA_WIDTH),
            height=self.get(CAMERA_HEIGHT),
        )

    def sync(self) -> SyncConfig:
        return SyncConfig(
            connector=self.get(SYNC_CONNECTOR),
            endpoint=self.get(SYNC_ENDPOINT),
            ca_file=self.get(SYNC_CA_FILE),
            period_s=self.get(SYNC_PERIOD_SECONDS),
            skew_warn_s=self.get(SYNC_SKEW_WARNING_SECONDS),
            master_data=self.get(SYNC_MASTER_DATA),
            master_period_s=self.get(SYNC_MASTER_PERIOD_SECONDS),
        )

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
    # Cross-field checks (one token used twice, a serial scanner without a port…) fail at load.
    settings.reader_config()
    settings.serial_scanner()
    settings.wedge()
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
