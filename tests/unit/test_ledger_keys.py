"""The station key store (keyring, or a 0600 file with a warning) and signed checkpoints (TAM-3)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from sqlalchemy import Engine

from station.errors import ConfigError
from station.ledger.chain import GENESIS, append_audit, append_event
from station.ledger.checkpoint import (
    CheckpointPolicy,
    Heads,
    chain_heads,
    latest_checkpoint,
    make_checkpoint,
    should_checkpoint,
    signed_message,
)
from station.ledger.keys import SERVICE, KeyStore, is_secure_backend, key_id, load_public_key
from tests.unit.test_chain import engine, sample_audit, sample_event  # noqa: F401 - fixture

pytestmark = pytest.mark.req("TAM-3")


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring that lives in memory (tests only)."""

    priority = 1

    def __init__(self) -> None:  # the base __init__ only reads settings from the environment
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The process-wide keyring replaced by an in-memory one, as ``keyring.set_keyring`` does."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def failing() -> KeyringBackend:
    """keyring's "fail" backend: what this machine has, and what the file fallback is for."""
    return fail.Keyring()  # type: ignore[no-untyped-call]


def null_keyring() -> KeyringBackend:
    return null.Keyring()  # type: ignore[no-untyped-call]


def raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


# ----------------------------------------------------------------------------- key store


