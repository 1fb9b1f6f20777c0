"""Settings edited in place: comments, order and untouched values survive (station.config_edit)."""

from __future__ import annotations

import difflib
import tomllib

import pytest

import station.config_edit as config_edit
from station.config import DECLARED, parse_settings
from station.config_edit import edit_settings_text, editable_in_place
from station.errors import ConfigError

HAND_WRITTEN = """\
# Station settings for packing line 2 — ask QA before changing the reader.
version = 1   # the format

# The Honeywell on this line sends long HIBC codes.
[reader]
max_length = 4096  # bytes, see deviation DV-17
gs_substitutes = [
    "{GS}",   # the wedge's stand-in
    "^]",
]

[wedge]
# measured 2026-03-02 with the line's scanner
max_key_gap_ms = 30
terminator = "enter"

[ui]
language = "zh_CN"  # the line speaks Chinese
"""


def changed_lines(before: str, after: str) -> list[str]:
    """The lines that differ, as ``-old`` / ``+new``."""
    return [
        line
        for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(True))
        if line[:1] in "+-"
    ]


def test_a_changed_value_is_written_in_place_and_every_other_line_is_kept() -> None:
    after = edit_settings_text(HAND_WRITTEN, {"reader.max_length": 8192})
    assert changed_lines(HAND_WRITTEN, after) == [
        "- max_length = 4096  # bytes, see deviation DV-17\n",
        "+ max_length = 8192  # bytes, see deviation DV-17\n",
    ]
    assert parse_settings(after).values["reader.max_length"] == 8192


def test_a_changed_list_replaces_only_its_own_lines() -> None:
    after = edit_settings_text(HAND_WRITTEN, {"reader.gs_substitutes": ("{GS}", "<GS>")})
    removed = [line for line in changed_lines(HAND_WRITTEN, after) if line.startswith("-")]
    assert len(removed) == 4  # the four lines of the old multi-line list, nothing else
    assert parse_settings(after).values["reader.gs_substitutes"] == ("{GS}", "<GS>")
    assert "# the wedge's stand-in" not in after  # it described the old value
    assert "# bytes, see deviation DV-17" in after


def test_a_setting_the_file_does_not_name_joins_its_table() -> None:
    after = edit_settings_text(HAND_WRITTEN, {"wedge.min_length": 6, "camera.kind": "none"})
    assert [line for line in changed_lines(HAND_WRITTEN, after) if line.startswith("-")] == []
    wedge = after.index("[wedge]")
    assert wedge < after.index("min_length = 6") < after.index("[ui]")
    assert after.rstrip().endswith('[camera]\nkind = "none"')
    values = parse_settings(after).values
    assert (values["wedge.min_length"], values["camera.kind"]) == (6, "none")


@pytest.mark.parametrize(
    "text",
    [
        "reader.max_length = 4096 # dotted\n",
        "reader = { max_length = 4096 } # inline\n",
    ],
)
def test_dotted_and_inline_keys_keep_their_form(text: str) -> None:
    after = edit_settings_text(text, {"reader.max_length": 100})
    assert after == text.replace("4096", "100")


def test_every_setting_reads_back_as_written() -> None:
    # A non-default value of every kind, control characters in text included.
    changes: dict[str, object] = {}
    for key, setting in DECLARED.items():
        default = setting.default
        if isinstance(default, bool):
            changes[key] = not default
        elif isinstance(default, int):
            changes[key] = default + 1
    changes["reader.eot_substitutes"] = ("\x04", 'q"uote\\', "\x7f")
    changes["station.id"] = "线 2\tline"
    # Read with the standard library's parser, as the station reads its settings (the values
    # need not pass each setting's range check here).
    document = tomllib.loads(edit_settings_text(HAND_WRITTEN, changes))
    for key, value in changes.items():
        table, _, name = key.rpartition(".")
        written = document[table][name]
        assert (tuple(written) if isinstance(written, list) else written) == value, key


def test_a_value_where_a_table_belongs_is_refused() -> None:
    with pytest.raises(ConfigError, match="is a value, not a table"):
        edit_settings_text("reader = 5\n", {"reader.max_length": 1})


def test_only_the_current_version_is_edited_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    assert editable_in_place("version = 1\n")
    assert editable_in_place("# no version: the current one\n")
    monkeypatch.setattr(config_edit, "SETTINGS_VERSION", 2)
    assert not editable_in_place("version = 1\n")  # its upgrade may rename settings
