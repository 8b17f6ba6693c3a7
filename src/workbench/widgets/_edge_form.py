"""The edge form of the composer: connect and disconnect two activities with a typed edge."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from workbench.errors import WorkbenchError
from workbench.model import Journey
from workbench.vocabulary import EdgeKind
from workbench.widgets._activity_form import FIELD_LAYOUT, WIDE
from workbench.widgets._common import describe, error_html, error_lines, styled
from workbench.widgets._part import ComposerPart

__all__ = ["EdgeForm"]


class EdgeForm(ComposerPart):
    """From, kind and to, the Connect and Disconnect buttons, and the edge error."""

    def _build_edges(self) -> None:
        self.edge_source = styled(widgets.Dropdown(options=[], description="From", style=WIDE), "wb-edge-source")
        self.edge_kind = styled(
            widgets.Dropdown(options=[k.value for k in EdgeKind], description="Kind", style=WIDE),
            "wb-edge-kind",
        )
        self.edge_target = styled(widgets.Dropdown(options=[], description="To", style=WIDE), "wb-edge-target")
        for control in (self.edge_source, self.edge_kind, self.edge_target):
            control.layout = widgets.Layout(**FIELD_LAYOUT)
        self.connect_button = styled(widgets.Button(description="Connect", icon="link"), "wb-connect")
        self.disconnect_button = styled(widgets.Button(description="Disconnect", icon="unlink"), "wb-disconnect")
        self.edge_error = styled(widgets.HTML(), "wb-error", "wb-edge-error")
        self.edge_table = styled(widgets.HTML(), "wb-edges")
        self.connect_button.on_click(lambda _: self.connect_from_form())
        self.disconnect_button.on_click(lambda _: self.disconnect_from_form())

    def _edge_action(self, action: str, build: Callable[[], Journey], message: str) -> None:
        try:
            journey = build()
        except WorkbenchError as exc:
            self.edge_error.value = error_html(error_lines(exc))
            self._message = f"{action}: {describe(exc)}; journey unchanged"
            self._update_status()
            return
        self.edge_error.value = ""
        self._commit(journey, message)

    def connect_from_form(self) -> None:
        """Add the edge the edge form describes (what Connect does)."""
        source, target, kind = self.edge_source.value, self.edge_target.value, self.edge_kind.value
        if source is None or target is None:
            self.edge_error.value = error_html(["pick both activities to connect"])
            return
        self._edge_action(
            "not connected",
            lambda: self.journey.connect(source, target, kind),
            f"connected {source!r} -{kind}-> {target!r}",
        )

    def disconnect_from_form(self) -> None:
        """Remove the edge between the two activities of the edge form (what Disconnect does)."""
        source, target = self.edge_source.value, self.edge_target.value
        if source is None or target is None:
            self.edge_error.value = error_html(["pick both activities to disconnect"])
            return
        self._edge_action(
            "not disconnected",
            lambda: self.journey.disconnect(source, target),
            f"disconnected {source!r} -> {target!r}",
        )
