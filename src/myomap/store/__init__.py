"""The record store: SQLAlchemy 2 models, engine factory, Alembic migrations.

Only :mod:`myomap.services` imports this package; adapters (CLI, web) go through the services.
This package sees patient records, so nothing here logs field values or puts them in messages.
"""
