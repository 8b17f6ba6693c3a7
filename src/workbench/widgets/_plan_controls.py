"""The plan lab's inputs as a table of control specs, and the left column they make.

Each row of :data:`CONTROLS` says which widget an input is, its label, options and section;
:class:`~workbench.widgets.PlanLab` builds them in a loop and reads them into a
:class:`~workbench.plans.lab.LabSettings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from workbench.plans.lab import PLAN_CHOICES, LabSettings
from workbench.widgets._common import styled
from workbench.widgets._memory import CALIBRATION, profile_options

__all__ = ["BASELINES", "CALIBRATION", "CONTROLS", "PLAN_CONTROLS", "ControlSpec", "build_control", "control_rows"]

#: What plans are added to: the journey as designed, or its formal core (Journey.formal_core).
BASELINES: tuple[tuple[str, str], ...] = (("As designed", "designed"), ("Formal events only", "core"))
# CALIBRATION (the memory dropdown's value for the loaded calibration) lives with the shared memory choice
_REEXPORTED = (CALIBRATION,)

WIDE = {"description_width": "132px"}
LAYOUT = {"width": "420px"}


@dataclass(frozen=True)
class ControlSpec:
    """One input of the lab: its key, widget class, label and options (a row of :data:`CONTROLS`)."""

    name: str
    kind: type[widgets.Widget]
    description: str
    options: Mapping[str, Any] = field(default_factory=dict)
    slider: bool = False  # synced on release, laid out like the other sliders
    section: str = ""  # the heading this control starts, if any


def _float_slider(value: float, low: float, high: float, step: float) -> dict[str, Any]:
    return {"value": value, "min": low, "max": high, "step": step, "readout_format": ".2f"}


_DEFAULTS = LabSettings()  # the sliders open on the lab's default settings


#: The controls, in panel order. Values given to :class:`PlanLab` override ``value``.
CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec(
        "baseline",
        widgets.ToggleButtons,
        "Add plans to",
        {
            "options": BASELINES,
            "value": "designed",
            "tooltips": [
                "the journey with its own reinforcement",
                "the formal events and what prepares them, without the journey's own after/work assets",
            ],
        },
        section="Plans",
    ),
    ControlSpec(
        "plans",
        widgets.SelectMultiple,
        "Plans",
        {"options": [(key, key) for key in PLAN_CHOICES], "rows": len(PLAN_CHOICES), "layout": LAYOUT},
    ),
    ControlSpec(
        "custom",
        widgets.Text,
        "Other plans",
        {"placeholder": "e.g. expanding:2,5,12,30, fixed:14x3", "continuous_update": False, "layout": LAYOUT},
    ),
    ControlSpec("spacing", widgets.IntSlider, "Spacing (days)", {"min": 1, "max": 60}, True, "Schedules"),
    ControlSpec(
        "target", widgets.FloatSlider, "Target retention", _float_slider(_DEFAULTS.target, 0.5, 0.98, 0.01), True
    ),
    ControlSpec("deadline", widgets.IntSlider, "Deadline (day)", {"min": 14, "max": 365}, True),
    ControlSpec("budget", widgets.IntSlider, "Budget (min/week)", {"min": 0, "max": 120}, True),
    ControlSpec(
        "profile",
        widgets.Dropdown,
        "Memory profile",
        {
            "options": profile_options(),
            "value": _DEFAULTS.profile,
            "layout": LAYOUT,
        },
        section="Learners",
    ),
    ControlSpec(
        "variation",
        widgets.FloatSlider,
        "Memory variation",
        _float_slider(_DEFAULTS.memory_sigma, 0.0, 1.5, 0.05),
        True,
    ),
    ControlSpec(
        "required", widgets.FloatSlider, "Does required (p)", _float_slider(_DEFAULTS.required, 0.0, 1.0, 0.05), True
    ),
    ControlSpec(
        "optional", widgets.FloatSlider, "Does optional (p)", _float_slider(_DEFAULTS.optional, 0.0, 1.0, 0.05), True
    ),
    ControlSpec("seed", widgets.IntText, "Seed", {"layout": LAYOUT}),
)
#: Keys of :attr:`PlanLab.controls` (and of its ``errors``, with ``calibration``, ``apply`` and ``optimise``).
PLAN_CONTROLS: tuple[str, ...] = tuple(spec.name for spec in CONTROLS)
#: A hint shown after a control.
_HINTS = {
    "budget": "Budget 0: no weekly cap. Sliders apply when released.",
    "profile": "Or use a calibration (JSON/YAML from <code>workbench calibrate</code>): it joins this list.",
}


def build_control(spec: ControlSpec, value: Any) -> widgets.Widget:
    """Make the widget of one control spec (``value`` overrides the spec's, unless None)."""
    options = dict(spec.options)
    if value is not None:
        options["value"] = value
    if spec.slider:
        options.update(continuous_update=False, layout=LAYOUT)
    control = spec.kind(description=spec.description, style=WIDE, **options)
    return styled(control, f"wb-plan-{spec.name}", "wb-plan-field")


def control_rows(
    controls: Mapping[str, widgets.Widget], errors: Mapping[str, widgets.Widget], extra: Mapping[str, widgets.Widget]
) -> list[widgets.Widget]:
    """Lay out the controls in order: section headings, each control next to its error, hints, extras.

    ``extra`` maps a control name to a widget shown right after it (e.g. the calibration upload).
    """
    rows: list[widgets.Widget] = []
    for spec in CONTROLS:
        if spec.section:
            rows.append(widgets.HTML(f'<div class="wb-section">{spec.section}</div>'))
        rows.append(widgets.HBox([controls[spec.name], errors[spec.name]], layout={"align_items": "center"}))
        if spec.name in extra:
            rows.append(extra[spec.name])
        if spec.name in _HINTS:
            rows.append(widgets.HTML(f'<div class="wb-plan-hint">{_HINTS[spec.name]}</div>'))
    return rows
