"""Hostile scans are shown as plain text with visible markers, and never break the layout."""

from __future__ import annotations

from datetime import date

from station.udi.model import Element, Issue, Kind, ParsedCode, Scheme, Severity
from tests.ui.conftest import MakeGui
from tests.ui.helpers import scan
from ui.app import StationGui
from ui.models.elements import INTERPRETATION, MEANING, VALUE
from ui.qt import QLabel, Qt, QWidget
from ui.widgets.raw_view import Mark

BOLD = "<b>x</b>"
IMAGE = "<img src=x>"
LONG_LOT = "L" * 4000


def hostile_code() -> ParsedCode:
    """A reading whose every text field carries markup, bidi or sheer length."""
    text = f"0104012345123456\x1d10{LONG_LOT}\x1d21{BOLD}"
    issue = Issue(
        code="test.hostile",
        kind=Kind.CHECK,
        severity=Severity.ERROR,
        message=f"Value {BOLD}{IMAGE} is bad.",
        template="Value {value} is bad.",
        position=3,
        params=(("value", BOLD + IMAGE + "\u202e"),),
    )
    return ParsedCode(
        raw=text.encode(),
        symbology="]d2",
        text=text,
        scheme=Scheme.GS1,
        elements=(
            Element("10", "BATCH/LOT", LONG_LOT, 19),
            Element("21", f"<i>{BOLD}</i>", "ab\u202edc", 4020, IMAGE),
        ),
        issues=(issue,),
        gtin="04012345123456",
        lot=LONG_LOT,
        serial=BOLD,
        expiry=date(2026, 12, 31),
    )


def data_labels(gui: StationGui) -> list[QLabel]:
    return gui.window.findChildren(QLabel)


def assert_plain_everywhere(gui: StationGui) -> None:
    labels = data_labels(gui)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    for widget in gui.window.findChildren(QWidget):
        tip = widget.toolTip()
        assert "<" not in tip, f"{widget.objectName()} has a tooltip with markup: {tip!r}"


def test_markup_bidi_and_length_are_shown_literally(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    width = gui.window.width()
    view.show_code(hostile_code())

    assert view.key_fields.value("serial") == BOLD
    lot_label = next(label for label in data_labels(gui) if label.objectName() == "keyField_lot")
    assert lot_label.textFormat() == Qt.TextFormat.PlainText
    assert view.key_fields.value("lot") == LONG_LOT
    assert lot_label.text().endswith("…")
    assert len(lot_label.text()) < 200

    assert view.elements.cell_text(1, MEANING) == f"<i>{BOLD}</i>"
    assert view.elements.cell_text(1, VALUE) == "ab⟨U+202E⟩dc"
    assert view.elements.cell_text(1, INTERPRETATION) == IMAGE
    assert view.elements.cell_text(0, VALUE) == LONG_LOT  # the table elides when painting

    message = view.issues.messages[0]
    assert message == "Value <b>x</b><img src=x>⟨U+202E⟩ is bad."
    assert "\u202e" not in view.banner.problem.text()
    assert view.banner.problem.text() == message
    assert_plain_everywhere(gui)

    # A 4,000-character lot does not widen the window or the screen's minimum.
    gui.window.resize(width, gui.window.height())
    assert gui.window.width() == width
    assert view.minimumSizeHint().width() < width


def test_markup_in_a_real_scan_stays_text(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    # '<', '>' and '/' are GS1 CSET 82 characters: this lot is legal, and must read literally.
    code = scan(gui, b"]d2010401234512345610<b>x</b>")
    assert code.lot == BOLD
    assert view.key_fields.value("lot") == BOLD
    assert view.raw.text_view.toPlainText() == "]d2010401234512345610<b>x</b>"
    assert_plain_everywhere(gui)


def test_image_tag_is_reported_as_text(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    scan(gui, b"]d2010401234512345610" + IMAGE.encode())
    assert view.raw.text_view.toPlainText().endswith(IMAGE)
    assert view.banner.status is not None
    assert view.issues.messages  # the space is not allowed in a lot
    assert_plain_everywhere(gui)


def test_bidi_override_is_refused_and_shown_as_a_marker(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    code = scan(gui, "]d2010401234512345610AB\u202eCD".encode())
    assert not code.valid
    shown = view.raw.text_view.toPlainText()
    assert "\u202e" not in shown
    assert "⟨U+202E⟩" in shown
    assert "⟨U+202E⟩" in view.raw.highlighted(Mark.ERROR)
    assert any("forbidden character" in message for message in view.issues.messages)


def test_long_scan_is_read_and_wraps_in_the_raw_view(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    width = gui.window.width()
    scan(gui, b"]d2010401234512345610" + LONG_LOT.encode())
    assert LONG_LOT in view.raw.text_view.toPlainText()
    assert all(len(message) < 600 for message in view.issues.messages)
    assert gui.window.width() == width
    assert view.minimumSizeHint().width() < width


def test_invalid_utf8_and_nul_are_visible(make_gui: MakeGui) -> None:
    gui = make_gui("en")
    view = gui.window.identify
    scan(gui, b"]d2010401234512345610A\x00B")
    assert "⟨U+0000⟩" in view.raw.text_view.toPlainText()
    scan(gui, b"10\xff\xfeLOT")
    assert view.raw.hex_view.toPlainText() == "31 30 FF FE 4C 4F 54"
