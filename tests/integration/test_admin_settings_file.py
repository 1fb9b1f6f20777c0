"""The settings file changed from the station (P11-K1) and the access-review export (SEC-9)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from station.access import NotPermittedError
from station.admin.review_export import EXPORT_ACTION, export_access_review
from station.admin.settings_file import (
    SETTINGS_ACTION,
    read_settings_file,
    save_settings,
    value_from_form,
)
from station.config import (
    DECLARED,
    READER_MAX_LENGTH,
    WEDGE_END_GAP_MS,
    WEDGE_MAX_KEY_GAP_MS,
    load_settings,
)
from station.context import WriteContext
from station.persistence import tables
from station.persistence.store import Store, open_store
from station.services.errors import Refused
from ui.commands.session import SETTINGS_ACTION as DRIFT_ACTION
from ui.commands.session import record_settings_drift

ADMIN = WriteContext(
    station="ST-1", actor="admin1", actor_name="Admin One", roles=frozenset({"admin"})
)
OPERATOR = WriteContext(station="ST-1", actor="op1", roles=frozenset({"operator"}))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "s.sqlite")
    try:
        yield opened
    finally:
        opened.close()


def audit_rows(store: Store, action: str) -> list[sa.Row[Any]]:
    audit = tables.metadata.tables["audit"]
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(audit).where(audit.c.action == action)))


def test_the_action_is_the_drift_checks_action() -> None:
    assert SETTINGS_ACTION == DRIFT_ACTION


@pytest.mark.req("P11-K1")
def test_a_change_writes_the_file_and_exactly_one_entry(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('version = 1\n[ui]\nlanguage = "system"\n', encoding="utf-8")
    before = read_settings_file(path)
    change = store.writer.submit(
        lambda conn: save_settings(
            conn,
            ADMIN,
            path,
            {READER_MAX_LENGTH.key: value_from_form(READER_MAX_LENGTH, "2048")},
            reason="longer GS1 codes at the packing line",
            expected_sha256=before.sha256,
        )
    ).result()
    assert change.changed == (READER_MAX_LENGTH.key,)
    assert load_settings(path).get(READER_MAX_LENGTH) == 2048
    assert "language" in path.read_text(encoding="utf-8")  # a key the file named is kept
    (entry,) = audit_rows(store, SETTINGS_ACTION)
    assert entry.actor == "admin1"
    assert entry.reason == "longer GS1 codes at the packing line"
    assert json.loads(entry.old_value)[READER_MAX_LENGTH.key] == READER_MAX_LENGTH.default
    assert json.loads(entry.new_value)[READER_MAX_LENGTH.key] == 2048
    # The next start's drift check sees the same settings: nothing more is recorded.
    assert record_settings_drift(store, "ST-1", path) is None
    assert len(audit_rows(store, SETTINGS_ACTION)) == 1
    assert not list(tmp_path.glob("*.partial"))


def test_a_new_file_is_created(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.toml"
    change = store.writer.submit(
        lambda conn: save_settings(
            conn, ADMIN, path, {"ui.language": "zh_CN"}, reason="Chinese", expected_sha256=None
        )
    ).result()
    assert load_settings(path).values["ui.language"] == "zh_CN"
    assert change.old["ui.language"] == "system"


def test_every_setting_round_trips_at_its_default(tmp_path: Path) -> None:
    from station.admin.settings_file import form_text, settings_toml  # noqa: PLC0415

    values = {key: s.default for key, s in DECLARED.items()}
    for key, setting in DECLARED.items():
        entered = (
            setting.default if isinstance(setting.default, bool) else form_text(setting.default)
        )
        assert value_from_form(setting, entered) == setting.default, key
    path = tmp_path / "all.toml"
    path.write_text(settings_toml(values, DECLARED), encoding="utf-8")
    assert dict(load_settings(path).values) == values


@pytest.mark.parametrize(
    ("changes", "expected_sha", "code"),
    [
        ({READER_MAX_LENGTH.key: 100}, "0" * 64, "settings_file_changed"),
        ({WEDGE_END_GAP_MS.key: 20, WEDGE_MAX_KEY_GAP_MS.key: 30}, None, "settings_invalid"),
        ({READER_MAX_LENGTH.key: READER_MAX_LENGTH.default}, None, "no_change"),
        ({READER_MAX_LENGTH.key: -1}, None, "settings_invalid"),
    ],
)
def test_refusals_leave_the_file_alone(
    store: Store, tmp_path: Path, changes: dict[str, object], expected_sha: str | None, code: str
) -> None:
    path = tmp_path / "settings.toml"
    with pytest.raises(Refused) as refused:
        store.writer.submit(
            lambda conn: save_settings(
                conn, ADMIN, path, changes, reason="r", expected_sha256=expected_sha
            )
        ).result()
    assert refused.value.reason == code
    assert not path.exists()
    assert audit_rows(store, SETTINGS_ACTION) == []


def test_a_reason_is_required_and_the_permission_checked(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    with pytest.raises(Refused):
        store.writer.submit(
            lambda conn: save_settings(
                conn, ADMIN, path, {"ui.language": "en"}, reason=" ", expected_sha256=None
            )
        ).result()
    with pytest.raises(NotPermittedError):
        store.writer.submit(
            lambda conn: save_settings(
                conn, OPERATOR, path, {"ui.language": "en"}, reason="x", expected_sha256=None
            )
        ).result()
    assert not path.exists()


@pytest.mark.req("SEC-9")
def test_the_access_review_export_is_guarded_and_audited(store: Store, tmp_path: Path) -> None:
    users = tables.metadata.tables["station_user"]
    store.writer.submit(
        lambda conn: conn.execute(
            users.insert().values(
                username="mal", name='=HYPERLINK("http://x")', roles="operator", active=True
            )
        )
    ).result()
    out = tmp_path / "review.csv"
    done = store.writer.submit(lambda conn: export_access_review(conn, ADMIN, out)).result()
    text = out.read_text(encoding="utf-8-sig")
    assert done.rows == 1
    assert "'=HYPERLINK" in text
    (entry,) = audit_rows(store, EXPORT_ACTION)
    assert json.loads(entry.new_value)["sha256"] == done.sha256
    with pytest.raises(NotPermittedError):
        store.writer.submit(
            lambda conn: export_access_review(conn, OPERATOR, tmp_path / "no.csv")
        ).result()
    assert not (tmp_path / "no.csv").exists()
