"""The reference ERP's HTTP server: routing, limits, faults and responses over loopback.

``ThreadingHTTPServer`` with HTTP/1.1 keep-alive. Request bodies need a ``Content-Length`` and
are refused with 413 before they are read when larger than the advertised
``GS1-EPCIS-Capture-File-Size-Limit``; every socket has a timeout. The capture rules live in
:mod:`sync.erp_sim.capture`, the storage in :mod:`sync.erp_sim.storage`, the faults in
:mod:`sync.erp_sim.faults`.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sync.erp_sim.capture import Limits, Outcome, capture_document, capture_event, problem
from sync.erp_sim.faults import FaultKind, FaultPlan
from sync.erp_sim.query import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    decode_token,
    encode_token,
    query_document,
)
from sync.erp_sim.storage import Storage

__all__ = ["ErpSim"]

log = logging.getLogger("sync.erp_sim")

EPCIS_VERSION = "2.0.0"
CBV_VERSION = "2.0.0"
SOCKET_TIMEOUT = 10.0  #: seconds a client may stall while sending a request
_CAPTURE_ID = re.compile(r"id[0-9a-f]{32}")
_JSON_TYPES = ("application/json", "application/ld+json")
_MAX_KEY = 255


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], storage: Storage, limits: Limits, faults: FaultPlan
    ) -> None:
        super().__init__(address, _Handler)
        self.storage = storage
        self.limits = limits
        self.faults = faults

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

    # --- methods -----------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
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
        path = self._path()
        if path == "/events":
            self._send(self._events_page(), "application/ld+json")
            return
        if path.startswith("/capture/"):
            capture_id = path.removeprefix("/capture/")
            job = self.server.storage.job(capture_id) if _CAPTURE_ID.fullmatch(capture_id) else None
            if job is not None:
                self._send(Outcome(200, job.to_json()))
                return
        self._send(problem(404, "NoSuchResourceException", "No such resource."))

    def do_POST(self) -> None:
        path = self._path()
        if path not in ("/capture", "/events"):
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
        fault = self.server.faults.next()
        body = self.rfile.read(length)
        if fault is not None:
            log.warning("fault %s on %s %s", fault.kind.value, self.command, path)
            if self._early_fault(fault.kind, fault.value):
                return
        outcome = self._post(path, body)
        if fault is not None and fault.kind is FaultKind.DROP_RESPONSE:
            log.info("%s %s -> %d (response dropped)", self.command, path, outcome.status)
            self.close_connection = True
            return
        self._send(outcome)

    # --- helpers -----------------------------------------------------------------------

    def _path(self) -> str:
        return urlsplit(self.path).path

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
            return capture_event(self.server.storage, body)
        behaviour = (self.headers.get("GS1-Capture-Error-Behaviour") or "rollback").strip()
        key = self.headers.get("Idempotency-Key")
        if key is not None and not 0 < len(key) <= _MAX_KEY:
            return problem(400, "ValidationException", "Idempotency-Key is empty or too long.")
        outcome = capture_document(self.server.storage, body, behaviour, key, self.server.limits)
        if outcome.status == 202:
            log.info("capture %s", outcome.headers.get("Location"))
        return outcome

    def _events_page(self) -> Outcome:
        try:
            query = parse_qs(urlsplit(self.path).query, max_num_fields=10)
        except ValueError:
            return problem(400, "QueryParameterException", "Too many query parameters.")
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


def _base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host if isinstance(host, str) else host.decode()}:{port}"


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
    ) -> None:
        self.storage = Storage(db_path)
        try:
            self._server = _Server(
                (host, port), self.storage, limits or Limits(), faults or FaultPlan()
            )
        except OSError:
            self.storage.close()
            raise
        self._thread: threading.Thread | None = None

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
