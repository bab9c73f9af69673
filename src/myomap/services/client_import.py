"""Client lists from the practice software a clinic already uses (Jane, Cliniko, ClinicSense).

Only what a client list holds and myomap keeps comes in: the name, the year of birth (myomap
stores no full date of birth), one contact (email, else a phone) and the product's own client
id as the external reference. Column names are matched without regard to case, spaces or
underscores, so ``First Name`` and ``first_name`` are one column; docs/exports.md lists the
names each product is known to use and marks those not checked against a real export.

A dry run reports what would be created and the duplicates found (a client with the same
external reference, or the same name and birth year, in the store or earlier in the file),
and writes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import UsageError
from myomap.services import clients

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Field -> column names (normalised: lower case, letters and digits only), per product.
_COMMON: dict[str, tuple[str, ...]] = {
    "first": ("firstname", "givenname", "first"),
    "last": ("lastname", "surname", "familyname", "last"),
    "full": ("name", "fullname", "patientname", "clientname", "label"),
    "birth": ("dateofbirth", "birthdate", "dob", "birthday"),
    "email": ("email", "emailaddress"),
    "phone": (
        "mobilephone",
        "mobile",
        "cellphone",
        "phone",
        "phonenumber",
        "homephone",
        "workphone",
    ),
}
SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "jane": {**_COMMON, "id": ("patientid", "patientnumber", "id")},
    "cliniko": {**_COMMON, "id": ("patientid", "id")},
    "clinicsense": {**_COMMON, "id": ("clientid", "id")},
}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class ClientListResult:
    source: str
    dry_run: bool
    to_create: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    created_clients: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "to_create": self.to_create,
            "duplicates": self.duplicates,
            "created_clients": self.created_clients,
        }


def _columns(header: list[str], source: str) -> dict[str, str]:
    by_norm = {_norm(h): h for h in header}
    found: dict[str, str] = {}
    for fld, names in SOURCES[source].items():
        for n in names:
            if n in by_norm:
                found[fld] = by_norm[n]
                break
    if "full" not in found and "first" not in found and "last" not in found:
        raise UsageError(
            f"no name column found for a {source} client list; expected e.g. "
            "'First Name' and 'Last Name' (see docs/exports.md)"
        )
    return found


def _row(row: dict[str, str], cols: dict[str, str], source: str) -> dict[str, Any]:
    def get(fld: str) -> str:
        return (row.get(cols[fld]) or "").strip() if fld in cols else ""

    name = " ".join(x for x in (get("first"), get("last")) if x) or get("full")
    year = _YEAR.search(get("birth"))
    ident = get("id")
    return {
        "display_name": name,
        "birth_year": int(year.group(1)) if year else None,
        "contact": get("email") or get("phone") or None,
        "external_ref": f"{source}:{ident}" if ident else None,
    }


def read_client_list(path: Path, source: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, client fields) of a client-list CSV (UTF-8 with or without BOM, ',' or ';')."""
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; choose {', '.join(SOURCES)}")
    if not path.is_file():
        raise UsageError(f"{path} is not a file; give the client list CSV the product exported")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    cols = _columns(list(reader.fieldnames or []), source)
    out = []
    for line, raw in enumerate(reader, start=2):
        client = _row({k: v for k, v in raw.items() if k is not None}, cols, source)
        if client["display_name"]:
            out.append((line, client))
    return out


def import_client_list(
    session: Session, path: Path, source: str, *, dry_run: bool, actor: str = "import"
) -> ClientListResult:
    """Create the clients of a client list that are not in the store yet (or, with
    ``dry_run``, only say what would be created and which rows are duplicates)."""
    result = ClientListResult(source, dry_run)
    existing = {
        (c.display_name.casefold(), c.birth_year): c.id for c in clients.list_clients(session)
    }
    seen: dict[tuple[str, int | None], int] = {}
    for line, client in read_client_list(path, source):
        key = (client["display_name"].casefold(), client["birth_year"])
        match = None
        if client["external_ref"]:
            found = clients.find_by_external_ref(session, client["external_ref"])
            match = f"client {found} (same {source} id)" if found is not None else None
        if match is None and key in existing:
            match = f"client {existing[key]} (same name and birth year)"
        if match is None and key in seen:
            match = f"line {seen[key]} of this file (same name and birth year)"
        if match is not None:
            result.duplicates.append({"line": line, **client, "matches": match})
            continue
        seen[key] = line
        result.to_create.append({"line": line, **client})
        if not dry_run:
            created = clients.add_client(
                session,
                display_name=client["display_name"],
                birth_year=client["birth_year"],
                contact=client["contact"],
                external_ref=client["external_ref"],
                actor=actor,
            )
            result.created_clients.append(created.id)
    return result
