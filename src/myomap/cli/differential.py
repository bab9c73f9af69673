"""``myomap locate`` and ``myomap batch``: the differential from the command line.

Thin: input parsing and output only; ranking lives in :mod:`myomap.services.differential`.
NumPy and the atlas load inside the command bodies so that ``myomap --help`` stays instant.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.cli._common import knowledge
from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.domain.bodymap import BodyMap
    from myomap.domain.drawing import PainDrawing
    from myomap.domain.ranking import Ranking

SIDES = ("left", "right", "both")


def areas_to_regions(areas: list[str], side: str | None, bodymap: BodyMap) -> list[str]:
    """Region ids from arguments that are ids, base ids or plain words (joined into phrases)."""
    from myomap.domain.resolver import resolve_phrase
    from myomap.services.differential import expand_side

    ids: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            ids.extend(resolve_phrase(" ".join(words), bodymap))
            words.clear()

    for area in areas:
        if area in bodymap:
            flush()
            ids.append(area)
        else:
            words.append(area)
    flush()
    return expand_side(ids, side, bodymap)


def read_drawing(path: Path) -> PainDrawing:
    from myomap.services.inputs import read_drawing_file

    return read_drawing_file(path)


def _show(result: Ranking, labels: dict[str, str]) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    console = Console()
    for w in result.warnings:
        console.print(
            Panel(w.message, title=f"Warning: {w.organ} ({w.condition})", border_style="red")
        )
    if not result.candidates:
        console.print("No trigger point in the atlas refers to these regions.")
        return
    table = Table(
        title=f"Trigger points most likely referring this pain (atlas {result.atlas_version})"
    )
    for col in ("#", "Trigger point", "Side", "Probability", "Why"):
        table.add_column(col, overflow="fold")
    for c in result.candidates:
        table.add_row(str(c.rank), c.trigger_point, c.side.value, f"{c.probability:.1%}", c.why)
    console.print(table)
    for e in result.explanations[:1]:
        names = ", ".join(f"{t} ({s.value})" for t, s in e.trigger_points)
        left = ", ".join(labels.get(r, r) for r in e.unexplained) or "nothing"
        console.print(
            f"Best explanation: {names} ({e.probability:.0%}); leaves {left} unexplained."
        )
    if result.next_palpation:
        order = ", ".join(f"{p.trigger_point} ({p.side.value})" for p in result.next_palpation)
        console.print(f"Palpate first: {order}")
    console.print("[dim]A ranking of possibilities to examine, not a diagnosis.[/dim]")


def _read_batch(path: Path) -> Iterator[tuple[str, Any]]:
    """(id, drawing) pairs from JSONL (drawings or {"id", "regions"|"drawing"}) or CSV."""
    from pydantic import ValidationError

    if path.is_dir():
        raise UsageError(f"Input file {str(path)!r} is a folder; give a .jsonl or .csv file.")
    if not path.is_file():
        raise UsageError(f"Input file {str(path)!r} not found.")
    try:
        yield from _parse_batch(path)
    except UnicodeDecodeError:
        raise UsageError(
            f"Input file {path.name!r} is not UTF-8 text; save it as UTF-8 JSONL or CSV."
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise UsageError(
            f"A row of {path.name!r} is not a drawing ({where}: {first['msg']})."
        ) from None


def _parse_batch(path: Path) -> Iterator[tuple[str, Any]]:
    from pydantic import ValidationError

    from myomap.domain.drawing import PainDrawing

    with path.open(encoding="utf-8", newline="") as fh:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "regions" not in reader.fieldnames:
                raise UsageError(
                    "CSV input needs a 'regions' column (ids separated by ';' or "
                    "spaces) and optionally 'id' and 'not_painful'."
                )
            for n, row in enumerate(reader, 1):
                regions = (row.get("regions") or "").replace(";", " ").split()
                not_painful = (row.get("not_painful") or "").replace(";", " ").split()
                yield (
                    row.get("id") or str(n),
                    PainDrawing.model_validate(
                        {
                            "areas": [{"regions": regions, "intensity": 5}] if regions else [],
                            "not_painful": not_painful,
                        }
                    ),
                )
            return
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict):
                    raise ValueError("not an object")
                ident = str(raw.pop("id", n))
                if "regions" in raw:
                    if not isinstance(raw["regions"], list):
                        raise ValueError("'regions' must be a list of region ids")
                    yield ident, [str(r) for r in raw["regions"]]
                else:
                    yield ident, PainDrawing.model_validate(raw.get("drawing", raw))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "top level"
                raise UsageError(
                    f"Line {n} of {path.name!r} is not a drawing ({where}: {first['msg']})."
                ) from None
            except ValueError as exc:
                raise UsageError(
                    f"Line {n} of {path.name!r} is not a drawing ({exc}).".split("\n")[0]
                ) from None


def register(app: typer.Typer) -> None:
    @app.command()
    def locate(
        areas: list[str] = typer.Argument(None, help="Region ids or plain words."),
        side: str | None = typer.Option(None, "--side", help="left, right or both."),
        top: int = typer.Option(10, "--top", min=1, max=200, help="How many candidates."),
        finding: list[str] = typer.Option(
            None,
            "--finding",
            help="TRP[:left|right]=confirmed|absent, or "
            "movement:MOVEMENT[:left|right]=restricted|painful|normal (repeatable).",
        ),
        drawing: Path | None = typer.Option(None, "--drawing", help="A drawing JSON file."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Rank the trigger points most likely referring this pain, with warnings first."""
        from myomap.services.differential import locate, ranking_to_dict

        if side is not None and side not in SIDES:
            raise UsageError(f"--side must be one of {', '.join(SIDES)}, not {side!r}.")
        if not areas and drawing is None:
            raise UsageError("Name where it hurts (region ids or words) or pass --drawing FILE.")
        if areas and drawing is not None:
            raise UsageError("Give either areas or --drawing, not both.")
        diff = knowledge().differential
        target: Any = (
            read_drawing(drawing)
            if drawing is not None
            else areas_to_regions(list(areas), side, diff.bodymap)
        )
        if drawing is not None and not target.areas:
            raise UsageError(
                f"Drawing file {drawing.name!r} has no painful area; add at least "
                "one to 'areas' (see docs/drawing-format.md)."
            )
        result = locate(target, side=side, findings=finding or (), top=top, differential=diff)
        if as_json:
            typer.echo(json.dumps(ranking_to_dict(result), indent=1))
        else:
            _show(result, dict(diff.labels))

    @app.command()
    def batch(
        input_path: Path = typer.Argument(..., metavar="INPUT", help="JSONL or CSV drawings."),
        output: Path = typer.Option(..., "-o", "--output", help="OUTPUT .jsonl or .csv."),
        top: int = typer.Option(10, "--top", min=1, max=200, help="Candidates per drawing."),
    ) -> None:
        """Rank many drawings at once (vectorised) with a progress bar on stderr."""
        from myomap.services.differential import check_regions

        if output.suffix.lower() not in (".jsonl", ".csv"):
            raise UsageError(f"-o must end in .jsonl or .csv, not {output.name!r}.")
        if output.is_dir():
            raise UsageError(f"-o {str(output)!r} is a folder; give a .jsonl or .csv file name.")
        if output.resolve() == input_path.resolve():
            raise UsageError(
                "-o must not be the input file (it would be overwritten); choose "
                "another output name."
            )
        if not output.parent.is_dir():
            raise UsageError(
                f"Cannot write {str(output)!r}: the folder {str(output.parent)!r} "
                "does not exist; create it first."
            )
        diff = knowledge().differential
        items = list(_read_batch(input_path))
        for n, (_, item) in enumerate(items, 1):
            ids = item if isinstance(item, list) else [*item.region_ids(), *item.not_painful]
            try:
                check_regions(ids, diff.bodymap)
            except UsageError as exc:
                raise UsageError(f"Drawing {n} of {input_path.name!r}: {exc}") from None
        as_csv = output.suffix.lower() == ".csv"
        tmp = output.with_name(output.name + ".part")
        try:
            _write_batch(items, tmp, as_csv, top, diff)
            tmp.replace(output)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UsageError(
                f"Cannot write {str(output)!r} ({exc.strerror or type(exc).__name__})"
                "; choose another output file."
            ) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        typer.echo(f"Ranked {len(items)} drawings into {output}", err=True)


def _write_batch(
    items: list[tuple[str, Any]], tmp: Path, as_csv: bool, top: int, diff: Any
) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from myomap.services.differential import locate_many, ranking_to_dict

    with (
        Progress(console=Console(stderr=True), transient=False) as bar,
        tmp.open("w", encoding="utf-8", newline="") as out,
    ):
        task = bar.add_task("Ranking", total=len(items))
        writer = csv.writer(out) if as_csv else None
        if writer:
            writer.writerow(
                ["id", "rank", "muscle", "trigger_point", "side", "probability", "warnings"]
            )
        results = locate_many(
            (d for _, d in items),
            top=top,
            differential=diff,
            progress=lambda n: bar.advance(task, n),
        )
        for (ident, _), res in zip(items, results, strict=True):
            warn = ";".join(w.pattern for w in res.warnings)
            if writer:
                for c in res.candidates:
                    writer.writerow(
                        [
                            ident,
                            c.rank,
                            c.muscle,
                            c.trigger_point,
                            c.side.value,
                            f"{c.probability:.6f}",
                            warn,
                        ]
                    )
            else:
                row = ranking_to_dict(res)
                out.write(json.dumps({"id": ident, **row}) + "\n")
