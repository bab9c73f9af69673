from __future__ import annotations

from pathlib import Path

import pytest

from myomap.config import load_settings
from myomap.domain.errors import UsageError


def test_defaults_need_no_server(tmp_path: Path) -> None:
    settings = load_settings({"MYOMAP_DATA_DIR": str(tmp_path)})
    assert settings.effective_database_url == f"sqlite:///{tmp_path.as_posix()}/myomap.sqlite3"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_settings_come_only_from_the_mapping_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYOMAP_PORT", "9999")
    assert load_settings({}).port == 8000
    assert load_settings().port == 9999


def test_database_url_selects_postgresql_with_psycopg3() -> None:
    settings = load_settings(
        {
            "MYOMAP_DATABASE_URL": "postgresql://clinic@db.example/myomap",
            "MYOMAP_TEST_DATABASE_URL": "ignored",
        }
    )
    assert settings.effective_database_url == "postgresql+psycopg://clinic@db.example/myomap"


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"MYOMAP_PORT": "eighty"}, "MYOMAP_PORT"),
        ({"MYOMAP_DATABASE_URL": "mysql://x/y"}, "MYOMAP_DATABASE_URL"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(UsageError, match=name):
        load_settings(env)
