"""Template governance: versions, approval by a second person, locked once approved.

A template enters the database as a *draft* (``label.edit``); a different person with
``label.approve`` approves it, which locks it for good (a trigger refuses any change to its body)
and retires the version it replaces; production prints take only the approved version, and each
print records the version and the template's SHA-256. Every step writes an audit entry in the
same transaction (P11-E1).

**Retiring** (``label.approve`` and a reason) takes one version (:func:`retire_template`) or a
whole template, every version it has (:func:`retire_all_versions`), out of use for new labels:
no print path can choose it, since every one asks :func:`approved_template`. The rows stay,
body and hash locked, so old print records still name their version and reprints still
reproduce it (``station.labels.printing.plan_reprint`` says so in its audit entry). A version's
status moves one way only — draft → approved → retired, or draft → retired — enforced by the
``label_template_locked`` trigger (migration 0009), and each move is audited: retirement needs
no new table. A retired template comes back only as a new version, drafted and approved by two
people like any other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, text

from station.access import LABEL_APPROVE, LABEL_EDIT, require
from station.context import WriteContext, utc_text
from station.labels.template import LabelTemplate, TemplateError, parse_template
from station.ledger.audit import record_audit
from station.ledger.canonical import canonical_json
from station.services.errors import Refused

__all__ = [
    "TemplateVersion",
    "approve_template",
    "approved_template",
    "retire_all_versions",
    "retire_template",
    "save_draft",
    "template_at",
    "template_versions",
]


@dataclass(frozen=True, slots=True)
class TemplateVersion:
    name: str
    version: int
    status: str
    sha256: str
    created_at: str
    created_by: str | None
    approved_at: str | None
    approved_by: str | None
    retired_at: str | None = None


_COLUMNS = (
    "name, version, status, sha256, created_at, created_by, approved_at, approved_by, retired_at"
)


def template_versions(conn: Connection, name: str | None = None) -> list[TemplateVersion]:
    """Every stored version (of one template, or all), by name then version."""
    where = " WHERE name = :name" if name is not None else ""
    rows = conn.execute(
        text(f"SELECT {_COLUMNS} FROM label_template{where} ORDER BY name, version"),  # noqa: S608
        {"name": name},
    )
    return [TemplateVersion(*row) for row in rows]


def save_draft(conn: Connection, ctx: WriteContext, template: LabelTemplate) -> TemplateVersion:
    """Store ``template`` as a draft; its version must be the next one for its name."""
    require(ctx, LABEL_EDIT)
    latest = conn.execute(
        text("SELECT max(version) FROM label_template WHERE name = :name"),
        {"name": template.name},
    ).scalar_one()
    expected = (latest or 0) + 1
    if template.version != expected:
        raise Refused(
            "template_version",
            f"Template {template.name} must be saved as version {expected}, "
            f"not {template.version}: published versions are never changed.",
            subject=template.name,
        )
    body = canonical_json(dict(template.source))
    sha = hashlib.sha256(body.encode()).hexdigest()
    now = utc_text(ctx.now())
    conn.execute(
        text(
            "INSERT INTO label_template (name, version, status, body, sha256, created_at,"
            " created_by) VALUES (:name, :version, 'draft', :body, :sha, :at, :actor)"
        ),
        {
            "name": template.name,
            "version": template.version,
            "body": body,
            "sha": sha,
            "at": now,
            "actor": ctx.actor,
        },
    )
    record_audit(
        conn,
        ctx,
        action="label.template.draft",
        entity="label_template",
        entity_id=f"{template.name}@{template.version}",
        new={"sha256": sha, "roles": sorted(ctx.roles)},
    )
    return TemplateVersion(
        template.name, template.version, "draft", sha, now, ctx.actor, None, None
    )


def _version(conn: Connection, name: str, version: int) -> TemplateVersion:
    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM label_template WHERE name = :name AND version = :version"),  # noqa: S608
        {"name": name, "version": version},
    ).first()
    if row is None:
        raise Refused("unknown_template", f"No template {name} version {version}.", subject=name)
    return TemplateVersion(*row)


def approve_template(
    conn: Connection, ctx: WriteContext, name: str, version: int, reason: str
) -> TemplateVersion:
    """Approve a draft for production (a second person); the approved version it replaces is
    retired."""
    require(ctx, LABEL_APPROVE)
    if not reason.strip():
        raise Refused("reason_required", "Say why the template is approved.", subject=name)
    draft = _version(conn, name, version)
    if draft.status != "draft":
        raise Refused(
            "not_draft", f"{name} version {version} is {draft.status}, not a draft.", subject=name
        )
    if draft.created_by is None or ctx.actor is None:
        raise Refused(
            "same_person",
            f"{name} version {version}: approval needs a named author and a named approver,"
            " or no one can tell they are different people.",
            subject=name,
        )
    if draft.created_by == ctx.actor:
        raise Refused(
            "same_person",
            f"{ctx.actor} wrote {name} version {version} and cannot also approve it.",
            subject=name,
        )
    in_force = conn.execute(
        text("SELECT version FROM label_template WHERE name = :name AND status = 'approved'"),
        {"name": name},
    ).scalar_one_or_none()
    if in_force is not None and in_force > version:
        raise Refused(
            "older_version",
            f"{name} version {in_force} is in force; version {version} is older and would"
            " silently replace it. Retire it, or make a new version from it.",
            subject=name,
        )
    now = utc_text(ctx.now())
    conn.execute(
        text(
            "UPDATE label_template SET status = 'retired', retired_at = :at"
            " WHERE name = :name AND status = 'approved'"
        ),
        {"name": name, "at": now},
    )
    conn.execute(
        text(
            "UPDATE label_template SET status = 'approved', approved_at = :at,"
            " approved_by = :actor WHERE name = :name AND version = :version"
        ),
        {"name": name, "version": version, "at": now, "actor": ctx.actor},
    )
    record_audit(
        conn,
        ctx,
        action="label.template.approved",
        entity="label_template",
        entity_id=f"{name}@{version}",
        old={"status": "draft"},
        new={"status": "approved", "sha256": draft.sha256, "roles": sorted(ctx.roles)},
        reason=reason,
    )
    return _version(conn, name, version)


def retire_template(
    conn: Connection, ctx: WriteContext, name: str, version: int, reason: str
) -> TemplateVersion:
    """Take a version out of use (it stays stored: old print records still name it)."""
    require(ctx, LABEL_APPROVE)
    if not reason.strip():
        raise Refused("reason_required", "Say why the template is retired.", subject=name)
    current = _version(conn, name, version)
    if current.status == "retired":
        raise Refused("retired", f"{name} version {version} is already retired.", subject=name)
    conn.execute(
        text(
            "UPDATE label_template SET status = 'retired', retired_at = :at"
            " WHERE name = :name AND version = :version"
        ),
        {"name": name, "version": version, "at": utc_text(ctx.now())},
    )
    record_audit(
        conn,
        ctx,
        action="label.template.retired",
        entity="label_template",
        entity_id=f"{name}@{version}",
        old={"status": current.status},
        new={"status": "retired", "roles": sorted(ctx.roles)},
        reason=reason,
    )
    return _version(conn, name, version)


def retire_all_versions(
    conn: Connection, ctx: WriteContext, name: str, reason: str
) -> list[TemplateVersion]:
    """Retire the template ``name``: each of its versions not yet retired (the approved one
    and any drafts), one audited step each with the same reason. Returns those retired."""
    require(ctx, LABEL_APPROVE)
    if not reason.strip():
        raise Refused("reason_required", "Say why the template is retired.", subject=name)
    versions = template_versions(conn, name)
    if not versions:
        raise Refused("unknown_template", f"No template {name}.", subject=name)
    live = [v for v in versions if v.status != "retired"]
    if not live:
        raise Refused("retired", f"Every version of {name} is already retired.", subject=name)
    return [retire_template(conn, ctx, name, v.version, reason) for v in live]


def template_at(conn: Connection, name: str, version: int) -> LabelTemplate:
    """A stored version, its body checked against its recorded hash."""
    row = conn.execute(
        text("SELECT body, sha256 FROM label_template WHERE name = :name AND version = :version"),
        {"name": name, "version": version},
    ).first()
    if row is None:
        raise Refused("unknown_template", f"No template {name} version {version}.", subject=name)
    body, sha = row
    if hashlib.sha256(body.encode()).hexdigest() != sha:
        msg = f"template {name} version {version} does not match its recorded SHA-256"
        raise TemplateError(msg)
    return parse_template(json.loads(body), f"{name}@{version}")


def approved_template(conn: Connection, name: str) -> LabelTemplate:
    """The version of ``name`` approved for production; refused when there is none."""
    version = conn.execute(
        text("SELECT version FROM label_template WHERE name = :name AND status = 'approved'"),
        {"name": name},
    ).scalar_one_or_none()
    if version is None:
        statuses = {v.status for v in template_versions(conn, name)}
        if statuses == {"retired"}:
            raise Refused(
                "template_retired",
                f"Template {name} is retired: it is not used for new labels. Choose another"
                " template, or have a new version drafted and approved.",
                subject=name,
            )
        raise Refused(
            "template_not_approved",
            f"Template {name} has no approved version: a draft must be approved before"
            " production printing.",
            subject=name,
        )
    return template_at(conn, name, version)
