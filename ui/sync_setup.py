"""What a sync screen needs, and the demo's: the engine, the store's writer, who acts, an outage.

:class:`DemoSyncStation` builds the demo's sync on first use (``station --demo``): the reference
ERP (:class:`sync.erp_sim.ErpSim`) on loopback with its own database in a temporary folder, a
few hundred queued events in the demo store, an EPCIS capture connector and a running
:class:`~sync.engine.SyncEngine`. It shares the label demo's store (:class:`DemoPrintStation`),
so the events of printed labels are synced too.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from station.context import WriteContext
from station.errors import StationError
from station.persistence.rawsql import sqlite_connection
from station.persistence.writer import DbWriter
from sync.engine import SyncEngine, SyncSettings

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from station.persistence.store import Store
    from sync.connectors.epcis import EpcisCaptureConnector
    from sync.erp_sim import ErpSim
    from ui.print_setup import DemoPrintStation

__all__ = [
    "DEMO_SUPERVISOR",
    "DEMO_SYNC_SETTINGS",
    "DEMO_TRAFFIC",
    "OUTAGE_FAULTS",
    "DemoSyncStation",
    "SyncSetup",
    "SyncSource",
]

_log = logging.getLogger(__name__)

#: Queued events the demo starts with (recorded once, into a store that has none of them).
DEMO_TRAFFIC = 300
#: The demo drains in small batches, a round every 10 s, and backs off at most 30 s, so the
#: progress bar moves, printed labels reach the ERP soon and an outage ends visibly.
DEMO_SYNC_SETTINGS = SyncSettings(period_s=10.0, backoff_cap_s=30.0, max_events=25)
#: The demo's person at the sync screen: a supervisor may retry refused events (sync.retry).
DEMO_SUPERVISOR = ("zhao", "赵军 Zhao Jun")
#: "Simulate network outage": the reference ERP drops every delivery without answering.
OUTAGE_FAULTS = "drop-request@every=1"
#: How long closing waits for the engine thread.
STOP_SECONDS = 10.0


@dataclass
class SyncSetup:
    """What a sync screen needs.

    ``ctx`` is the person working at the screen (a retry is theirs, and checked against their
    roles). Only in the demo: ``simulate_outage`` (``True``: the ERP stops answering) and
    ``record_events`` (records N more queued events; blocking).
    """

    engine: SyncEngine
    writer: DbWriter
    ctx: WriteContext
    simulate_outage: Callable[[bool], None] | None = None
    record_events: Callable[[int], int] | None = None


class SyncSource(Protocol):
    """Opens the sync set-up (blocking; called on a worker thread)."""

    def open(self) -> SyncSetup: ...


def has_traffic(conn: Connection) -> bool:
    """Whether the demo traffic was recorded into this store already."""
    from station.demo.traffic import TRAFFIC_GTIN  # noqa: PLC0415 - demo only

    row = (
        sqlite_connection(conn)
        .execute("SELECT 1 FROM event_ident WHERE gtin = ? LIMIT 1", (TRAFFIC_GTIN,))
        .fetchone()
    )
    return row is not None


class DemoSyncStation:
    """The demo's sync, made on first use: the reference ERP on 127.0.0.1 (its database in a
    temporary folder), the demo store with :data:`DEMO_TRAFFIC` queued events, and a started
    engine delivering them through the EPCIS capture connector.

    The store is the label demo's when ``print_station`` is given (printed labels are synced
    too); without it, a store of its own in the temporary folder. :meth:`open` is thread-safe
    and blocking (call it off the GUI thread); :meth:`close` stops the engine and the server,
    closes a store of its own and removes the folder.
    """

    def __init__(
        self,
        print_station: DemoPrintStation | None = None,
        *,
        traffic: int = DEMO_TRAFFIC,
        settings: SyncSettings = DEMO_SYNC_SETTINGS,
    ) -> None:
        self.print_station = print_station
        self.traffic = traffic
        self.settings = settings
        self.folder: Path | None = None
        self.erp: ErpSim | None = None
        self._own_store: Store | None = None
        self._connector: EpcisCaptureConnector | None = None
        self._lock = threading.Lock()
        self._setup: SyncSetup | None = None
        self._system: WriteContext | None = None
        self._batches = 0
        self._closed = False

    @property
    def setup(self) -> SyncSetup | None:
        """The set-up once open (None before; never blocks)."""
        return self._setup

    def open(self) -> SyncSetup:
        with self._lock:
            if self._closed:
                msg = "the demo sync station is closed"
                raise StationError(msg)
            if self._setup is None:
                self._setup = self._build()
            return self._setup

    def _writer_and_station(self) -> tuple[DbWriter, str]:
        from station.demo.labels import LABEL_STATION  # noqa: PLC0415 - demo only
        from station.persistence.store import open_store  # noqa: PLC0415

        if self.print_station is not None:
            return self.print_station.open().store.writer, LABEL_STATION
        assert self.folder is not None
        self._own_store = open_store(self.folder / "sync-demo.sqlite")
        return self._own_store.writer, LABEL_STATION

    def _build(self) -> SyncSetup:
        from station.demo.traffic import record_traffic  # noqa: PLC0415 - demo only
        from sync.connectors.epcis import EpcisCaptureConnector  # noqa: PLC0415
        from sync.erp_sim import ErpSim  # noqa: PLC0415
        from sync.http import make_client  # noqa: PLC0415

        self.folder = Path(tempfile.mkdtemp(prefix="udi-station-sync-"))
        try:
            writer, station = self._writer_and_station()
            system = WriteContext(station)  # the engine's own entries (rejections, clock)
            if self.traffic and not writer.submit(has_traffic).result():
                record_traffic(writer, system, self.traffic)
            self.erp = ErpSim(self.folder / "erp.sqlite", host="127.0.0.1", port=0).start()
            self._connector = EpcisCaptureConnector(make_client(self.erp.url))
            engine = SyncEngine(writer, self._connector, system, self.settings)
            engine.start()
        except BaseException:
            self._release()
            raise
        person = WriteContext(
            station,
            actor=DEMO_SUPERVISOR[0],
            actor_name=DEMO_SUPERVISOR[1],
            roles=frozenset({"supervisor"}),
        )
        self._system = system
        return SyncSetup(
            engine,
            writer,
            person,
            simulate_outage=self.simulate_outage,
            record_events=self.record_events,
        )

    def simulate_outage(self, down: bool) -> None:
        """``True``: the reference ERP drops every delivery unanswered; ``False``: it answers."""
        from sync.erp_sim import FaultPlan  # noqa: PLC0415

        erp = self.erp
        if erp is not None:
            erp.faults = FaultPlan.parse(OUTAGE_FAULTS) if down else FaultPlan()

    def record_events(self, count: int) -> int:
        """Record ``count`` more queued events (blocking: call it off the GUI thread)."""
        from station.demo.traffic import record_traffic  # noqa: PLC0415 - demo only

        setup, system = self._setup, self._system
        if setup is None or system is None:
            return 0
        self._batches += 1
        recorded = record_traffic(setup.writer, system, count, seed=self._batches)
        setup.engine.wake()
        return recorded

    def wake(self) -> None:
        """New events (a print run): sync soon. Never blocks; nothing happens before open."""
        setup = self._setup
        if setup is not None:
            setup.engine.wake()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            setup, self._setup = self._setup, None
            if setup is not None:
                setup.engine.stop(STOP_SECONDS)
                if setup.engine.running:
                    _log.error("the sync engine did not stop within %.0f s", STOP_SECONDS)
            self._release()

    def _release(self) -> None:
        """Close what :meth:`_build` opened (the shared label store is not ours to close)."""
        for step in (self._close_connector, self._close_erp, self._close_store):
            try:
                step()
            except Exception:  # the rest must still be released
                _log.exception("the demo sync station failed to release a part")
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _close_connector(self) -> None:
        connector, self._connector = self._connector, None
        if connector is not None:
            connector.close()

    def _close_erp(self) -> None:
        erp, self.erp = self.erp, None
        if erp is not None:
            erp.close()

    def _close_store(self) -> None:
        store, self._own_store = self._own_store, None
        if store is not None:
            store.close()
