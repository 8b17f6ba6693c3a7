"""The cues that classify a piece of legacy content, in one place.

Used by the converter (to classify segments and explain why) and by the design rule WB022
(to spot leftovers kept as assets). Every cue is a named regular expression, so a report
can say which cue decided: ``leftover (cue: agenda)``. Pure and light: no readers here.

The categories follow common practice of redesigning formal training into microlearning:
keep what teaches a concept, a procedure, a decision or a reference; drop what only
organised the original event (welcome, agenda, breaks, Q&A, facilitator instructions,
transitions). The cue lists are workbench's own practice defaults, not a published scheme.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "FACILITATOR_NOTE",
    "GENERIC_LABELS",
    "LEFTOVER_TITLE",
    "STOPWORDS",
    "Category",
    "Cue",
    "classify_text",
    "content_words",
    "cue_hits",
    "leftover_title",
]


class Category(StrEnum):
    """What a segment of legacy content is, for redesign."""

    INSTRUCTION = "instruction"
    PROCEDURE = "procedure"
    DECISION = "decision"
    REFERENCE = "reference"
    LEFTOVER = "leftover"


@dataclass(frozen=True)
class Cue:
    """A named pattern that points to a category."""

    name: str
    category: Category
    pattern: re.Pattern[str]


def _cue(name: str, category: Category, pattern: str) -> Cue:
    return Cue(name, category, re.compile(pattern, re.IGNORECASE))


#: Titles of the parts of a session that organise the event rather than teach (rule WB022).
LEFTOVER_TITLE = re.compile(
    r"^\s*(?:\d+[.)]?\s+)?"
    r"(agenda|housekeeping|welcome|ice[- ]?breaker|(?:coffee |lunch )?break|lunch|logistics|"
    r"transition|q\s*&\s*a|questions and answers|any questions|questions\??|facilitator notes|trainer notes|"
    r"speaker notes|introductions?|intro|wrap[- ]?up|closing|thank you|thanks|ground rules|"
    r"course navigation|about this (?:course|handbook|guide|document|module)|feedback survey|course evaluation|"
    r"(?:section|part|module|chapter|unit)\s+(?:\d+|[ivx]+))"
    r"(?:\s*[:!?.]\s*.*|\s+[-\u2013\u2014]\s+.*)?\s*$",
    re.IGNORECASE,
)

#: Notes addressed to the facilitator, not to learners.
FACILITATOR_NOTE = re.compile(
    r"^\s*(?:facilitator|trainer|presenter|instructor|note to (?:self|facilitator)|timing|say|ask the (?:group|room)|"
    r"hand ?out|pause|click|allow \d+|spend \d+|\[?\d+\s*min(?:utes)?\]?)\b",
    re.IGNORECASE,
)

#: Ordered: the first cue that matches decides (leftovers first: they are dropped).
_TEXT_CUES: tuple[Cue, ...] = (
    _cue(
        "greeting", Category.LEFTOVER, r"\b(?:welcome (?:to|back|everyone)|good (?:morning|afternoon)|hello everyone)\b"
    ),
    _cue(
        "housekeeping",
        Category.LEFTOVER,
        r"\b(?:fire exits?|restrooms?|toilets|phones? on silent|mute your|can everyone hear|"
        r"screen ?share|let'?s get started|we'?ll start in)\b",
    ),
    _cue("break", Category.LEFTOVER, r"\b(?:coffee break|lunch break|take a (?:short )?break|back in \d+ minutes)\b"),
    _cue("questions", Category.LEFTOVER, r"\b(?:any (?:more |other )?questions|q\s*&\s*a|questions from the chat)\b"),
    _cue(
        "closing",
        Category.LEFTOVER,
        r"\b(?:thank(?:s| you) (?:all |everyone )?for (?:coming|joining|attending)|see you next)\b",
    ),
    _cue(
        "scenario",
        Category.DECISION,
        r"\b(?:scenario|case study|what would you do|what should (?:you|they|she|he) do|"
        r"how would you (?:handle|respond)|you decide|decide whether|dilemma|choose between)\b",
    ),
    _cue(
        "steps",
        Category.PROCEDURE,
        r"(?:\bstep \d+\b|\bhow to\b|\bprocedure\b|\bfollow these steps\b|\bfirst,.*\bthen\b)",
    ),
)

#: Titles that announce reference material (judged on titles only: "checklist" in a body is often practice).
_REFERENCE_TITLE = _cue(
    "reference title",
    Category.REFERENCE,
    r"\b(?:quick reference|cheat ?sheet|checklist|glossary|contacts?|look-?up|at a glance|"
    r"thresholds?|limits?|codes?|template|reference)\b",
)

#: Labels that introduce a line but name no concept ("Why it matters: ...").
GENERIC_LABELS = frozenset(
    [
        "why it matters",
        "common mistake",
        "common mistakes",
        "example",
        "examples",
        "note",
        "notes",
        "tip",
        "tips",
        "remember",
        "key point",
        "key points",
        "summary",
        "practice",
        "exercise",
        "quick reference",
        "reference",
        "important",
        "warning",
        "caution",
        "question",
        "answer",
        "definition",
        "in short",
        "for example",
        "see also",
        "step",
        "result",
        "outcome",
        "goal",
        "goals",
        "objective",
        "objectives",
        "scenario",
        "case study",
        "case",
    ]
)

#: Common English words that carry no topic (for key phrases and topic segmentation).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "either",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "getting",
        "go",
        "going",
        "gonna",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "know",
        "let",
        "lets",
        "like",
        "ll",
        "me",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "need",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "ok",
        "okay",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "really",
        "right",
        "s",
        "same",
        "say",
        "says",
        "see",
        "she",
        "should",
        "so",
        "some",
        "something",
        "such",
        "t",
        "than",
        "that",
        "thats",  # codespell:ignore  ("that's" with its apostrophe stripped, as tokens are)
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "think",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "use",
        "used",
        "using",
        "very",
        "want",
        "was",
        "way",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yeah",
        "yes",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "re",
        "ve",
        "d",
        "m",
        "going",
        "also",
        "let's",
        "that's",
        "it's",
        "we're",
        "you're",
        "they're",
        "i'm",
        "don't",
        "can't",
        "won't",
        "isn't",
        "slide",
        "slides",
        "today",
        "session",
        "module",
        "course",
        "chapter",
        "page",
        "section",
        "part",
        "minute",
        "minutes",
    ]
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'\-]+")


def content_words(text: str) -> list[str]:
    """Lower-case words of ``text`` that carry content (no stopwords, at least 3 letters).

    Examples
    --------
    >>> content_words("The risk log: likelihood and impact of each risk")
    ['risk', 'log', 'likelihood', 'impact', 'risk']
    """
    words = (w.lower().strip("'-") for w in _WORD.findall(text))
    return [w for w in words if len(w) >= 3 and w not in STOPWORDS]


def leftover_title(title: str) -> str | None:
    """Return the leftover cue a title matches (``'agenda'``, ``'break'``...), or None.

    Examples
    --------
    >>> leftover_title("Agenda: day one"), leftover_title("Risk log basics")
    ('agenda', None)
    """
    match = LEFTOVER_TITLE.match(title)
    return None if match is None else match.group(1).lower()


def classify_text(title: str, lines: Iterable[str], *, has_table: bool = False) -> tuple[Category, str]:
    """Classify a segment from its title and lines; return the category and the deciding cue.

    Leftover titles win; then a table means reference; then the first text cue that matches;
    then lists of steps or values; instruction otherwise.

    Examples
    --------
    >>> classify_text("Coffee break", [])
    (<Category.LEFTOVER: 'leftover'>, 'title: coffee break')
    >>> classify_text("Escalation", ["What would you do if the client refuses?"])
    (<Category.DECISION: 'decision'>, 'scenario')
    >>> classify_text("The charter", ["A charter names scope, goals and sponsor."])
    (<Category.INSTRUCTION: 'instruction'>, 'default: explains content')
    """
    cue = leftover_title(title)
    if cue is not None:
        return Category.LEFTOVER, f"title: {cue}"
    body = [line for line in lines if line.strip()]
    if has_table:
        return Category.REFERENCE, "table"
    if _REFERENCE_TITLE.pattern.search(title):
        return Category.REFERENCE, _REFERENCE_TITLE.name
    text = "\n".join([title, *body])
    for candidate in _TEXT_CUES:
        if candidate.pattern.search(text):
            return candidate.category, candidate.name
    numbered = sum(bool(re.match(r"^\s*(?:\d+[.)]|step\b)", line, re.IGNORECASE)) for line in body)
    if numbered >= 3:
        return Category.PROCEDURE, "numbered steps"
    valued = sum(bool(re.search(r":\s*\S|\d", line)) and len(line) < 80 for line in body)
    if len(body) >= 5 and valued >= 0.8 * len(body):
        return Category.REFERENCE, "list of values"
    if not body:
        return Category.LEFTOVER, "title only (a transition)"
    return Category.INSTRUCTION, "default: explains content"


def cue_hits(lines: Iterable[str]) -> Counter[tuple[Category, str]]:
    """Count, per (category, cue), the lines whose first matching text cue it is.

    Used for long, spoken segments, where one "let's get started" must not decide.

    Examples
    --------
    >>> hits = cue_hits(["Welcome everyone", "What would you do here?", "What should she do?"])
    >>> hits[(Category.DECISION, "scenario")], hits[(Category.LEFTOVER, "greeting")]
    (2, 1)
    """
    hits: Counter[tuple[Category, str]] = Counter()
    for line in lines:
        for candidate in _TEXT_CUES:
            if candidate.pattern.search(line):
                hits[(candidate.category, candidate.name)] += 1
                break
    return hits
