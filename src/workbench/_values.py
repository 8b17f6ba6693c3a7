"""Base of every frozen, validated value, and the translation of pydantic's errors.

Values raise :class:`~workbench.errors.JourneyError` (a ``ValueError``) listing every problem,
each as ``field.path: what is wrong (got X)``, so the CLI and the widgets can show them as
they are.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic_core import ErrorDetails

from workbench.errors import JourneyError

__all__ = ["IDENTIFIER_PATTERN", "Id", "StrictBool", "StrictFloat", "Value", "describe_errors", "format_location"]

#: Numbers in spec files must be numbers: "5" is not a duration.
StrictFloat = Annotated[float, Strict()]
StrictBool = Annotated[bool, Strict()]
#: Ids are short, stable and safe in IRIs, file names and XML ids.
IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]{0,79}$"
Id = Annotated[str, Field(pattern=IDENTIFIER_PATTERN)]


def format_location(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as a path: ``activities[3].duration_min``.

    Examples
    --------
    >>> format_location(("activities", 3, "duration_min"))
    'activities[3].duration_min'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "tagged-union")):
            continue  # pydantic's internal validator names mean nothing to a designer
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _got(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    got = error.get("input")
    if kind == "missing":
        return "is required (add it)"
    if kind == "extra_forbidden":
        return "unknown key (remove it or check its spelling)"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        sign = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[kind]
        bound = next(iter(ctx.values()))
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return f"must be {sign} {shown} (got {_got(got)})"
    if kind == "enum":
        return f"must be one of {ctx.get('expected', '')} (got {_got(got)})"
    if kind == "string_pattern_mismatch":
        return (
            f"must start with a letter or _ and hold only letters, digits, '_', '-' or '.'; "
            f"at most 80 characters (got {_got(got)})"
        )
    if kind in ("string_too_short",):
        return f"must not be empty (got {_got(got)})"
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        return f"must be a number (got {_got(got)})"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false (got {_got(got)})"
    if kind == "string_type":
        return f"must be text (got {_got(got)})"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list (got {_got(got)})"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys to values (got {_got(got)})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg'][0].lower()}{error['msg'][1:]} (got {_got(got)})"


def describe_errors(exc: ValidationError, prefix: str = "") -> list[str]:
    """One line per problem: ``path: what is wrong (got X)``."""
    lines = []
    for error in exc.errors():
        path = format_location(tuple(error["loc"]))
        if prefix:
            path = prefix if path == "(top level)" else f"{prefix}.{path}"
        message = _describe(error)
        # value errors from our validators already carry their own paths
        if error["type"] == "value_error" and path == "(top level)":
            lines.extend(str(message).splitlines())
        else:
            lines.append(f"{path}: {message}")
    return lines


#: True while a validation whose errors are translated at its outermost call is running.
_validating: ContextVar[bool] = ContextVar("_validating", default=False)


class Value(BaseModel):
    """A frozen value that validates on construction and raises :class:`JourneyError`."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    def __init__(self, /, **data: Any) -> None:
        # pydantic runs a custom __init__ for nested values too: only the outermost call
        # translates, so one flat list of problems (with full paths) is reported, not nested ones.
        if _validating.get():
            super().__init__(**data)
            return
        token = _validating.set(True)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _translate(type(self), exc, data) from None
        finally:
            _validating.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        token = _validating.set(True)
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _translate(cls, exc, obj) from None
        finally:
            _validating.reset(token)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *args: Any, **kwargs: Any) -> Self:
        token = _validating.set(True)  # errors stay pydantic's, as for any JSON document
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        finally:
            _validating.reset(token)

    @classmethod
    def _problems_beyond_fields(cls, data: Any) -> list[str]:
        """Problems the model's own validators would report, found in raw ``data``.

        pydantic skips model validators once a field fails; a value whose invariants can be
        checked on raw data overrides this, so that every problem is reported at once.
        """
        return []


def _translate(cls: Any, exc: ValidationError, data: Any) -> JourneyError:
    problems = describe_errors(exc)
    model_validator_ran = any(error["type"] == "value_error" and not error["loc"] for error in exc.errors())
    if not model_validator_ran:
        problems += [p for p in cls._problems_beyond_fields(data) if p not in problems]
    return JourneyError(problems, kind=cls.__name__)
