"""Backup and restore of a record store.

Backups use SQLite's online backup API, so a consistent copy is taken even while another process
(the web app) is writing. A restore checks that the file really is a myomap database this version
can read, keeps a copy of the current database next to it, then copies the backup in page by page.
PostgreSQL stores are backed up with the server's own ``pg_dump`` (myomap.services.pgdump), so
one scheduled ``myomap backup`` serves both back ends; they are restored with ``pg_restore``
(see docs/records.md and docs/deploy.md).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from myomap.domain.errors import UsageError

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = ("alembic_version", "client", "visit", "amendment")

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
        for extra in (target, target.with_name(target.name + "-wal"),
                      target.with_name(target.name + "-shm")):
            extra.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(
            f"copying the damaged database to {previous} failed ({exc.strerror}); check that "
            "the folder is writable and has free space"
        ) from None


def inspect_file(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact myomap database this version can open.

    Raises :class:`UsageError` saying what is wrong; the file is opened read-only.
    """
    from myomap.store.migrate import known_revisions

    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise UsageError(f"{path} is not a myomap database (not a SQLite file)")
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise UsageError(f"{path} is damaged (SQLite integrity check failed)")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE "
                                                 "type='table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise UsageError(f"{path} is not a myomap database (no {missing[0]} table)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            clients = conn.execute("SELECT count(*) FROM client").fetchone()[0]
            visits = conn.execute("SELECT count(*) FROM visit").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path} cannot be read as a database ({type(exc).__name__})") from None
    revision = row[0] if row else ""
    if revision not in known_revisions():
        raise UsageError(
            f"{path} has schema revision {revision or 'none'}, unknown to this version of "
            "myomap; it may come from a newer version: upgrade myomap first"
        )
    return BackupInfo(path, path.stat().st_size, clients, visits, revision)


def _check_target(target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name for the backup, e.g. "
                         f"{target / 'myomap-backup.sqlite3'}")
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; choose another file name or use --overwrite")
    if not target.parent.is_dir():
        raise UsageError(f"folder {target.parent} does not exist; create it or choose another")


def _postgresql_backup(url: str, target: Path, overwrite: bool) -> BackupInfo:
    """pg_dump archive of a PostgreSQL store, with the counts of the store it was taken from."""
    from sqlalchemy import func, select

    from myomap.services import pgdump
    from myomap.services.database import open_store
    from myomap.store.orm import Client, Visit

    _check_target(target, overwrite)
    pgdump.dump(url, target)
    store = open_store(url, migrate=False)
    try:
        from myomap.store.migrate import current_revision

        with store.transaction() as session:
            clients = session.scalar(select(func.count()).select_from(Client)) or 0
            visits = session.scalar(select(func.count()).select_from(Visit)) or 0
        revision = current_revision(store.engine) or ""
    finally:
        store.close()
    return BackupInfo(target, target.stat().st_size, clients, visits, revision)


def backup(url: str, target: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a consistent copy of the store at ``url`` to ``target``.

    SQLite: a SQLite file through the online backup API. PostgreSQL: a pg_dump archive.
    """
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
    partial.replace(target)  # a half-written backup never carries the final name
    return inspect_file(target)


def restore(url: str, source: Path) -> RestoreInfo:
    """Replace the store at ``url`` with the backup ``source``, keeping a copy of the current one.

    The restored database is migrated to the current schema if it is older.
    """
    from myomap.services.database import open_store

    target = _database_file(url)
    checked = inspect_file(source)
    if target.exists() and source.resolve() == target.resolve():
        raise UsageError("the file to restore is the current database itself")
    previous: Path | None = None
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        previous = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        if _readable(target):
            _copy(target, previous)
            inspect_file(previous)
        else:
            _keep_damaged(target, previous)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target, journal="WAL")
    open_store(url).close()  # migrate an older backup to head now, not at the next command
    after = inspect_file(target)
    return RestoreInfo(checked.path, previous, after.clients, after.visits, after.revision)
