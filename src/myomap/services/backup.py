"""Backup and restore of a record store.

Backups use SQLite's online backup API, so a consistent copy is taken even while another process
(the web app) is writing. Beside each backup ``FILE`` goes ``FILE.manifest.json``: schema
revision, every table with its row count, size and SHA-256 of the file. A restore first copies
the backup to a staging file and checks that copy (myomap.services.backup_manifest) before
anything is replaced, so a damaged, truncated or altered backup is refused in one line and the
current store stays as it was; then it keeps a copy of the current database next to it and
installs the checked copy.
PostgreSQL stores are backed up with the server's own ``pg_dump`` (myomap.services.pgdump), so
one scheduled ``myomap backup`` serves both back ends; they are restored with ``pg_restore``
(see docs/records.md and docs/deploy.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from myomap.domain.errors import UsageError
from myomap.services import pgdump
from myomap.services.backup_manifest import (
    MANIFEST_FORMAT,
    MANIFEST_SUFFIX,
    SQLITE_MAGIC,
    BackupInfo,
    inspect_file,
    manifest_path,
    verify,
    write_manifest,
)
from myomap.services.database import open_store
from myomap.store.engine import sqlite_path

PG_HELP = (
    "this store is PostgreSQL: back it up with the server tools, e.g. "
    "'pg_dump --format=custom --file FILE DBNAME' and restore with "
    "'pg_restore --clean --if-exists --dbname DBNAME FILE' (see docs/records.md)"
)


@dataclass(frozen=True)
class RestoreInfo:
    restored_from: Path
    previous_copy: Path | None
    clients: int
    visits: int
    revision: str


def _database_file(url: str) -> Path:
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


def _backup(url: str, target: Path, *, overwrite: bool) -> BackupInfo:
    if sqlite_path(url) is None and url.startswith("postgresql"):
        _check_target(target, overwrite)
        return pgdump.backup(url, target)
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
        verify(staging, source)
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


__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_SUFFIX",
    "BackupInfo",
    "RestoreInfo",
    "backup",
    "inspect_file",
    "manifest_path",
    "restore",
    "write_manifest",
]
