"""Sync throughput: drain N queued events to the reference ERP on loopback.

Run::

    .venv/bin/python -m benchmarks.bench_sync                  # 100,000 events, print the table
    .venv/bin/python -m benchmarks.bench_sync --events 20000 --write   # also docs/benchmarks.md

The station side is the real path: a station database holding N recorded events (storage
observations over 50 lots, interleaved, from :func:`station.demo.traffic.record_traffic`),
opened with :func:`open_store`, drained by :meth:`SyncEngine.drain` through the
:class:`EpcisCaptureConnector` (batches sized from ``OPTIONS /capture``, ``POST /capture``
under rollback, the capture job read back, acks written per batch in one transaction).

The baseline, in the same run, is raw ``httpx`` posting the **same documents** (the bytes the
connector sent, captured on the wire, so the same batch sizes) with the same headers to a fresh
reference ERP, reading each capture job, and nothing else: no outbox query, no acks. The ERP
runs as its own process (``station erp-sim``) for both, so neither side shares a GIL with it.

A third row times the reference ERP's capture alone (:func:`sync.erp_sim.capture.
capture_document` on the same documents into a fresh storage, no HTTP): the ceiling any client
can reach against this endpoint, since it validates every event against the EPCIS 2.0 schema.

Recording N events takes minutes, so the recorded database is cached (``--cache DIR``, default
a folder in the system temp directory) and copied for each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.common import command_line, machine, package_version, write_results
from station.context import WriteContext
from station.demo.traffic import record_traffic
from station.persistence.store import open_store
from station.sync.alerts import SecurityAlert
from station.sync.outbox import OutboxEvent
from sync.connectors.base import BatchLimits, BatchOutcome
from sync.connectors.epcis import EpcisCaptureConnector
from sync.engine import SyncEngine, SyncSettings
from sync.erp_sim.capture import Limits, capture_document
from sync.erp_sim.storage import Storage
from sync.http import make_client

SECTION = "## Sync: draining the outbox to the ERP"
READING = "### Reading the sync numbers"
STATION = "BENCH-SYNC"
LOTS = 50
SEED = 1
TARGET_RATE = 5000.0
TARGET_RATIO = 0.8
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Sent:
    """One ``POST /capture`` as the connector sent it."""

    body: bytes
    headers: dict[str, str]
    events: int


@dataclass
class Run:
    events: int
    seconds: float
    batches: int
    duplicates: int = 0
    sent: list[Sent] = field(default_factory=list)
    in_deliver: float = 0.0  #: seconds inside the connector's deliver (HTTP and the ERP)


class TimedConnector:
    """The connector, timing its ``deliver`` calls (the rest is the station's own work)."""

    def __init__(self, inner: EpcisCaptureConnector) -> None:
        self.inner = inner
        self.seconds = 0.0

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    def limits(self) -> BatchLimits:
        return self.inner.limits()

    def deliver(self, station: str, batch: Sequence[OutboxEvent]) -> BatchOutcome:
        start = time.perf_counter()
        try:
            return self.inner.deliver(station, batch)
        finally:
            self.seconds += time.perf_counter() - start

    def send_checkpoints(
        self, station: str, public_key_pem: str | None, rows: Sequence[Mapping[str, object]]
    ) -> None:
        self.inner.send_checkpoints(station, public_key_pem, rows)

    def send_alerts(self, station: str, alerts: Sequence[SecurityAlert]) -> Mapping[str, str]:
        return self.inner.send_alerts(station, alerts)

    def close(self) -> None:
        self.inner.close()


# --- the recorded station database ----------------------------------------------------------


def cached_database(events: int, cache: Path) -> Path:
    """A station database holding ``events`` recorded traffic events (built once, then kept)."""
    path = cache / f"station-{events}-lots{LOTS}-seed{SEED}.sqlite"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    for stale in cache.glob(building.name + "*"):
        stale.unlink()
    print(f"recording {events:,} events into {path} (once; cached) …", file=sys.stderr)
    start = time.perf_counter()
    store = open_store(building)
    try:
        ctx = WriteContext(station=STATION, actor="system:bench")
        record_traffic(store.writer, ctx, events, lots=LOTS, seed=SEED, per_transaction=500)
    finally:
        store.close()
    with sqlite3.connect(building) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.replace(path)
    for leftover in cache.glob(building.name + "*"):
        leftover.unlink()
    took = time.perf_counter() - start
    print(f"recorded in {took:.0f} s ({events / took:,.0f} events/s)", file=sys.stderr)
    return path


# --- the reference ERP as a process -----------------------------------------------------------


class ErpProcess:
    """``station erp-sim --port 0 --db PATH`` until closed."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(  # the code of this checkout, this interpreter
            [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0", "--db", str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.close()
            raise RuntimeError(f"station erp-sim did not start: {line!r}")
        self.url = line.removeprefix("listening on ").strip()

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _held(erp_db: Path) -> int:
    with sqlite3.connect(f"file:{erp_db}?mode=ro", uri=True) as conn:
        (count,) = conn.execute("SELECT count(*) FROM event").fetchone()
    return int(count)


# --- the three sides --------------------------------------------------------------------------


def station_side(station_db: Path, erp_db: Path) -> Run:
    """SyncEngine + EpcisCaptureConnector drain the whole outbox; the documents are kept."""
    erp = ErpProcess(erp_db)
    sent: list[Sent] = []

    def keep(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path == "/capture":
            headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
            count = int(request.headers["X-Station-Seq-Last"]) - int(
                request.headers["X-Station-Seq-First"]
            )
            sent.append(Sent(request.content, headers, count + 1))

    store = open_store(station_db)
    try:
        client = make_client(erp.url)
        client.event_hooks["request"] = [keep]
        connector = TimedConnector(EpcisCaptureConnector(client))
        engine = SyncEngine(
            store.writer,
            connector,
            WriteContext(station=STATION, actor="system:sync"),
            SyncSettings(),
        )
        queued = engine.status().outbox.queued
        start = time.perf_counter()
        result = engine.drain()
        seconds = time.perf_counter() - start
        left = engine.status().outbox.queued
        engine.close()
    finally:
        store.close()
        erp.close()
    if result.error is not None or left:
        raise RuntimeError(f"the drain stopped: {result.error}; {left} left queued")
    held = _held(erp_db)
    if held != queued:
        raise RuntimeError(f"the ERP holds {held} events, the station had {queued} queued")
    return Run(queued, seconds, result.batches, result.duplicates, sent, connector.seconds)


# Headers httpx sets itself; the raw side sends the rest exactly.
_HOP = {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"}


def raw_side(sent: list[Sent], erp_db: Path) -> Run:
    """Raw httpx: OPTIONS once, then each same document POSTed and its job read."""
    erp = ErpProcess(erp_db)
    try:
        with httpx.Client(base_url=erp.url, timeout=30.0, trust_env=False) as client:
            start = time.perf_counter()
            client.request("OPTIONS", "/capture").raise_for_status()
            for post in sent:
                answer = client.post("/capture", content=post.body, headers=post.headers)
                if answer.status_code != 202:
                    raise RuntimeError(f"raw POST answered {answer.status_code}: {answer.text}")
                job = client.get(answer.headers["Location"]).json()
                if job.get("success") is not True:
                    raise RuntimeError(f"raw capture job failed: {job}")
            seconds = time.perf_counter() - start
    finally:
        erp.close()
    events = sum(post.events for post in sent)
    if _held(erp_db) != events:
        raise RuntimeError("the raw side's ERP does not hold every event")
    return Run(events, seconds, len(sent))


def capture_alone(sent: list[Sent], erp_db: Path) -> Run:
    """The reference ERP's capture (parse, schema check per event, store), no HTTP."""
    storage = Storage(erp_db)
    try:
        start = time.perf_counter()
        for post in sent:
            outcome = capture_document(
                storage,
                post.body,
                "rollback",
                post.headers.get("idempotency-key"),
                Limits(),
            )
            if outcome.status != 202:
                raise RuntimeError(f"capture answered {outcome.status}: {outcome.body}")
        seconds = time.perf_counter() - start
    finally:
        storage.close()
    return Run(sum(post.events for post in sent), seconds, len(sent))


def validation_share(sent: list[Sent], sample: int = 2000) -> float:
    """Seconds per event of the ERP's schema check alone, on a sample of the sent events."""
    from station.epcis.schema import validate_event  # noqa: PLC0415

    events: list[dict[str, object]] = []
    for post in sent:
        events.extend(json.loads(post.body)["epcisBody"]["eventList"])
        if len(events) >= sample:
            break
    start = time.perf_counter()
    for index, event in enumerate(events):
        validate_event(event, f"/epcisBody/eventList/{index}")
    return (time.perf_counter() - start) / max(1, len(events))


# --- the report -------------------------------------------------------------------------------


def _rate(run: Run) -> float:
    return run.events / run.seconds


def median_run(runs: list[Run]) -> Run:
    """The run with the median rate (the lower middle one for an even count)."""
    ordered = sorted(runs, key=_rate)
    return ordered[(len(ordered) - 1) // 2]


def _row(label: str, runs: list[Run]) -> str:
    run = median_run(runs)
    rates = [_rate(r) for r in runs]
    spread = f"{min(rates):,.0f}–{max(rates):,.0f}" if len(runs) > 1 else "—"
    return (
        f"| {label} | {run.events:,} | {run.batches} | {run.seconds:.1f} | "
        f"**{_rate(run):,.0f}** | {spread} |"
    )


def report(runs: dict[str, list[Run]], per_event_check: float) -> str:
    station, raw = median_run(runs["station"]), median_run(runs["raw"])
    alone = median_run(runs["alone"])
    ratio = _rate(station) / _rate(raw)
    sent = runs["station"][0].sent  # the documents of the first round
    sizes = sorted({post.events for post in sent})
    size_text = ", ".join(str(s) for s in sizes[:5]) + (" …" if len(sizes) > 5 else "")
    doc_bytes = sum(len(post.body) for post in sent) / max(1, len(sent))
    rows = [
        "| Path | events | batches | seconds (median run) | events/s, median | range |",
        "|---|---|---|---|---|---|",
        _row("station `SyncEngine.drain()` + `EpcisCaptureConnector`", runs["station"]),
        _row("raw `httpx`: the same documents, POST + job read", runs["raw"]),
        _row("the reference ERP's capture alone (no HTTP, in process)", runs["alone"]),
    ]

    def verdict(value: float, target: float) -> str:
        return "meets" if value >= target else "does not meet"

    own = station.seconds - station.in_deliver
    check_share = per_event_check * alone.events / alone.seconds
    return "\n".join(
        [
            *rows,
            "",
            (
                f"Station / raw (medians): **{ratio:.2f}** ({verdict(ratio, TARGET_RATIO)} the "
                f"{TARGET_RATIO} target). Station rate **{_rate(station):,.0f}** events/s "
                f"({verdict(_rate(station), TARGET_RATE)} the {TARGET_RATE:,.0f} events/s "
                f"target). {len(runs['station'])} rounds, station and raw in turn, the order "
                f"swapped from one round to the next. Batches of {size_text} events as "
                f"`OPTIONS /capture` allowed, {doc_bytes / 1024:,.0f} KiB per document on "
                f"average; {station.duplicates} duplicates."
            ),
            "",
            (
                f"Where the station's time goes (median run): {station.in_deliver:.1f} s of "
                f"{station.seconds:.1f} s inside the connector's `deliver` (building the "
                f"document, HTTP, the ERP's work, reading the job), {own:.1f} s "
                f"({own / station.events * 1e6:,.0f} µs per event) in the station's own work "
                "on the writer thread: choosing each batch from the outbox (with every "
                "event's lot keys) and writing its acks."
            ),
            "",
            (
                f"The reference ERP's capture alone runs at {_rate(alone):,.0f} events/s; its "
                f"EPCIS 2.0 schema check is {per_event_check * 1e6:,.0f} µs per event, "
                f"{check_share:.0%} of that capture time. The station drains at "
                f"{_rate(station) / _rate(alone):.0%} of that ceiling, raw `httpx` at "
                f"{_rate(raw) / _rate(alone):.0%}."
            ),
        ]
    )


def load_average() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} / {five:.1f} (1 / 5 min)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=100_000, help="queued events (100,000)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "udi-station-bench-sync",
        help="where the recorded station database is kept between runs",
    )
    parser.add_argument("--repeats", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    recorded = cached_database(args.events, args.cache)
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as directory:
        work = Path(directory)
        station_db = work / "station.sqlite"
        runs: dict[str, list[Run]] = defaultdict(list)
        for round_ in range(args.repeats):
            # Station first in even rounds, raw first in odd ones (with the first round's
            # documents), so neither side always runs on a warmer or cooler machine.
            if round_ % 2 == 1:
                raw_db = work / f"erp-raw-{round_}.sqlite"
                runs["raw"].append(raw_side(runs["station"][0].sent, raw_db))
            shutil.copyfile(recorded, station_db)
            station = station_side(station_db, work / f"erp-station-{round_}.sqlite")
            if round_ % 2 == 0:
                raw_db = work / f"erp-raw-{round_}.sqlite"
                runs["raw"].append(raw_side(station.sent, raw_db))
            if runs["station"]:
                station.sent = []  # keep one copy of the documents
            runs["station"].append(station)
            sent = runs["station"][0].sent
            alone_db = work / f"erp-alone-{round_}.sqlite"
            runs["alone"].append(capture_alone(sent, alone_db))
        per_event_check = validation_share(runs["station"][0].sent)
    table = report(runs, per_event_check)
    print(table)
    if args.write:
        write_results(
            SECTION,
            READING,
            intro=(
                "Events per second from a station database with N queued events to the "
                "reference ERP (`station erp-sim`, its own process, loopback HTTP, SQLite WAL "
                "`synchronous=FULL`), through the station's `SyncEngine` and "
                "`EpcisCaptureConnector`, against raw `httpx` posting the same documents (the "
                "bytes the connector sent, so the same batch sizes) to a fresh ERP in the same "
                "run, and the ERP's capture alone without HTTP."
            ),
            command=command_line("benchmarks.bench_sync", argv),
            described=(
                f"{machine()}, httpx {package_version('httpx')}; load average before the "
                f"run {load_before}"
            ),
            body=table,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
