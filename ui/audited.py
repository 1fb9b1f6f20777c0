"""Writes whose refusals leave a trace: a refused or denied write is audited in a new
transaction, then the error goes on to the caller (P11-F1: every refusal is audited).

The refused write itself rolled back (services refuse before writing), so the audit entry is
the only record that someone tried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection

from station.access import NotPermittedError, audit_denial
from station.context import WriteContext
from station.persistence.writer import DbWriter
from station.services.errors import Refused, audit_refusal

__all__ = ["audit_failure", "submit_audited"]

T = TypeVar("T")


def audit_failure(error: BaseException, ctx: WriteContext) -> Callable[[Connection], None] | None:
    """The write that audits ``error``, or None when it is not a refusal or denial."""
    if isinstance(error, Refused):
        return lambda conn: audit_refusal(conn, ctx, error)
    if isinstance(error, NotPermittedError):
        return lambda conn: audit_denial(conn, ctx, error)
    return None


def submit_audited(writer: DbWriter, ctx: WriteContext, fn: Callable[[Connection], T]) -> T:
    """Run ``fn`` on the writer and wait; a refusal or denial is audited, then raised."""
    try:
        return writer.submit(fn).result()
    except (Refused, NotPermittedError) as error:
        audit = audit_failure(error, ctx)
        if audit is not None:
            writer.submit(audit).result()
        raise
