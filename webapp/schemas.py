"""The building blocks of every /api/v1 schema: strict bodies, lax queries, typed responses.

Each feature keeps its own models in its `schemas.py`; `webapp.openapi` validates requests with
them and writes the OpenAPI document from the same classes, so the document cannot drift from
what the code accepts and answers.
"""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from webapp.http import MAX_INT

TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # RFC 3339, UTC, microseconds: the API's one time format


def rfc3339(moment: datetime) -> str:
    """Stored times are naive UTC; an aware one is converted first."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime(TIMESTAMP)


def _iso_date(value):
    """A JSON date is a "YYYY-MM-DD" string; anything else is left for strict validation."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("Use a date like 2026-09-01.") from None
    return value


def parse_time(text: str) -> datetime:
    """An RFC 3339 time with Z or an offset (without one it is UTC), as naive UTC like the
    stored times. A time that has no UTC equivalent (year 1 at +01:00) is refused too."""
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ValueError("Use a time like 2026-09-01T15:00:00Z.") from None
    return moment


def _iso_datetime(value):
    """Strings become times; anything else is left for strict validation to refuse."""
    return parse_time(value) if isinstance(value, str) else value


Timestamp = Annotated[
    datetime,
    PlainSerializer(rfc3339, return_type=str, when_used="json"),
    Field(json_schema_extra={"format": "date-time"}),
]
"""A time in a response, written as 2026-09-01T15:00:00.000000Z."""

IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
"""A row id in a body: a positive whole number (never true/false, never "3")."""


class Body(BaseModel):
    """A JSON request body: types are exact and unknown fields are refused (422)."""

    model_config = ConfigDict(strict=True, extra="forbid", str_max_length=100_000)

    def sent(self) -> dict:
        """Only the fields the client sent, for PATCH bodies where absent means unchanged."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class Query(BaseModel):
    """Query-string arguments arrive as text: whole numbers and flags are converted."""

    model_config = ConfigDict(extra="ignore", str_max_length=1_000)


class Out(BaseModel):
    """A response body, read from the model's attributes."""

    model_config = ConfigDict(from_attributes=True)


class UserRef(Out):
    id: int
    name: str
    role: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] = Field(
        default_factory=dict, description="Per-field messages, by the field's dotted path."
    )


class Error(BaseModel):
    """Every error answer: 4xx and 5xx alike."""

    error: ErrorDetail
