"""The QC bench (质检台, F9): scan a lot or unit, enter the inspection plan's results, record
them, sign, then release or hold.

* A scan (or a code typed into the entry line) is looked up on a plain thread with its own
  read connection: the item, its lot state and hold, the active plans (the one for the product
  chosen), its last inspection and its history (:func:`station.trace.api.trace`'s timeline).
* The form judges every entry live (:mod:`ui.widgets.checkpoint_form`); a checkpoint out of
  spec forces the verdict to *fail* (the service would refuse a pass).
* **Record** runs :func:`station.services.inspection_form.record_form` on the writer
  (:class:`~ui.tasks.StationOp`) with ``env.context()``; after COMMIT the sign dialog opens on
  the recorded event: meaning *reviewed* for a pass, *rejected* for a fail.
* **Release** signs the last inspection *released* (``lot.release``); an item on hold is
  released from it in the same transaction (:func:`station.services.holds.release_hold`). Four
  eyes: the services refuse a release by the inspector; the screen says so before asking for
  the PIN. **Hold** places a quality hold with the reason typed (``lot.hold``).
* Refusals and denials are audited (:func:`ui.audited.audit_failure`) and shown in the
  banner, with their sound. Text from scans and records is plain text (SEC-8).

The photo: when ``env.extras`` has a ``"camera"`` (an object with ``grab_photo() -> bytes |
None`` giving PNG or JPEG bytes, or a :class:`~ui.camera.CameraBridge`, whose newest preview
frame is encoded as PNG with Qt, :func:`ui.photo.frame_png`), "Take photo" keeps the image;
**Record** stores its bytes and records it (media type, SHA-256, size) with the notes inside
the inspection event, so a signature of the event covers both. Without a camera the button is
disabled and says why.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection

from station.access import INSPECTION_RECORD, LOT_RELEASE, NotAuthenticatedError
from station.context import WriteContext
from station.errors import StationError
from station.services.attachments import MAX_ATTACHMENT_BYTES, media_type_of
from station.services.holds import place_hold, release_hold
from station.services.inspection import Verdict
from station.services.inspection_form import (
    LastInspection,
    Plan,
    Target,
    active_plans,
    find_target,
    last_inspection,
    photo_digest,
    record_form,
    suggested_plan,
)
from station.signatures.meaning import Meaning
from station.signatures.records import SignableRecord, event_record
from station.trace.api import trace
from station.trace.model import TimelineEntry
from ui.audited import audit_failure
from ui.display import visible
from ui.feedback import Outcome
from ui.gui_thread import call_on_gui_thread
from ui.photo import frame_png
from ui.qt import (
    QComboBox,
    QFont,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens.base import ScreenEnv, StationScreen
from ui.screens.trace_models import short_id
from ui.screens.words import Words
from ui.tasks import StationOp
from ui.views.sign_dialog import SignDialog, SignRequest
from ui.widgets.checkpoint_form import CheckpointForm
from ui.widgets.data_label import DataLabel
from ui.widgets.outcome_banner import OutcomeBanner
from ui.widgets.scan_entry import ScanEntry
from ui.widgets.sync_status import local_time

if TYPE_CHECKING:
    from station.scanning.raw import RawScan

__all__ = ["HISTORY_ROWS", "Lookup", "PhotoSource", "QcBenchScreen"]

_log = logging.getLogger(__name__)

#: History lines shown beside the form (newest last).
HISTORY_ROWS = 40
#: The reason written with a release when none is typed (records are English).
DEFAULT_RELEASE_REASON = "released after QC review of the inspection"


class PhotoSource(Protocol):
    def grab_photo(self) -> bytes | None:
        """The current picture as PNG or JPEG bytes, or None."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a scan found (read on a plain thread)."""

    code: str
    target: Target | None
    plans: tuple[Plan, ...]
    suggested: Plan | None
    last: LastInspection | None
    last_record: SignableRecord | None
    history: tuple[TimelineEntry, ...]


