"""Published single-study forgetting and spacing tables, as grouped outcomes.

Each table is shipped with the package (``workbench/calibrate/published/*.csv``) in the grouped
format of :mod:`workbench.calibrate.data`: the first study session is an ``encode`` touch on
day 0, the review session a ``retrieve`` touch (a test with feedback) after the gap, and the
final test ``test_day`` days after day 0. The ``function`` column says whether a row is a
point of the forgetting function (recall at the start of the review session, after one
session) or of the spacing function (final recall after two sessions).

The recall percentages are those plotted in Mozer, Pashler, Cepeda, Lindsey & Vul (2009),
Figure 2, recovered from the figure's vector graphics (values reported to one decimal) and
published as data by the popov-lab/optimal-spacing-memory repository (``data/cepeda_spacing_recall.csv``).

Examples
--------
>>> frame = load_published("cepeda2008")
>>> len(frame), sorted(frame["function"].unique())
(37, ['forgetting', 'spacing'])
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pandas as pd

from workbench.errors import UnknownNameError

__all__ = ["PUBLISHED", "load_published"]

#: The published tables: file, citation, and what was assumed to make them grouped outcomes.
PUBLISHED: dict[str, dict[str, Any]] = {
    "cepeda2008": {
        "file": "cepeda2008_trivia.csv",
        "title": "Trivia facts: forgetting over 0-105 days and spacing gaps 0-105 days at test delays 7-350 days",
        "citation": (
            "Cepeda, N. J., Vul, E., Rohrer, D., Wixted, J. T., & Pashler, H. (2008). Spacing effects in "
            "learning: A temporal ridgeline of optimal retention. Psychological Science, 19(11), 1095-1102. "
            "https://doi.org/10.1111/j.1467-9280.2008.02209.x"
        ),
        "values_from": (
            "Mozer, M. C., Pashler, H., Cepeda, N. J., Lindsey, R. V., & Vul, E. (2009). Predicting the "
            "optimal spacing of study: A multiscale context model of memory. NIPS 22, Figure 2d (recall "
            "percentages recovered from the vector figure, popov-lab/optimal-spacing-memory)"
        ),
        "design": (
            "1,354 adults learned 32 obscure trivia facts to criterion (encode, day 0), were tested with "
            "feedback after a gap of 0-105 days (retrieve) and took a final recall test 7, 35, 70 or 350 "
            "days later; 26 gap x delay conditions. Forgetting rows: recall at the start of the review "
            "session. n: 1,354 / 26 = 52 participants per condition (forgetting rows pool the conditions "
            "that share the gap); participants, not item responses, are the unit, so the likelihood does "
            "not overstate the data's precision."
        ),
    },
    "cepeda2009": {
        "file": "cepeda2009_facts.csv",
        "title": "Obscure facts: forgetting over 0-168 days and spacing gaps 0-168 days at a 168-day test delay",
        "citation": (
            "Cepeda, N. J., Coburn, N., Rohrer, D., Wixted, J. T., Mozer, M. C., & Pashler, H. (2009). "
            "Optimizing distributed practice: Theoretical analysis and practical implications. Experimental "
            "Psychology, 56(4), 236-246. https://doi.org/10.1027/1618-3169.56.4.236 (Experiment 2a)"
        ),
        "values_from": (
            "Mozer et al. (2009), Figure 2b (popov-lab/optimal-spacing-memory, data/cepeda_spacing_recall.csv)"
        ),
        "design": (
            "Obscure facts learned in session 1, reviewed with feedback after 0-168 days, final test 168 days "
            "after the review. Group sizes are not in the figure: n = 1 per row (equal weights); used to "
            "validate, never to fit."
        ),
    },
}


def load_published(name: str) -> pd.DataFrame:
    """One published table as grouped outcomes (``history, test_day, recalled, n, function``).

    Examples
    --------
    >>> load_published("cepeda2009")["history"].iloc[-1]
    '0:encode;168:retrieve'
    """
    key = str(name).strip().lower()
    if key not in PUBLISHED:
        raise UnknownNameError(f"unknown published table {name!r}; known: {', '.join(PUBLISHED)}")
    path = resources.files(__name__).joinpath(PUBLISHED[key]["file"])
    with resources.as_file(path) as file:
        return pd.read_csv(file)
