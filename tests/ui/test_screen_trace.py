"""The Trace screen driven by simulated scans on a real demo station."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.persistence.store import open_store
from station.scanning.raw import RawScan
from station.trace import signed
from station.trace import view as trace_view_module
from station.trace.api import trace
from station.trace.view import TraceView
from tests.ui.helpers import press, type_text
from tests.ui.screen_env import HOSTILE_LOT, DemoStation, demo_file, demo_station
from ui.feedback import Outcome
from ui.qt import QLabel, Qt
from ui.screens.trace import TraceScreen
from ui.screens.trace_models import SIGNED

__all__ = ["demo_file", "demo_station"]  # fixtures

GS = "\x1d"


def make_screen(qtbot: QtBot, station: DemoStation) -> TraceScreen:
    screen = TraceScreen(station.env)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    return screen


def scan_and_wait(qtbot: QtBot, screen: TraceScreen, raw: bytes) -> TraceView:
    with qtbot.waitSignal(screen.traced, timeout=15_000) as blocker:
        screen.handle_scan(RawScan.now(raw, "simulated:test"))
    view = blocker.args[0]
    assert isinstance(view, TraceView)
    return view


def one(station: DemoStation, sql: str) -> tuple[Any, ...]:
    with station.store.engine.connect() as conn:
        return tuple(conn.execute(sa.text(sql)).one())


def test_screen_contract(qtbot: QtBot, demo_station: DemoStation) -> None:
    screen = make_screen(qtbot, demo_station)
    assert (screen.screen_id, screen.shortcut, screen.permission) == ("trace", "F5", "trace.view")
    assert screen.objectName() == "traceScreen"
    assert screen.title() == "Trace"


def test_a_scanned_unit_shows_its_timeline_and_genealogy(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    gtin, serial, uri = one(
        demo_station,
        "SELECT gtin, serial, uri FROM item_state WHERE kind = 'sgtin' "
        "AND status = 'shipped' ORDER BY uri LIMIT 1",
    )
    screen = make_screen(qtbot, demo_station)
    view = scan_and_wait(qtbot, screen, f"]d201{gtin}21{serial}".encode())
    with demo_station.store.engine.connect() as conn:
        expected = trace(conn, demo_station.ctx, uri)
    assert [e.event_id for e in screen.timeline.rows] == [e.event_id for e in expected.timeline]
    assert screen.timeline.rowCount() == len(expected.timeline) > 0
    whats = {screen.timeline.cell(r, 1) for r in range(screen.timeline.rowCount())}
    assert any(w.startswith("Commissioned") for w in whats)
    assert any(w.startswith("Packed") for w in whats)
    # Genealogy: back to the supplier lots and suppliers, forward to the customer.
    uris = screen.genealogy.uris()
    assert set(expected.backward.supplier_lots) <= uris
    assert {p.uri for p in expected.backward.suppliers} <= uris
    assert {p.uri for p in expected.forward.customers} <= uris
    texts = "\n".join(screen.genealogy.texts())
    assert "Supplier: " in texts
    assert "Shipped to " in texts
    assert view.result.found
    assert screen.banner.outcome is Outcome.ACCEPTED
    assert demo_station.player.played == [Outcome.ACCEPTED]
    assert screen.pdf_button.isEnabled()


def test_a_typed_supplier_lot_reaches_every_customer(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    lot_uri = demo_station.summary.recalled_lot
    lot = lot_uri.rsplit("/", 1)[-1]
    screen = make_screen(qtbot, demo_station)
    type_text(screen.entry, lot)
    with qtbot.waitSignal(screen.traced, timeout=15_000):
        press(screen.entry, Qt.Key.Key_Return)
    with demo_station.store.engine.connect() as conn:
        expected = trace(conn, demo_station.ctx, lot)
    assert len(expected.forward.customers) >= 2
    assert {p.uri for p in expected.forward.customers} <= screen.genealogy.uris()
    assert lot_uri in screen.genealogy.uris()


def test_an_sscc_scan_traces_the_pallet(qtbot: QtBot, demo_station: DemoStation) -> None:
    (sscc,) = one(demo_station, "SELECT sscc FROM event_ident WHERE kind = 'sscc' LIMIT 1")
    screen = make_screen(qtbot, demo_station)
    view = scan_and_wait(qtbot, screen, f"]C100{sscc}".encode())
    assert view.result.found
    assert any(sscc in text for text in screen.genealogy.texts())


def test_an_unknown_code_is_refused_with_the_refused_sound(
    qtbot: QtBot, demo_station: DemoStation
) -> None:
    screen = make_screen(qtbot, demo_station)
    scan_and_wait(qtbot, screen, b"NO-SUCH-LOT-42")
    assert screen.banner.outcome is Outcome.REFUSED
    assert "Unknown code" in screen.banner.headline.text()
    assert "NO-SUCH-LOT-42" in screen.banner.detail.text()
    assert demo_station.player.played == [Outcome.REFUSED]
    assert screen.timeline.rowCount() == 0
    assert not screen.pdf_button.isEnabled()


def test_hostile_text_is_plain_text(qtbot: QtBot, demo_station: DemoStation) -> None:
    # A customer whose name came from the ERP with markup and a bidi override.
    demo_station.store.close()
    raw = sqlite3.connect(demo_station.path)
    raw.execute("UPDATE party SET name = ?", (HOSTILE_LOT,))
    raw.commit()
    raw.close()
    demo_station.store = demo_station.env.store = open_store(demo_station.path)
    screen = make_screen(qtbot, demo_station)
    scan_and_wait(qtbot, screen, demo_station.summary.recalled_lot.encode())
    texts = [t for t in screen.genealogy.texts() if "<img" in t]
    assert texts, screen.genealogy.texts()
    assert all("\u202e" not in t and "⟨U+202E⟩" in t for t in texts)
    scan_and_wait(qtbot, screen, HOSTILE_LOT.encode())
    assert '<img src=x><a href="http://x">x</a>' in screen.banner.detail.text()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks()


@dataclass
class FakeSignature:
    printed_name: str
    meaning: str
    signed_at: str
    valid: bool


def test_signatures_show_name_meaning_time_and_status(
    qtbot: QtBot, demo_station: DemoStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_events: dict[str, list[FakeSignature]] = {}

    def signatures_for(conn: object, record_id: str) -> list[FakeSignature]:
        return signed_events.get(record_id, [])

    with demo_station.store.engine.connect() as conn:
        first = conn.execute(
            sa.text("SELECT event_id FROM event WHERE biz_step = 'inspecting' LIMIT 1")
        ).scalar_one()
    signed_events[first] = [
        FakeSignature("李强 Li Qiang", "approved", "2026-03-02T10:00:00.000+08:00", True),
        FakeSignature("Mallory", "released", "2026-03-02T11:00:00.000+08:00", False),
    ]
    monkeypatch.setattr(signed, "_api", lambda: signatures_for)
    # Read through the signature API, not what the trace result may carry itself.
    monkeypatch.setattr(trace_view_module, "_carried", lambda result: None)
    screen = make_screen(qtbot, demo_station)
    scan_and_wait(qtbot, screen, demo_station.summary.recalled_lot.encode())
    row = next(r for r, e in enumerate(screen.timeline.rows) if e.event_id == first)
    cell = screen.timeline.cell(row, SIGNED)
    assert "李强 Li Qiang — Approved — 2026-03-02T10:00:00.000+08:00 — verifies" in cell
    assert "Mallory — Released" in cell
    assert "DOES NOT VERIFY" in cell
    screen.timeline_table.selectRow(row)
    assert "Li Qiang" in screen.signature_text.toPlainText()


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_exports_are_written_and_audited(
    qtbot: QtBot, demo_station: DemoStation, tmp_path: Path, fmt: str
) -> None:
    screen = make_screen(qtbot, demo_station)
    scan_and_wait(qtbot, screen, demo_station.summary.recalled_lot.encode())
    target = tmp_path / f"trace.{fmt}"
    with qtbot.waitSignal(screen.exported, timeout=30_000):
        screen.export(target, fmt)
    assert target.exists()
    assert target.stat().st_size > 0
    assert not target.with_name(target.name + ".partial").exists()
    action, entity_id, actor = one(
        demo_station, "SELECT action, entity_id, actor FROM audit ORDER BY seq DESC LIMIT 1"
    )
    assert (action, entity_id, actor) == ("export.trace_report", str(target.resolve()), "qa1")
