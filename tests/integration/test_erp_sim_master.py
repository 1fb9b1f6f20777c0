"""The reference ERP's master-data feed over real HTTP: cursors, paging, tombstones, compaction."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.masterdata.specs import SPECS
from sync.erp_sim import ErpSim
from sync.erp_sim.master import CURSOR_EXPIRED, ENTITIES, MasterDataError
from tests.integration.test_erp_sim import _first_line
from ui.cli import main

TIMEOUT = 5.0


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[ErpSim]:
    with ErpSim(tmp_path / "erp.sqlite") as server:
        yield server


def supplier(code: str, name: str = "") -> dict[str, str]:
    return {"code": code, "name": name or f"Supplier {code}", "qualification": "qualified"}


def pull(erp: ErpSim, entity: str, cursor: str | None = None, limit: int | None = None) -> Any:
    params: dict[str, str | int] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    response = httpx.get(f"{erp.url}/sync/master/{entity}", params=params, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def pull_all(erp: ErpSim, entity: str, cursor: str | None, limit: int) -> tuple[Any, list[Any]]:
    """Follow pages until has_more is false; returns the last cursor and every page."""
    pages = []
    while True:
        page = pull(erp, entity, cursor, limit)
        pages.append(page)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor, pages


def test_entities_match_the_station_csv_columns() -> None:
    for name, spec in SPECS.items():
        assert ENTITIES[name].fields == tuple(column.name for column in spec.columns)
        assert ENTITIES[name].key == spec.key
    assert ENTITIES["users"].key == ("username",)
    assert ENTITIES["users"].fields == ("username", "name", "roles", "badge", "active")


def test_rows_hold_every_column_as_strings(erp: ErpSim) -> None:
    erp.master.put("suppliers", supplier("S1"))
    page = pull(erp, "suppliers")
    assert page["entity"] == "suppliers"
    assert page["rows"] == [
        {
            "code": "S1",
            "name": "Supplier S1",
            "gln": "",
            "qualification": "qualified",
            "qualified_until": "",
            "active": "",
        }
    ]
    assert page["tombstones"] == []
    assert page["has_more"] is False
    assert isinstance(page["next_cursor"], str)
    assert erp.master.snapshot("suppliers") == page["rows"]


def test_paging_and_resume_from_the_cursor(erp: ErpSim) -> None:
    for number in range(7):
        erp.master.put("suppliers", supplier(f"S{number}"))
    erp.master.put("parties", {"code": "P1", "name": "Clinic", "kind": "customer"})
    cursor, pages = pull_all(erp, "suppliers", None, 3)
    assert [len(page["rows"]) for page in pages] == [3, 3, 1]
    assert [page["has_more"] for page in pages] == [True, True, False]
    codes = [row["code"] for page in pages for row in page["rows"]]
    assert codes == [f"S{n}" for n in range(7)]  # change order, other entities not mixed in
    # nothing new: an empty page, the same position
    again = pull(erp, "suppliers", cursor)
    assert (again["rows"], again["tombstones"], again["has_more"]) == ([], [], False)
    # resume: only what changed since
    erp.master.put("suppliers", supplier("S3", "Renamed"))
    erp.master.put("suppliers", supplier("S9"))
    later = pull(erp, "suppliers", again["next_cursor"])
    assert [(row["code"], row["name"]) for row in later["rows"]] == [
        ("S3", "Renamed"),
        ("S9", "Supplier S9"),
    ]


def test_a_page_holds_each_key_once_with_its_last_change(erp: ErpSim) -> None:
    erp.master.put("suppliers", supplier("A", "first"))
    erp.master.put("suppliers", supplier("B"))
    erp.master.put("suppliers", supplier("A", "second"))
    erp.master.put("suppliers", supplier("C"))
    erp.master.delete("suppliers", {"code": "C"})
    erp.master.delete("suppliers", {"code": "B"})
    erp.master.put("suppliers", supplier("B", "back"))
    page = pull(erp, "suppliers")
    assert [(row["code"], row["name"]) for row in page["rows"]] == [("A", "second"), ("B", "back")]
    assert page["tombstones"] == [{"code": "C"}]
    assert [row["code"] for row in erp.master.snapshot("suppliers")] == ["A", "B"]


def test_limit_counts_changes_before_compacting_the_page(erp: ErpSim) -> None:
    for name in ("v1", "v2", "v3"):
        erp.master.put("suppliers", supplier("A", name))
    erp.master.put("suppliers", supplier("B"))
    first = pull(erp, "suppliers", limit=2)
    assert [row["name"] for row in first["rows"]] == ["v2"]
    assert first["has_more"] is True
    second = pull(erp, "suppliers", first["next_cursor"], limit=2)
    assert [(row["code"], row["name"]) for row in second["rows"]] == [
        ("A", "v3"),
        ("B", "Supplier B"),
    ]
    assert second["has_more"] is False


def test_tombstones_carry_only_the_key(erp: ErpSim) -> None:
    line = {"po_number": "PO-1", "line_no": "1", "product_di": "04012345123456", "quantity": "5"}
    erp.master.put("purchase_order_lines", line)
    cursor = pull(erp, "purchase_order_lines")["next_cursor"]
    erp.master.delete("purchase_order_lines", {"po_number": "PO-1", "line_no": "1"})
    page = pull(erp, "purchase_order_lines", cursor)
    assert page["rows"] == []
    assert page["tombstones"] == [{"po_number": "PO-1", "line_no": "1"}]
    assert erp.master.snapshot("purchase_order_lines") == []


def test_users_entity(erp: ErpSim) -> None:
    user = {
        "username": "li",
        "name": "Li Na",
        "roles": "operator qa",
        "badge": "B7",
        "active": "yes",
    }
    erp.master.put("users", user)
    assert pull(erp, "users")["rows"] == [user]
    with pytest.raises(MasterDataError, match="roles"):
        erp.master.put("users", {**user, "roles": "operator root"})
    with pytest.raises(MasterDataError, match="active"):
        erp.master.put("users", {**user, "active": "maybe"})


def test_compaction_expires_older_cursors_with_410(erp: ErpSim) -> None:
    erp.master.put("suppliers", supplier("A", "old"))
    erp.master.put("suppliers", supplier("B"))
    early = pull(erp, "suppliers", limit=1)["next_cursor"]  # mid-feed
    erp.master.put("suppliers", supplier("A", "new"))
    erp.master.delete("suppliers", {"code": "B"})
    erp.master.put("users", {"username": "x", "name": "X"})  # high-water beyond suppliers
    caught_up = pull(erp, "suppliers")["next_cursor"]
    erp.master.compact()

    expired = httpx.get(f"{erp.url}/sync/master/suppliers", params={"cursor": early})
    assert expired.status_code == 410
    assert expired.headers["Content-Type"] == "application/problem+json"
    body = expired.json()
    assert body["type"] == CURSOR_EXPIRED
    assert body["status"] == 410
    assert body["title"]

    # a client that had read to the end holds the high-water mark: still valid
    assert pull(erp, "suppliers", caught_up)["rows"] == []

    # the re-snapshot from an empty cursor, paged: superseded changes and tombstones are gone
    cursor, pages = pull_all(erp, "suppliers", None, 1)
    assert [row for page in pages for row in page["rows"]] == [supplier("A", "new") | _blank()]
    assert all(page["tombstones"] == [] for page in pages)
    assert pull(erp, "suppliers", cursor)["rows"] == []

    # a cursor handed out before a second compaction expires too
    erp.master.put("suppliers", supplier("C"))
    erp.master.compact()
    assert httpx.get(f"{erp.url}/sync/master/suppliers", params={"cursor": cursor}).status_code == (
        410
    )


def _blank() -> dict[str, str]:
    return {"gln": "", "qualified_until": "", "active": ""}


def test_a_snapshot_interrupted_by_a_compaction_restarts(erp: ErpSim) -> None:
    for number in range(4):
        erp.master.put("suppliers", supplier(f"S{number}"))
    erp.master.compact()
    first = pull(erp, "suppliers", limit=2)  # a snapshot after the compaction pages normally
    second = pull(erp, "suppliers", first["next_cursor"], limit=2)
    assert len(first["rows"]) + len(second["rows"]) == 4
    third = pull(erp, "suppliers", limit=2)
    erp.master.put("suppliers", supplier("S0", "changed"))
    erp.master.compact()
    response = httpx.get(
        f"{erp.url}/sync/master/suppliers", params={"cursor": third["next_cursor"], "limit": 2}
    )
    assert response.status_code == 410


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"limit": "0"}, 400),
        ({"limit": "5001"}, 400),
        ({"limit": "ten"}, 400),
        ({"limit": "-1"}, 400),
        ({"cursor": "not-a-cursor"}, 400),
        ({"cursor": base64.urlsafe_b64encode(b"v2:5").decode()}, 400),
        ({"cursor": base64.urlsafe_b64encode(b"v1:x").decode()}, 400),
        ({"limit": "5000"}, 200),
        ({"cursor": ""}, 200),
    ],
)
def test_bad_limit_and_cursor_are_400(erp: ErpSim, query: dict[str, str], status: int) -> None:
    response = httpx.get(f"{erp.url}/sync/master/products", params=query, timeout=TIMEOUT)
    assert response.status_code == status, response.text
    if status == 400:
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 400


def test_unknown_entity_is_404(erp: ErpSim) -> None:
    response = httpx.get(f"{erp.url}/sync/master/invoices", timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.json()["type"] == "epcisException:NoSuchResourceException"


def test_admin_post_and_compact(erp: ErpSim) -> None:
    body = {
        "rows": [supplier("A"), supplier("B")],
        "tombstones": [{"code": "B"}],
    }
    response = httpx.post(f"{erp.url}/admin/master/suppliers", json=body, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json() == {"changes": 3}
    assert [row["code"] for row in erp.master.snapshot("suppliers")] == ["A"]
    cursor = pull(erp, "suppliers", limit=1)["next_cursor"]
    compacted = httpx.post(f"{erp.url}/admin/master/compact", timeout=TIMEOUT)
    assert compacted.status_code == 200
    expired = httpx.get(f"{erp.url}/sync/master/suppliers", params={"cursor": cursor})
    assert expired.status_code == 410


@pytest.mark.parametrize(
    ("entity", "body", "status"),
    [
        ("invoices", {"rows": []}, 404),
        ("suppliers", [], 400),
        ("suppliers", {"rows": [{"name": "no key"}]}, 400),
        ("suppliers", {"rows": [{"code": "A", "name": 5}]}, 400),
        ("suppliers", {"rows": [{"code": "A", "colour": "red"}]}, 400),
        ("suppliers", {"tombstones": [{"code": "A", "name": "x"}]}, 400),
        ("suppliers", {"rows": {"code": "A"}}, 400),
        ("suppliers", {"rows": [], "extra": []}, 400),
    ],
)
def test_admin_post_validates_lightly(erp: ErpSim, entity: str, body: Any, status: int) -> None:
    response = httpx.post(f"{erp.url}/admin/master/{entity}", json=body, timeout=TIMEOUT)
    assert response.status_code == status, response.text
    assert erp.master.snapshot("suppliers") == []  # all or nothing


def test_admin_post_refuses_a_non_json_body(erp: ErpSim) -> None:
    response = httpx.post(f"{erp.url}/admin/master/suppliers", content=b"{", timeout=TIMEOUT)
    assert response.status_code == 400


def test_master_data_survives_a_restart(tmp_path: Path) -> None:
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        erp.master.put("locations", {"code": "DOCK", "name": "Dock"})
        cursor = pull(erp, "locations")["next_cursor"]
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        assert [row["code"] for row in erp.master.snapshot("locations")] == ["DOCK"]
        assert pull(erp, "locations", cursor)["rows"] == []


def test_seed_file_from_the_cli(tmp_path: Path) -> None:
    seed = tmp_path / "master.json"
    user = {"username": "li", "name": "Li", "roles": "operator", "badge": "", "active": "yes"}
    data = {"suppliers": [supplier("S1")], "users": [user]}
    seed.write_text(json.dumps(data), "utf-8")
    command = [sys.executable, "-m", "ui.cli", "erp-sim", "--port", "0"]
    command += ["--db", str(tmp_path / "erp.sqlite"), "--master", str(seed)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = _first_line(process).split()[-1]
        page = httpx.get(f"{url}/sync/master/users", timeout=TIMEOUT).json()
        assert page["rows"] == [user]
        suppliers = httpx.get(f"{url}/sync/master/suppliers", timeout=TIMEOUT).json()
        assert [row["code"] for row in suppliers["rows"]] == ["S1"]
    finally:
        process.terminate()
        process.wait(timeout=10)
    with ErpSim(tmp_path / "erp.sqlite") as erp:
        assert erp.master.seed(data) == 0  # seeding again adds no change
        assert erp.master.seed({"suppliers": [supplier("S1", "new")]}) == 1


def test_cli_refuses_a_bad_seed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "master.json"
    seed.write_text(json.dumps({"suppliers": [{"name": "no code"}]}), "utf-8")
    argv = ["erp-sim", "--port", "0", "--db", str(tmp_path / "erp.sqlite"), "--master", str(seed)]
    assert main(argv) == 2
    assert "key field code" in capsys.readouterr().err
