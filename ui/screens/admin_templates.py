"""The Admin screen's Label templates tab (``label.approve`` or ``label.edit``): every stored
version with its status, author and approver; approve a draft; preview any version.

Approval goes through :func:`station.labels.governance.approve_template` on the writer with
the signed-in user's context: the service checks ``label.approve``, requires the reason and
refuses the author approving their own draft (four eyes, AUTH-7); the refusal is shown in its
own words and audited (``service.refused``, P11-F1). *Retire version* and *Retire template*
(``label.approve``, the same reason field) take the selected version, or every version of its
template, out of use for new labels (:func:`~station.labels.governance.retire_template`,
:func:`~station.labels.governance.retire_all_versions`); the rows stay for old print records
and reprints. The preview renders the selected version
with sample data (``env.extras["label_samples"]``: template name → data, when the station has
real samples; else stand-ins from :mod:`station.admin.label_samples`) as a PNG through the
label renderer, off the GUI thread. A preview records nothing and prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy import Connection

from station.access import LABEL_APPROVE, NotAuthenticatedError, allowed
from station.admin.label_samples import sample_data
from station.context import WriteContext
from station.labels.data import LabelData
from station.labels.governance import (
    TemplateVersion,
    approve_template,
    retire_all_versions,
    retire_template,
    template_at,
    template_versions,
)
from station.labels.resolve import resolve
from ui.audited import audit_failure
from ui.qt import (
    QHBoxLayout,
    QImage,
    QLineEdit,
    QPainter,
    QPaintEvent,
    QPushButton,
    QSize,
    QStandardItemModel,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.screens.admin_common import (
    StatusLine,
    error_text,
    plain_label,
    read_only_table,
    run_in_background,
    run_read,
    text_item,
)
from ui.screens.admin_users import local_time
from ui.screens.base import ScreenEnv
from ui.tasks import StationOp

__all__ = ["PREVIEW_DPI", "LabelPreview", "TemplatesTab"]

#: The preview's resolution: a common label printer's, so the preview looks like the print.
PREVIEW_DPI = 203


class LabelPreview(QWidget):
    """Draws a rendered label image, scaled to fit, keeping its proportions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePreview")
        self.image: QImage | None = None
        self.setMinimumSize(QSize(240, 140))

    def show_png(self, png: bytes | None) -> None:
        image = QImage.fromData(png) if png else None
        self.image = image if image is not None and not image.isNull() else None
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.lightGray)
        if self.image is not None:
            scaled = self.image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            left = (self.width() - scaled.width()) // 2
            top = (self.height() - scaled.height()) // 2
            painter.drawImage(left, top, scaled)
        painter.end()


