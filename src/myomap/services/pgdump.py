"""``myomap backup`` on a PostgreSQL store: a ``pg_dump`` custom-format archive.

A clinic server schedules ``myomap backup`` (deploy/myomap-backup.timer), so the same command has
to work whichever back end the store uses. PostgreSQL's own ``pg_dump`` takes a consistent
snapshot while the web app keeps writing; it is run with the connection details in its
environment (``PGPASSWORD`` never appears in the process list) and, when the store lives in one
schema (``options=-csearch_path=...`` in the URL), only that schema is dumped. The archive is
written under a temporary name and renamed when complete, then listed with ``pg_restore --list``
when that tool is present, so a truncated file is never taken for a backup.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from myomap.domain.errors import UsageError
from myomap.services.backup_manifest import BackupInfo
from myomap.services.database import open_store
from myomap.store.migrate import current_revision
from myomap.store.repositories import clients as client_repo
from myomap.store.repositories import visits as visit_repo

PG_DUMP_MAGIC = b"PGDMP"
NO_PG_DUMP = (
    "this store is PostgreSQL and pg_dump is not installed: install the PostgreSQL client "
    "tools (Debian: apt-get install postgresql-client, the same major version as the server) "
    "and run 'myomap backup FILE' again"
)


def _environment(url: str) -> tuple[dict[str, str], str, str | None]:
    """libpq environment, database name and schema (if the URL pins one) for ``url``."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    query = dict(parsed.query)
    host = parsed.host or str(query.get("host") or "")
    for key, value in (
        ("PGHOST", host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
    ):
        if value:
            env[key] = str(value)
    schema = None
    options = query.get("options")
    if isinstance(options, str) and options:
        env["PGOPTIONS"] = options
        match = re.search(r"search_path\s*=\s*([A-Za-z0-9_]+)", options)
        schema = match.group(1) if match else None
    return env, parsed.database or "", schema


def dump(url: str, target: Path) -> None:
    """Write a ``pg_dump --format=custom`` archive of the store at ``url`` to ``target``."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise UsageError(NO_PG_DUMP)
    env, database, schema = _environment(url)
    if not database:
        raise UsageError("the PostgreSQL URL names no database; nothing to back up")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    cmd = [pg_dump, "--format=custom", "--no-password", f"--file={partial}"]
    if schema:
        cmd.append(f"--schema={schema}")
    cmd.append(database)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        # pg_dump's messages name objects and connection problems, never row contents.
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise UsageError(f"pg_dump failed: {reason}")
    with partial.open("rb") as fh:
        if fh.read(5) != PG_DUMP_MAGIC:
            partial.unlink(missing_ok=True)
            raise UsageError("pg_dump wrote no custom-format archive; the backup was not kept")
    pg_restore = shutil.which("pg_restore")
    if pg_restore is not None:
        check = subprocess.run(
            [pg_restore, "--list", str(partial)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            partial.unlink(missing_ok=True)
            raise UsageError("pg_restore cannot read the new archive; the backup was not kept")
    partial.replace(target)


def backup(url: str, target: Path) -> BackupInfo:
    """pg_dump archive of a PostgreSQL store, with the counts of the store it was taken from.

    The archive holds the schema as it is, the lock triggers that refuse changes to signed
    notes included, so a store restored from it keeps refusing them.
    """
    dump(url, target)
    store = open_store(url, migrate=False)
    try:
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
