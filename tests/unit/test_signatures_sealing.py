"""Sealing a signing key with a secret, and the signed payload's strict shape (unit level)."""

from __future__ import annotations

import json

import pytest

from station.signatures.content import SignedContent
from station.signatures.errors import WrongSecretError
from station.signatures.manifest import manifestation, signed_time_text
from station.signatures.meaning import WORDS, Meaning
from station.signatures.sealing import KdfParams, default_kdf, seal, unseal

FAST_SCRYPT = KdfParams.scrypt(n=2**10)
FAST_ARGON = KdfParams.argon2id(t=1, m=1024, p=1)


@pytest.mark.parametrize("params", [FAST_SCRYPT, FAST_ARGON])
def test_a_sealed_key_opens_only_with_its_secret_and_context(params: KdfParams) -> None:
    sealed = seal(b"\x01" * 32, "Pin-123456", params, context=b"key-1 lisi")
    assert unseal(sealed, "Pin-123456", params, context=b"key-1 lisi") == b"\x01" * 32
    with pytest.raises(WrongSecretError):
        unseal(sealed, "Pin-123457", params, context=b"key-1 lisi")
    with pytest.raises(WrongSecretError):  # copied onto another user's row
        unseal(sealed, "Pin-123456", params, context=b"key-1 wang")
    with pytest.raises(WrongSecretError):
        unseal(sealed[:-1] + bytes([sealed[-1] ^ 1]), "Pin-123456", params, context=b"key-1 lisi")


def test_the_secret_is_normalised_so_either_unicode_form_opens_the_key() -> None:
    sealed = seal(b"k" * 32, "Caf\u00e9", FAST_SCRYPT, context=b"c")
    assert unseal(sealed, "Cafe\u0301", FAST_SCRYPT, context=b"c") == b"k" * 32


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(WrongSecretError):
        seal(b"k" * 32, "", FAST_SCRYPT, context=b"c")


def test_kdf_parameters_round_trip_and_every_sealing_gets_its_own_salt() -> None:
    assert KdfParams.from_json(FAST_ARGON.to_json()) == FAST_ARGON
    first, second = default_kdf(), default_kdf()
    assert first.salt != second.salt
    assert len(first.salt) == 16
    assert json.loads(first.to_json())["alg"] in ("argon2id", "scrypt")


def test_the_default_scrypt_cost_is_the_owasp_one() -> None:
    assert dict(KdfParams.scrypt().cost) == {"n": 2**17, "r": 8, "p": 1}
    assert dict(KdfParams.argon2id().cost) == {"t": 3, "m": 65536, "p": 4}


def test_an_unknown_kdf_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown key derivation"):
        KdfParams("md5", b"s" * 16, ()).derive("secret")


CONTENT = SignedContent(
    "lisi", "李四", "rejected", "2026-12-07T14:03:12.000+08:00", None, "event", "urn:uuid:1",
    3, "ab" * 32, "cd" * 32, "ST-01", ("badge", "pin"),
)  # fmt: skip


@pytest.mark.parametrize(
    "edit",
    [
        {"extra": 1},
        {"record_version": "3"},
        {"record_version": True},
        {"credentials": "pin"},
        {"printed_name": None},
        {"tz_name": 8},
    ],
)
def test_a_payload_with_other_fields_or_types_is_refused(edit: dict[str, object]) -> None:
    data = {**CONTENT.as_json(), **edit}
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError: the message varies by field
        SignedContent.from_json(json.dumps(data))


def test_a_payload_missing_a_field_is_refused() -> None:
    data = CONTENT.as_json()
    del data["meaning"]
    with pytest.raises(ValueError, match="expected"):
        SignedContent.from_json(json.dumps(data))


def test_the_manifestation_in_both_languages() -> None:
    assert manifestation(CONTENT) == "李四 (lisi) — Rejected — 2026-12-07 14:03:12 +08:00"
    assert manifestation(CONTENT, "zh_CN") == "李四 (lisi) — 已拒绝 — 2026-12-07 14:03:12 +08:00"
    assert manifestation(CONTENT, "fr") == manifestation(CONTENT)


def test_every_meaning_has_words_in_every_language() -> None:
    for words in WORDS.values():
        assert set(words) == set(Meaning)
    assert [m.word("zh_CN") for m in Meaning] == ["已审核", "已批准", "已放行", "已拒绝"]


def test_a_time_that_cannot_be_read_is_shown_as_stored() -> None:
    assert signed_time_text("yesterday") == "yesterday"
    assert signed_time_text("2026-12-07T14:03:12") == "2026-12-07T14:03:12"
