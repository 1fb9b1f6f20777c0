"""The Identify screen renders offscreen and shows what each kind of code is, in en and zh_CN."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from station.udi.model import Status
from tests.ui.conftest import MakeGui
from tests.ui.helpers import distinct_colours, scan
from ui.models.elements import ERROR_MARK, MEANING, VALUE
from ui.qt import QImage, QLabel, Qt
from ui.widgets.key_fields import ABSENT
from ui.widgets.raw_view import Mark

GS, RS, EOT = b"\x1d", b"\x1e", b"\x04"


@dataclass(frozen=True)
class Case:
    raw: bytes
    status: Status
    scheme: str
    fields: dict[str, str] = field(default_factory=dict)
    meanings: tuple[str, ...] = ()
    symbology: str | None = None


CASES = {
    "gs1-datamatrix": Case(
        b"]d20104012345123456112501151726123110LOT-A1" + GS + b"21SN0001",
        Status.VALID,
        "GS1",
        {
            "di": "04012345123456",
            "lot": "LOT-A1",
            "serial": "SN0001",
            "expiry": "2026-12-31",
            "production_date": "2025-01-15",
            "quantity": ABSENT,
        },
        ("GTIN", "PROD DATE", "USE BY or EXPIRY", "BATCH/LOT", "SERIAL"),
        "]d2 GS1 DataMatrix",
    ),
    "gs1-day-00": Case(
        b"]d2010401234512345617261200", Status.VALID, "GS1", {"expiry": "2026-12-31"}
    ),
    "gs1-ref-count": Case(
        b"]d20104012345123456240REF-4711" + GS + b"3010" + GS + b"7240PROT-7",
        Status.VALID,
        "GS1",
        {"quantity": "10"},
        ("GTIN", "ADDITIONAL ID", "VAR. COUNT", "PROTOCOL"),
    ),
    "gs1-sscc": Case(
        b"]C100340123450000000017", Status.VALID, "GS1", {"sscc": "340123450000000017"}, ("SSCC",)
    ),
    "gs1-hri": Case(
        b"(01)04012345123456(11)250115(17)261231(10)LOT-A1(21)SN0001",
        Status.VALID,
        "GS1",
        {"lot": "LOT-A1", "serial": "SN0001"},
        symbology="none sent",
    ),
    "digital-link": Case(
        b"]Q1https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?17=261231",
        Status.VALID,
        "GS1 Digital Link",
        {"di": "04012345123456", "expiry": "2026-12-31"},
    ),
    "gs1-china": Case(
        b"(01)06901234567892(11)141231(17)150707(10)A213B1(21)1234",
        Status.VALID,
        "GS1",
        {"di": "06901234567892", "expiry": "2015-07-07", "production_date": "2014-12-31"},
    ),
    "hibc": Case(b"+A123BJC5D6E71G", Status.VALID, "HIBC"),
    "hibc-concatenated": Case(
        b"+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
        Status.VALID,
        "HIBC",
        {"lot": "10X3", "quantity": "500", "expiry": "2020-01-31"},
    ),
    "isbt128": Case(
        b"=/A9999XYZ100T0944=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123",
        Status.VALID,
        "ISBT 128",
    ),
    "ppn": Case(
        b"[)>"
        + RS
        + b"06"
        + GS
        + b"9N111234568408"
        + GS
        + b"1TANDSOMEBatchNumber20"
        + GS
        + b"SHASERIAL12385"
        + GS
        + b"D201220"
        + RS
        + EOT,
        Status.VALID,
        "IFA PPN",
        {"di": "111234568408", "expiry": "2020-12-20"},
    ),
    "ma": Case(
        b"MA.156.M0.100761.21234561.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3",
        Status.VALID,
        "China MA",
        {"lot": "20220117", "serial": "x00008", "expiry": "2022-01-30"},
    ),
    "wrong-check-digit": Case(
        b"(01)00208851107345(17)150331", Status.CHECK_FAILED, "GS1", {"expiry": "2015-03-31"}
    ),
    "plain-text": Case(b"10D9T", Status.UNPARSEABLE, "Unknown format", {"di": ABSENT}),
}

HEADLINES = {
    "en": {
        Status.VALID: "VALID",
        Status.CHECK_FAILED: "CHECK FAILED",
        Status.UNPARSEABLE: "NOT READABLE",
    },
    "zh_CN": {
        Status.VALID: "有效",
        Status.CHECK_FAILED: "校验失败",
        Status.UNPARSEABLE: "无法识别",
    },
}


def test_window_renders_offscreen(make_gui: MakeGui, tmp_path: Path) -> None:
    gui = make_gui("en", demo=True)
    scan(gui, CASES["gs1-datamatrix"].raw)
    path = tmp_path / "identify.png"
    assert gui.window.grab().save(str(path))
    saved = QImage(str(path))
    assert (saved.width(), saved.height()) == (gui.window.width(), gui.window.height())
    assert distinct_colours(gui.window) > 20  # text, banner colour, table: not a blank fill


@pytest.mark.parametrize("name", list(CASES))
def test_each_scheme_in_english(make_gui: MakeGui, name: str) -> None:
    case = CASES[name]
    gui = make_gui("en")
    view = gui.window.identify
    code = scan(gui, case.raw)

    assert code.status is case.status
    assert view.banner.status is case.status
    assert HEADLINES["en"][case.status] in view.banner.headline.text()
    assert view.banner.summary.text().startswith(case.scheme + " — errors: ")
    assert view.scheme.full_text() == case.scheme
    if case.symbology is not None:
        assert view.symbology.full_text() == case.symbology
    for field_id, value in case.fields.items():
        assert view.key_fields.value(field_id) == value, field_id
    assert view.elements.rowCount() == len(code.elements)
    meanings = [view.elements.cell_text(row, MEANING) for row in range(len(code.elements))]
    assert meanings[: len(case.meanings)] == list(case.meanings)
    # English messages are the reader's own, errors first.
    ordered = sorted(code.issues, key=lambda issue: not issue.is_error)
    assert view.issues.messages == [issue.message for issue in ordered]
    assert view.issues.empty.isHidden() == bool(code.issues)


def test_check_failure_is_explained_and_pointed_at(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    scan(gui, CASES["wrong-check-digit"].raw)
    assert "check digit is wrong (expected 7, found 5)" in view.banner.problem.text()
    assert view.raw.highlighted(Mark.ERROR) == ["5"]
    assert view.elements.cell_text(0, 0) == ERROR_MARK + "01"
    assert view.elements.data(view.elements.index(0, 0), Qt.ItemDataRole.BackgroundRole)


def test_separators_are_shown_as_markers_with_the_hex_bytes(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    scan(gui, CASES["ppn"].raw)
    text = view.raw.text_view.toPlainText()
    assert text.startswith("[)>⟨RS⟩06⟨GS⟩9N111234568408⟨GS⟩")
    assert text.endswith("⟨RS⟩⟨EOT⟩")
    assert view.raw.highlighted(Mark.MARKER) == ["⟨RS⟩", *["⟨GS⟩"] * 4, "⟨RS⟩", "⟨EOT⟩"]
    assert view.raw.hex_view.toPlainText().startswith("5B 29 3E 1E 30 36 1D")


def test_aim_identifier_is_shown_apart_from_the_data(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    scan(gui, CASES["gs1-datamatrix"].raw)
    assert view.raw.highlighted(Mark.SYMBOLOGY) == ["]d2"]
    assert (
        view.raw.text_view.toPlainText()
        == "]d20104012345123456112501151726123110LOT-A1⟨GS⟩21SN0001"
    )


@pytest.mark.parametrize(
    ("name", "scheme", "meaning", "message"),
    [
        ("gs1-datamatrix", "GS1", "批号", None),
        ("digital-link", "GS1 数字链接", "失效日期", None),
        ("hibc-concatenated", "HIBC", "标签商识别代码（LIC）", None),
        ("isbt128", "ISBT 128", None, None),
        ("ppn", "IFA PPN", "PPN（药品产品编号）", None),
        ("ma", "中国 MA 码", "注册人代码", "MA 码的校验字符未经验证"),
        ("wrong-check-digit", "GS1", "全球贸易项目代码（GTIN）", "校验位错误（应为 7，实际为 5）"),
        ("plain-text", "未知格式", None, "不是扫描站已知的 UDI 格式"),
    ],
)
def test_each_scheme_in_chinese(
    make_gui: MakeGui, name: str, scheme: str, meaning: str | None, message: str | None
) -> None:
    case = CASES[name]
    gui = make_gui("zh_CN")
    view = gui.window.identify
    code = scan(gui, case.raw)
    assert gui.window.windowTitle() == "追溯码扫描站——识别"
    assert HEADLINES["zh_CN"][case.status] in view.banner.headline.text()
    assert view.banner.summary.text().startswith(scheme + "——错误：")
    assert view.scheme.full_text() == scheme
    for field_id, value in case.fields.items():
        assert view.key_fields.value(field_id) == value
    meanings = [view.elements.cell_text(row, MEANING) for row in range(len(code.elements))]
    if meaning is not None:
        assert meaning in meanings
    assert all(m and not m.isascii() for m in meanings if m not in ("GTIN",))
    if message is not None:
        assert any(message in shown for shown in view.issues.messages)
        assert view.issues.messages[0] in view.banner.problem.text()
    headers = [view.elements.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["标识符", "含义", "值", "解读"]


def test_values_stay_exact_in_every_language(make_gui: MakeGui) -> None:
    gui = make_gui("zh_CN")
    view = gui.window.identify
    scan(gui, CASES["gs1-datamatrix"].raw)
    values = [view.elements.cell_text(row, VALUE) for row in range(5)]
    assert values == ["04012345123456", "250115", "261231", "LOT-A1", "SN0001"]


def test_every_label_is_plain_text(make_gui: MakeGui) -> None:
    gui = make_gui("en", demo=True)
    scan(gui, CASES["wrong-check-digit"].raw)
    labels = gui.window.findChildren(QLabel)
    assert len(labels) > 20
    rich = [label.text() for label in labels if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []


def test_ready_state_before_any_scan(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    assert view.banner.status is None
    assert "READY" in view.banner.headline.text()
    assert view.key_fields.value("di") == ABSENT
    assert view.elements.rowCount() == 0
