"""The atlas browser shows one picture per trigger point (seven TrPs, seven pictures)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from myomap.knowledge.loader import load_atlas


def test_atlas_page_has_a_picture_per_trigger_point(open_client: TestClient) -> None:
    m = max(load_atlas().muscles, key=lambda mm: (len(mm.trigger_points), mm.id))
    page = open_client.get(f"/atlas/{m.id}").text
    assert page.count('class="muscle-chart trp-chart"') == len(m.trigger_points)
    for tp in m.trigger_points:
        assert f'data-trp="{tp.id}"' in page
