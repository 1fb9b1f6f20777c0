"""A QC bench station for tests: the demo factory (small), two users made through
``station.auth`` (an inspector and a QA manager, each with a badge and PIN, so each has a
signing key), a supplier lot just received and awaiting inspection, and real login sessions.

The database is built once per test session and copied per test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Connection

from station.auth.hashing import cheap_parameters_for_tests
from station.auth.login import Authenticator
from station.auth.outcome import Refusal
from station.auth.pepper import PepperSource
from station.auth.policy import AuthPolicy
from station.auth.session import Session
from station.auth.users import create_user
from station.context import WriteContext
from station.demo import catalogue
from station.demo.factory import STATION, build_demo
from station.events.ids import lgtin_uri
from station.persistence.db import close_engine, open_engine
from station.persistence.store import Store, open_store
from station.services.receiving import receive
from station.udi import read_scan
from ui.feedback import Feedback, RecordingPlayer
from ui.screens.base import ScreenEnv

T = TypeVar("T")

INSPECTOR = ("insp", "李强 Li Qiang", "B-INSP", "482913")
QA = ("qa1", "赵敏 Zhao Min", "B-QA", "739164")
PRODUCT = catalogue.MATERIALS[0]  # a qualified supplier: no override needed
LOT = "QC7001"
EXPIRY = date(2030, 1, 1)
LOT_SCAN = f"]d201{PRODUCT.gtin}17{EXPIRY:%y%m%d}10{LOT}".encode()
LOT_URI = lgtin_uri(PRODUCT.gtin, LOT)


class FixedPepper(PepperSource):
    def existing(self) -> bytes | None:
        return b"p" * 32

    def get_or_create(self) -> bytes:
        return b"p" * 32


def _prepare(conn: Connection) -> None:
    admin = WriteContext(STATION, "u-admin", "Administrator", roles=frozenset({"admin"}))
    for (username, name, badge, pin), role in ((INSPECTOR, "inspector"), (QA, "qa")):
        create_user(
            conn,
            admin,
            username=username,
            name=name,
            roles=[role],
            secret=pin,
            badge=badge,
            must_change=False,
            pepper=FixedPepper(),
            policy=AuthPolicy(),
        )
    operator = WriteContext(STATION, "u-wang", "王芳 Wang Fang", roles=frozenset({"operator"}))
    receive(
        conn,
        operator,
        po_number=catalogue.purchase_order(PRODUCT.supplier),
        line_no=1,
        code=read_scan(LOT_SCAN),
        quantity=120,
    )


@pytest.fixture(scope="session")
def qc_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("qc-template") / "station.db"
    store = open_store(path)
    try:
        build_demo(store, units=50, seed=11)
        with cheap_parameters_for_tests():
            store.writer.submit(_prepare).result()
    finally:
        store.close()
    return path


@dataclass
class QcStation:
    store: Store
    auth: Authenticator
    feedback: Feedback
    player: RecordingPlayer
    sessions: list[Session] = field(default_factory=list)

    def login(self, who: tuple[str, str, str, str]) -> Session:
        _username, _name, badge, pin = who
        result = self.store.writer.submit(
            lambda conn: self.auth.login_badge(conn, badge, pin)
        ).result()
        assert not isinstance(result, Refusal), result
        self.sessions.insert(0, result)
        return result

    def context(self) -> WriteContext:
        """The signed-in user's context: the newest session (raises once it has ended)."""
        from station.access import NotAuthenticatedError  # noqa: PLC0415

        if not self.sessions:
            raise NotAuthenticatedError("nobody is signed in")
        return self.sessions[0].context()

    def env(self, extras: dict[str, object] | None = None) -> ScreenEnv:
        return ScreenEnv(self.store, self.context, self.feedback, extras or {})

    def read(self, fn: Callable[[Connection], T]) -> T:
        with self.store.engine.connect() as conn:
            return fn(conn)


@pytest.fixture
def qc_station(qc_template: Path, tmp_path: Path, qapp: object) -> Iterator[QcStation]:
    path = tmp_path / "station.db"
    shutil.copyfile(qc_template, path)
    wal = qc_template.with_name(qc_template.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, path.with_name(path.name + "-wal"))
    store = open_store(path)
    player = RecordingPlayer()
    # Sessions re-read their user on every check, also from inside the writer's transaction:
    # on a read-only engine (plain BEGIN), never on the writer's (BEGIN IMMEDIATE).
    reader = open_engine(path, readonly=True)
    with cheap_parameters_for_tests():
        station = QcStation(
            store=store,
            auth=Authenticator(
                reader,
                station=STATION,
                pepper=FixedPepper(),
                # The delay after a failure, short: the test retries at once.
                policy=AuthPolicy(base_delay=timedelta(milliseconds=20)),
            ),
            feedback=Feedback(player),
            player=player,
        )
        try:
            yield station
        finally:
            close_engine(reader)
            store.close()
