"""The README's tour runs as written (it is the first code a designer copies)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_tour_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    matplotlib.use("Agg")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)
    assert blocks, "the README has no Python tour"
    monkeypatch.chdir(tmp_path)  # the tour writes files (gdpr.yaml, cohort.ics)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own README, nothing untrusted
    assert (tmp_path / "cohort.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    result = namespace["result"]
    assert result.n_learners == 2000
    assert 0 < result.retention(90) <= 1
    import matplotlib.pyplot as plt

    plt.close("all")
