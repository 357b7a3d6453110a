"""The annotation API's bodies, query strings and answers.

A timeline item is a note or, once deleted, its tombstone: only which note went and when, so a
poller can drop it. The database writes timelines as JSON text itself (timeline_json), and a
test holds that text to these models on SQLite and PostgreSQL.
"""

import re
from typing import Annotated, Literal

from pydantic import MISSING, AfterValidator, Discriminator, Field, Tag

from webapp.schemas import Body, Id, IsoDateTime, Out, Query, Timestamp, UserRef

MAX_BODY = 5000
MAX_MS = 2**31 - 1  # the database's integer column
PAGE_SIZE, MAX_PAGE_SIZE = 500, 1000
CURSOR = re.compile(r"([0-9]{1,10})\.([0-9]{1,10})")  # "start_ms.id" of a page's last note

KindValue = Literal["comment", "strength", "question", "next_step"]  # models.Kind's values
Ms = Annotated[int, Field(ge=0, le=MAX_MS, description="Milliseconds from the video's start")]


# ---- bodies ----

BODY = "The text; leading and trailing spaces are trimmed, and it may not be empty then"


class AnnotationCreate(Body):
    """A note on a moment (start_ms) or a range (start_ms to end_ms), or with parent_id a reply.

    A reply takes its thread's time, privacy and tags, so only `body` counts for it.
    """

    body: str = Field(max_length=MAX_BODY, description=BODY)
    start_ms: Ms | None = Field(None, description="Where the note is; required unless replying")
    end_ms: Ms | None = Field(
        None, description="Where a range ends: after start_ms, within the video; null for a moment"
    )
    kind: KindValue = "comment"
    move_id: Id | None = Field(None, description="A move of the video's framework")
    goal_id: Id | None = Field(None, description="A goal of the video's coaching cycle")
    parent_id: Id | None = Field(None, description="The thread replied to (one level deep)")
    private: bool = Field(False, description='"Only me": a note nobody else ever sees')


class AnnotationUpdate(Body):
    """Only the fields sent change. Either side of a thread may resolve or reopen it; the rest
    is its author's, and a reply's time and tags stay its thread's."""

    body: str | MISSING = Field(MISSING, max_length=MAX_BODY, description=BODY)
    start_ms: Ms | MISSING = MISSING
    end_ms: Ms | MISSING | None = Field(MISSING, description="Null makes a range a moment again")
    kind: KindValue | MISSING = MISSING
    move_id: Id | MISSING | None = Field(
        MISSING, description="A move of the video's framework, or null for none"
    )
    goal_id: Id | MISSING | None = Field(
        MISSING, description="A goal of the video's cycle, or null for none"
    )
    private: bool | MISSING = Field(MISSING, description='"Only me": a note nobody else ever sees')
    resolved: bool | MISSING = Field(
        MISSING, description="Resolve (true) or reopen (false) a thread"
    )


# ---- query strings ----


def _cursor(value: str) -> str:
    if value and CURSOR.fullmatch(value) is None:
        raise ValueError("Use a next_cursor this list answered.")
    return value


class TimelineQuery(Query):
    since: IsoDateTime | MISSING = Field(
        MISSING,
        description="Only what changed after this time, deletions included as tombstones (for "
        "polling: send the last server_time less a few seconds). Without an offset it is UTC.",
    )
    cursor: Annotated[str, AfterValidator(_cursor)] | MISSING = Field(
        MISSING,
        description="The next_cursor of the page before; empty for the first page",
        json_schema_extra={"pattern": r"^([0-9]{1,10}\.[0-9]{1,10})?$"},
    )
    limit: int = Field(
        PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Notes per page; sending it (or cursor) asks for pages",
    )

    def page(self) -> tuple[tuple[int, int] | None, int] | None:
        """(after, limit) when cursor or limit asks for one page; None for the whole list."""
        if not {"cursor", "limit"} & self.model_fields_set:
            return None
        match = CURSOR.fullmatch(self.cursor) if self.cursor is not MISSING else None
        return ((int(match[1]), int(match[2])) if match else None), self.limit


class VttQuery(Query):
    inline: bool = Field(
        False, description="Serve it for a <track src> instead of as a download (attachment)"
    )


class CsvQuery(Query):
    private: bool = Field(
        False, description='Include my "only me" notes (its "private" column then marks them)'
    )


class CaptionsQuery(Query):
    filename: str = Field(
        "", max_length=255, description="The raw file's name: a name ending .srt is read as SubRip"
    )


# ---- answers ----


class AnnotationOut(Out):
    """A note or reply, as everyone who may read it sees it."""

    id: int
    video_id: int
    author: UserRef
    start_ms: int = Field(description="Milliseconds from the video's start (a reply: its thread's)")
    end_ms: int | None = Field(description="Where a range ends; null for a moment")
    body: str
    kind: KindValue
    move_id: int | None
    goal_id: int | None
    parent_id: int | None = Field(description="The thread, for a reply")
    private: bool = Field(description='"Only me": only its author ever sees it')
    resolved: bool
    edited: bool = Field(description="Its text, time or tags changed after it was written")
    deleted: Literal[False]
    created_at: Timestamp
    updated_at: Timestamp = Field(description="Its last change, a reply to it included")


class DeletedAnnotation(Out):
    """A deleted note's tombstone, in polls (?since=): nothing it said is left."""

    id: int
    deleted: Literal[True]
    updated_at: Timestamp = Field(description="When it was deleted")


def _item_tag(item) -> str:
    deleted = item.get("deleted") if isinstance(item, dict) else getattr(item, "deleted", None)
    return "tombstone" if deleted is True else "note"


# A oneOf in the document: `deleted` tells the two apart (false for a note, true for a tombstone).
TimelineItem = Annotated[
    Annotated[AnnotationOut, Tag("note")] | Annotated[DeletedAnnotation, Tag("tombstone")],
    Discriminator(_item_tag),
]


class AnnotationTimeline(Out):
    """A video's notes in time order, each thread's replies after it."""

    annotations: list[TimelineItem]
    next_cursor: str | None = Field(
        description="Send as ?cursor= for the next page; null on the last page, or unpaged"
    )
    server_time: Timestamp = Field(description="The time of this answer, for the next ?since=")


class Captions(Out):
    cues: int = Field(description="How many cues the normalised WebVTT track has")
    url: str = Field(description="Where the track is served")
