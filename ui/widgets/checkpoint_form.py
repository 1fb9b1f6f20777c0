"""The checkpoints of an inspection plan as a form: one row per checkpoint, judged live.

Each row: the checkpoint's name, its limits, the entry (a number, pass/fail, or text) and the
judgement, in colour *and* symbol *and* word (in spec ✔, out of spec ✖, not a number ⚠), so
colour is never the only signal. The judging rule is :func:`station.services.inspection_form.
judge`; the service judges again when it records. Keyboard only: Tab moves between entries;
pass/fail takes P or F (or the arrow keys).
"""

from __future__ import annotations

from station.services.inspection_form import (
    FormResults,
    Judgement,
    Plan,
    PlanPoint,
    build_results,
    judge,
    limits_text,
)
from ui.qt import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    Qt,
    QWidget,
    Signal,
)

__all__ = ["CheckpointForm", "JudgementLabel"]

#: (symbol, colour) per judgement; the word is translated in ``JudgementLabel``.
_LOOK: dict[Judgement, tuple[str, str]] = {
    Judgement.EMPTY: ("·", "#455A64"),
    Judgement.INVALID: ("⚠", "#8A5A00"),
    Judgement.IN_SPEC: ("✔", "#1B6E34"),
    Judgement.OUT_OF_SPEC: ("✖", "#B3261E"),
    Judgement.PASS: ("✔", "#1B6E34"),
    Judgement.FAIL: ("✖", "#B3261E"),
    Judgement.RECORDED: ("✔", "#1B6E34"),
}


class JudgementLabel(QLabel):
    """Symbol, word and colour of one checkpoint's judgement (plain text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.judgement = Judgement.EMPTY
        self.show_judgement(Judgement.EMPTY)

    def word(self, judgement: Judgement) -> str:
        words = {
            Judgement.EMPTY: self.tr("not entered"),
            Judgement.INVALID: self.tr("not a number"),
            Judgement.IN_SPEC: self.tr("in spec"),
            Judgement.OUT_OF_SPEC: self.tr("OUT OF SPEC"),
            Judgement.PASS: self.tr("pass"),
            Judgement.FAIL: self.tr("FAIL"),
            Judgement.RECORDED: self.tr("noted"),
        }
        return words[judgement]

    def show_judgement(self, judgement: Judgement) -> None:
        symbol, colour = _LOOK[judgement]
        self.judgement = judgement
        self.setText(f"{symbol} {self.word(judgement)}")
        self.setStyleSheet(f"color: {colour};")
        self.setAccessibleName(self.text())


class CheckpointForm(QWidget):
    """Entries for every checkpoint of one plan; ``changed()`` after any entry changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkpointForm")
        self.plan: Plan | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.judgements: dict[str, JudgementLabel] = {}
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(2, 1)
        self._points: dict[str, PlanPoint] = {}

    def set_plan(self, plan: Plan | None) -> None:
        """Show ``plan``'s checkpoints with empty entries (None: no form)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.plan = plan
        self.inputs.clear()
        self.judgements.clear()
        self._points.clear()
        if plan is None:
            self.changed.emit()
            return
        for column, caption in enumerate(
            (self.tr("Checkpoint"), self.tr("Limits"), self.tr("Result"), self.tr("Judgement"))
        ):
            header = QLabel(caption, self)
            header.setTextFormat(Qt.TextFormat.PlainText)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self._grid.addWidget(header, 0, column)
        for row, point in enumerate(plan.points, start=1):
            self._points[point.name] = point
            name = QLabel(point.name, self)
            name.setTextFormat(Qt.TextFormat.PlainText)
            limits = QLabel(limits_text(point), self)
            limits.setTextFormat(Qt.TextFormat.PlainText)
            entry = self._entry_for(point, row)
            name.setBuddy(entry)
            verdict = JudgementLabel(self)
            verdict.setObjectName(f"judgement_{row}")
            self.inputs[point.name] = entry
            self.judgements[point.name] = verdict
            for column, widget in enumerate((name, limits, entry, verdict)):
                self._grid.addWidget(widget, row, column)
        self.changed.emit()

    def _entry_for(self, point: PlanPoint, row: int) -> QLineEdit | QComboBox:
        entry: QLineEdit | QComboBox
        if point.kind == "pass_fail":
            entry = QComboBox(self)
            entry.addItem(self.tr("— choose —"), userData=None)
            entry.addItem(self.tr("Pass"), userData=True)
            entry.addItem(self.tr("Fail"), userData=False)
            entry.currentIndexChanged.connect(lambda _i, name=point.name: self._update(name))
        else:
            entry = QLineEdit(self)
            entry.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
            if point.kind == "numeric":
                entry.setPlaceholderText(self.tr("number"))
                entry.setAlignment(Qt.AlignmentFlag.AlignRight)
            else:
                entry.setPlaceholderText(self.tr("text"))
            entry.textChanged.connect(lambda _t, name=point.name: self._update(name))
        entry.setObjectName(f"entry_{row}")
        return entry

    def entry(self, name: str) -> str | bool | None:
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            value = widget.currentData()
            return value if isinstance(value, bool) else None
        return widget.text()

    def entries(self) -> dict[str, str | bool | None]:
        return {name: self.entry(name) for name in self.inputs}

    def results(self) -> FormResults | None:
        return None if self.plan is None else build_results(self.plan, self.entries())

    def first_input(self) -> QWidget | None:
        return next(iter(self.inputs.values()), None)

    def _update(self, name: str) -> None:
        self.judgements[name].show_judgement(judge(self._points[name], self.entry(name)))
        self.changed.emit()
