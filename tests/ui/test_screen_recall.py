"""The Recall workbench driven by simulated scans on a real demo station."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.scanning.raw import RawScan
from station.trace.api import recall
from station.trace.holds import in_our_hands
from station.trace.model import RecallResult
from tests.ui.screen_env import HOSTILE_LOT, DemoStation, demo_file, demo_station
from ui.feedback import Outcome
from ui.qt import QLabel, Qt
from ui.screens.recall import HoldDialog, RecallScreen, clock_text
from ui.screens.recall_models import STATUS

__all__ = ["demo_file", "demo_station"]  # fixtures


def make_screen(qtbot: QtBot, station: DemoStation) -> RecallScreen:
    screen = RecallScreen(station.env)
    qtbot.addWidget(screen)
    screen.resize(1280, 860)
    screen.show()
    return screen


def pick_and_wait(qtbot: QtBot, screen: RecallScreen, raw: bytes) -> RecallResult:
    with qtbot.waitSignal(screen.recalled, timeout=15_000) as blocker:
        screen.handle_scan(RawScan.now(raw, "simulated:test"))
    result = blocker.args[0]
    assert isinstance(result, RecallResult)
    return result


def expected_recall(station: DemoStation, code: str) -> RecallResult:
    with station.store.engine.connect() as conn:
        return recall(conn, station.ctx, code)


def rows(station: DemoStation, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with station.store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params).all()]


def test_screen_contract(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    assert (screen.screen_id, screen.shortcut, screen.permission) == ("recall", "F10", "recall.run")
    assert screen.title() == "Recall"


def test_a_scanned_supplier_lot_shows_the_affected_set(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    lot_uri = demo_station.summary.recalled_lot
    gtin, lot = rows(demo_station, "SELECT gtin, lot FROM item_state WHERE uri = :u", u=lot_uri)[0]
    screen = make_screen(qtbot, demo_station)
    result = pick_and_wait(qtbot, screen, f"]d201{gtin}10{lot}".encode())
    expected = expected_recall(demo_station, lot_uri)
    assert [u.uri for u in result.units] == [u.uri for u in expected.units]
    assert result.by_status == expected.by_status
    assert result.by_customer == expected.by_customer
    # What the screen shows equals the API's answer.
    assert screen.units.rowCount() == len(expected.units) > 0
    assert screen.numbers["units"].text() == f"{len(expected.units):,}"
    assert screen.numbers["in_hands"].text() == f"{len(in_our_hands(expected)):,}"
    shown_status = {
        screen.by_status.cell(r, 0): screen.by_status.cell(r, 1)
        for r in range(screen.by_status.rowCount())
    }
    assert sum(int(v.replace(",", "")) for v in shown_status.values()) == len(expected.units)
    shown_customers = [screen.by_customer.cell(r, 0) for r in range(screen.by_customer.rowCount())]
    assert shown_customers == [expected.customer_name(uri) for uri in expected.by_customer]
    statuses = {screen.units.cell(r, STATUS) for r in range(screen.units.rowCount())}
    assert "Shipped" in statuses
    assert screen.banner.outcome is Outcome.ACCEPTED
    assert demo_station.player.played == [Outcome.ACCEPTED]
    assert screen.timer.isValid()
    assert screen.clock.text().startswith("Mock recall")


def test_recent_lots_can_be_picked_from_the_list(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    with qtbot.waitSignal(screen.lots_loaded, timeout=10_000):
        screen.activated()
    uris = [
        screen.recent.item(i).data(Qt.ItemDataRole.UserRole) for i in range(screen.recent.count())
    ]
    assert demo_station.summary.recalled_lot in uris
    row = uris.index(demo_station.summary.recalled_lot)
    assert "supplier lot" in screen.recent.item(row).text()
    screen.recent.setCurrentRow(row)
    screen.recent.setFocus()
    with qtbot.waitSignal(screen.recalled, timeout=15_000) as blocker:
        qtbot.keyClick(screen.recent, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert blocker.args[0].code == demo_station.summary.recalled_lot


def test_place_holds_records_a_recall_hold_on_what_is_in_our_hands(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    lot_uri = demo_station.summary.recalled_lot
    before = expected_recall(demo_station, lot_uri)
    to_hold = in_our_hands(before)
    assert to_hold
    screen = make_screen(qtbot, demo_station)
    pick_and_wait(qtbot, screen, lot_uri.encode())
    assert screen.hold_button.isEnabled()
    with qtbot.waitSignal(screen.held, timeout=15_000) as blocker:
        screen.place_holds("mock recall drill 2026-03")
    assert blocker.args == ["recorded"]
    seq, payload, actor = rows(
        demo_station,
        "SELECT seq, payload, actor FROM event WHERE biz_step = 'holding' "
        "AND disposition = 'recalled' ORDER BY seq DESC LIMIT 1",
    )[0]
    event = json.loads(payload)
    named = set(event.get("epcList", [])) | {q["epcClass"] for q in event.get("quantityList", [])}
    assert named == set(to_hold)
    assert actor == "qa1"
    assert event["persistentDisposition"] == {"set": ["recalled"]}
    with qtbot.waitSignal(screen.recalled, timeout=15_000) as refreshed:
        pass
    after = refreshed.args[0]
    assert after.by_status.get("on_hold", 0) >= len([u for u in before.units if u.uri in to_hold])
    assert f"event {seq}" in screen.message.text()


def test_a_hold_needs_a_reason(qtbot: QtBot, demo_station: DemoStation) -> None:
    dialog = HoldDialog("LOT-1", 5)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")  # type: ignore[no-untyped-call]
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "supplier notice")  # type: ignore[no-untyped-call]
    assert dialog.ok_button.isEnabled()
    screen = make_screen(qtbot, demo_station)
    pick_and_wait(qtbot, screen, demo_station.summary.recalled_lot.encode())
    count = rows(demo_station, "SELECT count(*) FROM event")[0][0]
    with qtbot.waitSignal(screen.held, timeout=5_000) as blocker:
        screen.place_holds("  ")
    assert blocker.args == ["refused"]
    assert rows(demo_station, "SELECT count(*) FROM event")[0][0] == count


def test_export_stops_the_mock_recall_timer_and_is_audited(
    qtbot: QtBot, demo_station: DemoStation, tmp_path: Path
) -> None:
    screen = make_screen(qtbot, demo_station)
    pick_and_wait(qtbot, screen, demo_station.summary.recalled_lot.encode())
    target = tmp_path / "recall.csv"
    with qtbot.waitSignal(screen.exported, timeout=30_000):
        screen.export(target, "csv")
    assert screen.stopped_at is not None
    assert "finished" in screen.clock.text()
    frozen = screen.clock.text()
    qtbot.wait(250)
    assert screen.clock.text() == frozen
    text = target.read_text(encoding="utf-8-sig")
    assert "召回报告 / Recall report" in text
    action, new_value = rows(
        demo_station, "SELECT action, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    )[0]
    assert action == "export.recall_report"
    details = json.loads(new_value)
    assert details["units"] == len(screen.result.units) if screen.result else False
    assert details["format"] == "csv"


def test_unknown_lot_is_refused(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    pick_and_wait(qtbot, screen, HOSTILE_LOT.encode())
    assert screen.banner.outcome is Outcome.REFUSED
    assert demo_station.player.played == [Outcome.REFUSED]
    assert '<img src=x><a href="http://x">x</a>⟨U+202E⟩LOT' in screen.banner.detail.text()
    assert not screen.hold_button.isEnabled()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert not label.openExternalLinks()


def test_clock_text() -> None:
    assert clock_text(0) == "00:00.0"
    assert clock_text(61_250) == "01:01.2"
