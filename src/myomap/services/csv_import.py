"""CSV import: a myomap CSV folder (all six files, or clients.csv alone) into the store.

Files saved by Excel start with a byte order mark and are read all the same; list cells take
``,`` (as written since CHOIR tools expect it) or ``;`` (as older exports wrote them).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import UsageError
from myomap.services import clients, examination, visits
from myomap.services.csv_format import FILES, CsvSummary
from myomap.services.outcomes import parse_answer, record_measurement

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.outcomes import Catalogue

_VISIT_REF = re.compile(r"^(?P<client>.+)/(?P<n>\d+)$")
_LIST = re.compile(r"[;,]")


def _read(folder: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    path = folder / name
    if not path.is_file():
        raise UsageError(
            f"{path} is missing; a myomap CSV folder holds {', '.join(FILES)} "
            "(clients.csv alone is enough to import clients)"
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in FILES[name] if c not in (reader.fieldnames or [])]
            if missing:
                raise UsageError(f"{name}: missing column(s) {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                yield line, {k: (v or "") for k, v in row.items() if k is not None}
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text") from None


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Prefix a refused row's message with its file and line (never with its values)."""
    try:
        yield
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _parse_when(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError("not an ISO 8601 time with a zone") from None
    if parsed.tzinfo is None:
        raise UsageError("the time needs a zone, e.g. +00:00")
    return parsed


def _floats(value: str) -> list[float]:
    try:
        return [float(v) for v in _LIST.split(value) if v.strip()]
    except ValueError:
        raise UsageError("expected numbers separated by ',' (or ';')") from None


def _drawing(row: Mapping[str, str]) -> dict[str, Any]:
    try:
        drawing = json.loads(row["drawing_json"])
    except json.JSONDecodeError:
        raise UsageError("drawing_json is not JSON") from None
    if not isinstance(drawing, dict):
        raise UsageError("drawing_json must be a JSON object")
    return drawing


def _import_visit(session: Session, cid: int, cref: str, row: Mapping[str, str], actor: str) -> int:
    match = _VISIT_REF.match(row["visit_ref"])
    if not match or match["client"] != cref:
        raise UsageError("visit_ref must be '<client_ref>/<number>' of the row's client")
    if row["status"] not in ("draft", "signed"):
        raise UsageError("status must be draft or signed")
    return visits.start_visit(
        session,
        cid,
        practitioner=row["practitioner"] or None,
        started_at=_parse_when(row["started_at"]),
        actor=actor,
    ).id


def _finish_visit(session: Session, vid: int, row: Mapping[str, str]) -> None:
    """Write the note as it was signed, then sign with the original signer and time."""
    sections: dict[str, str | None] = {
        k: row[k] or None for k in ("subjective", "objective", "assessment", "plan")
    }
    if any(sections.values()):
        visits.write_note(session, vid, sections=sections)
    if row["status"] == "signed":
        visits.sign_visit(
            session, vid, signed_by=row["signed_by"], signed_at=_parse_when(row["signed_at"])
        )


def _group(folder: Path, name: str, key: str) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Rows of an optional file by ``key``; a missing file is an empty one (clients only)."""
    out: dict[str, list[tuple[int, dict[str, str]]]] = {}
    if not (folder / name).exists():
        return out
    for line, row in _read(folder, name):
        out.setdefault(row[key], []).append((line, row))
    return out


def import_folder(
    session: Session, folder: Path, catalogue: Catalogue, *, actor: str = "import"
) -> CsvSummary:
    """Create the clients of a CSV folder that the store does not hold yet, with their visits,
    drawings, PPT, ROM and measurements, in the caller's transaction (all or nothing)."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; give the folder 'myomap export csv' wrote")
    visits_by_client = _group(folder, "visits.csv", "client_ref")
    drawings = _group(folder, "drawings.csv", "visit_ref")
    ppts = _group(folder, "ppt.csv", "visit_ref")
    roms = _group(folder, "rom.csv", "visit_ref")
    measures = _group(folder, "measurements.csv", "client_ref")
    result = CsvSummary(folder, rows=dict.fromkeys(FILES, 0))
    for line, row in _read(folder, "clients.csv"):
        cref = row["client_ref"]
        if clients.find_by_external_ref(session, cref) is not None:
            result.skipped_clients.append(cref)
            continue
        with _at(f"clients.csv line {line}"):
            year = row["birth_year"]
            if year and not year.isdigit():
                raise UsageError("birth_year must be a year")
            cid = clients.add_client(
                session,
                display_name=row["display_name"],
                birth_year=int(year) if year else None,
                sex=row["sex"] or None,
                external_ref=cref,
                actor=actor,
            ).id
        result.created_clients.append(cid)
        result.rows["clients.csv"] += 1
        ids: dict[str, int] = {}
        # Clinical times: what a visit holds is dated at the visit, never at this import.
        starts: dict[str, datetime | None] = {}
        for vline, v in visits_by_client.get(cref, []):
            with _at(f"visits.csv line {vline}"):
                ids[v["visit_ref"]] = _import_visit(session, cid, cref, v, actor)
                starts[v["visit_ref"]] = _parse_when(v["started_at"])
            result.rows["visits.csv"] += 1
            vid = ids[v["visit_ref"]]
            for dline, d in drawings.get(v["visit_ref"], []):
                with _at(f"drawings.csv line {dline}"):
                    doc = _drawing(d)
                    examination.add_drawing(
                        session,
                        vid,
                        doc,
                        # A drawing that carries its own time keeps it; else the visit's.
                        recorded_at=None if doc.get("recorded_at") else starts[v["visit_ref"]],
                        actor=actor,
                    )
                result.rows["drawings.csv"] += 1
            for pline, p in ppts.get(v["visit_ref"], []):
                with _at(f"ppt.csv line {pline}"):
                    examination.add_ppt(
                        session,
                        vid,
                        site=p["site"],
                        side=p["side"],
                        trials_kpa=_floats(p["trials_kpa"]),
                        actor=actor,
                    )
                result.rows["ppt.csv"] += 1
            for rline, r in roms.get(v["visit_ref"], []):
                with _at(f"rom.csv line {rline}"):
                    degrees = _floats(r["degrees"])
                    if len(degrees) != 1:
                        raise UsageError("degrees must be one number")
                    examination.add_rom(
                        session,
                        vid,
                        movement=r["movement"],
                        side=r["side"],
                        degrees=degrees[0],
                        actor=actor,
                    )
                result.rows["rom.csv"] += 1
            with _at(f"visits.csv line {vline}"):
                _finish_visit(session, vid, v)
        for mline, m in measures.get(cref, []):
            with _at(f"measurements.csv line {mline}"):
                vref = m["visit_ref"]
                if vref and vref not in ids:
                    raise UsageError("visit_ref is not a visit of this client in visits.csv")
                record_measurement(
                    session,
                    catalogue,
                    cid,
                    instrument=m["instrument"],
                    answers=[parse_answer(a) for a in _LIST.split(m["answers"])],
                    visit_id=ids[vref] if vref else None,
                    recorded_at=_parse_when(m["recorded_at"]) or starts.get(vref),
                    actor=actor,
                )
            result.rows["measurements.csv"] += 1
    return result


def refs_in(folder: Path) -> Sequence[str]:
    """Client references in a CSV folder (for messages and tests)."""
    return [row["client_ref"] for _, row in _read(folder, "clients.csv")]
