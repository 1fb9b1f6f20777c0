"""``station user``: the station's users from the command line (docs/auth.md).

* ``station user first-admin --db PATH --username U --name N [--badge B] [--kind K]``
* ``station user add --db PATH --username U --name N --roles R1,R2 [--badge B] [--kind K]
  [--no-must-change] --role ROLE``
* ``station user list|review --db PATH [--json]``
* ``station user deactivate|unlock USERNAME --reason TEXT --db PATH --role ROLE``
* ``station user reset USERNAME --db PATH [--kind K] --role ROLE``

Secrets are read from a hidden prompt (typed twice) or, with ``--secret-stdin``, from the first
line of standard input; never from the command line, where other users and the shell history
would see them. The actor is ``--user`` or the operating-system account (``ui/commands/actor``)
acting in ``--role``, which is recorded like every claimed role. Exit 2 on any refusal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from station.access import ROLES
from station.auth.pepper import PepperStore
from station.auth.policy import AuthPolicy
from station.auth.review import access_review
from station.auth.rules import KINDS
from station.auth.users import (
    create_first_admin,
    create_user,
    deactivate,
    issue_badge,
    reset_secret,
    revoke_badge,
    unlock,
)
from station.config import load_settings
from station.context import WriteContext, utc_now
from station.errors import StationError
from station.persistence.db import close_engine, open_engine
from ui.commands.actor import add_actor_options, resolve_actor
from ui.commands.session import default_settings_file, write_session

__all__ = ["register"]

EXIT_OK = 0
EXIT_ERROR = 2
T = TypeVar("T")


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "user", help="the station's users: add, list, badges, deactivate, unlock, reset, review"
    )
    sub = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    first = sub.add_parser("first-admin", help="create the first administrator (first run)")
    _identity(first)
    _secret_options(first)
    add_actor_options(first)
    first.set_defaults(handler=run_first_admin)

    add = sub.add_parser("add", help="create a user with an initial secret")
    _identity(add)
    add.add_argument("--roles", required=True, help=f"comma-separated, of: {','.join(ROLES)}")
    add.add_argument(
        "--no-must-change", action="store_true", help="do not force a change at first sign-in"
    )
    _secret_options(add)
    _admin(add, db=False)
    add.set_defaults(handler=run_add)

    for name, helptext, handler in (
        ("list", "every user, roles and state", run_list),
        ("review", "the access review: roles, locks, last login, secret age", run_review),
    ):
        reader = sub.add_parser(name, help=helptext)
        _db(reader)
        reader.add_argument("--json", action="store_true", help="JSON instead of text")
        reader.set_defaults(handler=handler)

    for name, helptext, handler in (
        ("deactivate", "deactivate a user (never deleted)", run_deactivate),
        ("unlock", "unlock a user locked after failed attempts", run_unlock),
    ):
        change = sub.add_parser(name, help=helptext)
        change.add_argument("username")
        change.add_argument("--reason", required=True, help="why (recorded in the audit trail)")
        _admin(change)
        change.set_defaults(handler=handler)

    badge = sub.add_parser("badge", help="issue a new badge; the old one stops working at once")
    badge.add_argument("username")
    badge.add_argument("badge", help="the new badge id (never issued before, to anyone)")
    badge.add_argument("--reason", help="why (recorded in the audit trail)")
    _admin(badge)
    badge.set_defaults(handler=run_badge)

    withdraw = sub.add_parser(
        "withdraw-badge", help="withdraw a lost or stolen badge before a new one is at hand"
    )
    withdraw.add_argument("username")
    withdraw.add_argument("--reason", required=True, help="why (recorded in the audit trail)")
    _admin(withdraw)
    withdraw.set_defaults(handler=run_withdraw_badge)

    reset = sub.add_parser("reset", help="set a new secret; the user must change it")
    reset.add_argument("username")
    reset.add_argument("--kind", choices=KINDS, help="pin or password (default: as before)")
    _secret_options(reset)
    _admin(reset)
    reset.set_defaults(handler=run_reset)


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="station database")


def _identity(parser: argparse.ArgumentParser) -> None:
    _db(parser)
    parser.add_argument("--username", required=True, help="the user name (never changes)")
    parser.add_argument("--name", required=True, help="the printed name shown on signatures")
    parser.add_argument("--badge", help="the badge id (issued once, never reused)")
    parser.add_argument("--kind", choices=KINDS, help="pin (with a badge) or password")


def _secret_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secret-stdin", action="store_true", help="read the secret from standard input"
    )


def _admin(parser: argparse.ArgumentParser, *, db: bool = True) -> None:
    if db:
        _db(parser)
    parser.add_argument("--role", choices=ROLES, required=True, help="the role acted in")
    add_actor_options(parser)


def _fail(message: str) -> int:
    print(f"station user: {message}", file=sys.stderr)
    return EXIT_ERROR


def _read_secret(args: argparse.Namespace) -> str:
    if args.secret_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("new PIN or password: ")
    if getpass.getpass("again: ") != first:
        raise StationError("the two entries differ; nothing was changed")
    return first


def _context(args: argparse.Namespace, *, role: bool = True) -> WriteContext:
    actor = resolve_actor(args.user)
    roles = frozenset({args.role}) if role else frozenset()
    return WriteContext(station=args.station, actor=actor.id, actor_name=actor.name, roles=roles)


def _policy(args: argparse.Namespace) -> AuthPolicy:
    return AuthPolicy.from_settings(load_settings(args.settings or default_settings_file()))


def _write(args: argparse.Namespace, fn: Callable[[sa.Connection], T]) -> T:
    if not args.db.exists() and args.user_command != "first-admin":
        raise StationError(f"{args.db} does not exist")
    with write_session(args.db, args.station, settings_file=args.settings) as store:
        from ui.audited import submit_audited  # noqa: PLC0415

        return submit_audited(store.writer, _context(args, role=False), fn)


def _run(action: Callable[[], str]) -> int:
    try:
        print(action())
    except (StationError, OSError, sa.exc.SQLAlchemyError) as exc:
        return _fail(str(exc))
    return EXIT_OK


def run_first_admin(args: argparse.Namespace) -> int:
    def action() -> str:
        secret = _read_secret(args)
        ctx, policy = _context(args, role=False), _policy(args)
        pepper = PepperStore(args.db.parent)
        _write(
            args,
            lambda conn: create_first_admin(
                conn,
                ctx,
                username=args.username,
                name=args.name,
                secret=secret,
                kind=args.kind or ("pin" if args.badge else "password"),
                badge=args.badge,
                pepper=pepper,
                policy=policy,
            ),
        )
        return f"created the administrator {args.username}"

    return _run(action)


def run_add(args: argparse.Namespace) -> int:
    def action() -> str:
        secret = _read_secret(args)
        ctx, policy = _context(args), _policy(args)
        pepper = PepperStore(args.db.parent)
        roles = [r.strip() for r in args.roles.split(",") if r.strip()]
        _write(
            args,
            lambda conn: create_user(
                conn,
                ctx,
                username=args.username,
                name=args.name,
                roles=roles,
                secret=secret,
                kind=args.kind,
                badge=args.badge,
                must_change=not args.no_must_change,
                pepper=pepper,
                policy=policy,
            ),
        )
        return f"created {args.username}"

    return _run(action)


def run_deactivate(args: argparse.Namespace) -> int:
    def action() -> str:
        ctx = _context(args)
        _write(args, lambda conn: deactivate(conn, ctx, args.username, reason=args.reason))
        return f"deactivated {args.username}"

    return _run(action)


def run_unlock(args: argparse.Namespace) -> int:
    def action() -> str:
        ctx = _context(args)
        _write(args, lambda conn: unlock(conn, ctx, args.username, reason=args.reason))
        return f"unlocked {args.username}"

    return _run(action)


def run_badge(args: argparse.Namespace) -> int:
    def action() -> str:
        ctx = _context(args)
        _write(
            args, lambda conn: issue_badge(conn, ctx, args.username, args.badge, reason=args.reason)
        )
        return f"issued a new badge to {args.username}; the old one no longer signs anyone in"

    return _run(action)


def run_withdraw_badge(args: argparse.Namespace) -> int:
    def action() -> str:
        ctx = _context(args)
        _write(args, lambda conn: revoke_badge(conn, ctx, args.username, reason=args.reason))
        return f"withdrew the badge of {args.username}; it no longer signs anyone in"

    return _run(action)


def run_reset(args: argparse.Namespace) -> int:
    def action() -> str:
        secret = _read_secret(args)
        ctx, policy = _context(args), _policy(args)
        pepper = PepperStore(args.db.parent)
        _write(
            args,
            lambda conn: reset_secret(
                conn, ctx, args.username, secret, kind=args.kind, pepper=pepper, policy=policy
            ),
        )
        return f"reset the secret of {args.username}; it must be changed at the next sign-in"

    return _run(action)


def _review_rows(db: Path) -> list[dict[str, Any]]:
    if not db.exists():
        raise StationError(f"{db} does not exist")
    engine = open_engine(db, readonly=True)
    try:
        with engine.connect() as conn:
            rows = [row.as_dict() for row in access_review(conn, now=utc_now())]
            conn.rollback()
    finally:
        close_engine(engine)
    return rows


def run_list(args: argparse.Namespace) -> int:
    def action() -> str:
        rows = _review_rows(args.db)
        keys = ("username", "name", "roles", "badge", "active", "locked")
        if args.json:
            return json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False)
        return (
            "\n".join(
                f"{r['username']}\t{r['name']}\t{' '.join(r['roles'])}\t{r['badge'] or '—'}\t"
                f"{'active' if r['active'] else 'deactivated'}{' LOCKED' if r['locked'] else ''}"
                for r in rows
            )
            or "no users"
        )

    return _run(action)


def run_review(args: argparse.Namespace) -> int:
    def action() -> str:
        rows = _review_rows(args.db)
        if args.json:
            return json.dumps(rows, ensure_ascii=False)
        lines = []
        for r in rows:
            state = "active" if r["active"] else "deactivated"
            lines.append(
                f"{r['username']} ({r['name']}): roles {' '.join(r['roles'])}; {state}"
                f"{', LOCKED' if r['locked'] else ''}; last login {r['last_login'] or 'never'};"
                f" {r['secret_kind'] or 'no secret'}"
                + (f" set {r['secret_age_days']} days ago" if r["secret_set_at"] else "")
                + (", must change" if r["must_change"] else "")
                + (", EXPIRED" if r["expired"] else "")
            )
        return "\n".join(lines) or "no users"

    return _run(action)
