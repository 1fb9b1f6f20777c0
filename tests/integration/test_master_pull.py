"""The master-data pull over real HTTP from the reference ERP into a real station database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from station.context import WriteContext
from station.masterdata.csvio import import_csv
from station.masterdata.specs import SPECS
from station.persistence.store import Store, open_store
from station.services.receiving import receive
from station.sync.masterdata import ENTITY_ORDER, load_cursor
from station.udi.checks import gs1_check_digit
from sync.erp_sim import ErpSim
from sync.master_pull import EntityPullResult, MasterPuller, MasterPullError
from tests.integration.test_services_setup import gs1

TIMEOUT = 5.0
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
CTX = WriteContext(station="ST-01", actor="erp-sync", actor_name="ERP sync", clock=lambda: NOW)
#: Station staff (the pull itself is the system and needs no role).
OPERATOR = WriteContext(
    station="ST-01", actor="u-ops", roles=frozenset({"operator"}), clock=lambda: NOW
)
#: A local administrator entering master data by hand (masterdata.edit).
ADMIN = WriteContext(
    station="ST-01", actor="u-admin", roles=frozenset({"admin"}), clock=lambda: NOW
)


def gtin(n: int) -> str:
    body = f"040123459{n:04d}"
    return body + str(gs1_check_digit(body))


def product(n: int, name: str = "", **more: str) -> dict[str, str]:
    return {
        "di": gtin(n),
        "di_scheme": "gs1",
        "name_zh": f"产品{n}",
        "name_en": name or f"Product {n}",
        "trace_level": "lot",
    } | more


ERP_DATA: dict[str, list[dict[str, str]]] = {
    "products": [product(n) for n in range(1, 6)],
    "suppliers": [
        {
            "code": "SUP-1",
            "name": "Acme",
            "qualification": "qualified",
            "qualified_until": "2027-12-31",
        },
        {"code": "SUP-2", "name": "Beta", "qualification": "conditional"},
    ],
    "parties": [{"code": "CUST-1", "name": "Hospital", "kind": "customer"}],
    "locations": [{"code": "WH-1", "name": "Main warehouse", "kind": "warehouse"}],
    "purchase_orders": [{"number": "PO-1", "supplier_code": "SUP-1", "status": "open"}],
    "purchase_order_lines": [
        {"po_number": "PO-1", "line_no": "1", "product_di": gtin(1), "quantity": "1000"},
        {"po_number": "PO-1", "line_no": "2", "product_di": gtin(2), "quantity": "10"},
    ],
    "sales_orders": [{"number": "SO-1", "party_code": "CUST-1", "status": "open"}],
    "sales_order_lines": [
        {"so_number": "SO-1", "line_no": "1", "product_di": gtin(3), "quantity": "5"},
    ],
    "inspection_plans": [
        {"code": "IQC", "version": "1", "name": "Incoming", "product_di": gtin(1)}
    ],
    "inspection_checkpoints": [
        {
            "plan_code": "IQC",
            "plan_version": "1",
            "position": "1",
            "name": "Visual",
            "kind": "pass_fail",
        },
        {
            "plan_code": "IQC",
            "plan_version": "1",
            "position": "2",
            "name": "Diameter",
            "kind": "numeric",
            "lower_limit": "4.9",
            "upper_limit": "5.1",
            "unit": "MMT",
        },
    ],
    "users": [
        {
            "username": "li",
            "name": "Li Na",
            "roles": "operator qa",
            "badge": "B-1",
            "active": "yes",
        },
        {"username": "wang", "name": "Wang Wei", "roles": "supervisor", "active": "yes"},
    ],
}


class Recording(httpx.BaseTransport):
    """Real HTTP, with every request kept; the ``fail_on``-th request fails like a cut cable."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: list[httpx.Request] = []
        self.fail_on = fail_on

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_on is not None and len(self.requests) == self.fail_on:
            raise httpx.ConnectError("cable pulled", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def cursors(self, entity: str) -> list[str | None]:
        return [
            r.url.params.get("cursor")
            for r in self.requests
            if r.url.path == f"/sync/master/{entity}"
        ]


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite", port=0) as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "station.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def transport() -> Iterator[Recording]:
    recording = Recording()
    yield recording
    recording.close()


def seed(erp: ErpSim) -> None:
    for entity, rows in ERP_DATA.items():
        for row in rows:
            erp.master.put(entity, row)


def pull(
    erp: ErpSim, store: Store, transport: httpx.BaseTransport | None = None, **kw: Any
) -> dict[str, EntityPullResult]:
    with httpx.Client(transport=transport or httpx.HTTPTransport(), timeout=TIMEOUT) as client:
        return MasterPuller(client, erp.url, store.writer, CTX, **kw).pull_once()


def counts(result: EntityPullResult) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.unchanged, result.removed


def query(store: Store, sql: str, **params: Any) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def count(store: Store, table: str) -> int:
    return int(query(store, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def cursor(store: Store, entity: str) -> str | None:
    with store.engine.connect() as conn:
        return load_cursor(conn, entity)


def test_a_full_pull_loads_every_entity_audited(
    erp: ErpSim, store: Store, transport: Recording
) -> None:
    seed(erp)
    results = pull(erp, store, transport, page_size=2)
    assert list(results) == list(ENTITY_ORDER)
    assert {e: counts(r) for e, r in results.items()} == {
        e: (len(ERP_DATA[e]), 0, 0, 0) for e in ENTITY_ORDER
    }
    assert all(r.problems == [] and not r.resnapshot for r in results.values())
    assert results["products"].pages == 3  # 5 rows, 2 a page
    assert transport.cursors("products")[0] is None  # from the beginning
    assert count(store, "product") == 5
    assert count(store, "inspection_checkpoint") == 2
    assert query(store, "SELECT username, roles, badge, active FROM station_user ORDER BY id") == [
        {"username": "li", "roles": "operator qa", "badge": "B-1", "active": 1},
        {"username": "wang", "roles": "supervisor", "badge": None, "active": 1},
    ]
    lines = query(
        store,
        "SELECT p.di, l.quantity FROM po_line l JOIN product p ON p.id = l.product_id"
        " ORDER BY l.line_no",
    )
    assert lines == [{"di": gtin(1), "quantity": 1000.0}, {"di": gtin(2), "quantity": 10.0}]
    audits = query(store, "SELECT action, entity, reason, actor FROM audit ORDER BY seq")
    assert len(audits) == sum(len(rows) for rows in ERP_DATA.values())
    assert {(a["action"], a["reason"], a["actor"]) for a in audits} == {
        ("masterdata.create", "ERP master-data sync", "erp-sync")
    }
    for entity, result in results.items():
        assert cursor(store, entity) == result.cursor is not None


def test_a_second_pull_fetches_only_new_changes(
    erp: ErpSim, store: Store, transport: Recording
) -> None:
    seed(erp)
    pull(erp, store, page_size=2)
    saved = cursor(store, "products")
    erp.master.put("products", product(2, "Renamed"))
    erp.master.put("suppliers", {"code": "SUP-3", "name": "Gamma", "qualification": "qualified"})
    results = pull(erp, store, transport, page_size=2)
    assert transport.cursors("products") == [saved]
    assert counts(results["products"]) == (0, 1, 0, 0)
    assert results["products"].pages == 1
    assert counts(results["suppliers"]) == (1, 0, 0, 0)
    untouched = set(ENTITY_ORDER) - {"products", "suppliers"}
    assert all(counts(results[e]) == (0, 0, 0, 0) for e in untouched)
    renamed = query(store, "SELECT name_en FROM product WHERE di = :di", di=gtin(2))
    assert renamed == [{"name_en": "Renamed"}]
    # Nothing new: one request per entity, nothing written.
    audits = count(store, "audit")
    again = pull(erp, store)
    assert all(counts(r) == (0, 0, 0, 0) and r.pages == 1 for r in again.values())
    assert count(store, "audit") == audits


def test_an_interrupted_pull_resumes_at_the_next_page(erp: ErpSim, store: Store) -> None:
    for row in ERP_DATA["products"]:
        erp.master.put("products", row)
    cut = Recording(fail_on=3)  # pages 1 and 2 arrive; the request for page 3 fails
    try:
        with pytest.raises(
            MasterPullError, match="products: could not read from the ERP"
        ) as caught:
            pull(erp, store, cut, page_size=2, entities=["products"])
    finally:
        cut.close()
    assert caught.value.entity == "products"
    partial = caught.value.results["products"]
    assert (partial.pages, partial.created) == (2, 4)
    assert count(store, "product") == 4
    after_two = cut.cursors("products")[2]
    assert after_two is not None
    assert cursor(store, "products") == after_two

    resumed = Recording()
    try:
        results = pull(erp, store, resumed, page_size=2, entities=["products"])
    finally:
        resumed.close()
    assert resumed.cursors("products") == [after_two]
    assert (results["products"].pages, counts(results["products"])) == (1, (1, 0, 0, 0))
    assert count(store, "product") == 5
    creates = query(store, "SELECT entity_id FROM audit WHERE action = 'masterdata.create'")
    assert sorted(a["entity_id"] for a in creates) == sorted(gtin(n) for n in range(1, 6))


def test_tombstones_deactivate_delete_and_revoke(erp: ErpSim, store: Store) -> None:
    seed(erp)
    pull(erp, store)
    erp.master.delete("products", {"di": gtin(5)})
    erp.master.delete("purchase_order_lines", {"po_number": "PO-1", "line_no": "2"})
    erp.master.delete("users", {"username": "wang"})
    erp.master.put("users", ERP_DATA["users"][0] | {"active": "no"})
    results = pull(erp, store)
    assert counts(results["products"]) == (0, 0, 0, 1)
    assert counts(results["purchase_order_lines"]) == (0, 0, 0, 1)
    assert counts(results["users"]) == (0, 1, 0, 1)
    assert query(store, "SELECT active FROM product WHERE di = :di", di=gtin(5)) == [{"active": 0}]
    assert count(store, "product") == 5  # rows stay: events name them
    assert query(store, "SELECT line_no FROM po_line") == [{"line_no": 1}]
    assert query(store, "SELECT username, active FROM station_user ORDER BY id") == [
        {"username": "li", "active": 0},
        {"username": "wang", "active": 0},
    ]
    audits = query(
        store,
        "SELECT action, entity, entity_id, old_value, new_value FROM audit"
        " WHERE action != 'masterdata.create' ORDER BY seq",
    )
    assert [(a["action"], a["entity"], a["entity_id"]) for a in audits] == [
        ("masterdata.update", "product", gtin(5)),
        ("masterdata.delete", "po_line", "PO-1/2"),
        ("masterdata.update", "station_user", "li"),
        ("masterdata.update", "station_user", "wang"),
    ]
    assert all(json.loads(a["new_value"]) == {"active": False} for a in audits if a["new_value"])
    assert json.loads(audits[1]["old_value"])["quantity"] == 10.0


def set_up_station(store: Store) -> None:
    def station_info(conn: sa.Connection) -> None:
        location = conn.execute(sa.text("SELECT id FROM location WHERE code = 'WH-1'")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO station_info (code, name, location_id) VALUES ('ST-01', 'Dock', :l)"
            ),
            {"l": location},
        )

    store.writer.submit(station_info).result()


def receive_lot(store: Store, lot: str) -> None:
    code = gs1(gtin(1), lot=lot)
    store.writer.submit(
        lambda c: receive(c, OPERATOR, po_number="PO-1", line_no=1, code=code, quantity=10)
    ).result()


def ledger(store: Store) -> list[dict[str, Any]]:
    return query(store, "SELECT seq, event_id, payload, hash, prev_hash FROM event ORDER BY seq")


def test_a_rename_at_the_erp_leaves_queued_events_byte_identical(erp: ErpSim, store: Store) -> None:
    seed(erp)
    pull(erp, store)
    set_up_station(store)
    receive_lot(store, "L1")
    receive_lot(store, "L2")
    before = ledger(store)
    assert len(before) == 2
    assert all(gtin(1) in str(row["payload"]) for row in before)
    assert count(store, "sync_ack") == 0  # both still queued

    erp.master.put("products", product(1, "Renamed syringe", name_zh="改名"))
    results = pull(erp, store)
    assert counts(results["products"]) == (0, 1, 0, 0)
    assert query(store, "SELECT name_en, name_zh FROM product WHERE di = :di", di=gtin(1)) == [
        {"name_en": "Renamed syringe", "name_zh": "改名"}
    ]
    assert ledger(store) == before


def test_an_expired_cursor_resnapshots_and_leaves_events_alone(
    erp: ErpSim, store: Store, transport: Recording
) -> None:
    seed(erp)
    pull(erp, store)
    set_up_station(store)
    receive_lot(store, "L1")
    receive_lot(store, "L2")
    first = ledger(store)[0]
    store.writer.submit(
        lambda c: c.execute(
            sa.text(
                "INSERT INTO sync_ack (seq, event_id, outcome, acked_at, endpoint)"
                " VALUES (:s, :e, 'accepted', '2026-11-24T08:00:00.000Z', 'test')"
            ),
            {"s": first["seq"], "e": first["event_id"]},
        )
    ).result()
    # A supplier the ERP never had, entered locally: the snapshot does not hold it.
    store.writer.submit(
        lambda c: import_csv(
            c,
            SPECS["suppliers"],
            "code,name,qualification\r\nLOCAL,Local,qualified\r\n",
            ADMIN,
            "x",
        )
    ).result()
    events, acks, rejections = (
        ledger(store),
        count(store, "sync_ack"),
        count(store, "sync_rejection"),
    )
    old_products = cursor(store, "products")

    erp.master.delete("products", {"di": gtin(4)})
    erp.master.put("products", product(6))
    erp.master.delete("purchase_order_lines", {"po_number": "PO-1", "line_no": "2"})
    erp.master.delete("users", {"username": "wang"})
    erp.master.compact()  # the tombstones are gone; the station's cursors expire

    results = pull(erp, store, transport, page_size=2)
    assert all(r.resnapshot for r in results.values())
    # the old cursor is answered 410; the snapshot is read from no cursor
    assert transport.cursors("products")[:2] == [old_products, None]
    assert counts(results["products"]) == (1, 0, 4, 1)
    assert counts(results["purchase_order_lines"]) == (0, 0, 1, 1)
    assert counts(results["users"]) == (0, 0, 1, 1)
    assert counts(results["suppliers"]) == (0, 0, 2, 1)
    assert counts(results["parties"]) == (0, 0, 1, 0)
    assert query(
        store,
        "SELECT di, active FROM product WHERE di IN (:a, :b) ORDER BY id",
        a=gtin(4),
        b=gtin(6),
    ) == [
        {"di": gtin(4), "active": 0},
        {"di": gtin(6), "active": 1},
    ]
    assert query(store, "SELECT line_no FROM po_line") == [{"line_no": 1}]
    assert query(store, "SELECT active FROM supplier WHERE code = 'LOCAL'") == [{"active": 0}]
    assert query(store, "SELECT active FROM station_user WHERE username = 'wang'") == [
        {"active": 0}
    ]
    # Events, acks and rejections untouched.
    assert ledger(store) == events
    assert (count(store, "sync_ack"), count(store, "sync_rejection")) == (acks, rejections)
    # The new cursor is valid: the next pull is an ordinary, empty one.
    for entity, result in results.items():
        assert cursor(store, entity) == result.cursor
    again = pull(erp, store)
    assert not any(r.resnapshot for r in again.values())
    assert all(counts(r) == (0, 0, 0, 0) for r in again.values())
    removed = query(store, "SELECT entity_id, reason FROM audit WHERE action = 'masterdata.delete'")
    assert removed == [
        {"entity_id": "PO-1/2", "reason": "ERP master-data sync: not in the ERP's snapshot"}
    ]


def test_a_bad_gtin_is_reported_while_the_rest_applies(erp: ErpSim, store: Store) -> None:
    bad_di = gtin(7)[:-1] + str((int(gtin(7)[-1]) + 1) % 10)
    erp.master.put("products", product(1))
    erp.master.put("products", product(7) | {"di": bad_di})
    erp.master.put("products", product(2))
    erp.master.put("suppliers", ERP_DATA["suppliers"][0])
    erp.master.put("purchase_orders", ERP_DATA["purchase_orders"][0])
    erp.master.put("purchase_order_lines", ERP_DATA["purchase_order_lines"][0])
    erp.master.put(
        "purchase_order_lines",
        {"po_number": "PO-1", "line_no": "3", "product_di": bad_di, "quantity": "1"},
    )
    results = pull(
        erp, store, entities=["products", "suppliers", "purchase_orders", "purchase_order_lines"]
    )
    assert counts(results["products"]) == (2, 0, 0, 0)
    assert results["products"].problems == [
        (bad_di, f"di: invalid device identifier: check digit should be {gtin(7)[-1]}")
    ]
    assert counts(results["purchase_order_lines"]) == (1, 0, 0, 0)
    assert results["purchase_order_lines"].problems == [
        ("PO-1/3", f"no product with product_di={bad_di}")
    ]
    assert [r["di"] for r in query(store, "SELECT di FROM product ORDER BY id")] == [
        gtin(1),
        gtin(2),
    ]
    refused = query(
        store, "SELECT entity, entity_id FROM audit WHERE action = 'masterdata.sync_refused'"
    )
    assert refused == [
        {"entity": "product", "entity_id": bad_di},
        {"entity": "po_line", "entity_id": "PO-1/3"},
    ]
    # The cursor moved past the bad row: it is not retried every poll.
    again = pull(erp, store, entities=["products"])
    assert again["products"].problems == []


def test_a_bearer_token_is_sent_and_a_refusal_is_an_error(tmp_path: Path, store: Store) -> None:
    with ErpSim(tmp_path / "erp-auth.sqlite", port=0, token="s3cret") as erp:
        erp.master.put("products", product(1))
        with pytest.raises(MasterPullError, match="HTTP 401"):
            pull(erp, store, entities=["products"])
        assert count(store, "product") == 0
        results = pull(erp, store, entities=["products"], token="s3cret")
        assert counts(results["products"]) == (1, 0, 0, 0)
        assert "Bearer s3cret" in erp.authorizations_seen


def test_an_unreachable_erp_is_an_error(tmp_path: Path, store: Store) -> None:
    with ErpSim(tmp_path / "gone.sqlite", port=0) as erp:
        url = erp.url
    with httpx.Client(timeout=TIMEOUT) as client:
        puller = MasterPuller(client, url, store.writer, CTX)
        with pytest.raises(MasterPullError, match="products: could not read from the ERP"):
            puller.pull_once()
    assert cursor(store, "products") is None


# ----------------------------------------------------------------------------- hostile answers


def page(entity: str = "products", **over: Any) -> dict[str, Any]:
    return {
        "entity": entity,
        "rows": [product(1)],
        "tombstones": [],
        "next_cursor": "c-1",
        "has_more": False,
    } | over


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (json.dumps([page()]).encode(), "not a JSON object"),
        (json.dumps(page(entity="users")).encode(), "another entity"),
        (json.dumps(page(rows={"di": "x"})).encode(), "rows is not a list"),
        (json.dumps(page(rows=[{"di": 1}])).encode(), "di must be text"),
        (json.dumps(page(rows=[product(1, "x" * 5000)])).encode(), "longer than"),
        (json.dumps(page(tombstones=None)).encode(), "tombstones is not a list"),
        (json.dumps(page(has_more="no")).encode(), "has_more"),
        (json.dumps(page(next_cursor=None)).encode(), "next_cursor"),
        (json.dumps(page(next_cursor="x" * 5000)).encode(), "next_cursor"),
        (b"{" + b'"rows": [],' * 10 + b'"x": 1' + b"}", "another entity"),
    ],
)
def test_a_malformed_page_is_an_error_and_applies_nothing(
    store: Store, body: bytes, words: str
) -> None:
    served = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=served) as client:
        puller = MasterPuller(client, "http://127.0.0.1:9", store.writer, CTX)
        with pytest.raises(MasterPullError, match=words):
            puller.pull_once()
    assert count(store, "product") == 0
    assert count(store, "audit") == 0
    assert cursor(store, "products") is None


