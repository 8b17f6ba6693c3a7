"""The closed vocabularies of the domain: layers, channels, purposes, memory effects, edges.

Values are lower-case strings so spec files stay readable (``layer: after``), and every enum
is a ``str`` subclass so it compares equal to its value.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "EdgeKind", "KindCategory", "Layer", "MemoryEffect", "Purpose"]


class Layer(StrEnum):
    """Where a piece sits in the learning architecture."""

    BEFORE = "before"  # priming, readiness, orientation
    DURING = "during"  # chunking, recap, quick practice
    AFTER = "after"  # reinforcement, recall, refreshers
    WORK = "work"  # job support, reminders, decision help in the flow of work
    CHANGE = "change"  # updates, launch communication, new-feature support


class Channel(StrEnum):
    """Delivery environment (distinct from the design approach: mobile is not micro)."""

    IN_PERSON = "in_person"
    VIRTUAL_CLASSROOM = "virtual_classroom"
    LMS = "lms"
    MOBILE = "mobile"
    CHAT = "chat"
    EMAIL = "email"
    CALENDAR = "calendar"
    IN_PRODUCT = "in_product"
    MANAGER_1ON1 = "manager_1on1"


class Purpose(StrEnum):
    """What an asset is for; analytics judge an asset by its purpose."""

    PRIMING = "priming"
    INSTRUCTION = "instruction"
    RECAP = "recap"
    PRACTICE = "practice"
    REINFORCEMENT = "reinforcement"
    REFERENCE = "reference"
    SOCIAL = "social"
    CHANGE_COMMUNICATION = "change_communication"


class MemoryEffect(StrEnum):
    """What a touch does to the memory of each concept it covers."""

    ENCODE = "encode"  # first teaching: sets the initial memory state
    RETRIEVE = "retrieve"  # quiz, scenario, decision: success depends on current recall
    RESTUDY = "restudy"  # passive review: weaker than retrieval
    APPLY = "apply"  # job aid used on a real task
    DISCUSS = "discuss"  # social, elaborative


class EdgeKind(StrEnum):
    """Typed relations between activities."""

    THEN = "then"  # sequence / prerequisite: target follows source
    PREPARES = "prepares"  # source primes learners for target
    REINFORCES = "reinforces"  # source reinforces what target taught
    SUPPORTS = "supports"  # source supports applying target on the job


class KindCategory(StrEnum):
    """Formal events versus micro assets."""

    FORMAL = "formal"
    MICRO = "micro"
