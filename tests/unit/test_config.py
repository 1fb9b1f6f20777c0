"""Settings: declared once, validated once, clear errors, versioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from station import config, config_values
from station.errors import ConfigError


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = config.load_settings(tmp_path / "absent.toml")
    assert settings.get(config.READER_GS_SUBSTITUTES) == config.READER_GS_SUBSTITUTES.default
    assert settings.get(config.UI_LANGUAGE) == "system"


def test_values_are_loaded_and_feed_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text(
        'version = 1\n[reader]\ngs_substitutes = ["~"]\nmax_length = 100\n'
        '[ui]\nlanguage = "zh_CN"\n',
        encoding="utf-8",
    )
    settings = config.load_settings(path)
    reader = settings.reader_config()
    assert reader.gs_substitutes == ("~",)
    assert reader.max_length == 100
    assert settings.get(config.UI_LANGUAGE) == "zh_CN"


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("version = 1\n[reader]\nmax_length = 0\n", "reader.max_length must be a whole number"),
        ("version = 1\n[reader]\nmax_length = true\n", "reader.max_length"),
        ('version = 1\n[ui]\nlanguage = "fr"\n', "must be one of"),
        ('version = 1\n[reader]\ngs_substitutes = "{GS}"\n', "must be a list of strings"),
        ('version = 1\n[reader]\ngs_substitutes = [""]\n', "cannot be empty"),
        ('version = 1\n[reader]\ngs_substitutes = ["|"]\nrs_substitutes = ["|"]\n', "twice"),
        ("version = 99\n", "newer station"),
        ("version = 'one'\n", "'version' must be"),
        ("[reader\n", "not valid TOML"),
        ('version = 1\n[reader]\ngs_substitute = ["|"]\n', "did you mean 'reader.gs_substitutes'"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(document: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        config.parse_settings(document)
    assert fragment in str(info.value)


def test_old_versions_are_upgraded_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def v1_to_v2(doc: dict[str, object]) -> dict[str, object]:
        reader = dict(doc.pop("scanner", {}))  # type: ignore[call-overload]
        return {**doc, "reader": reader, "version": 2}

    monkeypatch.setattr(config, "SETTINGS_VERSION", 2)
    monkeypatch.setitem(config.UPGRADES, 1, v1_to_v2)
    settings = config.parse_settings("version = 1\n[scanner]\nmax_length = 7\n")
    assert settings.get(config.READER_MAX_LENGTH) == 7


def test_every_setting_has_label_and_help() -> None:
    for setting in config.DECLARED.values():
        assert setting.label
        assert setting.help
        setting.convert(setting.default)  # defaults pass their own validation


# -- scanner, keyboard wedge and camera settings (issue 4)


def test_device_defaults() -> None:
    settings = config.Settings()
    assert settings.get(config.SCANNER_KIND) == "keyboard"  # every wedge scanner, no setup
    assert settings.serial_scanner() == config.SerialScannerSettings(
        port="", baudrate=9600, terminator="auto", timeout=None, prefix=b"", suffix=b""
    )
    assert settings.wedge() == config.WedgeSettings(
        max_key_gap_ms=35, min_length=4, terminator="enter", end_gap_ms=100
    )
    assert settings.camera() == config.CameraSettings(
        kind="none",
        source="",
        formats=("DataMatrix", "Code128", "QRCode"),
        repeat_window_ms=1500,
        pyzbar=False,
        width=1280,
        height=720,
    )


DEVICE_DOCUMENT = """version = 1
[scanner]
kind = "serial"
port = "/dev/serial/by-id/usb-Honeywell-if00"
baudrate = 115200
terminator = "none"
timeout_ms = 80
prefix = '\\x02'
suffix = '\\x03\\r\\n'
[wedge]
max_key_gap_ms = 20
min_length = 6
terminator = "tab"
end_gap_ms = 250
[camera]
kind = "device"
source = "1"
formats = ["DataMatrix", "Code39"]
repeat_window_ms = 0
pyzbar = true
width = 1920
height = 1080
"""


def test_device_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text(DEVICE_DOCUMENT, encoding="utf-8")
    settings = config.load_settings(path)
    assert settings.serial_scanner() == config.SerialScannerSettings(
        port="/dev/serial/by-id/usb-Honeywell-if00",
        baudrate=115200,
        terminator="none",
        timeout=0.08,
        prefix=b"\x02",
        suffix=b"\x03\r\n",
    )
    assert settings.get(config.SCANNER_SUFFIX) == "\\x03\\r\\n"  # kept as written (audit, UI)
    assert settings.wedge() == config.WedgeSettings(20, 6, "tab", 250)
    camera = settings.camera()
    assert (camera.kind, camera.source, camera.formats) == ("device", "1", ("DataMatrix", "Code39"))
    assert (camera.repeat_window_ms, camera.pyzbar, camera.width, camera.height) == (
        0,
        True,
        1920,
        1080,
    )
    # The snapshot (what the audit trail records) is plain JSON and loads back the same.
    snapshot = settings.snapshot()
    assert snapshot["camera.formats"] == ["DataMatrix", "Code39"]
    assert snapshot["scanner.prefix"] == "\\x02"
    again = config.Settings(dict(settings.values))
    assert again.snapshot() == snapshot


V1 = "version = 1\n"


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        (V1 + '[scanner]\nkind = "usb"\n', "scanner.kind must be one of 'keyboard'"),
        (V1 + '[scanner]\nkind = "serial"\n', "scanner.port must name the port"),
        (V1 + "[scanner]\nport = 3\n", "scanner.port must be one line of text"),
        (V1 + '[scanner]\nport = "COM3\\n"\n', "without control characters"),
        (V1 + "[scanner]\nbaudrate = 0\n", "scanner.baudrate must be a whole number from 50"),
        (V1 + '[scanner]\nbaudrate = "9600"\n', "scanner.baudrate must be a whole number"),
        (V1 + '[scanner]\nterminator = "etx"\n', "scanner.terminator must be one of 'auto'"),
        (V1 + '[scanner]\nterminator = "none"\n', "scanner.timeout_ms must be more than 0"),
        (V1 + "[scanner]\ntimeout_ms = -1\n", "scanner.timeout_ms must be a whole number"),
        (V1 + "[scanner]\ntimeout_ms = 0.5\n", "scanner.timeout_ms must be a whole number"),
        (V1 + "[scanner]\nprefix = '\\q'\n", "unknown escape"),
        (V1 + "[scanner]\nprefix = '\\x2'\n", "needs two hex digits"),
        (V1 + '[scanner]\nsuffix = "\\u0003"\n', "write control bytes as \\xHH"),
        (V1 + "[scanner]\nsuffix = 3\n", "scanner.suffix must be text"),
        (V1 + "[wedge]\nmax_key_gap_ms = 0\n", "wedge.max_key_gap_ms must be a whole number"),
        (V1 + "[wedge]\nmax_key_gap_ms = 400\n", "from 1 to 250"),
        (V1 + "[wedge]\nmin_length = 1\n", "wedge.min_length must be a whole number from 2"),
        (V1 + '[wedge]\nterminator = "return"\n', "wedge.terminator must be one of 'enter'"),
        (V1 + "[wedge]\nend_gap_ms = 5\n", "wedge.end_gap_ms must be a whole number"),
        (V1 + "[wedge]\nend_gap_ms = 30\n", "end_gap_ms (30) must be longer than"),
        (V1 + '[camera]\nkind = "webcam"\n', "camera.kind must be one of 'none'"),
        (V1 + "[camera]\nsource = ['0']\n", "camera.source must be one line"),
        (V1 + '[camera]\nformats = ["QRCode", "Qr"]\n', "unknown formats 'Qr'"),
        (V1 + "[camera]\nformats = []\n", "at least one format"),
        (V1 + '[camera]\nformats = ["QRCode", "QRCode"]\n', "each once"),
        (V1 + '[camera]\nformats = "QRCode"\n', "must be a list of strings"),
        (V1 + "[camera]\nrepeat_window_ms = -5\n", "camera.repeat_window_ms must be"),
        (V1 + "[camera]\npyzbar = 1\n", "camera.pyzbar must be true or false"),
        (V1 + "[camera]\nwidth = 100\n", "camera.width must be a whole number from 160"),
        (V1 + "[camera]\nheight = true\n", "camera.height must be a whole number"),
        (V1 + "[camera]\nfps = 30\n", "unknown setting 'camera.fps'"),
    ],
)
def test_bad_device_settings_are_refused_with_a_reason(document: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        config.parse_settings(document)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", b""),
        ("]d2", b"]d2"),
        ("\\x02", b"\x02"),
        ("\\x1D\\x1e", b"\x1d\x1e"),
        ("\\r\\n\\t", b"\r\n\t"),
        ("a\\\\b", b"a\\b"),
    ],
)
def test_escaped_bytes(text: str, expected: bytes) -> None:
    assert config_values.escaped_bytes(text) == expected


@pytest.mark.parametrize("text", ["\\", "\\x", "\\xg0", "\\x 1", "\\0", "é", "\x02"])
def test_escaped_bytes_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"escape|hex|backslash|ASCII"):
        config_values.escaped_bytes(text)
