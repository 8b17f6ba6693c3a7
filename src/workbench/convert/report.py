"""The conversion report: what was kept, merged and dropped, and why; as frames and one HTML page."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.convert.cues import Category
from workbench.convert.redesign import Draft

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

__all__ = ["ConversionReport"]


@dataclass(frozen=True)
class ConversionReport:
    r"""A draft seen as a report: per segment the decision, the concepts with evidence, the assets.

    Examples
    --------
    >>> from workbench.convert import convert_text
    >>> report = convert_text("# Risk log\n\nA risk log is a list of risks with owners.\n")
    >>> report.segments_frame()[["title", "decision"]].to_dict("records")
    [{'title': 'Risk log', 'decision': 'kept'}]
    """

    draft: Draft

    def _assets_by_segment(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for proposal in self.draft.proposals:
            for segment in proposal.segments:
                out.setdefault(segment, []).append(proposal.activity_id)
        return out

    def segments_frame(self) -> pd.DataFrame:
        """List every source segment: category, cue, decision (kept / merged / dropped) and why."""
        import pandas as pd

        assets = self._assets_by_segment()
        journey = self.draft.journey
        anchors = {p.activity_id for p in self.draft.proposals if journey.is_formal(p.activity_id)}
        first_use: dict[str, str] = {}
        rows = []
        for segment in self.draft.analysis.segments:
            used = assets.get(segment.id, [])
            if segment.category is Category.LEFTOVER:
                decision, reason = "dropped", f"leftover: {segment.cue}"
            elif not segment.concepts:
                decision, reason = "dropped", "teaches no concept of the draft (a designer decides)"
            elif not used:
                decision, reason = "dropped", "no asset pattern for it in this draft"
            elif set(used) <= anchors:
                decision, reason = "kept", f"in {', '.join(used)}"
            elif all(first_use.setdefault(a, segment.id) != segment.id for a in used):
                decision, reason = "merged", f"into {', '.join(used)}"
            else:
                decision, reason = "kept", f"as {', '.join(used)}"
            if segment.dropped_notes:
                reason += f"; {len(segment.dropped_notes)} facilitator note(s) dropped"
            rows.append(
                {
                    "segment": segment.id,
                    "source": segment.source,
                    "where": segment.where,
                    "title": segment.title,
                    "category": segment.category.value,
                    "cue": segment.cue,
                    "minutes": segment.minutes,
                    "concepts": ", ".join(segment.concepts),
                    "decision": decision,
                    "reason": reason,
                }
            )
        return pd.DataFrame(rows, columns=list(rows[0]) if rows else ["segment"])

    def concepts_frame(self) -> pd.DataFrame:
        """List the concepts: its score and evidence (kind, text, where)."""
        import pandas as pd

        rows = []
        for concept in self.draft.analysis.concepts:
            evidence = [e for e in concept.evidence if e.kind != "definition-text"]
            rows.append(
                {
                    "concept": concept.id,
                    "name": concept.name,
                    "score": concept.score,
                    "evidence": "; ".join(f"{e.kind}: {e.text} [{e.provenance}]" for e in evidence[:6])
                    + (f"; +{len(evidence) - 6} more" if len(evidence) > 6 else ""),
                    "sources": ", ".join(concept.sources),
                    "definition": concept.definition or "",
                }
            )
        return pd.DataFrame(rows)

    def assets_frame(self) -> pd.DataFrame:
        """List the proposed assets: kind, layer, day, minutes, concepts, why and from where."""
        import pandas as pd

        journey = self.draft.journey
        rows = []
        for proposal in self.draft.proposals:
            activity = journey.activity(proposal.activity_id)
            day = journey.days.get(activity.id)
            rows.append(
                {
                    "asset": activity.id,
                    "kind": activity.kind,
                    "title": activity.title,
                    "layer": activity.layer.value,
                    "day": "on demand" if day is None else f"{day:g}",
                    "minutes": activity.duration_min,
                    "concepts": ", ".join(activity.concept_ids),
                    "why": proposal.reason,
                    "from": "; ".join(proposal.provenance[:4]) + (" ..." if len(proposal.provenance) > 4 else ""),
                }
            )
        return pd.DataFrame(rows)

    def minutes(self) -> dict[str, float]:
        """Compare learner minutes: the sources as delivered, the draft journey, and the difference.

        On-demand assets count once (their typical use); source minutes assume about
        3 minutes a slide for decks and 200 words a minute for documents.
        """
        source = self.draft.analysis.source_minutes
        journey = round(self.draft.journey.learner_minutes, 1)
        return {"source_min": source, "journey_min": journey, "saved_min": round(source - journey, 1)}

    def counts(self) -> dict[str, int]:
        """Count the segments kept, merged and dropped."""
        decisions = self.segments_frame()["decision"].value_counts()
        return {k: int(decisions.get(k, 0)) for k in ("kept", "merged", "dropped")}

    def to_html(self, *, title: str | None = None) -> str:
        """Render the report as one self-contained HTML page (no scripts, no external files)."""
        context: dict[str, Any] = {
            "title": title or f"Conversion report: {self.draft.journey.title}",
            "sources": [
                {"file": o.source, "format": o.format, "title": o.title, "minutes": o.source_minutes, "notes": o.notes}
                for o in self.draft.analysis.outlines
            ],
            "minutes": self.minutes(),
            "counts": self.counts(),
            "decisions": self.draft.decisions,
            "anchor": self.draft.anchor,
            "plan": self.draft.plan,
            "profile": self.draft.profile,
            "segments": self.segments_frame().to_dict("records"),
            "concepts": self.concepts_frame().to_dict("records"),
            "assets": self.assets_frame().to_dict("records"),
        }
        return _environment().get_template("convert.html.j2").render(**context)

    def _repr_html_(self) -> str:
        minutes = self.minutes()
        counts = self.counts()
        head = (
            f"<p><b>{len(self.draft.proposals)} proposed assets</b> for {len(self.draft.analysis.concepts)} concepts; "
            f"segments kept {counts['kept']}, merged {counts['merged']}, dropped {counts['dropped']}; "
            f"learner minutes {minutes['source_min']:g} in the sources, {minutes['journey_min']:g} in the draft.</p>"
        )
        return head + self.segments_frame().to_html(index=False)


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("workbench.convert", "templates"),
        autoescape=True,  # source text is never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
