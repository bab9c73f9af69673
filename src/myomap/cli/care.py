"""``myomap screen``, ``myomap plan`` and ``myomap handout``: safety first, then the plan.

Thin: reading files and printing; the decisions live in :mod:`myomap.services.care`. Answers are
health data, so nothing here logs them; errors name the field, never the whole answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.cli._common import knowledge, with_rules
from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.domain.careplan import Plan
    from myomap.domain.screening import Screening

RULES_HELP = (
    "A clinic's screening rule file (adds, replaces or disables rules; WARN mode). "
    "Default: $MYOMAP_SCREENING_RULES."
)
OVERRIDE_HELP = (
    "Plan pressure work for a person not screened yet, for this REASON (kept in "
    "the output). Never lifts refer or emergency."
)
COLOURS = {
    "emergency": "bold white on red",
    "refer": "bold red",
    "not_screened": "bold magenta",
    "modify": "yellow",
    "proceed": "green",
    "info": "cyan",
}


def _show_screening(s: Screening, labels: dict[str, str]) -> None:
    from rich.console import Console
    from rich.markup import escape as esc

    from myomap.domain.careplan import HEADLINES

    console = Console()
    console.print(
        f"[{COLOURS[s.decision]}]Decision: {s.decision.upper()}[/] - {HEADLINES[s.decision]}"
    )
    for r in s.reasons:
        console.print(
            f"  [{COLOURS[r.severity]}]{r.severity:>9}[/] {esc(r.rule)}: {esc(r.message)}"
        )
        console.print(f"            [dim]Source: {esc(r.source)}[/dim]")
    if s.avoid_regions:
        names = ", ".join(labels.get(r, r) for r in s.avoid_regions)
        console.print(f"Avoid: {esc(names)}")
    for m in s.modifications:
        if m.change in ("pressure", "position", "exclude_technique"):
            console.print(f"Change ({m.rule}): {m.change.replace('_', ' ')} = {esc(str(m.value))}")


def _warn_override(plan: Plan) -> None:
    """An override that cannot apply is said on stderr, so nobody believes it lifted a refer."""
    s = plan.screening
    if s.override is not None and not s.override_applies:
        what = (
            "the person was screened"
            if s.decision in ("modify", "proceed")
            else f"the screening says {s.decision}, which an override never lifts"
        )
        typer.echo(f"Warning: --override-screening recorded but not applied: {what}.", err=True)


def _show_plan(plan: Plan) -> None:
    """Readable plan; every text from data or a clinic's rules is escaped for Rich markup."""
    from rich.console import Console
    from rich.markup import escape as esc
    from rich.table import Table

    from myomap.domain.plan_steps import TrPStep

    console = Console()
    console.print(f"[{COLOURS[plan.screening.decision]}]{esc(plan.headline)}[/]")
    for r in plan.screening.reasons:
        if r.severity != "info":
            console.print(f"  - {esc(r.message)}")
        elif r.rule.startswith("visceral:"):
            console.print(f"  [cyan]Check:[/cyan] {esc(r.message)}")
    if plan.technique is None or plan.session is None:
        console.print("No session plan and no pressure work until this has been checked.")
        for line in plan.home_care.stop_and_seek_care:
            console.print(f"  * {esc(line)}")
        return
    t = plan.technique
    chosen = " + ".join(t.names[c] for c in t.combination) or "none"
    console.print(f"\n[bold]Technique:[/bold] {chosen}, with stretching and range-of-motion work")
    for reason in t.reasons:
        console.print(f"  - {esc(reason)}")
    for tid in t.combination:
        ev = t.evidence[tid]
        console.print(f"  Evidence ({t.names[tid]}): {ev.grade}. {esc(ev.statement)}")
    s = plan.session
    table = Table(title=f"Session plan: about {s.estimated_minutes:g} of {s.minutes} minutes")
    for col in ("#", "Step", "Dose / what to do", "Min"):
        table.add_column(col, overflow="fold")
    for n, step in enumerate(s.steps, 1):
        what = str(step.fields().get("instruction", ""))
        if isinstance(step, TrPStep):
            what = (
                f"{step.dose.instruction} Then stretch: {step.stretch.name}; "
                f"ROM: {step.rom_exercise.name}."
            )
            if step.role:
                what = f"[{step.role}] " + what
            if step.confirm_first:
                what = "Palpate to confirm first. " + what
            careful = [*step.cautions, *([step.pressure_notes] if step.pressure_notes else [])]
            if careful:
                what += " Caution: " + " ".join(careful)
        table.add_row(str(n), esc(step.title), esc(what), f"{step.minutes:g}")
    console.print(table)
    for item in s.skipped:
        console.print(f"Skipped {item.trigger_point} ({item.side}): {item.reason}")
    for item in s.deferred:
        console.print(f"Deferred {item.trigger_point} ({item.side}): {item.reason}")
    for note in s.notes:
        console.print(f"Note: {esc(note)}")
    console.print(f"Frequency: {esc(s.frequency)}")
    console.print("\n[bold]Home care[/bold]")
    for mc in plan.home_care.muscles:
        if mc.self_pressure:
            sp = mc.self_pressure
            line = (
                f"  {mc.name}: self-pressure with {sp.tool}, hold {sp.hold_seconds}"
                f" s x {sp.repetitions}, {sp.frequency}; stretch "
                f"{mc.stretch.name}; ROM {mc.rom_exercise.name}"
            )
        else:
            line = (
                f"  {mc.name}: no self-pressure ({mc.not_self_treated}); stretch "
                f"{mc.stretch.name}; ROM {mc.rom_exercise.name}"
            )
        console.print(esc(line))
    if plan.home_care.perpetuating_factors:
        console.print("  Change: " + esc("; ".join(plan.home_care.perpetuating_factors)))
    console.print(
        "[dim]A plan to support a therapist's judgement, not a diagnosis. Evidence "
        "for these techniques is low-certainty and short-term.[/dim]"
    )


