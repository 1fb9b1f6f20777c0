"""Who is acting on the command line, until there is a login (a later issue replaces this).

The audit trail needs a "who" for every entry (P11-E1). Without a login, a command names the
person responsible with ``--user``; without ``--user`` the operating-system account running the
command is recorded as ``os:<name>``, so an entry is never anonymous. ``--station`` names this
station as the existing commands do (default ``standalone``), and ``--settings`` the settings
file whose changes are recorded when the database is opened for writing.

When login exists, :func:`write_context` will take the session's user instead and ``--user``
will go away; the commands already build their context only through here.

``--role`` (:func:`add_role_option`) names the role acted in. The services check it against
the role policy (``station.access``) like a signed-in user's roles, and it is recorded with
every entry the command causes; each command documents its default in ``--help``. The command
line is used by a person signed in to the operating system, or by a script run by one.
"""

from __future__ import annotations

import argparse
import getpass
from dataclasses import dataclass
from pathlib import Path

from station.access import ROLE_TITLES, ROLES, NotPermittedError, denial_details, require
from station.context import WriteContext
from station.errors import ConfigError
from ui.commands.session import AuditEntry, Auditor

__all__ = [
    "DEFAULT_STATION",
    "OS_ACTOR_PREFIX",
    "Actor",
    "add_actor_options",
    "add_role_option",
    "denial_entry",
    "os_actor",
    "require_audited",
    "resolve_actor",
    "write_context",
]

DEFAULT_STATION = "standalone"
OS_ACTOR_PREFIX = "os:"


@dataclass(frozen=True, slots=True)
class Actor:
    """``id`` goes to the audit ``actor`` column, ``name`` to ``actor_name``."""

    id: str
    name: str


def os_actor() -> Actor:
    """The operating-system account running this process, as ``os:<name>``."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError) as exc:  # no login name and no password entry
        msg = f"cannot tell which account runs this command ({exc}); name yourself with --user"
        raise ConfigError(msg) from exc
    if not name.strip():
        msg = "the operating system reports an empty account name; name yourself with --user"
        raise ConfigError(msg)
    return Actor(OS_ACTOR_PREFIX + name, name)


def resolve_actor(user: str | None) -> Actor:
    """``--user`` when given (and not blank), else the operating-system account."""
    if user is not None and user.strip():
        return Actor(user.strip(), user.strip())
    return os_actor()


def write_context(user: str | None, station: str, role: str | None = None) -> WriteContext:
    """The context every audited command-line write uses; raises ``ConfigError`` if no actor.

    ``role`` (from ``--role``) is the one role the context carries; None carries none."""
    actor = resolve_actor(user)
    roles = frozenset({role}) if role is not None else frozenset()
    return WriteContext(station=station, actor=actor.id, actor_name=actor.name, roles=roles)


def add_role_option(parser: argparse.ArgumentParser, *, default: str, needs: str) -> None:
    """``--role ROLE`` with ``default``; ``needs`` says which permissions the command checks."""
    choices = ", ".join(f"{role} ({ROLE_TITLES[role]})" for role in ROLES)
    parser.add_argument(
        "--role",
        choices=ROLES,
        default=default,
        metavar="ROLE",
        help=f"the role acted in, checked against the role policy and recorded in the audit "
        f"trail (default: {default}; this command needs {needs}; roles: {choices})",
    )


def denial_entry(ctx: WriteContext, denied: NotPermittedError) -> AuditEntry:
    """The ``access.denied`` entry, as :func:`station.access.audit_denial` writes it."""
    return AuditEntry(
        "access.denied",
        "permission",
        denied.permission,
        new=denial_details(ctx),
        reason=str(denied),
    )


def require_audited(auditor: Auditor, ctx: WriteContext, permission: str) -> None:
    """:func:`station.access.require`; a denial is recorded through ``auditor`` (an entry of
    its own, as the services' denials are) and raised."""
    try:
        require(ctx, permission)
    except NotPermittedError as denied:
        auditor.record(ctx, [denial_entry(ctx, denied)])
        raise


def add_actor_options(
    parser: argparse.ArgumentParser,
    *,
    user: bool = True,
    user_help: str = "who is responsible (default: the operating-system account, as os:NAME)",
) -> None:
    """``--user`` (unless the command declares its own), ``--station`` and ``--settings``."""
    if user:
        parser.add_argument("--user", metavar="NAME", help=user_help)
    parser.add_argument(
        "--station", default=DEFAULT_STATION, metavar="CODE", help="this station's code"
    )
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        help="the station settings file (default: the user configuration directory); "
        "a change since the last write is recorded in the audit trail",
    )
