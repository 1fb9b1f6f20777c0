"""``station --demo``: a seeded station database with demo users, for trying every screen.

The demo database is the synthetic factory of :func:`station.demo.factory.build_demo` (goods
received and inspected, lots made, labelled, packed, shipped, one return), plus the four stock
label templates approved, one lot accepted today and ready for labels, and one user per role
with a known badge and PIN (:data:`DEMO_USERS`, listed on the sign-in page). It is built once
per version of its sources and of the schema into the user's cache folder and copied (SQLite
online backup) into a new temporary folder at every start, so a demo session never changes
the cached one and starts in about a second.

The demo's PINs are keyed with a fixed, public pepper (:class:`DemoPepper`): the demo is for
trying, never for records. A real station keeps its pepper in the OS keyring.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import platformdirs
import sqlalchemy as sa
from sqlalchemy import Connection

from station import __version__
from station.auth.login import Authenticator
from station.auth.outcome import Refusal
from station.auth.pepper import PepperSource
from station.auth.policy import AuthPolicy
from station.auth.session import Session
from station.auth.users import create_first_admin, create_user
from station.context import WriteContext
from station.demo.factory import STATION, build_demo
from station.demo.labels import seed_label_extras
from station.persistence.store import open_store
from station.signatures import Meaning, event_record, sign_record

__all__ = [
    "DEMO_STATION",
    "DEMO_USERS",
    "DemoPepper",
    "DemoUser",
    "demo_database",
    "fresh_demo_copy",
]

_log = logging.getLogger(__name__)

DEMO_STATION = STATION
#: Bump to force a new cached demo database (the cache key also covers the demo's sources).
DEMO_FORMAT = 1
DEMO_UNITS = 200
DEMO_SEED = 1


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    name: str
    roles: tuple[str, ...]
    badge: str | None
    secret: str


#: One user per role. Badges are Code 128 on a real card; in the demo, type or scan the text.
DEMO_USERS = (
    DemoUser("admin", "管理员 Admin", ("admin",), None, "demo-admin-2026"),
    DemoUser("wang", "王芳 Wang Fang", ("operator",), "B-1001", "260417"),
    DemoUser("li", "李强 Li Qiang", ("inspector",), "B-1002", "318529"),
    DemoUser("zhao", "赵军 Zhao Jun", ("supervisor",), "B-1003", "407362"),
    DemoUser("sun", "孙丽 Sun Li", ("qa",), "B-1004", "592837"),
)


class DemoPepper(PepperSource):
    """A fixed pepper, the same for every demo database (the demo's PINs are public)."""

    _PEPPER = hashlib.sha256(b"udi-station demo pepper: not for records").digest()

    def existing(self) -> bytes | None:
        return self._PEPPER

    def get_or_create(self) -> bytes:
        return self._PEPPER


def _add_users(path: Path) -> None:
    store = open_store(path)
    try:
        admin, *others = DEMO_USERS
        ctx = WriteContext(STATION, actor=admin.username, actor_name=admin.name)
        policy = AuthPolicy()
        pepper = DemoPepper()

        def first(conn: Connection) -> None:
            create_first_admin(
                conn,
                ctx,
                username=admin.username,
                name=admin.name,
                secret=admin.secret,
                pepper=pepper,
                policy=policy,
            )

        store.writer.submit(first).result()
        admin_ctx = WriteContext(
            STATION, actor=admin.username, actor_name=admin.name, roles=frozenset({"admin"})
        )
        for user in others:

            def add(conn: Connection, user: DemoUser = user) -> None:
                create_user(
                    conn,
                    admin_ctx,
                    username=user.username,
                    name=user.name,
                    roles=user.roles,
                    secret=user.secret,
                    badge=user.badge,
                    must_change=False,
                    pepper=pepper,
                    policy=policy,
                )

            store.writer.submit(add).result()
    finally:
        store.close()


def build_demo_database(path: Path) -> None:
    """Make the demo database at ``path`` (a new file): factory, labels, users."""
    store = open_store(path)
    try:
        build_demo(store, units=DEMO_UNITS, seed=DEMO_SEED)
        seed_label_extras(store, WriteContext(STATION))
    finally:
        store.close()
    _add_users(path)
    _sign_inspections(path)


#: The demo's inspector signs the passed inspections of the shipped units' lots and of this
#: many shipped units (each signature unseals the signing key, about 0.1–0.2 s), so a shipped
#: unit traced in the demo shows Part 11 signatures in its timeline.
DEMO_SIGNED_UNITS = 6
_SHIPPED = "SELECT {what} FROM item_state WHERE kind = 'sgtin' AND status = 'shipped'"
_INSPECTIONS_OF = (
    "SELECT DISTINCT e.event_id, e.seq FROM event AS e JOIN event_ident AS i"
    " ON i.event_seq = e.seq"
    " WHERE e.biz_step = 'inspecting' AND e.disposition = 'conformant' AND e.actor = :actor"
    " AND i.uri IN ({uris}) ORDER BY e.seq"
)
_SHIPPED_LOT_INSPECTIONS = sa.text(
    _INSPECTIONS_OF.format(
        uris=_SHIPPED.format(what="DISTINCT 'https://id.gs1.org/01/' || gtin || '/10/' || lot")
    )
)
_SHIPPED_UNIT_INSPECTIONS = sa.text(
    _INSPECTIONS_OF.format(uris=_SHIPPED.format(what="uri") + " ORDER BY uri LIMIT :units")
)


def _sign_inspections(path: Path) -> None:
    """The demo's inspector signs passed inspections of what was shipped "reviewed", as at the
    QC bench (sign-in by badge and PIN, then the PIN for each signature), so the Trace screen
    shows Part 11 signatures on the demo's own history."""
    inspector = next(user for user in DEMO_USERS if "inspector" in user.roles)
    assert inspector.badge is not None
    store = open_store(path)
    try:
        auth = Authenticator(store.engine, station=STATION, pepper=DemoPepper())
        session = store.writer.submit(
            lambda conn: auth.login_badge(conn, inspector.badge or "", inspector.secret)
        ).result()
        if not isinstance(session, Session):
            msg = f"the demo inspector could not sign in: {session.message}"
            raise RuntimeError(msg)
        with store.engine.connect() as conn:
            who = {"actor": inspector.username, "units": DEMO_SIGNED_UNITS}
            event_ids = [
                str(row[0])
                for query in (_SHIPPED_LOT_INSPECTIONS, _SHIPPED_UNIT_INSPECTIONS)
                for row in conn.execute(query, who)
            ]

        def sign(conn: Connection, event_id: str) -> None:
            proof = session.authorize_signature(conn, inspector.secret, inspector.badge)
            if isinstance(proof, Refusal):
                msg = f"the demo inspector's signature was refused: {proof.message}"
                raise RuntimeError(msg)
            sign_record(
                conn,
                session.context(STATION),
                proof=proof,
                secret=inspector.secret,
                meaning=Meaning.REVIEWED,
                record=event_record(conn, event_id),
            )

        for event_id in event_ids:
            store.writer.submit(partial(sign, event_id=event_id)).result()
        store.writer.submit(session.logout).result()
    finally:
        store.close()


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy of a closed or open database."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _content_key() -> str:
    """What the cached demo database was made from: this module, the demo factory and the
    schema's migrations. Any change to them makes a new cache file, so a stale demo database
    (old users, old schema) is never reused.

    >>> len(_content_key())
    12
    """
    digest = hashlib.sha256(str(DEMO_FORMAT).encode())
    station_root = Path(build_demo.__code__.co_filename).resolve().parents[1]
    sources = [Path(__file__).resolve()]
    sources += sorted((station_root / "demo").glob("*.py"))
    sources += sorted((station_root / "persistence" / "migrations" / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def demo_database(cache: Path | None = None) -> Path:
    """The cached demo database for this version, built on first use."""
    folder = cache or platformdirs.user_cache_path("udi-station", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{__version__}-{_content_key()}.sqlite"
    if path.exists():
        return path
    building = Path(tempfile.mkdtemp(prefix="udi-demo-build-", dir=folder))
    try:
        made = building / "demo.sqlite"
        _log.info("building the demo database (first start of this version)")
        build_demo_database(made)
        _copy(made, building / "copy.sqlite")
        (building / "copy.sqlite").replace(path)  # atomic: never a half-built cache
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return path


def fresh_demo_copy(cache: Path | None = None) -> tuple[Path, Path]:
    """(a new temporary folder, the demo database copied into it) for one demo session."""
    source = demo_database(cache)
    folder = Path(tempfile.mkdtemp(prefix="udi-station-demo-"))
    target = folder / "demo.sqlite"
    _copy(source, target)
    return folder, target
