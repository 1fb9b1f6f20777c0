"""Labels: template versions, serial numbers, print jobs and their outcomes, read-back checks.

Revision ID: 0009
Revises: 0008

Guarded by triggers, like the ledger (compliance P11-E2):
* ``serial_allocation``, ``print_job``, ``print_outcome`` and ``label_check`` are append-only;
* ``serial_counter`` may only grow, and no row may be deleted, so no serial number returns;
* a ``label_template`` row keeps its name, version, body and hash for ever; its status only
  moves draft → approved → retired (or draft → retired), a row is born a draft, at most one
  version per name is approved (a partial unique index), and rows are never deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("serial_allocation", "print_job", "print_outcome", "label_check")
_ABORT = "BEGIN SELECT RAISE(ABORT, '{}'); END"


def _triggers() -> list[tuple[str, str]]:
    triggers = [
        (
            f"{table}_no_{op_name.lower()}",
            f"BEFORE {op_name} ON {table} " + _ABORT.format("append-only table"),
        )
        for table in _APPEND_ONLY
        for op_name in ("UPDATE", "DELETE")
    ]
    triggers += [
        (
            "serial_counter_only_grows",
            "BEFORE UPDATE ON serial_counter WHEN NEW.next_number <= OLD.next_number"
            " OR NEW.gtin IS NOT OLD.gtin " + _ABORT.format("serial numbers only grow"),
        ),
        (
            "serial_counter_no_delete",
            "BEFORE DELETE ON serial_counter " + _ABORT.format("serial numbers only grow"),
        ),
        (
            "label_template_locked",
            "BEFORE UPDATE ON label_template WHEN NEW.name IS NOT OLD.name"
            " OR NEW.version IS NOT OLD.version OR NEW.body IS NOT OLD.body"
            " OR NEW.sha256 IS NOT OLD.sha256 OR NEW.created_at IS NOT OLD.created_at"
            " OR NEW.created_by IS NOT OLD.created_by"
            " OR NOT ((OLD.status = 'draft' AND NEW.status IN ('approved', 'retired'))"
            " OR (OLD.status = 'approved' AND NEW.status = 'retired'))"
            " OR (OLD.approved_at IS NOT NULL AND NEW.approved_at IS NOT OLD.approved_at)"
            " OR (OLD.approved_by IS NOT NULL AND NEW.approved_by IS NOT OLD.approved_by) "
            + _ABORT.format("a template version is locked; make a new version"),
        ),
        (
            "label_template_born_draft",
            "BEFORE INSERT ON label_template WHEN NEW.status IS NOT 'draft'"
            " OR NEW.approved_at IS NOT NULL OR NEW.approved_by IS NOT NULL "
            + _ABORT.format("a template version starts as a draft"),
        ),
        (
            "label_template_no_delete",
            "BEFORE DELETE ON label_template " + _ABORT.format("template versions are kept"),
        ),
    ]
    return triggers


def upgrade() -> None:
    op.create_table(
        "label_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("approved_at", sa.String(), nullable=True),
        sa.Column("approved_by", sa.String(), nullable=True),
        sa.Column("retired_at", sa.String(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'approved', 'retired')"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_index(
        "ux_label_template_one_approved",
        "label_template",
        ["name"],
        unique=True,
        sqlite_where=sa.text("status = 'approved'"),
    )
    op.create_table(
        "serial_counter",
        sa.Column("gtin", sa.String(), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("gtin"),
    )
    op.create_table(
        "serial_allocation",
        sa.Column("gtin", sa.String(), nullable=False),
        sa.Column("serial", sa.String(), nullable=False),
        sa.Column("lot", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(), nullable=False),
        sa.Column("allocated_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("gtin", "serial"),
    )
    op.create_index("ix_serial_allocation_job_id", "serial_allocation", ["job_id"])
    op.create_table(
        "print_job",
        sa.Column("job_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("template_sha256", sa.String(), nullable=False),
        sa.Column("printer", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("reprint_of", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.CheckConstraint("kind IN ('print', 'reprint', 'test')"),
        sa.PrimaryKeyConstraint("job_id"),
    )
    op.create_index("ix_print_job_reprint_of", "print_job", ["reprint_of"])
    op.create_table(
        "print_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("payload_sha256", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=True),
        sa.Column("at", sa.String(), nullable=False),
        sa.CheckConstraint("status IN ('sent', 'failed')"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_print_outcome_job_id", "print_outcome", ["job_id"])
    op.create_table(
        "label_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(), nullable=False),
        sa.Column("label_index", sa.Integer(), nullable=False),
        sa.Column("expected", sa.String(), nullable=False),
        sa.Column("decoded", sa.String(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("payload_sha256", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_label_check_job_id", "label_check", ["job_id"])
    for name, body in _triggers():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _ in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    for index, table in (
        ("ix_label_check_job_id", "label_check"),
        ("ix_print_outcome_job_id", "print_outcome"),
        ("ix_print_job_reprint_of", "print_job"),
        ("ix_serial_allocation_job_id", "serial_allocation"),
        ("ux_label_template_one_approved", "label_template"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "label_check",
        "print_outcome",
        "print_job",
        "serial_allocation",
        "serial_counter",
        "label_template",
    ):
        op.drop_table(table)
