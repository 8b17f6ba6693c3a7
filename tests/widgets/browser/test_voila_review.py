"""Serve notebooks/04_strategy_review.ipynb as a Voila dashboard and use it like a person."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from support.browser import Server, wait_img_changed

pytestmark = pytest.mark.browser

TIMELINE = "img.sr-timeline"
RETENTION = "img.sr-retention"


def test_strategy_review_dashboard(voila: Server, page: Any, shot: Callable[[str], None]) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    t0 = time.monotonic()
    page.goto(f"{voila.url}/voila/render/04_strategy_review.ipynb", wait_until="domcontentloaded")
    status = page.locator(".sr-status")
    expect(status).to_contain_text("post_training_retention: 4 plans compared", timeout=120_000)
    for css in ("sr-timeline", "sr-retention", "sr-plans", "sr-frontier"):
        expect(page.locator(f"img.{css}")).to_be_visible(timeout=60_000)
    print(f"\nvoila page to rendered dashboard {time.monotonic() - t0:.1f}s")
    body = page.locator("body").inner_text()
    for bad in ("VBox(", "Dropdown(", "Image(value=", "Error displaying widget", "Traceback"):
        assert bad not in body, f"widget not rendered: found {bad!r}"
    # real widgets: a native <select> for the journey, a multi-select for plans, images drawn
    assert page.locator(".sr-template select").count() == 1
    assert page.locator(".sr-plans-select select[multiple]").count() == 1
    sizes = page.eval_on_selector_all("img[class*='sr-']", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(sizes) == 4, sizes
    assert min(sizes) > 800, sizes
    summary = page.locator(".sr-summary")
    expect(summary).to_contain_text("Feedback conversations: post-training retention")
    expect(page.locator(".sr-tables")).to_contain_text("deadline:90")
    assert "Strategy review: Feedback conversations" in body  # the printed key figures
    shot("voila-review-opened.png")

    # another journey: status, summary, timeline and retention plot all change
    timeline_src = page.locator(TIMELINE).get_attribute("src")
    retention_src = page.locator(RETENTION).get_attribute("src")
    option = page.locator(".sr-template select option", has_text="(safety_reminders)").inner_text()
    page.locator(".sr-template select").select_option(label=option)  # options are labelled "Title (name)"
    # generous waits: each change simulates ~20 plans and redraws 4 figures, slower on a busy machine
    expect(status).to_contain_text("safety_reminders:", timeout=120_000)
    expect(summary).not_to_contain_text("Feedback conversations", timeout=60_000)
    wait_img_changed(page, TIMELINE, timeline_src, timeout=60_000)
    retention_src = wait_img_changed(page, RETENTION, retention_src, timeout=60_000)

    # fewer plans: the comparison is redrawn with two lines (plus the recommended plan, if new)
    page.locator(".sr-plans-select select").select_option(label=["none", "expanding"])
    wait_img_changed(page, RETENTION, retention_src, timeout=120_000)
    expect(page.locator(".sr-tables")).not_to_contain_text("fixed:7x4", timeout=60_000)
    expect(status).to_contain_text("safety_reminders:")
    page.locator(RETENTION).scroll_into_view_if_needed()
    shot("voila-review-after-change.png")
    assert not page.page_errors, page.page_errors
