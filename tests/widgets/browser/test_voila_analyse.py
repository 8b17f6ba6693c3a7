"""The Analyse tab of the app in a real browser: load statements, change the concept, the plot changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support.browser import Server

pytestmark = pytest.mark.browser


def test_analyse_tab_in_voila(voila: Server, page: Any, shot: Callable[[str], None], tmp_path: Path) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    from workbench.analytics.demo import synthetic_cohort

    _, statements = synthetic_cohort(learners=60, rng=5)
    source = tmp_path / "statements.ndjson"
    source.write_text("".join(json.dumps(s) + "\n" for s in statements))

    page.goto(f"{voila.url}/voila/render/00_workbench_app.ipynb", wait_until="domcontentloaded", timeout=180_000)
    expect(page.locator(".wb-status").first).to_contain_text("post_training_retention", timeout=120_000)
    page.locator(".lm-TabBar-tab", has_text="Analyse").click()
    page.locator(".wb-analyse input[type=text]").first.fill(str(source))
    page.locator("button.wb-analyse-load").click()
    expect(page.locator(".wb-analyse .wb-status")).to_contain_text("statements kept", timeout=180_000)
    image, caption = page.locator(".wb-analyse-recall"), page.locator(".wb-analyse-caption")
    expect(caption).to_contain_text("Retrieval success of sbi_model", timeout=60_000)
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=image.element_handle(), timeout=30_000)
    before = image.get_attribute("src")
    shot("voila-analyse-sbi.png")

    page.locator(".wb-analyse-concept select").select_option(label="Follow up within a week")
    expect(caption).to_contain_text("Retrieval success of follow_up", timeout=60_000)
    expect(image).not_to_have_attribute("src", before or "", timeout=60_000)  # a new plot
    page.wait_for_function(loaded, arg=image.element_handle(), timeout=30_000)
    expect(page.locator(".wb-analyse-findings")).to_contain_text("Is the flow-of-work support used?")
    shot("voila-analyse-follow-up.png")
