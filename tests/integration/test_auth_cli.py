"""``station user``: first admin, add, review, unlock refusals; secrets only from stdin."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from keyring.backends import fail

from ui.cli import main


def station(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    # Never the developer's real keyring: the pepper and station key go to owner-only files.
    monkeypatch.setattr("keyring.get_keyring", fail.Keyring)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(args)


def root_and_li(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[str], list[str]]:
    """A new station database with the administrator root and li (QA, badge B-7); returns
    the database, the settings options and li's ``user add`` command line."""
    db, settings = str(tmp_path / "s.sqlite"), ["--settings", str(tmp_path / "none.toml")]
    first = ["user", "first-admin", "--db", db, "--username", "root", "--name", "Root"]
    assert station([*first, "--secret-stdin", *settings], "admin-passphrase-1\n", monkeypatch) == 0
    add = ["user", "add", "--db", db, "--username", "li", "--name", "Li Na", "--roles", "qa"]
    add += ["--badge", "B-7", "--role", "admin", "--user", "root", "--secret-stdin", *settings]
    assert station(add, "204613\n", monkeypatch) == 0
    return db, settings, add


@pytest.mark.req("P11-U5")
def test_first_admin_add_and_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, settings, add = root_and_li(tmp_path, monkeypatch)
    assert station(add, "204613\n", monkeypatch) == 2  # users are never reused
    assert "exists already" in capsys.readouterr().err
    assert main(["user", "review", "--db", db, "--json"]) == 0
    rows = {r["username"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["li"]["must_change"] is True
    assert rows["li"]["roles"] == ["qa"]
    assert rows["root"]["secret_kind"] == "password"
    weak = ["user", "reset", "li", "--db", db, "--role", "admin", "--secret-stdin", *settings]
    assert station(weak, "12345\n", monkeypatch) == 2
    err = capsys.readouterr().err
    assert "at least 6 digits" in err
    assert "12345" not in err
    unlock = ["user", "unlock", "li", "--reason", "x", "--db", db, "--role", "operator"]
    assert station([*unlock, *settings], "", monkeypatch) == 2
    assert "may not" in capsys.readouterr().err


@pytest.mark.req("P11-U1")
def test_badges_are_issued_and_withdrawn_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, settings, _add = root_and_li(tmp_path, monkeypatch)
    admin = ["--db", db, "--role", "admin", "--user", "root", *settings]
    new = ["user", "badge", "li", "B-8", "--reason", "damaged", *admin]
    assert station(new, "", monkeypatch) == 0
    assert "issued a new badge to li" in capsys.readouterr().out
    # The withdrawn B-7 is never issued again, to anyone.
    again = ["user", "badge", "li", "B-7", *admin]
    assert station(again, "", monkeypatch) == 2
    assert "never issued twice" in capsys.readouterr().err
    withdraw = ["user", "withdraw-badge", "li", "--reason", "lost on the line", *admin]
    assert station(withdraw, "", monkeypatch) == 0
    assert station(withdraw, "", monkeypatch) == 2  # nothing left to withdraw
    assert "holds no badge" in capsys.readouterr().err
    assert main(["user", "review", "--db", db, "--json"]) == 0
    rows = {r["username"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["li"]["badge"] is None
    by_operator = ["user", "badge", "li", "B-9", "--db", db, "--role", "operator", *settings]
    assert station(by_operator, "", monkeypatch) == 2
    assert "may not" in capsys.readouterr().err