def test_a_huge_page_is_refused_before_it_is_read_whole(store: Store) -> None:
    huge = json.dumps(page(rows=[product(n, "x" * 4000) for n in range(1, 400)])).encode()
    served = httpx.MockTransport(lambda request: httpx.Response(200, content=huge))
    with httpx.Client(transport=served) as client:
        puller = MasterPuller(
            client, "http://127.0.0.1:9", store.writer, CTX, max_page_bytes=100_000
        )
        with pytest.raises(MasterPullError, match="larger than 100000 bytes"):
            puller.pull_once()
    assert count(store, "product") == 0


def test_a_feed_that_does_not_advance_is_an_error(store: Store) -> None:
    stuck = json.dumps(page(has_more=True, next_cursor="same")).encode()
    served = httpx.MockTransport(lambda request: httpx.Response(200, content=stuck))
    with httpx.Client(transport=served) as client:
        puller = MasterPuller(client, "http://127.0.0.1:9", store.writer, CTX)
        with pytest.raises(MasterPullError, match="does not advance"):
            puller.pull_once()
    # The first page (no cursor → "same") did apply; the repeat did not loop.
    assert cursor(store, "products") == "same"


def test_a_server_error_names_the_status(store: Store) -> None:
    answer = {"title": "Database down", "detail": "try later\x1b[31m"}
    served = httpx.MockTransport(lambda request: httpx.Response(503, json=answer))
    with httpx.Client(transport=served) as client:
        puller = MasterPuller(client, "http://127.0.0.1:9", store.writer, CTX)
        with pytest.raises(
            MasterPullError, match="HTTP 503 Service Unavailable: Database down"
        ) as caught:
            puller.pull_once()
    assert "\x1b" not in str(caught.value)


def test_bad_settings_are_refused(store: Store) -> None:
    with httpx.Client() as client:
        with pytest.raises(ValueError, match="unknown master-data entities: events"):
            MasterPuller(client, "http://127.0.0.1:9", store.writer, CTX, entities=["events"])
        with pytest.raises(ValueError, match="page_size"):
            MasterPuller(client, "http://127.0.0.1:9", store.writer, CTX, page_size=0)
        with pytest.raises(ValueError, match="https"):
            MasterPuller(client, "http://erp.example.com", store.writer, CTX)
        puller = MasterPuller(
            client, "http://127.0.0.1:9/", store.writer, CTX, entities=["users", "products"]
        )
        assert puller.entities == ("products", "users")
