"""The manifestation of a signature (P11-S1): printed name, user name, meaning, local time.

Everything shown comes from the signed payload, never from the user table (P11-S2).

>>> from station.signatures.content import SignedContent
>>> c = SignedContent("lisi", "Li Si", "released", "2026-12-07T14:03:12.345+08:00", None,
...     "event", "urn:uuid:1", 7, "ab" * 32, "cd" * 32, "ST-01", ("pin",))
>>> manifestation(c)
'Li Si (lisi) — Released — 2026-12-07 14:03:12 +08:00'
>>> manifestation(c, "zh_CN")
'Li Si (lisi) — 已放行 — 2026-12-07 14:03:12 +08:00'
"""

from __future__ import annotations

from datetime import datetime

from station.context import offset_text
from station.signatures.chain import RecordedSignature
from station.signatures.content import SignedContent
from station.signatures.meaning import Meaning
from station.signatures.verify import SignatureCheck

__all__ = ["manifestation", "meaning_word", "signed_time_text"]


def signed_time_text(signed_at: str) -> str:
    """The signing time as it was on the station's clock, with its UTC offset.

    >>> signed_time_text("2026-12-07T06:03:12.000+00:00")
    '2026-12-07 06:03:12 +00:00'
    """
    try:
        moment = datetime.fromisoformat(signed_at)
    except ValueError:
        return signed_at
    if moment.tzinfo is None:
        return signed_at  # never written so; show what is stored rather than guess a zone
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset_text(moment)}"


def meaning_word(meaning: str, language: str = "en") -> str:
    """The meaning in ``language``; a stored value the station does not know is shown as is."""
    try:
        return Meaning(meaning).word(language)
    except ValueError:
        return meaning


def manifestation(
    signature: RecordedSignature | SignedContent | SignatureCheck, language: str = "en"
) -> str:
    """``"Li Si (lisi) — Released — 2026-12-07 14:03:12 +08:00"``, in ``en`` or ``zh_CN``.

    For a stored row whose payload is unreadable, the query columns are shown instead (its
    verification says ``bad_signature``).
    """
    if isinstance(signature, SignatureCheck):
        signature = signature.content or signature.signature
    if isinstance(signature, RecordedSignature):
        try:
            content = signature.content()
        except (TypeError, ValueError):
            word = meaning_word(signature.meaning, language)
            return f"? ({signature.signer}) — {word} — {signed_time_text(signature.signed_at)}"
    else:
        content = signature
    word = meaning_word(content.meaning, language)
    when = signed_time_text(content.signed_at)
    return f"{content.printed_name} ({content.signer_id}) — {word} — {when}"
