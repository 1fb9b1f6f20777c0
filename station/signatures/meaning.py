"""What a signature means (21 CFR 11.50(a)(3)), in the words reports print.

The English words are the stored values; the UI translates them, and reports rendered outside
Qt take the zh_CN words from :data:`WORDS`.

>>> Meaning("released").word("zh_CN"), Meaning.REVIEWED.word("en")
('已放行', 'Reviewed')
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LANGUAGES", "STATUS_WORDS", "WORDS", "Meaning"]


class Meaning(StrEnum):
    REVIEWED = "reviewed"
    APPROVED = "approved"
    RELEASED = "released"
    REJECTED = "rejected"

    def word(self, language: str = "en") -> str:
        """The meaning as a report prints it; unknown languages fall back to English."""
        return WORDS.get(language, WORDS["en"])[self]


#: language → meaning → word. Data, so reports outside Qt print the same words as the screens.
WORDS: dict[str, dict[Meaning, str]] = {
    "en": {
        Meaning.REVIEWED: "Reviewed",
        Meaning.APPROVED: "Approved",
        Meaning.RELEASED: "Released",
        Meaning.REJECTED: "Rejected",
    },
    "zh_CN": {
        Meaning.REVIEWED: "已审核",
        Meaning.APPROVED: "已批准",
        Meaning.RELEASED: "已放行",
        Meaning.REJECTED: "已拒绝",
    },
}
LANGUAGES = tuple(WORDS)

#: language → verification status (``station.signatures.verify.SignatureStatus``) → words.
STATUS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "valid": "valid",
        "record_changed": "record changed after signing",
        "record_voided": "record declared in error",
        "bad_signature": "signature invalid",
        "wrong_record": "signature belongs to another record",
        "unknown_key": "unknown signing key",
    },
    "zh_CN": {
        "valid": "有效",
        "record_changed": "签名后记录已更改",
        "record_voided": "记录已声明错误",
        "bad_signature": "签名无效",
        "wrong_record": "签名属于其他记录",
        "unknown_key": "未知签名密钥",
    },
}
