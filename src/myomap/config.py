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

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from myomap.domain.errors import UsageError

PREFIX = "MYOMAP_"
DATABASE_FILE = "myomap.sqlite3"


def default_data_dir() -> Path:
    """The per-user data directory (platform convention), used when MYOMAP_DATA_DIR is unset."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("myomap", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable at run time; each field maps to ``MYOMAP_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

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
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names the web app answers to once accounts exist "
        "(e.g. myomap.clinic.lan), besides the loopback names. With no accounts only "
        "localhost, 127.0.0.1 and [::1] are answered. Empty: the loopback names and the bind "
        "address; any name when bound to 0.0.0.0 or ::.",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, le=1440,
        description="A web login ends after this many minutes without a request.",
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, le=1024**3,
        description="Largest request body the web app accepts (bytes); larger ones get 413 "
        "before anything is read.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the mapping handed to load_settings counts: no hidden reads of os.environ or files.
        return (init_settings,)

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
