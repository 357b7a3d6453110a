"""What the review page needs: the framework's moves, the cycle's goals, and unread counts."""

from flask import current_app, url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from webapp import access, db
from webapp.annotations.models import Annotation, AnnotationRead, Kind
from webapp.annotations.services import framework_id_for, visible_annotations
from webapp.coaching import progress
from webapp.coaching.models import Framework, Goal, Move
from webapp.coaching.schemas import MoveList
from webapp.db import utcnow
from webapp.schemas import UserRef
from webapp.video.models import Video

KIND_LABELS = {
    Kind.COMMENT: "Comment",
    Kind.STRENGTH: "Strength",
    Kind.QUESTION: "Question",
    Kind.NEXT_STEP: "Next step",
}


def video_framework(video: Video) -> Framework:
    """The video's framework with all its moves (archived ones too: old notes keep their tag)."""
    query = (
        select(Framework)
        .options(joinedload(Framework.moves))
        .where(Framework.id == framework_id_for(video))
    )
    return db.session().scalars(query).unique().one()


def cycle_goals(video: Video) -> list[Goal]:
    if video.cycle_id is None:
        return []
    query = select(Goal).where(Goal.cycle_id == video.cycle_id).order_by(Goal.position, Goal.id)
    return list(db.session().scalars(query))


def review_context(video: Video, user) -> dict:
    """The review page's start-up data, embedded as JSON (the page polls for changes after)."""
    return {
        "video_id": video.id,
        "duration_ms": video.duration_ms or 0,
        "me": UserRef.model_validate(user).model_dump(),
        "owner_id": video.owner_id,
        "can_annotate": access.can_comment(user, video),
        "can_analyse": access.can_analyse_video(user, video),
        "moves": MoveList.model_validate(video_framework(video)).model_dump(mode="json")["moves"],
        "goals": [{"id": g.id, "statement": g.statement} for g in cycle_goals(video)],
        "kinds": [{"value": k.value, "label": label} for k, label in KIND_LABELS.items()],
        "poll_ms": current_app.config["REVIEW_POLL_MS"],
        "urls": {
            "annotations": url_for("annotations_api.list_annotations", video_id=video.id),
            "read": url_for("annotations_api.mark_read", video_id=video.id),
            "annotation": url_for("annotations_api.update_annotation", annotation_id=0),
            "captions": url_for("annotations_api.put_captions", video_id=video.id),
            "analysis": url_for("analysis_api.get_analysis", video_id=video.id),
            "suggestions": url_for("suggestions_api.list_suggestions", video_id=video.id),
            "accept": url_for("suggestions_api.accept_suggestion", suggestion_id=0),
            "dismiss": url_for("suggestions_api.dismiss_suggestion", suggestion_id=0),
        },
    }


def mark_read(video: Video, user) -> None:
    """Remember that the user has seen everything on this video up to now."""
    session = db.session()
    read = session.get(AnnotationRead, (user.id, video.id))
    if read is None:
        session.add(AnnotationRead(user_id=user.id, video_id=video.id, seen_at=utcnow()))
    else:
        read.seen_at = utcnow()
    session.flush()


def unread_counts(videos: list[Video], user) -> dict[int, int]:
    """Notes by others that the user has not seen, per video, in one query."""
    if not videos:
        return {}
    query = (
        select(Annotation.video_id, func.count(Annotation.id))
        .outerjoin(
            AnnotationRead,
            and_(
                AnnotationRead.video_id == Annotation.video_id,
                AnnotationRead.user_id == user.id,
            ),
        )
        .where(
            Annotation.video_id.in_([v.id for v in videos]),
            Annotation.author_id != user.id,
            access.shared_note_clause(),
            or_(AnnotationRead.seen_at.is_(None), Annotation.created_at > AnnotationRead.seen_at),
        )
        .group_by(Annotation.video_id)
    )
    return dict(db.session().execute(query).all())


def debrief_summary(video: Video, user) -> dict:
    """Threads grouped by goal, then by move, plus the agreed next steps, for printing; each
    measured goal with this lesson's figure (only this lesson's: whoever may read the summary
    may watch the video, not necessarily the rest of the cycle)."""
    moves = {m.id: m for m in video_framework(video).moves}
    goals = cycle_goals(video)
    figures = {
        goal.id: (measure, fig)
        for goal, measure, fig in progress.lesson_figures(video, goals, user)
    }
    notes = visible_annotations(video, user)
    replies: dict[int, list[Annotation]] = {}
    for note in notes:
        if note.parent_id is not None:
            replies.setdefault(note.parent_id, []).append(note)
    threads = [n for n in notes if n.parent_id is None]
    sections = []
    for goal in [*goals, None]:
        in_goal = [t for t in threads if t.goal_id == (goal.id if goal else None)]
        by_move: dict[int | None, list[Annotation]] = {}
        for thread in in_goal:
            by_move.setdefault(thread.move_id, []).append(thread)
        groups = [
            {"move": moves.get(move_id), "threads": items}
            for move_id, items in sorted(by_move.items(), key=lambda kv: _move_order(moves, kv[0]))
        ]
        if goal is not None or groups:
            figure = figures.get(goal.id) if goal else None
            sections.append(
                {"goal": goal, "groups": groups, "count": len(in_goal), "figure": figure}
            )
    return {
        "sections": sections,
        "next_steps": [t for t in threads if t.kind == Kind.NEXT_STEP],
        "replies": replies,
        "kinds": KIND_LABELS,
        "total": len(threads),
    }


def _move_order(moves: dict[int, Move], move_id: int | None) -> tuple:
    """Framework order, untagged notes last."""
    move = moves.get(move_id)
    return (1, 0, 0) if move is None else (0, move.position, move.id)
