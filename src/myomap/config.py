"""Runtime settings, read from ``MYOMAP_*`` environment variables.

Settings are built by :func:`load_settings` from an explicit environment mapping, never at import,
so that tests and the web app can run side by side with different databases. The defaults need no
server: a SQLite file in the user's data directory and a loopback web bind.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from myomap.domain.errors import UsageError

PREFIX = "MYOMAP_"
DATABASE_FILE = "myomap.sqlite3"


def default_data_dir() -> Path:
    """The per-user data directory (platform convention), used when MYOMAP_DATA_DIR is unset."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("myomap", appauthor=False))


class Settings(BaseModel):
    """Everything configurable at run time; each field maps to ``MYOMAP_<FIELD>``.

    A plain model rather than a settings class that reads the environment itself: only the
    mapping handed to :func:`load_settings` counts, and the CLI starts without loading a
    settings library."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the default SQLite database and backups made before a restore.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the record store; empty means "
        "sqlite:///<data_dir>/myomap.sqlite3. Use postgresql+psycopg://... for a clinic server.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web app binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web app listens on.")
    public_url: str = Field(
        default="",
        description="Address clients open links at (e.g. https://clinic.example); empty means "
        "http://<host>:<port>. Used by 'myomap client link'.",
    )
    screening_rules: Path | None = Field(
        default=None,
        description="A clinic's screening rule file (JSON) that adds, replaces or disables "
        "bundled rules, for the CLI and the web app alike; `--rules FILE` on `myomap screen`, "
        "`plan` and `handout` takes precedence. Loaded in warn mode: a rule that does not "
        "compile is skipped and reported. See [screening](screening.md).",
    )
    instruments_dir: Path | None = Field(
        default=None,
        description="Folder of a clinic's own outcome instruments (`*.json`, warn mode); "
        "empty means <data_dir>/instruments. See [outcomes](outcomes.md).",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Folder for the compiled differential model that makes `myomap locate` "
        "start fast; empty means the per-user cache folder (`~/.cache/myomap` on Linux). The "
        "cache is keyed by a hash of the data files and of the engine, so a stale one is "
        "never used.",
    )
    no_cache: bool = Field(
        default=False,
        description="True turns the compiled-model cache off: every command compiles the "
        "model from the data files (slower start, nothing written).",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names the web app answers to once accounts exist "
        "(e.g. myomap.clinic.lan), besides the loopback names. With no accounts only "
        "localhost, 127.0.0.1 and [::1] are answered. Empty: the loopback names and the bind "
        "address; any name when bound to 0.0.0.0 or ::.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=1440,
        description="A web login ends after this many minutes without a request.",
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description="Largest request body the web app accepts (bytes); larger ones get 413 "
        "before anything is read.",
    )

    personal: bool = Field(
        default=False,
        description="True runs the web app for one person on their own computer (`myomap serve "
        "--personal`): with no accounts and a loopback bind, `/` opens that person's own page "
        "(a client named Me, created on first use) with the pain drawing, the safety questions, "
        "the self-care-safe trigger points and the diary. Ignored off loopback or once an "
        "account exists. See [the client's own loop](client.md).",
    )

    @field_validator("allowed_hosts")
    @classmethod
    def _check_hosts(cls, value: str) -> str:
        for name in value.split(","):
            name = name.strip()
            if name and not all(c.isalnum() or c in ".-:[]" for c in name):
                raise ValueError(f"{name[:60]!r} is not a host name (letters, digits, . and -)")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith("postgres://") or value.startswith("postgresql://"):
            # Bare postgresql:// would pick psycopg2, which is not installed; psycopg 3 is.
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        if value and not (value.startswith("sqlite") or value.startswith("postgresql+psycopg")):
            raise ValueError("MYOMAP_DATABASE_URL must start with sqlite:/// or postgresql://")
        return value

    @field_validator("no_cache", "personal", mode="before")
    @classmethod
    def _any_value_is_true(cls, value: Any) -> Any:
        # Historically any non-empty MYOMAP_NO_CACHE turned the cache off ("1", "yes", "on").
        if isinstance(value, str):
            return value.strip().lower() not in ("", "0", "false", "no", "off")
        return value

    @property
    def effective_instruments_dir(self) -> Path:
        """The clinic instrument folder: the configured one, or ``<data_dir>/instruments``."""
        return self.instruments_dir or self.data_dir / "instruments"

    @property
    def public_base_url(self) -> str:
        """Where client links point: the configured public address or the local bind."""
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def host_names(self) -> tuple[str, ...]:
        """``allowed_hosts`` as lower-case names without ports or trailing dots."""
        names = (n.strip().lower().rstrip(".") for n in self.allowed_hosts.split(","))
        return tuple(n for n in names if n)

    @property
    def effective_database_url(self) -> str:
        """The URL actually used: the configured one, or the SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DATABASE_FILE).as_posix()}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``environ`` (default: the process environment).

    Raises :class:`UsageError` naming the variable when a value is invalid.
    """
    from pydantic import ValidationError

    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = PREFIX + name.upper()
        if env.get(key):
            values[name] = env[key]
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        raise UsageError(
            f"setting {PREFIX}{field.upper()} is invalid: {first['msg']}. "
            "Fix the environment variable and try again."
        ) from None
