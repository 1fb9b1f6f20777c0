"""``station sync``: deliver queued events to the ERP, show the link's state, fix errors.

* ``station sync --once`` drains what it can (security alerts first) and exits 0 when nothing
  is left queued, 3 when events or security alerts remain queued (the centre was unreachable,
  events wait behind a refused one, or the centre takes no alerts);
* ``station sync --run`` keeps syncing (a service; stops on Ctrl-C / SIGTERM);
* ``station sync status [--json]`` (keys ``queued``, ``errors``, ``alerts_pending``,
  ``last_success``, ``online``);
* ``station sync errors [--json]``, ``station sync retry ID… | --all --role ROLE``;
* ``station sync login`` stores the API token in the OS keyring.

The endpoint and connector come from ``--endpoint``/``--connector`` or the settings file
(``[sync]``). Exit 2 on a usage, configuration or storage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from station.access import ROLES
from station.config import SyncConfig, load_settings
from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from station.sync.alerts import alerts_pending
from station.sync.outbox import open_rejections, outbox_status, retry_rejection
from sync.credentials import CredentialError, TokenStore
from sync.factory import SyncSetupError
from ui.commands.actor import add_actor_options, resolve_actor
from ui.commands.session import default_settings_file, write_session

__all__ = ["register"]

EXIT_EMPTY = 0
EXIT_ERROR = 2
EXIT_QUEUED = 3


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "sync", help="send queued events to the ERP; show or fix the sync state"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="drain, then exit: 0 empty, 3 queued")
    mode.add_argument("--run", action="store_true", help="keep syncing until stopped")
    parser.add_argument(
        "--no-master", action="store_true", help="deliver events only; do not pull master data"
    )
    _common(parser)
    _link(parser)
    add_actor_options(parser)
    parser.set_defaults(handler=run_sync)
    sub = parser.add_subparsers(dest="sync_command", metavar="ACTION")

    status = sub.add_parser(
        "status", help="queued events, errors, pending security alerts, last success, online"
    )
    _common(status)
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(handler=run_status)

    errors = sub.add_parser("errors", help="the events the ERP refused")
    _common(errors)
    errors.add_argument("--json", action="store_true", help="a JSON list")
    errors.set_defaults(handler=run_errors)

    retry = sub.add_parser("retry", help="send refused events again (they wait no longer)")
    _common(retry)
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="error ids (sync errors)")
    retry.add_argument("--all", action="store_true", help="every open error")
    retry.add_argument("--role", choices=ROLES, required=True, help="the role acted in")
    add_actor_options(retry)
    retry.set_defaults(handler=run_retry)

    login = sub.add_parser("login", help="store the ERP API token in the OS keyring")
    _link(login)
    login.add_argument("--settings", type=Path, metavar="FILE", help="the settings file")
    login.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    login.set_defaults(handler=run_login)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="PATH", help="station database")


def _link(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", metavar="URL", help="the centre's base URL")
    parser.add_argument(
        "--connector", choices=("epcis", "webhook"), help="how to talk to it (default: epcis)"
    )
    parser.add_argument("--ca-file", type=Path, metavar="PEM", help="trust only this CA")


def _fail(message: str) -> int:
    print(f"station sync: {message}", file=sys.stderr)
    return EXIT_ERROR


def _config(args: argparse.Namespace) -> SyncConfig:
    settings = load_settings(args.settings or default_settings_file())
    config = settings.sync()
    endpoint = args.endpoint or config.endpoint
    connector = args.connector or (config.connector if config.connector != "none" else "epcis")
    ca_file = str(args.ca_file) if args.ca_file else config.ca_file
    return SyncConfig(
        connector,
        endpoint,
        ca_file,
        config.period_s,
        config.skew_warn_s,
        config.master_data,
        config.master_period_s,
    )


def _need_db(args: argparse.Namespace) -> Path:
    if args.db is None:
        raise SyncSetupError("--db PATH is required")
    if not args.db.exists():
        raise SyncSetupError(f"{args.db} does not exist")
    path: Path = args.db
    return path


def run_sync(args: argparse.Namespace) -> int:
    if not (args.once or args.run):
        return _fail("say --once, --run, or an action (status, errors, retry, login)")
    try:
        db = _need_db(args)
        config = _config(args)
        actor = resolve_actor(args.user)
        with write_session(db, args.station, settings_file=args.settings) as store:
            from sync.factory import build_engine  # noqa: PLC0415

            engine = build_engine(store.writer, config, args.station, actor.id, actor.name)
            try:
                if args.run:
                    return _run_forever(engine)
                result = engine.drain()
                master_error = None if args.no_master else engine.pull_master()
                status = engine.status().outbox
                alerts_left = store.writer.submit(alerts_pending).result()
            finally:
                engine.close()
    except (SyncSetupError, CredentialError, StationError, OSError, sa.exc.SQLAlchemyError) as exc:
        return _fail(str(exc))
    print(
        f"delivered {result.accepted}, already held {result.duplicates},"
        f" refused {result.rejected}; {status.queued} queued, {status.errors} sync errors;"
        f" security alerts: {result.alerts} delivered, {alerts_left} pending"
    )
    if result.error:
        print(f"station sync: stopped: {result.error}", file=sys.stderr)
    if master_error:
        print(f"station sync: {master_error}", file=sys.stderr)
    return EXIT_EMPTY if status.queued == 0 and alerts_left == 0 else EXIT_QUEUED


def _run_forever(engine: Any) -> int:
    stop = threading.Event()

    def ask_to_stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    engine.start()
    print("syncing; Ctrl-C to stop", flush=True)
    while not stop.wait(0.5):
        pass
    engine.stop()
    return EXIT_EMPTY


def _read_status(db: Path) -> dict[str, Any]:
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            status = outbox_status(conn)
            alerts = alerts_pending(conn)
    finally:
        close_engine(engine)
    return {
        "queued": status.queued,
        "errors": status.errors,
        "alerts_pending": alerts,
        "held_back": status.held_back,
        "last_success": status.last_success,
        "last_attempt": status.last_attempt,
        "last_error": status.last_error,
        "online": status.online,
        "oldest_queued_at": status.oldest_queued_at,
        "clock_offset_s": status.clock_offset_s,
    }


def run_status(args: argparse.Namespace) -> int:
    try:
        facts = _read_status(_need_db(args))
    except (SyncSetupError, StationError, OSError, sa.exc.SQLAlchemyError) as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
    else:
        for key, value in facts.items():
            print(f"{key}: {'—' if value is None else value}")
    return EXIT_EMPTY


def run_errors(args: argparse.Namespace) -> int:
    try:
        engine = open_engine(_need_db(args), readonly=True)
        try:
            with engine.connect() as conn:
                rows = open_rejections(conn)
        finally:
            close_engine(engine)
    except (SyncSetupError, StationError, OSError, sa.exc.SQLAlchemyError) as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps([row.__dict__ if hasattr(row, "__dict__") else _row(row) for row in rows]))
    else:
        for row in rows:
            print(f"#{row.id} seq {row.seq} {row.event_type} {row.biz_step or ''}: {row.reason}")
        if not rows:
            print("no sync errors")
    return EXIT_EMPTY


def _row(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.__slots__}


def run_retry(args: argparse.Namespace) -> int:
    from station.context import WriteContext  # noqa: PLC0415

    if not args.ids and not args.all:
        return _fail("name error ids, or --all")
    try:
        db = _need_db(args)
        actor = resolve_actor(args.user)
        ctx = WriteContext(
            station=args.station,
            actor=actor.id,
            actor_name=actor.name,
            roles=frozenset({args.role}),
        )
        with write_session(db, args.station, settings_file=args.settings) as store:

            def retry(conn: sa.Connection) -> int:
                ids = [r.id for r in open_rejections(conn)] if args.all else args.ids
                return sum(retry_rejection(conn, i, ctx) for i in ids)

            from ui.audited import submit_audited  # noqa: PLC0415

            count = submit_audited(store.writer, ctx, retry)
    except (SyncSetupError, StationError, OSError, sa.exc.SQLAlchemyError) as exc:
        return _fail(str(exc))
    print(f"{count} event(s) queued again")
    return EXIT_EMPTY


def run_login(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
        if not config.endpoint:
            raise SyncSetupError("no endpoint: give --endpoint or set sync.endpoint")
        token = sys.stdin.readline().strip() if args.token_stdin else getpass.getpass("API token: ")
        TokenStore(config.endpoint).save(token)
    except (SyncSetupError, CredentialError, StationError, OSError) as exc:
        return _fail(str(exc))
    print(f"token stored in the keyring for {config.endpoint}")
    return EXIT_EMPTY
