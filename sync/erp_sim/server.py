"""The reference ERP's HTTP server: routing, limits, faults and responses over loopback.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive, optionally over TLS and behind a bearer
token. Request bodies need a ``Content-Length`` and are refused with 413 before they are read
when larger than the advertised ``GS1-EPCIS-Capture-File-Size-Limit``; every socket has a
timeout. The capture rules live in :mod:`sync.erp_sim.capture`, the storage in
:mod:`sync.erp_sim.storage`, the faults in :mod:`sync.erp_sim.faults`, the master-data feed in
:mod:`sync.erp_sim.master`, the webhook in :mod:`sync.erp_sim.webhook`, the checkpoints in
:mod:`sync.erp_sim.checkpoints` (verified with the keys of :mod:`sync.erp_sim.enrolment`), the
stations' security alerts in :mod:`sync.erp_sim.alerts`.
"""

from __future__ import annotations

import email.utils
import hmac
import json
import logging
import re
import socket
import sqlite3
import ssl
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sync.erp_sim import alerts, checkpoints, enrolment, webhook
from sync.erp_sim.capture import Limits, Outcome, capture_document, capture_event, problem
from sync.erp_sim.enrolment import EnrolledKey
from sync.erp_sim.faults import FaultKind, FaultPlan
from sync.erp_sim.master import MasterData
from sync.erp_sim.query import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    decode_token,
    encode_token,
    query_document,
)
from sync.erp_sim.storage import CaptureJob, Storage
from sync.erp_sim.tls import server_context

__all__ = ["ErpSim"]

log = logging.getLogger("sync.erp_sim")

EPCIS_VERSION = "2.0.0"
CBV_VERSION = "2.0.0"
SOCKET_TIMEOUT = 10.0  #: seconds a client may stall while sending a request
_CAPTURE_ID = re.compile(r"id[0-9a-f]{32}")
_JSON_TYPES = ("application/json", "application/ld+json")
_MAX_KEY = 255
#: POST paths a station delivers to: size limits and faults apply to these.
_DELIVERY = ("/capture", "/events", "/webhook/events", "/station/checkpoints", "/station-alerts")
_ADMIN_MASTER = "/admin/master/"


