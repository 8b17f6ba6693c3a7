"""Analysis of legacy content: segments, what each is for, and the concepts it teaches.

Deterministic and explainable (no network, no hosted model): every segment says which cue
classified it, and every concept lists its evidence (objective, heading, definition,
emphasis, repeated phrase) with the file and place it came from. Transcripts of recorded
sessions are cut into topic segments by lexical cohesion between neighbouring windows of
speech, in the manner of TextTiling (Hearst 1997, Computational Linguistics 23(1)).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from workbench.convert.cues import FACILITATOR_NOTE, GENERIC_LABELS, Category, classify_text, content_words, cue_hits
from workbench.convert.outline import Block, BlockKind, Outline, Provenance, format_seconds
from workbench.convert.readers import MINUTES_PER_SLIDE, READING_WPM

__all__ = ["Analysis", "ConceptCandidate", "Evidence", "Segment", "analyse", "slug"]

#: Weight of each kind of evidence in a concept's score.
EVIDENCE_WEIGHTS = {"objective": 3.0, "heading": 2.0, "topic": 2.0, "definition": 2.0, "emphasis": 1.0, "repeated": 1.0}
_STRONG = frozenset({"objective", "heading", "topic", "definition"})

_OBJECTIVES_TITLE = re.compile(
    r"^\s*(?:learning |session |course )?(?:objectives?|outcomes|goals)\b|what you will learn|by the end", re.IGNORECASE
)
_OBJECTIVES_LEAD = re.compile(
    r"\b(?:by the end|after this|you will be able to|participants will|learners will)\b", re.I
)
#: Verbs that open learning objectives (Bloom's taxonomy, as designers write them).
_OBJECTIVE_VERB = re.compile(
    r"^\s*(?:\d+[.)]\s*)?(?:be able to\s+)?(explain|describe|identify|apply|use|list|recogni[sz]e|choose|decide|"
    r"calculate|complete|handle|report|run|write|map|build|plan|define|compare|select|assess|evaluate|"
    r"estimate|prepare|keep|spot|recall|state|follow|perform|carry out|set up|create|manage|distinguish|"
    r"name|outline|summari[sz]e|demonstrate|analy[sz]e|prioriti[sz]e)\b\s*(?:how to\s+|the\s+|a\s+|an\s+|when\s+)?",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"^(?:an?\s+|the\s+)?(?P<term>[A-Za-z][A-Za-z0-9\- ]{2,48}?)\s+"
    r"(?:is|are|means|refers to)\s+(?:an?|the|one|when|how)\s",
    re.IGNORECASE,
)
_TERM_COLON = re.compile(r"^(?P<term>[A-Za-z][A-Za-z0-9\- ]{2,40}?)\s*[:\u2013\u2014-]\s+(?P<rest>.{12,})$")
_TITLE_SUFFIX = re.compile(
    r"\s*[:\u2013-]\s*(?:worked )?(?:example|practice|exercise|activity|recap|summary|part)\b.*$", re.I
)
_TITLE_NOISE = re.compile(
    r"^\s*(?:(?:part|module|section|chapter|unit|step|topic)\s*\d*[:.)-]?\s*|\d+(?:\.\d+)*[.)]?\s+|"
    r"(?:scenario|case study|quick reference|checklist|exercise|activity|recap)\s*[:\u2013-]\s*|how to\s+)",
    re.IGNORECASE,
)


def slug(text: str, *, max_length: int = 40) -> str:
    """Make an id from text: lower case, words joined by ``_``.

    Examples
    --------
    >>> slug("The one-page Project Charter!")
    'the_one_page_project_charter'
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = "_".join(words)[:max_length].strip("_") or "item"
    return out if out[0].isalpha() else f"c_{out}"


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _keys(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


@dataclass(frozen=True)
class Evidence:
    """One sign that a concept matters: what kind, the text, and where it was found."""

    kind: str
    text: str
    provenance: Provenance


@dataclass(frozen=True)
class ConceptCandidate:
    """A concept the sources teach, with the evidence for it.

    ``definition`` is a sentence of the source that defines it, when one was found (the
    converter drafts quiz questions from it).
    """

    id: str
    name: str
    score: float
    evidence: tuple[Evidence, ...]
    definition: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        """The files the evidence comes from."""
        return tuple(dict.fromkeys(e.provenance.file for e in self.evidence))

    @property
    def keys(self) -> frozenset[str]:
        """Content-word stems that identify the concept in text."""
        return _keys(self.name)


@dataclass(frozen=True)
class Segment:
    """A unit of a source, classified, with the concepts it supports.

    Parameters
    ----------
    id : str
        ``s1``, ``s2``... in source order.
    source, format : str
        The file and its format.
    title : str
        The author's title, or for a transcript topic its key phrase.
    category : Category
        instruction, procedure, decision, reference or leftover.
    cue : str
        What decided the category (a report shows it).
    provenance : tuple of Provenance
        Where it is in the source (slides, pages, time range).
    minutes : float
        Learner time it took in the source.
    lines : tuple of str
        Its learner-facing text (and speaker notes that are content).
    dropped_notes : tuple of str
        Facilitator instructions found in its notes (never converted).
    speakers : tuple of str
        For transcripts: who speaks, most first.
    concepts : tuple of str
        Ids of the concepts it supports, strongest first.
    """

    id: str
    source: str
    format: str
    title: str
    category: Category
    cue: str
    provenance: tuple[Provenance, ...]
    minutes: float
    lines: tuple[str, ...] = ()
    dropped_notes: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    has_table: bool = False

    @property
    def where(self) -> str:
        """The segment's place, for reports: ``deck.pptx, slides 3-5``."""
        first, last = self.provenance[0], self.provenance[-1]
        if first == last:
            return str(first)
        if first.locator.startswith("slide ") and last.locator.startswith("slide "):
            return f"{first.file}, slides {first.locator[6:]}-{last.locator[6:]}"
        return f"{first}; {last.locator}"

    @property
    def text(self) -> str:
        """Title and lines as one text."""
        return "\n".join([self.title, *self.lines])


@dataclass(frozen=True)
class Analysis:
    """What the converter found in the sources: segments, concepts, objectives."""

    outlines: tuple[Outline, ...]
    segments: tuple[Segment, ...]
    concepts: tuple[ConceptCandidate, ...]
    objectives: tuple[Evidence, ...] = field(default=())

    @property
    def source_minutes(self) -> float:
        """Learner minutes of the sources as delivered."""
        return round(sum(o.source_minutes for o in self.outlines), 1)

    def segments_of(self, concept_id: str) -> tuple[Segment, ...]:
        """Segments that support a concept (leftovers excluded)."""
        return tuple(s for s in self.segments if concept_id in s.concepts and s.category is not Category.LEFTOVER)


# ---- segments ------------------------------------------------------------------------------


def _section_segments(outline: Outline, start_number: int) -> list[Segment]:
    segments = []
    per_section_min = MINUTES_PER_SLIDE if outline.format == "pptx" else None
    for offset, section in enumerate(outline.sections):
        visible = [b.text for b in section.text_blocks]
        notes = [b.text for b in section.blocks if b.kind is BlockKind.NOTE]
        facilitator = tuple(n for n in notes if FACILITATOR_NOTE.match(n))
        content_notes = [n for n in notes if not FACILITATOR_NOTE.match(n)]
        if section.hidden:
            category, cue = Category.LEFTOVER, "hidden in the source"
        elif (
            offset == 0
            and len(outline.sections) > 1
            and section.title.strip().lower() == outline.title.strip().lower()
            and sum(len(line.split()) for line in visible) <= 15  # a cover: the title and perhaps a subtitle
        ):
            category, cue = Category.LEFTOVER, "title page"
        elif _OBJECTIVES_TITLE.search(section.title):
            category, cue = Category.LEFTOVER, "objectives (kept as evidence for concepts, not as an asset)"
        else:
            category, cue = classify_text(section.title, visible, has_table=section.has_table)
        minutes = per_section_min if per_section_min is not None else round(section.words / READING_WPM, 2)
        segments.append(
            Segment(
                id=f"s{start_number + offset}",
                source=outline.source,
                format=outline.format,
                title=section.title,
                category=category,
                cue=cue,
                provenance=(section.provenance,),
                minutes=minutes,
                lines=tuple(visible + content_notes),
                dropped_notes=facilitator,
                has_table=section.has_table,
            )
        )
    return segments


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def topic_boundaries(windows: Sequence[Counter[str]], *, span: int = 2, min_windows: int = 2) -> list[int]:
    """Find the windows ``i`` where a new topic starts (TextTiling-style depth scores).

    Cohesion between the ``span`` windows before a gap and the ``span`` after it is their
    cosine similarity; a gap's depth is how far cohesion dips below the nearest peaks on both
    sides. Gaps deeper than the mean depth become boundaries, deepest first, while every
    topic keeps at least ``min_windows`` windows.

    Examples
    --------
    >>> a, b = Counter(["risk", "owner"]), Counter(["budget", "forecast"])
    >>> topic_boundaries([a, a, a, b, b, b], span=1, min_windows=2)
    [3]
    """
    gaps = len(windows) - 1
    if gaps < 1:
        return []
    cohesion = []
    for gap in range(gaps):
        left = sum((windows[i] for i in range(max(0, gap - span + 1), gap + 1)), Counter())
        right = sum((windows[i] for i in range(gap + 1, min(len(windows), gap + 1 + span))), Counter())
        cohesion.append(_cosine(left, right))
    depths = []
    for gap, value in enumerate(cohesion):
        left_peak = max(cohesion[: gap + 1])
        right_peak = max(cohesion[gap:])
        depths.append((left_peak - value) + (right_peak - value))
    mean = sum(depths) / len(depths)
    chosen: list[int] = []
    for gap in sorted(range(gaps), key=lambda g: (-depths[g], g)):
        if depths[gap] <= mean or depths[gap] <= 1e-9:
            break
        start = gap + 1
        cuts = sorted([0, *chosen, start, len(windows)])
        if all(b - a >= min_windows for a, b in itertools.pairwise(cuts)):
            chosen.append(start)
    return sorted(chosen)


def _topic_title(cues: Sequence[Block], document_frequency: Counter[str], topics: int) -> str:
    words = [_stem(w) for c in cues for w in content_words(c.text)]
    raw = [w for c in cues for w in content_words(c.text)]
    surface: dict[str, str] = {}
    for w in raw:
        surface.setdefault(_stem(w), w)
    if not words:
        return "Untitled topic"

    def weight(word: str) -> float:
        return math.log(1.0 + topics / max(document_frequency[word], 1))

    bigrams = Counter(itertools.pairwise(words))
    best_pair = max(
        bigrams.items(), key=lambda kv: (kv[1] * (weight(kv[0][0]) + weight(kv[0][1])), kv[0]), default=None
    )
    counts = Counter(words)
    if best_pair is not None and best_pair[1] >= 3 and best_pair[0][0] != best_pair[0][1]:
        phrase = f"{surface[best_pair[0][0]]} {surface[best_pair[0][1]]}"
    else:
        top = sorted(counts, key=lambda w: (-counts[w] * weight(w), w))[:2]
        phrase = " and ".join(surface[w] for w in top)
    return phrase[:1].upper() + phrase[1:]


def _transcript_segments(outline: Outline, start_number: int, window_s: float, min_topic_s: float) -> list[Segment]:
    cues = [b for s in outline.sections for b in s.blocks if b.kind is BlockKind.CUE]
    if not cues:
        return []
    end = max(c.end_s or 0.0 for c in cues)
    count = max(1, math.ceil(end / window_s))
    groups: list[list[Block]] = [[] for _ in range(count)]
    for timed in cues:
        groups[min(int((timed.start_s or 0.0) // window_s), count - 1)].append(timed)
    windows = [Counter(_stem(w) for c in group for w in content_words(c.text)) for group in groups]
    starts = topic_boundaries(windows, min_windows=max(1, math.ceil(min_topic_s / window_s)))
    cuts = [0, *starts, count]
    topics = [[c for g in groups[a:b] for c in g] for a, b in itertools.pairwise(cuts)]
    topics = [t for t in topics if t]
    document_frequency: Counter[str] = Counter()
    for topic in topics:
        document_frequency.update({_stem(w) for c in topic for w in content_words(c.text)})
    segments = []
    for offset, topic in enumerate(topics):
        lines = [c.text for c in topic]
        hits = cue_hits(lines)
        speakers = Counter(c.speaker or "Speaker" for c in topic)
        first, last = topic[0].start_s or 0.0, topic[-1].end_s or 0.0
        leftover = sum(n for (category, _), n in hits.items() if category is Category.LEFTOVER)
        decision = sum(n for (category, _), n in hits.items() if category is Category.DECISION)
        procedure = sum(n for (category, _), n in hits.items() if category is Category.PROCEDURE)
        top_cues = ", ".join(name for (_, name), _ in hits.most_common(2))
        if leftover >= max(2, 0.25 * len(lines)):
            category, cue = Category.LEFTOVER, f"{leftover} of {len(lines)} cues organise the session ({top_cues})"
        elif decision >= max(2, 0.2 * len(lines)) and len(speakers) >= 2:
            category, cue = Category.DECISION, f"{decision} decision cues across {len(speakers)} speakers"
        elif procedure >= max(2, 0.2 * len(lines)):
            category, cue = Category.PROCEDURE, f"{procedure} procedure cues"
        else:
            category, cue = Category.INSTRUCTION, "default: explains content"
        title = _topic_title(topic, document_frequency, len(topics))
        if category is Category.DECISION:
            title = f"Discussion at {format_seconds(first)}: {title.lower()}"
        segments.append(
            Segment(
                id=f"s{start_number + offset}",
                source=outline.source,
                format=outline.format,
                title=title,
                category=category,
                cue=cue,
                provenance=(Provenance(outline.source, f"{format_seconds(first)}-{format_seconds(last)}"),),
                minutes=round((last - first) / 60.0, 1),
                lines=tuple(lines),
                speakers=tuple(name for name, _ in speakers.most_common()),
            )
        )
    return segments


# ---- concepts ------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    text = _TITLE_SUFFIX.sub("", _TITLE_NOISE.sub("", title))
    return text.strip(" :-\u2013?!.")


def _objective_phrase(line: str) -> str | None:
    match = _OBJECTIVE_VERB.match(line)
    if match is None:
        return None
    phrase = line[match.end() :].strip(" .;:")
    phrase = re.split(r"\s+(?:so that|in order to|when you|to avoid)\s+", phrase, maxsplit=1)[0]
    return phrase if 1 <= len(content_words(phrase)) <= 7 else None


def _evidence(segments: Sequence[Segment], outlines: Sequence[Outline]) -> tuple[list[Evidence], list[Evidence]]:
    """All evidence for concepts, and the objectives found."""
    found: list[Evidence] = []
    objectives: list[Evidence] = []
    blocks = {(o.source, s.provenance): s for o in outlines for s in o.sections}
    for segment in segments:
        where = segment.provenance[0]
        in_objectives = bool(_OBJECTIVES_TITLE.search(segment.title))
        for line in segment.lines:
            lead = bool(_OBJECTIVES_LEAD.search(line))
            if in_objectives or lead:
                for part in re.split(r"[;\u2022]|\s\d+[.)]\s", line):
                    phrase = _objective_phrase(part)
                    if phrase:
                        objectives.append(Evidence("objective", part.strip(), where))
                        found.append(Evidence("objective", phrase, where))
        if segment.category is Category.LEFTOVER:
            continue
        if segment.category is not Category.DECISION:
            cleaned = _clean_title(segment.title)
            kind = "topic" if segment.format == "transcript" else "heading"
            if 1 <= len(content_words(cleaned)) <= 7 and cleaned.lower() not in GENERIC_LABELS:
                found.append(Evidence(kind, cleaned, where))
        for line in segment.lines:
            match = _DEFINITION.match(line) or _TERM_COLON.match(line)
            if match:
                term = match.group("term").strip()
                generic = term.lower() in GENERIC_LABELS or any(t.isdigit() for t in term.split())
                if not generic and 1 <= len(content_words(term)) <= 5 and len(term.split()) <= 6:
                    found.append(Evidence("definition", term, where))
                    found.append(Evidence("definition-text", line, where))
        section = blocks.get((segment.source, where))
        if section is not None:
            for block in section.blocks:
                for phrase in block.emphasis:
                    if 1 <= len(content_words(phrase)) <= 5 and len(phrase.split()) <= 6:
                        found.append(Evidence("emphasis", phrase.strip(" :.,"), block.provenance))
    # key phrases repeated across segments (pairs of content words)
    pair_segments: dict[tuple[str, str], list[Segment]] = {}
    for segment in segments:
        if segment.category is Category.LEFTOVER:
            continue
        words = content_words(segment.text)
        for pair in set(itertools.pairwise(words)):
            if pair[0] != pair[1]:
                pair_segments.setdefault(pair, []).append(segment)
    for pair, where_found in sorted(pair_segments.items()):
        if len(where_found) >= 3:
            found.append(Evidence("repeated", " ".join(pair), where_found[0].provenance[0]))
    return found, objectives


def _cluster(evidence: Sequence[Evidence], common: frozenset[str]) -> list[list[Evidence]]:
    clusters: list[tuple[set[str], list[Evidence]]] = []
    for item in evidence:
        if item.kind == "definition-text":
            continue
        keys = set(_keys(item.text)) - common or set(_keys(item.text))
        if not keys:
            continue
        for cluster_keys, members in clusters:
            shared = keys & cluster_keys
            small = min(len(keys), len(cluster_keys))
            if shared and (len(shared) >= 0.5 * max(len(keys), len(cluster_keys)) or len(shared) == small):
                members.append(item)
                if item.kind in _STRONG:
                    cluster_keys |= keys
                break
        else:
            clusters.append((set(keys), [item]))
    return [members for _, members in clusters]


_NAME_ORDER = ("definition", "objective", "heading", "topic", "emphasis", "repeated")


def _name(members: Sequence[Evidence]) -> str:
    """Name a concept by its shortest strong wording (a definition's term wins ties)."""
    strong = [m for m in members if m.kind in _STRONG] or list(members)
    best = min(strong, key=lambda m: (len(content_words(m.text)), _NAME_ORDER.index(m.kind), len(m.text), m.text))
    text = re.sub(r"^(?:the|a|an)\s+", "", best.text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def _concepts(segments: Sequence[Segment], evidence: Sequence[Evidence], max_concepts: int) -> list[ConceptCandidate]:
    teaching = [s for s in segments if s.category is not Category.LEFTOVER]
    frequency: Counter[str] = Counter()
    for segment in teaching:
        frequency.update(_keys(segment.text))
    common = frozenset(w for w, n in frequency.items() if teaching and n > 0.5 * len(teaching) and len(teaching) >= 6)
    definitions = [e for e in evidence if e.kind == "definition-text"]
    candidates = []
    for members in _cluster(evidence, common):
        kinds = {m.kind for m in members}
        score = sum(EVIDENCE_WEIGHTS[k] * min(sum(m.kind == k for m in members), 3) for k in kinds)
        score += 0.5 * (len({m.provenance.file for m in members}) - 1)
        if not kinds & _STRONG:
            continue  # emphasis or repetition alone does not make a concept
        name = _name(members)
        keys = _keys(name)
        definition = next(
            (d.text for d in definitions if keys and keys <= _keys(d.text.split(":")[0] + " " + d.text[:60])), None
        )
        candidates.append(ConceptCandidate(slug(name), name, round(score, 2), tuple(members), definition))
    ranked = sorted(candidates, key=lambda c: (-c.score, c.id))[:max_concepts]
    order = {id(m): i for i, m in enumerate(evidence)}
    ranked.sort(key=lambda c: min(order.get(id(e), 0) for e in c.evidence))  # teaching order
    seen: set[str] = set()
    unique = []
    for candidate in ranked:
        concept_id, n = candidate.id, 2
        while concept_id in seen:
            concept_id, n = f"{candidate.id}_{n}", n + 1
        seen.add(concept_id)
        unique.append(replace(candidate, id=concept_id))
    return unique


def _supports(segment: Segment, concept: ConceptCandidate) -> float:
    keys = concept.keys
    if not keys:
        return 0.0
    words = _keys(segment.text)
    overlap = len(keys & words) / len(keys)
    title_bonus = 0.5 if keys <= _keys(segment.title) else 0.0
    return overlap + title_bonus if overlap >= 0.67 else 0.0


def analyse(
    outlines: Iterable[Outline],
    *,
    max_concepts: int = 8,
    topic_window_s: float = 90.0,
    min_topic_s: float = 180.0,
) -> Analysis:
    """Find the segments, their purpose and the concepts in one or more outlines.

    Parameters
    ----------
    outlines : iterable of Outline
        What the readers produced (see :func:`~workbench.convert.read_source`).
    max_concepts : int
        Most concepts to propose (the strongest evidence wins; default 8).
    topic_window_s, min_topic_s : float
        Transcripts: window of speech compared for cohesion (default 90 seconds), and the
        shortest topic segment (default 3 minutes).

    Examples
    --------
    >>> from workbench.convert.outline import Block, BlockKind, Outline, Provenance, Section
    >>> where = Provenance("notes.md", "line 1")
    >>> risk = Section("Risk log", (Block(BlockKind.TEXT, "A risk log is a list of risks with owners.", where),), where)
    >>> agenda = Section("Agenda", (Block(BlockKind.BULLET, "Risks", where),), where)
    >>> result = analyse([Outline("notes.md", "markdown", "Notes", (agenda, risk), 1.0)])
    >>> [(s.title, s.category.value) for s in result.segments]
    [('Agenda', 'leftover'), ('Risk log', 'instruction')]
    >>> [c.name for c in result.concepts]
    ['Risk log']
    """
    outlines = tuple(outlines)
    if max_concepts < 1:
        from workbench.errors import ParameterError

        raise ParameterError(f"max_concepts: must be at least 1 (got {max_concepts})")
    segments: list[Segment] = []
    for outline in outlines:
        number = len(segments) + 1
        if outline.format == "transcript":
            segments.extend(_transcript_segments(outline, number, topic_window_s, min_topic_s))
        else:
            segments.extend(_section_segments(outline, number))
    evidence, objectives = _evidence(segments, outlines)
    concepts = _concepts(segments, evidence, max_concepts)
    linked = []
    for segment in segments:
        scores = [(s, c.id) for c in concepts if (s := _supports(segment, c)) > 0]
        ordered = tuple(cid for _, cid in sorted(scores, key=lambda sc: -sc[0]))
        linked.append(replace(segment, concepts=ordered))
    return Analysis(outlines, tuple(linked), tuple(concepts), tuple(objectives))
