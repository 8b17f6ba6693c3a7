"""Analysis and redesign on realistic sources: concepts, leftovers dropped, a draft that lints clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.convert import Category, ConversionReport, analyse, convert, draft_journey, read_source
from workbench.errors import ParameterError, SourceError
from workbench.rules import Severity, lint


def _errors(journey: object) -> list[str]:
    return [f.message for f in lint(journey) if f.severity is Severity.ERROR]  # type: ignore[arg-type]


def test_deck_concepts_come_from_objectives_headings_and_definitions(legacy: dict[str, Path]) -> None:
    analysis = analyse([read_source(legacy["deck"])])
    names = [c.name for c in analysis.concepts]
    assert names[:4] == ["Project charter", "Stakeholder map", "Risk log", "RAG status report"]
    charter = analysis.concepts[0]
    kinds = {e.kind for e in charter.evidence}
    assert {"objective", "heading", "definition"} <= kinds
    assert charter.definition is not None
    assert "scope, goals and sponsor" in charter.definition
    assert all(e.provenance.file == "workshop.pptx" for e in charter.evidence)


def test_deck_leftovers_are_dropped_with_the_cue_that_decided(legacy: dict[str, Path]) -> None:
    analysis = analyse([read_source(legacy["deck"])])
    by_title = {s.title: s for s in analysis.segments}
    for title, cue in [
        ("Agenda", "title: agenda"),
        ("Housekeeping", "title: housekeeping"),
        ("Coffee break", "title: coffee break"),
        ("Any questions?", "title: any questions"),
        ("Thank you", "title: thank you"),
        ("Section 3", "title: section 3"),
        ("Old template (2019)", "hidden in the source"),
        ("Project management essentials", "title page"),
    ]:
        assert by_title[title].category is Category.LEFTOVER, title
        assert by_title[title].cue == cue
    assert by_title["Risk rating thresholds"].category is Category.REFERENCE
    assert by_title["How to raise a change request"].category is Category.PROCEDURE
    assert by_title["Scenario: the sponsor adds a feature in week 3"].category is Category.DECISION
    # facilitator instructions in the notes are found and never converted
    charter = by_title["The one-page project charter"]
    assert charter.dropped_notes
    assert all(re.match(r"(Say|Timing|Ask)", n) for n in charter.dropped_notes)
    assert not any("Say:" in line for line in charter.lines)


def test_transcript_becomes_a_few_timed_topics_with_a_scenario_discussion(legacy: dict[str, Path]) -> None:
    analysis = analyse([read_source(legacy["transcript"])])
    segments = analysis.segments
    assert 3 <= len(segments) <= 7  # a 60-minute recording: a few topics, not one per cue
    assert segments[0].category is Category.LEFTOVER  # welcome and housekeeping
    assert segments[-1].category is Category.LEFTOVER  # questions and thanks
    decisions = [s for s in segments if s.category is Category.DECISION]
    assert len(decisions) == 1
    assert len(decisions[0].speakers) == 3
    assert (
        re.match(r"transcript|session\.vtt, 0:4\d:\d\d-0:5\d:\d\d", decisions[0].where)
        or "session.vtt, 0:4" in decisions[0].where
    )
    names = {c.name.lower() for c in analysis.concepts}
    assert {"risk register", "status report"} <= names
    minutes = sum(s.minutes for s in segments)
    assert minutes == pytest.approx(60, abs=1.5)


@pytest.mark.parametrize("kind", ["deck", "handbook", "transcript", "scorm", "pdf", "html"])
@pytest.mark.parametrize("anchor", ["keep", "replace"])
def test_every_source_drafts_a_journey_without_lint_errors(legacy: dict[str, Path], kind: str, anchor: str) -> None:
    report = convert([legacy[kind]], anchor=anchor)  # type: ignore[arg-type]
    journey = report.draft.journey
    assert _errors(journey) == []
    assert journey.concepts
    assert all(a.draft for a in journey.activities)
    assert all(a.provenance for a in journey.activities)
    draft_findings = [f for f in lint(journey) if f.code == "WB025"]
    assert len(draft_findings) == len(journey.activities)  # lint reports every draft until cleared


def test_deck_redesign_keeps_a_shorter_core_with_primer_recap_scenarios_and_job_aids(legacy: dict[str, Path]) -> None:
    report = convert([legacy["deck"]])
    journey = report.draft.journey
    kinds = [a.kind for a in journey.activities]
    assert kinds.count("ilt_workshop") == 1
    core = next(a for a in journey.activities if a.kind == "ilt_workshop")
    assert core.duration_min < report.draft.analysis.source_minutes  # leftovers cut
    assert journey.days[core.id] == 0
    assert "pre_session_primer" in kinds
    assert "post_session_recap" in kinds
    assert "scenario_practice" in kinds
    assert "job_aid" in kinds
    assert "spaced_recall_quiz" in kinds
    minutes = report.minutes()
    assert minutes["source_min"] == pytest.approx(87.0)
    assert minutes["saved_min"] == pytest.approx(minutes["source_min"] - minutes["journey_min"])


def test_replace_anchor_uses_explainers_and_says_so(legacy: dict[str, Path]) -> None:
    report = convert([legacy["deck"]], anchor="replace")
    kinds = [a.kind for a in report.draft.journey.activities]
    assert "ilt_workshop" not in kinds
    assert kinds.count("concept_explainer_video") == len(report.draft.analysis.concepts)
    assert any("replaced by concept explainers" in d for d in report.draft.decisions)


def test_sources_merge_into_one_draft(legacy: dict[str, Path]) -> None:
    report = convert([legacy["deck"], legacy["transcript"]], max_concepts=10)
    files = {f for c in report.draft.analysis.concepts for f in c.sources}
    assert files == {"workshop.pptx", "session.vtt"}
    assert _errors(report.draft.journey) == []


def test_report_names_every_segment_decision_and_reason(legacy: dict[str, Path]) -> None:
    report = convert([legacy["deck"]], anchor="replace")
    frame = report.segments_frame()
    assert len(frame) == 30
    assert set(frame["decision"]) == {"kept", "merged", "dropped"}
    example = frame[frame["title"] == "Risk log basics: worked example"].iloc[0]
    assert (example["decision"], example["reason"]) == ("merged", "into explainer_risk_log")
    kept_in_core = convert([legacy["deck"]]).segments_frame()
    core = kept_in_core[kept_in_core["title"] == "Risk log basics: worked example"].iloc[0]
    assert core["decision"] == "kept"
    assert core["reason"].startswith("in core_")
    agenda = frame[frame["title"] == "Agenda"].iloc[0]
    assert (agenda["decision"], agenda["reason"]) == (
        "dropped",
        "leftover: title: agenda; 1 facilitator note(s) dropped",
    )
    assert report.counts() == {k: int((frame["decision"] == k).sum()) for k in ("kept", "merged", "dropped")}
    assets = report.assets_frame()
    assert set(assets["asset"]) == {a.id for a in report.draft.journey.activities}
    assert all(assets["why"].str.len() > 10)
    assert all(assets["from"].str.len() > 3)
    concepts = report.concepts_frame()
    assert "objective:" in concepts.iloc[0]["evidence"]
    assert "workshop.pptx, slide" in concepts.iloc[0]["evidence"]


def test_keep_drops_the_other_proposals(legacy: dict[str, Path]) -> None:
    draft = convert([legacy["deck"]]).draft
    job_aids = [p.activity_id for p in draft.proposals if p.kind == "job_aid"]
    keep = [p.activity_id for p in draft.proposals if p.kind != "job_aid"]
    journey = draft.keep(keep)
    assert not set(job_aids) & {a.id for a in journey.activities}
    assert _errors(journey) == []
    with pytest.raises(ParameterError, match="not proposals"):
        draft.keep(["nope"])


def test_html_report_is_self_contained_and_escapes_source_text(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "# Course\n\n## Phishing <script>alert(1)</script>\n\n"
        'A phishing mail is a message that "onerror=alert(2) tricks you.\n',
        encoding="utf-8",
    )
    html = convert([hostile]).to_html()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'src="http' not in html
    assert "<link" not in html
    assert "Content-Security-Policy" in html


def test_no_concept_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "agenda.md"
    empty.write_text("# Agenda\n\n- Welcome\n- Coffee break\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no concept found"):
        convert([empty])


def test_analysis_is_deterministic(legacy: dict[str, Path]) -> None:
    first = ConversionReport(draft_journey(analyse([read_source(legacy["transcript"])])))
    second = ConversionReport(draft_journey(analyse([read_source(legacy["transcript"])])))
    assert first.to_html() == second.to_html()


def test_quizzes_carry_draft_items_written_from_the_source_definitions(legacy: dict[str, Path]) -> None:
    journey = convert([legacy["deck"]]).draft.journey
    quizzes = [a for a in journey.activities if a.kind == "spaced_recall_quiz"]
    assert quizzes
    items = {item.concept: item for item in quizzes[0].items}
    assert set(items) == {"project_charter", "stakeholder_map", "risk_log", "rag_status_report"}
    rag = items["rag_status_report"]
    assert rag.stem == "Which statement describes RAG status report?"
    right = [c.text for c in rag.choices if c.correct]
    assert right == ["A weekly red-amber-green summary that surfaces problems early."]
    assert len(rag.choices) == 4  # the other definitions are the distractors
    assert "RAG" not in " ".join(c.text for c in rag.choices)  # the term itself is no giveaway
    assert "Write items for: Risk rating thresholds" in quizzes[0].description