def test_secure_keyring_holds_the_key(
    memory_keyring: MemoryKeyring, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = KeyStore("ST01", tmp_path)
    key = store.private_key()
    assert not store.insecure
    assert memory_keyring.secrets == {(SERVICE, "ST01"): raw_private(key).hex()}
    assert list(tmp_path.iterdir()) == []  # nothing on disk
    again = KeyStore("ST01", tmp_path).private_key()  # a restart loads the same key
    assert raw_private(again) == raw_private(key)
    assert raw_private(key).hex() not in caplog.text


def test_fail_keyring_falls_back_to_an_owner_only_file_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = KeyStore("ST01", tmp_path, failing())
    key = store.private_key()
    assert store.insecure
    assert "file" in store.location
    assert stat.S_IMODE(store.key_file.stat().st_mode) == 0o600
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings
    assert "no secure OS keyring" in warnings[0].getMessage()
    secret = raw_private(key)
    pem = store.key_file.read_bytes()
    for needle in (secret.hex(), pem.decode().splitlines()[1]):
        assert needle not in caplog.text
    reloaded = KeyStore("ST01", tmp_path, failing()).private_key()
    assert raw_private(reloaded) == secret


def test_the_machines_default_keyring_is_refused_here(tmp_path: Path) -> None:
    # On this machine the default backend is "fail": the file fallback must kick in.
    store = KeyStore("ST01", tmp_path)
    if is_secure_backend(keyring.get_keyring()):
        pytest.skip("this machine has a secure keyring")
    store.private_key()
    assert store.insecure
    assert store.key_file.exists()


def test_an_existing_key_file_wins_over_a_new_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    first = KeyStore("ST01", tmp_path, failing()).private_key()
    later = KeyStore("ST01", tmp_path).private_key()  # a secure keyring appeared since
    assert raw_private(later) == raw_private(first)
    assert memory_keyring.secrets == {}


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    store = KeyStore("ST01", tmp_path, failing())
    store.private_key()
    store.key_file.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        KeyStore("ST01", tmp_path, failing()).private_key()


@pytest.mark.parametrize("code", ["", "../x", "a/b", ".hidden", "x" * 65, "站"])
def test_station_codes_that_could_escape_the_directory_are_refused(
    tmp_path: Path, code: str
) -> None:
    with pytest.raises(ConfigError):
        KeyStore(code, tmp_path)


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's plaintext backend."""


def test_which_backends_count_as_secure() -> None:
    assert is_secure_backend(MemoryKeyring())
    assert not is_secure_backend(failing())
    assert not is_secure_backend(null_keyring())
    assert not is_secure_backend(PlaintextKeyring())
    assert not is_secure_backend(chained(MemoryKeyring(), failing()))
    assert is_secure_backend(chained(MemoryKeyring()))
    assert not is_secure_backend(chained())


def chained(*backends: KeyringBackend) -> KeyringBackend:
    class Chained(chainer.ChainerBackend):
        def __init__(self) -> None:
            pass

    Chained.backends = list(backends)  # type: ignore[assignment]
    return Chained()


def test_export_public_key_round_trips(memory_keyring: KeyringBackend, tmp_path: Path) -> None:
    store = KeyStore("ST01", tmp_path)
    out = tmp_path / "st01.pem"
    store.export_public(out)
    assert out.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert key_id(load_public_key(out)) == key_id(store.public_key())
    assert KeyStore("ST01", tmp_path).existing_public_key() is not None
    assert KeyStore("ST02", tmp_path).existing_public_key() is None  # never creates


def test_cli_exports_the_public_key(tmp_path: Path) -> None:
    out = tmp_path / "pub.pem"
    # Pinned to the "fail" backend: a developer's real keyring is never touched by tests.
    env = os.environ | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run(
        [
            *(sys.executable, "-m", "ui.cli", "key", "export-public"),
            *("--db", str(tmp_path / "s.db"), "--station", "ST01", "--out", str(out)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    public = load_public_key(out)
    assert key_id(public) in result.stdout
    assert "WARNING: no secure OS keyring" in result.stderr
    private = KeyStore("ST01", tmp_path, failing()).private_key()
    assert key_id(private.public_key()) == key_id(public)


# ----------------------------------------------------------------------------- checkpoints


def test_checkpoint_signs_both_heads(engine: Engine, memory_keyring: KeyringBackend) -> None:  # noqa: F811
    store = KeyStore("ST01", Path("/nonexistent"))
    when = datetime(2026, 11, 24, 8, 15, 30, 123000, tzinfo=UTC)
    with engine.begin() as conn:
        assert chain_heads(conn) == Heads(0, GENESIS, 0, GENESIS)
        event = append_event(conn, sample_event(1))
        audit = append_audit(conn, sample_audit(1))
        row = make_checkpoint(conn, store, "ST01", when)
    with engine.connect() as conn:
        stored = latest_checkpoint(conn)
    assert stored == row
    assert stored is not None
    assert (stored["event_seq"], stored["event_head"]) == (event.seq, event.hash)
    assert (stored["audit_seq"], stored["audit_head"]) == (audit.seq, audit.hash)
    assert stored["created_at"] == "2026-11-24T08:15:30.123Z"
    assert stored["key_id"] == key_id(store.public_key())
    message = signed_message(stored)
    expected = (
        f'{{"audit_head":"{audit.hash}","audit_seq":1,"created_at":"2026-11-24T08:15:30.123Z",'
        f'"event_head":"{event.hash}","event_seq":1,"station":"ST01"}}'
    )
    assert message == expected.encode()
    signature = bytes.fromhex(str(stored["signature"]))
    store.public_key().verify(signature, message)
    for position in range(len(message)):  # any flipped bit → InvalidSignature
        flipped = bytearray(message)
        flipped[position] ^= 1 << (position % 8)
        with pytest.raises(InvalidSignature):
            store.public_key().verify(signature, bytes(flipped))
    with pytest.raises(InvalidSignature):
        Ed25519PrivateKey.generate().public_key().verify(signature, message)


def test_should_checkpoint_policy() -> None:
    policy = CheckpointPolicy(every_records=100, every=timedelta(minutes=15))
    t0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    last = {"event_seq": 50, "audit_seq": 10, "created_at": "2026-11-24T08:00:00.000Z"}

    def heads(events: int, audits: int) -> Heads:
        return Heads(events, "a" * 64, audits, "b" * 64)

    assert not should_checkpoint(policy, heads(0, 0), None, t0)  # empty ledger
    assert should_checkpoint(policy, heads(1, 0), None, t0)  # first record ever
    assert not should_checkpoint(policy, heads(50, 10), last, t0 + timedelta(hours=5))  # idle
    assert not should_checkpoint(policy, heads(149, 10), last, t0 + timedelta(minutes=14))
    assert should_checkpoint(policy, heads(150, 10), last, t0)  # N records
    assert should_checkpoint(policy, heads(100, 60), last, t0)  # audit entries count too
    assert should_checkpoint(policy, heads(51, 10), last, t0 + timedelta(minutes=15))  # T
