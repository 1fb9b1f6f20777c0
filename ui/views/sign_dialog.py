"""The electronic-signature dialog (21 CFR 11.50, 11.200): what is signed, what the signature
means, who signs, and the credential components the login session asks for.

* The session decides the components (P11-U2): badge or user name and the secret at the
  first signature of a session, the secret alone afterwards (``signature_components()``).
* The secret field is masked, refuses copy, paste, drag and the context menu, and tells input
  methods to stay out (AUTH-5). The secret is read once, the field cleared at once, and the
  text passed only to the one write that needs it; it is never logged or kept.
* ``authorize_signature`` and ``sign_record`` run on the database writer in one transaction
  (:class:`~ui.tasks.StationOp`). A wrong secret is the session's business: it counts the
  failure and raises, and the dialog commits that count (it returns the refusal instead of
  raising, so the writer does not roll the count back) and shows the refusal; nothing is
  signed. A refusal of the signature itself (four eyes, permission, changed record) rolls
  everything back and is audited in a new transaction (P11-F1).
* Success shows the manifestation (P11-S1): printed name, date and time with the time zone,
  and the meaning, in words.

Everything from records and users is shown as plain text (SEC-8).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection

from station.access import NotAuthenticatedError, NotPermittedError
from station.auth.outcome import AuthRefusedError, Refusal
from station.context import WriteContext
from station.errors import StationError
from station.persistence.writer import DbWriter
from station.services.errors import Refused
from station.signatures.chain import RecordedSignature
from station.signatures.errors import WrongSecretError
from station.signatures.meaning import Meaning
from station.signatures.records import SignableRecord
from station.signatures.sign import SignatureProof, sign_record
from ui.audited import audit_failure
from ui.display import visible
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDialog,
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.tasks import StationOp

__all__ = [
    "IDENTITY_COMPONENTS",
    "MEANING_WORDS",
    "SecretLineEdit",
    "SignDialog",
    "SignRequest",
    "SigningSession",
    "meaning_word",
]

_log = logging.getLogger(__name__)

#: Components naming the signer (the rest are secrets: PIN, password).
IDENTITY_COMPONENTS = frozenset({"badge", "username", "user", "user_name", "identity"})

#: The meanings in words; translated in the ``SignDialog`` context.
MEANING_WORDS: dict[Meaning, str] = {
    Meaning.REVIEWED: str(QT_TRANSLATE_NOOP("SignDialog", "Reviewed")),
    Meaning.APPROVED: str(QT_TRANSLATE_NOOP("SignDialog", "Approved")),
    Meaning.RELEASED: str(QT_TRANSLATE_NOOP("SignDialog", "Released")),
    Meaning.REJECTED: str(QT_TRANSLATE_NOOP("SignDialog", "Rejected")),
}


def meaning_word(meaning: Meaning | str) -> str:
    """The meaning in the interface language (``Released`` / ``已放行``)."""
    return QCoreApplication.translate("SignDialog", MEANING_WORDS[Meaning(meaning)])


class SigningSession(Protocol):
    """What the dialog needs of the login session (``station.auth``)."""

    def signature_components(self) -> Collection[str]: ...

    def authorize_signature(
        self,
        conn: Connection,
        secret: str,
        badge: str | None = None,
        *,
        username: str | None = None,
    ) -> SignatureProof | Refusal: ...


@dataclass(frozen=True, slots=True)
class SignRequest:
    """One signature to make.

    ``record`` is the record as shown (its hash binds the signature). ``before`` is a write
    that belongs with the signature (a release from hold): it runs in the same transaction,
    after the credentials are confirmed and before the signature, so both happen or neither.
    """

    record: SignableRecord
    meaning: Meaning
    kind_text: str  # translated: "Inspection"
    summary: str  # translated, may contain untrusted values: shown as plain text
    before: Callable[[Connection, WriteContext], object] | None = None


def _asks_identity(components: Collection[str]) -> bool:
    return any(str(component).lower() in IDENTITY_COMPONENTS for component in components)


class SecretLineEdit(QLineEdit):
    """A masked line no text leaves: no copy, cut, paste or drag, no menu, no input method
    help (AUTH-5)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, on=False)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        blocked = (
            QKeySequence.StandardKey.Copy,
            QKeySequence.StandardKey.Cut,
            QKeySequence.StandardKey.Paste,
        )
        if any(event.matches(key) for key in blocked):
            event.ignore()
            return
        if event.key() == Qt.Key.Key_Insert and event.modifiers() & (
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()  # Shift+Insert pastes, Ctrl+Insert copies on some platforms
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, _source: object) -> None:  # noqa: N802 - defensive, Qt name
        return


