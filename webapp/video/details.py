"""A lesson's details, which only its owner changes: title, lesson date, class, subject,
grade, and the coaching cycle it is filed under (at any time, not only at upload)."""

from datetime import date, timedelta

from webapp import db
from webapp.db import utcnow
from webapp.errors import ValidationError
from webapp.video.models import LessonDateSource, Video
from webapp.video.schemas import VideoUpdate
from webapp.video.services import check_cycle, check_title

EARLIEST_LESSON = date(2000, 1, 1)
# Free-text labels, each at most this long: what the list shows beside the title.
LABELS = {"class_name": 100, "subject": 100, "grade": 40}


def update_video(video: Video, changes: VideoUpdate) -> None:
    """Apply the fields the client sent; every field is checked before any is applied."""
    sent = changes.sent()
    values = {}
    if "title" in sent:
        values["title"] = check_title(changes.title)
    if "cycle_id" in sent:
        values["cycle"] = check_cycle(video.owner, changes.cycle_id)
    if "lesson_date" in sent:
        values["lesson_date"] = check_lesson_date(changes.lesson_date)
        values["lesson_date_source"] = LessonDateSource.OWNER
    for name, limit in LABELS.items():
        if name in sent:
            values[name] = check_label(name, getattr(changes, name), limit)
    for name, value in values.items():
        setattr(video, name, value)
    db.session().flush()  # so video.cycle_id follows video.cycle before the answer reads it


def check_lesson_date(value: date | None) -> date:
    """A day between 2000 and tomorrow (anywhere in the world): not the future, not a typo."""
    latest = utcnow().date() + timedelta(days=1)
    if value is None or not EARLIEST_LESSON <= value <= latest:
        raise ValidationError(
            "Give the day the lesson was taught.",
            {"lesson_date": f"Enter a date from {EARLIEST_LESSON:%d %b %Y} to today."},
        )
    return value


def check_label(name: str, value: str | None, limit: int) -> str | None:
    """Blank clears the label; anything else is kept as typed, trimmed."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError("That label is too long.", {name: f"Use at most {limit} characters."})
    return value or None
