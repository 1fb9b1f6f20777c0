"""`station label retire` through real processes: a retired template is refused for new labels,
and a reprint of a label printed with it still reproduces it, saying so (docs/labels.md)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.integration.station_cli import station
from tests.integration.test_cli_label import MATERIAL, PRODUCTS


def test_retire_then_print_is_refused_and_a_reprint_says_retired(tmp_path: Path) -> None:
    db, products, data = tmp_path / "station.db", tmp_path / "p.csv", tmp_path / "gi.json"
    products.write_text(PRODUCTS, encoding="utf-8", newline="")
    data.write_text(json.dumps(MATERIAL, ensure_ascii=False), encoding="utf-8")
    common = ["--db", str(db)]
    steps = [
        ("masterdata", "import", *common, "--entity", "products", "--user", "li",
         "--reason", "setup", str(products)),
        ("label", "draft", *common, "--stock", "goods-in", "--user", "wang", "--role", "admin"),
        ("label", "approve", *common, "--template", "goods-in", "--version", "1",
         "--reason", "validated", "--user", "zhao", "--role", "qa"),
    ]  # fmt: skip
    for step in steps:
        done = station(*step)
        assert done.returncode == 0, done.stderr
    print_args = ["label", "print", *common, "--printer", "simulated", "--template", "goods-in"]
    printed = station(*print_args, "--data", str(data), "--user", "li")
    assert printed.returncode == 0, printed.stderr

    retire = ["label", "retire", "goods-in", *common, "--reason", "new artwork from QA"]
    denied = station(*retire, "--user", "wang", "--role", "admin")
    assert denied.returncode == 1
    assert "label.approve" in denied.stderr
    retired = station(*retire, "--user", "zhao", "--role", "qa")
    assert retired.returncode == 0, retired.stderr
    assert "goods-in v1: retired" in retired.stdout
    again = station(*retire, "--version", "1", "--user", "zhao", "--role", "qa")
    assert again.returncode == 1
    assert "already retired" in again.stderr

    refused = station(*print_args, "--data", str(data), "--user", "li")
    assert refused.returncode == 1
    assert "is retired" in refused.stderr

    with sqlite3.connect(db) as conn:
        ((job,),) = conn.execute("SELECT job_id FROM print_job").fetchall()
    reprinted = station("label", "reprint", *common, "--job", job, "--reason", "label torn",
                        "--user", "zhao", "--role", "supervisor")  # fmt: skip
    assert reprinted.returncode == 0, reprinted.stderr
    assert "template goods-in@1 is retired" in reprinted.stdout
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT action, reason FROM audit WHERE action LIKE 'label.%retired%' ORDER BY seq"
        ).fetchall()
    assert rows == [
        ("label.template.retired", "new artwork from QA"),
        ("label.reprint.retired_template", "label torn"),
    ]
