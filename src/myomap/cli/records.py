"""Record commands: ``client`` and ``visit`` (``db``, ``backup``, ``restore``, ``demo`` are in
:mod:`myomap.cli.store`).

Each command is one transaction through :mod:`myomap.services`; a refused change leaves the
store as it was. Read commands take ``--json`` and print the service view as it is.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.cli._common import JSON_OPT, knowledge
from myomap.cli._common import actor as _actor
from myomap.cli._common import run_in_transaction as _run
from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.domain.records import FindingView


def _emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        if isinstance(data, list):
            payload: Any = [d.to_json() for d in data]
        else:
            payload = data.to_json()
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(text())


def _read_json(path: str, what: str) -> Any:
    try:
        from myomap.knowledge.userfiles import MAX_BYTES, read_limited

        raw = (
            sys.stdin.read(MAX_BYTES + 1)
            if path == "-"
            else read_limited(Path(path), what, give="a JSON file").decode("utf-8")
        )
        if len(raw) > MAX_BYTES:
            raise UsageError(f"{what} input is too large (more than {MAX_BYTES} characters)")
        return json.loads(raw)
    except RecursionError:
        raise UsageError(f"{what} file {path} is not usable JSON (nested too deeply)") from None
    except FileNotFoundError:
        raise UsageError(f"{what} file {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(
            f"{what} file {path} is a folder; give a JSON file, or - to read standard input"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} file {path} is not readable JSON (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        problem = "it is empty" if not exc.doc.strip() else f"line {exc.lineno}: {exc.msg}"
        raise UsageError(f"{what} file {path} is not readable JSON ({problem})") from None
    except OSError as exc:
        problem = exc.strerror or type(exc).__name__
        raise UsageError(f"{what} file {path} is not readable JSON ({problem})") from None


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


client_app = typer.Typer(help="Register and look up clients.", no_args_is_help=True)
visit_app = typer.Typer(
    help="Chart visits: SOAP note, findings, treatments, signing.", no_args_is_help=True
)


@client_app.command("add")
def client_add(
    name: str = typer.Option(..., "--name", help="Display name (keep it minimal)."),
    birth_year: int | None = typer.Option(None, "--birth-year", help="Year of birth."),
    sex: str | None = typer.Option(None, "--sex", help="female, male or other."),
    contact: str | None = typer.Option(None, "--contact", help="Phone or e-mail, optional."),
    as_json: bool = JSON_OPT,
) -> None:
    """Register a client and print the new id."""
    from myomap.services import clients

    view = _run(
        lambda s: clients.add_client(
            s, display_name=name, birth_year=birth_year, sex=sex, contact=contact, actor=_actor()
        )
    )
    _emit(view, as_json, lambda: f"Added client {view.id}.")


@client_app.command("list")
def client_list(
    include_deleted: bool = typer.Option(False, "--all", help="Include deleted clients."),
    as_json: bool = JSON_OPT,
) -> None:
    """List clients with their number of visits."""
    from myomap.services import clients

    rows = _run(lambda s: clients.list_clients(s, include_deleted=include_deleted))

    def text() -> str:
        if not rows:
            return "No clients yet. Add one with 'myomap client add --name NAME'."
        lines = [f"{'id':>4}  {'name':<32} {'born':>4}  {'visits':>6}  last visit"]
        for c in rows:
            mark = " (deleted)" if c.deleted else ""
            lines.append(
                f"{c.id:>4}  {c.display_name[:32]:<32} {c.birth_year or '-':>4}  "
                f"{c.visit_count:>6}  {_when(c.last_visit_at)}{mark}"
            )
        return "\n".join(lines)

    _emit(rows, as_json, text)


@client_app.command("show")
def client_show(
    client_id: int = typer.Argument(..., metavar="CLIENT"), as_json: bool = JSON_OPT
) -> None:
    """Show a client with visits, intakes and measurements."""
    from myomap.services import clients

    c = _run(lambda s: clients.get_client(s, client_id))

    def text() -> str:
        lines = [
            f"Client {c.id}: {c.display_name}" + (" (deleted)" if c.deleted else ""),
            f"  born {c.birth_year or '-'}, sex {c.sex or '-'}, contact {c.contact or '-'}",
            f"  visits ({c.visit_count}):",
        ]
        lines += [
            f"    {v.id:>4}  {_when(v.started_at)}  {v.status}"
            + (f" by {v.signed_by}" if v.signed_by else "")
            + (f", {v.amendment_count} amendment(s)" if v.amendment_count else "")
            + (" (deleted)" if v.deleted else "")
            for v in c.visits
        ]
        lines.append(f"  measurements: {len(c.measurements)}")
        lines += [
            f"    {_when(m.recorded_at)}  {m.instrument:<8} total {m.total}" for m in c.measurements
        ]
        return "\n".join(lines)

    _emit(c, as_json, text)


@client_app.command("delete")
def client_delete(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    reason: str = typer.Option(..., "--reason"),
    by: str = typer.Option(..., "--by"),
) -> None:
    """Mark a client deleted (recorded, reversible with 'client restore')."""
    from myomap.services import clients

    _run(lambda s: clients.delete_client(s, client_id, by=by, reason=reason))
    typer.echo(f"Client {client_id} deleted; undo with 'myomap client restore {client_id}'.")


@client_app.command("restore")
def client_restore(
    client_id: int = typer.Argument(..., metavar="CLIENT"), by: str = typer.Option(..., "--by")
) -> None:
    """Undo the deletion of a client."""
    from myomap.services import clients

    _run(lambda s: clients.restore_client(s, client_id, by=by))
    typer.echo(f"Client {client_id} restored.")


@visit_app.command("start")
def visit_start(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    practitioner: str | None = typer.Option(None, "--practitioner"),
    as_json: bool = JSON_OPT,
) -> None:
    """Open a draft visit for a client and print its id."""
    from myomap.services import visits

    v = _run(lambda s: visits.start_visit(s, client_id, practitioner=practitioner, actor=_actor()))
    _emit(v, as_json, lambda: f"Started visit {v.id} for client {client_id} (draft).")


@visit_app.command("note")
def visit_note(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    subjective: str | None = typer.Option(None, "--subjective", "-s"),
    objective: str | None = typer.Option(None, "--objective", "-o"),
    assessment: str | None = typer.Option(None, "--assessment", "-a"),
    plan: str | None = typer.Option(None, "--plan", "-p"),
    append: bool = typer.Option(False, "--append", help="Add to the text instead of replacing."),
) -> None:
    """Write SOAP sections of a draft note."""
    from myomap.services import visits

    sections = {
        "subjective": subjective,
        "objective": objective,
        "assessment": assessment,
        "plan": plan,
    }
    _run(lambda s: visits.write_note(s, visit_id, sections=sections, append=append, actor=_actor()))
    typer.echo(f"Note of visit {visit_id} saved (draft).")


@visit_app.command("finding")
def visit_finding(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    trp: str = typer.Option(..., "--trp", help="Trigger point id, e.g. trapezius.tp1."),
    side: str = typer.Option(..., "--side", help="left, right or midline."),
    result: str | None = typer.Option(
        None, "--result", help="One-tap result instead of the criteria: confirmed or absent."
    ),
    taut_band: bool = typer.Option(False, "--taut-band", help="Taut band palpated."),
    spot: bool = typer.Option(False, "--spot", help="Hypersensitive spot in the band."),
    referred: bool = typer.Option(False, "--referred", help="Referred pain or sensation."),
    recognised: bool | None = typer.Option(
        None, "--recognised/--not-recognised", help="Client recognises the symptom (active TrP)."
    ),
    note: str | None = typer.Option(None, "--note"),
) -> None:
    """Record a palpated trigger point (2 of 3 consensus criteria = confirmed), or a one-tap
    --result stored as such."""
    from myomap.services import examination

    if result is not None and (taut_band or spot or referred):
        raise UsageError("Give either --result or --taut-band/--spot/--referred, not both.")
    criteria = (None, None, None) if result is not None else (taut_band, spot, referred)
    known = knowledge()
    f = _run(
        lambda s: examination.add_finding(
            s,
            visit_id,
            trp=trp,
            side=side,
            taut_band=criteria[0],
            hypersensitive_spot=criteria[1],
            referred_pain=criteria[2],
            result=result,
            recognised=recognised,
            note=note,
            knowledge=known,
            actor=_actor(),
        )
    )
    typer.echo(f"Finding {f.id} recorded ({finding_text(f)}).")


def finding_text(f: FindingView) -> str:
    """How a stored finding reads: its one-tap result, or the criteria count."""
    verdict = "confirmed" if f.confirmed else "not confirmed"
    if f.kind != "criteria":
        return f"{verdict}: one-tap result, criteria not recorded"
    met = sum(bool(c) for c in (f.taut_band, f.hypersensitive_spot, f.referred_pain))
    return f"{verdict}: {met} of 3 criteria"


@visit_app.command("rom")
def visit_rom(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    movement: str = typer.Option(..., "--movement"),
    side: str = typer.Option(..., "--side"),
    degrees: float = typer.Option(..., "--degrees"),
) -> None:
    """Record a range-of-motion measurement in degrees."""
    from myomap.services import examination

    _run(
        lambda s: examination.add_rom(
            s, visit_id, movement=movement, side=side, degrees=degrees, actor=_actor()
        )
    )
    typer.echo(f"ROM recorded for visit {visit_id}.")


@visit_app.command("ppt")
def visit_ppt(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    site: str = typer.Option(..., "--site"),
    side: str = typer.Option(..., "--side"),
    kpa: list[float] = typer.Option(..., "--kpa", help="One trial; repeat (3 usual)."),
) -> None:
    """Record pressure pain threshold trials in kPa."""
    from myomap.services import examination

    p = _run(
        lambda s: examination.add_ppt(
            s, visit_id, site=site, side=side, trials_kpa=kpa, actor=_actor()
        )
    )
    typer.echo(f"PPT recorded: mean {p.mean_kpa} kPa over {len(p.trials_kpa)} trial(s).")


@visit_app.command("drawing")
def visit_drawing(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    file: str = typer.Argument(..., help="myomap.drawing/1 JSON file, or -."),
) -> None:
    """Attach a pain drawing to a draft visit."""
    from myomap.services import examination

    data = _read_json(file, "drawing")
    if not isinstance(data, dict):
        raise UsageError("drawing file must hold a JSON object in the myomap.drawing/1 format")
    known = knowledge()
    _run(lambda s: examination.add_drawing(s, visit_id, data, knowledge=known, actor=_actor()))
    typer.echo(f"Pain drawing attached to visit {visit_id}.")


@visit_app.command("homecare")
def visit_homecare(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    file: str = typer.Argument(..., help="Home-care plan JSON file, or -."),
) -> None:
    """Record the home-care plan given at a visit."""
    from myomap.services import examination

    data = _read_json(file, "home-care plan")
    _run(lambda s: examination.add_home_care(s, visit_id, data, actor=_actor()))
    typer.echo(f"Home-care plan recorded for visit {visit_id}.")


@visit_app.command("treat")
def visit_treat(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    technique: str = typer.Option(..., "--technique", help="e.g. ischemic_compression."),
    side: str = typer.Option(..., "--side"),
    trp: str | None = typer.Option(None, "--trp"),
    pressure: float | None = typer.Option(None, "--pressure", help="0-10 as reported."),
    hold: int | None = typer.Option(None, "--hold", help="Hold time in seconds."),
    reps: int | None = typer.Option(None, "--reps", help="Repetitions."),
    response: str | None = typer.Option(None, "--response", help="Client response."),
) -> None:
    """Record a treatment given."""
    from myomap.services import examination

    t = _run(
        lambda s: examination.add_treatment(
            s,
            visit_id,
            technique=technique,
            side=side,
            trp=trp,
            pressure=pressure,
            hold_seconds=hold,
            repetitions=reps,
            response=response,
            actor=_actor(),
        )
    )
    typer.echo(f"Treatment {t.id} recorded for visit {visit_id}.")


@visit_app.command("repeat")
def visit_repeat(
    visit_id: int = typer.Argument(..., metavar="VISIT"), as_json: bool = JSON_OPT
) -> None:
    """Repeat the client's last treatments in this visit (responses are not copied)."""
    from myomap.services import examination

    rows = _run(lambda s: examination.repeat_last_treatment(s, visit_id, actor=_actor()))
    _emit(rows, as_json, lambda: f"Repeated {len(rows)} treatment(s) in visit {visit_id}.")


