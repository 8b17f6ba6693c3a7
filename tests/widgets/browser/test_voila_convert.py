"""The Convert tab of the app in a real browser: convert a deck, drop a proposal, open the draft."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from convert import sources
from support.browser import Server

pytestmark = pytest.mark.browser


def test_convert_tab_in_voila(voila: Server, page: Any, shot: Callable[[str], None], tmp_path: Path) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    deck = sources.build_deck(tmp_path / "workshop.pptx")
    page.goto(f"{voila.url}/voila/render/00_workbench_app.ipynb", wait_until="domcontentloaded", timeout=180_000)
    expect(page.locator(".wb-composer .wb-status")).to_contain_text("post_training_retention", timeout=120_000)
    page.locator(".lm-TabBar-tab", has_text="Convert").click()
    page.locator(".wb-convert-paths input").fill(str(deck))
    page.locator("button.wb-convert-run").click()
    status = page.locator(".wb-convert-status")
    expect(status).to_contain_text("workshop.pptx: 6 concepts", timeout=120_000)
    expect(page.locator(".wb-convert-segments")).to_contain_text("leftover: title: agenda")
    shot("voila-convert-proposals.png")

    boxes = page.locator(".wb-convert-proposal", has_text="Quick reference")
    assert boxes.count() == 1
    boxes.locator("input[type=checkbox]").uncheck()
    page.locator("button.wb-convert-open").click()
    expect(status).to_contain_text("opened project_management_essentials in the composer", timeout=60_000)
    expect(status).to_contain_text("1 proposal(s) dropped")

    page.locator(".lm-TabBar-tab", has_text="Compose").click()
    composer_status = page.locator(".wb-composer .wb-status")
    expect(composer_status).to_contain_text("project_management_essentials", timeout=60_000)
    expect(page.locator(".wb-schedule")).to_contain_text("core_project_management_essentials")
    expect(page.locator(".wb-schedule")).not_to_contain_text("quick_reference_risk_rating_thresholds")
    shot("voila-convert-opened.png")
