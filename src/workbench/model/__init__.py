"""Frozen, validated values: concepts, activities, journeys; the networkx graph is a view."""

from workbench.model.activity import Activity, Choice, Concept, Coverage, RetrievalItem, Schedule
from workbench.model.graph import from_graph, to_graph
from workbench.model.journey import Edge, Journey
from workbench.model.summary import ConceptCoverage, JourneySummary, LayerLoad
from workbench.vocabulary import Channel, EdgeKind, KindCategory, Layer, MemoryEffect, Purpose

__all__ = [
    "Activity",
    "Channel",
    "Choice",
    "Concept",
    "ConceptCoverage",
    "Coverage",
    "Edge",
    "EdgeKind",
    "Journey",
    "JourneySummary",
    "KindCategory",
    "Layer",
    "LayerLoad",
    "MemoryEffect",
    "Purpose",
    "RetrievalItem",
    "Schedule",
    "from_graph",
    "to_graph",
]
