"""Label governance, serials and print jobs on a real SQLite file (P11-E1, P11-E2, P11-F1,
P11-G1): who may do what, what is locked, what is commissioned, and when a printer stops."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from station.access import POLICY, NotPermittedError
from station.context import WriteContext
from station.events.ids import lgtin_uri, sgtin_uri
from station.labels.data import LabelData
from station.labels.governance import (
    approve_template,
    approved_template,
    retire_template,
    save_draft,
    template_at,
    template_versions,
)
from station.labels.printing import (
    PlannedJob,
    blocking_failure,
    job_labels,
    plan_print,
    plan_reprint,
    record_check,
    record_outcome,
)
from station.labels.stock import stock_template
from station.labels.template import LabelTemplate, TemplateError, parse_template
from station.services.errors import Refused
from station.services.holds import place_hold
from tests.integration.test_services_production import (
    accept_output,
    make,
    receive_material,
)
from tests.integration.test_services_setup import CTX, DEVICE, MATERIAL, run, station

__all__ = ["station"]

LOT = "D1"
LOT_URI = lgtin_uri(DEVICE, LOT)
AUTHOR = replace(CTX, actor="u-admin", actor_name="Ada Admin", roles=frozenset({"admin"}))
QA = replace(CTX, actor="u-qa", actor_name="Quinn QA", roles=frozenset({"qa"}))
OPS = replace(CTX, actor="u-ops", roles=frozenset({"operator"}))
SUP = replace(CTX, actor="u-sup", actor_name="Sam Supervisor", roles=frozenset({"supervisor"}))
UNIT_DATA = LabelData.from_mapping(
    {
        "gtin": DEVICE,
        "lot": LOT,
        "expiry": "2029-11-23",
        "production_date": "2026-11-23",
        "product_name_zh": "导管",
        "product_name_en": "Catheter",
    }
)
GOODS_IN_DATA = LabelData.from_mapping(
    {"gtin": MATERIAL, "lot": "L1", "expiry": "2027-12-31", "product_name_zh": "原料"}
)


def version_of(template: LabelTemplate, version: int) -> LabelTemplate:
    return parse_template(dict(template.source) | {"version": version}, template.name)


def publish(engine: sa.Engine, name: str = "udi-unit", version: int = 1) -> None:
    template = version_of(stock_template(name), version)
    run(engine, lambda c: save_draft(c, AUTHOR, template))
    run(engine, lambda c: approve_template(c, QA, name, version, "released for production"))


def accepted_lot(engine: sa.Engine) -> None:
    """Material received and accepted; device lot D1 made and accepted (no units yet)."""
    receive_material(engine)
    run(engine, make(engine))
    accept_output(engine, LOT_URI)


@pytest.fixture
def ready(station: sa.Engine) -> sa.Engine:
    accepted_lot(station)
    publish(station)
    return station


def plan(engine: sa.Engine, copies: int = 3, ctx: WriteContext = OPS, **kw: Any) -> PlannedJob:
    args: dict[str, Any] = {
        "template": "udi-unit",
        "data": UNIT_DATA,
        "copies": copies,
        "printer": "P1",
        "fmt": "zpl",
    }
    args.update(kw)
    return run(engine, lambda c: plan_print(c, ctx, **args))


def sent(engine: sa.Engine, job: PlannedJob, ctx: WriteContext = OPS) -> None:
    run(engine, lambda c: record_outcome(c, ctx, job_id=job.job_id, sent=True, payload_sha256="ab"))


def failed(engine: sa.Engine, job: PlannedJob, ctx: WriteContext = OPS) -> None:
    run(
        engine,
        lambda c: record_outcome(
            c, ctx, job_id=job.job_id, sent=False, payload_sha256=None, detail="paper out"
        ),
    )


def check(engine: sa.Engine, job: PlannedJob, index: int, *, ok: bool) -> bool:
    decoded = [b.expected for b in job.labels[index].barcodes] if ok else ["]d2garbage"]
    result = run(
        engine,
        lambda c: record_check(
            c, OPS, job_id=job.job_id, label_index=index, decoded=decoded, payload_sha256="ab"
        ),
    )
    return result.passed


def reprint(engine: sa.Engine, job: PlannedJob, labels: list[int] | None = None) -> PlannedJob:
    return run(
        engine,
        lambda c: plan_reprint(c, SUP, job_id=job.job_id, reason="smudged", labels=labels),
    )


def refusal(engine: sa.Engine, action: Callable[[sa.Connection], Any]) -> str:
    with pytest.raises(Refused) as caught:
        run(engine, action)
    return caught.value.reason


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def audit_actions(engine: sa.Engine) -> list[str]:
    return [a for (a,) in rows(engine, "SELECT action FROM audit ORDER BY seq")]


def units_in_ledger(engine: sa.Engine) -> set[str]:
    return {
        uri for (uri,) in rows(engine, "SELECT uri FROM event_ident WHERE uri LIKE '%/01/%/21/%'")
    }


def allocated(engine: sa.Engine) -> list[str]:
    return [s for (s,) in rows(engine, "SELECT serial FROM serial_allocation ORDER BY number")]


# ----------------------------------------------------------------------------- governance


@pytest.mark.req("P11-G1", "P11-E1")
def test_draft_needs_edit_and_approval_another_person_with_a_reason(station: sa.Engine) -> None:
    template = stock_template("udi-unit")
    for ctx in (OPS, SUP, QA):
        with pytest.raises(NotPermittedError), station.begin() as conn:
            save_draft(conn, ctx, template)
    run(station, lambda c: save_draft(c, AUTHOR, template))
    assert refusal(station, lambda c: save_draft(c, AUTHOR, template)) == "template_version"

    with pytest.raises(NotPermittedError):
        run(station, lambda c: approve_template(c, AUTHOR, "udi-unit", 1, "mine"))
    both = replace(AUTHOR, roles=frozenset({"admin", "qa"}))  # wrote it: may not approve it
    assert refusal(station, lambda c: approve_template(c, both, "udi-unit", 1, "ok")) == (
        "same_person"
    )
    assert refusal(station, lambda c: approve_template(c, QA, "udi-unit", 1, "  ")) == (
        "reason_required"
    )
    assert refusal(station, lambda c: approved_template(c, "udi-unit")) == "template_not_approved"
    run(station, lambda c: approve_template(c, QA, "udi-unit", 1, "checked against artwork"))
    assert refusal(station, lambda c: approve_template(c, QA, "udi-unit", 1, "again")) == (
        "not_draft"
    )

    v2 = version_of(template, 2)
    run(station, lambda c: save_draft(c, AUTHOR, v2))
    with station.connect() as conn:
        assert approved_template(conn, "udi-unit").version == 1  # a draft changes nothing
    run(station, lambda c: approve_template(c, QA, "udi-unit", 2, "new layout"))
    with station.connect() as conn:
        versions = {v.version: v for v in template_versions(conn, "udi-unit")}
        assert (versions[1].status, versions[2].status) == ("retired", "approved")
        assert (versions[2].created_by, versions[2].approved_by) == ("u-admin", "u-qa")
        assert approved_template(conn, "udi-unit").sha256 == v2.sha256
    run(station, lambda c: retire_template(c, QA, "udi-unit", 2, "product withdrawn"))
    assert refusal(station, lambda c: approved_template(c, "udi-unit")) == "template_retired"
    assert refusal(station, lambda c: retire_template(c, QA, "udi-unit", 2, "again")) == "retired"

    assert audit_actions(station)[-5:] == [
        "label.template.draft",
        "label.template.approved",
        "label.template.draft",
        "label.template.approved",
        "label.template.retired",
    ]
    reasons = rows(
        station, "SELECT reason FROM audit WHERE action = 'label.template.approved' ORDER BY seq"
    )
    assert reasons == [("checked against artwork",), ("new layout",)]


@pytest.mark.req("P11-G1")
def test_an_anonymous_draft_or_approver_cannot_prove_two_people(station: sa.Engine) -> None:
    anonymous_author = replace(AUTHOR, actor=None)
    run(station, lambda c: save_draft(c, anonymous_author, stock_template("udi-unit")))
    anonymous_qa = replace(QA, actor=None)
    assert refusal(station, lambda c: approve_template(c, anonymous_qa, "udi-unit", 1, "ok")) == (
        "same_person"
    )
    assert refusal(station, lambda c: approve_template(c, QA, "udi-unit", 1, "ok")) == (
        "same_person"
    )


def raw_refuses(db_path: Path, sql: str, *params: Any) -> str:
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError) as caught:
            raw.execute(sql, params)
        return str(caught.value)
    finally:
        raw.close()


@pytest.mark.req("P11-E2")
def test_an_approved_template_is_locked_even_for_raw_sql(station: sa.Engine, db_path: Path) -> None:
    publish(station)
    run(station, lambda c: save_draft(c, AUTHOR, version_of(stock_template("udi-unit"), 2)))
    where = "WHERE name = 'udi-unit' AND version = ?"
    for version in (1, 2):  # approved and draft alike
        for change in ("body = '{}'", "sha256 = 'x'", "version = 9", "created_by = 'eve'"):
            message = raw_refuses(db_path, f"UPDATE label_template SET {change} {where}", version)
            assert "locked" in message
        assert "kept" in raw_refuses(db_path, f"DELETE FROM label_template {where}", version)
    assert "locked" in raw_refuses(
        db_path, f"UPDATE label_template SET status = 'draft' {where}", 1
    )
    assert "locked" in raw_refuses(
        db_path, f"UPDATE label_template SET approved_by = 'eve' {where}", 1
    )
    with station.connect() as conn:  # through SQLAlchemy too
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text("UPDATE label_template SET body = '{}'"))
        conn.rollback()


@pytest.mark.req("P11-E2")
def test_template_at_detects_a_changed_body(station: sa.Engine, db_path: Path) -> None:
    """The trigger makes this impossible; the test drops it to prove the second line of
    defence (the recorded SHA-256) on its own."""
    publish(station)
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        raw.execute("DROP TRIGGER label_template_locked")
        raw.execute("UPDATE label_template SET body = replace(body, 'Catheter', 'Cath')")
        raw.execute("UPDATE label_template SET body = replace(body, '3.4', '3.5')")
    finally:
        raw.close()
    with station.connect() as conn, pytest.raises(TemplateError, match="SHA-256"):
        template_at(conn, "udi-unit", 1)
    with pytest.raises(TemplateError, match="SHA-256"):  # production printing stops too
        plan(station)


def test_stored_template_has_the_loaded_hash(station: sa.Engine) -> None:
    publish(station)
    with station.connect() as conn:
        stored = approved_template(conn, "udi-unit")
        version = template_versions(conn, "udi-unit")[0]
    assert stored.sha256 == version.sha256 == stock_template("udi-unit").sha256


# ----------------------------------------------------------------------------- printing


@pytest.mark.req("P11-F1", "P11-G1")
def test_plan_print_refusals(station: sa.Engine) -> None:
    receive_material(station)
    run(station, make(station))  # lot D1 made, not yet accepted
    assert (
        refusal(
            station,
            lambda c: plan_print(
                c, OPS, template="udi-unit", data=UNIT_DATA, copies=1, printer="P1", fmt="zpl"
            ),
        )
        == "template_not_approved"
    )
    run(station, lambda c: save_draft(c, AUTHOR, stock_template("udi-unit")))
    with pytest.raises(Refused, match="no approved version"):
        plan(station)  # a draft is not enough
    run(station, lambda c: approve_template(c, QA, "udi-unit", 1, "released"))
    with pytest.raises(NotPermittedError):
        plan(station, ctx=AUTHOR)
    with pytest.raises(Refused) as caught:
        plan(station)
    assert caught.value.reason == "wrong_state"  # P11-F1: not ACCEPTED
    accept_output(station, LOT_URI)
    run(station, lambda c: place_hold(c, CTX, [LOT_URI], reason="complaint"))
    with pytest.raises(Refused) as caught:
        plan(station)
    assert caught.value.reason in ("on_hold", "wrong_state"), caught.value
    assert "QUARANTINE" in str(caught.value)  # a hold quarantines the lot
    with pytest.raises(Refused) as caught:
        plan(station, fmt="bmp")
    assert caught.value.reason == "bad_format"
    assert allocated(station) == []
    assert rows(station, "SELECT count(*) FROM print_job") == [(0,)]


def test_a_serial_in_the_data_is_refused(ready: sa.Engine) -> None:
    with pytest.raises(Refused) as caught:
        plan(ready, data=UNIT_DATA.with_values(serial="00000001"))
    assert caught.value.reason == "serial_given"
    for copies in (0, 10_001):
        with pytest.raises(Refused) as caught:
            plan(ready, copies=copies)
        assert caught.value.reason == "bad_quantity"
    assert allocated(ready) == []


@pytest.mark.req("P11-F1")
def test_sent_commissions_the_serials_and_failed_burns_them(ready: sa.Engine) -> None:
    first = plan(ready, copies=3)
    second = plan(ready, copies=3)
    assert len(set(first.serials + second.serials)) == 6
    assert [dict(label.data)["serial"] for label in first.labels] == list(first.serials)
    assert units_in_ledger(ready) == set()  # planned is not printed

    failed(ready, first)
    assert units_in_ledger(ready) == set()
    sent(ready, second)
    assert units_in_ledger(ready) == {sgtin_uri(DEVICE, s) for s in second.serials}

    third = plan(ready, copies=2)
    assert not set(third.serials) & set(first.serials + second.serials)  # burnt, not reused
    assert allocated(ready) == [*first.serials, *second.serials, *third.serials]
    counter = rows(ready, "SELECT next_number FROM serial_counter WHERE gtin = :g", g=DEVICE)
    assert counter == [(9,)]

    assert (
        refusal(
            ready,
            lambda c: record_outcome(c, OPS, job_id=second.job_id, sent=True, payload_sha256="ab"),
        )
        == "already_printed"
    )
    assert (
        refusal(
            ready,
            lambda c: record_outcome(c, OPS, job_id=third.job_id, sent=True, payload_sha256=None),
        )
        == "no_payload"
    )
    assert "label.print.failed" in audit_actions(ready)
    assert audit_actions(ready)[-1] == "label.printed"


@pytest.mark.req("P11-F1")
def test_a_failed_job_is_over_and_is_never_sent_later(ready: sa.Engine) -> None:
    """A failed send may have printed part of the job; recording it as sent afterwards would
    let the same serials go out again."""
    job = plan(ready, copies=2)
    failed(ready, job)
    assert (
        refusal(
            ready,
            lambda c: record_outcome(c, OPS, job_id=job.job_id, sent=True, payload_sha256="ab"),
        )
        == "already_failed"
    )
    assert units_in_ledger(ready) == set()
    assert refusal(ready, lambda c: plan_reprint(c, SUP, job_id=job.job_id, reason="r")) == (
        "not_printed"
    )


@pytest.mark.req("P11-G1")
def test_reprint_reproduces_the_label_and_commissions_nothing(ready: sa.Engine) -> None:
    job = plan(ready, copies=3)
    assert refusal(ready, lambda c: plan_reprint(c, SUP, job_id=job.job_id, reason="r")) == (
        "not_printed"
    )
    sent(ready, job)
    with pytest.raises(NotPermittedError):
        run(ready, lambda c: plan_reprint(c, OPS, job_id=job.job_id, reason="smudged"))
    assert refusal(ready, lambda c: plan_reprint(c, SUP, job_id=job.job_id, reason=" ")) == (
        "reason_required"
    )
    assert (
        refusal(ready, lambda c: plan_reprint(c, SUP, job_id=job.job_id, reason="r", labels=[3]))
        == "bad_label"
    )
    events = rows(ready, "SELECT count(*) FROM event")
    again = reprint(ready, job, [1, 2])
    assert again.kind == "reprint"
    assert again.serials == ()
    assert [b.expected for label in again.labels for b in label.barcodes] == [
        b.expected for label in job.labels[1:] for b in label.barcodes
    ]
    assert again.labels == job.labels[1:]
    with ready.connect() as conn:
        assert job_labels(conn, again.job_id) == again.labels
    with pytest.raises(NotPermittedError):  # recording a reprint needs label.reprint too
        sent(ready, again, ctx=OPS)
    sent(ready, again, ctx=SUP)
    assert rows(ready, "SELECT count(*) FROM event") == events
    assert allocated(ready) == list(job.serials)
    assert audit_actions(ready)[-1] == "label.reprinted"
    (row,) = rows(ready, "SELECT reason, new_value FROM audit ORDER BY seq DESC LIMIT 1")
    assert row[0] == "smudged"
    assert job.job_id in row[1]


@pytest.mark.req("P11-F1")
def test_a_failed_read_back_stops_the_printer_until_the_label_is_reprinted(
    ready: sa.Engine,
) -> None:
    job = plan(ready, copies=3)
    with pytest.raises(Refused) as caught:  # not printed yet: nothing to read back
        check(ready, job, 0, ok=True)
    assert caught.value.reason == "not_printed"
    sent(ready, job)
    assert check(ready, job, 0, ok=True)
    assert not check(ready, job, 1, ok=False)
    with ready.connect() as conn:
        assert blocking_failure(conn, "P1") == job.labels[1].barcodes[0].expected
        assert blocking_failure(conn, "P2") is None
    with pytest.raises(Refused) as caught:
        plan(ready)
    assert caught.value.reason == "verify_failed"
    plan(ready, copies=1, printer="P2")  # another printer is not stopped

    fix = reprint(ready, job, [1])
    sent(ready, fix, ctx=SUP)
    assert not check(ready, fix, 0, ok=False)  # the reprint failed too: still stopped
    with pytest.raises(Refused, match="read-back"):
        plan(ready)
    fix2 = reprint(ready, job, [1])
    sent(ready, fix2, ctx=SUP)
    assert check(ready, fix2, 0, ok=True)
    plan(ready, copies=1)  # free again
    actions = audit_actions(ready)
    assert actions.count("label.verified") == 2
    assert actions.count("label.verify.failed") == 2


@pytest.mark.req("P11-F1")
def test_another_identical_label_passing_does_not_replace_the_failed_one(
    station: sa.Engine,
) -> None:
    """Lot labels without serials all carry the same content: label 1 passing is no reprint of
    label 0, which is still a bad label on the line."""
    receive_material(station)
    publish(station, "goods-in")
    job = plan(station, copies=2, template="goods-in", data=GOODS_IN_DATA)
    assert job.serials == ()
    sent(station, job)
    assert not check(station, job, 0, ok=False)
    assert check(station, job, 1, ok=True)
    with pytest.raises(Refused) as caught:
        plan(station, copies=1, template="goods-in", data=GOODS_IN_DATA)
    assert caught.value.reason == "verify_failed"
    fix = reprint(station, job, [0])
    sent(station, fix, ctx=SUP)
    assert check(station, fix, 0, ok=True)
    plan(station, copies=1, template="goods-in", data=GOODS_IN_DATA)


@pytest.mark.req("P11-E2")
def test_serial_counter_only_grows_and_allocations_are_append_only(
    ready: sa.Engine, db_path: Path
) -> None:
    job = plan(ready, copies=2)
    sent(ready, job)
    check(ready, job, 0, ok=True)
    for sql in (
        "UPDATE serial_counter SET next_number = next_number - 1",
        "UPDATE serial_counter SET next_number = next_number",
        "UPDATE serial_counter SET gtin = '04012345000047'",
        "DELETE FROM serial_counter",
    ):
        assert "only grow" in raw_refuses(db_path, sql)
    for table in ("serial_allocation", "print_job", "print_outcome", "label_check"):
        assert "append-only" in raw_refuses(db_path, f"UPDATE {table} SET job_id = job_id")
        assert "append-only" in raw_refuses(db_path, f"DELETE FROM {table}")
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        raw.execute("UPDATE serial_counter SET next_number = next_number + 5")  # growing is fine
    finally:
        raw.close()
    assert plan(ready, copies=1).serials == ("00000008",)


# ----------------------------------------------------------------------------- P11-G1 table

PERMISSION = {
    "save_draft": "label.edit",
    "approve_template": "label.approve",
    "retire_template": "label.approve",
    "plan_print": "label.print",
    "plan_reprint": "label.reprint",
    "record_outcome(print)": "label.print",
    "record_outcome(reprint)": "label.reprint",
    "record_check": "label.print",
}


def services(jobs: dict[str, str]) -> dict[str, Callable[[sa.Connection, WriteContext], Any]]:
    return {
        "save_draft": lambda c, x: save_draft(c, x, version_of(stock_template("udi-unit"), 3)),
        "approve_template": lambda c, x: approve_template(c, x, "udi-unit", 2, "ok"),
        "retire_template": lambda c, x: retire_template(c, x, "udi-unit", 1, "old"),
        "plan_print": lambda c, x: plan_print(
            c, x, template="udi-unit", data=UNIT_DATA, copies=1, printer="P9", fmt="zpl"
        ),
        "plan_reprint": lambda c, x: plan_reprint(c, x, job_id=jobs["sent"], reason="torn"),
        "record_outcome(print)": lambda c, x: record_outcome(
            c, x, job_id=jobs["planned"], sent=True, payload_sha256="ab"
        ),
        "record_outcome(reprint)": lambda c, x: record_outcome(
            c, x, job_id=jobs["reprint"], sent=True, payload_sha256="ab"
        ),
        "record_check": lambda c, x: record_check(
            c, x, job_id=jobs["sent"], label_index=0, decoded=[], payload_sha256="ab"
        ),
    }


@pytest.mark.req("P11-G1")
def test_every_label_service_is_allowed_exactly_as_the_policy_says(ready: sa.Engine) -> None:
    run(ready, lambda c: save_draft(c, AUTHOR, version_of(stock_template("udi-unit"), 2)))
    done = plan(ready, copies=1)
    sent(ready, done)
    jobs = {
        "sent": done.job_id,
        "planned": plan(ready, copies=1).job_id,
        "reprint": reprint(ready, done).job_id,
    }
    table = services(jobs)
    assert set(table) == set(PERMISSION)
    contexts = {role: replace(CTX, actor=f"u-{role}", roles=frozenset({role})) for role in POLICY}
    contexts["(none)"] = replace(CTX, actor="u-none", roles=frozenset())
    contexts["(unknown)"] = replace(CTX, actor="u-x", roles=frozenset({"superuser"}))
    mismatches = []
    for role, ctx in contexts.items():
        for name, service in table.items():
            with ready.connect() as conn:
                conn.begin()
                try:
                    service(conn, ctx)
                    permitted = True
                except NotPermittedError:
                    permitted = False
                finally:
                    conn.rollback()  # every call on the same state
            if permitted != (PERMISSION[name] in POLICY.get(role, frozenset())):
                mismatches.append((role, name, permitted))
    assert mismatches == []


def test_payload_hash_is_recorded(ready: sa.Engine) -> None:
    job = plan(ready, copies=1)
    payload = hashlib.sha256(b"^XA^XZ").hexdigest()
    run(
        ready,
        lambda c: record_outcome(c, OPS, job_id=job.job_id, sent=True, payload_sha256=payload),
    )
    assert rows(ready, "SELECT status, payload_sha256 FROM print_outcome") == [("sent", payload)]
    assert rows(ready, "SELECT template, template_version, template_sha256 FROM print_job") == [
        ("udi-unit", 1, stock_template("udi-unit").sha256)
    ]
    assert date.fromisoformat(dict(job.labels[0].data)["expiry"]) == date(2029, 11, 23)
