"""The reference ERP behind a bearer token and over TLS, with real certificates on loopback."""

from __future__ import annotations

import logging
import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.erp_sim import ErpSim
from tests.integration.test_erp_sim import _first_line, document, events
from tests.support_tls import TlsFiles, make_ca, make_ca_and_server_cert

TIMEOUT = 5.0
LD = {"Content-Type": "application/ld+json"}


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite", token="s3cret") as server:
        yield server


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_ca_and_server_cert(tmp_path_factory.mktemp("tls"))


def trusting(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", "Basic czNjcmV0", "s3cret", "Bearer", "bearer s3cret!"]
)
def test_without_the_token_every_request_is_401(guarded: ErpSim, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in (
        ("GET", "/events"),
        ("GET", "/sync/master/products"),
        ("POST", "/capture"),
        ("POST", "/webhook/events"),
        ("POST", "/admin/master/compact"),
    ):
        response = httpx.request(
            method,
            guarded.url + path,
            content=document(events(1)) if method == "POST" else None,
            headers=LD | headers,
            timeout=TIMEOUT,
        )
        assert response.status_code == 401, (method, path)
        assert response.headers["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == "epcisException:SecurityException"
        assert problem["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert guarded.storage.event_count() == 0


def test_with_the_token_requests_pass_and_options_needs_none(guarded: ErpSim) -> None:
    assert httpx.options(f"{guarded.url}/capture", timeout=TIMEOUT).status_code == 204
    auth = {"Authorization": "Bearer s3cret"}
    captured = httpx.post(
        f"{guarded.url}/capture", content=document(events(1)), headers=LD | auth, timeout=TIMEOUT
    )
    assert captured.status_code == 202
    lower = {"Authorization": "bearer s3cret"}  # the scheme is case-insensitive
    assert httpx.get(f"{guarded.url}/events", headers=lower, timeout=TIMEOUT).status_code == 200
    assert guarded.authorizations_seen == ["Bearer s3cret", "bearer s3cret"]


def test_authorizations_seen_records_every_header(tmp_path: Path) -> None:
    with ErpSim(tmp_path / "erp.sqlite") as erp:  # no token required
        httpx.get(f"{erp.url}/events", timeout=TIMEOUT)
        assert erp.authorizations_seen == []
        httpx.get(f"{erp.url}/events", headers={"Authorization": "Bearer x"}, timeout=TIMEOUT)
        assert erp.authorizations_seen == ["Bearer x"]


def test_tls_client_trusting_the_ca_succeeds(tmp_path: Path, tls_files: TlsFiles) -> None:
    tls = (tls_files.server_cert, tls_files.server_key)
    with ErpSim(tmp_path / "erp.sqlite", tls=tls, token="t") as erp:
        assert erp.url.startswith("https://127.0.0.1:")
        with httpx.Client(verify=trusting(tls_files.ca_cert), timeout=TIMEOUT) as client:
            assert client.options(f"{erp.url}/capture").status_code == 204
            response = client.post(
                f"{erp.url}/capture",
                content=document(events(2)),
                headers=LD | {"Authorization": "Bearer t"},
            )
            assert response.status_code == 202
            job = client.get(
                erp.url + response.headers["Location"], headers={"Authorization": "Bearer t"}
            )
            assert job.json()["success"] is True
        assert erp.storage.event_count() == 2


@pytest.mark.parametrize("trust", ["other-ca", "system"])
def test_tls_client_trusting_another_ca_fails_the_handshake(
    tmp_path: Path, tls_files: TlsFiles, trust: str, caplog: pytest.LogCaptureFixture
) -> None:
    verify: ssl.SSLContext | bool = (
        trusting(make_ca(tmp_path / "other")) if trust == "other-ca" else True
    )
    tls = (tls_files.server_cert, tls_files.server_key)
    with (
        caplog.at_level(logging.WARNING, logger="sync.erp_sim"),
        ErpSim(tmp_path / "erp.sqlite", tls=tls, token="t") as erp,
    ):
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(
                f"{erp.url}/events",
                headers={"Authorization": "Bearer t"},
                verify=verify,
                timeout=TIMEOUT,
            )
        assert erp.authorizations_seen == []  # the token never left the client
        # the server still serves a client that trusts its CA
        good = httpx.get(
            f"{erp.url}/events",
            headers={"Authorization": "Bearer t"},
            verify=trusting(tls_files.ca_cert),
            timeout=TIMEOUT,
        )
        assert good.status_code == 200
    failures = [r for r in caplog.records if r.name == "sync.erp_sim" and "ended" in r.message]
    assert failures, "the handshake failure is logged"
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in failures)


def test_plain_http_to_the_tls_port_gets_no_answer(tmp_path: Path, tls_files: TlsFiles) -> None:
    tls = (tls_files.server_cert, tls_files.server_key)
    with ErpSim(tmp_path / "erp.sqlite", tls=tls) as erp:
        plain = erp.url.replace("https://", "http://")
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{plain}/events", headers={"Authorization": "Bearer t"}, timeout=TIMEOUT)
        assert erp.authorizations_seen == []


def test_cli_serves_https_with_a_token_from_the_environment(
    tmp_path: Path, tls_files: TlsFiles
) -> None:
    command = [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0"]
    command += ["--db", str(tmp_path / "erp.sqlite")]
    command += ["--tls-cert", str(tls_files.server_cert), "--tls-key", str(tls_files.server_key)]
    environment = {**os.environ, "UDI_ERP_SIM_TOKEN": "env-token"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        url = _first_line(process).split()[-1]
        assert url.startswith("https://127.0.0.1:")
        verify = trusting(tls_files.ca_cert)
        assert httpx.get(f"{url}/events", verify=verify, timeout=TIMEOUT).status_code == 401
        authorized = {"Authorization": "Bearer env-token"}
        response = httpx.get(f"{url}/events", headers=authorized, verify=verify, timeout=TIMEOUT)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
