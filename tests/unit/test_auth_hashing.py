"""How secrets are kept: argon2id over a keyring pepper (AUTH-1, AUTH-2, SEC-1)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from station.auth import hashing
from station.auth.hashing import (
    OWASP_MINIMUM,
    PRODUCTION,
    HashParameters,
    active_parameters,
    cheap_parameters_for_tests,
    hash_secret,
    needs_rehash,
    verify_secret,
)
from station.auth.pepper import PEPPER_BYTES, SERVICE, PepperStore, pepper_id
from station.auth.policy import AuthPolicy
from station.config import parse_settings
from station.errors import ConfigError

PEPPER = bytes(range(32))


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring in memory (tests only)."""

    priority = 1

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


def _insecure() -> KeyringBackend:
    return fail.Keyring()  # type: ignore[no-untyped-call]


@pytest.mark.req("AUTH-1")
def test_production_parameters_are_the_default_and_meet_the_owasp_minimum() -> None:
    assert active_parameters() == PRODUCTION
    assert PRODUCTION.at_least(OWASP_MINIMUM)
    assert HashParameters(time_cost=2, memory_kib=19456, parallelism=1) == OWASP_MINIMUM
    stored = hash_secret(PEPPER, "204613")  # the real cost, once
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=1$")
    assert verify_secret(stored, PEPPER, "204613")
    assert not needs_rehash(stored)


@pytest.mark.req("AUTH-1")
def test_the_test_hook_is_scoped_and_a_hash_from_other_parameters_needs_a_rehash() -> None:
    with cheap_parameters_for_tests() as cheap:
        assert active_parameters() == cheap
        stored = hash_secret(PEPPER, "204613")
        assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert not needs_rehash(stored)
        other = HashParameters(time_cost=2, memory_kib=16, parallelism=1)
        with cheap_parameters_for_tests(other):
            assert needs_rehash(stored)
            assert verify_secret(stored, PEPPER, "204613")  # still verifies: then rehashed
    assert active_parameters() == PRODUCTION
    assert hashing._active is PRODUCTION
    assert needs_rehash("not a hash")


@pytest.mark.req("AUTH-2")
def test_without_the_pepper_a_known_secret_fails() -> None:
    with cheap_parameters_for_tests():
        stored = hash_secret(PEPPER, "204613")
        assert verify_secret(stored, PEPPER, "204613")
        assert not verify_secret(stored, None, "204613")
        assert not verify_secret(stored, bytes(32), "204613")
        assert not verify_secret("$argon2id$garbage", PEPPER, "204613")


def test_a_pin_typed_in_full_width_digits_is_the_same_pin() -> None:
    with cheap_parameters_for_tests():
        stored = hash_secret(PEPPER, "204613")
        assert verify_secret(stored, PEPPER, "２０４６１３")


@pytest.mark.req("SEC-1")
def test_the_pepper_lives_in_a_secure_keyring_and_is_never_created_by_reading(
    tmp_path: Path,
) -> None:
    backend = MemoryKeyring()
    store = PepperStore(tmp_path, backend)
    assert store.existing() is None  # verifying never creates one
    pepper = store.get_or_create()
    assert len(pepper) == PEPPER_BYTES
    assert backend.secrets[(SERVICE, "pepper")] == pepper.hex()
    assert not store.insecure
    assert not store.pepper_file.exists()
    assert PepperStore(tmp_path, backend).existing() == pepper
    assert pepper_id(pepper) != pepper.hex()[:16]


@pytest.mark.req("SEC-1")
def test_an_insecure_keyring_means_an_owner_only_file_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = PepperStore(tmp_path, _insecure())
    with caplog.at_level(logging.WARNING):
        pepper = store.get_or_create()
    assert store.insecure
    assert "no secure OS keyring" in caplog.text
    assert pepper.hex() not in caplog.text
    if os.name == "posix":
        assert stat.S_IMODE(store.pepper_file.stat().st_mode) == 0o600
        assert PepperStore(tmp_path, _insecure()).existing() == pepper
        store.pepper_file.chmod(0o644)
        with pytest.raises(ConfigError, match="readable by other users"):
            PepperStore(tmp_path, _insecure()).existing()


@pytest.mark.req("AUTH-4")
def test_the_auth_settings_make_the_policy_and_the_idle_timeout_is_1_to_15_minutes() -> None:
    settings = parse_settings(
        "version = 1\n[auth]\nidle_timeout_minutes = 15\npin_expiry_days = 0\n"
        "user_list_max_age_hours = 24\n[sync]\nconnector = 'epcis'\n"
    )
    policy = AuthPolicy.from_settings(settings)
    assert policy.idle_timeout.total_seconds() == 15 * 60
    assert policy.secret_expiry is None
    assert policy.user_list_max_age is not None
    assert policy.user_list_max_age.total_seconds() == 24 * 3600
    standalone = AuthPolicy.from_settings(parse_settings("version = 1\n"))
    assert standalone.user_list_max_age is None  # own users are never stale
    assert standalone.idle_timeout.total_seconds() == 300
    with pytest.raises(ConfigError, match="idle_timeout_minutes"):
        parse_settings("version = 1\n[auth]\nidle_timeout_minutes = 16\n")
