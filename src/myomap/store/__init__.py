"""The record store: SQLAlchemy 2 models, engine factory, Alembic migrations, and the
repositories (:mod:`myomap.store.repositories`) that hold every query and the clinic scope.

Use cases in :mod:`myomap.services` call the repositories and never build a query; an adapter
reads rows through a use case or, for its own plumbing (accounts, sessions), a repository.
This package sees patient records, so nothing here logs field values or puts them in messages.
"""

# The client's own records (links, diary, consent) share the metadata of the record store: one
# schema and one migration history, whichever module is imported first.
from myomap.store import orm_accounts as _orm_accounts  # noqa: E402,F401
from myomap.store import orm_portal as _orm_portal  # noqa: E402,F401
