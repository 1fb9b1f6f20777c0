"""The keyboard wedge: a scanner that types. Captures its bursts anywhere in the station window.

A wedge scanner types the code, then a terminator key (Enter by default). It cannot type GS:
it sends the chord Ctrl+] instead (``docs/codes.md`` §7), which arrives either as the key
``]`` with Ctrl held or as the text ``"\\x1d"``; both become GS again here. RS (Ctrl+^) and EOT
(Ctrl+D) are mapped the same way.

One application-level event filter sees every key press meant for the station window, so a
scan is not lost because the operator last clicked a button or the element table. Keys meant
for a text field the person is typing into are left alone; Tab, shortcuts and Alt mnemonics
always pass; Space and Enter pass unless a burst is under way, so buttons still work from the
keyboard.

Telling a scanner burst from a person typing by inter-key timing is a later step: every
keystroke already carries its time (:class:`Burst`), which is where such a rule will look.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from station.scanning.raw import RawScan
from ui.qt import (
    QAbstractSpinBox,
    QComboBox,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QTextEdit,
    QWidget,
    Signal,
)

_log = logging.getLogger(__name__)

GS, RS, EOT = "\x1d", "\x1e", "\x04"
SEPARATORS = (GS, RS, EOT)
WEDGE_SOURCE = "keyboard"

#: Ctrl chords a wedge scanner types for the separators it has no key for.
CONTROL_CHORDS: dict[Qt.Key, str] = {
    Qt.Key.Key_BracketRight: GS,
    Qt.Key.Key_AsciiCircum: RS,
    Qt.Key.Key_D: EOT,
}


class Terminator(enum.Enum):
    """The suffix the scanner is configured to send after each code."""

    ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    TAB = (Qt.Key.Key_Tab,)


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    terminator: Terminator = Terminator.ENTER
    #: Seconds of silence after which an unfinished burst is thrown away (a stray key press
    #: must not end up in front of the next scan).
    stale_after: float = 2.0


@dataclass(frozen=True, slots=True)
class Keystroke:
    text: str
    at: float


@dataclass(slots=True)
class Burst:
    """The keystrokes of the scan being typed, with their times."""

    keystrokes: list[Keystroke] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(k.text for k in self.keystrokes)

    def is_stale(self, now: float, stale_after: float) -> bool:
        return bool(self.keystrokes) and now - self.keystrokes[-1].at > stale_after


def separator_for_chord(key: int, modifiers: Qt.KeyboardModifier, text: str) -> str | None:
    """The separator a key press stands for (Ctrl+] → GS …), or None."""
    if text in SEPARATORS:
        return text
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    if ctrl and not alt:
        return CONTROL_CHORDS.get(Qt.Key(key))
    return None


def scan_text_for_key(key: int, modifiers: Qt.KeyboardModifier, text: str) -> str | None:
    """What a key press adds to a scan: its text, a separator, or None (not scan data)."""
    separator = separator_for_chord(key, modifiers, text)
    if separator is not None:
        return separator
    if not text or not text.isprintable():
        return None
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    meta = bool(modifiers & Qt.KeyboardModifier.MetaModifier)
    # Ctrl+Alt is AltGr on Windows (typing @ or \ on many layouts); Ctrl or Alt alone is a
    # shortcut or a mnemonic, and Meta is the system's.
    if meta or ctrl != alt:
        return None
    return text


def is_text_input(widget: QWidget | None) -> bool:
    """True for a widget a person types into: its keys are not a wedge's."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QAbstractSpinBox)


class WedgeListener(QObject):
    """Application event filter that turns wedge bursts in ``root``'s window into RawScans.

    Install with ``app.installEventFilter(listener)``. ``scanned`` carries a
    :class:`RawScan` with ``source="keyboard"``, emitted on the GUI thread.
    """

    scanned = Signal(object)

    def __init__(
        self,
        root: QWidget,
        config: WedgeConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(root)
        self._root = root
        self._config = config or WedgeConfig()
        self._clock = clock
        self._burst = Burst()

    @property
    def pending_text(self) -> str:
        """What has been typed of the current, unfinished scan."""
        return self._burst.text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._root.window():
            return False
        if is_text_input(watched) or is_text_input(self._root.window().focusWidget()):
            return False
        return self._key_pressed(event)

    def _key_pressed(self, event: QKeyEvent) -> bool:
        """Feed one key press to the burst; True when the press was scan data (consumed)."""
        now = self._clock()
        if self._burst.is_stale(now, self._config.stale_after):
            _log.info("wedge: dropped an unfinished scan of %d keys", len(self._burst.keystrokes))
            self._burst = Burst()
        key = event.key()
        if key in self._config.terminator.value:
            if not self._burst.keystrokes:
                return False
            self._finish()
            return True
        if key == Qt.Key.Key_Escape:
            self._burst = Burst()
            return False
        text = scan_text_for_key(key, event.modifiers(), event.text())
        if text is None or (text == " " and not self._burst.keystrokes):
            return False  # a leading space is a button press, never the start of a code
        self._burst.keystrokes.append(Keystroke(text, now))
        return True

    def _finish(self) -> None:
        text, self._burst = self._burst.text, Burst()
        # surrogatepass: never crash on odd input; the reader refuses it with a message.
        self.scanned.emit(RawScan.now(text.encode("utf-8", "surrogatepass"), WEDGE_SOURCE))
