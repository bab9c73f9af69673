"""Backup and restore of a record store.

Backups use SQLite's online backup API, so a consistent copy is taken even while another process
(the web app) is writing. Beside each backup ``FILE`` goes ``FILE.manifest.json``: schema
revision, every table with its row count, size and SHA-256 of the file. A restore first copies
the backup to a staging file and checks that copy (checksum, SQLite integrity check, schema
revision, every table, row counts) before anything is replaced, so a damaged, truncated or
altered backup is refused in one line and the current store stays as it was; then it keeps a
copy of the current database next to it and installs the checked copy.
PostgreSQL stores are backed up with the server's own ``pg_dump`` (myomap.services.pgdump), so
one scheduled ``myomap backup`` serves both back ends; they are restored with ``pg_restore``
(see docs/records.md and docs/deploy.md).
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
from myomap.store.repositories import clients as client_repo
from myomap.store.repositories import visits as visit_repo

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

PG_HELP = (
    "this store is PostgreSQL: back it up with the server tools, e.g. "
    "'pg_dump --format=custom --file FILE DBNAME' and restore with "
    "'pg_restore --clean --if-exists --dbname DBNAME FILE' (see docs/records.md)"
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


@dataclass(frozen=True)
class RestoreInfo:
    restored_from: Path
    previous_copy: Path | None
    clients: int
    visits: int
    revision: str


def _database_file(url: str) -> Path:
    from myomap.store.engine import sqlite_path

    path = sqlite_path(url)
    if path is None:
        raise UsageError(PG_HELP)
    return path


def _copy(source: Path, target: Path, *, journal: str = "DELETE") -> None:
    """Consistent copy through the online backup API (works while others read and write).

    A backup file gets a rollback journal so it is one self-contained file; the live database
    keeps WAL.
    """
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            if journal == "WAL":
                dst.execute("PRAGMA journal_mode=WAL")
            src.backup(dst)
            if journal != "WAL":
                dst.execute("PRAGMA journal_mode=DELETE")
    except (sqlite3.Error, OSError) as exc:
        raise UsageError(
            f"copying the database to {target} failed ({type(exc).__name__}); check that the "
            "folder exists, is writable and has free space"
        ) from None


def _readable(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as db:
            db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error:
        return False
    return True


def _keep_damaged(target: Path, previous: Path) -> None:
    """A damaged store cannot go through the backup API: keep its bytes, then clear the name.

    Restoring is how a user recovers from a damaged store, so it must not refuse one.
    """
    import shutil

    try:
        shutil.copy2(target, previous)
        for extra in (
            target,
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        ):
            extra.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(
            f"copying the damaged database to {previous} failed ({exc.strerror}); check that "
            "the folder is writable and has free space"
        ) from None


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


def _read_manifest(path: Path, shown: Path) -> dict[str, Any]:
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


def _verify(path: Path, shown: Path) -> BackupInfo:
    """Everything restore checks, on ``path`` (a staging copy of the backup ``shown``)."""
    manifest = _read_manifest(path, shown)
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
    from myomap.store.migrate import head_revision
    from myomap.store.orm import Base

    if revision == head_revision():
        return ("alembic_version", *sorted(Base.metadata.tables))
    return CORE_TABLES


def inspect_file(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact myomap database this version can open.

    Raises :class:`UsageError` saying what is wrong; the file is opened read-only.
    """
    from myomap.store.migrate import known_revisions

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


def _plain_os_errors(path: Path, exc: OSError) -> UsageError:
    """An OS refusal (a name over 255 bytes, no permission) in one line naming the file."""
    return UsageError(f"cannot use {str(path)[:300]!r}: {exc.strerror or type(exc).__name__}")


def backup(url: str, target: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a consistent copy of the store at ``url`` to ``target``: a SQLite file with its
    manifest, or a pg_dump archive of a PostgreSQL store."""
    try:
        return _backup(url, target, overwrite=overwrite)
    except OSError as exc:
        raise _plain_os_errors(target, exc) from None


def restore(url: str, source: Path) -> RestoreInfo:
    """Replace the store at ``url`` with the backup ``source``, keeping a copy of the current one.

    The backup is copied to a staging file and checked there first; the store is only touched
    once the copy passed every check. The restored database is migrated to the current schema
    if it is older.
    """
    try:
        return _restore(url, source)
    except OSError as exc:
        raise _plain_os_errors(source, exc) from None


def _check_target(target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise UsageError(
            f"{target} is a folder; give a file name for the backup, e.g. "
            f"{target / 'myomap-backup.sqlite3'}"
        )
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; choose another file name or use --overwrite")
    if not target.parent.is_dir():
        raise UsageError(f"folder {target.parent} does not exist; create it or choose another")


def _postgresql_backup(url: str, target: Path, overwrite: bool) -> BackupInfo:
    """pg_dump archive of a PostgreSQL store, with the counts of the store it was taken from."""
    from myomap.services import pgdump
    from myomap.services.database import open_store

    _check_target(target, overwrite)
    pgdump.dump(url, target)
    store = open_store(url, migrate=False)
    try:
        from myomap.store.migrate import current_revision

        with store.transaction() as session:
            clients = client_repo.count(session)
            visits = visit_repo.count(session)
        revision = current_revision(store.engine) or ""
    finally:
        store.close()
    return BackupInfo(
        target,
        target.stat().st_size,
        clients,
        visits,
        revision,
        {"client": clients, "visit": visits},
    )


def _backup(url: str, target: Path, *, overwrite: bool) -> BackupInfo:
    from myomap.store.engine import sqlite_path

    if sqlite_path(url) is None and url.startswith("postgresql"):
        return _postgresql_backup(url, target, overwrite)
    source = _database_file(url)
    if not source.is_file():
        raise UsageError("there is no database yet; nothing to back up")
    _check_target(target, overwrite)
    if target.resolve() == source.resolve():
        raise UsageError("the backup file must not be the database itself")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy(source, partial)
    manifest_path(target).unlink(missing_ok=True)  # never leave an old manifest beside new data
    partial.replace(target)  # a half-written backup never carries the final name
    manifest = write_manifest(target)
    info = inspect_file(target)
    return BackupInfo(
        info.path, info.bytes, info.clients, info.visits, info.revision, info.tables, manifest
    )


def _restore(url: str, source: Path) -> RestoreInfo:
    import shutil

    from myomap.services.database import open_store

    target = _database_file(url)
    if target.exists() and source.resolve() == target.resolve():
        raise UsageError("the file to restore is the current database itself")
    if not source.is_file():
        raise UsageError(f"{source} does not exist or is not a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = target.with_name(f"{target.stem}.restoring-{stamp}{target.suffix}")
    try:
        try:
            with source.open("rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise UsageError(f"{source} is not a myomap database (not a SQLite file)")
            shutil.copyfile(source, staging)
            if manifest_path(source).is_file():
                shutil.copyfile(manifest_path(source), manifest_path(staging))
        except OSError as exc:
            raise UsageError(f"reading {source} failed ({exc.strerror})") from None
        _verify(staging, source)
        previous: Path | None = None
        if target.exists():
            previous = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
            if _readable(target):
                _copy(target, previous)
            else:
                _keep_damaged(target, previous)
        _copy(staging, target, journal="WAL")
    finally:
        for leftover in (
            staging,
            manifest_path(staging),
            *(staging.with_name(staging.name + x) for x in ("-wal", "-shm", "-journal")),
        ):
            leftover.unlink(missing_ok=True)
    open_store(url).close()  # migrate an older backup to head now, not at the next command
    after = inspect_file(target)
    return RestoreInfo(source, previous, after.clients, after.visits, after.revision)
