"""The application object: one :class:`Myomap` per process, built from :class:`Settings`.

It owns what every use case needs and nothing reads from anywhere else: the loaded knowledge
(atlas, body map, differential, screening rules with the clinic's file, planning data, the
instrument catalogue with the clinic's folder) and the record store. The CLI builds one per
command, the web app one in ``create_app``; both pass it down. The store opens on first use, so
a command that never touches records never opens (or migrates) a database.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from myomap.config import Settings
from myomap.knowledge.load import Knowledge, load

if TYPE_CHECKING:
    from myomap.services.database import Store


class Myomap:
    """Settings, knowledge and store of one running myomap."""

    def __init__(
        self,
        settings: Settings,
        *,
        knowledge: Knowledge | None = None,
        store: Store | None = None,
        compiled_cache: bool = False,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge or load(settings, compiled_cache=compiled_cache)
        if store is not None:
            self.__dict__["store"] = store

    @cached_property
    def store(self) -> Store:
        """The record store named by the settings, migrated to the current schema."""
        # SQLAlchemy loads only for commands that touch records (CLI start-up).
        from myomap.services.database import open_from_settings

        return open_from_settings(self.settings)

    def close(self) -> None:
        """Release the store's connections if it was opened."""
        store = self.__dict__.pop("store", None)
        if store is not None:
            store.close()
