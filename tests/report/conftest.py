"""Report fixtures: each template's page is built once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from report.support import small_review


@pytest.fixture(scope="session")
def page_of() -> Callable[[str], str]:
    """``page_of(template)``: the HTML report of a template (test settings), built once."""
    cache: dict[str, str] = {}

    def get(name: str) -> str:
        if name not in cache:
            cache[name] = small_review(name).to_html()
        return cache[name]

    return get
