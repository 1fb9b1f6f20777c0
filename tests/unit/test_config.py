"""Settings: declared once, validated once, clear errors, versioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from station import config
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
