"""Who may do what (compliance P11-G1, AUTH-6, AUTH-7): permissions are checked in the services;
the UI only mirrors them.

Roles map to permissions in one versioned data file, ``resources/policy/roles.toml``, loaded
and validated here at import (:data:`POLICY`, :data:`POLICY_VERSION`, :data:`POLICY_SHA256`).
Every service entry point calls :func:`require` before it reads or writes anything, on every
call: nothing is cached, so a role taken away takes effect at the next action (AUTH-7). The GUI
takes roles from the signed-in user; the command line names the role with ``--role`` and the
role is written into every audit entry it causes, so a claimed role is never invisible.
docs/access.md has the matrix, the enforcement points and the four-eyes rules.

>>> ctx = WriteContext(station="s1", actor="li", roles=frozenset({"operator"}))
>>> allowed(ctx, LABEL_PRINT), allowed(ctx, LABEL_APPROVE)
(True, False)
>>> require(ctx, LABEL_APPROVE)
Traceback (most recent call last):
...
station.access.NotPermittedError: li (operator) may not approve label templates (label.approve)
>>> ROLES
('operator', 'inspector', 'supervisor', 'qa', 'admin')
>>> ROLE_TITLES["qa"]
'QA manager'
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from station.context import WriteContext
from station.errors import StationError
from station.resources import resource_path

__all__ = [
    "AUDIT_VIEW",
    "COMMISSION",
    "GOODS_IN",
    "INSPECTION_RECORD",
    "INSPECTION_SIGN",
    "LABEL_APPROVE",
    "LABEL_EDIT",
    "LABEL_PRINT",
    "LABEL_REPRINT",
    "LOT_HOLD",
    "LOT_RELEASE",
    "MASTERDATA_EDIT",
    "PACK",
    "PERMISSIONS",
    "POLICY",
    "POLICY_FILE",
    "POLICY_SHA256",
    "POLICY_VERSION",
    "RECALL_RUN",
    "RECORD_CORRECT",
    "REPORT_EXPORT",
    "RETURN",
    "ROLES",
    "ROLE_TITLES",
    "SETTINGS_MANAGE",
    "SHIP",
    "SYNC_RETRY",
    "TRACE_VIEW",
    "UNPACK",
    "USER_MANAGE",
    "NotAuthenticatedError",
    "NotPermittedError",
    "Policy",
    "PolicyError",
    "allowed",
    "audit_denial",
    "denial_details",
    "load_policy",
    "require",
]

LABEL_PRINT = "label.print"
LABEL_REPRINT = "label.reprint"
LABEL_EDIT = "label.edit"  # write a new draft version of a template
LABEL_APPROVE = "label.approve"  # release a draft for production use
SYNC_RETRY = "sync.retry"  # send an event the ERP refused once more
GOODS_IN = "scan.goods_in"  # receive supplier material against a PO (or refuse it)
INSPECTION_RECORD = "inspection.record"  # enter inspection results
INSPECTION_SIGN = "inspection.sign"  # sign an inspection record (reviewed / rejected)
LOT_RELEASE = "lot.release"  # release a lot or unit from hold (signed: released)
LOT_HOLD = "lot.hold"  # place a hold on a lot or unit
COMMISSION = "production.commission"  # produce lots (transformation), commission units
PACK = "packing.pack"  # aggregate units into cases, cases into pallets
UNPACK = "packing.unpack"  # take units out of a case or pallet (with a reason)
SHIP = "shipping.ship"  # ship against a sales order
RETURN = "returns.receive"  # receive a customer return
TRACE_VIEW = "trace.view"  # look up any code's history and genealogy
RECALL_RUN = "recall.run"  # compute an affected set, run a (mock) recall, recall holds
REPORT_EXPORT = "report.export"  # export trace/recall/audit reports and EPCIS documents
AUDIT_VIEW = "audit.view"  # read and verify the audit trail
RECORD_CORRECT = "record.correct"  # declare an event erroneous (correction)
MASTERDATA_EDIT = "masterdata.edit"  # change products, suppliers, orders, plans
USER_MANAGE = "user.manage"  # create, deactivate, unlock users; reset secrets
SETTINGS_MANAGE = "settings.manage"  # devices, printers, station settings

#: Every permission the code checks. The policy file must describe exactly these.
PERMISSIONS: tuple[str, ...] = (
    GOODS_IN,
    INSPECTION_RECORD,
    INSPECTION_SIGN,
    LOT_RELEASE,
    LOT_HOLD,
    COMMISSION,
    PACK,
    UNPACK,
    SHIP,
    RETURN,
    TRACE_VIEW,
    RECALL_RUN,
    REPORT_EXPORT,
    AUDIT_VIEW,
    RECORD_CORRECT,
    MASTERDATA_EDIT,
    USER_MANAGE,
    SETTINGS_MANAGE,
    LABEL_PRINT,
    LABEL_REPRINT,
    LABEL_EDIT,
    LABEL_APPROVE,
    SYNC_RETRY,
)

#: The roles, in the order screens list them. The policy file must define exactly these.
ROLES: tuple[str, ...] = ("operator", "inspector", "supervisor", "qa", "admin")

POLICY_FILE = resource_path("policy", "roles.toml")


class PolicyError(StationError):
    """The role policy file is missing, unreadable or names what the code does not know."""


@dataclass(frozen=True, slots=True)
class Policy:
    """A loaded policy: role → permissions, role titles, permission words, version, hash."""

    roles: Mapping[str, frozenset[str]]
    titles: Mapping[str, str]
    words: Mapping[str, str]
    version: int
    sha256: str


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        msg = f"{where} must be a list of strings"
        raise PolicyError(msg)
    return value


def _words(document: Mapping[str, Any]) -> dict[str, str]:
    words = document.get("permissions")
    if not isinstance(words, dict) or not all(isinstance(w, str) for w in words.values()):
        msg = "[permissions] must map each permission to its words"
        raise PolicyError(msg)
    unknown = sorted(set(words) - set(PERMISSIONS))
    missing = [p for p in PERMISSIONS if p not in words]
    if unknown or missing:
        msg = f"[permissions]: unknown {unknown}, missing {missing}"
        raise PolicyError(msg)
    return dict(words)


def _roles(document: Mapping[str, Any]) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    table = document.get("roles")
    if not isinstance(table, dict):
        msg = "[roles] is missing"
        raise PolicyError(msg)
    unknown = sorted(set(table) - set(ROLES))
    missing = [role for role in ROLES if role not in table]
    if unknown or missing:
        msg = f"[roles]: unknown role(s) {unknown}, missing {missing}"
        raise PolicyError(msg)
    roles: dict[str, frozenset[str]] = {}
    titles: dict[str, str] = {}
    for role in ROLES:  # in ROLES order, whatever the file's order
        entry = table[role]
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            msg = f"[roles.{role}] needs a title and permissions"
            raise PolicyError(msg)
        granted = _strings(entry.get("permissions"), f"[roles.{role}] permissions")
        strange = sorted(set(granted) - set(PERMISSIONS))
        if strange:
            msg = f"[roles.{role}]: unknown permission(s) {strange}"
            raise PolicyError(msg)
        if len(set(granted)) != len(granted):
            msg = f"[roles.{role}]: a permission is listed twice"
            raise PolicyError(msg)
        roles[role] = frozenset(granted)
        titles[role] = entry["title"]
    return roles, titles


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; :class:`PolicyError` on anything unknown or missing."""
    try:
        data = path.read_bytes()
        document = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        msg = f"cannot read the role policy {path}: {error}"
        raise PolicyError(msg) from error
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        msg = f"{path}: `version` must be a positive integer"
        raise PolicyError(msg)
    words = _words(document)
    roles, titles = _roles(document)
    return Policy(roles, titles, words, version, hashlib.sha256(data).hexdigest())


