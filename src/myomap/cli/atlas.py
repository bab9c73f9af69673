"""``myomap atlas check|stats``, ``myomap muscles`` and ``myomap show``: the atlas in a shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from myomap.domain.errors import UsageError

atlas_app = typer.Typer(
    help="Validate and summarise the trigger point atlas.", no_args_is_help=True
)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@atlas_app.command("check")
def check() -> None:
    """Validate every atlas file, cross-file reference and the data manifest."""
    from myomap.services.atlas import atlas_problems

    problems = atlas_problems()
    if problems:
        for p in problems:
            typer.echo(f"- {p}", err=True)
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo("Atlas is valid.")


@atlas_app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts of regions, muscles, trigger points and sources, with the atlas version."""
    from myomap.knowledge.loader import load_atlas, load_bodymap
    from myomap.services.atlas import atlas_stats

    data = atlas_stats(load_atlas(), load_bodymap())
    if as_json:
        _echo_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key}: {value}")


def _resolve_regions(words: str) -> list[str]:
    from myomap.knowledge.loader import load_bodymap

    bodymap = load_bodymap()
    if words in bodymap or words in bodymap.bases():
        return [words]
    try:
        from myomap.domain.resolver import resolve_phrase
    except ImportError as exc:  # pragma: no cover - resolver ships with the body map
        raise UsageError(f"Unknown region id {words!r}.") from exc
    return resolve_phrase(words, bodymap)


def muscles(
    region: str | None = typer.Option(
        None, "--region", help="Only muscles whose TrPs refer to this region (id or plain words)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the atlas muscles; with --region, those referring there, essential zone first."""
    from rich.console import Console
    from rich.table import Table

    from myomap.knowledge.loader import load_atlas, load_bodymap
    from myomap.services.atlas import muscles_for_regions

    atlas = load_atlas()
    rows: list[dict[str, Any]]
    if region is None:
        rows = [
            {
                "id": m.id,
                "name": m.name,
                "group": m.group,
                "trigger_points": [tp.id for tp in m.trigger_points],
            }
            for m in atlas.muscles
        ]
    else:
        regions = _resolve_regions(region)
        rows = [
            {
                "id": r.muscle.id,
                "name": r.muscle.name,
                "group": r.muscle.group,
                "match": r.match,
                "trigger_points": [tp.id for tp in r.trigger_points],
            }
            for r in muscles_for_regions(atlas, load_bodymap(), regions)
        ]
    if as_json:
        _echo_json(rows)
        return
    table = Table(title=f"Muscles referring to {region}" if region else "Atlas muscles")
    for col in ("id", "name", "group", *(("match",) if region else ()), "TrPs"):
        table.add_column(col)
    for row in rows:
        cells = [row["id"], row["name"], row["group"]]
        if region:
            cells.append(row["match"])
        cells.append(str(len(row["trigger_points"])))
        table.add_row(*cells)
    Console().print(table)


def show(
    muscle: str = typer.Argument(..., help="Muscle id, name or synonym."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="Write a chart of the TrPs and zones (.svg or .png), and one chart per trigger "
        "point beside it (NAME.<trp>.svg).",
    ),
    side: str = typer.Option("right", "--side", help="Side to draw: left or right."),
) -> None:
    """Everything about one muscle: TrPs, referral zones, release, stretch, self-care, sources."""
    from myomap.knowledge.loader import load_atlas
    from myomap.services.atlas import find_muscle

    atlas = load_atlas()
    m = find_muscle(atlas, muscle)
    if side not in ("left", "right"):
        raise UsageError(f"--side must be 'left' or 'right', not {side!r}.")
    if output is not None:
        from myomap.services.atlas_chart import save_muscle_chart

        save_muscle_chart(m, output, side=side)
        per_trp = _save_trigger_point_charts(m, output, side)
    if as_json:
        data = m.model_dump(mode="json")
        data["atlas_version"] = atlas.version
        data["sources_cited"] = {
            ref.source: atlas.sources[ref.source].model_dump(mode="json")
            for ref in (*m.sources, *(r for tp in m.trigger_points for r in tp.sources))
        }
        _echo_json(data)
        return
    _print_muscle(m, atlas.sources)
    if output is not None:
        typer.echo(f"Chart written to {output}")
        for path in per_trp:
            typer.echo(f"Trigger point chart written to {path}")


def _save_trigger_point_charts(m: Any, output: Path, side: str) -> list[Path]:
    """One picture per trigger point, named after the combined chart: a muscle with seven TrPs
    gets seven files, each with that TrP's X and only its own zones."""
    from myomap.services.atlas_chart import save_muscle_chart

    paths = []
    for tp in m.trigger_points:
        tag = tp.id.split(".", 1)[1]
        path = output.with_name(f"{output.stem}.{tag}{output.suffix}")
        save_muscle_chart(m.model_copy(update={"trigger_points": (tp,)}), path, side=side)
        paths.append(path)
    return paths


def _print_muscle(m: Any, sources: Any) -> None:
    from rich.console import Console
    from rich.panel import Panel

    console = Console()
    syn = f" ({', '.join(m.synonyms)})" if m.synonyms else ""
    console.print(Panel.fit(f"[bold]{m.name}[/bold]{syn}\n{m.action}", title=m.id))
    console.print(f"[bold]Attachments[/bold]: {m.attachments.origin} → {m.attachments.insertion}")
    console.print(f"[bold]Innervation[/bold]: {m.innervation}")
    for tp in m.trigger_points:
        console.print(f"\n[bold]{tp.name}[/bold] [dim]{tp.id}[/dim] · {tp.prevalence}")
        console.print(f"  essential: {', '.join(tp.essential)}")
        if tp.spillover:
            console.print(f"  spillover: {', '.join(tp.spillover)}")
        if tp.symptoms:
            console.print(f"  other symptoms: {', '.join(tp.symptoms)}")
        console.print(f"  palpation: {tp.palpation.method}, {tp.palpation.position}")
    p = m.release.pressure
    console.print(
        f"\n[bold]Pressure release[/bold]: {p.position}; {p.direction}; hold "
        f"{p.hold_seconds[0]}–{p.hold_seconds[1]} s × {p.repetitions}"
    )
    if p.notes:
        console.print(f"  [yellow]Pressure notes[/yellow]: {p.notes}")
    stretch = m.release.stretch
    console.print(f"[bold]Stretch[/bold]: {stretch.name}: {stretch.instructions}")
    console.print(
        f"[bold]ROM[/bold]: {m.release.rom_exercise.name}: {m.release.rom_exercise.instructions}"
    )
    sc = m.self_care
    if sc.safe:
        console.print(f"[bold]Self-care[/bold]: {sc.tool or ''} {sc.instructions or ''}".strip())
    else:
        console.print(f"[bold]Self-care[/bold]: not advised — {sc.reason_if_unsafe or ''}")
    for c in m.cautions:
        console.print(f"[red]Caution[/red]: {c}")
    cited = ", ".join(
        f"{sources[r.source].citation}{' ' + r.detail if r.detail else ''}" for r in m.sources
    )
    console.print(f"\n[dim]Sources: {cited}[/dim]")
    if m.evidence_note:
        console.print(f"[dim]Evidence: {m.evidence_note}[/dim]")


def register(app: typer.Typer) -> None:
    app.add_typer(atlas_app, name="atlas")
    app.command("muscles")(muscles)
    app.command("show")(show)
