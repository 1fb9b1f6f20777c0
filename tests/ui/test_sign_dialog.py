"""The e-signature dialog on its own: AUTH-5 on the secret field, plain text (SEC-8), four eyes
enforced by the signing service, an ended session refused; real users and sessions."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Connection

from station.demo.factory import STATION
from station.services.holds import place_hold
from station.services.inspection_form import last_inspection
from station.signatures.meaning import Meaning
from station.signatures.records import SignableRecord, event_record
from station.signatures.verify import signatures_for
from tests.ui.helpers import press, type_text
from tests.ui.qc_fixtures import QA, QcStation, qc_station, qc_template
from ui.qt import QLabel, QLineEdit, Qt
from ui.views.sign_dialog import SignDialog, SignRequest, meaning_word

__all__ = ["qc_station", "qc_template"]

HOSTILE = '<img src="file:///etc/passwd"><a href="http://x">x</a>\u202e'


def _demo_inspection(station: QcStation) -> SignableRecord:
    """An inspection the demo recorded (actor u-li), as a signable record."""
    from sqlalchemy import text  # noqa: PLC0415

    def read(conn: Connection) -> SignableRecord:
        uri = conn.execute(
            text(
                "SELECT uri FROM event_ident i JOIN event e ON e.seq = i.event_seq"
                " WHERE e.biz_step = 'inspecting' AND i.role = 'quantity' LIMIT 1"
            )
        ).scalar()
        last = last_inspection(conn, str(uri))
        assert last is not None
        return event_record(conn, last.event_id)

    return station.read(read)


def _dialog(
    qtbot: QtBot,
    station: QcStation,
    record: SignableRecord,
    meaning: Meaning,
    summary: str = "Inspection of a demo lot",
) -> SignDialog:
    dialog = SignDialog(
        station.store.writer,
        station.context(),
        SignRequest(record=record, meaning=meaning, kind_text="Inspection record", summary=summary),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _submit(qtbot: QtBot, dialog: SignDialog, secret: str, badge: str | None) -> str:
    if badge is not None:
        dialog.identity.setText(badge)
    type_text(dialog.secret, secret)
    outcome: list[str] = []
    dialog.signed.connect(lambda _sig: outcome.append("signed"))
    dialog.refused.connect(lambda _text: outcome.append("refused"))
    press(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    return outcome[0]


@pytest.mark.req("AUTH-5")
def test_secret_field(qtbot: QtBot, qc_station: QcStation) -> None:
    qc_station.login(QA)
    dialog = _dialog(qtbot, qc_station, _demo_inspection(qc_station), Meaning.RELEASED)
    secret = dialog.secret
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    assert secret.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert not secret.dragEnabled()
    assert not secret.acceptDrops()
    assert not secret.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    hints = secret.inputMethodHints()
    for hint in (
        Qt.InputMethodHint.ImhHiddenText,
        Qt.InputMethodHint.ImhNoPredictiveText,
        Qt.InputMethodHint.ImhSensitiveData,
    ):
        assert hints & hint
    type_text(secret, "123")
    press(secret, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    press(secret, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert secret.text() == "123"  # paste refused (the clipboard is not read)
    dialog.reject()
    assert secret.text() == ""


@pytest.mark.req("AUTH-7")
def test_release_by_another_user_signs_and_verifies(qtbot: QtBot, qc_station: QcStation) -> None:
    qc_station.login(QA)
    record = _demo_inspection(qc_station)
    dialog = _dialog(qtbot, qc_station, record, Meaning.RELEASED)
    assert dialog.meaning.text() == meaning_word(Meaning.RELEASED) == "Released"
    assert _submit(qtbot, dialog, QA[3], QA[2]) == "signed", dialog.message.text()
    checks = qc_station.read(lambda conn: signatures_for(conn, record.id))
    assert [c.status.value for c in checks] == ["valid"]


@pytest.mark.req("AUTH-7")
def test_four_eyes_refused_by_the_service(qtbot: QtBot, qc_station: QcStation) -> None:
    """A record signed 'released' by the person who recorded it: the signing service refuses
    after the credentials, nothing is signed, the refusal is audited."""
    from sqlalchemy import text  # noqa: PLC0415

    qc_station.login(QA)
    # QA puts a lot on hold, then tries to sign that very record 'released'.
    ctx = qc_station.context()
    hold = qc_station.store.writer.submit(
        lambda conn: place_hold(conn, ctx, [_lot(conn)], reason="test hold")
    ).result()
    own = qc_station.read(lambda conn: event_record(conn, hold.event_id))
    dialog = _dialog(qtbot, qc_station, own, Meaning.RELEASED)
    assert _submit(qtbot, dialog, QA[3], QA[2]) == "refused"
    assert "four eyes" in dialog.message.text()
    assert qc_station.read(lambda conn: signatures_for(conn, hold.event_id)) == []
    qtbot.waitUntil(
        lambda: (
            qc_station.read(
                lambda conn: conn.execute(
                    text(
                        "SELECT count(*) FROM audit WHERE action = 'service.refused'"
                        " AND new_value LIKE '%four_eyes%'"
                    )
                ).scalar()
            )
            == 1
        ),
        timeout=5000,
    )


def _lot(conn: Connection) -> str:
    from sqlalchemy import text  # noqa: PLC0415

    return str(
        conn.execute(
            text("SELECT lot_uri FROM lot_state WHERE state = 'ACCEPTED' LIMIT 1")
        ).scalar()
    )


def test_ended_session_is_refused(qtbot: QtBot, qc_station: QcStation) -> None:
    session = qc_station.login(QA)
    dialog = _dialog(qtbot, qc_station, _demo_inspection(qc_station), Meaning.RELEASED)
    session.lock()
    assert _submit(qtbot, dialog, QA[3], QA[2]) == "refused"
    assert "session has ended" in dialog.message.text()


@pytest.mark.req("SEC-8")
def test_hostile_text_is_plain(qtbot: QtBot, qc_station: QcStation) -> None:
    qc_station.login(QA)
    dialog = _dialog(
        qtbot,
        qc_station,
        _demo_inspection(qc_station),
        Meaning.RELEASED,
        summary=f"Inspection of {HOSTILE}",
    )
    assert "<img" in dialog.summary.text()
    assert "\u202e" not in dialog.summary.text()
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert not label.openExternalLinks()
    assert STATION
