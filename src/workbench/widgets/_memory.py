"""The memory choice of the Plan and Convert tabs: a packaged memory profile, or a calibration.

One part, used by both tabs: the profile list (a Dropdown the panel lays out), the
calibration upload and the message beside it. A calibration (a value, a file path, an
uploaded JSON/YAML file) joins the list and is chosen; a file that is not a calibration
leaves the choice as it was and says why (file and field) beside the upload. What the
choice resolves to follows the one rule of :func:`workbench.simulate.resolve_profile`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.simulate.profiles import DEFAULT_PROFILE, PROFILES
from workbench.widgets._common import error_html, error_lines, styled

if TYPE_CHECKING:
    from workbench.calibrate import Calibration
    from workbench.simulate.profiles import MemoryProfile

__all__ = [
    "CALIBRATION",
    "CalibrationSource",
    "MemoryChoice",
    "memory_line",
    "profile_options",
    "unknown_profile",
]

#: Value of the memory dropdown that stands for the loaded calibration.
CALIBRATION = "calibration"

#: What a calibration can be given as: a Calibration, or the path of a file ``workbench calibrate`` wrote.
CalibrationSource = Any


def profile_options() -> list[tuple[str, str]]:
    """``(label, name)`` pairs of the packaged memory profiles, for the profile Dropdown.

    Examples
    --------
    >>> profile_options()[0][1] == next(iter(PROFILES))
    True
    """
    return [(f"{name}: {profile.title}", name) for name, profile in PROFILES.items()]


def unknown_profile(name: str) -> list[str]:
    """Return the problem line of a panel opened on a profile name that does not exist."""
    return [f"unknown memory profile {name!r}; pick one of {', '.join(PROFILES)}"]


def memory_line(profile: str, calibration: Calibration | None) -> str:
    """Say what a memory choice is: the profile (title, source) or the calibration (source, date).

    The Plan tab's first provenance line (:func:`workbench.plans.lab.describe_memory`), so
    both tabs name a choice the same way.

    Examples
    --------
    >>> memory_line("flashcards", None).startswith("Memory profile flashcards: Flashcard reviews")
    True
    """
    from workbench.plans.lab import LabSettings, describe_memory

    return describe_memory(LabSettings(profile=profile, calibration=calibration))[0]


class MemoryChoice:
    """The profile list, the calibration it may hold, the upload and the message beside it.

    Parameters
    ----------
    select : Dropdown
        The profile list, laid out by the panel (options: :func:`profile_options`).
    css : str
        Prefix of the CSS classes of the upload (``{css}-calibration-upload``) and of the
        message beside it (``{css}-error-calibration``).
    on_change : callable
        Called with a status message after the choice changed or a file was refused: ``""``
        for a pick in the list, ``"using calibration NAME"``, or ``"calibration not loaded: FILE: ..."``.

    Attributes
    ----------
    select : Dropdown
    upload : FileUpload
        Upload a calibration file (JSON or YAML).
    error : HTML
        Why the last calibration file was not used (empty once something else is chosen).
    calibration : Calibration or None
        The calibration loaded (chosen when the list shows it).
    problem : list of str
        The problem lines of the last refused file.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> seen = []
    >>> choice = MemoryChoice(widgets.Dropdown(options=profile_options()), css="wb-x", on_change=seen.append)
    >>> choice.load_calibration_file("bad.json", b"{}")
    False
    >>> seen[-1].startswith("calibration not loaded: bad.json")
    True
    >>> choice.chosen, choice.calibration
    ('workplace', None)
    """

    def __init__(self, select: widgets.Dropdown, *, css: str, on_change: Callable[[str], None]) -> None:
        self.select = select
        self.upload = styled(
            widgets.FileUpload(accept=".json,.yaml,.yml", multiple=False, description="Calibration"),
            f"{css}-calibration-upload",
        )
        self.error = styled(widgets.HTML(), "wb-error", f"{css}-error-calibration")
        self.calibration: Calibration | None = None
        self.problem: list[str] = []
        self._on_change = on_change
        self._loading = False
        self.select.observe(self._picked, names="value")
        self.upload.observe(self._uploaded, names="value")

    # ---- what is chosen ----------------------------------------------------------------------

    @property
    def profile_name(self) -> str:
        """The packaged profile chosen (the default profile while the calibration is)."""
        value = self.select.value
        return str(value) if value is not None and value != CALIBRATION else DEFAULT_PROFILE

    @property
    def chosen_calibration(self) -> Calibration | None:
        """The calibration, when the list shows it chosen."""
        return self.calibration if self.select.value == CALIBRATION else None

    @property
    def chosen(self) -> Any:
        """What to simulate or schedule with: the calibration chosen, else the profile's name."""
        return self.chosen_calibration if self.chosen_calibration is not None else self.profile_name

    def memory_profile(self) -> MemoryProfile:
        """Return the profile the choice resolves to (:func:`workbench.simulate.resolve_profile`)."""
        from workbench.simulate import resolve_profile

        return resolve_profile(self.chosen)

    def describe(self) -> str:
        """Return the choice as one provenance line (see :func:`memory_line`)."""
        return memory_line(self.profile_name, self.chosen_calibration)

    def upload_row(self) -> widgets.HBox:
        """Return the upload with its message beside it, for the panel's layout."""
        return widgets.HBox([self.upload, self.error], layout={"align_items": "center"})

    # ---- a calibration -------------------------------------------------------------------------

    def use_calibration(self, calibration: CalibrationSource) -> bool:
        """Choose a calibration (a value, or the path of the file ``workbench calibrate`` wrote).

        Returns whether it is now chosen; a file that is not a calibration keeps what was
        chosen and says why (file and field) beside the upload.
        """
        from workbench.calibrate import Calibration, load_calibration

        try:
            value = calibration if isinstance(calibration, Calibration) else load_calibration(calibration)
        except (WorkbenchError, OSError, TypeError) as exc:
            return self._refused(error_lines(exc))
        self._set(value)
        return True

    def load_calibration_file(self, name: str, content: bytes) -> bool:
        """Choose an uploaded calibration file (JSON or YAML; what the Calibration upload does)."""
        from workbench.calibrate import read_calibration

        try:
            value = read_calibration(content, source=name)
        except WorkbenchError as exc:
            return self._refused(error_lines(exc))
        self._set(value)
        return True

    def forget_problem(self) -> None:
        """Clear the message of a refused file (the panel's next change does)."""
        self.problem = []
        self.error.value = ""

    # ---- internals -----------------------------------------------------------------------------

    def _picked(self, change: Mapping[str, Any]) -> None:
        if self._loading:
            return
        self.forget_problem()
        self._on_change("")

    def _uploaded(self, change: Mapping[str, Any]) -> None:
        files = list(change["new"] or ())
        if files:
            self.load_calibration_file(str(files[-1]["name"]), bytes(files[-1]["content"]))

    def _refused(self, lines: list[str]) -> bool:
        self.problem = lines
        self.error.value = error_html(lines)
        first = lines[0].rstrip(":")
        detail = f" {lines[1].strip()}" if len(lines) > 1 else ""
        more = f" (+{len(lines) - 2} more)" if len(lines) > 2 else ""
        self._on_change(f"calibration not loaded: {first}{detail}{more}")
        return False

    def _set(self, calibration: Calibration) -> None:
        self.calibration = calibration
        self.forget_problem()
        label = f"calibration {calibration.profile.name} ({calibration.source}, {calibration.created})"
        options = [option for option in self.select.options if option[1] != CALIBRATION] + [(label, CALIBRATION)]
        self._loading = True
        try:
            self.select.options = options
            self.select.value = CALIBRATION
        finally:
            self._loading = False
        self._on_change(f"using calibration {calibration.profile.name}")
