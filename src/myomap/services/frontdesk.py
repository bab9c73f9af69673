"""Front-desk changes to a client's registration (name, year of birth, sex, contact).

Registration details are not part of any signed note, so they can be corrected in place; each
change is audited (ids and verbs only, never the values).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.services import audit, fields
from myomap.services.clients import get_client, get_row
from myomap.store.orm import SEXES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.records import ClientDetail


def edit_client(
    session: Session,
    client_id: int,
    changes: dict[str, Any],
    *,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> ClientDetail:
    """Set the given registration fields; fields not given are kept, None clears."""
    row = get_row(session, client_id, scope=scope)
    this_year = datetime.now(UTC).year
    if "display_name" in changes:
        row.display_name = fields.required_text(
            "display name", changes["display_name"], max_length=200
        )
    if "birth_year" in changes:
        row.birth_year = fields.integer(
            "birth year", changes["birth_year"], low=1900, high=this_year
        )
    if "sex" in changes:
        row.sex = fields.choice("sex", changes["sex"], SEXES, required=False)
    if "contact" in changes:
        row.contact = fields.text("contact", changes["contact"], max_length=500, required=False)
    session.flush()
    audit.record(session, actor=actor, action="update", record_type="client", record_id=row.id)
    return get_client(session, client_id)
