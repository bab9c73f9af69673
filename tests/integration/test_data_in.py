"""Data in: CSV saved by Excel, clients alone, ';' from older exports, and client lists from
the practice software clinics use (Jane, Cliniko, ClinicSense) with a dry run."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from myomap.domain.errors import UsageError
from myomap.knowledge.instruments import bundled_catalogue
from myomap.services import clients, exports
from myomap.services.client_import import import_client_list
from myomap.services.database import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'in.sqlite3'}")
    try:
        yield s
    finally:
        s.close()


def _write(path: Path, rows: list[list[str]], *, bom: bool = False, sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return path


def test_clients_csv_alone_saved_by_excel_with_a_bom_imports(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(
        folder / "clients.csv",
        [
            ["client_ref", "display_name", "birth_year", "sex"],
            ["c-1", "Fictional Person", "1980", "female"],
        ],
        bom=True,
    )
    assert (folder / "clients.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with store.transaction() as s:
        summary = exports.import_csv(s, folder, bundled_catalogue())
    assert len(summary.created_clients) == 1 and summary.rows["visits.csv"] == 0
    with store.transaction() as s:
        (client,) = clients.list_clients(s)
    assert client.display_name == "Fictional Person" and client.birth_year == 1980


def test_lists_are_written_with_commas_and_semicolons_still_import(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(
        folder / "clients.csv",
        [["client_ref", "display_name", "birth_year", "sex"], ["c-1", "Fictional Person", "", ""]],
    )
    _write(
        folder / "measurements.csv",
        [
            ["client_ref", "visit_ref", "instrument", "recorded_at", "answers", "total", "band"],
            ["c-1", "", "phq2", "2026-05-04T09:00:00+00:00", "1;2", "", ""],
        ],
    )
    with store.transaction() as s:
        exports.import_csv(s, folder, bundled_catalogue())
        exports.export_csv(s, tmp_path / "out", bundled_catalogue())
    with (tmp_path / "out" / "measurements.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["answers"] == "1,2" and row["total"] == "3"


def test_a_missing_clients_file_is_named(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="clients.csv"), store.transaction() as s:
        exports.import_csv(s, tmp_path / "empty", bundled_catalogue())


HEADERS = {
    "jane": ["Patient ID", "First Name", "Last Name", "Birth Date", "Email", "Mobile Phone"],
    "cliniko": ["ID", "First Name", "Last Name", "Date of Birth", "Email", "Mobile"],
    "clinicsense": ["Client ID", "First Name", "Last Name", "Birthday", "Email", "Phone"],
}


@pytest.mark.parametrize("source", sorted(HEADERS))
def test_client_list_dry_run_then_import(store: Store, tmp_path: Path, source: str) -> None:
    with store.transaction() as s:
        old = clients.add_client(s, display_name="Ada Example", birth_year=1986).id
    path = _write(
        tmp_path / f"{source}.csv",
        [
            HEADERS[source],
            ["17", "Ada", "Example", "1986-03-04", "", ""],
            ["18", "Eve", "Newperson", "31/12/1990", "", "555 0100"],
            ["19", "Eve", "Newperson", "1990-12-31", "eve@example.org", ""],
        ],
        bom=source == "jane",
        sep=";" if source == "clinicsense" else ",",
    )
    with store.transaction() as s:
        dry = import_client_list(s, path, source, dry_run=True)
    assert [c["display_name"] for c in dry.to_create] == ["Eve Newperson"]
    assert dry.to_create[0]["birth_year"] == 1990 and dry.to_create[0]["contact"] == "555 0100"
    assert [d["line"] for d in dry.duplicates] == [2, 4]
    assert f"client {old}" in dry.duplicates[0]["matches"]
    with store.transaction() as s:
        assert len(clients.list_clients(s)) == 1  # the dry run wrote nothing
        done = import_client_list(s, path, source, dry_run=False)
    with store.transaction() as s:
        again = import_client_list(s, path, source, dry_run=True)
        names = sorted(c.display_name for c in clients.list_clients(s))
    assert len(done.created_clients) == 1 and names == ["Ada Example", "Eve Newperson"]
    assert not again.to_create and len(again.duplicates) == 3
    assert "same " + source + " id" in again.duplicates[1]["matches"]


def test_client_list_without_a_name_column_is_refused(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", [["Email"], ["a@example.org"]])
    with pytest.raises(UsageError, match="no name column"), store.transaction() as s:
        import_client_list(s, path, "cliniko", dry_run=True)
