"""The clinic's consent text signed by the client: typed name, drawn signature, version and digest.

A signed consent is stored once and never changed (the store refuses an update); a new version
of the text needs a new signature.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from myomap.domain.errors import UsageError
from myomap.services import audit
from myomap.services.clients import get_row
from myomap.services.portal import ClientTexts
from myomap.store.orm_portal import Consent
from myomap.store.repositories import portal as portal_repo


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    typed_name: str = Field(min_length=1, max_length=200)
    signature: list[list[list[float]]] = Field(min_length=1, max_length=50)
    version: str = Field(min_length=1, max_length=40)


class ConsentView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: str
    text_sha256: str
    typed_name: str
    signed_at: datetime


def sign_consent(
    session: Session, client_id: int, body: ConsentIn, *, actor: str, texts: ClientTexts
) -> ConsentView:
    """Store a signature of the current consent text; it is never changed afterwards."""
    get_row(session, client_id)
    if body.version != texts.consent_version:
        raise UsageError(
            "the consent text has changed since this page was opened; reload it, "
            "read the new text and sign again"
        )
    points = sum(len(stroke) for stroke in body.signature)
    if points < 2 or points > 5000 or any(len(p) != 2 for s in body.signature for p in s):
        raise UsageError("signature: draw your signature in the box (strokes of x, y points)")
    if not body.typed_name.strip():
        raise UsageError("typed_name: type your full name")
    row = Consent(
        client_id=client_id,
        version=texts.consent_version,
        text_sha256=texts.consent_sha256,
        typed_name=body.typed_name.strip(),
        signature=body.signature,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, action="sign_consent", record_type="client", record_id=client_id
    )
    return ConsentView.model_validate(row)


def consents(session: Session, client_id: int) -> list[ConsentView]:
    return [ConsentView.model_validate(r) for r in portal_repo.consents(session, client_id)]
