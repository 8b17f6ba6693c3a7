"""The plan lab's memory choice: a packaged memory profile, or a calibration (a value, a file, an upload).

One rule decides what the lab simulates with (:attr:`workbench.plans.lab.LabSettings.memory_profile`:
the calibration when chosen, else the named profile); this part of the panel only keeps the
profile list, the upload and the variation slider in step with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.simulate.profiles import DEFAULT_PROFILE, PROFILES
from workbench.widgets._common import error_lines
from workbench.widgets._plan_controls import CALIBRATION

if TYPE_CHECKING:
    from workbench.calibrate import Calibration

__all__ = ["CalibrationSource", "MemoryChoice"]

#: What a calibration can be given as: a Calibration, or the path of a file ``workbench calibrate`` wrote.
CalibrationSource = Any


class MemoryChoice:
    """Mixin of :class:`~workbench.widgets.PlanLab`: the memory profile list, the calibration and its upload."""

    controls: dict[str, widgets.Widget]
    calibration: Calibration | None
    _calibration_problem: list[str]
    _message: str
    _loading: bool

    def update(self) -> None:  # the panel's
        raise NotImplementedError

    def _profile_name(self) -> str:
        value = self.controls["profile"].value
        return str(value) if value is not None and value != CALIBRATION else DEFAULT_PROFILE

    def _memory_sigma(self) -> float:
        """Return the learner spread of the memory profile or calibration chosen."""
        chosen = self.controls["profile"].value
        if chosen == CALIBRATION and self.calibration is not None:
            return self.calibration.profile.memory_sigma
        return PROFILES[self._profile_name()].memory_sigma

    def _variation(self) -> float | None:
        """Return the variation slider's value, or None when it shows the profile's own spread."""
        value = float(self.controls["variation"].value)
        return None if math.isclose(value, self._memory_sigma(), abs_tol=1e-9) else value

    # ---- memory: a packaged profile or a calibration ------------------------------------------

    def _follow_memory(self) -> None:
        """Move the variation slider to the spread of the memory profile or calibration chosen."""
        self._loading = True
        try:
            self.controls["variation"].value = self._memory_sigma()
        finally:
            self._loading = False

    def use_calibration(self, calibration: CalibrationSource) -> bool:
        """Simulate with a calibration (a value, or the path of the file ``workbench calibrate`` wrote).

        It joins the memory profile list and is chosen. A file that is not a calibration
        leaves the lab as it was and says why (file and field) next to the upload and in
        the status line.

        Returns
        -------
        bool
            Whether the calibration is now used.
        """
        from workbench.calibrate import Calibration, load_calibration

        try:
            value = calibration if isinstance(calibration, Calibration) else load_calibration(calibration)
        except (WorkbenchError, OSError, TypeError) as exc:
            return self._calibration_failed(error_lines(exc))
        self._set_calibration(value)
        return True

    def load_calibration_file(self, name: str, content: bytes) -> bool:
        """Use an uploaded calibration file (JSON or YAML; what the Calibration upload does)."""
        from workbench.calibrate import read_calibration

        try:
            value = read_calibration(content, source=name)
        except WorkbenchError as exc:
            return self._calibration_failed(error_lines(exc))
        self._set_calibration(value)
        return True

    def _on_upload(self, change: Mapping[str, Any]) -> None:
        files = list(change["new"] or ())
        if files:
            self.load_calibration_file(str(files[-1]["name"]), bytes(files[-1]["content"]))

    def _calibration_failed(self, lines: list[str]) -> bool:
        self._calibration_problem = lines
        first = lines[0].rstrip(":")
        detail = f" {lines[1].strip()}" if len(lines) > 1 else ""
        more = f" (+{len(lines) - 2} more)" if len(lines) > 2 else ""
        self._message = f"calibration not loaded: {first}{detail}{more}"
        self.update()
        return False

    def _set_calibration(self, calibration: Calibration) -> None:
        self.calibration, self._calibration_problem = calibration, []
        select = self.controls["profile"]
        label = f"calibration {calibration.profile.name} ({calibration.source}, {calibration.created})"
        options = [option for option in select.options if option[1] != CALIBRATION] + [(label, CALIBRATION)]
        self._loading = True
        try:
            select.options = options
            select.value = CALIBRATION
        finally:
            self._loading = False
        self._follow_memory()
        self._message = f"using calibration {calibration.profile.name}"
        self.update()
