"""The sharing and audit API's bodies and answers."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AliasPath, Field, PlainValidator, WithJsonSchema

from webapp.schemas import Body, Out, Query, Timestamp, UserRef, parse_time

# models.Permission, spelled out: strict bodies take the JSON string, not an enum member.
SharePermissionValue = Literal["view", "comment"]
DATE_OR_TIME = "Use a date like 2026-09-01 or a time like 2026-09-01T15:00:00Z."


def date_or_time(value: Any) -> date | datetime:
    """A date like 2026-09-01 (the share lasts through that day), or else a time.

    A time is RFC 3339, with Z or an offset (without one it is taken as UTC), and comes back
    naive UTC, as times are stored. The share form's text is read here too.
    """
    if isinstance(value, datetime | date):  # from Python callers; JSON has only strings
        return value
    if not isinstance(value, str):
        raise ValueError(DATE_OR_TIME)
    try:
        return date.fromisoformat(value) if len(value) == 10 else parse_time(value)
    except ValueError:
        raise ValueError(DATE_OR_TIME) from None


DateOrTime = Annotated[
    date | datetime,
    PlainValidator(date_or_time),  # one field, one message, whichever of the two was meant
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
    ),
]


class ShareCreate(Body):
    """Sharing again with the same person replaces the terms of their share."""

    email: str = Field(
        min_length=1, max_length=254, description="A colleague at my school with an account"
    )
    permission: SharePermissionValue = Field(
        "view", description="comment also lets them write notes"
    )
    expires_at: DateOrTime | None = Field(
        None,
        description="Until when: a date means through that day (UTC), a time until then; "
        "null or absent: until revoked",
    )


class ShareOut(Out):
    """One person a video is (or was) shared with."""

    id: int
    video_id: int
    user: UserRef
    email: str = Field(validation_alias=AliasPath("user", "email"))
    permission: SharePermissionValue
    expires_at: Timestamp | None
    created_at: Timestamp
    revoked_at: Timestamp | None
    active: bool = Field(description="Neither revoked nor expired: it grants access now")


class ShareList(Out):
    shares: list[ShareOut] = Field(description="Active first, then newest first")


class AuditPerson(Out):
    """A person as the event named them when it happened; the account may be gone since."""

    id: int | None
    name: str
    role: str


class AuditEventOut(Out):
    """One thing that happened to the video: a view, a share, a revoke."""

    id: int
    action: str = Field(description="e.g. video.viewed, share.created, share.revoked")
    created_at: Timestamp
    actor: AuditPerson | None = Field(description="Who did it; null for the system")
    subject: AuditPerson | None = Field(description="Whom it concerned, if anyone")
    video_id: int | None
    detail: dict[str, Any] = Field(
        validation_alias="facts", description="What else was noted, by the action"
    )


class AuditQuery(Query):
    page: int = Field(1, ge=1, description="100 events a page, from 1; past the end is empty")


class AuditPage(Out):
    events: list[AuditEventOut] = Field(description="Newest first")
    next_page: int | None = Field(description="The next page's number, or null on the last")
