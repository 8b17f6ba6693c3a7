"""The report in a real browser: headless Debian Chromium opens the file offline; PDF output.

Without Playwright or ``/usr/bin/chromium`` these tests skip with the reason, except in CI
(``CI=true``), where either one missing is a failure.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from report.support import small_review
from support.browser import CHROMIUM
from support.env import skip_or_fail
from workbench.cli import main
from workbench.spec import dump
from workbench.templates import load_template

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("REPORT_ARTIFACTS", REPO / "test-artifacts" / "report"))


@pytest.fixture(scope="module")
def chromium() -> str:
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} missing: apt-get install -y chromium")
    return CHROMIUM


def test_report_renders_in_chromium_offline(browser: Any, tmp_path: Path) -> None:
    review = small_review("software_adoption", target=0.85)
    path = tmp_path / "review.html"
    path.write_text(review.to_html(generated="2026-03-02"), encoding="utf-8")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")

    sizes = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.clientWidth])"
    )
    assert len(sizes) == 5
    for complete, natural_w, natural_h, shown_w in sizes:
        assert complete, sizes
        assert natural_w > 800, sizes
        assert natural_h > 200, sizes
        assert 600 < shown_w <= 1080, sizes  # fills the text column, never wider than it
    headings = page.locator("h2").all_inner_texts()
    assert headings == [
        "1. The journey at a glance",
        "2. Design findings",
        "3. Reinforcement plans compared",
        "4. Learner time against retention",
        "5. Recommended plan",
        "6. Assumptions and reproducibility",
    ]
    assert page.locator("table.plans tbody tr").count() == len(review.plans)
    assert page.locator("tr.recommended").count() == 1
    assert "decision summary" in page.locator(".verdict").inner_text().lower()
    # the table of contents jumps within the page
    page.locator("nav.toc a[href='#assumptions']").click()
    assert page.evaluate("location.hash") == "#assumptions"
    # the only things loaded: the file itself and its data: images
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(path.as_uri(), wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "report-software_adoption.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "report-software_adoption-print.png"), full_page=True)
    context.close()


def test_cli_pdf_writes_a_pdf(chromium: str, tmp_path: Path) -> None:
    spec = dump(load_template("post_training_retention"), tmp_path / "journey.yaml")
    target = tmp_path / "review.html"
    out = io.StringIO()
    code = main(
        [
            *("report", str(spec), "--plans", "none,expanding", "--learners", "200", "--no-frontier"),
            *("--target", "0.8", "-o", str(target), "--pdf", "--chromium", chromium),
        ],
        out=out,
    )
    assert code == 0, out.getvalue()
    pdf = target.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {pdf}" in out.getvalue()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report-post_training_retention.pdf").write_bytes(data)

    only_pdf = tmp_path / "only.pdf"
    code = main(
        [
            *("report", str(spec), "--plans", "none", "--learners", "100", "--no-frontier"),
            *("-o", str(only_pdf), "--chromium", chromium),
        ],
        out=io.StringIO(),
    )
    assert code == 0
    assert only_pdf.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "only.html").exists()
