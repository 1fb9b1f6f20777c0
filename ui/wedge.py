"""The keyboard wedge: a scanner that types. Captures its bursts anywhere in the station window.

**Scanner or person?** A wedge scanner types a key every 1–10 ms; a person rarely types faster
than one key every 50 ms. A run of keys is *scan data* only when

- it has at least ``min_length`` keys,
- every gap between two of its keys, and before its end key, is at most ``max_key_gap_ms``,
- and it ends with the terminator key (Enter or Tab), or, with ``terminator = none``, with
  ``end_gap_ms`` of silence.

Gaps are measured with :meth:`QKeyEvent.timestamp` (milliseconds, stamped by the window system
when the key was typed), so keys that reach the station in a clump because the event loop was
busy still show their real spacing. Events without a timestamp (synthetic ones) fall back to the
monotonic clock at delivery.

**What happens to each key** (see ``docs/scanners.md``):

- The first keys of a run are *held*, not delivered, until the run proves to be a scanner (it
  reaches ``min_length`` fast keys) or a person (a gap longer than ``max_key_gap_ms``, an
  auto-repeated key, an end key too early). A person's keys are then re-sent, in order, to the
  focused widget, ``max_key_gap_ms`` late at most: typing is delayed, never swallowed.
- Keys of a scanner burst are consumed. A burst that pauses for longer than ``max_key_gap_ms``
  (but less than ``end_gap_ms``) is *broken*: it is read to its end key and discarded, never
  delivered in part. A burst that never gets its end key is discarded after ``end_gap_ms`` of
  silence, and the keys that follow within :data:`CONTINUATION_SECONDS` are taken as its tail
  and discarded too. Each discard is logged and reported by :attr:`WedgeListener.discarded`.

**Separators.** A wedge cannot type GS: it sends the chord Ctrl+] (``docs/codes.md`` §7), which
arrives either as the key ``]`` with Ctrl held or as the text ``"\\x1d"``; both become GS here.
RS (Ctrl+^) and EOT (Ctrl+D) are mapped the same way. *Typed substitutes* such as ``{GS}``
(setting ``reader.gs_substitutes``) are left as typed: the code reader maps them, for every
source alike, and records that it did; mapping them here too would hide that note.

One application-level event filter sees every key press meant for the station window, so a
scan is not lost because the operator last clicked a button or the element table. Keys meant
for a text field the person is typing into are left alone; Tab, shortcuts and Alt mnemonics
pass unless Tab is the terminator of a scan under way; Space and Enter pass unless a burst is
under way, so buttons still work from the keyboard.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from station.config import WedgeSettings
from station.scanning.raw import RawScan
from ui.qt import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QTextEdit,
    QTimer,
    QWidget,
    Signal,
)

_log = logging.getLogger(__name__)

GS, RS, EOT = "\x1d", "\x1e", "\x04"
SEPARATORS = (GS, RS, EOT)
WEDGE_SOURCE = "keyboard"

#: A burst that starts this soon after a discarded one is its tail (the scanner went on typing
#: after a pause): it is discarded too rather than read as a code of its own.
CONTINUATION_SECONDS = 0.5
TAIL_OF_DISCARDED = "tail of a discarded scan"
#: A deadline timer firing this much later than asked means the event loop was busy, and key
#: events typed meanwhile may still be queued: wait one more period before deciding.
LATE_TIMER_SECONDS = 0.02

#: Ctrl chords a wedge scanner types for the separators it has no key for.
CONTROL_CHORDS: dict[Qt.Key, str] = {
    Qt.Key.Key_BracketRight: GS,
    Qt.Key.Key_AsciiCircum: RS,
    Qt.Key.Key_D: EOT,
}


#: Keys that only modify the next one; scanners press Shift and Ctrl inside a burst.
MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)


class Terminator(enum.Enum):
    """The suffix the scanner is configured to send after each code (``wedge.terminator``)."""

    ENTER = "enter"
    TAB = "tab"
    NONE = "none"  # no suffix: silence (``end_gap_ms``) ends a scan

    @property
    def keys(self) -> tuple[Qt.Key, ...]:
        return _TERMINATOR_KEYS[self]


_TERMINATOR_KEYS = {
    Terminator.ENTER: (Qt.Key.Key_Return, Qt.Key.Key_Enter),
    Terminator.TAB: (Qt.Key.Key_Tab,),
    Terminator.NONE: (),
}


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    terminator: Terminator = Terminator.ENTER
    #: Longest gap between two keys of one scan. Scanners: 1–10 ms; people: over 50 ms.
    max_key_gap_ms: int = 35
    #: Fewer fast keys than this are a person typing (a key pair can be fast by chance).
    min_length: int = 4
    #: Silence that ends a scan with no terminator, or abandons an unfinished one.
    end_gap_ms: int = 100

    def __post_init__(self) -> None:
        if self.max_key_gap_ms < 1 or self.min_length < 1:
            msg = "max_key_gap_ms and min_length must be at least 1"
            raise ValueError(msg)
        if self.end_gap_ms <= self.max_key_gap_ms:
            msg = "end_gap_ms must be longer than max_key_gap_ms"
            raise ValueError(msg)

    @classmethod
    def from_settings(cls, settings: WedgeSettings) -> WedgeConfig:
        return cls(
            terminator=Terminator(settings.terminator),
            max_key_gap_ms=settings.max_key_gap_ms,
            min_length=settings.min_length,
            end_gap_ms=settings.end_gap_ms,
        )


class Phase(enum.Enum):
    TYPING = "typing"  # not yet known: a person, or the first keys of a scanner burst
    SCAN = "scan"  # enough fast keys: a scanner
    BROKEN = "broken"  # a scanner burst that paused: read to its end, then discarded


@dataclass(frozen=True, slots=True)
class Keystroke:
    text: str
    at: float  # delivery time, seconds of the listener's clock
    stamp: int | None = None  # window-system time, ms (None: the event had none)
    event: QKeyEvent | None = None  # a copy, kept while the key may still be a person's


@dataclass(slots=True)
class Burst:
    """The keystrokes of the run being typed, with their times."""

    keystrokes: list[Keystroke] = field(default_factory=list)
    phase: Phase = Phase.TYPING
    broken_because: str = ""

    @property
    def text(self) -> str:
        return "".join(k.text for k in self.keystrokes)


def gap_ms(previous: Keystroke, stamp: int | None, at: float) -> float:
    """Milliseconds between ``previous`` and a key typed at ``stamp`` (delivered at ``at``).

    Window-system stamps win: they keep the real spacing of keys delivered in a clump. A stamp
    going backwards (32-bit wrap-around, another input device) falls back to delivery times.
    """
    if previous.stamp is not None and stamp is not None and stamp >= previous.stamp:
        return float(stamp - previous.stamp)
    return (at - previous.at) * 1000.0


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
    :class:`RawScan` with ``source="keyboard"``; ``discarded`` a sentence for the operator
    when a scanner burst had to be thrown away. Both are emitted on the GUI thread.
    """

    scanned = Signal(object)
    discarded = Signal(str)

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
        self._replaying = False
        self._deferred = False  # the current deadline was already put off once
        self._last_discard_at: float | None = None
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline.timeout.connect(self.check_deadline)

    @property
    def config(self) -> WedgeConfig:
        return self._config

    @property
    def pending_text(self) -> str:
        """What has been typed of the current, unfinished run (held or consumed)."""
        return self._burst.text

    @property
    def phase(self) -> Phase | None:
        return self._burst.phase if self._burst.keystrokes else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._root.window():
            return False
        if is_text_input(watched) or is_text_input(self._root.window().focusWidget()):
            return False
        try:
            return self._key_pressed(event)
        except Exception:
            # Never let a bug here take keyboard input (or, through Qt, the process) down.
            _log.exception("wedge: key press handling failed; the key is passed on")
            self._burst = Burst()
            return False

    # -- the timing rule ---------------------------------------------------------------------

    def _key_pressed(self, event: QKeyEvent) -> bool:
        """Feed one key press; True when the press is consumed (held or scan data)."""
        now = self._clock()
        stamp = event.timestamp() or None
        key = event.key()
        if key in MODIFIER_KEYS:
            return False  # Shift or Ctrl pressed on its own: part of the next key, not a key
        if key == Qt.Key.Key_Escape:
            self._abandon()
            return False
        is_end_key = key in self._config.terminator.keys
        text = None if is_end_key else scan_text_for_key(key, event.modifiers(), event.text())
        burst = self._burst
        if (
            event.isAutoRepeat()
            or (not is_end_key and text is None)
            or (text == " " and not burst.keystrokes)
        ):
            # Not scan data (a held-down key is a person; a leading space is a button press).
            # Keys held before it are a person's, and must reach the widget before it.
            self._release_typing()
            return False
        if burst.keystrokes:
            gap = gap_ms(burst.keystrokes[-1], stamp, now)
            if gap > self._config.end_gap_ms:
                self._settle()  # what the deadline timer would have done, had it run
            elif gap > self._config.max_key_gap_ms:
                if burst.phase is Phase.TYPING:
                    self._release_typing()
                else:
                    self._break(f"paused {gap:.0f} ms")
        if is_end_key:
            return self._end_key()
        assert text is not None
        self._add(Keystroke(text, now, stamp, event.clone()))
        return True

    def _add(self, keystroke: Keystroke) -> None:
        burst = self._burst
        if burst.phase is not Phase.TYPING:
            keystroke = Keystroke(keystroke.text, keystroke.at, keystroke.stamp)
        burst.keystrokes.append(keystroke)
        if burst.phase is Phase.TYPING and len(burst.keystrokes) >= self._config.min_length:
            burst.phase = Phase.SCAN
            # A scanner's keys are never re-sent: let go of the copies.
            burst.keystrokes = [Keystroke(k.text, k.at, k.stamp) for k in burst.keystrokes]
            first = burst.keystrokes[0].at
            if (
                self._last_discard_at is not None
                and first - self._last_discard_at <= CONTINUATION_SECONDS
            ):
                self._break(TAIL_OF_DISCARDED)
        self._arm()

    def _end_key(self) -> bool:
        burst = self._burst
        if not burst.keystrokes:
            return False  # Enter or Tab between scans: a button press or focus move
        if burst.phase is Phase.TYPING:
            self._release_typing()  # too short for a scan: a person pressed it
            return False
        if burst.phase is Phase.BROKEN:
            self._discard(self.tr("Scan discarded: the scanner paused in the middle of it."))
            return True
        self._emit_scan()
        return True

    def _break(self, why: str) -> None:
        if self._burst.phase is not Phase.BROKEN:
            self._burst.phase = Phase.BROKEN
            self._burst.broken_because = why

    def _arm(self) -> None:
        self._deferred = False
        self._deadline.start(self._period_ms())

    def _period_ms(self) -> int:
        if self._burst.phase is Phase.TYPING:
            return self._config.max_key_gap_ms
        return self._config.end_gap_ms

    def check_deadline(self) -> None:
        """Decide a run after its silence; the timer calls this (tests may call it directly)."""
        if not self._burst.keystrokes:
            return
        now = self._clock()
        period = self._period_ms() / 1000.0
        silence = now - self._burst.keystrokes[-1].at
        if silence < period:
            self._deadline.start(max(1, round((period - silence) * 1000)))
            return
        if silence > period + LATE_TIMER_SECONDS and not self._deferred:
            # The loop was busy: keys typed meanwhile may be queued behind this timer.
            self._deferred = True
            self._deadline.start(self._period_ms())
            return
        self._settle()

    def _settle(self) -> None:
        """The run is over without an end key."""
        burst = self._burst
        if burst.phase is Phase.TYPING:
            self._release_typing()
        elif burst.phase is Phase.SCAN and self._config.terminator is Terminator.NONE:
            self._emit_scan()
        elif burst.phase is Phase.BROKEN:
            self._discard(self.tr("Scan discarded: the scanner paused in the middle of it."))
        else:
            self._discard(
                self.tr(
                    "Scan discarded: the scanner sent no end key (Enter or Tab) after it. "
                    "Check the scanner's suffix setting."
                )
            )

    # -- outcomes ----------------------------------------------------------------------------

    def _emit_scan(self) -> None:
        text = self._reset().text
        self._last_discard_at = None
        # surrogatepass: never crash on odd input; the reader refuses it with a message.
        self.scanned.emit(RawScan.now(text.encode("utf-8", "surrogatepass"), WEDGE_SOURCE))

    def _discard(self, message: str) -> None:
        burst = self._reset()
        _log.warning(
            "wedge: discarded a scanner burst of %d keys (%s)",
            len(burst.keystrokes),
            burst.broken_because or "no end key",
        )
        # A discarded tail does not extend the window: the next scan is read normally.
        tail = burst.broken_because == TAIL_OF_DISCARDED
        self._last_discard_at = None if tail else burst.keystrokes[-1].at
        self.discarded.emit(message)

    def _abandon(self) -> None:
        """Escape: a person's held keys still reach the widget; a scanner burst is dropped."""
        if self._burst.phase is Phase.TYPING:
            self._release_typing()
        elif self._burst.keystrokes:
            _log.info("wedge: Escape dropped a burst of %d keys", len(self._burst.keystrokes))
            self._reset()

    def _release_typing(self) -> None:
        """Re-send a person's held keys, in order, to the widget that has the focus now."""
        if self._burst.phase is not Phase.TYPING or not self._burst.keystrokes:
            return
        held = self._reset().keystrokes
        window = self._root.window()
        target = window.focusWidget() or window
        self._replaying = True
        try:
            for keystroke in held:
                if keystroke.event is not None:
                    QApplication.sendEvent(target, keystroke.event)
        finally:
            self._replaying = False

    def _reset(self) -> Burst:
        burst, self._burst = self._burst, Burst()
        self._deadline.stop()
        return burst