class TemplatesTab(QWidget):
    """See the module docstring."""

    def __init__(self, env: ScreenEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setObjectName("adminTemplatesTab")
        self.versions: list[TemplateVersion] = []
        self.model = QStandardItemModel(0, 8, self)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("Template"),
                self.tr("Version"),
                self.tr("Status"),
                self.tr("Author"),
                self.tr("Written"),
                self.tr("Approver"),
                self.tr("Approved"),
                self.tr("Retired"),
            ]
        )
        self.table = read_only_table(self, "templatesTable")
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approveReason")
        self.reason.setPlaceholderText(
            self.tr("Why it is approved or retired (recorded with the change)")
        )
        self.approve_button = QPushButton(self.tr("&Approve draft"), self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self.approve)
        self.retire_version_button = QPushButton(self.tr("Retire &version"), self)
        self.retire_version_button.setObjectName("retireVersionButton")
        self.retire_version_button.clicked.connect(self.retire_version)
        self.retire_template_button = QPushButton(self.tr("Retire &template"), self)
        self.retire_template_button.setObjectName("retireTemplateButton")
        self.retire_template_button.clicked.connect(self.retire_whole_template)
        self.preview_button = QPushButton(self.tr("Pre&view"), self)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(self.preview)
        self.preview_view = LabelPreview(self)
        self.preview_note = plain_label("", self, name="previewNote")
        self.status = StatusLine(self, "templatesStatus")

        actions = QHBoxLayout()
        actions.addWidget(plain_label(self.tr("Reason"), self))
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.retire_version_button)
        actions.addWidget(self.retire_template_button)
        actions.addWidget(self.preview_button)
        side = QVBoxLayout()
        side.addWidget(self.preview_view, 1)
        side.addWidget(self.preview_note)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr(
                    "A draft is used in production only once someone other than its author "
                    "approves it; approved versions never change. A retired version prints no "
                    "new labels; reprints of its old labels still reproduce it."
                ),
                self,
            )
        )
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        self._update_buttons()

    def status_word(self, status: str) -> str:
        words = {
            "draft": self.tr("draft"),
            "approved": self.tr("approved"),
            "retired": self.tr("retired"),
        }
        return words.get(status, status)

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        run_read(
            self,
            self.env.store,
            template_versions,
            self._show_versions,
            lambda error: self.status.refused(error_text(error)),
            name="admin-templates-read",
        )

    def _show_versions(self, versions: list[TemplateVersion]) -> None:
        keep = self.current()
        self.versions = versions
        self.model.removeRows(0, self.model.rowCount())
        for v in versions:
            self.model.appendRow(
                [
                    text_item(v.name),
                    text_item(str(v.version)),
                    text_item(self.status_word(v.status)),
                    text_item(v.created_by or ""),
                    text_item(local_time(v.created_at)),
                    text_item(v.approved_by or ""),
                    text_item(local_time(v.approved_at)),
                    text_item(local_time(v.retired_at)),
                ]
            )
        if keep is not None:
            for index, v in enumerate(versions):
                if (v.name, v.version) == (keep.name, keep.version):
                    self.table.selectRow(index)
        self._update_buttons()

    def current(self) -> TemplateVersion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def select(self, name: str, version: int) -> bool:
        """Select a version (keyboard users move with the arrows; tests call this)."""
        for index, v in enumerate(self.versions):
            if (v.name, v.version) == (name, version):
                self.table.selectRow(index)
                return True
        return False

    def _selection_changed(self, _selected: object, _deselected: object) -> None:
        self._update_buttons()

    def _may_approve(self) -> bool:
        try:
            return allowed(self.env.context(), LABEL_APPROVE)
        except NotAuthenticatedError:
            return False

    def _update_buttons(self) -> None:
        chosen = self.current()
        may_approve = self._may_approve()
        self.approve_button.setEnabled(
            chosen is not None and chosen.status == "draft" and may_approve
        )
        self.retire_version_button.setEnabled(
            chosen is not None and chosen.status != "retired" and may_approve
        )
        self.retire_template_button.setEnabled(
            chosen is not None
            and may_approve
            and any(v.name == chosen.name and v.status != "retired" for v in self.versions)
        )
        self.preview_button.setEnabled(chosen is not None)

    # -- approve --------------------------------------------------------------------------

    def _refused(self, text: str) -> None:
        self.status.refused(text)
        self.env.feedback.refused(text)

    def _chosen_with_reason(self) -> tuple[TemplateVersion, WriteContext, str] | None:
        """The selected version, the signed-in context and the reason, or None (said why)."""
        chosen = self.current()
        if chosen is None:
            return None
        try:
            ctx = self.env.context()
        except NotAuthenticatedError as error:
            self._refused(error_text(error))
            return None
        reason = self.reason.text()
        if not reason.strip():
            self._refused(self.tr("Give a reason: it is recorded with the change."))
            self.reason.setFocus()
            return None
        return chosen, ctx, reason

    def approve(self) -> None:
        picked = self._chosen_with_reason()
        if picked is None:
            return
        chosen, ctx, reason = picked
        done = self.tr("{name} version {version} approved for production.").format(
            name=chosen.name, version=chosen.version
        )
        self._submit(
            ctx,
            lambda conn: approve_template(conn, ctx, chosen.name, chosen.version, reason),
            done,
        )

    def retire_version(self) -> None:
        picked = self._chosen_with_reason()
        if picked is None:
            return
        chosen, ctx, reason = picked
        done = self.tr("{name} version {version} retired: it prints no new labels.").format(
            name=chosen.name, version=chosen.version
        )
        self._submit(
            ctx,
            lambda conn: retire_template(conn, ctx, chosen.name, chosen.version, reason),
            done,
        )

    def retire_whole_template(self) -> None:
        picked = self._chosen_with_reason()
        if picked is None:
            return
        chosen, ctx, reason = picked
        done = self.tr("Template {name} retired (every version): it prints no new labels.").format(
            name=chosen.name
        )
        self._submit(ctx, lambda conn: retire_all_versions(conn, ctx, chosen.name, reason), done)

    def _submit(self, ctx: WriteContext, work: Callable[[Connection], object], text: str) -> None:
        def done(_result: object) -> None:
            self.reason.clear()
            self.status.ok(text)
            self.env.feedback.accepted(text)
            self.refresh()

        def failed(error: BaseException) -> None:
            audit = audit_failure(error, ctx)
            if audit is not None:
                StationOp(self, self.env.store.writer, audit).run()
            self._refused(error_text(error))

        StationOp(self, self.env.store.writer, work).success(done).failure(failed).run()

    # -- preview --------------------------------------------------------------------------

    def _samples(self, name: str) -> Mapping[str, str] | None:
        samples = self.env.extras.get("label_samples")
        if isinstance(samples, Mapping):
            known = samples.get(name)
            if isinstance(known, Mapping):
                return known
        return None

    def preview(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        known = self._samples(chosen.name)
        store = self.env.store
        self.preview_note.setText(self.tr("Rendering…"))

        def render() -> bytes:
            from drivers.labels.raster import render_png  # noqa: PLC0415 - on first preview

            with store.engine.connect() as conn:
                template = template_at(conn, chosen.name, chosen.version)
            today = date.today()  # noqa: DTZ011 - sample dates only
            data = sample_data(template, today=today, known=known)
            label = resolve(template, LabelData.from_mapping(data), today=today)
            return render_png(label, PREVIEW_DPI)

        def done(png: bytes) -> None:
            self.preview_view.show_png(png)
            note = self.tr("{name} version {version} with sample data (not a production label).")
            self.preview_note.setText(note.format(name=chosen.name, version=chosen.version))

        def failed(error: BaseException) -> None:
            self.preview_view.show_png(None)
            self.preview_note.setText(
                self.tr("No preview: {error}").format(error=error_text(error))
            )

        run_in_background(self, render, done, failed, name="admin-template-preview")
