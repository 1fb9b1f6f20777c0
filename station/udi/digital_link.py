"""GS1 Digital Link URIs, uncompressed form: ``https://<domain>[/stem]/01/<GTIN>/10/<lot>?17=…``.

The path holds a primary key (``01``, ``00``, ``8006`` …) and its qualifiers in the order the
dictionary's ``dlpkey`` attribute fixes (for a GTIN: 22, 10, 21 or 235); the query holds data
attributes (AIs flagged ``?``). Values are percent-decoded, then validated by the same engine as
element strings (:mod:`station.udi.gs1_validate`), pairing rules included. Compressed Digital
Links are recognised and reported as unsupported. The station never resolves the URI.

>>> from datetime import date
>>> from station.udi.normalize import ReaderConfig, normalize
>>> uri = "https://id.gs1.org/01/04012345123456/10/LOT-A1/21/SN0001?17=261231"
>>> looks_like_digital_link(uri), looks_like_digital_link("https://example.com/manual.pdf")
(True, False)
>>> code = parse_digital_link(normalize(uri, ReaderConfig(today=date(2026, 11, 24))))
>>> code.valid, code.gtin, code.lot, code.serial, code.expiry.isoformat()
(True, '04012345123456', 'LOT-A1', 'SN0001', '2026-12-31')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.udi import gs1_issues as issues
from station.udi.gs1_issues import report
from station.udi.gs1_table import AI_TABLE
from station.udi.gs1_validate import RawElement, finish, read_elements, title
from station.udi.model import Draft, ParsedCode, Scheme
from station.udi.normalize import ScanInput

__all__ = ["looks_like_digital_link", "parse_digital_link", "valid_key_path"]

_SCHEMES = ("https://", "http://", "HTTPS://", "HTTP://")  # mixed case is not accepted
_URI_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_BAD_DOMAIN_CHARS = frozenset("_~?#@!$&'()*+,;=%")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
# A compressed Digital Link path is one long base64url segment; requiring upper case, lower case
# and a digit keeps ordinary page names (``manual.pdf``, ``stent-x200``) out.
_COMPRESSED = re.compile(r"(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9_-]{10,}")


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class _Uri:
    path: tuple[_Segment, ...]  # the segments after the domain
    query: str
    query_start: int


def _scheme_length(text: str) -> int:
    for scheme in _SCHEMES:
        if text.startswith(scheme):
            return len(scheme)
    return 0


def _segments(text: str, start: int, end: int) -> tuple[_Segment, ...]:
    """The '/'-separated segments of ``text[start:end]`` (which starts with '/')."""
    out: list[_Segment] = []
    pos = start + 1
    while pos <= end:
        slash = text.find("/", pos, end)
        stop = end if slash < 0 else slash
        out.append(_Segment(text[pos:stop], pos))
        pos = stop + 1
    return tuple(out)


def _split_uri(text: str) -> tuple[_Uri | None, str, int]:
    """Split a URI into path segments and query, or say why it is not one: (uri, reason, at)."""
    for index, char in enumerate(text):
        if char not in _URI_CHARS:
            return None, f"the character {char!r} is not allowed in a web address", index
    scheme = _scheme_length(text)
    if not scheme:
        return None, "it must start with https:// or http://", 0
    slash = text.find("/", scheme)
    if slash < 0:
        return None, "it has no path after the domain", len(text)
    if slash == scheme:
        return None, "it has no domain", scheme
    for index in range(scheme, slash):
        if text[index] in _BAD_DOMAIN_CHARS:
            return None, f"the domain contains {text[index]!r}", index
    end = text.find("#", slash)
    end = len(text) if end < 0 else end  # a fragment is never data
    question = text.find("?", slash, end)
    path_end = end if question < 0 else question
    query_start = path_end + 1 if question >= 0 else end
    return _Uri(_segments(text, slash, path_end), text[query_start:end], query_start), "", 0


def _key_index(path: tuple[_Segment, ...]) -> int | None:
    """Index of the primary key AI: walk /AI/value pairs from the right while AIs are known."""
    index = len(path) - 2
    while index >= 0:
        spec = AI_TABLE.get(path[index].text)
        if spec is None:
            return None
        if spec.dlpkey is not None:
            return index
        index -= 2
    return None


def looks_like_digital_link(text: str) -> bool:
    """An http(s) URI with a GS1 primary key and value in its path."""
    if not _scheme_length(text):
        return False
    uri, _, _ = _split_uri(text)
    if uri is None:
        return False
    key = _key_index(uri.path)
    return key is not None and bool(uri.path[key + 1].text)


def might_be_compressed(text: str) -> bool:
    """An http(s) URI whose last path segment could be a compressed Digital Link.

    Only a hint: an ordinary web address can look the same (``/Product123``), so such a scan is
    read as an unknown format with a note, never as a GS1 code.
    """
    if not _scheme_length(text):
        return False
    uri, _, _ = _split_uri(text)
    return uri is not None and _key_index(uri.path) is None and _compressed_segment(uri) is not None


def _compressed_segment(uri: _Uri) -> str | None:
    last = uri.path[-1].text if uri.path else ""
    return last if _COMPRESSED.fullmatch(last) else None


def _is_subsequence(items: list[str], sequence: tuple[str, ...]) -> bool:
    remaining = iter(sequence)
    return all(item in remaining for item in items)


def valid_key_path(ais: list[str]) -> bool:
    """Is ``[key, qualifier, …]`` a valid Digital Link path per the key's ``dlpkey`` rules?

    >>> valid_key_path(["01", "22", "21"]), valid_key_path(["01", "21", "10"])
    (True, False)
    >>> valid_key_path(["01", "235"]), valid_key_path(["01", "10", "235"])
    (True, False)
    """
    spec = AI_TABLE.get(ais[0]) if ais else None
    if spec is None or spec.dlpkey is None:
        return False
    return any(_is_subsequence(ais[1:], alternative) for alternative in spec.dlpkey)


def _decode(value: str, *, query: bool) -> str | None:
    """Percent-decode one value (``+`` is a space only in the query); None if it hides a NUL."""
    if query:
        value = value.replace("+", " ")
    if "%" not in value:
        return value
    decoded = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), value)
    return None if "\x00" in decoded else decoded


def _describe_path(ais: list[str]) -> str:
    return "".join(f"/{ai}/…" for ai in ais)


def _allowed_paths(key: str) -> str:
    described = [
        ", ".join(f"/{ai}" for ai in alternative)
        + (" (in this order, each optional)" if len(alternative) > 1 else "")
        for alternative in AI_TABLE[key].dlpkey or ()
        if alternative
    ]
    return " or ".join(described) if described else "no qualifiers"


def parse_digital_link(scan: ScanInput) -> ParsedCode:
    """Read an uncompressed GS1 Digital Link URI into a GS1 reading. Never raises on content."""
    draft = Draft(scan.raw, scan.symbology, scan.text, Scheme.GS1_DIGITAL_LINK, [], [*scan.issues])
    text = scan.text
    uri, reason, at = _split_uri(text)
    if uri is None:
        report(draft, issues.DL_MALFORMED, at, reason=reason)
        return draft.finish()
    key_index = _key_index(uri.path)
    if key_index is None:
        segment = _compressed_segment(uri)
        if segment is not None:
            report(draft, issues.DL_COMPRESSED, uri.path[-1].start, segment=segment)
        else:
            report(draft, issues.DL_NO_PRIMARY_KEY)
        return draft.finish()
    raws = _path_elements(draft, uri.path[key_index:])
    path_ais = [raw.ai for raw in raws]
    if not valid_key_path(path_ais):
        report(
            draft,
            issues.DL_QUALIFIER_ORDER,
            uri.path[key_index].start,
            key=path_ais[0],
            found=_describe_path(path_ais[1:]),
            allowed=_allowed_paths(path_ais[0]),
        )
    raws.extend(_query_elements(draft, uri, raws))
    fields = read_elements(draft, raws, scan.config.reference_date())
    return finish(draft, fields, len(scan.issues))


def _path_elements(draft: Draft, pairs: tuple[_Segment, ...]) -> list[RawElement]:
    raws: list[RawElement] = []
    for index in range(0, len(pairs), 2):
        ai, value = pairs[index], pairs[index + 1]
        decoded = _decode(value.text, query=False)
        if decoded is None:
            spec = AI_TABLE[ai.text]
            report(draft, issues.DL_BAD_ESCAPE, value.start, ai=ai.text, title=title(spec))
            decoded = value.text
        raws.append(
            RawElement(ai.text, decoded, value.start, ai.start, exact=decoded == value.text)
        )
    return raws


def _belongs_in_path(path_ais: list[str], name: str) -> bool:
    """Would ``name`` inserted after the key give a valid key path (so it belongs there)?

    A path that already holds as many AIs as the longest qualifier sequence cannot take one
    more; checking that first keeps the work constant however long a hostile path is.
    """
    longest = max((len(sequence) for sequence in AI_TABLE[path_ais[0]].dlpkey or ()), default=0)
    if len(path_ais) > longest:
        return False
    return any(
        valid_key_path([*path_ais[:cut], name, *path_ais[cut:]])
        for cut in range(1, len(path_ais) + 1)
    )


def _query_elements(draft: Draft, uri: _Uri, path: list[RawElement]) -> list[RawElement]:
    raws: list[RawElement] = []
    path_ais = [raw.ai for raw in path]
    earlier: dict[str, str] = {}  # AI -> the first value given for it
    for raw in path:
        earlier.setdefault(raw.ai, raw.value)
    pos = uri.query_start
    for param in uri.query.split("&"):
        start, pos = pos, pos + len(param) + 1
        if not param:
            continue  # extra '&' separators carry nothing
        name, equals, value = param.partition("=")
        if not (equals and name.isdigit() and name.isascii()):
            report(draft, issues.DL_IGNORED_PARAMETER, start, name=name)
            continue
        spec = AI_TABLE.get(name)
        if spec is None:
            report(draft, issues.DL_UNKNOWN_AI, start, key=name)
            continue
        value_start = start + len(name) + 1
        decoded = _decode(value, query=True)
        if decoded is None:
            report(draft, issues.DL_BAD_ESCAPE, value_start, ai=name, title=title(spec))
            continue
        if name == "01" and len(decoded) in (8, 12, 13) and decoded.isdigit():
            report(
                draft,
                issues.DL_GTIN_PADDED,
                value_start,
                length=len(decoded),
                gtin=decoded.rjust(14, "0"),
            )
            decoded = decoded.rjust(14, "0")
        if name in earlier:
            report(draft, issues.DL_DUPLICATE_AI, start, ai=name, title=title(spec))
            if earlier[name] != decoded:  # kept, so that neither value becomes a record field
                raws.append(RawElement(name, decoded, value_start, start, exact=decoded == value))
            continue
        earlier[name] = decoded
        if not spec.dl_attr:
            report(draft, issues.DL_NOT_ATTRIBUTE, start, ai=name, title=title(spec))
        elif _belongs_in_path(path_ais, name):
            report(
                draft,
                issues.DL_BELONGS_IN_PATH,
                start,
                ai=name,
                title=title(spec),
                key=path_ais[0],
            )
        raws.append(RawElement(name, decoded, value_start, start, exact=decoded == value))
    return raws
