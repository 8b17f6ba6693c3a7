"""A strict model of an xAPI 1.0.3 statement, as read back from a file or an LRS.

Strict where a wrong value would change a figure (IRIs, UUIDs, one identifier per agent,
time zones on timestamps, score bounds, ISO 8601 durations, no unknown keys); lax where
xAPI itself is (definitions, extensions, attachments stay plain mappings). The data model
follows the xAPI 1.0.3 specification, part two (Data); LRS-set properties (``stored``,
``authority``, ``version``) are allowed because statements come back from an LRS.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator

__all__ = ["Statement", "reason_of"]

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(
    r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
    r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$"
)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def _timestamp(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not a real date-time (got {value[:40]!r})") from None
    return value


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError(f"must be an ISO 8601 duration such as 'PT4M30S' (got {value[:40]!r})")
    return value


# Patterns run in pydantic's Rust regex engine (a Python validator per field costs ~5x more)
Iri = Annotated[str, Field(pattern=_IRI.pattern)]
Uuid = Annotated[str, Field(pattern=_UUID.pattern)]
Timestamp = Annotated[str, Field(pattern=_TIMESTAMP.pattern), AfterValidator(_timestamp)]
LanguageMap = dict[Annotated[str, Field(pattern=_LANGUAGE.pattern)], str]
Extensions = dict[Iri, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Account(_Strict):
    homePage: Iri
    name: Annotated[str, Field(min_length=1)]


class Agent(_Strict):
    """An agent: exactly one inverse functional identifier."""

    objectType: Literal["Agent"] | None = None
    name: str | None = None
    mbox: Annotated[str, Field(pattern=r"^mailto:[^@\s]+@[^@\s]+$")] | None = None
    mbox_sha1sum: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{40}$")] | None = None
    openid: Iri | None = None
    account: Account | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Self:
        found = sum(v is not None for v in (self.mbox, self.mbox_sha1sum, self.openid, self.account))
        if found != 1:
            raise ValueError(
                f"an agent needs exactly one identifier (mbox, mbox_sha1sum, openid or account); found {found}"
            )
        return self

    def key(self) -> str:
        """Return a stable text key of the identifier."""
        if self.account is not None:
            return f"{self.account.homePage}|{self.account.name}"
        return self.mbox or (f"sha1:{self.mbox_sha1sum}" if self.mbox_sha1sum else str(self.openid))


class Group(_Strict):
    """A group: identified (one identifier) or anonymous (members only)."""

    objectType: Literal["Group"]
    name: str | None = None
    member: list[Agent] | None = None
    mbox: Annotated[str, Field(pattern=r"^mailto:[^@\s]+@[^@\s]+$")] | None = None
    mbox_sha1sum: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{40}$")] | None = None
    openid: Iri | None = None
    account: Account | None = None

    @model_validator(mode="after")
    def _identified_or_members(self) -> Self:
        found = sum(v is not None for v in (self.mbox, self.mbox_sha1sum, self.openid, self.account))
        if found > 1:
            raise ValueError(f"a group has at most one identifier; found {found}")
        if found == 0 and not self.member:
            raise ValueError("an anonymous group must list its members")
        return self

    def key(self) -> str:
        """Return a stable text key: the identifier, else the sorted member keys."""
        if self.account is not None:
            return f"{self.account.homePage}|{self.account.name}"
        if self.mbox or self.mbox_sha1sum or self.openid:
            return self.mbox or (f"sha1:{self.mbox_sha1sum}" if self.mbox_sha1sum else str(self.openid))
        return "group:" + ",".join(sorted(m.key() for m in self.member or ()))


def _object_type(default: str) -> Any:
    def pick(value: Any) -> str:
        kind = value.get("objectType") if isinstance(value, dict) else getattr(value, "objectType", None)
        return kind or default

    return Discriminator(pick)


# Shapes are told apart by objectType (as xAPI does), so an error names the real problem
Actor = Annotated[Annotated[Agent, Tag("Agent")] | Annotated[Group, Tag("Group")], _object_type("Agent")]


class Verb(_Strict):
    id: Iri
    display: LanguageMap | None = None


class ActivityDefinition(_Strict):
    name: LanguageMap | None = None
    description: LanguageMap | None = None
    type: Iri | None = None
    moreInfo: Iri | None = None
    extensions: Extensions | None = None
    interactionType: str | None = None
    correctResponsesPattern: list[str] | None = None
    choices: list[dict[str, Any]] | None = None
    scale: list[dict[str, Any]] | None = None
    source: list[dict[str, Any]] | None = None
    target: list[dict[str, Any]] | None = None
    steps: list[dict[str, Any]] | None = None


class ActivityObject(_Strict):
    objectType: Literal["Activity"] | None = None
    id: Iri
    definition: ActivityDefinition | None = None


class StatementRef(_Strict):
    objectType: Literal["StatementRef"]
    id: Uuid


class Score(_Strict):
    scaled: Annotated[float, Field(ge=-1, le=1)] | None = None
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"score.min {self.min:g} is above score.max {self.max:g}")
        if self.raw is not None:
            if self.min is not None and self.raw < self.min:
                raise ValueError(f"score.raw {self.raw:g} is below score.min {self.min:g}")
            if self.max is not None and self.raw > self.max:
                raise ValueError(f"score.raw {self.raw:g} is above score.max {self.max:g}")
        return self


class Result(_Strict):
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: Annotated[str, AfterValidator(_duration)] | None = None
    extensions: Extensions | None = None


def _as_list(value: Any) -> Any:
    # xAPI 1.0.3 allows a single Activity object here; the LRS returns it as a list
    return [value] if isinstance(value, dict) else value


ActivityList = Annotated[list[ActivityObject], Field(min_length=0)]


class ContextActivities(_Strict):
    parent: ActivityList | None = None
    grouping: ActivityList | None = None
    category: ActivityList | None = None
    other: ActivityList | None = None

    @model_validator(mode="before")
    @classmethod
    def _single_to_list(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: _as_list(value) for key, value in data.items()}
        return data


class Context(_Strict):
    registration: Uuid | None = None
    instructor: Actor | None = None
    team: Group | None = None
    contextActivities: ContextActivities | None = None
    revision: str | None = None
    platform: str | None = None
    language: Annotated[str, Field(pattern=_LANGUAGE.pattern)] | None = None
    statement: StatementRef | None = None
    extensions: Extensions | None = None


_Target = Annotated[ActivityObject, Tag("Activity")] | Annotated[Agent, Tag("Agent")] | Annotated[Group, Tag("Group")]
SubObject = Annotated[_Target | Annotated[StatementRef, Tag("StatementRef")], _object_type("Activity")]


class SubStatement(_Strict):
    objectType: Literal["SubStatement"]
    actor: Actor
    verb: Verb
    object: SubObject
    result: Result | None = None
    context: Context | None = None
    timestamp: Timestamp | None = None
    attachments: list[dict[str, Any]] | None = None


class Statement(_Strict):
    """One xAPI 1.0.3 statement (strict: unknown keys and malformed values are errors).

    Examples
    --------
    >>> s = Statement.model_validate_json(
    ...     '{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},'
    ...     ' "object": {"id": "https://x.example/a"}, "timestamp": "2026-03-02T08:00:00Z"}')
    >>> s.actor.key(), s.object.id
    ('mailto:a@example.org', 'https://x.example/a')
    """

    id: Uuid | None = None
    actor: Actor
    verb: Verb
    object: Annotated[
        _Target | Annotated[StatementRef, Tag("StatementRef")] | Annotated[SubStatement, Tag("SubStatement")],
        _object_type("Activity"),
    ]
    result: Result | None = None
    context: Context | None = None
    timestamp: Timestamp
    stored: Timestamp | None = None
    authority: Actor | None = None
    version: Annotated[str, Field(pattern=r"^1\.0(\.\d+)?$")] | None = None
    attachments: list[dict[str, Any]] | None = None


_PATTERN_MEANS = {
    _IRI.pattern: "must be an absolute IRI such as 'https://example.org/x'",
    _UUID.pattern: "must be a UUID such as '1c4b1f36-3e1e-4c9b-9a57-3a0a2f0d7e11'",
    _TIMESTAMP.pattern: "must be an ISO 8601 date-time with a time zone, e.g. '2026-03-02T08:00:00.000Z'",
    _LANGUAGE.pattern: "must be an RFC 5646 language tag such as 'en-US'",
}


def reason_of(exc: ValidationError) -> tuple[str, str]:
    """Describe the first problem of a validation error: a short category and a readable message.

    The category (``field: kind``) is what rejects are counted by; the message says what is
    wrong with which field.
    """
    error = exc.errors(include_url=False)[0]
    parts = [str(part) for part in error["loc"] if not str(part).startswith(("function-", "tagged-union"))]
    if "[key]" in parts:  # a bad key of a mapping: name the mapping, the message names the key
        at = parts.index("[key]")
        parts = parts[: at - 1]
    location = ".".join(parts)
    for shape in ("Activity", "Agent", "Group", "StatementRef", "SubStatement"):
        location = location.replace(f".{shape}.", ".").removesuffix(f".{shape}")
    location = location or "(statement)"
    message = str(error.get("ctx", {}).get("error") or error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    kind = "invalid" if error["type"] in ("value_error", "string_pattern_mismatch") else error["type"]
    got = repr(error.get("input"))[:60]
    if error["type"] == "string_pattern_mismatch":
        message = f"{_PATTERN_MEANS.get(error.get('ctx', {}).get('pattern', ''), 'has the wrong form')} (got {got})"
    if error["type"] == "missing":
        message = "is required"
    elif error["type"] in ("less_than_equal", "greater_than_equal"):
        message = f"{message[0].lower()}{message[1:]} (got {got})"
    elif error["type"] == "extra_forbidden":
        message = "is not an xAPI 1.0.3 property (remove it or check its spelling)"
    return f"{location}: {kind}", f"{location}: {message}"
