"""What a backup file is and how it is checked: the ``FILE.manifest.json`` beside each SQLite
backup (schema revision, every table with its row count, size and SHA-256) and the checks a
restore runs on a staging copy before it replaces anything (checksum, SQLite integrity check,
schema revision, every table, row counts).

Kept apart from the copying and replacing in :mod:`myomap.services.backup` so that the rules a
backup must meet can be read, and tested, in one place.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from myomap.domain.errors import UsageError
from myomap.store.migrate import head_revision, known_revisions
from myomap.store.orm import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
MANIFEST_FORMAT = "myomap.backup/1"
MANIFEST_SUFFIX = ".manifest.json"
# Tables every myomap store has had since the first schema revision; a store at the current
# revision must also have every table of the current models.
CORE_TABLES = (
    "alembic_version",
    "app_user",
    "audit_log",
    "client",
    "clinic",
    "deletion",
    "intake",
    "visit",
    "amendment",
    "pain_drawing",
    "trp_finding",
    "rom_measurement",
    "ppt_measurement",
    "treatment",
    "home_care_plan",
    "outcome_measurement",
    "practitioner",
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    bytes: int
    clients: int
    visits: int
    revision: str
    tables: dict[str, int]
    manifest: Path | None = None


def manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + MANIFEST_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(path: Path) -> Path:
    """Describe the backup ``path`` in ``path.manifest.json`` (written whole or not at all)."""
    info = inspect_file(path)
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "revision": info.revision,
        "tables": info.tables,
    }
    target = manifest_path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        raise UsageError(f"writing the backup manifest {target} failed ({exc.strerror})") from None
    return target


def read_manifest(path: Path, shown: Path) -> dict[str, Any]:
    where = manifest_path(shown)
    if not manifest_path(path).is_file():
        raise UsageError(
            f"{shown} has no manifest ({where.name} is not beside it); only a backup written by "
            "'myomap backup' together with its manifest can be restored"
        )
    try:
        with manifest_path(path).open("rb") as fh:
            data = json.loads(fh.read(1_000_000).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise UsageError(f"the manifest {where} is damaged (not readable JSON)") from None
    tables = data.get("tables") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("format") != MANIFEST_FORMAT
        or not isinstance(data.get("sha256"), str)
        or not isinstance(tables, dict)
        or not all(isinstance(v, int) for v in tables.values())
    ):
        raise UsageError(f"the manifest {where} is damaged (not a {MANIFEST_FORMAT} manifest)")
    return data


def verify(path: Path, shown: Path) -> BackupInfo:
    """Everything restore checks, on ``path`` (a staging copy of the backup ``shown``)."""
    manifest = read_manifest(path, shown)
    if _sha256(path) != manifest["sha256"] or path.stat().st_size != manifest.get("bytes"):
        raise UsageError(
            f"{shown} does not match its manifest (SHA-256 differs): the file was damaged or "
            "changed after the backup; nothing was restored"
        )
    try:
        info = inspect_file(path)
    except UsageError as exc:
        raise UsageError(str(exc).replace(str(path), str(shown))) from None
    if info.revision != manifest.get("revision"):
        raise UsageError(
            f"{shown} has schema revision {info.revision}, its manifest says "
            f"{manifest.get('revision')}; nothing was restored"
        )
    if info.tables != manifest["tables"]:
        wrong = sorted(set(info.tables) ^ set(manifest["tables"])) or sorted(
            t for t in info.tables if info.tables[t] != manifest["tables"].get(t)
        )
        raise UsageError(
            f"{shown} does not match its manifest (table {wrong[0]} differs); nothing was restored"
        )
    return info


def _required_tables(revision: str) -> tuple[str, ...]:
    if revision == head_revision():
        return ("alembic_version", *sorted(Base.metadata.tables))
    return CORE_TABLES


def inspect_file(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact myomap database this version can open.

    Raises :class:`UsageError` saying what is wrong; the file is opened read-only.
    """
    try:
        if not path.is_file():
            raise UsageError(f"{path} does not exist or is not a file")
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise UsageError(f"{path} is not a myomap database (not a SQLite file)")
        uri = path.resolve().as_uri() + "?mode=ro"
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} cannot be read ({type(exc).__name__})") from None
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                raise UsageError(f"{path} is damaged (SQLite integrity check failed)")
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            if "alembic_version" not in names:
                raise UsageError(f"{path} is not a myomap database (no alembic_version table)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else ""
            if revision not in known_revisions():
                raise UsageError(
                    f"{path} has schema revision {revision or 'none'}, unknown to this version "
                    "of myomap; it may come from a newer version: upgrade myomap first"
                )
            missing = [t for t in _required_tables(revision) if t not in names]
            if missing:
                raise UsageError(
                    f"{path} is not a complete myomap database (no {missing[0]} "
                    "table); nothing was restored"
                )
            tables = {
                name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in sorted(names)
            }
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        # A damaged page can hold text that is not UTF-8; Python's driver fails decoding it.
        raise UsageError(f"{path} cannot be read as a database ({type(exc).__name__})") from None
    return BackupInfo(
        path, path.stat().st_size, tables["client"], tables["visit"], revision, tables
    )
