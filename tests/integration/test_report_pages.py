"""Reports read page by page (pdftotext): no page holds only a heading, the one-pager is one
page with what a referrer needs, names instead of atlas ids, warnings beside their exercise."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from myomap.knowledge.instruments import bundled_catalogue
from myomap.reports.render import FOOTER, render_pdf
from myomap.services import demo
from myomap.services.database import Store, open_store
from myomap.services.progress import client_progress

ROOT = Path(__file__).resolve().parents[2]
ATLAS_ID = re.compile(r"\b[a-z_]+\.(?:tp|trp)[a-z0-9_]*\b")


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    assert shutil.which("pdftotext"), "poppler-utils is needed (scripts/lib.sh installs it)"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def _body(page: str) -> list[str]:
    return [
        line.strip()
        for line in page.splitlines()
        if line.strip()
        and FOOTER not in line
        and not re.fullmatch(r".*page \d+ of \d+", line.strip())
    ]


@pytest.fixture(scope="module")
def demo_progress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, object]]]:
    store: Store = open_store(f"sqlite:///{tmp_path_factory.mktemp('rep') / 'r.sqlite3'}")
    try:
        with store.transaction() as s:
            ids = demo.seed(s).created
            yield [client_progress(s, cid, bundled_catalogue()) for cid in ids]
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["progress", "clinician"])
def test_no_page_is_only_a_heading(
    demo_progress: list[dict[str, object]], tmp_path: Path, kind: str
) -> None:
    assert len(demo_progress) == 4
    for p in demo_progress:
        pdf = render_pdf(
            p,
            kind,  # type: ignore[arg-type]
            atlas_version="test",
            generated_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
        pages = _pages(pdf, tmp_path)
        for number, page in enumerate(pages, start=1):
            body = _body(page)
            assert len(body) > 1, f"client {p['client']}: page {number} holds only {body}"
            assert not ATLAS_ID.search(page), ATLAS_ID.search(page)
        if kind == "clinician":
            assert len(pages) == 1, f"the one-pager of {p['client']} has {len(pages)} pages"
            text = " ".join(pages[0].split())
            for needed in (
                "Presenting complaint",
                "Safety screening",
                "Findings",
                "Treated by",
                "Next step",
                "Visit note",
                "Latest treatment",
            ):
                assert needed in text, needed
            assert "Demo Practitioner" in text


def test_handout_keeps_each_warning_with_its_exercise(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from myomap.cli import app

    drawings = sorted((ROOT / "examples" / "drawings").glob("*.json"))
    drawings.append(ROOT / "examples" / "intake" / "desk-worker-drawing.json")
    warned = 0
    for drawing in drawings:
        out = tmp_path / f"{drawing.stem}.pdf"
        # A screened client (the desk worker's all-clear intake): the handout carries exercises.
        intake = ROOT / "examples" / "intake" / "desk-worker.json"
        result = CliRunner().invoke(
            app, ["handout", "--drawing", str(drawing), "--intake", str(intake), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        for page in _pages(out.read_bytes(), tmp_path):
            careful = page.count("Careful:")
            steps = len(re.findall(r"1\. (?:Press the spot|Do not press)", page))
            warned += careful
            assert careful <= steps, "a warning sits on a page without its exercise"
    assert warned  # the examples do carry warnings