@dataclass
class _Options:
    """What an :class:`ErpSim` was started with, beyond storage, limits and faults."""

    token: str | None = None
    tls: ssl.SSLContext | None = None
    clock_offset_s: float = 0.0
    job_polls: int = 0
    #: refuse checkpoints (403) unless signed by the station's enrolled key (P11-H1)
    require_enrolment: bool = False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        storage: Storage,
        limits: Limits,
        faults: FaultPlan,
        options: _Options,
    ) -> None:
        super().__init__(address, _Handler)
        self.storage = storage
        self.limits = limits
        self.faults = faults
        self.options = options
        self.master = MasterData(storage)
        enrolment.ensure_schema(storage)
        checkpoints.ensure_schema(storage)
        alerts.ensure_schema(storage)
        self.authorizations_seen: list[str] = []
        self._polls: dict[str, int] = {}
        self._lock = threading.Lock()

    def saw_authorization(self, value: str) -> None:
        with self._lock:
            self.authorizations_seen.append(value)

    def seen(self) -> list[str]:
        with self._lock:
            return list(self.authorizations_seen)

    def poll(self, capture_id: str) -> int:
        """How many times job ``capture_id`` was read before, counting this read."""
        with self._lock:
            count = self._polls.get(capture_id, 0) + 1
            self._polls[capture_id] = count
            return count

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one connection; under TLS the handshake runs here, on the request's thread."""
        context = self.options.tls
        if context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(SOCKET_TIMEOUT)
        secure = context.wrap_socket(request, server_side=True)
        try:
            _Handler(secure, client_address, self)
        finally:
            secure.close()

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        """A client that went away (or stalled past the timeout) is a warning, not a trace."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            log.warning("connection from %s ended: %s", client_address[0], error)
        else:
            log.exception("request from %s failed", client_address[0])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    # http.server sends headers and body in two writes; with Nagle on, every answer with a body
    # waits ~40 ms for the client's delayed ACK (docs/benchmarks.md, sync drain).
    disable_nagle_algorithm = True
    server: _Server

    # --- responses ---------------------------------------------------------------------

    def _send(self, outcome: Outcome, content_type: str | None = None) -> None:
        payload = b"" if outcome.body is None else json.dumps(outcome.body).encode()
        if content_type is None:
            content_type = "application/problem+json" if outcome.is_problem else "application/json"
        self.send_response(outcome.status)
        self.send_header("GS1-EPCIS-Version", EPCIS_VERSION)
        self.send_header("GS1-CBV-Version", CBV_VERSION)
        for name, value in outcome.headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        log.info("%s %s -> %d", self.command, self.path[:200], outcome.status)

    def _refuse_unread(self, outcome: Outcome) -> None:
        """Answer without reading the body, then close gently so the client sees the answer."""
        self.close_connection = True
        self._send(outcome)
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(1.0)
            drained = 0
            while drained < 4 * self.server.limits.file_size_limit:
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass

    def _reset(self) -> None:
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.client_address[0], *args)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header, shifted by ``clock_offset_s`` (clock-skew tests)."""
        moment = time.time() if timestamp is None else timestamp
        return email.utils.formatdate(moment + self.server.options.clock_offset_s, usegmt=True)

    def _authorized(self) -> bool:
        """Record the Authorization header; True when no token is set or it carries the token."""
        given = self.headers.get("Authorization")
        if given is not None:
            self.server.saw_authorization(given)
        token = self.server.options.token
        if token is None:
            return True
        scheme, _, credentials = (given or "").strip().partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            credentials.strip().encode(), token.encode()
        )

    def _unauthorized(self) -> Outcome:
        refused = problem(401, "SecurityException", "Unauthorised request")
        return Outcome(401, refused.body, {"WWW-Authenticate": 'Bearer realm="erp-sim"'})

    # --- methods -----------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        given = self.headers.get("Authorization")
        if given is not None:
            self.server.saw_authorization(given)
        limits = self.server.limits
        headers = {
            "Allow": "OPTIONS, POST" if self._path() == "/capture" else "OPTIONS, GET, POST",
            "GS1-EPCIS-Capture-Limit": str(limits.capture_limit),
            "GS1-EPCIS-Capture-File-Size-Limit": str(limits.file_size_limit),
            "GS1-Capture-Error-Behaviour": "rollback, proceed",
            "GS1-Extensions": "",
        }
        self._send(Outcome(204, None, headers))

    def do_GET(self) -> None:
        if not self._authorized():
            self._send(self._unauthorized())
            return
        path = self._path()
        if path == "/events":
            self._send(self._events_page(), "application/ld+json")
            return
        if path.startswith("/capture/"):
            capture_id = path.removeprefix("/capture/")
            job = self.server.storage.job(capture_id) if _CAPTURE_ID.fullmatch(capture_id) else None
            if job is not None:
                self._send(Outcome(200, self._job_as_polled(job)))
                return
        if path.startswith("/sync/master/"):
            query = self._query()
            if isinstance(query, Outcome):
                self._send(query)
                return
            entity = unquote(path.removeprefix("/sync/master/"))
            self._send(self.server.master.get(entity, query))
            return
        if path == "/station/checkpoints":
            query = self._query()
            if isinstance(query, Outcome):
                self._send(query)
                return
            self._send(checkpoints.list_checkpoints(self.server.storage, query))
            return
        if path == "/station-alerts":
            query = self._query()
            if isinstance(query, Outcome):
                self._send(query)
                return
            self._send(alerts.list_alerts(self.server.storage, query))
            return
        self._send(problem(404, "NoSuchResourceException", "No such resource."))

    def do_POST(self) -> None:
        if not self._authorized():
            self._refuse_unread(self._unauthorized())
            return
        path = self._path()
        if path not in _DELIVERY and not path.startswith(_ADMIN_MASTER):
            self._refuse_unread(problem(404, "NoSuchResourceException", "No such resource."))
            return
        length = self._content_length()
        if isinstance(length, Outcome):
            self._refuse_unread(length)
            return
        if length > self.server.limits.file_size_limit:
            detail = f"{length} bytes; limit {self.server.limits.file_size_limit}"
            self._refuse_unread(
                problem(413, "CapturePayloadTooLarge", "The request body is too large.", detail)
            )
            return
        if path.startswith(_ADMIN_MASTER):  # set-up for tests and demos: never faulted
            self._send(self._admin(path, self.rfile.read(length)))
            return
        fault = self.server.faults.next()
        body = self.rfile.read(length)
        if fault is not None:
            log.warning("fault %s on %s %s", fault.kind.value, self.command, path)
            if self._early_fault(fault.kind, fault.value):
                return
        outcome = self._post(path, body)
        if fault is not None and fault.kind is FaultKind.DUPLICATE:
            outcome = self._post(path, body)  # delivered twice: the client sees the second answer
        if fault is not None and fault.kind is FaultKind.DROP_RESPONSE:
            log.info("%s %s -> %d (response dropped)", self.command, path, outcome.status)
            self.close_connection = True
            return
        self._send(outcome)

    def _admin(self, path: str, body: bytes) -> Outcome:
        entity = unquote(path.removeprefix(_ADMIN_MASTER))
        if entity == "compact":
            return self.server.master.post_compact()
        return self.server.master.post(entity, body)

    def _job_as_polled(self, job: CaptureJob) -> dict[str, Any]:
        """The job, or while it has been polled at most ``job_polls`` times, still running."""
        body = job.to_json()
        if self.server.poll(job.capture_id) <= self.server.options.job_polls:
            body.update(running=True, success=True, errors=[])
            body.pop("finishedAt", None)
        return body

    # --- helpers -----------------------------------------------------------------------

    def _path(self) -> str:
        return urlsplit(self.path).path

    def _query(self) -> dict[str, list[str]] | Outcome:
        try:
            return parse_qs(urlsplit(self.path).query, max_num_fields=10)
        except ValueError:
            return problem(400, "QueryParameterException", "Too many query parameters.")

    def _content_length(self) -> int | Outcome:
        if self.headers.get("Transfer-Encoding") is not None:
            return problem(411, "ValidationException", "Send a Content-Length, not chunks.")
        text = self.headers.get("Content-Length")
        if text is None:
            return problem(411, "ValidationException", "Content-Length is required.")
        if not text.isdecimal() or not text.isascii() or len(text) > 15:
            return problem(400, "ValidationException", "Content-Length is not a number.")
        return int(text)

    def _early_fault(self, kind: FaultKind, value: float) -> bool:
        """Apply a fault that comes before processing; True when the request ends here."""
        if kind is FaultKind.DROP_REQUEST:
            self.close_connection = True
            return True
        if kind is FaultKind.RESET:
            self._reset()
            return True
        if kind is FaultKind.ERROR_500:
            self._send(problem(500, "ImplementationException", "Injected server error."))
            return True
        if kind is FaultKind.TOO_MANY:
            refused = problem(429, "ImplementationException", "Too many requests.")
            retry = {"Retry-After": str(max(0, round(value)))}
            self._send(Outcome(429, refused.body, retry))
            return True
        if kind is FaultKind.SLOW:
            time.sleep(value / 1000)
        return False

    def _post(self, path: str, body: bytes) -> Outcome:
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media not in _JSON_TYPES:
            return problem(
                415, "UnsupportedMediaTypeException", "Send application/ld+json or json."
            )
        if path == "/events":
            return capture_event(self.server.storage, body, self.server.limits)
        if path == "/webhook/events":
            return webhook.deliver(self.server.storage, body, self.server.limits)
        if path == "/station/checkpoints":
            return checkpoints.store_checkpoints(
                self.server.storage, body, require_enrolment=self.server.options.require_enrolment
            )
        if path == "/station-alerts":
            return alerts.store_alerts(self.server.storage, body)
        behaviour = (self.headers.get("GS1-Capture-Error-Behaviour") or "rollback").strip()
        key = self.headers.get("Idempotency-Key")
        if key is not None and not 0 < len(key) <= _MAX_KEY:
            return problem(400, "ValidationException", "Idempotency-Key is empty or too long.")
        outcome = capture_document(self.server.storage, body, behaviour, key, self.server.limits)
        if outcome.status == 202:
            log.info("capture %s", outcome.headers.get("Location"))
        return outcome

    def _events_page(self) -> Outcome:
        query = self._query()
        if isinstance(query, Outcome):
            return query
        per_page_text = query.get("perPage", [str(DEFAULT_PER_PAGE)])[0]
        if not per_page_text.isdecimal() or not 0 < int(per_page_text[:6]) <= MAX_PER_PAGE:
            detail = f"perPage must be 1..{MAX_PER_PAGE}"
            return problem(400, "QueryParameterException", "Invalid perPage.", detail)
        per_page = int(per_page_text)
        after = 0
        if "nextPageToken" in query:
            token = decode_token(query["nextPageToken"][0])
            if token is None:
                return problem(400, "QueryParameterException", "Invalid nextPageToken.")
            after = token
        rows = self.server.storage.events_after(after, per_page + 1)
        page = rows[:per_page]
        headers: dict[str, str] = {}
        if len(rows) > per_page:
            next_token = encode_token(page[-1][0])
            url = f"{_base_url(self.server)}/events?perPage={per_page}&nextPageToken={next_token}"
            headers["Link"] = f'<{url}>; rel="next"'
        return Outcome(200, query_document([event for _, event in page]), headers)


