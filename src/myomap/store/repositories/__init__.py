"""Repositories: every query over the record tables, one module per aggregate.

A use case in :mod:`myomap.services` (or an adapter) asks a repository for rows or plain values
and never builds a query itself; SQLAlchemy ``select``/``update``/``delete`` appear only in
:mod:`myomap.store`. Clinic scoping lives here too: :func:`clients.in_scope` and
:func:`visits.in_scope` answer a record outside the actor's scope exactly like a missing one
(:class:`myomap.domain.actor.RecordNotFound`). The functions hold no rule beyond "which rows";
the use cases decide what the rows mean.
"""
