"""Pull master data from the ERP's change feed into the station (docs/sync.md §7).

``GET {base}/sync/master/{entity}?cursor=<opaque>&limit=N`` answers a page
``{"entity", "rows", "tombstones", "next_cursor", "has_more"}``; no cursor reads from the
beginning, ``410 Gone`` means the cursor expired. :class:`MasterPuller` reads every entity in
:data:`~station.sync.masterdata.ENTITY_ORDER` (references first) and pages until ``has_more``
is false. Each page is applied on the writer thread in its own transaction together with the
cursor it leads to, so an interrupted pull resumes at the next page and never applies a page
twice by halves. On ``410`` it reads the entity's full snapshot from an empty cursor into
memory, then applies it in one transaction (:func:`~station.sync.masterdata.resnapshot`),
removing local rows the snapshot lacks.

The ERP's answers are untrusted: a body larger than ``max_page_bytes``, not JSON, or not the
agreed shape raises :class:`MasterPullError` before anything of it is written. Network and HTTP
errors raise :class:`MasterPullError` too; pages already applied, and their cursors, stay.
A storage failure on the station raises :class:`~station.errors.StorageError` unchanged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from station.context import WriteContext
from station.errors import StationError
from station.masterdata.specs import SPECS
from station.persistence.writer import DbWriter
from station.sync.masterdata import (
    ENTITY_ORDER,
    MAX_PAGE_ITEMS,
    ApplyResult,
    MasterPageError,
    apply_page,
    check_cursor,
    check_page,
    load_cursor,
    resnapshot,
)
from sync.http import check_endpoint

__all__ = [
    "ALL",
    "MAX_PAGE_BYTES",
    "MAX_SNAPSHOT_ROWS",
    "EntityPullResult",
    "MasterPullError",
    "MasterPuller",
    "parse_page",
]

ALL: tuple[str, ...] = ENTITY_ORDER
MAX_PAGE_BYTES = 16 * 1024 * 1024  #: largest response body read for one page
MAX_SNAPSHOT_ROWS = 1_000_000  #: most rows of one entity held in memory for a re-snapshot
MAX_PAGES = 100_000  #: most pages of one entity in one pull (a feed that never ends)
_DETAIL_CHARS = 200

_log = logging.getLogger(__name__)


class MasterPullError(StationError):
    """The pull stopped: the ERP could not be reached, refused, or sent something malformed.

    ``entity`` is the entity being pulled; ``results`` what was applied before the stop (those
    pages and their cursors are committed).
    """

    def __init__(
        self,
        message: str,
        *,
        entity: str | None = None,
        results: dict[str, EntityPullResult] | None = None,
    ) -> None:
        super().__init__(message)
        self.entity = entity
        self.results = dict(results or {})


@dataclass(slots=True)
class EntityPullResult:
    """What one entity's pull did: pages read, rows changed, problems, re-snapshot or not."""

    entity: str
    pages: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    resnapshot: bool = False
    cursor: str | None = None

    def add(self, applied: ApplyResult) -> None:
        self.created += applied.created
        self.updated += applied.updated
        self.unchanged += applied.unchanged
        self.removed += applied.removed
        self.problems.extend(applied.problems)


@dataclass(frozen=True, slots=True)
class _Page:
    rows: list[dict[str, str]]
    tombstones: list[dict[str, str]]
    next_cursor: str
    has_more: bool


class _Expired(Exception):  # noqa: N818 - a signal, not an error
    """The ERP answered 410 Gone."""


def _short(text: str) -> str:
    clean = "".join(c if c.isprintable() else " " for c in text)
    return clean[:_DETAIL_CHARS]


