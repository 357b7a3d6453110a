"""Annotation rules: times inside the video, tags from its framework and cycle, one reply level.

Functions flush; callers commit.
"""

from datetime import datetime

from sqlalchemy import and_, func, or_, select

from webapp import access, db
from webapp.annotations import limits, timeline_json
from webapp.annotations.models import Annotation, Kind
from webapp.annotations.schemas import MAX_BODY, AnnotationCreate
from webapp.auth.models import User
from webapp.coaching import services as coaching
from webapp.coaching.models import Goal, Move
from webapp.db import utcnow
from webapp.errors import Forbidden, ValidationError
from webapp.video.models import Status, Video


def _visible(query, video: Video, user, since: datetime | None):
    """The notes of a video the caller has checked the user may watch, in time order; with
    `since`, the changes since then, deletions included (as tombstones) for pollers to drop."""
    query = (
        query.where(Annotation.video_id == video.id)
        .where(access.readable_clause(user, tombstones=since is not None))
        .order_by(Annotation.start_ms, Annotation.id)
    )
    return query if since is None else query.where(Annotation.updated_at > since)


def visible_annotations(video: Video, user, since: datetime | None = None) -> list[Annotation]:
    """Everything on the video the user may read, in time order, replies after their parent."""
    return list(db.session().scalars(_visible(select(Annotation), video, user, since)))


def timeline(video: Video, user, since: datetime | None = None) -> bytes:
    """The same notes as one JSON array, each note written by the database (timeline_json)."""
    notes = db.session().scalars(_timeline_query(video, user, since))
    return b"[" + ",".join(notes).encode() + b"]"