@visit_app.command("sign")
def visit_sign(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    by: str = typer.Option(..., "--by", help="Name of the signing practitioner."),
) -> None:
    """Sign a draft visit; the note is locked afterwards (changes are amendments)."""
    from myomap.services import visits

    v = _run(lambda s: visits.sign_visit(s, visit_id, signed_by=by))
    typer.echo(f"Visit {visit_id} signed by {v.signed_by} at {_when(v.signed_at)}; now locked.")


@visit_app.command("amend")
def visit_amend(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    field: str = typer.Option(..., "--field", help="subjective, objective, assessment or plan."),
    text: str = typer.Option(..., "--text", help="The corrected full text."),
    reason: str = typer.Option(..., "--reason"),
    author: str = typer.Option(..., "--author"),
) -> None:
    """Amend a signed note; the original text stays readable."""
    from myomap.services import visits

    a = _run(
        lambda s: visits.amend_visit(
            s, visit_id, field=field, text=text, reason=reason, author=author
        )
    )
    typer.echo(f"Amendment {a.id} recorded for the {a.field} of visit {visit_id}.")


@visit_app.command("show")
def visit_show(
    visit_id: int = typer.Argument(..., metavar="VISIT"), as_json: bool = JSON_OPT
) -> None:
    """Show a visit: note (current and original), findings, treatments, amendments."""
    from myomap.services import visits

    v = _run(lambda s: visits.show_visit(s, visit_id))

    def text() -> str:
        head = f"Visit {v.id} (client {v.client_id}) {_when(v.started_at)}: {v.status}"
        if v.signed_by:
            head += f", signed by {v.signed_by} at {_when(v.signed_at)}"
        lines = [head + (" (deleted)" if v.deleted else "")]
        for name, sec in v.soap.items():
            lines.append(f"  {name.capitalize()}: {sec.current or '-'}")
            if sec.amended:
                lines.append(f"    (amended; original as signed: {sec.original or '-'})")
        lines += [
            f"  Amendment {a.id} {_when(a.created_at)} by {a.author}: {a.field} "
            f"({a.reason}); was: {a.old_value}"
            for a in v.amendments
        ]
        lines += [
            f"  TrP {f.trp_id} {f.side}: {'confirmed' if f.confirmed else 'not confirmed'}"
            for f in v.findings
        ]
        lines += [f"  ROM {r.movement} {r.side}: {r.degrees:g} deg" for r in v.rom]
        lines += [f"  PPT {p.site} {p.side}: {p.mean_kpa} kPa" for p in v.ppt]
        lines += [
            f"  Treatment {t.technique} {t.trp_id or ''} {t.side}: pressure "
            f"{t.pressure if t.pressure is not None else '-'}, hold {t.hold_seconds or '-'}"
            f" s x {t.repetitions or '-'}"
            for t in v.treatments
        ]
        lines.append(f"  Drawings: {len(v.drawings)}, home-care plans: {len(v.home_care)}")
        return "\n".join(lines)

    _emit(v, as_json, text)


@visit_app.command("delete")
def visit_delete(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    reason: str = typer.Option(..., "--reason"),
    by: str = typer.Option(..., "--by"),
) -> None:
    """Mark a visit deleted (recorded, reversible with 'visit restore')."""
    from myomap.services import visits

    _run(lambda s: visits.delete_visit(s, visit_id, by=by, reason=reason))
    typer.echo(f"Visit {visit_id} deleted; undo with 'myomap visit restore {visit_id}'.")


@visit_app.command("restore")
def visit_restore(
    visit_id: int = typer.Argument(..., metavar="VISIT"), by: str = typer.Option(..., "--by")
) -> None:
    """Undo the deletion of a visit."""
    from myomap.services import visits

    _run(lambda s: visits.restore_visit(s, visit_id, by=by))
    typer.echo(f"Visit {visit_id} restored.")


def register(app: typer.Typer) -> None:
    app.add_typer(client_app, name="client")
    app.add_typer(visit_app, name="visit")
