"""Who may see and change what (DESIGN §4), each rule written once, as SQL.

Lists, pages, exports, evidence, summaries and aggregates take their rows through these
expressions; the `can_*` answers for one object apply the same rule to it, part by part, each
part asked of the database once per request. Models hold data, not permissions, so no model
imports another feature to answer a permission question. webapp/permissions.py turns a "no"
into 404 or 403.
"""

from flask import g, has_request_context
from sqlalchemy import exists, false, or_, select

from webapp import db
from webapp.annotations.models import Annotation
from webapp.coaching.models import Cycle, Goal, Pairing, PairingStatus
from webapp.sharing.models import Permission, Share, active_share_clause
from webapp.suggestions.models import Suggestion
from webapp.video.models import Video

# Coaching ------------------------------------------------------------------


def coaching_clause(coach_id, teacher_id):
    """SQL: an active pairing of the coach with the teacher, which only the teacher can accept."""
    return (
        (Pairing.coach_id == coach_id)
        & (Pairing.teacher_id == teacher_id)
        & (Pairing.status == PairingStatus.ACTIVE)
    )


def coached_teachers(user):
    """SQL: the ids of the teachers who have accepted `user` as their coach."""
    return select(Pairing.teacher_id).where(
        Pairing.coach_id == user.id, Pairing.status == PairingStatus.ACTIVE
    )


def is_coaching(user, teacher_id: int) -> bool:
    """Whether `user` coaches the teacher now: the basis of every coach's access."""
    if not user.is_authenticated or user.id == teacher_id:
        return False
    return _answer(("coaching", user.id, teacher_id), coaching_clause(user.id, teacher_id))


# Videos --------------------------------------------------------------------


def video_clause(user, *, comment: bool = False):
    """SQL: the videos `user` may watch, or comment on: their own, their accepted teachers',
    and those shared with them (for comments, when asked)."""
    if not user.is_authenticated:
        return false()
    return or_(
        Video.owner_id == user.id,
        Video.owner_id.in_(coached_teachers(user)),
        Video.id.in_(_shared_with(user, comment)),
    )


def _shared_with(user, comment: bool):
    """SQL: the ids of the videos an active share gives `user` (to comment on, if asked)."""
    shared = select(Share.video_id).where(Share.user_id == user.id, active_share_clause())
    return shared.where(Share.permission == Permission.COMMENT) if comment else shared


def can_view_video(user, video: Video, *, comment: bool = False) -> bool:
    """`video_clause` for one video, part by part: the coaching answer serves every video of
    the same teacher in a request, and one share lookup both viewing and commenting."""
    if not user.is_authenticated:
        return False
    if user.id == video.owner_id or is_coaching(user, video.owner_id):
        return True
    permission = share_permission(user, video)
    return permission is not None and (not comment or permission == Permission.COMMENT)


def share_permission(user, video: Video) -> str | None:
    """The permission an active share gives `user` on the video (None: none), once a request."""
    answers = g.setdefault("access_answers", {}) if has_request_context() else {}
    key = ("share", user.id, video.id)
    if key not in answers:
        query = select(Share.permission).where(
            Share.video_id == video.id, Share.user_id == user.id, active_share_clause()
        )
        answers[key] = db.session().scalar(query)
    return answers[key]


def can_comment(user, video: Video) -> bool:
    """The owner (self-reflection), their accepted coaches, and people shared with to comment."""
    return can_view_video(user, video, comment=True)


def can_edit_video(user, video: Video) -> bool:
    """Only the owner renames, re-files, retries, shares or deletes a video."""
    return user.is_authenticated and user.id == video.owner_id


def can_analyse_video(user, video: Video) -> bool:
    """Running a lesson's analysis again is for the owner and their accepted coaches."""
    if not user.is_authenticated:
        return False
    return user.id == video.owner_id or is_coaching(user, video.owner_id)


def access_of(user, video: Video) -> str:
    """How a non-owner reaches the video, as the owner's audit names it."""
    return "coach" if is_coaching(user, video.owner_id) else "share"


