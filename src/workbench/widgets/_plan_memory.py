"""The plan lab's side of the memory choice: the variation slider follows the profile or calibration.

The choice itself (profile list, calibration, upload) is the shared :class:`~._memory.MemoryChoice`
(the Convert tab has the same one). One rule decides what the lab simulates with
(:attr:`workbench.plans.lab.LabSettings.memory_profile`: the calibration when chosen, else
the named profile); this mixin keeps the variation slider and the lab's status in step with it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import ipywidgets as widgets

from workbench.simulate.profiles import PROFILES
from workbench.widgets._memory import CalibrationSource, MemoryChoice

if TYPE_CHECKING:
    from workbench.calibrate import Calibration

__all__ = ["PlanMemory"]


class PlanMemory:
    """Mixin of :class:`~workbench.widgets.PlanLab`: the memory choice and the variation slider."""

    controls: dict[str, widgets.Widget]
    memory: MemoryChoice
    _message: str
    _loading: bool

    def update(self) -> None:  # the panel's
        raise NotImplementedError

    @property
    def calibration(self) -> Calibration | None:
        """The calibration loaded (chosen when the profile list shows it)."""
        return self.memory.calibration

    @property
    def calibration_upload(self) -> widgets.FileUpload:
        """Upload a calibration file (JSON or YAML)."""
        return self.memory.upload

    def _memory_sigma(self) -> float:
        """Return the learner spread of the memory profile or calibration chosen."""
        calibration = self.memory.chosen_calibration
        if calibration is not None:
            return calibration.profile.memory_sigma
        return PROFILES[self.memory.profile_name].memory_sigma

    def _variation(self) -> float | None:
        """Return the variation slider's value, or None when it shows the profile's own spread."""
        value = float(self.controls["variation"].value)
        return None if math.isclose(value, self._memory_sigma(), abs_tol=1e-9) else value

    def _follow_memory(self) -> None:
        """Move the variation slider to the spread of the memory profile or calibration chosen."""
        self._loading = True
        try:
            self.controls["variation"].value = self._memory_sigma()
        finally:
            self._loading = False

    def _on_memory(self, message: str) -> None:
        """Follow a new memory choice and re-simulate (a refused file changes nothing but the message)."""
        if not self.memory.problem:
            self._follow_memory()
        self._message = message
        self.update()

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
        return self.memory.use_calibration(calibration)

    def load_calibration_file(self, name: str, content: bytes) -> bool:
        """Use an uploaded calibration file (JSON or YAML; what the Calibration upload does)."""
        return self.memory.load_calibration_file(name, content)
