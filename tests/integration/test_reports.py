"""Trace and recall reports (CSV, PDF) and the ``station trace`` / ``station recall`` commands,
on the scenario of ``test_trace``."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from drivers.reports.fonts import CID_FALLBACK, cjk_font, font_candidates
from drivers.reports.pdf import write_pdf
from station.events.ids import lgtin_uri
from station.persistence.db import close_engine
from station.trace.api import recall, trace
from station.trace.report import Report, recall_report, trace_report, write_csv
from tests.integration.test_recall import add_station
from tests.integration.test_trace import (
    CUST_A,
    CUST_B,
    FINISHED,
    L1,
    MAT_1,
    NAME_A,
    NAME_B,
    SN,
    SUP_1,
    Scenario,
    build_scenario,
)
from tests.roles import READER
from ui.cli import main

CST = timezone(timedelta(hours=8))
GENERATED = datetime(2026, 11, 25, 9, 30, tzinfo=CST)
PRODUCT_ZH = "一次性使用输液器"


@pytest.fixture
def scenario_db(engine: sa.Engine, db_path: Path) -> Path:
    build_scenario(engine)
    return db_path


def _recall_report(engine: sa.Engine, code: str = "RAW-1") -> Report:
    with engine.connect() as conn:
        return recall_report(recall(conn, READER, code), station="ST-1", generated_at=GENERATED)


@pytest.mark.req("UDI-5")
def test_recall_csv_is_utf8_with_bom_and_carries_names_and_counts(engine, scenario_db, tmp_path):
    out = tmp_path / "recall.csv"
    write_csv(_recall_report(engine), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = {row[0]: row[1] for row in rows if len(row) == 2}
    assert head["站点 / Station"] == "ST-1"
    assert head["生成时间 / Generated"] == "2026-11-25 09:30:00 +08:00"
    assert head["受影响单品 / Affected units"] == "8"
    assert head[f"客户 / Customer: {NAME_A}"] == "3"
    assert head[f"客户 / Customer: {NAME_B}"] == "2"
    assert head["状态 / Status: 已发货 / Shipped"] == "5"
    table = rows[rows.index([]) + 1 :]
    assert table[0][1] == "序列号 / Serial"
    units = [row for row in table[1:] if row[0] == "单品 / Unit"]
    assert sorted(row[1] for row in units) == sorted(f"SN{n}" for n in range(1, 9))
    assert all(PRODUCT_ZH in row[3] for row in units)


@pytest.mark.req("UDI-5")
def test_csv_cells_cannot_become_formulas_and_pdf_shows_markup_verbatim(engine, tmp_path):
    hostile = "=1+2;'<b>\"%"
    lot = lgtin_uri(MAT_1, hostile)
    s = Scenario(engine)
    s.receive(lot, SUP_1, 1)
    s.transform((lot,), L1, "L1")
    s.commission("L1", (SN[1],))
    out = tmp_path / "recall.csv"
    report = _recall_report(engine, hostile)
    write_csv(report, out)
    write_pdf(report, tmp_path / "recall.pdf")  # markup in data is text, not tags
    if cjk_font().embedded:
        assert hostile in _pdf_text_and_ink(tmp_path / "recall.pdf")[0]
    text = out.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + hostile in cells  # the lot column, guarded verbatim
    assert "'=" not in hostile
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def _pdf_text_and_ink(path: Path) -> tuple[str, float]:
    document = pdfium.PdfDocument(str(path))
    try:
        texts, ink = [], 1.0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            image = page.render(scale=1).to_pil().convert("L")
            histogram = image.histogram()
            dark = sum(histogram[:200]) / max(1, sum(histogram))
            ink = min(ink, dark) if index == 0 else ink
            textpage.close()
            page.close()
        return "\n".join(texts), ink
    finally:
        document.close()


def _has_embeddable_cjk_font() -> bool:
    return cjk_font().embedded


@pytest.mark.req("UDI-5")
def test_recall_pdf_renders_chinese_names_counts_and_page_footer(engine, scenario_db, tmp_path):
    out = tmp_path / "recall.pdf"
    write_pdf(_recall_report(engine), out)
    assert out.read_bytes().startswith(b"%PDF-")
    text, ink = _pdf_text_and_ink(out)
    assert ink > 0.01, "the first page is blank"
    if not _has_embeddable_cjk_font():
        pytest.skip(f"no embeddable CJK font on this machine (tried {font_candidates()})")
    for expected in (NAME_A, NAME_B, PRODUCT_ZH, "召回报告", "RAW-1", "ST-1", "+08:00"):
        assert expected in text, expected
    assert "Page 1 of 1" in text
    assert "8 units located in" in text


@pytest.mark.req("UDI-5")
def test_pdf_falls_back_to_the_cid_font_without_a_system_font(engine, scenario_db, tmp_path):
    font = cjk_font([tmp_path / "missing.ttc"])
    assert (font.name, font.embedded) == (CID_FALLBACK, False)
    out = tmp_path / "recall.pdf"
    write_pdf(_recall_report(engine), out, font=font)
    _, ink = _pdf_text_and_ink(out)
    assert ink > 0.01


@pytest.mark.req("UDI-5")
def test_trace_pdf_has_the_timeline(engine, scenario_db, tmp_path):
    with engine.connect() as conn:
        report = trace_report(trace(conn, READER, SN[1]), station="ST-1", generated_at=GENERATED)
    assert [row[1] for row in report.rows][-1] == "shipping"
    out = tmp_path / "trace.pdf"
    write_pdf(report, out)
    text, ink = _pdf_text_and_ink(out)
    assert ink > 0.01
    if _has_embeddable_cjk_font():
        assert "追溯报告" in text
        assert "shipping" in text


# ----------------------------------------------------------------------------- CLI


@pytest.mark.req("UDI-5")
def test_cli_trace_json_and_human(scenario_db, capsys):
    assert main(["trace", "--db", str(scenario_db), "--json", f"(01){FINISHED}(21)SN1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["identifiers"] == [SN[1]]
    assert data["state"][0]["holder"] == {"uri": CUST_A, "name": NAME_A}
    assert [e["biz_step"] for e in data["timeline"]][-1] == "shipping"
    assert main(["trace", "--db", str(scenario_db), SN[1]]) == 0
    out = capsys.readouterr().out
    assert "Made from:" in out
    assert "苏州材料有限公司" in out
    assert f"shipped 2026-11-02T01:21:00.000Z to {NAME_A}" in out


@pytest.mark.req("UDI-5")
def test_cli_unknown_code_exits_1_with_a_message(scenario_db, capsys):
    assert main(["trace", "--db", str(scenario_db), "NO-SUCH"]) == 1
    assert "Nothing recorded names 'NO-SUCH'" in capsys.readouterr().out
    assert main(["recall", "--db", str(scenario_db), "NO-SUCH"]) == 1


@pytest.mark.req("UDI-5")
def test_cli_recall_writes_reports_and_json(scenario_db, tmp_path, capsys):
    csv_out, pdf_out = tmp_path / "r.csv", tmp_path / "r.pdf"
    argv = ["recall", "--db", str(scenario_db), "--json", "--csv", str(csv_out)]
    assert main([*argv, "--pdf", str(pdf_out), "RAW-1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_status"] == {"in_stock": 2, "returned": 1, "shipped": 5}
    assert data["by_customer"] == {CUST_A: 3, CUST_B: 2}
    assert data["hold_event_seq"] is None
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pdf_out.read_bytes().startswith(b"%PDF-")


@pytest.mark.req("UDI-5")
def test_cli_recall_hold_needs_user_and_reason(scenario_db, capsys):
    assert main(["recall", "--db", str(scenario_db), "--hold", "RAW-1"]) == 2
    assert "--user and --reason" in capsys.readouterr().err


@pytest.mark.req("UDI-5")
def test_cli_recall_hold_records_one_hold_on_what_we_still_have(engine, scenario_db, capsys):
    add_station(engine)
    close_engine(engine)  # the command opens the store itself, as the single writer
    argv = ["recall", "--db", str(scenario_db), "--json", "--hold", "--station", "ST-1"]
    assert main([*argv, "--user", "qa1", "--reason", "模拟召回演练", "RAW-1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data["hold_event_seq"], int)
    assert main(["recall", "--db", str(scenario_db), "--json", "RAW-1"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["by_status"] == {"on_hold": 3, "shipped": 5}
