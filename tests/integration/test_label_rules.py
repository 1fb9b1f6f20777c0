"""Label rules added after review: a print the ledger now refuses is still recorded; an older
version cannot displace the one in force; the database itself allows one approved version per
name and only draft-born rows; shapes must end on the label; invisible text is refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from station.events.ids import sgtin_uri
from station.labels.data import LabelData, LabelDataError
from station.labels.governance import approve_template, save_draft
from station.labels.printing import plan_print, record_outcome
from station.labels.stock import stock_template
from station.labels.template import TemplateError, parse_template
from station.services.errors import Refused
from station.services.holds import place_hold
from tests.integration.test_label_printing import (
    AUTHOR,
    LOT_URI,
    OPS,
    QA,
    UNIT_DATA,
    publish,
    version_of,
)
from tests.integration.test_services_setup import CTX, run

pytest_plugins = ["tests.integration.test_label_printing"]


def test_a_print_whose_lot_went_on_hold_is_recorded_with_the_refusal(
    ready: sa.Engine, db_path: Path
) -> None:
    job = run(
        ready,
        lambda c: plan_print(
            c, OPS, template="udi-unit", data=UNIT_DATA, copies=2, printer="P1", fmt="zpl"
        ),
    )
    run(ready, lambda c: place_hold(c, CTX, [LOT_URI], reason="complaint"))  # after planning
    outcome = run(
        ready,
        lambda c: record_outcome(c, OPS, job_id=job.job_id, sent=True, payload_sha256="ab"),
    )
    assert outcome.status == "sent"
    assert outcome.commissioning_refused is not None
    assert "QUARANTINE" in outcome.commissioning_refused  # a hold before labelling quarantines
    with sqlite3.connect(db_path) as conn:
        statuses = conn.execute("SELECT status FROM print_outcome").fetchall()
        named = conn.execute(
            "SELECT count(*) FROM event_ident WHERE uri = ?",
            (sgtin_uri(UNIT_DATA.get("gtin") or "", job.serials[0]),),
        ).fetchone()
        audit = conn.execute(
            "SELECT new_value FROM audit WHERE action = 'label.printed'"
        ).fetchone()
    assert statuses == [("sent",)]
    assert named == (0,)  # printed, not commissioned: the refusal says why
    assert json.loads(audit[0])["commissioning_refused"] == outcome.commissioning_refused


def test_an_older_draft_cannot_replace_the_version_in_force(station: sa.Engine) -> None:
    run(station, lambda c: save_draft(c, AUTHOR, version_of(stock_template("goods-in"), 1)))
    run(station, lambda c: save_draft(c, AUTHOR, version_of(stock_template("goods-in"), 2)))
    run(station, lambda c: approve_template(c, QA, "goods-in", 2, "current"))
    with pytest.raises(Refused) as refused:
        run(station, lambda c: approve_template(c, QA, "goods-in", 1, "roll back"))
    assert refused.value.reason == "older_version"


def test_the_database_allows_one_approved_version_and_draft_born_rows(
    station: sa.Engine, db_path: Path
) -> None:
    publish(station, "goods-in", 1)
    insert = (
        "INSERT INTO label_template (name, version, status, body, sha256, created_at)"
        " VALUES ('goods-in', ?, ?, '{}', 'x', 't')"
    )
    with sqlite3.connect(db_path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="starts as a draft"):
            conn.execute(insert, (2, "approved"))
        conn.execute(insert, (2, "draft"))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "UPDATE label_template SET status = 'approved', approved_at = 't',"
                " approved_by = 'x' WHERE name = 'goods-in' AND version = 2"
            )


@pytest.mark.parametrize(
    ("element", "reaches"),
    [
        ({"type": "line", "x": 1, "y": 1, "x2": 80, "y2": 1}, "(80, 1)"),
        ({"type": "box", "x": 10, "y": 10, "width": 20, "height": 25}, "(30, 35)"),
        ({"type": "symbol", "name": "lot", "x": 45, "y": 1, "width": 6, "height": 4}, "(51, 5)"),
    ],
)
def test_shapes_and_symbols_must_end_on_the_label(element: dict[str, object], reaches: str) -> None:
    document = {
        "name": "t",
        "version": 1,
        "title_en": "t",
        "title_zh": "t",
        "width": 50,
        "height": 30,
        "element": [element],
    }
    with pytest.raises(TemplateError, match="off the label") as refused:
        parse_template(document)
    assert reaches in str(refused.value)


@pytest.mark.parametrize("text", ["ab\u202ecd", "a\u200bb", "line\u2028two", "x\u2066y"])
def test_invisible_formatting_characters_are_refused(text: str) -> None:
    with pytest.raises(LabelDataError, match="invisible"):
        LabelData.from_mapping({"product_name_en": text})
