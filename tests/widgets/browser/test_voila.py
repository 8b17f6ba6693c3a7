"""Serve notebooks/00_workbench_app.ipynb as a Voila app and compose in it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from support.browser import Server, wait_img_changed

pytestmark = pytest.mark.browser

IMG = "img.wb-timeline"


def test_compose_in_voila(voila: Server, page: Any, shot: Callable[[str], None]) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    t0 = time.monotonic()
    page.goto(f"{voila.url}/voila/render/00_workbench_app.ipynb", wait_until="domcontentloaded")
    status = page.locator(".wb-composer .wb-status")
    expect(status).to_contain_text("post_training_retention: 10 activities", timeout=120_000)
    expect(page.locator(IMG)).to_be_visible(timeout=60_000)
    print(f"\nvoila page to rendered app {time.monotonic() - t0:.1f}s")
    body = page.locator("body").inner_text()
    for bad in ("Workbench(", "JourneyComposer(", "Error displaying widget"):
        assert bad not in body
    assert "336 learner minutes" in body  # the printed summary cell
    shot("voila-opened.png")

    src = page.locator(IMG).get_attribute("src")
    page.locator("button.wb-new").click()
    page.locator(".wb-kind select").select_option(label="Prompt card (micro)")
    # the kind proposes an id from the server: wait for it, or typing races with it
    expect(page.locator(".wb-id input")).to_have_value("prompt_card", timeout=30_000)
    page.locator(".wb-id input").fill("card_extra")
    page.locator(".wb-day input").fill("30")
    page.locator(".wb-day input").press("Tab")
    page.locator("button.wb-add").click()
    expect(status).to_contain_text("11 activities", timeout=30_000)
    expect(status).to_contain_text("added 'card_extra'")
    wait_img_changed(page, IMG, src)
    expect(page.locator(".wb-schedule")).to_contain_text("card_extra")
    shot("voila-after-edit.png")
