"""What the scanner test can find: a stable code, a severity, a message and a concrete fix.

Messages and fixes are English templates with named placeholders, filled from ``params``.
The UI translates the *template* (Qt context ``scanner.finding``) and fills it with the same
params, the way ``udi.issue`` messages are translated (``docs/translations.md``).

>>> f = finding("gs-substituted", evidence="code 1", token="~")
>>> f.message
'The scanner sends ~ instead of the GS separator.'
>>> f.severity.value, dict(f.params)
('warning', {'token': '~'})
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["CATALOG", "FINDING_CONTEXT", "Finding", "Severity", "finding"]

#: Qt translation context of finding messages and fixes.
FINDING_CONTEXT = "scanner.finding"


class Severity(enum.Enum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    """One diagnosis. ``evidence`` is raw detail (visible markers, not translated)."""

    code: str
    severity: Severity
    template: str
    fix_template: str
    params: tuple[tuple[str, str], ...] = ()
    evidence: str = ""

    @property
    def message(self) -> str:
        return self.template.format_map(dict(self.params))

    @property
    def fix(self) -> str:
        return self.fix_template.format_map(dict(self.params))


_AIM_SETTING = (
    "Turn on the AIM symbology identifier in the scanner's setup (Zebra: 'Transmit Code ID "
    "Character' = 'AIM Code ID Character'; Honeywell: add the AIM ID prefix in the "
    "prefix/suffix settings), then scan this sheet again."
)
_LAYOUT_FIX = (
    "Set the scanner's keyboard country to {computer} (the layout the computer uses), or switch "
    "the computer to {scanner}. Prefer a USB serial (CDC) interface: it sends bytes, not keys."
)


def _entry(severity: Severity, message: str, fix: str) -> tuple[Severity, str, str]:
    return severity, message, fix


#: code → (severity, message template, fix template).
CATALOG: dict[str, tuple[Severity, str, str]] = {
    "ok": (Severity.OK, "Read correctly.", "Nothing to do."),
    "aim-missing": _entry(
        Severity.WARNING,
        "The scanner sends no AIM symbology identifier (expected {expected}).",
        _AIM_SETTING,
    ),
    "aim-wrong": _entry(
        Severity.WARNING,
        "The scanner sends the identifier {received} where {expected} was expected.",
        "Make the scanner send the AIM symbology identifier, not its own code letters, and "
        "enable GS1 (FNC1) decoding for GS1-128 and GS1 DataMatrix. " + _AIM_SETTING,
    ),
    "gs-dropped": _entry(
        Severity.ERROR,
        "The GS separator is lost: variable-length fields run together (lot and serial merge).",
        "Make the scanner transmit control characters: as a keyboard wedge it must type GS as "
        "Ctrl+] (often called 'control character output' or 'Ctrl+ASCII'), or send a "
        "substitute such as {{GS}} and add it to reader.gs_substitutes. A USB serial (CDC) "
        "interface sends GS unchanged.",
    ),
    "gs-substituted": _entry(
        Severity.WARNING,
        "The scanner sends {token} instead of the GS separator.",
        "Add {token} to reader.gs_substitutes in the station settings so it is read as GS, or "
        "make the scanner send GS itself (Ctrl+] as a keyboard wedge).",
    ),
    "gs-substituted-unsafe": _entry(
        Severity.ERROR,
        "The scanner sends {token} instead of the GS separator, and {token} can also be data.",
        "Change the scanner's GS replacement to text that never occurs in codes, such as {{GS}}, "
        "and add that to reader.gs_substitutes; or make the scanner send GS itself.",
    ),
    "gs-substitute-configured": _entry(
        Severity.INFO,
        "The scanner sends {token} instead of the GS separator; the station maps it back.",
        "Nothing to do while {token} stays in reader.gs_substitutes.",
    ),
    "layout-de": _entry(
        Severity.ERROR,
        "Keyboard layout mismatch: the scanner types as US English, the computer reads German "
        "(QWERTZ): {changes}.",
        _LAYOUT_FIX,
    ),
    "layout-fr": _entry(
        Severity.ERROR,
        "Keyboard layout mismatch: the scanner types as US English, the computer reads French "
        "(AZERTY): {changes}.",
        _LAYOUT_FIX,
    ),
    "layout-scanner-de": _entry(
        Severity.ERROR,
        "Keyboard layout mismatch: the scanner types as German (QWERTZ), the computer reads US "
        "English: {changes}.",
        _LAYOUT_FIX,
    ),
    "layout-scanner-fr": _entry(
        Severity.ERROR,
        "Keyboard layout mismatch: the scanner types as French (AZERTY), the computer reads US "
        "English: {changes}.",
        _LAYOUT_FIX,
    ),
    "caps-lock": _entry(
        Severity.ERROR,
        "Upper and lower case are swapped: Caps Lock is on.",
        "Turn Caps Lock off on the computer, or enable the scanner's Caps Lock override "
        "(automatic Caps Lock detection) so lots and serials keep their case.",
    ),
    "chars-changed": _entry(
        Severity.ERROR,
        "Some characters arrive changed: {changes}.",
        "For a keyboard-wedge scanner, set its keyboard country to the computer's layout. "
        "Otherwise look for data-editing or character-replacement rules in the scanner's setup.",
    ),
    "prefix-extra": _entry(
        Severity.WARNING,
        "The scanner sends {prefix} before the code.",
        "Remove the prefix in the scanner's prefix/suffix settings (keep only the AIM "
        "identifier), or configure the station's serial framing prefix to strip it.",
    ),
    "suffix-extra": _entry(
        Severity.WARNING,
        "The scanner sends {suffix} after the code.",
        "Set the scanner's suffix to Enter (CR) only: keyboard wedges end each scan with "
        "Enter, serial scanners with CR, LF or CR LF.",
    ),
    "suffix-tab": _entry(
        Severity.WARNING,
        "The scanner ends the code with Tab.",
        "Set the scanner's suffix to Enter (CR) instead of Tab: the station waits for Enter.",
    ),
    "truncated": _entry(
        Severity.ERROR,
        "The code arrived cut short: {received} of {expected} characters.",
        "Raise the scanner's maximum length for this symbology, and for a keyboard wedge "
        "lengthen its inter-character delay; then scan again.",
    ),
    "wrong-code": _entry(
        Severity.INFO,
        "This is code {received} of the sheet, not code {expected}.",
        "Scan code {expected}, or let the test match scans to codes itself.",
    ),
    "not-sheet-code": _entry(
        Severity.INFO,
        "This is not one of the sheet's codes.",
        "Scan the codes on the printed scanner test sheet (station diagnostics scanner-sheet).",
    ),
    "empty": _entry(
        Severity.WARNING,
        "The scan was empty.",
        "Check that the scanner sends data, not only its suffix.",
    ),
    "too-long": _entry(
        Severity.WARNING,
        "The scan is {length} bytes long, far longer than any code on the sheet.",
        "Scan one code at a time; check that the scanner is not set to send several codes "
        "together.",
    ),
    "not-scanned": _entry(
        Severity.INFO,
        "Not scanned yet: code(s) {numbers}.",
        "Scan every code on the sheet to complete the test.",
    ),
    "nothing-scanned": _entry(
        Severity.INFO,
        "No code of the sheet has been scanned yet.",
        "Print the sheet (station diagnostics scanner-sheet) and scan its codes one by one.",
    ),
    "all-correct": _entry(
        Severity.OK,
        "Every code on the sheet was read correctly: the scanner is set up correctly.",
        "Nothing to do.",
    ),
}


def finding(code: str, evidence: str = "", **params: str) -> Finding:
    """The catalogued finding ``code`` with its parameters filled in."""
    severity, template, fix = CATALOG[code]
    return Finding(code, severity, template, fix, tuple(sorted(params.items())), evidence)