# Notes ---------------------------------------------------------------------


def note_clause(user, *, tombstones: bool = False):
    """SQL: the notes `user` may read: on videos they may watch, and `readable_clause`."""
    if not user.is_authenticated:
        return false()
    on_visible_video = Annotation.video_id.in_(select(Video.id).where(video_clause(user)))
    return on_visible_video & readable_clause(user, tombstones=tombstones)


def readable_clause(user, *, tombstones: bool = False):
    """SQL: the note rule alone, for a video already checked: "only me" notes are their
    author's, deleted ones nobody's (`tombstones` keeps them, for pollers to drop)."""
    clause = or_(Annotation.private.is_(False), Annotation.author_id == user.id)
    return clause if tombstones else clause & Annotation.deleted_at.is_(None)


def shared_note_clause():
    """SQL: notes that are part of the conversation (not deleted, not "only me"): the ones
    unread counts and the program's "who wrote" figures look at."""
    return Annotation.deleted_at.is_(None) & Annotation.private.is_(False)


def can_view_note(user, note: Annotation) -> bool:
    """`note_clause` for one note: its video's answer (cached), then the note rule."""
    if note.deleted_at is not None or not can_view_video(user, note.video):
        return False
    return not note.private or user.id == note.author_id


def can_delete_note(user, note: Annotation) -> bool:
    """Only the author deletes what they wrote (even after their share became view-only)."""
    return user.is_authenticated and user.id == note.author_id


def can_change_note(user, note: Annotation) -> bool:
    """Changing text, time or tags is commenting: the author, while they may still comment."""
    return can_delete_note(user, note) and can_comment(user, note.video)


def can_resolve_note(user, note: Annotation) -> bool:
    """Either side of the conversation may mark a thread resolved."""
    return can_view_note(user, note) and can_comment(user, note.video)


# Cycles and goals ------------------------------------------------------------


def cycle_clause(user):
    """SQL: the cycles `user` takes part in: as teacher, or as a coach the teacher has accepted."""
    if not user.is_authenticated:
        return false()
    return or_(
        Cycle.teacher_id == user.id,
        (Cycle.coach_id == user.id) & Cycle.teacher_id.in_(coached_teachers(user)),
    )


def can_view_cycle(user, cycle: Cycle) -> bool:
    if user.is_authenticated and user.id == cycle.teacher_id:
        return True
    return _answer(("cycle", user, cycle.id), cycle_clause(user) & (Cycle.id == cycle.id))


def can_view_goal(user, goal: Goal) -> bool:
    """A goal is its cycle's: a goal of a cycle you cannot see is one that does not exist."""
    return can_view_cycle(user, goal.cycle)


# Suggested moments ------------------------------------------------------------


def can_view_suggestion(user, suggestion: Suggestion) -> bool:
    """A suggestion is its video's figures in words: seen exactly by whoever watches it."""
    return can_view_video(user, suggestion.video)


def can_decide_suggestion(user, suggestion: Suggestion) -> bool:
    """Accepting makes a note, so deciding (accept or dismiss) is commenting."""
    return can_comment(user, suggestion.video)


# What permissions.load asks for each type: (may view, may change). A cycle's and a goal's
# partners may both change them.
POLICIES = {
    Video: (can_view_video, can_edit_video),
    Annotation: (can_view_note, can_delete_note),
    Cycle: (can_view_cycle, can_view_cycle),
    Goal: (can_view_goal, can_view_goal),
    Suggestion: (can_view_suggestion, can_decide_suggestion),
}


def _answer(key: tuple, clause) -> bool:
    """Ask the database whether `clause` holds, once per request for the same question."""
    key = tuple(part.id if hasattr(part, "id") else part for part in key)
    answers = g.setdefault("access_answers", {}) if has_request_context() else {}
    if key not in answers:
        answers[key] = bool(db.session().scalar(select(exists().where(clause))))
    return answers[key]