def read_lookup(conn: Connection, ctx: WriteContext, code: str | bytes) -> Lookup:
    shown = code if isinstance(code, str) else code.decode("utf-8", "replace")
    plans = active_plans(conn)
    target = find_target(conn, code)
    if target is None:
        return Lookup(shown, None, plans, None, None, None, ())
    last = last_inspection(conn, target.uri)
    record = event_record(conn, last.event_id) if last is not None else None
    history = trace(conn, ctx, target.uri).timeline[-HISTORY_ROWS:]
    return Lookup(shown, target, plans, suggested_plan(conn, target, plans), last, record, history)


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class QcBenchScreen(StationScreen):
    """Scan → plan form → record → sign → release or hold."""

    screen_id = "qc_bench"
    shortcut = "F9"
    permission = (INSPECTION_RECORD, LOT_RELEASE)  # inspectors record, QA releases

    #: Emitted on the GUI thread once a lookup is shown (tests wait for it).
    looked_up = Signal(object)
    #: Emitted after each write's outcome is shown: (what, ok) — "record", "sign", "release",
    #: "hold".
    finished = Signal(str, bool)

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.lookup: Lookup | None = None
        self.photo: bytes | None = None  # PNG or JPEG, recorded with the results
        self.photo_sha256: str | None = None
        self.sign_dialog: SignDialog | None = None
        self._lookups = 0  # the newest lookup wins
        self._busy = False
        self._latest_frame: object | None = None
        self._camera = env.extras.get("camera")
        self._filling = False
        self._verdict_forced = False
        self.words = Words(self)
        self._make_widgets()
        self._layout()
        self._set_up_camera()
        self._show_lookup_empty()

    def _make_widgets(self) -> None:  # noqa: PLR0915 - one statement per widget property

        self.entry = ScanEntry(self)
        self.entry.setObjectName("qcEntry")
        self.entry.submitted.connect(self.look_up)
        self.banner = OutcomeBanner(self)
        self.banner.show_prompt(self.tr("READY — scan a lot or unit to inspect"))

        self.item = DataLabel("", self)
        self.item.setObjectName("qcItem")
        self.state = DataLabel("", self)
        self.state.setObjectName("qcState")
        self.last = DataLabel("", self)
        self.last.setObjectName("qcLast")
        self.plan_box = QComboBox(self)
        self.plan_box.setObjectName("qcPlan")
        self.plan_box.currentIndexChanged.connect(self._plan_chosen)
        self.form = CheckpointForm(self)
        self.form.changed.connect(self._form_changed)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("qcNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("Notes (optional)"))
        self.notes.setMaximumHeight(70)
        self.photo_button = QPushButton(self.tr("Take &photo"), self)
        self.photo_button.setObjectName("qcPhoto")
        self.photo_button.clicked.connect(self.take_photo)
        self.photo_state = _caption("", self)
        self.photo_state.setObjectName("qcPhotoState")
        self.photo_state.setWordWrap(True)
        self.verdict_box = QComboBox(self)
        self.verdict_box.setObjectName("qcVerdictChoice")
        self.verdict_box.addItem(self.tr("Pass"), Verdict.PASS.value)
        self.verdict_box.addItem(self.tr("Fail"), Verdict.FAIL.value)
        self.verdict_box.currentIndexChanged.connect(self._form_changed)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("qcVerdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        big = QFont(self.verdict.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.verdict.setFont(big)
        self.record_button = QPushButton(self.tr("&Record"), self)
        self.record_button.setObjectName("qcRecord")
        self.record_button.clicked.connect(self.record)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("qcReason")
        self.reason.setPlaceholderText(self.tr("Reason for a hold or release"))
        self.release_button = QPushButton(self.tr("Re&lease"), self)
        self.release_button.setObjectName("qcRelease")
        self.release_button.clicked.connect(self.release)
        self.hold_button = QPushButton(self.tr("&Hold"), self)
        self.hold_button.setObjectName("qcHold")
        self.hold_button.clicked.connect(self.hold)
        self.history = QPlainTextEdit(self)
        self.history.setObjectName("qcHistory")
        self.history.setReadOnly(True)
        self.history.setTabChangesFocus(True)
        self.history.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

    # -- layout

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.entry, 1)
        find = QPushButton(self.tr("Find"), self)
        find.clicked.connect(self.entry.submit)
        top.addWidget(find)
        facts = QGridLayout()
        for row, (caption, widget) in enumerate(
            (
                (self.tr("Item"), self.item),
                (self.tr("State"), self.state),
                (self.tr("Last inspection"), self.last),
                (self.tr("Plan"), self.plan_box),
            )
        ):
            label = _caption(caption, self)
            label.setBuddy(widget)
            facts.addWidget(label, row, 0)
            facts.addWidget(widget, row, 1)
        facts.setColumnStretch(1, 1)
        photo = QHBoxLayout()
        photo.addWidget(self.photo_button)
        photo.addWidget(self.photo_state, 1)
        verdict = QHBoxLayout()
        verdict_label = _caption(self.tr("Verdict"), self)
        verdict_label.setBuddy(self.verdict_box)
        verdict.addWidget(verdict_label)
        verdict.addWidget(self.verdict_box)
        verdict.addWidget(self.record_button)
        verdict.addStretch(1)
        after = QHBoxLayout()
        after.addWidget(self.reason, 1)
        after.addWidget(self.release_button)
        after.addWidget(self.hold_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.banner)
        left.addLayout(facts)
        left.addWidget(self.form)
        left.addWidget(self.notes)
        left.addLayout(photo)
        left.addLayout(verdict)
        left.addWidget(self.verdict)
        left.addLayout(after)
        left.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(_caption(self.tr("History"), self))
        side.addWidget(self.history, 1)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 3)
        outer.addLayout(side, 2)

    def title(self) -> str:
        return self.tr("QC bench")

    def activated(self) -> None:
        if self.lookup is not None and self.lookup.target is not None:
            self.look_up(self.lookup.target.uri, quiet=True)
        self.entry.setFocus()

    # -- camera

    def _set_up_camera(self) -> None:
        camera = self._camera
        frame_signal = getattr(camera, "frame", None)
        if frame_signal is not None and hasattr(frame_signal, "connect"):
            frame_signal.connect(self._frame)
        if camera is None:
            self.photo_button.setEnabled(False)
            why = self.tr("No camera at this station: no photo can be taken.")
            self.photo_button.setToolTip(why)
            self.photo_state.setText(why)

    def _frame(self, report: object) -> None:
        self._latest_frame = report

    def _grab(self) -> bytes | None:
        camera = self._camera
        if camera is not None and hasattr(camera, "grab_photo"):
            source: PhotoSource = camera
            return source.grab_photo()
        return frame_png(getattr(self._latest_frame, "image", None))

    def take_photo(self) -> None:
        try:
            image = self._grab()
        except Exception:  # a camera fault must not lose the form
            _log.warning("no photo from the camera", exc_info=True)
            image = None
        self.photo = None
        self.photo_sha256 = None
        if not image:
            self.photo_state.setText(self.tr("The camera has no picture yet: try again."))
            self.env.feedback.warning()
            return
        if media_type_of(image) is None or len(image) > MAX_ATTACHMENT_BYTES:
            self.photo_state.setText(
                self.tr("The camera gave no PNG or JPEG image under 5 MB: try again.")
            )
            self.env.feedback.warning()
            return
        self.photo = image
        self.photo_sha256 = photo_digest(image)
        self.photo_state.setText(
            self.tr("Photo taken, SHA-256 %1…").replace("%1", self.photo_sha256[:16])
        )

    # -- scans and lookups

    def handle_scan(self, scan: RawScan) -> None:
        self.look_up(scan.raw)

    def look_up(self, code: str | bytes, *, quiet: bool = False) -> None:
        """Read what ``code`` names on a plain thread; show it when read (newest wins)."""
        ctx = self._context()
        if ctx is None:
            return
        self._lookups += 1
        number = self._lookups
        engine = self.env.store.engine

        def read() -> None:
            try:
                with engine.connect() as conn:
                    found: Lookup | BaseException = read_lookup(conn, ctx, code)
            except Exception as error:  # shown, never lost on the thread
                _log.exception("QC lookup failed")
                found = error
            call_on_gui_thread(self, lambda: self._show_lookup(number, found, quiet))

        threading.Thread(target=read, name="qc-lookup", daemon=True).start()

    def _show_lookup(self, number: int, found: Lookup | BaseException, quiet: bool) -> None:
        if number != self._lookups:
            return
        if isinstance(found, BaseException):
            self._refuse(self.tr("Could not read the record: %1").replace("%1", str(found)))
            return
        previous = self.lookup
        same_item = (
            previous is not None
            and previous.target is not None
            and found.target is not None
            and previous.target.uri == found.target.uri
        )
        self.lookup = found
        if found.target is None:
            self._show_lookup_empty()
            self._refuse(
                self.tr("Nothing recorded for %1: scan a lot or unit that was received.").replace(
                    "%1", visible(found.code)
                )
            )
            self.looked_up.emit(found)
            return
        target = found.target
        self.item.setText(short_id(target.uri))
        hold = self.tr("ON HOLD") if target.on_hold else self.tr("not on hold")
        state = (
            self.words.lot_state(target.lot_state.value) if target.lot_state is not None else "—"
        )
        self.state.setText(f"{state} · {hold}")
        self.last.setText(self._last_text(found.last))
        self.history.setPlainText("\n".join(self._history_line(e) for e in found.history))
        if not (quiet and same_item):
            self._fill_plans(found)
            self.notes.clear()
            self.photo = None
            self.photo_sha256 = None
            if self._camera is not None:
                self.photo_state.setText("")
            self.banner.show_prompt(self.tr("Enter the results, then Record"))
            self.env.feedback.accepted()
            first = self.form.first_input()
            if first is not None:
                first.setFocus()
        self._update_buttons()
        self.looked_up.emit(found)

    def _show_lookup_empty(self) -> None:
        self.item.setText("")
        self.state.setText("")
        self.last.setText("")
        self.history.setPlainText("")
        self._filling = True
        self.plan_box.clear()
        self._filling = False
        self.form.set_plan(None)
        self._update_buttons()

    def _last_text(self, last: LastInspection | None) -> str:
        if last is None:
            return self.tr("none yet")
        verdict = self.tr("pass") if last.verdict == Verdict.PASS else self.tr("fail")
        return f"{local_time(last.event_time)} · {last.plan} v{last.version} · {verdict} · " + (
            last.actor or "—"
        )

    def _history_line(self, entry: TimelineEntry) -> str:
        parts = [
            local_time(entry.event_time),
            self.words.biz_step(entry.biz_step) or entry.event_type,
            self.words.disposition(entry.disposition),
            entry.actor or "",
        ]
        line = "  ".join(part for part in parts if part)
        if entry.declared_in_error:
            line += "  " + self.tr("(declared in error)")
        return visible(line)

    def _fill_plans(self, found: Lookup) -> None:
        self._filling = True
        self.plan_box.clear()
        self.plan_box.addItem(self.tr("— choose a plan —"), None)
        target_gtin = found.target.gtin if found.target is not None else None
        chosen = 0
        for plan in found.plans:
            if plan.product_di not in (None, target_gtin):
                continue
            self.plan_box.addItem(f"{plan.code} v{plan.version} · {plan.name}", plan)
            if found.suggested is not None and plan.key == found.suggested.key:
                chosen = self.plan_box.count() - 1
        self.plan_box.setCurrentIndex(chosen)
        self.verdict_box.setCurrentIndex(0)  # a new form starts at pass
        self._filling = False
        self._plan_chosen()

    def _plan_chosen(self, _index: int = 0) -> None:
        if self._filling:
            return
        plan = self.plan_box.currentData()
        self.form.set_plan(plan if isinstance(plan, Plan) else None)

    # -- the form

    def current_plan(self) -> Plan | None:
        plan = self.plan_box.currentData()
        return plan if isinstance(plan, Plan) else None

    def _form_changed(self, *_args: object) -> None:
        results = self.form.results()
        forced = results is not None and results.required_verdict is Verdict.FAIL
        wanted = None
        if forced:
            wanted = Verdict.FAIL
        elif self._verdict_forced:  # the failed entry was corrected: back to the default
            wanted = Verdict.PASS
        self._verdict_forced = forced
        self.verdict_box.setEnabled(results is not None and not forced)
        index = self.verdict_box.findData(wanted.value) if wanted is not None else -1
        if index >= 0 and index != self.verdict_box.currentIndex():
            self.verdict_box.setCurrentIndex(index)  # comes back here once more
            return
        self._show_verdict()
        self._update_buttons()

    def chosen_verdict(self) -> Verdict:
        # Item data round-trips through Qt as a plain str.
        return Verdict(self.verdict_box.currentData() or Verdict.PASS.value)

    def _show_verdict(self) -> None:
        results = self.form.results()
        if results is None:
            self.verdict.setText("")
            self.verdict.setStyleSheet("")
            return
        if not results.complete:
            names = ", ".join(results.missing + results.invalid)
            self.verdict.setText(self.tr("… Incomplete: %1").replace("%1", names))
            self.verdict.setStyleSheet("color: #455A64;")
        elif self.chosen_verdict() is Verdict.FAIL:
            why = ", ".join(results.failed) or self.tr("on the inspector's judgement")
            self.verdict.setText(self.tr("✖ FAIL — %1").replace("%1", why))
            self.verdict.setStyleSheet("color: #B3261E;")
        else:
            self.verdict.setText(self.tr("✔ PASS"))
            self.verdict.setStyleSheet("color: #1B6E34;")

    def _update_buttons(self) -> None:
        target = self.lookup.target if self.lookup is not None else None
        results = self.form.results()
        idle = not self._busy
        self.record_button.setEnabled(
            idle and target is not None and results is not None and results.complete
        )
        has_inspection = self.lookup is not None and self.lookup.last is not None
        self.release_button.setEnabled(idle and target is not None and has_inspection)
        self.hold_button.setEnabled(idle and target is not None)

    # -- writes

    def _context(self) -> WriteContext | None:
        try:
            return self.env.context()
        except NotAuthenticatedError:
            self._refuse(self.tr("Sign in first: nobody is signed in at this station."))
            return None

    def _run(
        self,
        what: str,
        ctx: WriteContext,
        fn: Callable[[Connection], object],
        on_success: Callable[[object], None],
    ) -> None:
        self._busy = True
        self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy = False
            audit = audit_failure(error, ctx)
            if audit is not None:
                StationOp(self, self.env.store.writer, audit).failure(
                    lambda exc: _log.error("a refusal was not audited: %s", exc)
                ).run()
            self._refuse(self._refusal_text(error))
            self._update_buttons()
            self._finish(what, ok=False)

        def succeeded(result: object) -> None:
            self._busy = False
            on_success(result)
            self._update_buttons()
            self._finish(what, ok=True)

        StationOp(self, self.env.store.writer, fn).success(succeeded).failure(failed).run()

    def _refusal_text(self, error: BaseException) -> str:
        if isinstance(error, NotAuthenticatedError):
            return self.tr("The session has ended: sign in again. Nothing was recorded.")
        if isinstance(error, StationError):
            return str(error)
        _log.error("QC bench write failed: %r", error)
        return self.tr("The station could not record this: %1").replace("%1", str(error))

    def record(self) -> None:
        """Record the form's results with the chosen verdict, then open the sign dialog."""
        lookup, plan, results = self.lookup, self.current_plan(), self.form.results()
        if lookup is None or lookup.target is None or plan is None or results is None:
            self._refuse(self.tr("Scan a lot or unit and choose its plan first."))
            return
        if not results.complete:
            self._refuse(self.tr("Every checkpoint needs a result before recording."))
            return
        verdict = self.chosen_verdict()
        if results.required_verdict is Verdict.FAIL and verdict is not Verdict.FAIL:
            self._refuse(self.tr("A checkpoint is out of spec: the verdict must be Fail."))
            return
        ctx = self._context()
        if ctx is None:
            return
        uri = lookup.target.uri
        notes = self.notes.toPlainText()
        photo = self.photo

        def work(conn: Connection) -> SignableRecord:
            recorded = record_form(
                conn,
                ctx,
                uri=uri,
                plan=plan,
                results=results.results,
                verdict=verdict,
                notes=notes,
                photo=photo,
            )
            return event_record(conn, recorded.event_id)

        def done(result: object) -> None:
            assert isinstance(result, SignableRecord)
            word = self.tr("PASS") if verdict is Verdict.PASS else self.tr("FAIL")
            self.banner.show_outcome(
                Outcome.ACCEPTED,
                self.tr("Inspection recorded: %1").replace("%1", word),
                self.tr("Sign it now."),
            )
            self.env.feedback.accepted(self.tr("Inspection recorded"))
            meaning = Meaning.REVIEWED if verdict is Verdict.PASS else Meaning.REJECTED
            self.look_up(uri, quiet=True)
            self.open_sign_dialog(ctx, result, meaning, uri)

        self._run("record", ctx, work, done)

    def open_sign_dialog(
        self,
        ctx: WriteContext,
        record: SignableRecord,
        meaning: Meaning,
        uri: str,
        before: Callable[[Connection, WriteContext], object] | None = None,
    ) -> SignDialog:
        request = SignRequest(
            record=record,
            meaning=meaning,
            kind_text=self.tr("Inspection record"),
            summary=self.tr("Inspection of %1").replace("%1", uri),
            before=before,
        )
        dialog = SignDialog(self.env.store.writer, ctx, request, self)
        dialog.signed.connect(lambda _signature: self._signed(meaning, uri))
        dialog.refused.connect(self._sign_refused)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.sign_dialog = dialog
        dialog.open()
        return dialog

    def _signed(self, meaning: Meaning, uri: str) -> None:
        headline = (
            self.tr("Released and signed")
            if meaning is Meaning.RELEASED
            else self.tr("Inspection signed")
        )
        self.banner.show_outcome(Outcome.ACCEPTED, headline, visible(uri))
        self.env.feedback.accepted(headline)
        if meaning is Meaning.RELEASED:
            self.reason.clear()
        self.look_up(uri, quiet=True)
        self._finish("sign", ok=True)

    def _sign_refused(self, text: str) -> None:
        self.banner.show_outcome(Outcome.REFUSED, self.tr("Not signed"), text)
        self.env.feedback.refused(text)
        self._finish("sign", ok=False)

    def _dialog_closed(self, dialog: SignDialog) -> None:
        if self.sign_dialog is dialog:
            self.sign_dialog = None
        dialog.deleteLater()
        self.entry.setFocus()

    def release(self) -> None:
        """Sign the last inspection *released*; release the item from hold with it."""
        lookup = self.lookup
        if lookup is None or lookup.target is None or lookup.last_record is None:
            self._refuse(self.tr("Nothing to release: scan an inspected lot or unit."))
            return
        ctx = self._context()
        if ctx is None:
            return
        last = lookup.last
        if last is not None and last.actor is not None and last.actor == ctx.actor:
            self._refuse(
                self.tr(
                    "Four eyes: you recorded this inspection, so another person must release it."
                )
            )
            return
        uri = lookup.target.uri
        before: Callable[[Connection, WriteContext], object] | None = None
        if lookup.target.on_hold:
            reason = self.reason.text() or DEFAULT_RELEASE_REASON

            def release_from_hold(conn: Connection, signer: WriteContext) -> object:
                return release_hold(conn, signer, [uri], reason=reason)

            before = release_from_hold
        self.open_sign_dialog(ctx, lookup.last_record, Meaning.RELEASED, uri, before)

    def hold(self) -> None:
        """Place a quality hold on the item with the reason typed."""
        lookup = self.lookup
        if lookup is None or lookup.target is None:
            self._refuse(self.tr("Scan a lot or unit first."))
            return
        reason = self.reason.text()
        if not reason.strip():
            self._refuse(self.tr("Type the reason for the hold first."))
            self.reason.setFocus()
            return
        ctx = self._context()
        if ctx is None:
            return
        uri = lookup.target.uri

        def done(_result: object) -> None:
            self.banner.show_outcome(Outcome.ACCEPTED, self.tr("Put on hold"), visible(uri))
            self.env.feedback.accepted(self.tr("Put on hold"))
            self.reason.clear()
            self.look_up(uri, quiet=True)

        self._run("hold", ctx, lambda conn: place_hold(conn, ctx, [uri], reason=reason), done)

    def _finish(self, what: str, *, ok: bool) -> None:
        self.finished.emit(what, ok)

    def _refuse(self, text: str) -> None:
        self.banner.show_outcome(Outcome.REFUSED, self.tr("Refused"), text)
        self.env.feedback.refused(text)
