"""The catalogue of GS1 and GS1 Digital Link issues: stable codes, kinds and worker messages.

Kinds follow the station's three outcomes: ``SYNTAX`` (the structure could not be read),
``CHECK`` (read, but a rule failed: check digit, date, character set, length, pairing) and
``NOTE`` (a warning; the code stays valid). Each message is a *finding* (what is wrong and where)
followed by *advice* for the line worker; :func:`finding` gives the finding alone, for the label
builder and for logs.

>>> from station.udi.model import Draft, Scheme
>>> draft = Draft(b"", None, "", Scheme.GS1)
>>> report(draft, EMPTY_VALUE, 3, ai="30", title="VAR. COUNT")
>>> draft.issues[0].message.split(" (character")[0]
'AI (30) VAR. COUNT has no value'
>>> finding(draft.issues[0])
'AI (30) VAR. COUNT has no value (character 4).'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.udi.model import Kind, define

if TYPE_CHECKING:
    from station.udi.model import Draft, Issue, IssueType

_FINDINGS: dict[str, str] = {}


def _define(code: str, kind: Kind, finding: str, advice: str = "") -> IssueType:
    _FINDINGS[code] = finding
    return define(code, kind, f"{finding} {advice}".rstrip())


def report(draft: Draft, issue_type: IssueType, index: int | None = None, **params: object) -> None:
    """Record an issue at ``index`` (0-based, into the scan text); messages count from 1."""
    if index is None:
        draft.report(issue_type, None, **params)
    else:
        draft.report(issue_type, index, at=index + 1, **params)


def finding(issue: Issue) -> str:
    """What is wrong, without the advice to the line worker."""
    template = _FINDINGS.get(issue.code)
    return template.format_map(dict(issue.params)) if template else issue.message


_RESCAN = "Scan again; if it repeats, set the item aside and report the label."
_MISREAD = "The label may be misprinted or misread: scan again; if it repeats, set the item aside."
_WRONG_LABEL = "The label is encoded wrongly: set the item aside and report the label."
_WRONG_LINK = "The link is encoded wrongly: report the label."

# --- structure (SYNTAX) ---

NO_DATA = _define(
    "gs1.no_data",
    Kind.SYNTAX,
    "The code is marked as GS1 but holds no data after its separators.",
    _RESCAN,
)
UNKNOWN_AI = _define(
    "gs1.unknown_ai",
    Kind.SYNTAX,
    "At character {at} the data '{found}' does not start with a GS1 Application Identifier "
    "the station knows, so the rest of the code ({rest} characters) could not be read.",
    "The code may be damaged or not GS1. " + _RESCAN,
)
HRI_SYNTAX = _define(
    "gs1.hri_syntax",
    Kind.SYNTAX,
    "The bracketed GS1 text cannot be read at character {at}: {reason}.",
    "Text must look like (01)04012345123456(10)LOT1, with a '(' inside a value written as "
    "'\\('. Check what was typed or pasted.",
)
BAD_EAN = _define(
    "gs1.bad_ean",
    Kind.SYNTAX,
    "The EAN/UPC barcode sent '{found}', which is not a GTIN of {lengths} digits.",
    _RESCAN,
)

# --- rules (CHECK) ---

CHECK_DIGIT = _define(
    "gs1.check_digit",
    Kind.CHECK,
    "The {what} check digit is wrong (expected {expected}, found {found}) at character {at}.",
    _MISREAD,
)
CHECK_PAIR = _define(
    "gs1.check_pair",
    Kind.CHECK,
    "The check characters of AI ({ai}) {title} are wrong (expected {expected}, found {found}) "
    "at character {at}.",
    _MISREAD,
)
BAD_DATE = _define(
    "gs1.bad_date",
    Kind.CHECK,
    "AI ({ai}) {title} holds '{value}', which is not a valid date: {reason} (character {at}).",
    "Do not use this date; check the date printed on the label. " + _RESCAN,
)
BAD_TIME = _define(
    "gs1.bad_time",
    Kind.CHECK,
    "AI ({ai}) {title} holds '{value}', which is not a valid time: {reason} (character {at}).",
    _RESCAN,
)
CHARSET = _define(
    "gs1.charset",
    Kind.CHECK,
    "AI ({ai}) {title} contains a character that is not allowed: {reason} (character {at}; "
    "allowed: {allowed}).",
    "The code may be misread or mistyped. " + _RESCAN,
)
TOO_LONG = _define(
    "gs1.too_long",
    Kind.CHECK,
    "AI ({ai}) {title} is {length} characters long, but at most {limit} are allowed "
    "(character {at}).{hint}",
    "Do not accept this code. " + _RESCAN,
)
TOO_SHORT = _define(
    "gs1.too_short",
    Kind.CHECK,
    "AI ({ai}) {title} has {length} characters, but needs {needed} (character {at}).",
    "The code may be cut short or misread. " + _RESCAN,
)
EMPTY_VALUE = _define(
    "gs1.empty_value",
    Kind.CHECK,
    "AI ({ai}) {title} has no value (character {at}).",
    "An empty field is not allowed. " + _RESCAN,
)
INVALID_VALUE = _define(
    "gs1.invalid_value",
    Kind.CHECK,
    "AI ({ai}) {title} holds '{value}', which breaks a GS1 rule: {reason} (character {at}).",
    _RESCAN,
)
MISSING_REQUIRED_AI = _define(
    "gs1.missing_required_ai",
    Kind.CHECK,
    "AI ({ai}) {title} must appear together with {required}, but the code has none of them.",
    "The label's data is incomplete: if the label has a second barcode, scan it too; "
    "otherwise set the item aside.",
)
EXCLUSIVE_AI = _define(
    "gs1.exclusive_ai",
    Kind.CHECK,
    "AIs ({ai}) and ({other}) must not appear together in one code, but both are present.",
    _WRONG_LABEL,
)
CONFLICTING_AI = _define(
    "gs1.conflicting_ai",
    Kind.CHECK,
    "AI ({ai}) {title} appears twice with different values ('{first}' and '{second}', "
    "character {at}).",
    "The station cannot tell which is right: set the item aside and report the label.",
)
DIGSIG_NEEDS_SERIAL = _define(
    "gs1.digsig_needs_serial",
    Kind.CHECK,
    "A digital signature (8030) needs a serialised key, but AI ({ai}) {title} has no serial "
    "component.",
    _WRONG_LABEL,
)

# --- warnings (NOTE) ---

DOUBLED_SEPARATOR = _define(
    "gs1.doubled_separator",
    Kind.NOTE,
    "{count} separators (GS) follow each other at character {at}; the extra ones were ignored.",
    "Check the printer's or scanner's GS1 settings.",
)
SEPARATOR_MISSING = _define(
    "gs1.separator_missing",
    Kind.NOTE,
    "AI ({ai}) {title} '{value}' ends with '{tail}', which reads as {reading}: a separator "
    "(GS) may have been lost so that two fields ran together.",
    "Compare the {title_lower} with the text printed on the label before accepting it.",
)
DUPLICATE_AI = _define(
    "gs1.duplicate_ai",
    Kind.NOTE,
    "AI ({ai}) {title} appears more than once with the same value (character {at}); the repeat "
    "was ignored.",
)
UNKNOWN_PREFIX = _define(
    "gs1.unknown_prefix",
    Kind.NOTE,
    "The GS1 prefix {prefix} of this {what} is not assigned to any GS1 member organisation in "
    "the station's prefix list.",
    "Check the number against the label; the list may be out of date.",
)
HRI_WHITESPACE = _define(
    "gs1.hri_whitespace",
    Kind.NOTE,
    "Spaces or line breaks between bracketed elements were ignored (character {at}).",
)

# --- Digital Link ---

DL_MALFORMED = _define(
    "dl.malformed",
    Kind.SYNTAX,
    "This web address cannot be read as a GS1 Digital Link: {reason} (character {at}).",
    _RESCAN,
)
DL_NO_PRIMARY_KEY = _define(
    "dl.no_primary_key",
    Kind.SYNTAX,
    "This web address has no GS1 key such as /01/<GTIN> in its path, so it is not a GS1 "
    "Digital Link the station can read.",
    "The station never opens web addresses.",
)
DL_COMPRESSED = _define(
    "dl.compressed",
    Kind.SYNTAX,
    "This looks like a compressed GS1 Digital Link ('{segment}'), which the station does not "
    "support.",
    "Ask the supplier for an uncompressed Digital Link or a GS1 DataMatrix; the station never "
    "opens web addresses.",
)
DL_QUALIFIER_ORDER = _define(
    "dl.qualifier_order",
    Kind.CHECK,
    "The path of this GS1 Digital Link has {found} after key ({key}), which GS1 does not allow "
    "(allowed: {allowed}).",
    _WRONG_LINK,
)
DL_NOT_ATTRIBUTE = _define(
    "dl.not_data_attribute",
    Kind.CHECK,
    "AI ({ai}) {title} is not allowed in the query part of a GS1 Digital Link (character {at}).",
    _WRONG_LINK,
)
DL_BELONGS_IN_PATH = _define(
    "dl.belongs_in_path",
    Kind.CHECK,
    "AI ({ai}) {title} must be part of the link's path after key ({key}), not of its query "
    "(character {at}).",
    _WRONG_LINK,
)
DL_DUPLICATE_AI = _define(
    "dl.duplicate_ai",
    Kind.CHECK,
    "AI ({ai}) {title} appears twice in the GS1 Digital Link (character {at}).",
    "The station cannot tell which value is right: set the item aside and report the label.",
)
DL_UNKNOWN_AI = _define(
    "dl.unknown_ai",
    Kind.CHECK,
    "The query parameter '{key}' at character {at} looks like a GS1 Application Identifier but "
    "is not one.",
    _WRONG_LINK,
)
DL_BAD_ESCAPE = _define(
    "dl.bad_escape",
    Kind.CHECK,
    "The value of AI ({ai}) {title} decodes to a forbidden character (character {at}).",
    _WRONG_LINK,
)
DL_IGNORED_PARAMETER = _define(
    "dl.ignored_parameter",
    Kind.NOTE,
    "The query parameter '{name}' (character {at}) is not GS1 data and was ignored.",
)
DL_GTIN_PADDED = _define(
    "dl.gtin_padded",
    Kind.NOTE,
    "The GTIN in the query had {length} digits; it was read as the 14-digit GTIN {gtin}.",
)
