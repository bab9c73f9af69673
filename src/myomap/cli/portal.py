"""``myomap client link`` and ``myomap client diary``: the client's own loop from the CLI.

A link is printed once (the store keeps only a hash of its token); ``-o`` writes it as a QR code
image to show in the treatment room.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from myomap.cli._common import JSON_OPT, actor, run_in_transaction
from myomap.cli.records import _when, client_app
from myomap.domain.errors import UsageError


@client_app.command("link")
def client_link(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    days: int = typer.Option(14, "--days", help="How many days the link works (1 to 365)."),
    as_json: bool = JSON_OPT,
    qr: Path | None = typer.Option(None, "-o", "--qr", help="Write the link as a QR code PNG."),
    revoke: bool = typer.Option(
        False, "--revoke", help="End every link and open session of this client instead."
    ),
) -> None:
    """Create a link that opens the client's own pages (intake, diary, home care, consent)."""
    from myomap.config import load_settings
    from myomap.services import portal

    if revoke:
        n = run_in_transaction(lambda s: portal.revoke_links(s, client_id, actor=actor()))
        if as_json:
            typer.echo(json.dumps({"revoked": n}))
        else:
            typer.echo(f"Withdrew {n} link(s) of client {client_id}; their sessions have ended.")
        return
    if qr is not None and (qr.suffix.lower() != ".png" or qr.is_dir()):
        raise UsageError("-o must name a .png file for the QR code")
    if qr is not None and not qr.parent.is_dir():
        raise UsageError(f"-o: the folder {qr.parent} does not exist")
    settings = load_settings()
    link = run_in_transaction(lambda s: portal.create_link(s, client_id, days=days, actor=actor()))
    url = link.url(settings.public_base_url)
    if qr is not None:
        portal.qr_png(url, qr)
    if as_json:
        typer.echo(json.dumps({"url": url, "expires": link.expires.isoformat()}))
    else:
        typer.echo(f"Link for client {client_id} (valid until {_when(link.expires)}):\n{url}")
        if qr is not None:
            typer.echo(f"QR code written to {qr}")


@client_app.command("diary")
def client_diary(
    client_id: int = typer.Argument(..., metavar="CLIENT"), as_json: bool = JSON_OPT
) -> None:
    """The client's diary entries, newest first."""
    from myomap.services import clients, portal

    def read(session: object) -> list[portal.DiaryView]:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        clients.get_row(session, client_id, include_deleted=True)
        return portal.diary(session, client_id)

    rows = run_in_transaction(read)
    if as_json:
        typer.echo(
            json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False)
        )
        return
    if not rows:
        typer.echo(f"Client {client_id} has no diary entries yet.")
        return
    for r in rows:
        extra = [
            f"sleep {r.sleep}" if r.sleep is not None else "",
            f"stress {r.stress}" if r.stress is not None else "",
            f"{r.analgesic_doses} dose(s)" if r.analgesic_doses is not None else "",
            f"{len(r.home_care_done)} exercise(s)" if r.home_care_done else "",
        ]
        typer.echo(f"{_when(r.at)}  pain {r.pain}/10  " + "  ".join(x for x in extra if x))


def register(app: typer.Typer) -> None:
    """Commands attach to the ``client`` group registered by :mod:`myomap.cli.records`."""
