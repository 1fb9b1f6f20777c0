"""Unmistakable feedback for every scan: a colour, a symbol, a word and a sound per outcome.

Accepted, warning and refused each have their own tone pattern, so an operator who is looking
at the parts, not the screen, still knows what happened: one short high beep (accepted), two
mid beeps (warning, look at the screen), one long low buzz (refused). The tones are WAV files
made here, so no sound assets or multimedia libraries are needed; they play through the
platform's own player (``winsound`` on Windows, ``paplay``/``aplay`` on Linux) and fall back
to the system beep. ``[feedback] sound = false`` in the settings silences them.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from enum import Enum
from pathlib import Path
from typing import Protocol

from ui.qt import QApplication, QObject, Signal

_log = logging.getLogger(__name__)

__all__ = ["Feedback", "Outcome", "RecordingPlayer", "SoundPlayer", "SystemPlayer", "tone"]


class Outcome(Enum):
    ACCEPTED = "accepted"
    WARNING = "warning"
    REFUSED = "refused"


#: (frequency Hz, milliseconds) per beep, with 70 ms of silence between beeps.
_PATTERNS: dict[Outcome, tuple[tuple[int, int], ...]] = {
    Outcome.ACCEPTED: ((1568, 90),),
    Outcome.WARNING: ((880, 110), (880, 110)),
    Outcome.REFUSED: ((220, 450),),
}
_RATE = 22_050


def tone(outcome: Outcome) -> bytes:
    """The outcome's sound as a mono 16-bit WAV file.

    >>> data = tone(Outcome.REFUSED)
    >>> data[:4], data[8:12]
    (b'RIFF', b'WAVE')
    >>> len(tone(Outcome.WARNING)) > len(tone(Outcome.ACCEPTED))
    True
    """
    frames = bytearray()
    for index, (frequency, millis) in enumerate(_PATTERNS[outcome]):
        if index:
            frames += b"\0\0" * (_RATE * 70 // 1000)
        count = _RATE * millis // 1000
        for n in range(count):
            # 5 ms fade in and out: no click at the edges.
            edge = min(n, count - n, _RATE // 200) / (_RATE // 200)
            sample = 0.45 * edge * math.sin(2 * math.pi * frequency * n / _RATE)
            frames += struct.pack("<h", int(sample * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(_RATE)
        wav.writeframes(bytes(frames))
    return out.getvalue()


class SoundPlayer(Protocol):
    def play(self, outcome: Outcome) -> None: ...


class RecordingPlayer:
    """The simulated twin of the speaker: remembers what it was asked to play (tests, CI)."""

    def __init__(self) -> None:
        self.played: list[Outcome] = []

    def play(self, outcome: Outcome) -> None:
        self.played.append(outcome)


class SystemPlayer:
    """Plays the tones without blocking the GUI thread; never raises (a missing speaker must
    not stop a scan from being recorded)."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="udi-station-sounds-"))
        self._files: dict[Outcome, Path] = {}
        for outcome in Outcome:
            path = self._folder / f"{outcome.value}.wav"
            path.write_bytes(tone(outcome))
            self._files[outcome] = path
        self._command = next(
            (found for name in ("paplay", "aplay") if (found := shutil.which(name))), None
        )

    def play(self, outcome: Outcome) -> None:
        path = self._files[outcome]
        try:
            if sys.platform == "win32":
                import winsound  # noqa: PLC0415 (Windows only)

                flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
                winsound.PlaySound(str(path), flags)
            elif self._command is not None:
                args = [self._command, str(path)]
                if self._command.endswith("aplay"):
                    args.insert(1, "-q")
                subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                QApplication.beep()
        except Exception:  # a sound is a courtesy; the screen still shows the outcome
            _log.warning("could not play the %s sound", outcome.value, exc_info=True)


class Feedback(QObject):
    """Screens call ``accepted``/``warning``/``refused``; the sound plays and ``given`` is
    emitted (the main window's status line and tests listen to it)."""

    given = Signal(object, str)  # Outcome, the already translated text

    def __init__(self, player: SoundPlayer | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.last: tuple[Outcome, str] | None = None

    def accepted(self, text: str = "") -> None:
        self._give(Outcome.ACCEPTED, text)

    def warning(self, text: str = "") -> None:
        self._give(Outcome.WARNING, text)

    def refused(self, text: str = "") -> None:
        self._give(Outcome.REFUSED, text)

    def _give(self, outcome: Outcome, text: str) -> None:
        self.last = (outcome, text)
        if self.player is not None:
            self.player.play(outcome)
        self.given.emit(outcome, text)