def _base_url(server: _Server) -> str:
    host, port = server.server_address[:2]
    scheme = "http" if server.options.tls is None else "https"
    return f"{scheme}://{host if isinstance(host, str) else host.decode()}:{port}"


class ErpSim:
    """The reference ERP endpoint, served on a background thread.

    >>> with ErpSim(db_path, port=0) as erp:   # doctest: +SKIP
    ...     httpx.post(erp.url + "/capture", ...)
    """

    def __init__(
        self,
        db_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        limits: Limits | None = None,
        token: str | None = None,
        tls: tuple[Path, Path] | None = None,
        clock_offset_s: float = 0.0,
        job_polls: int = 0,
        require_enrolment: bool = False,
    ) -> None:
        """Bind (``port=0``: any free port) and open ``db_path``; :meth:`start` serves.

        ``token``: every request but ``OPTIONS`` needs ``Authorization: Bearer <token>``.
        ``tls``: ``(certificate chain PEM, private key PEM)``; serves HTTPS.
        ``clock_offset_s``: shifts the ``Date`` header. ``job_polls``: a capture job reads as
        running for its first N polls. ``require_enrolment``: checkpoints are refused (403)
        unless the station has an enrolled key and they are signed by it.
        """
        if job_polls < 0:
            raise ValueError("job_polls must be >= 0")
        if token is not None and not token:
            raise ValueError("the token must not be empty")
        options = _Options(
            token=token,
            tls=None if tls is None else server_context(*tls),
            clock_offset_s=clock_offset_s,
            job_polls=job_polls,
            require_enrolment=require_enrolment,
        )
        self.storage = Storage(db_path)
        try:
            self._server = _Server(
                (host, port), self.storage, limits or Limits(), faults or FaultPlan(), options
            )
        except (OSError, sqlite3.Error):
            self.storage.close()
            raise
        self._thread: threading.Thread | None = None

    @property
    def master(self) -> MasterData:
        """The master-data feed: ``put``, ``delete``, ``compact``, ``snapshot``."""
        return self._server.master

    def enrol(self, station: str, public_key_pem: str, enrolled_by: str) -> EnrolledKey:
        """Enrol (or rotate) the station's public key, as ``station erp-sim enrol`` does."""
        return enrolment.enrol(self.storage, station, public_key_pem, enrolled_by)

    def enrolled_keys(self) -> list[EnrolledKey]:
        """Every enrolment, by station then in enrolment order (``current``: the newest)."""
        return enrolment.enrolled_keys(self.storage)

    @property
    def authorizations_seen(self) -> list[str]:
        """Every ``Authorization`` header value received, in arrival order (a copy)."""
        return self._server.seen()

    @property
    def url(self) -> str:
        return _base_url(self._server)

    @property
    def faults(self) -> FaultPlan:
        return self._server.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self._server.faults = plan

    def start(self) -> ErpSim:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="erp-sim", daemon=True
        )
        self._thread.start()
        log.info("ERP simulator on %s", self.url)
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until :meth:`close` is called from another one."""
        log.info("ERP simulator on %s", self.url)
        self._server.serve_forever(poll_interval=0.05)

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        self.storage.close()

    def __enter__(self) -> ErpSim:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