def timeline_page(
    video: Video, user, since: datetime | None, after: tuple[int, int] | None, limit: int
) -> tuple[bytes, tuple[int, int] | None]:
    """Up to `limit` notes after the (start_ms, id) key `after`, and the key to continue from."""
    query = _timeline_query(video, user, since).add_columns(Annotation.start_ms, Annotation.id)
    if after is not None:
        start_ms, note_id = after
        query = query.where(
            or_(
                Annotation.start_ms > start_ms,
                and_(Annotation.start_ms == start_ms, Annotation.id > note_id),
            )
        )
    rows = db.session().execute(query.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    body = b"[" + ",".join(row[0] for row in rows).encode() + b"]"
    return body, (rows[-1][1], rows[-1][2]) if more else None


def _timeline_query(video: Video, user, since: datetime | None):
    query = (
        select(timeline_json.note_json(db.session().get_bind().dialect.name))
        .select_from(Annotation)
        .join(User, User.id == Annotation.author_id)
    )
    return _visible(query, video, user, since)


def timeline_version(video: Video) -> str:
    """Changes whenever a note of the video is added, edited, resolved or deleted."""
    count, latest = (
        db.session()
        .execute(
            select(func.count(Annotation.id), func.max(Annotation.updated_at)).where(
                Annotation.video_id == video.id
            )
        )
        .one()
    )
    return f"{count}-{latest.isoformat() if latest else 0}"


def framework_id_for(video: Video) -> int:
    return video.cycle.framework_id if video.cycle else coaching.default_framework().id


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError("Write something first.", {"body": "Required."})
    if len(body) > MAX_BODY:
        raise ValidationError(
            f"Keep notes under {MAX_BODY} characters.", {"body": f"At most {MAX_BODY} characters."}
        )
    return body


def _check_times(video: Video, start_ms: int | None, end_ms: int | None) -> tuple[int, int | None]:
    duration = video.duration_ms or 0
    if start_ms is None:
        raise ValidationError("Say where the note is (start_ms).", {"start_ms": "Required."})
    if not 0 <= start_ms <= duration:
        raise ValidationError(
            "That moment is outside the video.", {"start_ms": f"Between 0 and {duration}."}
        )
    if end_ms is None:
        return start_ms, None
    if end_ms <= start_ms or end_ms > duration:
        raise ValidationError(
            "A range must end after it starts and inside the video.",
            {"end_ms": f"After start_ms and at most {duration}."},
        )
    return start_ms, end_ms


def _check_move(video: Video, move_id: int | None) -> int | None:
    if move_id is None:
        return None
    move = db.session().get(Move, move_id)
    if move is None or move.framework_id != framework_id_for(video):
        raise ValidationError(
            "Choose a move from this video's framework.", {"move_id": "Not in this framework."}
        )
    return move.id


def _check_goal(video: Video, goal_id: int | None) -> int | None:
    if goal_id is None:
        return None
    goal = db.session().get(Goal, goal_id)
    if goal is None or video.cycle_id is None or goal.cycle_id != video.cycle_id:
        raise ValidationError(
            "Choose a goal of this video's coaching cycle.", {"goal_id": "Not in this cycle."}
        )
    return goal.id


def create(video: Video, author, note: AnnotationCreate) -> Annotation:
    """Add an annotation or, with parent_id, a reply to one."""
    if not access.can_comment(author, video):
        raise Forbidden("You can watch this video but not comment on it.")
    if video.status != Status.READY:
        raise ValidationError("Annotations can be added once the video is ready.")
    parent = _parent(video, note.parent_id, author)
    annotation = Annotation(video=video, author=author, body=_clean_body(note.body))
    if parent is not None:
        annotation.parent_id = parent.id
        annotation.start_ms, annotation.end_ms = parent.start_ms, parent.end_ms
        annotation.kind = Kind.COMMENT
        annotation.private = parent.private
        parent.updated_at = utcnow()
    else:
        annotation.start_ms, annotation.end_ms = _check_times(video, note.start_ms, note.end_ms)
        annotation.kind = note.kind
        annotation.move_id = _check_move(video, note.move_id)
        annotation.goal_id = _check_goal(video, note.goal_id)
        annotation.private = note.private
    limits.check_can_add(video, author)  # after validation: a refused note uses no slot
    if not annotation.private:  # a private note is no activity the teacher could see
        video.activity_at = utcnow()
    db.session().add(annotation)
    db.session().flush()
    return annotation


def _parent(video: Video, parent_id: int | None, user) -> Annotation | None:
    if parent_id is None:
        return None
    parent = db.session().get(Annotation, parent_id)
    if parent is None or parent.video_id != video.id or not access.can_view_note(user, parent):
        raise ValidationError(
            "That thread does not exist on this video.", {"parent_id": "Unknown."}
        )
    if parent.parent_id is not None:
        raise ValidationError("Reply to the first note of the thread.", {"parent_id": "A reply."})
    return parent


CONTENT = frozenset({"body", "start_ms", "end_ms", "kind", "move_id", "goal_id", "private"})


def update(annotation: Annotation, user, changes: dict) -> None:
    """Edit text, time and tags (the author, while they may comment), or resolve/reopen a thread.

    `changes` holds only what the client sent (`AnnotationUpdate.sent()`), with its types.
    A share downgraded to view-only ends its holder's right to change what they wrote, as it
    ends their right to write more; deleting their own note stays theirs (`delete`).
    """
    if "resolved" in changes:
        if annotation.parent_id is not None or not access.can_resolve_note(user, annotation):
            raise Forbidden("Only threads on videos you take part in can be resolved.")
        annotation.resolved_at = utcnow() if changes["resolved"] else None
    content = CONTENT & changes.keys()
    if content:
        if not access.can_delete_note(user, annotation):
            raise Forbidden("Only the author can change this note.")
        if not access.can_change_note(user, annotation):
            raise Forbidden("You can no longer comment on this video, so this note cannot change.")
        _apply_edit(annotation, changes)
        annotation.edited_at = utcnow()
    annotation.updated_at = utcnow()


def _apply_edit(annotation: Annotation, changes: dict) -> None:
    video = annotation.video
    if "body" in changes:
        annotation.body = _clean_body(changes["body"])
    if annotation.parent_id is not None:
        return  # replies follow their thread's time and tags
    if {"start_ms", "end_ms"} & changes.keys():
        start = changes.get("start_ms", annotation.start_ms)
        end = changes.get("end_ms", annotation.end_ms)
        annotation.start_ms, annotation.end_ms = _check_times(video, start, end)
    if "kind" in changes:
        annotation.kind = changes["kind"]
    if "move_id" in changes:
        annotation.move_id = _check_move(video, changes["move_id"])
    if "goal_id" in changes:
        annotation.goal_id = _check_goal(video, changes["goal_id"])
    if "private" in changes:
        annotation.private = changes["private"]


def delete(annotation: Annotation) -> None:
    """Erase the note and, for a thread, its replies: a tombstone stays for pollers to drop.

    Replies go with their thread because they answer it and mean nothing without it. The
    text and tags are erased now, not merely hidden, so no later query or export can leak them.
    """
    now = utcnow()
    replies = db.session().scalars(select(Annotation).where(Annotation.parent_id == annotation.id))
    for note in [annotation, *replies]:
        note.deleted_at = note.updated_at = now
        note.body, note.move_id, note.goal_id = "", None, None
