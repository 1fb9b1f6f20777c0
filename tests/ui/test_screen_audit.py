"""The Audit screen on a real demo station: the trail equals the database, filters work, the
ledger verifies, a tampered copy is caught, and the export is formula-guarded and audited."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.ledger.audit import record_audit
from station.ledger.verify import VerifyReport
from station.scanning.raw import RawScan
from tests.ui.screen_env import HOSTILE_LOT, DemoStation, demo_file, demo_station
from ui.feedback import Outcome
from ui.qt import QDate, QLabel, Qt
from ui.screens.audit import ACTION, AuditScreen

__all__ = ["demo_file", "demo_station"]  # fixtures

FORMULA = '=HYPERLINK("http://x","click")'


def make_screen(qtbot: QtBot, station: DemoStation) -> AuditScreen:
    screen = AuditScreen(station.env)
    qtbot.addWidget(screen)
    screen.resize(1280, 860)
    screen.show()
    return screen


def seqs(station: DemoStation, where: str = "", **params: Any) -> list[int]:
    with station.store.engine.connect() as conn:
        query = f"SELECT seq FROM audit {where} ORDER BY seq DESC"
        return [row[0] for row in conn.execute(sa.text(query), params)]


def shown(screen: AuditScreen) -> list[int]:
    return [row.seq for row in screen.model.rows]


def open_and_verify(qtbot: QtBot, screen: AuditScreen) -> VerifyReport:
    with (
        qtbot.waitSignal(screen.loaded, timeout=15_000),
        qtbot.waitSignal(screen.verified, timeout=30_000) as verified,
    ):
        screen.activated()
    report = verified.args[0]
    assert isinstance(report, VerifyReport)
    return report


def reload(qtbot: QtBot, screen: AuditScreen) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=15_000):
        screen.reload()


def test_screen_contract(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    assert (screen.screen_id, screen.shortcut, screen.permission) == ("audit", "F11", "audit.view")
    assert screen.title() == "Audit"


def test_the_trail_equals_the_database_and_the_ledger_verifies(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    screen = make_screen(qtbot, demo_station)
    report = open_and_verify(qtbot, screen)
    assert shown(screen) == seqs(demo_station)
    assert screen.total == len(seqs(demo_station))
    assert report.ok
    assert screen.banner.outcome is Outcome.ACCEPTED
    assert "Ledger intact" in screen.banner.headline.text()
    assert screen.action.findData("service.refused") > 0


def test_filters(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    open_and_verify(qtbot, screen)
    screen.action.setCurrentIndex(screen.action.findData("service.refused"))
    reload(qtbot, screen)
    assert shown(screen) == seqs(demo_station, "WHERE action = 'service.refused'") != []
    assert {screen.model.cell(r, ACTION) for r in range(screen.model.rowCount())} == {
        "service.refused"
    }
    screen.action.setCurrentIndex(0)
    screen.user.setText("WANG")  # case-insensitive, id or printed name
    reload(qtbot, screen)
    assert shown(screen) == seqs(demo_station, "WHERE actor_name LIKE '%wang%'")
    screen.user.clear()
    screen.entity.setText("supplier")
    screen.text.setText("SUP-")
    reload(qtbot, screen)
    assert shown(screen) == seqs(
        demo_station,
        "WHERE (entity LIKE '%supplier%' OR entity_id LIKE '%supplier%') AND ("
        "coalesce(actor,'') || coalesce(actor_name,'') || action || coalesce(entity,'') || "
        "coalesce(entity_id,'') || coalesce(old_value,'') || coalesce(new_value,'') || "
        "coalesce(reason,'') || station) LIKE '%sup-%'",
    )
    screen.entity.clear()
    screen.text.clear()
    screen.use_since.setChecked(True)
    screen.since.setDate(QDate(2030, 1, 1))
    reload(qtbot, screen)
    assert shown(screen) == []
    assert screen.count.text() == "0 entries"


def test_a_tampered_audit_row_is_named(qtbot: QtBot, demo_station: DemoStation) -> None:
    demo_station.store.close()
    raw = sqlite3.connect(demo_station.path)
    raw.execute('DROP TRIGGER "audit_no_update"')  # what an attacker with the file could do
    raw.execute("UPDATE audit SET reason = 'nothing to see' WHERE seq = 5")
    raw.commit()
    raw.close()
    demo_station.reopen()
    screen = make_screen(qtbot, demo_station)
    report = open_and_verify(qtbot, screen)
    assert not report.ok
    assert screen.banner.outcome is Outcome.REFUSED
    assert "audit seq 5" in screen.banner.detail.text()
    assert "hash" in screen.banner.detail.text()
    assert Outcome.REFUSED in demo_station.player.played


def test_export_is_formula_guarded_plain_and_audited(
    qtbot: QtBot, demo_station: DemoStation, tmp_path: Path
) -> None:
    ctx = demo_station.ctx
    demo_station.store.writer.submit(
        lambda conn: record_audit(
            conn, ctx, action="test.hostile", entity="lot", entity_id=HOSTILE_LOT, reason=FORMULA
        )
    ).result()
    screen = make_screen(qtbot, demo_station)
    open_and_verify(qtbot, screen)
    screen.table.selectRow(0)
    assert HOSTILE_LOT.replace("\u202e", "⟨U+202E⟩") in screen.detail.toPlainText()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert not label.openExternalLinks()
    screen.action.setCurrentIndex(screen.action.findData("test.hostile"))
    target = tmp_path / "audit.csv"
    with qtbot.waitSignal(screen.exported, timeout=30_000):
        screen.export(target)
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(table) == 2
    assert table[1][10] == "'" + FORMULA
    with demo_station.store.engine.connect() as conn:
        action, entity_id, new_value = conn.execute(
            sa.text("SELECT action, entity_id, new_value FROM audit ORDER BY seq DESC LIMIT 1")
        ).one()
    assert (action, entity_id) == ("export.audit_trail", str(target.resolve()))
    details = json.loads(new_value)
    assert details["rows"] == 1
    assert details["filter"]["action"] == "test.hostile"


def test_a_scan_searches_the_trail(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    open_and_verify(qtbot, screen)
    with qtbot.waitSignal(screen.loaded, timeout=15_000):
        screen.handle_scan(RawScan.now(b"WH-SZ", "simulated:test"))
    assert shown(screen)
    assert all("WH-SZ" in screen.model.details(r) for r in range(screen.model.rowCount()))


def test_verification_without_keys_says_signatures_were_not_checked(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    screen = make_screen(qtbot, demo_station)
    report = open_and_verify(qtbot, screen)
    assert not report.signatures_checked
    assert "not checked" in screen.banner.detail.text()