def _plain(text: str, parent: QWidget, *, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setWordWrap(True)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def local_moment(text: str) -> tuple[str, str]:
    """``signed_at`` (ISO with offset) → (``2026-03-02 08:15:30``, ``UTC+08:00``)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text, ""
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    return moment.strftime("%Y-%m-%d %H:%M:%S"), zone


class SignDialog(QDialog):
    """Sign one record. ``signed(RecordedSignature)`` after COMMIT; ``refused(str)`` on each
    refusal (the dialog stays open for another try, or Esc)."""

    signed = Signal(object)
    refused = Signal(str)

    def __init__(  # noqa: PLR0915 - one statement per widget property, in reading order
        self,
        writer: DbWriter,
        ctx: WriteContext,
        request: SignRequest,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle(self.tr("Electronic signature"))
        self.setModal(True)
        self._writer = writer
        self._ctx = ctx
        self.request = request
        self.signature: RecordedSignature | None = None
        self.busy = False
        session = ctx.session
        self._session: SigningSession | None = (
            session  # type: ignore[assignment]
            if session is not None and hasattr(session, "authorize_signature")
            else None
        )
        components: Collection[str] = ()
        if self._session is not None:
            components = self._session.signature_components()
        self.asks_identity = _asks_identity(components)
        #: ``badge`` or ``username``: which identity the first signature of a session asks.
        self.identity_kind = "username" if "username" in components else "badge"

        meaning = Meaning(request.meaning)
        self.what = _plain(request.kind_text, self, bold=True)
        self.what.setObjectName("signWhat")
        self.record_id = _plain(visible(request.record.id), self)
        self.record_id.setObjectName("signRecordId")
        self.summary = _plain(visible(request.summary), self)
        self.summary.setObjectName("signSummary")
        self.meaning = _plain(meaning_word(meaning), self, bold=True, scale=1.8)
        self.meaning.setObjectName("signMeaning")
        self.signer = _plain(visible(ctx.actor_name or ctx.actor or ""), self, bold=True)
        self.signer.setObjectName("signSigner")

        self.identity = QLineEdit(self)
        self.identity.setObjectName("signIdentity")
        self.identity.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        if self.identity_kind == "username":
            self.identity.setPlaceholderText(self.tr("Type your user name"))
            self.identity_label = _plain(self.tr("User name"), self)
        else:
            self.identity.setPlaceholderText(self.tr("Scan or type your badge"))
            self.identity_label = _plain(self.tr("Badge"), self)
        self.identity_label.setBuddy(self.identity)
        self.identity.setVisible(self.asks_identity)
        self.identity_label.setVisible(self.asks_identity)
        self.secret = SecretLineEdit(self)
        self.secret.setObjectName("signSecret")
        self.secret_label = _plain(self.tr("PIN or password"), self)
        self.secret_label.setBuddy(self.secret)
        self.secret.returnPressed.connect(self.submit)
        self.identity.returnPressed.connect(self.secret.setFocus)

        self.message = _plain("", self, bold=True)
        self.message.setObjectName("signMessage")
        self.message.setVisible(False)
        self.manifestation = _plain("", self, scale=1.2)
        self.manifestation.setObjectName("signManifestation")
        self.manifestation.setFrameShape(QFrame.Shape.StyledPanel)
        self.manifestation.setVisible(False)

        self.sign_button = QPushButton(self.tr("Sign"), self)
        self.sign_button.setObjectName("signButton")
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("signCancel")
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("signClose")
        self.close_button.clicked.connect(self.accept)
        self.close_button.setVisible(False)

        grid = QGridLayout()
        rows: list[tuple[str, QWidget]] = [
            (self.tr("Signing"), self.what),
            (self.tr("Record"), self.record_id),
            (self.tr("Summary"), self.summary),
            (self.tr("Meaning"), self.meaning),
            (self.tr("Signer"), self.signer),
        ]
        for row, (caption, widget) in enumerate(rows):
            grid.addWidget(_plain(caption, self), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self.identity_label, len(rows), 0)
        grid.addWidget(self.identity, len(rows), 1)
        grid.addWidget(self.secret_label, len(rows) + 1, 0)
        grid.addWidget(self.secret, len(rows) + 1, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.manifestation)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())
        if self._session is None:
            self._show_message(self.tr("Sign in first: signing needs a login session."))
            self.sign_button.setEnabled(False)
            self.secret.setEnabled(False)
        (self.identity if self.asks_identity else self.secret).setFocus()

    # -- signing

    def submit(self) -> None:
        """Read the components once, clear the fields, and sign on the writer."""
        if self.busy or self.signature is not None or self._session is None:
            return
        secret = self.secret.text()
        identity = self.identity.text() if self.asks_identity else None
        self.secret.clear()
        if not secret or (self.asks_identity and not identity):
            self._show_message(
                self.tr("Enter your badge or user name and your PIN or password.")
                if self.asks_identity
                else self.tr("Enter your PIN or password.")
            )
            return
        self.busy = True
        self.sign_button.setEnabled(False)
        session, ctx, request = self._session, self._ctx, self.request
        held = [secret]  # taken out by the write: nothing keeps the secret after it
        del secret
        by_name = self.identity_kind == "username"
        badge = None if by_name else identity
        username = identity if by_name else None

        def work(conn: Connection) -> RecordedSignature | StationError:
            secret = held.pop()
            try:
                proof = session.authorize_signature(conn, secret, badge, username=username)
            except (NotPermittedError, Refused):
                raise
            except StationError as refusal:
                # Wrong secret, locked, ended session: return it, so the writer commits what
                # the session wrote about the attempt (the failure count).
                return refusal
            if isinstance(proof, Refusal):  # recorded by the session: commit, then show
                return proof.error()
            if request.before is not None:
                request.before(conn, ctx)
            return sign_record(
                conn,
                ctx,
                proof=proof,
                secret=secret,
                meaning=request.meaning,
                record=request.record,
            )

        StationOp(self, self._writer, work).success(self._done).failure(self._failed).run()

    def _done(self, result: RecordedSignature | StationError) -> None:
        self.busy = False
        if isinstance(result, StationError):
            self._refuse(self._refusal_text(result))
            return
        self.signature = result
        self._show_manifestation(result)
        self.signed.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        audit = audit_failure(error, self._ctx)
        if audit is not None:
            StationOp(self, self._writer, audit).failure(
                lambda exc: _log.error("a refused signature was not audited: %s", exc)
            ).run()
        if not isinstance(error, StationError):
            _log.error("signature failed: %s", error)
        self._refuse(self._refusal_text(error))

    def _refusal_text(self, error: BaseException) -> str:
        wrong = isinstance(error, WrongSecretError) or (
            isinstance(error, AuthRefusedError) and error.refusal.code == "wrong_secret"
        )
        if wrong:
            return self.tr("Wrong PIN or password: nothing was signed.")
        ended = isinstance(error, AuthRefusedError) and error.refusal.code == "session_ended"
        if ended or isinstance(error, NotAuthenticatedError):
            return self.tr("The session has ended: sign in again. Nothing was signed.")
        if isinstance(error, StationError):
            return self.tr("Not signed: %1").replace("%1", str(error))
        return self.tr("Not signed: the station could not write the signature.")

    def _refuse(self, text: str) -> None:
        self.secret.clear()
        self._show_message(text)
        self.sign_button.setEnabled(True)
        self.secret.setFocus()
        self.refused.emit(text)

    def _show_message(self, text: str) -> None:
        self.message.setText(f"✖  {text}")
        self.message.setStyleSheet("color: #B3261E;")
        self.message.setVisible(True)

    def _show_manifestation(self, signature: RecordedSignature) -> None:
        content = signature.content()
        when, zone = local_moment(content.signed_at)
        if content.tz_name:
            zone = f"{zone} {content.tz_name}".strip()
        lines = [
            self.tr("Signed by %1").replace("%1", visible(content.printed_name)),
            f"{when} {zone}".strip(),
            self.tr("Meaning: %1").replace("%1", meaning_word(content.meaning)),
        ]
        self.manifestation_lines = tuple(lines)
        self.manifestation.setText("\n".join(lines))
        self.manifestation.setVisible(True)
        self.message.setVisible(False)
        for widget in (self.identity, self.identity_label, self.secret, self.secret_label):
            widget.setVisible(False)
        self.sign_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def reject(self) -> None:
        self.secret.clear()
        if not self.busy:
            super().reject()

    def accept(self) -> None:
        self.secret.clear()
        super().accept()
