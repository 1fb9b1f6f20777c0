"""`station masterdata` through real processes on a real database file."""

from __future__ import annotations

from pathlib import Path

from tests.integration.station_cli import station

PRODUCTS = (
    "di,di_scheme,name_zh,name_en,trace_level\r\n"
    "04012345123456,gs1,一次性注射器,Disposable syringe,lot\r\n"
    "A123BJC5D6E71,hibc,导管,Catheter,serial\r\n"
)


def test_import_export_and_the_audit_chain_verifies(tmp_path: Path) -> None:
    db, csv_file = tmp_path / "station.db", tmp_path / "products.csv"
    csv_file.write_text("\ufeff" + PRODUCTS, encoding="utf-8", newline="")  # as Excel saves it
    common = ["--db", str(db), "--entity", "products", "--user", "li.wei", "--reason", "setup"]
    first = station("masterdata", "import", *common, str(csv_file))
    assert first.returncode == 0, first.stderr
    assert "2 created, 0 updated, 0 unchanged" in first.stdout
    again = station("masterdata", "import", *common, str(csv_file))
    assert "0 created, 0 updated, 2 unchanged" in again.stdout

    out = tmp_path / "out.csv"
    exported = station(
        "masterdata", "export", "--db", str(db), "--entity", "products", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    assert "一次性注射器" in out.read_text(encoding="utf-8-sig")
    assert station("masterdata", "import", *common, str(out)).returncode == 0

    verified = station("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_bad_file_imports_nothing_and_names_each_problem(tmp_path: Path) -> None:
    db, csv_file = tmp_path / "station.db", tmp_path / "bad.csv"
    csv_file.write_text(PRODUCTS.replace("04012345123456", "04012345123457"), encoding="utf-8")
    result = station(
        "masterdata",
        "import",
        "--db",
        str(db),
        "--entity",
        "products",
        "--user",
        "li.wei",
        "--reason",
        "setup",
        str(csv_file),
    )
    assert result.returncode == 1
    assert "nothing imported" in result.stderr
    assert "line 2, di: invalid device identifier" in result.stderr
    listing = station("masterdata", "export", "--db", str(db), "--entity", "products")
    assert listing.stdout.splitlines()[1:] == []


def test_a_write_session_ends_with_a_signed_checkpoint(tmp_path: Path) -> None:
    db, csv_file = tmp_path / "station.db", tmp_path / "products.csv"
    csv_file.write_text(PRODUCTS, encoding="utf-8")
    common = ["--db", str(db), "--user", "li.wei", "--reason", "setup", "--station", "ST-07"]
    assert (
        station("masterdata", "import", "--entity", "products", *common, str(csv_file)).returncode
        == 0
    )
    verified = station("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stderr
    assert "1 checkpoints" in verified.stdout
    assert "no checkpoint" not in verified.stderr
