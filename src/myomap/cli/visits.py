"""``myomap visit``: chart a visit (SOAP note, findings, ROM, PPT, drawing, home care,
treatments), sign it and amend it.

Each command is one transaction through :mod:`myomap.services`; a refused change leaves the
store as it was. Read commands take ``--json`` and print the service view as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from myomap.cli._common import JSON_OPT, knowledge
from myomap.cli._common import actor as _actor
from myomap.cli._common import run_in_transaction as _run
from myomap.cli.records import _emit, _read_json, _when
from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.domain.records import FindingView

visit_app = typer.Typer(
    help="Chart visits: SOAP note, findings, treatments, signing.", no_args_is_help=True
)


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

    known = knowledge()
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
            knowledge=known,
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


_ENTRY_WORDS = {
    "findings": "finding",
    "treatments": "treatment",
    "rom": "range-of-motion entry",
    "ppt": "pressure threshold entry",
    "measurements": "measure",
}


@visit_app.command("remove")
def visit_remove(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    finding: int | None = typer.Option(None, "--finding", help="Id of a finding to remove."),
    treatment: int | None = typer.Option(None, "--treatment", help="Id of a treatment."),
    rom: int | None = typer.Option(None, "--rom", help="Id of a range-of-motion entry."),
    ppt: int | None = typer.Option(None, "--ppt", help="Id of a pressure threshold entry."),
    measurement: int | None = typer.Option(
        None, "--measurement", help="Id of a measure recorded on this visit."
    ),
) -> None:
    """Remove one entry charted on a draft visit (audited); a signed visit is amended instead."""
    from myomap.services import charting

    given = {
        "findings": finding,
        "treatments": treatment,
        "rom": rom,
        "ppt": ppt,
        "measurements": measurement,
    }
    chosen = [(kind, entry) for kind, entry in given.items() if entry is not None]
    if len(chosen) != 1:
        raise UsageError(
            "give exactly one entry to remove: --finding, --treatment, --rom, --ppt or "
            "--measurement with its id (see 'myomap visit show VISIT --json')"
        )
    kind, entry_id = chosen[0]
    _run(lambda s: charting.remove_entry(s, visit_id, kind, entry_id, actor=_actor()))
    typer.echo(f"Removed {_ENTRY_WORDS[kind]} {entry_id} from visit {visit_id} (draft).")


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
    app.add_typer(visit_app, name="visit")