def _read_drawing(path: Path) -> Any:
    from myomap.cli.differential import read_drawing

    return read_drawing(path)


def register(app: typer.Typer) -> None:
    @app.command()
    def screen(
        intake: Path | None = typer.Argument(
            None, metavar="INTAKE.json", help="The intake answers (see --template)."
        ),
        drawing: Path | None = typer.Option(None, "--drawing", help="A pain drawing JSON file."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        template: bool = typer.Option(False, "--template", help="Print an empty intake."),
        rules: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
    ) -> None:
        """Safety screening: emergency, refer, modify or proceed, with every reason."""
        from myomap.services import care

        known = knowledge()
        if template:
            typer.echo(json.dumps(care.intake_template(known), indent=1))
            return
        if intake is None:
            raise UsageError(
                "Give an intake file (myomap screen INTAKE.json), or print an "
                "empty one with 'myomap screen --template'."
            )
        answers = care.read_intake(intake, known)
        known = with_rules(known, rules)
        pd = _read_drawing(drawing) if drawing is not None else None
        result = care.screen_intake(answers, pd, knowledge=known)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=1))
        else:
            _show_screening(result, {r.id: r.label for r in known.bodymap})

    @app.command()
    def plan(
        drawing: Path = typer.Option(..., "--drawing", help="A pain drawing JSON file."),
        intake: Path | None = typer.Option(None, "--intake", help="The intake answers."),
        finding: list[str] = typer.Option(
            None, "--finding", help="TRP[:left|right]=confirmed|absent (repeatable)."
        ),
        minutes: int = typer.Option(60, "--minutes", help="Session length (30, 60, 90...)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        rules: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
        override: str | None = typer.Option(
            None, "--override-screening", metavar="REASON", help=OVERRIDE_HELP
        ),
    ) -> None:
        """Technique choice, ordered session plan and home-care plan, after screening."""
        from myomap.services import care

        known = knowledge()
        care.check_minutes(minutes, known)
        if override is not None:
            care.check_override(override)
        answers = care.read_intake(intake, known) if intake is not None else None
        result = care.make_plan(
            _read_drawing(drawing),
            answers,
            findings=finding or (),
            minutes=minutes,
            knowledge=with_rules(known, rules),
            override_screening=override,
        )
        _warn_override(result)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=1))
        else:
            _show_plan(result)

    @app.command()
    def handout(
        drawing: Path = typer.Option(..., "--drawing", help="A pain drawing JSON file."),
        output: Path = typer.Option(..., "-o", "--output", help="FILE.pdf or FILE.html."),
        intake: Path | None = typer.Option(None, "--intake", help="The intake answers."),
        finding: list[str] = typer.Option(
            None, "--finding", help="TRP[:left|right]=confirmed|absent (repeatable)."
        ),
        minutes: int = typer.Option(60, "--minutes", help="Session length used for the plan."),
        rules: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
        override: str | None = typer.Option(
            None, "--override-screening", metavar="REASON", help=OVERRIDE_HELP
        ),
    ) -> None:
        """A printable home-care handout (HTML or PDF) with body charts, for the client."""
        from myomap.services import care

        suffix = output.suffix.lower()
        if suffix not in (".pdf", ".html", ".htm"):
            raise UsageError(f"-o must end in .pdf or .html, not {output.name!r}.")
        known = knowledge()
        care.check_minutes(minutes, known)
        if override is not None:
            care.check_override(override)
        answers = care.read_intake(intake, known) if intake is not None else None
        pd = _read_drawing(drawing)
        result = care.make_plan(
            pd,
            answers,
            findings=finding or (),
            minutes=minutes,
            knowledge=with_rules(known, rules),
            override_screening=override,
        )
        _warn_override(result)
        from myomap.reports.handout import write_handout

        highlights: dict[str, float] = {}
        for area in pd.areas:
            for rid in area.regions:
                highlights[rid] = max(highlights.get(rid, 0.0), float(area.intensity))
        write_handout(result, output, drawing_regions=highlights)
        typer.echo(f"Wrote {output}", err=True)