def parse_page(
    entity: str, body: bytes
) -> tuple[list[dict[str, str]], list[dict[str, str]], str, bool]:
    """A page body as (rows, tombstones, next_cursor, has_more); MasterPageError if malformed."""
    try:
        document: Any = json.loads(body)
    except (ValueError, RecursionError) as exc:
        msg = f"{entity}: the ERP's answer is not JSON ({_short(str(exc))})"
        raise MasterPageError(msg) from None
    if not isinstance(document, dict):
        msg = f"{entity}: the ERP's answer is not a JSON object"
        raise MasterPageError(msg)
    if document.get("entity") != entity:
        msg = f"{entity}: the ERP answered for another entity"
        raise MasterPageError(msg)
    rows, tombstones = check_page(entity, document.get("rows"), document.get("tombstones"))
    has_more = document.get("has_more")
    if not isinstance(has_more, bool):
        msg = f"{entity}: has_more is not true or false"
        raise MasterPageError(msg)
    try:
        cursor = check_cursor(document.get("next_cursor"))
    except MasterPageError as exc:
        msg = f"{entity}: next_cursor: {exc}"
        raise MasterPageError(msg) from None
    return rows, tombstones, cursor, has_more


class MasterPuller:
    """Pulls master data from one ERP into one station database (through its writer)."""

    def __init__(
        self,
        client: httpx.Client,
        base_url: str,
        writer: DbWriter,
        ctx: WriteContext,
        *,
        entities: Iterable[str] = ALL,
        page_size: int = 500,
        token: str | None = None,
        max_page_bytes: int = MAX_PAGE_BYTES,
    ) -> None:
        wanted = set(entities)
        unknown = sorted(wanted - set(ENTITY_ORDER))
        if unknown:
            msg = f"unknown master-data entities: {', '.join(unknown)}"
            raise ValueError(msg)
        if not 0 < page_size <= MAX_PAGE_ITEMS:
            msg = f"page_size must be 1..{MAX_PAGE_ITEMS}"
            raise ValueError(msg)
        self._client = client
        self._base = check_endpoint(base_url)
        self._writer = writer
        self._ctx = ctx
        self._entities = tuple(e for e in ENTITY_ORDER if e in wanted)  # references first
        self._page_size = page_size
        self._headers = {"Accept": "application/json"}
        if token is not None:
            self._headers["Authorization"] = f"Bearer {token}"
        self._max_bytes = max_page_bytes

    @property
    def entities(self) -> tuple[str, ...]:
        return self._entities

    def pull_once(self) -> dict[str, EntityPullResult]:
        """Pull every entity to the end of its feed; per entity, what changed.

        Raises MasterPullError at the first entity that fails (``results`` holds the entities
        finished before it and the part of that one already applied).
        """
        results: dict[str, EntityPullResult] = {}
        for entity in self._entities:
            result = EntityPullResult(entity)
            results[entity] = result
            try:
                self._pull(result)
            except MasterPullError as exc:
                raise MasterPullError(str(exc), entity=entity, results=results) from exc
        return results

    # --- one entity ------------------------------------------------------------------------

    def _pull(self, result: EntityPullResult) -> None:
        entity = result.entity
        cursor = self._writer.submit(lambda conn: load_cursor(conn, entity)).result()
        result.cursor = cursor
        for _ in range(MAX_PAGES):
            try:
                page = self._fetch(entity, cursor)
            except _Expired:
                _log.info("%s: the ERP expired the cursor; re-snapshotting", entity)
                self._resnapshot(result)
                return
            result.pages += 1
            if page.has_more and page.next_cursor == cursor:
                msg = f"{entity}: the ERP's feed does not advance (same cursor, has_more)"
                raise MasterPullError(msg)
            if page.rows or page.tombstones or page.next_cursor != cursor:
                applied = self._apply(entity, page)
                result.add(applied)
                self._log_problems(entity, applied)
            cursor = result.cursor = page.next_cursor
            if not page.has_more:
                return
        msg = f"{entity}: more than {MAX_PAGES} pages in one pull"
        raise MasterPullError(msg)

    def _apply(self, entity: str, page: _Page) -> ApplyResult:
        ctx = self._ctx
        return self._writer.submit(
            lambda conn: apply_page(
                conn, entity, page.rows, page.tombstones, ctx, cursor=page.next_cursor
            )
        ).result()

    def _resnapshot(self, result: EntityPullResult) -> None:
        entity = result.entity
        key = SPECS[entity].key
        latest: dict[tuple[str, ...], dict[str, str]] = {}
        cursor: str | None = None
        result.resnapshot = True
        for _ in range(MAX_PAGES):
            try:
                page = self._fetch(entity, cursor)
            except _Expired:
                msg = f"{entity}: the ERP expired the cursor again while the snapshot was read"
                raise MasterPullError(msg) from None
            result.pages += 1
            for row in page.rows:
                name = tuple(row.get(k, "") for k in key)
                latest.pop(name, None)  # keep the order of last changes
                latest[name] = row
            for tombstone in page.tombstones:
                latest.pop(tuple(tombstone.get(k, "") for k in key), None)
            if len(latest) > MAX_SNAPSHOT_ROWS:
                msg = f"{entity}: the snapshot has more than {MAX_SNAPSHOT_ROWS} rows"
                raise MasterPullError(msg)
            if page.has_more and page.next_cursor == cursor:
                msg = f"{entity}: the ERP's feed does not advance (same cursor, has_more)"
                raise MasterPullError(msg)
            cursor = page.next_cursor
            if not page.has_more:
                break
        else:
            msg = f"{entity}: more than {MAX_PAGES} pages in one snapshot"
            raise MasterPullError(msg)
        rows = list(latest.values())
        ctx, final = self._ctx, cursor
        applied = self._writer.submit(
            lambda conn: resnapshot(conn, entity, rows, ctx, cursor=final)
        ).result()
        result.add(applied)
        result.cursor = final
        self._log_problems(entity, applied)

    @staticmethod
    def _log_problems(entity: str, applied: ApplyResult) -> None:
        for key, reason in applied.problems:
            _log.warning("%s %s skipped: %s", entity, _short(key), _short(reason))

    # --- HTTP ------------------------------------------------------------------------------

    def _fetch(self, entity: str, cursor: str | None) -> _Page:
        params = {"limit": str(self._page_size)}
        if cursor is not None:
            params["cursor"] = cursor
        url = f"{self._base}/sync/master/{entity}"
        try:
            with self._client.stream("GET", url, params=params, headers=self._headers) as response:
                if response.status_code == httpx.codes.GONE:
                    raise _Expired
                if response.status_code != httpx.codes.OK:
                    detail = self._read(response, 4096).decode("utf-8", "replace")
                    msg = (
                        f"{entity}: the ERP answered HTTP {response.status_code}"
                        f" {_short(response.reason_phrase)}: {_short(_problem_title(detail))}"
                    )
                    raise MasterPullError(msg.rstrip(": "))
                body = self._read(response, self._max_bytes, entity=entity)
        except httpx.HTTPError as exc:
            msg = f"{entity}: could not read from the ERP: {_short(str(exc)) or type(exc).__name__}"
            raise MasterPullError(msg) from exc
        try:
            rows, tombstones, next_cursor, has_more = parse_page(entity, body)
        except MasterPageError as exc:
            msg = f"malformed page from the ERP: {exc}"
            raise MasterPullError(msg) from exc
        return _Page(rows, tombstones, next_cursor, has_more)

    @staticmethod
    def _read(response: httpx.Response, limit: int, *, entity: str | None = None) -> bytes:
        """The body, refused past ``limit`` bytes (truncated instead when ``entity`` is None)."""
        declared = response.headers.get("Content-Length", "")
        if entity is not None and declared.isdecimal() and int(declared) > limit:
            msg = f"{entity}: the ERP's page is larger than {limit} bytes"
            raise MasterPullError(msg)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if entity is None:
                    break
                msg = f"{entity}: the ERP's page is larger than {limit} bytes"
                raise MasterPullError(msg)
        return b"".join(chunks)[:limit]


def _problem_title(text: str) -> str:
    """The ``title`` of an RFC 9457 problem body, or the text itself."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return text
    if isinstance(document, dict):
        parts = [document.get("title"), document.get("detail")]
        return " ".join(p for p in parts if isinstance(p, str))
    return text
