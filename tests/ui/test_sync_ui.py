"""The sync status line and the sync screen (offscreen, real widgets): a real station store in
tmp_path, the reference ERP over real HTTP on loopback, the real engine on its own thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtGui import Qt as QtGuiQt  # tests may use Qt directly: mightBeRichText
from pytestqt.qtbot import QtBot

from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.store import Store, open_store
from station.sync.outbox import Rejection, outbox_status, record_rejections
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings, SyncStatus
from sync.erp_sim import ErpSim, FaultPlan
from sync.http import make_client
from tests.ui.conftest import MakeGui
from ui.i18n import install_translators, remove_translators
from ui.qt import QLabel, Qt
from ui.sync_setup import OUTAGE_FAULTS, SyncSetup
from ui.views.sync_screen import REASON, REFUSED, RETRIED, SEQ, SyncScreen
from ui.widgets.sync_status import SYNC_COLOURS, SyncStatusWidget, local_time

STATION = "TEST-SYNC"
WAIT_MS = 30_000
#: Small batches, so a round of 120 events is five batches; fast back-off for the outage.
SETTINGS = SyncSettings(period_s=30.0, backoff_base_s=0.2, backoff_cap_s=0.5, max_events=25)
SUPERVISOR = WriteContext(STATION, actor="u-sup", actor_name="Sup", roles=frozenset({"supervisor"}))
OPERATOR = WriteContext(STATION, actor="u-op", actor_name="Op", roles=frozenset({"operator"}))


class Fixed:
    """A sync source whose set-up is already open."""

    def __init__(self, setup: SyncSetup) -> None:
        self.setup = setup

    def open(self) -> SyncSetup:
        return self.setup


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = open_store(tmp_path / "station.sqlite")
    yield made
    made.close()


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite", port=0) as server:
        yield server


MakeSetup = Callable[[WriteContext], SyncSetup]


@pytest.fixture
def make_setup(store: Store, erp: ErpSim) -> Iterator[MakeSetup]:
    """``make_setup(ctx)`` → an engine (not started) over ``store``, delivering to ``erp``."""
    made: list[tuple[SyncEngine, EpcisCaptureConnector]] = []

    def make(ctx: WriteContext) -> SyncSetup:
        connector = EpcisCaptureConnector(make_client(erp.url))
        engine = SyncEngine(store.writer, connector, WriteContext(STATION), SETTINGS)
        made.append((engine, connector))
        return SyncSetup(engine, store.writer, ctx)

    yield make
    for engine, connector in made:
        engine.stop()
        assert not engine.running
        connector.close()


def queue_traffic(store: Store, count: int) -> None:
    record_traffic(store.writer, WriteContext(STATION), count, lots=10)


def rows(store: Store, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def open_screen(qtbot: QtBot, setup: SyncSetup) -> SyncScreen:
    screen = SyncScreen(Fixed(setup))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.ready, timeout=WAIT_MS):
        screen.show()
    return screen


def engine_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "sync-engine" and t.is_alive()]


# ---------------------------------------------------------------------- the status line


@pytest.fixture
def idle(store: Store) -> SyncStatus:
    """A real status of an empty outbox, to vary."""
    return SyncStatus(store.writer.submit(outbox_status).result(), online=True, running=True)


def show(qtbot: QtBot, status: SyncStatus) -> SyncStatusWidget:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_status(status)
    return widget


def test_without_a_sync_the_line_says_not_configured(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    assert widget.text() == "ERP: not configured"
    assert widget.colour == SYNC_COLOURS["unknown"]


def test_online_shows_queued_and_the_last_sync(qtbot: QtBot, idle: SyncStatus) -> None:
    stamp = "2026-12-07T14:03:10.000+08:00"
    outbox = replace(idle.outbox, last_success=stamp)
    widget = show(qtbot, replace(idle, outbox=outbox))
    assert widget.text() == f"ERP: online · 0 queued · last sync {local_time(stamp)}"
    assert local_time(stamp).endswith(":03")  # the station's local time (date if not today)
    assert widget.colour == SYNC_COLOURS["online"]


def test_offline_shows_queued_and_the_next_try(qtbot: QtBot, idle: SyncStatus) -> None:
    outbox = replace(
        idle.outbox,
        queued=120,
        oldest_queued_at="2026-12-07T05:40:18.795Z",
        last_error="network: <b>connection refused</b>",
    )
    widget = show(qtbot, replace(idle, outbox=outbox, online=False, next_try_in_s=30.0))
    assert widget.text() == "ERP: offline · 120 queued · next try in 30 s"
    assert widget.colour == SYNC_COLOURS["offline"]
    details = widget.details()
    assert "Last error: network: <b>connection refused</b>" in details
    assert any(line.startswith("Oldest queued event: ") for line in details)
    # The tooltip shows the error as text, never as markup.
    assert widget.toolTip().splitlines() == details
    assert not QtGuiQt.mightBeRichText(widget.toolTip())


def test_a_narrow_status_bar_elides_the_line_and_the_tooltip_has_all_of_it(
    qtbot: QtBot, idle: SyncStatus
) -> None:
    outbox = replace(idle.outbox, queued=123456, last_error="network: unreachable")
    widget = show(qtbot, replace(idle, outbox=outbox, online=False, next_try_in_s=30.0))
    text = widget.findChild(QLabel, "syncStatusText")
    assert isinstance(text, QLabel)
    widget.show()
    widget.resize(90, widget.height())
    qtbot.waitUntil(lambda: text.width() < 90)
    whole = "ERP: offline · 123456 queued · next try in 30 s"
    assert widget.text() == whole  # the model of the line is whole …
    assert text.text().endswith("…")  # … what fits is drawn …
    assert text.toolTip().splitlines()[0] == whole  # … and the rest is one hover away
    assert "Last error: network: unreachable" in text.toolTip()


def test_refused_events_are_red(qtbot: QtBot, idle: SyncStatus) -> None:
    widget = show(qtbot, replace(idle, outbox=replace(idle.outbox, errors=2)))
    assert widget.text() == "ERP: 2 sync error(s)"
    assert widget.colour == SYNC_COLOURS["errors"] == "#c62828"
    text = widget.findChild(QLabel, "syncStatusText")
    assert isinstance(text, QLabel)
    assert "#c62828" in text.styleSheet()


def test_clock_skew_is_an_amber_warning_with_the_offset(qtbot: QtBot, idle: SyncStatus) -> None:
    outbox = replace(idle.outbox, clock_offset_s=-185.4)
    widget = show(qtbot, replace(idle, outbox=outbox, skew_warning=True))
    assert widget.text() == "ERP: online · 0 queued · clock off by -185 s"
    assert widget.colour == SYNC_COLOURS["skew"]
    assert "Clock offset to the ERP: -185 s (check the station's clock)" in widget.details()


def test_the_line_follows_the_engine_and_shows_a_real_clock_offset(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    queue_traffic(store, 5)
    with ErpSim(tmp_path / "skewed.sqlite", port=0, clock_offset_s=600.0) as skewed:
        connector = EpcisCaptureConnector(make_client(skewed.url))
        engine = SyncEngine(store.writer, connector, WriteContext(STATION), SETTINGS)
        widget = SyncStatusWidget()
        qtbot.addWidget(widget)
        widget.attach(SyncSetup(engine, store.writer, SUPERVISOR))
        engine.start()
        try:
            qtbot.waitUntil(lambda: "clock off by +" in widget.text(), timeout=WAIT_MS)
        finally:
            engine.stop()
            connector.close()
    assert widget.text().startswith("ERP: online · 0 queued · last sync ")
    assert widget.colour == SYNC_COLOURS["skew"]


# ---------------------------------------------------------------------- the sync screen


def test_the_screen_drains_the_queue_with_a_determinate_progress_bar(
    qtbot: QtBot, store: Store, erp: ErpSim, make_setup: MakeSetup
) -> None:
    queue_traffic(store, 120)
    setup = make_setup(SUPERVISOR)
    screen = open_screen(qtbot, setup)
    qtbot.waitUntil(lambda: "120 queued" in screen.summary.text(), timeout=WAIT_MS)
    steps: list[tuple[int, int, bool]] = []
    screen.progress_changed.connect(
        lambda done, total: steps.append(
            (done, total, threading.current_thread() is threading.main_thread())
        )
    )
    setup.engine.start()
    with qtbot.waitSignal(screen.round_finished, timeout=WAIT_MS):
        screen.sync_button.click()
    qtbot.waitUntil(lambda: len(steps) == 5, timeout=WAIT_MS)
    assert steps == [(n, 120, True) for n in (25, 50, 75, 100, 120)]
    assert (screen.progress.value(), screen.progress.maximum()) == (120, 120)
    assert screen.round_text.text() == "Sent 120 event(s) to the ERP."
    qtbot.waitUntil(lambda: screen.summary.text().startswith("ERP: online · 0 queued"))
    assert rows(store, "SELECT count(*) FROM sync_ack") == [(120,)]


def test_an_outage_shows_offline_and_queued_then_recovery_drains(
    qtbot: QtBot, store: Store, erp: ErpSim, make_setup: MakeSetup
) -> None:
    queue_traffic(store, 60)
    erp.faults = FaultPlan.parse(OUTAGE_FAULTS)
    setup = make_setup(SUPERVISOR)
    screen = open_screen(qtbot, setup)
    setup.engine.start()
    qtbot.waitUntil(
        lambda: screen.summary.text().startswith("ERP: offline · 60 queued"), timeout=WAIT_MS
    )
    assert screen.summary.colour == SYNC_COLOURS["offline"]
    assert any(line.startswith("Last error: network") for line in screen.summary.details())
    assert rows(store, "SELECT count(*) FROM sync_ack") == [(0,)]

    erp.faults = FaultPlan()
    screen.sync_button.click()
    qtbot.waitUntil(
        lambda: screen.summary.text().startswith("ERP: online · 0 queued"), timeout=WAIT_MS
    )
    assert rows(store, "SELECT count(*) FROM sync_ack") == [(60,)]


def refuse_one(store: Store) -> tuple[int, str]:
    """Record traffic, then put its first event on the error list as the centre would."""
    queue_traffic(store, 20)
    seq, event_id = rows(store, "SELECT seq, event_id FROM event ORDER BY seq LIMIT 1")[0]

    def refuse(conn: sa.Connection) -> int:
        rejection = Rejection(seq, event_id, "ValidationException: <i>bizStep</i> unknown")
        return record_rejections(conn, [rejection], "http://erp.test", SUPERVISOR.now())

    assert store.writer.submit(refuse).result() == 1
    return seq, event_id


def select_all_and_retry(qtbot: QtBot, screen: SyncScreen) -> str:
    screen.table.selectAll()
    with qtbot.waitSignal(screen.retried, timeout=WAIT_MS) as outcome:
        screen.retry_button.click()
    result = outcome.args[0]
    assert isinstance(result, str)
    return result


def test_a_supervisor_retries_a_refused_event_and_it_is_delivered(
    qtbot: QtBot, store: Store, make_setup: MakeSetup
) -> None:
    seq, event_id = refuse_one(store)
    setup = make_setup(SUPERVISOR)
    setup.engine.start()  # delivers what is not held back behind the refused event
    screen = open_screen(qtbot, setup)
    qtbot.waitUntil(lambda: len(screen.model.rows) == 1, timeout=WAIT_MS)
    assert screen.model.cell(0, SEQ) == str(seq)
    assert screen.model.cell(0, REASON) == "ValidationException: <i>bizStep</i> unknown"
    tip = screen.model.data(screen.model.index(0, REASON), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str)
    assert tip.endswith("\nValidationException: <i>bizStep</i> unknown")
    assert not QtGuiQt.mightBeRichText(tip)
    qtbot.waitUntil(lambda: screen.summary.text().startswith("ERP: 1 sync error(s)"))
    assert screen.summary.colour == SYNC_COLOURS["errors"]

    assert select_all_and_retry(qtbot, screen) == RETRIED
    qtbot.waitUntil(lambda: not screen.model.rows, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: screen.summary.text().startswith("ERP: online · 0 queued"), timeout=WAIT_MS
    )
    assert rows(store, "SELECT actor, entity_id FROM audit WHERE action = 'sync.retry'") == [
        ("u-sup", event_id)
    ]
    assert rows(store, "SELECT count(*) FROM sync_ack WHERE seq = :s", s=seq) == [(1,)]


def test_an_operators_retry_is_refused_shown_and_audited(
    qtbot: QtBot, store: Store, make_setup: MakeSetup
) -> None:
    refuse_one(store)
    screen = open_screen(qtbot, make_setup(OPERATOR))
    qtbot.waitUntil(lambda: len(screen.model.rows) == 1, timeout=WAIT_MS)

    assert select_all_and_retry(qtbot, screen) == REFUSED
    assert "sync.retry" in screen.error.text()
    assert screen.message.text() == "Nothing was retried."
    assert rows(store, "SELECT count(*) FROM sync_rejection WHERE retried_at IS NULL") == [(1,)]
    assert rows(store, "SELECT count(*) FROM audit WHERE action = 'sync.retry'") == [(0,)]
    assert rows(store, "SELECT actor, entity_id FROM audit WHERE action = 'access.denied'") == [
        ("u-op", "sync.retry")
    ]
    with qtbot.waitSignal(screen.rejections_loaded, timeout=WAIT_MS):
        screen.reload_rejections()
    assert len(screen.model.rows) == 1


# ---------------------------------------------------------------------- the demo


def test_the_demo_opens_the_screen_with_f7_simulates_an_outage_and_stops_on_close(
    qtbot: QtBot, make_gui: MakeGui
) -> None:
    gui = make_gui("en", demo=True)
    assert gui.sync_status is not None
    assert gui.sync_station is not None
    assert gui.window.sync_action is not None
    assert gui.window.sync_action.shortcut().toString() == "F7"
    gui.window.sync_action.trigger()
    screen = gui.sync_screen
    assert screen is not None
    assert screen.isVisible()
    qtbot.waitUntil(lambda: screen.setup is not None, timeout=60_000)
    assert screen.outage_check.isVisible()
    assert screen.record_button.isVisible()
    # The demo traffic (and the label demo's own events) reach the reference ERP.
    qtbot.waitUntil(
        lambda: (
            gui.sync_status is not None
            and gui.sync_status.text().startswith("ERP: online · 0 queued")
        ),
        timeout=60_000,
    )

    screen.outage_check.setChecked(True)
    screen.record_button.click()
    qtbot.waitUntil(
        lambda: screen.summary.text().startswith("ERP: offline · 100 queued"), timeout=WAIT_MS
    )
    screen.outage_check.setChecked(False)
    qtbot.waitUntil(
        lambda: screen.summary.text().startswith("ERP: online · 0 queued"), timeout=WAIT_MS
    )

    assert engine_threads() == ["sync-engine"]
    gui.close()
    assert engine_threads() == []
    assert gui.sync_station.erp is None
    assert gui.sync_station.folder is None


def test_the_line_reads_in_chinese(qtbot: QtBot, idle: SyncStatus) -> None:
    translators = install_translators("zh_CN")
    try:
        widget = show(qtbot, replace(idle, outbox=replace(idle.outbox, queued=3), online=False))
        assert widget.text() == "ERP：离线 · 3 条待发送"
        empty = SyncStatusWidget()
        qtbot.addWidget(empty)
        assert empty.text() == "ERP：未配置"
    finally:
        remove_translators(translators)
