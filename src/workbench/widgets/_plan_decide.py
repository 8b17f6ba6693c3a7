"""The plan lab's decisions: apply the chosen plan, or search for the cheapest one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.plans import PlanConstraints, ReinforcementPlan, optimise
from workbench.plans.lab import settings_population
from workbench.widgets._common import error_html, error_lines, styled
from workbench.widgets._plan_controls import LAYOUT, WIDE
from workbench.widgets._plan_view import found_html

if TYPE_CHECKING:
    import pandas as pd

    from workbench.plans.lab import LabSettings

__all__ = ["PlanDecisions"]


class PlanDecisions:
    """Mixin of :class:`~workbench.widgets.PlanLab`: "Apply chosen plan" and "Find cheapest plan"."""

    journey: Journey
    summary: pd.DataFrame
    errors: dict[str, widgets.HTML]
    chosen: widgets.Dropdown
    best: widgets.HTML
    _plans: dict[str, ReinforcementPlan]
    _cheapest: tuple[str, ReinforcementPlan, tuple[Any, ...]] | None
    _user_choice: str | None
    _message: str
    _applied: str
    _applied_labels: set[str]
    _loading: bool
    results: dict[str, Any]

    @property
    def settings(self) -> LabSettings:  # the panel's
        raise NotImplementedError

    def update(self) -> None:  # the panel's
        raise NotImplementedError

    def _clear_errors(self, *names: str) -> None:  # the panel's
        raise NotImplementedError

    def _show(self, problems: Any) -> None:  # the panel's
        raise NotImplementedError

    def base_journey(self) -> Journey:  # the panel's
        raise NotImplementedError

    def _build_decisions(self) -> None:
        """Make the Decide column's widgets: the chosen plan, Apply, Find cheapest, what was found."""
        self.chosen = styled(
            widgets.Dropdown(options=[], value=None, description="Chosen plan", style=WIDE, layout=LAYOUT),
            "wb-plan-chosen",
        )
        self.apply_button = styled(
            widgets.Button(
                description="Apply chosen plan",
                button_style="primary",
                icon="check",
                tooltip="Add the chosen plan's touches to the journey (undo in the Compose tab)",
            ),
            "wb-plan-apply",
        )
        self.optimise_button = styled(
            widgets.Button(
                description="Find cheapest plan",
                icon="search",
                tooltip="Search plan families (about 25 simulations) for the cheapest that reaches the target",
            ),
            "wb-plan-optimise",
        )
        for button in (self.apply_button, self.optimise_button):
            button.layout.width = "170px"
        self.best = styled(widgets.HTML(), "wb-plan-best")
        self.chosen.observe(self._on_chosen, names="value")
        self.apply_button.on_click(lambda _: self.apply_chosen())
        self.optimise_button.on_click(lambda _: self.find_cheapest())

    def _on_chosen(self, change: Mapping[str, Any]) -> None:
        if not self._loading and change["new"] is not None:
            self._user_choice = change["new"]

    def _show_choices(self, best: str) -> None:
        found = self._cheapest[0] if self._cheapest is not None else None

        def note(label: str) -> str:
            tags = [tag for tag, on in (("cheapest found", label == found), ("recommended", label == best)) if on]
            return f" ({', '.join(tags)})" if tags else ""

        options = [(f"{label}{note(label)}", label) for label in self.results]
        values = [value for _, value in options]
        wanted = self._user_choice if self._user_choice in values else best
        self._loading = True
        try:
            self.chosen.options = options
            self.chosen.value = wanted
        finally:
            self._loading = False

    def _plan_of(self, label: str) -> ReinforcementPlan | None:
        return self._plans.get(label)

    def apply_chosen(self) -> None:
        """Add the chosen plan's touches to the journey (what "Apply chosen plan" does).

        The journey trait changes, so a linked composer records it as an edit (undoable) and
        the export panel writes the new journey.
        """
        self._clear_errors("apply")
        label = self.chosen.value
        plan = self._plan_of(label) if label is not None else None
        if plan is None:
            self.errors["apply"].value = error_html(["nothing to apply: pick a plan that was simulated"])
            return
        try:
            base = self.base_journey()
            journey = plan.apply(base, profile=self.settings.memory_profile)  # as simulated in the lab
        except WorkbenchError as exc:
            self.errors["apply"].value = error_html([f"{label} not applied: {line}" for line in error_lines(exc)])
            return
        added = len(journey.activities) - len(base.activities)
        if journey == self.journey:
            self._message = f"{label} adds nothing: journey unchanged"
            self.update()
            return
        replaced = len(self.journey.activities) - len(base.activities)
        self._applied = f"applied {label}: +{added} activities" + (
            f", replacing the journey's own {replaced} reinforcement assets" if replaced else ""
        )
        self._applied_labels.add(label)
        self.journey = journey

    def find_cheapest(self) -> str | None:
        """Search for the cheapest plan reaching the target on the deadline (what "Find cheapest plan" does).

        Runs :func:`workbench.plans.optimise` (about 25 simulations: each plan family at
        growing intensity, bisected) on the lab's population, seed and weekly budget, with
        the target on mean recall (``metric="retention"``). The plan found is offered in
        "Chosen plan", ready to apply, until a setting changes.

        Returns
        -------
        str or None
            The label of the plan found (the closest one when the target is out of reach),
            or None when the search could not run (the reason is shown).
        """
        self._clear_errors("optimise")
        problems: dict[str, list[str]] = {}
        settings = self.settings
        population = settings_population(settings, problems)
        if population is None:
            self._show(problems)
            self.errors["optimise"].value = error_html(["not searched: fix the settings first"])
            return None
        seed, budget = settings.seed, settings.budget
        day, target = settings.deadline_day, settings.target
        self.best.value = f'<div class="wb-plan-hint">searching plans for {target:.0%} on day {day}...</div>'
        try:
            found = optimise(
                settings.base_journey(self.journey),
                target=target,
                on_day=day,
                population=population,
                model=settings.model,
                profile=settings.memory_profile,
                rng=seed,
                metric="retention",
                constraints=PlanConstraints(max_minutes_per_week=float(budget)) if budget > 0 else None,
                also=list(self._plans.values()),  # never costlier than a plan shown that reaches the target
            )
        except WorkbenchError as exc:
            self.best.value = ""
            self.errors["optimise"].value = error_html([f"not searched: {line}" for line in error_lines(exc)])
            return None
        label = found.plan.label
        self._cheapest = (label, found.plan, settings.search_key)
        self._user_choice = label
        self._message = f"cheapest={label}" if found.reachable else f"closest={label}"
        self.update()  # simulated with the lab's horizon, shown next to the plans picked
        self.best.value = found_html(found, label, target, day, self.summary)
        return label
