"""`station label` through real processes: templates, previews decoded back, governance, and a
print to the simulated ZPL printer on loopback, recorded and read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from drivers.labels.readback import read_frame, read_png
from drivers.labels.zpl_tokens import field_data, tokenize
from station.labels.stock import STOCK_NAMES
from tests.integration.station_cli import station

UNIT = {
    "gtin": "04012345123456",
    "lot": "LOT(A)_5E/1",
    "serial": "SN0001",
    "expiry": "2027-06-30",
    "production_date": "2026-06-30",
    "product_name_zh": "一次性使用无菌注射器",
    "product_name_en": "Sterile single-use syringe",
}
MATERIAL = {
    "gtin": "04012345123456",
    "lot": "CN260301",
    "expiry": "2028-03-01",
    "product_name_zh": "鲁尔接头",
}
PRODUCTS = (
    "di,di_scheme,name_zh,name_en,trace_level,is_material\r\n"
    "04012345123456,gs1,鲁尔接头,Luer connector,lot,yes\r\n"
)


def test_templates_json_lists_the_stock_templates() -> None:
    listed = station("label", "templates", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["name"] for row in rows] == sorted(STOCK_NAMES)
    unit = next(row for row in rows if row["name"] == "udi-unit")
    assert unit["width_mm"] == 70
    assert {"gtin", "lot", "expiry"} <= set(unit["required"])
    assert "serial" in unit["optional"]


@pytest.mark.parametrize("fmt", ["pdf", "png", "zpl"])
def test_render_decodes_back_to_the_data(tmp_path: Path, fmt: str) -> None:
    data, out = tmp_path / "unit.json", tmp_path / f"unit.{fmt}"
    data.write_text(json.dumps(UNIT, ensure_ascii=False), encoding="utf-8")
    rendered = station(
        "label", "render", "--template", "udi-unit", "--data", str(data), "--format", fmt,
        "--out", str(out),
    )  # fmt: skip
    assert rendered.returncode == 0, rendered.stderr
    expected = "]d2010401234512345611260630172706301 0LOT(A)_5E/1\x1d21SN0001".replace(" ", "")
    if fmt == "png":
        assert read_png(out.read_bytes()) == [expected]
    elif fmt == "pdf":
        page = pdfium.PdfDocument(out.read_bytes())[0]
        image = page.render(scale=300 / 72, grayscale=True).to_numpy()
        assert read_frame(image.squeeze()) == [expected]
    else:
        fields = field_data(tokenize(out.read_bytes()))
        assert "LOT(A)_5E/1" in fields  # the lot as text, unescaped


def test_render_refuses_missing_and_unknown_data(tmp_path: Path) -> None:
    data = tmp_path / "bad.json"
    data.write_text(json.dumps({"gtin": "04012345123456", "expiry_date": "2027-01-01"}))
    refused = station(
        "label", "render", "--template", "udi-unit", "--data", str(data), "--format", "pdf",
        "--out", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert refused.returncode == 1
    assert "expiry_date" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_governance_then_print_to_the_simulated_printer(tmp_path: Path) -> None:
    db, products, data = tmp_path / "station.db", tmp_path / "p.csv", tmp_path / "gi.json"
    products.write_text(PRODUCTS, encoding="utf-8", newline="")
    data.write_text(json.dumps(MATERIAL, ensure_ascii=False), encoding="utf-8")
    imported = station(
        "masterdata", "import", "--db", str(db), "--entity", "products", "--user", "li",
        "--reason", "setup", str(products),
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    common = ["--db", str(db)]
    print_args = ["label", "print", *common, "--printer", "simulated", "--template", "goods-in"]

    not_yet = station(*print_args, "--data", str(data), "--user", "li")
    assert not_yet.returncode == 1
    assert "no approved version" in not_yet.stderr

    drafted = station("label", "draft", *common, "--stock", "goods-in", "--user", "wang",
                      "--role", "admin")  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    approve = ["label", "approve", *common, "--template", "goods-in", "--version", "1"]
    own = station(*approve, "--reason", "ok", "--user", "wang", "--role", "qa")
    assert own.returncode == 1
    assert "cannot also approve" in own.stderr
    operator = station(*approve, "--reason", "ok", "--user", "zhao")
    assert operator.returncode == 1
    assert "label.approve" in operator.stderr
    approved = station(*approve, "--reason", "validated", "--user", "zhao", "--role", "qa")
    assert approved.returncode == 0, approved.stderr

    printed = station(*print_args, "--data", str(data), "--copies", "2", "--user", "li")
    assert printed.returncode == 0, printed.stderr
    assert "every label read back as recorded" in printed.stdout

    with sqlite3.connect(db) as conn:
        job = conn.execute("SELECT job_id, template_version, labels FROM print_job").fetchall()
        outcome = conn.execute("SELECT status, payload_sha256 FROM print_outcome").fetchall()
        checks = conn.execute("SELECT passed FROM label_check").fetchall()
        actions = [a for (a,) in conn.execute("SELECT action FROM audit ORDER BY seq")]
    assert len(job) == 1
    assert job[0][1:] == (1, 2)
    assert outcome[0][0] == "sent"
    assert len(outcome[0][1]) == 64
    assert checks == [(1,), (1,)]
    for action in ("label.template.draft", "label.template.approved", "label.printed"):
        assert action in actions
    # Every refusal left a trace (P11-F1): the print before approval and the author's own
    # approval were refused, the operator's approval was denied.
    assert actions.count("service.refused") == 2
    assert actions.count("access.denied") == 1
    assert actions.count("label.verified") == 2
    verified = station("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr
