"""The QC bench, driven as an inspector and a QA manager would: scan, enter, record, sign,
release, hold; on a demo database with users made through station.auth and real sessions."""

from __future__ import annotations

import hashlib
import json

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station.scanning.raw import RawScan
from station.services.attachments import read_attachment
from station.services.inspection_form import Judgement, last_inspection
from station.services.lifecycle import LotState, lot_state
from station.services.projection import current_state
from station.signatures.verify import SignatureCheck, SignatureStatus, signatures_for
from tests.ui.helpers import press, type_text
from tests.ui.qc_fixtures import (
    INSPECTOR,
    LOT_SCAN,
    LOT_URI,
    QA,
    QcStation,
    qc_station,
    qc_template,
)
from ui.feedback import Outcome
from ui.photo import png_bytes
from ui.qt import QColor, QComboBox, QImage, QLabel, QLineEdit, Qt
from ui.screens.qc_bench import QcBenchScreen
from ui.views.sign_dialog import SignDialog
from ui.widgets.checkpoint_form import JudgementLabel

__all__ = ["qc_station", "qc_template"]  # fixtures used here


def _screen(
    qtbot: QtBot, station: QcStation, extras: dict[str, object] | None = None
) -> QcBenchScreen:
    screen = QcBenchScreen(station.env(extras))
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    return screen


def _scan(qtbot: QtBot, screen: QcBenchScreen, raw: bytes) -> None:
    with qtbot.waitSignal(screen.looked_up, timeout=10_000):
        screen.handle_scan(RawScan.now(raw, "test"))


def _fill(screen: QcBenchScreen, diameter: str, visual: bool) -> None:
    entry = screen.form.inputs["Diameter"]
    assert isinstance(entry, QLineEdit)
    entry.clear()
    type_text(entry, diameter)
    combo = screen.form.inputs["Visual"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(visual))


def _record(qtbot: QtBot, screen: QcBenchScreen) -> SignDialog:
    with qtbot.waitSignal(screen.finished, timeout=10_000) as done:
        screen.record_button.click()
    assert done.args == ["record", True], screen.banner.detail.text()
    qtbot.waitUntil(lambda: screen.sign_dialog is not None)
    assert screen.sign_dialog is not None
    return screen.sign_dialog


def _submit(qtbot: QtBot, dialog: SignDialog, secret: str, badge: str | None = None) -> str:
    """Type the components and press Enter; 'signed' or 'refused'."""
    if badge is not None:
        dialog.identity.setText(badge)
    dialog.secret.setFocus()
    type_text(dialog.secret, secret)
    outcome: list[str] = []
    dialog.signed.connect(lambda _sig: outcome.append("signed"))
    dialog.refused.connect(lambda _text: outcome.append("refused"))
    press(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    assert dialog.secret.text() == ""  # never kept
    return outcome[0]


def _signature_rows(station: QcStation, event_id: str) -> list[SignatureCheck]:
    return station.read(lambda conn: signatures_for(conn, event_id))


@pytest.mark.req("P11-S1")
@pytest.mark.req("P11-U2")
@pytest.mark.req("AUTH-7")
def test_inspect_sign_release_hold(qtbot: QtBot, qc_station: QcStation) -> None:
    station = qc_station
    inspector = station.login(INSPECTOR)
    screen = _screen(qtbot, station)
    _scan(qtbot, screen, LOT_SCAN)
    assert screen.lookup is not None
    assert screen.lookup.target is not None
    assert screen.lookup.target.uri == LOT_URI
    assert screen.lookup.target.lot_state is LotState.RECEIVED
    plan = screen.current_plan()
    assert plan is not None
    assert plan.code == "IQC"
    assert screen.history.toPlainText()  # the receipt at least
    assert not screen.photo_button.isEnabled()  # no camera: says why
    assert "camera" in screen.photo_state.text().lower()

    # One checkpoint out of its limits: judged live, the verdict must be fail.
    _fill(screen, "5.3", visual=True)
    judgement = screen.form.judgements["Diameter"]
    assert isinstance(judgement, JudgementLabel)
    assert judgement.judgement is Judgement.OUT_OF_SPEC
    assert "✖" in judgement.text()
    assert screen.chosen_verdict().value == "fail"
    assert not screen.verdict_box.isEnabled()
    assert screen.verdict.text().startswith("✖")

    dialog = _record(qtbot, screen)
    last = station.read(lambda conn: last_inspection(conn, LOT_URI))
    assert last is not None
    assert last.verdict == "fail"
    assert last.actor == "insp"
    assert dialog.asks_identity
    assert dialog.identity.isVisible()
    assert dialog.identity_kind == "badge"
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.meaning.text() == "Rejected"

    # A wrong PIN: refused, counted, nothing signed.
    assert _submit(qtbot, dialog, "000000", badge=INSPECTOR[2]) == "refused"
    assert "Wrong PIN" in dialog.message.text()
    assert _signature_rows(station, last.event_id) == []
    failures = station.read(
        lambda conn: conn.execute(
            text("SELECT count(*) FROM audit WHERE action = 'signature.auth_failed'")
        ).scalar()
    )
    assert failures == 1
    # The right PIN (after the delay a failure imposes): signed, the manifestation on screen.
    qtbot.wait(50)
    assert _submit(qtbot, dialog, INSPECTOR[3], badge=INSPECTOR[2]) == "signed", (
        dialog.message.text()
    )
    lines = dialog.manifestation_lines
    assert lines[0] == f"Signed by {INSPECTOR[1]}"
    assert "UTC+" in lines[1] or "UTC-" in lines[1]
    assert lines[2] == "Meaning: Rejected"
    assert dialog.manifestation.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: screen.sign_dialog is None)

    # The inspector may not release the lot they rejected (four eyes, shown before the PIN).
    _scan(qtbot, screen, LOT_SCAN)
    assert screen.lookup is not None
    assert screen.lookup.target is not None
    assert screen.lookup.target.on_hold
    screen.release()
    assert screen.sign_dialog is None
    assert screen.banner.outcome is Outcome.REFUSED
    assert "another person" in screen.banner.detail.text()

    # QA releases: a new session, so badge and PIN again; the hold is released and the
    # inspection signed "released" in one transaction.
    station.login(QA)
    screen.activated()
    qtbot.waitUntil(lambda: screen.lookup is not None, timeout=5000)
    _scan(qtbot, screen, LOT_SCAN)
    screen.reason.setText("复检后放行 Released for re-inspection")
    screen.release()
    released = screen.sign_dialog
    assert released is not None
    dialog = released
    assert dialog is not None
    assert dialog.asks_identity
    assert dialog.meaning.text() == "Released"
    assert _submit(qtbot, dialog, QA[3], badge=QA[2]) == "signed"
    dialog.accept()
    checks = _signature_rows(station, last.event_id)
    assert [check.signature.meaning for check in checks] == ["rejected", "released"]
    assert [check.signature.signer for check in checks] == ["insp", "qa1"]
    assert all(check.status is SignatureStatus.VALID for check in checks)
    state = station.read(lambda conn: current_state(conn, LOT_URI))
    assert state is not None
    assert not state.on_hold
    assert station.read(lambda conn: lot_state(conn, LOT_URI)) is LotState.IN_INSPECTION

    # The inspector again (still signed in): a pass, and a second signature in the same
    # session asks for the PIN alone.
    station.sessions.remove(inspector)
    station.sessions.insert(0, inspector)
    _scan(qtbot, screen, LOT_SCAN)
    _fill(screen, "5.02", visual=True)
    assert screen.verdict_box.isEnabled()
    assert screen.chosen_verdict().value == "pass"
    assert screen.verdict.text() == "✔ PASS"
    dialog = _record(qtbot, screen)
    assert not dialog.asks_identity
    assert not dialog.identity.isVisible()
    assert dialog.meaning.text() == "Reviewed"
    assert _submit(qtbot, dialog, INSPECTOR[3]) == "signed"
    dialog.accept()
    assert station.read(lambda conn: lot_state(conn, LOT_URI)) is LotState.ACCEPTED

    # Hold with a reason (the inspector may hold).
    qtbot.waitUntil(screen.hold_button.isEnabled, timeout=5000)
    screen.hold()
    assert screen.banner.outcome is Outcome.REFUSED  # no reason typed yet
    screen.reason.setText("可疑外观 Suspect appearance")
    with qtbot.waitSignal(screen.finished, timeout=10_000) as held:
        screen.hold()
    assert held.args == ["hold", True]
    assert station.read(lambda conn: lot_state(conn, LOT_URI)) is LotState.QUARANTINE

    # The session ends (logout): the next one asks for both components again.
    station.store.writer.submit(inspector.logout).result()
    again = station.login(INSPECTOR)
    assert again.signature_components() == ("badge", "secret")


def test_out_of_spec_pass_is_refused_locally(qtbot: QtBot, qc_station: QcStation) -> None:
    qc_station.login(INSPECTOR)
    screen = _screen(qtbot, qc_station)
    _scan(qtbot, screen, LOT_SCAN)
    _fill(screen, "4.0", visual=True)
    screen.verdict_box.setCurrentIndex(screen.verdict_box.findData("pass"))
    assert screen.chosen_verdict().value == "fail"
    # Entries not a number: the verdict says incomplete and Record is off.
    _fill(screen, "abc", visual=True)
    assert screen.form.judgements["Diameter"].judgement is Judgement.INVALID
    assert not screen.record_button.isEnabled()
    assert screen.verdict.text().startswith("…")


def test_nobody_signed_in(qtbot: QtBot, qc_station: QcStation) -> None:
    screen = _screen(qtbot, qc_station)
    screen.handle_scan(RawScan.now(LOT_SCAN, "test"))
    assert screen.banner.outcome is Outcome.REFUSED
    assert qc_station.player.played[-1] is Outcome.REFUSED


@pytest.mark.req("SEC-8")
def test_hostile_text_is_plain(qtbot: QtBot, qc_station: QcStation) -> None:
    qc_station.login(INSPECTOR)
    screen = _screen(qtbot, qc_station)
    hostile = '<img src="file:///etc/passwd"><a href="http://x">x</a>\u202e'
    with qtbot.waitSignal(screen.looked_up, timeout=10_000):
        screen.look_up(hostile)
    assert screen.banner.outcome is Outcome.REFUSED
    assert "<img" in screen.banner.detail.text()
    assert "⟨U+202E⟩" in screen.banner.detail.text() or "\u202e" not in screen.banner.detail.text()
    for label in screen.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks()


def test_the_photo_and_notes_go_into_the_inspection_event(
    qtbot: QtBot, qc_station: QcStation
) -> None:
    image = QImage(8, 6, QImage.Format.Format_RGB888)
    image.fill(QColor("#336699"))
    png = png_bytes(image)
    assert png is not None

    class Camera:
        def grab_photo(self) -> bytes | None:
            return png

    qc_station.login(INSPECTOR)
    screen = _screen(qtbot, qc_station, {"camera": Camera()})
    assert screen.photo_button.isEnabled()
    _scan(qtbot, screen, LOT_SCAN)
    screen.photo_button.click()
    assert screen.photo_sha256 == hashlib.sha256(png).hexdigest()
    _fill(screen, "5.0", visual=True)
    screen.notes.setPlainText("Looks fine")
    dialog = _record(qtbot, screen)
    dialog.reject()
    payload = qc_station.read(
        lambda conn: conn.execute(
            text("SELECT payload FROM event WHERE biz_step = 'inspecting' ORDER BY seq DESC")
        ).scalar()
    )
    assert isinstance(payload, str)
    inspection = json.loads(payload)["st:inspection"]
    assert inspection["notes"] == "Looks fine"
    assert inspection["attachments"] == [
        {"mediaType": "image/png", "sha256": screen.photo_sha256, "size": len(png)}
    ]
    stored = qc_station.read(lambda conn: read_attachment(conn, hashlib.sha256(png).hexdigest()))
    assert stored is not None
    assert stored.data == png
    no_audit = "SELECT count(*) FROM audit WHERE action = 'inspection.attachments'"
    assert qc_station.read(lambda conn: conn.execute(text(no_audit)).scalar()) == 0


def test_a_camera_giving_no_image_is_not_kept(qtbot: QtBot, qc_station: QcStation) -> None:
    class Camera:
        def grab_photo(self) -> bytes:
            return b"frame-bytes"  # raw pixels, not an image

    qc_station.login(INSPECTOR)
    screen = _screen(qtbot, qc_station, {"camera": Camera()})
    _scan(qtbot, screen, LOT_SCAN)
    screen.photo_button.click()
    assert screen.photo is None
    assert screen.photo_sha256 is None
    assert "PNG" in screen.photo_state.text()
