"""The Scanner test panel: scans of the test sheet are matched, ticked and diagnosed."""

from __future__ import annotations

from typing import ClassVar

from pytestqt.qtbot import QtBot

from station.scanning.findings import CATALOG
from station.scanning.layouts import US_TYPED_ON_GERMAN, invert_case, retype
from station.scanning.raw import RawScan
from station.scanning.sheet import SHEET, by_id
from tests.ui.helpers import press, type_text
from ui.qt import QCoreApplication, QLabel, QPushButton, Qt, QTranslator
from ui.views.diagnostics import DiagnosticsDialog
from ui.views.scanner_test import ScannerTestPanel


def _panel(qtbot: QtBot, listen_keyboard: bool = False) -> ScannerTestPanel:
    panel = ScannerTestPanel(listen_keyboard=listen_keyboard)
    qtbot.addWidget(panel)
    return panel


def _serial(raw: bytes) -> RawScan:
    return RawScan.now(raw, "serial:/dev/ttyACM0")


def test_correct_scan_is_ticked_and_raw_bytes_show_markers(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.scan_received(_serial(by_id("gs1-datamatrix").expected))
    assert panel.status_text("gs1-datamatrix") == "✔ correct"
    assert panel.status_text("gs1-128") == "not scanned"
    assert "LOT-A1⟨GS⟩21SN0001" in panel.raw_view.toPlainText()
    assert "1D" in panel.raw_view.toPlainText()  # the hex line
    assert panel.findings_view.toPlainText() == "✔ Read correctly."
    assert "Not scanned yet: code(s) 2, 3, 4, 5, 6." in panel.summary_view.toPlainText()
    assert "code 1, GS1 DataMatrix with separators" in panel.last_scan.text()


def test_gs_dropped_caps_lock_and_qwertz_are_named_with_fixes(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.scan_received(_serial(by_id("gs1-128").expected.replace(b"\x1d", b"")))
    assert panel.status_text("gs1-128") == "✖ see findings"
    shown = panel.findings_view.toPlainText()
    assert "The GS separator is lost" in shown
    assert "Fix: Make the scanner transmit control characters" in shown

    panel.scan_received(RawScan.now(invert_case(by_id("layout").text).encode(), "keyboard"))
    assert "Caps Lock is on" in panel.findings_view.toPlainText()

    german = retype(by_id("suffix").text, US_TYPED_ON_GERMAN)
    panel.scan_received(RawScan.now(german.encode(), "keyboard"))
    shown = panel.findings_view.toPlainText()
    assert "the computer reads German (QWERTZ): ]→+" in shown
    assert "Set the scanner's keyboard country to German (QWERTZ)" in shown
    summary = panel.summary_view.toPlainText()
    assert "Seen on code(s) 2" in summary
    assert "Caps Lock" in summary


def test_all_correct_summary_and_start_again(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.scan_received(_serial(b"hello"))
    assert "not a code of the test sheet" in panel.last_scan.text()
    for code in SHEET:
        panel.scan_received(_serial(code.expected + b"\r\n"))
    assert all(panel.status_text(code.id) == "✔ correct" for code in SHEET)
    assert "the scanner is set up correctly" in panel.summary_view.toPlainText()
    panel.reset()
    assert panel.results == []
    assert panel.status_text("layout") == "not scanned"


def test_keyboard_wedge_typing_into_the_panel(qtbot: QtBot) -> None:
    panel = _panel(qtbot, listen_keyboard=True)
    panel.show()
    qtbot.waitExposed(panel)
    target = panel.findChild(QLabel)
    assert target is not None
    code = by_id("gs1-128")
    before, after = code.text.split("\x1d")
    type_text(target, before)
    press(target, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)  # GS
    type_text(target, after)
    press(target, Qt.Key.Key_Return)
    assert panel.status_text("gs1-128") == "✔ correct"
    assert panel.results[-1].received == code.expected
    type_text(target, retype(by_id("hibc").text, US_TYPED_ON_GERMAN))
    press(target, Qt.Key.Key_Return)
    assert panel.results[-1].code == by_id("hibc")
    assert "German (QWERTZ)" in panel.findings_view.toPlainText()


def test_diagnostics_dialog_opens_the_scanner_test(qtbot: QtBot) -> None:
    dialog = DiagnosticsDialog([])
    qtbot.addWidget(dialog)
    opened: list[object] = []
    dialog.scanner_test_opened.connect(opened.append)
    button = dialog.scanner_test_button
    assert isinstance(button, QPushButton)
    button.click()
    assert len(opened) == 1
    panel = opened[0]
    assert isinstance(panel, ScannerTestPanel)
    assert panel.isVisible()
    panel.reject()


class _Chinese(QTranslator):
    """A stand-in catalog: two finding texts, a layout name and a broken translation."""

    TEXTS: ClassVar[dict[tuple[str, str], str]] = {
        ("scanner.finding", CATALOG["caps-lock"][1]): "大小写颠倒：大写锁定（Caps Lock）已开启。",
        ("scanner.finding", CATALOG["suffix-extra"][1]): "扫码枪在条码后发送了 {wrong}。",
        ("scanner.finding", "German (QWERTZ)"): "德语（QWERTZ）",
        ("scanner.finding", CATALOG["layout-de"][2]): "将扫码枪的键盘布局设为 {computer}。",
        ("scanner.sheet", "Keyboard layout and Caps Lock"): "键盘布局与大写锁定",
    }

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.TEXTS.get((context, source))


def test_findings_and_titles_are_translated_with_english_fallback(qtbot: QtBot) -> None:
    translator = _Chinese()
    QCoreApplication.installTranslator(translator)
    try:
        panel = _panel(qtbot)
        layout = by_id("layout")
        panel.scan_received(RawScan.now(invert_case(layout.text).encode(), "keyboard"))
        assert "大写锁定（Caps Lock）已开启" in panel.findings_view.toPlainText()
        assert "键盘布局与大写锁定" in panel.last_scan.text()
        panel.scan_received(_serial(layout.expected + b"#"))
        assert "The scanner sends # after the code." in panel.findings_view.toPlainText()
        german = retype(layout.text, US_TYPED_ON_GERMAN)
        panel.scan_received(RawScan.now(german.encode(), "keyboard"))
        assert "将扫码枪的键盘布局设为 德语（QWERTZ）。" in panel.findings_view.toPlainText()
    finally:
        QCoreApplication.removeTranslator(translator)