_LOADED = load_policy(POLICY_FILE)

#: role → permissions, from the policy file. Tests compare the services' behaviour with it.
POLICY: Mapping[str, frozenset[str]] = _LOADED.roles
#: role → the name shown to people ("QA manager" for ``qa``).
ROLE_TITLES: Mapping[str, str] = _LOADED.titles
#: The policy file's ``version`` and the SHA-256 of its bytes, recorded with each denial.
POLICY_VERSION: int = _LOADED.version
POLICY_SHA256: str = _LOADED.sha256


class NotAuthenticatedError(StationError):
    """Nobody is signed in, or the session has ended (P11-D1); nothing was done."""


class NotPermittedError(StationError):
    """The actor's roles do not grant the permission; nothing was done."""

    def __init__(self, ctx: WriteContext, permission: str) -> None:
        self.permission = permission
        roles = ", ".join(sorted(ctx.roles)) or "no role"
        who = ctx.actor or "nobody"
        super().__init__(
            f"{who} ({roles}) may not {_LOADED.words.get(permission, permission)} ({permission})"
        )


def allowed(ctx: WriteContext, permission: str) -> bool:
    """Whether one of the actor's roles grants ``permission`` (unknown roles grant nothing)."""
    return any(permission in POLICY.get(role, frozenset()) for role in ctx.roles)


def require(ctx: WriteContext, permission: str) -> None:
    """Raise :class:`NotPermittedError` unless one of the actor's roles grants ``permission``;
    :class:`NotAuthenticatedError` first if the context's login session has ended.

    Called at the top of every service entry point, before anything is read or written, and
    on every call (never cached): the roles are those the context carries at that moment."""
    if ctx.session is not None:
        ctx.session.check()
    if permission not in PERMISSIONS:  # a typo in a service must not silently deny everyone
        msg = f"unknown permission {permission!r}"
        raise ValueError(msg)
    if not allowed(ctx, permission):
        raise NotPermittedError(ctx, permission)


def audit_denial(conn: Connection, ctx: WriteContext, denied: NotPermittedError) -> None:
    """Record a refused attempt (``access.denied``) in the caller's new transaction: the denied
    action's own transaction was rolled back, like a service refusal (P11-F1, P11-G1).

    The entry names the roles claimed and the policy (version and file hash) that denied them.
    """
    # Imported here: the ledger package (verification, signatures) itself checks permissions,
    # so importing it at module level would make the two import each other half-initialised.
    from station.ledger.audit import record_audit  # noqa: PLC0415

    record_audit(
        conn,
        ctx,
        action="access.denied",
        entity="permission",
        entity_id=denied.permission,
        new=denial_details(ctx),
        reason=str(denied),
    )


def denial_details(ctx: WriteContext) -> dict[str, Any]:
    """The ``new`` value of an ``access.denied`` entry: the roles claimed and the policy (its
    version and file hash) that denied them; shared by every path that records a denial."""
    return {
        "roles": sorted(ctx.roles),
        "policy_version": POLICY_VERSION,
        "policy_sha256": POLICY_SHA256,
    }
