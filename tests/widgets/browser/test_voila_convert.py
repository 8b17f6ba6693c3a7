"""The Convert tab of the app in a real browser: choose the memory, convert a deck, drop a proposal, open the draft.

The memory is chosen as in the Plan tab: a profile from the list, or a calibration file uploaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from convert import sources
from support.browser import Server
from support.calibrations import pilot_calibration
from workbench.simulate import PROFILES

pytestmark = pytest.mark.browser


def test_convert_tab_in_voila(voila: Server, page: Any, shot: Callable[[str], None], tmp_path: Path) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixtures skip (or fail in CI)

    deck = sources.build_deck(tmp_path / "workshop.pptx")
    pilot = pilot_calibration()
    calibration = pilot.save(tmp_path / "pilot.json")
    broken = tmp_path / "broken.json"
    fields = json.loads(pilot.to_json())
    fields["profile"]["memory_sigma"] = "wide"  # one bad field in an otherwise whole calibration
    broken.write_text(json.dumps(fields))
    page.goto(f"{voila.url}/voila/render/00_workbench_app.ipynb", wait_until="domcontentloaded", timeout=180_000)
    expect(page.locator(".wb-composer .wb-status")).to_contain_text("post_training_retention", timeout=120_000)
    page.locator(".lm-TabBar-tab", has_text="Convert").click()

    # the memory choice: the Plan tab's profile list and calibration upload
    note = page.locator(".wb-convert-profile-note")
    expect(note).to_contain_text("Drafts will be scheduled for: Memory profile workplace:", timeout=60_000)
    profile = page.locator(".wb-convert-profile select")
    flashcards = f"flashcards: {PROFILES['flashcards'].title}"  # a <select> option's value is its label
    profile.select_option(flashcards)
    expect(note).to_contain_text("Drafts will be scheduled for: Memory profile flashcards: Flashcard reviews")
    upload = page.locator("button.wb-convert-calibration-upload")

    def choose(path: Path) -> None:  # the upload button opens a file chooser (its <input> is not in the page)
        with page.expect_file_chooser() as chooser:
            upload.click()
        chooser.value.set_files(str(path))

    choose(broken)  # refused: said beside the upload, the choice stays
    problem = page.locator(".wb-convert-error-calibration")
    expect(problem).to_contain_text("broken.json: not a valid calibration", timeout=60_000)
    expect(problem).to_contain_text("field profile.memory_sigma: must be a number (got 'wide')")
    expect(problem).not_to_contain_text("is required")  # one bad field, one message
    expect(profile).to_have_value(flashcards)
    expect(note).to_contain_text("Memory profile flashcards")
    shot("voila-convert-calibration-refused.png")
    choose(calibration)
    expect(note).to_contain_text(
        "Drafts will be scheduled for: Calibration calibration:pilot: from pilot.csv, 2026-12-02", timeout=60_000
    )
    expect(profile).to_have_value("calibration calibration:pilot (pilot.csv, 2026-12-02)")
    expect(problem).to_have_text("")
    shot("voila-convert-calibration.png")

    page.locator(".wb-convert-paths input").fill(str(deck))
    page.locator("button.wb-convert-run").click()
    status = page.locator(".wb-convert-status")
    expect(status).to_contain_text("workshop.pptx: 6 concepts", timeout=120_000)
    expect(note).to_contain_text("Draft scheduled for: Calibration calibration:pilot: from pilot.csv, 2026-12-02")
    expect(page.locator(".wb-convert-segments")).to_contain_text("leftover: title: agenda")
    shot("voila-convert-proposals.png")

    boxes = page.locator(".wb-convert-proposal", has_text="Quick reference")
    assert boxes.count() == 1
    boxes.locator("input[type=checkbox]").uncheck()
    page.locator("button.wb-convert-open").click()
    expect(status).to_contain_text("opened project_management_essentials in the composer", timeout=60_000)
    expect(status).to_contain_text("1 proposal(s) dropped")
    expect(status).to_contain_text("reinforcement scheduled for memory profile 'calibration:pilot'")

    page.locator(".lm-TabBar-tab", has_text="Compose").click()
    composer_status = page.locator(".wb-composer .wb-status")
    expect(composer_status).to_contain_text("project_management_essentials", timeout=60_000)
    expect(page.locator(".wb-schedule")).to_contain_text("core_project_management_essentials")
    expect(page.locator(".wb-schedule")).not_to_contain_text("quick_reference_risk_rating_thresholds")
    shot("voila-convert-opened.png")
