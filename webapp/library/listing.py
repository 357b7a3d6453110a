"""The library's lists: every lesson a person may watch, narrowed, sorted and paged.

Pages are keyset pages (after the last row shown, never "skip 50"), so a lesson uploaded
while someone pages through appears on the first page and shifts nothing under them, and
page 40 costs what page 1 does. The cursor names the last row shown by its sort value and id.
Every narrowing (scope, teacher, cycle, move, status, dates) is applied inside
`access.video_clause`: a filter can only take lessons away from what the person may watch.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator
from sqlalchemy import and_, exists, or_, select

from webapp import access, db
from webapp.annotations.models import Annotation
from webapp.auth.models import User
from webapp.coaching.models import Cycle, Move
from webapp.errors import ValidationError
from webapp.schemas import MAX_INT, Id, IsoDate, Query
from webapp.video.models import Video
from webapp.video.schemas import VideoStatusValue

PAGE_SIZE = 25
SORTS = {"lesson_date": Video.lesson_date, "activity": Video.activity_at}
MAX_CURSOR = 80


def _cursor(value: str) -> str:
    if value and _decode(value) is None:
        raise ValueError("Use a next_cursor this list answered.")
    return value


class LibraryQuery(Query):
    """What the list shows: whose lessons, narrowed by teacher, cycle, move, status and date."""

    cursor: Annotated[str, AfterValidator(_cursor)] = Field(
        "", max_length=MAX_CURSOR, description="The next_cursor of the page before; empty first"
    )
    sort: Literal["lesson_date", "activity"] = Field(
        "lesson_date", description="Newest lesson first, or the lesson with the latest note"
    )
    scope: Literal["all", "mine", "coached", "shared"] = Field(
        "all", description="Mine, my teachers' (as their coach), shared with me, or all of these"
    )
    teacher: Id | None = Field(None, description="Only this teacher's lessons")
    cycle: Id | None = Field(None, description="Only lessons filed under this cycle")
    move: Id | None = Field(None, description="Only lessons with a note I may read tagged so")
    status: VideoStatusValue | None = None
    from_: IsoDate | None = Field(None, alias="from", description="Lesson date on or after")
    to: IsoDate | None = Field(None, description="Lesson date on or before")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """The filter form sends every field; one left at "Any…" arrives empty."""
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data

    def filtered(self) -> bool:
        """Whether anything but the sort narrows or moves the list (the page says so)."""
        return bool(self.cursor or self.scope != "all" or self.teacher or self.cycle
                    or self.move or self.status or self.from_ or self.to)  # fmt: skip


@dataclass(frozen=True)
class Page:
    videos: list[Video]
    next_cursor: str | None


def page_of_videos(user, query: LibraryQuery, limit: int = PAGE_SIZE) -> Page:
    """One page of the lessons `user` may watch, in the order asked, after `query.cursor`."""
    if query.from_ and query.to and query.from_ > query.to:
        raise ValidationError(
            "The first date is after the last one.", {"from": "Choose a date on or before “to”."}
        )
    column = SORTS[query.sort]
    statement = select(Video).where(access.video_clause(user), *_narrowing(user, query))
    after = _decode(query.cursor) if query.cursor else None
    if after is not None:
        moment, last_id = after
        value = moment.date() if query.sort == "lesson_date" else moment
        statement = statement.where(or_(column < value, and_(column == value, Video.id < last_id)))
    statement = statement.order_by(column.desc(), Video.id.desc()).limit(limit + 1)
    rows = list(db.session().scalars(statement))
    more, rows = len(rows) > limit, rows[:limit]
    return Page(rows, _encode(getattr(rows[-1], column.key), rows[-1].id) if more else None)


def _narrowing(user, query: LibraryQuery) -> list:
    coached = Video.owner_id.in_(access.coached_teachers(user))
    clauses = {
        "all": [],
        "mine": [Video.owner_id == user.id],
        "coached": [coached],
        "shared": [Video.owner_id != user.id, ~coached],
    }[query.scope]
    if query.teacher:
        clauses.append(Video.owner_id == query.teacher)
    if query.cycle:
        clauses.append(Video.cycle_id == query.cycle)
    if query.status:
        clauses.append(Video.status == query.status)
    if query.from_:
        clauses.append(Video.lesson_date >= query.from_)
    if query.to:
        clauses.append(Video.lesson_date <= query.to)
    if query.move:
        # Per lesson, stopping at its first such note (the lesson is already one the person
        # may watch, so the note rule alone remains): never every tagged note in the school.
        tagged = select(Annotation.id).where(
            Annotation.video_id == Video.id,
            Annotation.move_id == query.move,
            access.readable_clause(user),
        )
        clauses.append(exists(tagged))
    return clauses


def _encode(value: date | datetime, video_id: int) -> str:
    text = f"{value.isoformat()}~{video_id}".encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int] | None:
    """(sort value, id), or None for anything this list did not answer."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, _, video_id = text.partition("~")
        moment, last_id = datetime.fromisoformat(value).replace(tzinfo=None), int(video_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return (moment, last_id) if 0 < last_id <= MAX_INT else None


@dataclass(frozen=True)
class Choices:
    """What the filters offer: only teachers, cycles and moves found in the person's lessons."""

    teachers: list[tuple[int, str]]
    cycles: list[tuple[int, str]]
    moves: list[tuple[int, str]]


def filter_choices(user) -> Choices:
    visible = select(Video).where(access.video_clause(user)).subquery()
    session = db.session()
    teachers = session.execute(
        select(User.id, User.name)
        .where(User.id.in_(select(visible.c.owner_id)))
        .order_by(User.name)
    )
    cycles = session.execute(
        select(Cycle.id, Cycle.title).where(Cycle.id.in_(select(visible.c.cycle_id)))
        .order_by(Cycle.title)
    )  # fmt: skip
    # A move at a time, stopping at its first readable note, rather than reading every note.
    tagged = select(Annotation.id).where(Annotation.move_id == Move.id, access.note_clause(user))
    moves = session.execute(select(Move.id, Move.name).where(exists(tagged)).order_by(Move.name))
    return Choices([tuple(r) for r in teachers], [tuple(r) for r in cycles],
                   [tuple(r) for r in moves])  # fmt: skip
