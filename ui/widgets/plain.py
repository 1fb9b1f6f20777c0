"""Widgets that show untrusted text as it is (SEC-8): plain-text labels and tooltips, and the
masked secret field (AUTH-5, P11-U4). Every screen builds its labels and secret fields here."""

from __future__ import annotations

import html

from ui.qt import QFormLayout, QLabel, QLineEdit, Qt, QWidget

__all__ = ["form_row", "plain_label", "plain_tooltip", "secret_field"]


def plain_label(
    text: str, parent: QWidget, *, name: str = "", bold: bool = False, scale: float = 1.0
) -> QLabel:
    """A label that never renders markup or opens links (SEC-8); ``&`` mnemonics still work
    with a buddy."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if bold or scale != 1.0:
        font = label.font()
        font.setBold(bold)
        if scale != 1.0:
            font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def form_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
    """A form row with a plain-text label whose ``&`` mnemonic focuses ``field``."""
    label = plain_label(text, field.parentWidget() or field)
    label.setWordWrap(False)
    label.setBuddy(field)
    form.addRow(label, field)
    return label


def plain_tooltip(text: str) -> str:
    """Tooltip text shown exactly as written (SEC-8). Qt guesses rich text in tooltips only
    from a ``<`` tag, so text without ``<`` is plain as it is; text with one is escaped so
    that it still shows literally.

    >>> plain_tooltip("lot A1")
    'lot A1'
    >>> plain_tooltip("<b>x</b>")
    '<qt>&lt;b&gt;x&lt;/b&gt;</qt>'
    """
    if "<" not in text:
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def secret_field(parent: QWidget, name: str) -> QLineEdit:
    """A PIN or password entry: masked, no context menu (no copy, no paste of a secret into a
    log), no drag, no input-method prediction or history (AUTH-5, P11-U4)."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # noqa: FBT003 - Qt API
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhSensitiveData
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhNoAutoUppercase
    )
    field.setDragEnabled(False)
    field.setMaxLength(128)
    return field
