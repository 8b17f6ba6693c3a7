"""Open notebooks/00_workbench_app.ipynb in a real JupyterLab, run it, compose like a designer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from support.browser import (
    Server,
    assert_no_widget_fallback,
    hex_rgb,
    node_centre,
    open_notebook,
    run_all_cells,
    wait_img_changed,
)
from workbench.widgets._graph import LAYER_COLORS, cytoscape_available

pytestmark = pytest.mark.browser

NOTEBOOK = "00_workbench_app.ipynb"
IMG = "img.wb-timeline"
PLAN_IMG = "img.wb-plan-plot"


def test_compose_in_jupyterlab(lab: Server, page: Any, shot: Callable[[str], None]) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    t0 = time.monotonic()
    open_notebook(page, lab, NOTEBOOK)
    t_open = time.monotonic()
    run_all_cells(page)

    status = page.locator(".wb-composer .wb-status")
    expect(status).to_contain_text("post_training_retention: 10 activities", timeout=90_000)
    expect(page.locator(IMG)).to_be_visible(timeout=60_000)
    print(f"\nopen+kernel idle {t_open - t0:.1f}s, run-all to rendered app {time.monotonic() - t_open:.1f}s")
    assert_no_widget_fallback(page)
    expect(page.locator(".wb-tabs .lm-TabBar-tab")).to_have_count(5)
    expect(page.locator(".wb-findings")).to_contain_text("WB003")
    src = page.locator(IMG).get_attribute("src")
    assert src
    assert src.startswith("blob:")
    shot("lab-opened.png")

    # the graph (when ipycytoscape is installed): click the only node of the "work" layer
    if cytoscape_available():
        graph = page.locator(".wb-graph")
        expect(graph.locator("canvas").first).to_be_attached(timeout=30_000)
        graph.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # layout and first draw
        centre = node_centre(graph.screenshot(), hex_rgb(LAYER_COLORS["work"]))
        assert centre, "no node of the work layer drawn in the cytoscape canvas"
        box = graph.bounding_box()
        page.mouse.click(box["x"] + centre[0], box["y"] + centre[1])
        expect(page.locator(".wb-id input")).to_have_value("job_aid", timeout=10_000)
        expect(status).to_contain_text("editing 'job_aid'")

    # a new activity of a kind: the kind fills its defaults
    page.locator("button.wb-new").click()
    page.locator(".wb-kind select").select_option(label="Spaced recall quiz (micro)")
    expect(page.locator(".wb-duration input")).to_have_value("3")
    page.locator(".wb-id input").fill("quiz_extra")
    page.locator(".wb-day input").fill("100")
    page.locator(".wb-day input").press("Tab")
    page.locator("button.wb-add").click()
    expect(status).to_contain_text("11 activities", timeout=30_000)
    expect(status).to_contain_text("added 'quiz_extra'")
    src = wait_img_changed(page, IMG, src)

    # a longer duration breaks a design rule: the findings and the timeline follow
    page.locator(".wb-duration input").fill("25")
    page.locator(".wb-duration input").press("Tab")
    page.locator("button.wb-update").click()
    expect(status).to_contain_text("updated 'quiz_extra'", timeout=30_000)
    expect(page.locator(".wb-findings")).to_contain_text("micro-too-long")
    expect(page.locator(".wb-findings")).to_contain_text("quiz_extra")
    src = wait_img_changed(page, IMG, src)
    page.locator(".wb-findings").scroll_into_view_if_needed()
    shot("lab-after-edit.png")

    # a bad value is shown next to its field, and nothing changes
    page.locator(".wb-duration input").fill("-5")
    page.locator(".wb-duration input").press("Tab")
    page.locator("button.wb-update").click()
    expect(page.locator(".wb-error-duration")).to_contain_text("must be > 0", timeout=30_000)
    expect(status).to_contain_text("journey unchanged")
    expect(status).to_contain_text("11 activities")
    page.locator(".wb-error-duration").scroll_into_view_if_needed()
    shot("lab-field-error.png")

    # undo goes back to the template
    page.locator("button.wb-undo").click()
    page.locator("button.wb-undo").click()
    expect(status).to_contain_text("10 activities", timeout=30_000)

    # the Plan tab simulates when opened; a slider move (keyboard on its knob) re-simulates
    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Plan").click()
    plan_status = page.locator(".wb-plan-status")
    expect(plan_status).to_contain_text("plans=4 learners=1000 seed=0 target=0.85 deadline=90", timeout=60_000)
    expect(page.locator(PLAN_IMG)).to_be_visible(timeout=30_000)
    expect(page.locator(".wb-plan-summary")).to_contain_text("target:0.85")
    plan_src = page.locator(PLAN_IMG).get_attribute("src")
    page.locator(".wb-plan-target .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(plan_status).to_contain_text("target=0.86", timeout=30_000)
    expect(page.locator(".wb-plan-summary")).to_contain_text("target:0.86")
    wait_img_changed(page, PLAN_IMG, plan_src)
    assert_no_widget_fallback(page)
    page.locator(".wb-plan-status").scroll_into_view_if_needed()
    shot("lab-plan-tab.png")
    page.locator(".wb-plan-summary").scroll_into_view_if_needed()
    shot("lab-plan-summary.png")
    assert not page.page_errors, page.page_errors
