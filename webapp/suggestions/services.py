"""Suggested moments: made from a finished analysis, accepted as notes or dismissed.

Functions flush; callers commit. `refresh` runs when an analysis finishes and when a turn is
corrected; `forget` when an analysis is deleted. A decision (accepted, dismissed) is the
video's for good: regenerating never reopens one, nor offers its moment again.
"""

from sqlalchemy import delete as delete_rows
from sqlalchemy import select, update

from webapp import db
from webapp.analysis.models import AnalysisStatus, LessonAnalysis
from webapp.annotations import review
from webapp.annotations import services as notes
from webapp.annotations.models import Annotation
from webapp.annotations.schemas import AnnotationCreate
from webapp.db import utcnow
from webapp.errors import Conflict
from webapp.suggestions import generation
from webapp.suggestions.models import Suggestion, SuggestionState
from webapp.video.models import Video


def of_video(video: Video) -> list[Suggestion]:
    """The video's suggestions in time order, decided ones too (the caller checked access)."""
    query = (
        select(Suggestion)
        .where(Suggestion.video_id == video.id)
        .order_by(Suggestion.start_ms, Suggestion.id)
    )
    return list(db.session().scalars(query))


def refresh(video: Video, analysis: LessonAnalysis | None) -> list[Suggestion]:
    """Make the video's open suggestions again from its analysis and its cycle's goals.

    Open suggestions still found are updated in place (their ids stay), those no longer
    found go; accepted and dismissed ones stay as they are. An analysis that is not done
    suggests nothing. Returns the video's suggestions.
    """
    existing = {s.key: s for s in of_video(video)}
    decided = {key for key, s in existing.items() if s.state != SuggestionState.OPEN}
    done = analysis is not None and analysis.status == AnalysisStatus.DONE
    picked, tags = _picked(video, analysis, decided) if done else ([], {})
    session = db.session()
    wanted = {c.key for c in picked}
    for key, stale in existing.items():
        if key not in decided and key not in wanted:
            session.delete(stale)
    for candidate in picked:
        row = existing.get(candidate.key)
        if row is None:
            row = Suggestion(video_id=video.id, key=candidate.key)
            session.add(row)
        row.kind, row.start_ms, row.end_ms = candidate.kind, candidate.start_ms, candidate.end_ms
        row.text = candidate.text
        row.move_id, row.goal_id = tags[candidate.kind]
    session.flush()
    return of_video(video)


def _picked(video: Video, analysis: LessonAnalysis, decided: set[str]):
    """The moments to suggest, and each kind's (move id, goal id)."""
    goals = review.cycle_goals(video)
    tags = _tags(video, goals)
    found = generation.candidates(analysis.questions, analysis.turns, generation.long_wait_s(goals))
    first = {kind for kind, (_, goal_id) in tags.items() if goal_id is not None}
    return generation.pick(generation.within(found, video.duration_ms or 0), first, decided), tags


def _tags(video: Video, goals) -> dict:
    """(move id, goal id) for each kind, in the video's framework and cycle."""
    moves = review.video_framework(video).moves
    tags = {}
    for kind in generation.KIND_MOVES:
        move = generation.move_for(kind, moves)
        goal = generation.goal_for(kind, goals, move)
        tags[kind] = (move.id if move else None, goal.id if goal else None)
    return tags


def forget(video: Video) -> None:
    """Delete every suggestion of the video (its analysis is gone); notes made from them stay."""
    db.session().execute(delete_rows(Suggestion).where(Suggestion.video_id == video.id))


def accept(suggestion: Suggestion, actor, changes: dict) -> Annotation:
    """Make the suggestion a note at its moment or range, tagged as suggested.

    `changes` are what the client sent (`SuggestedNoteCreate.sent()`): text, tags or privacy
    to use instead. The note is checked like any other (annotations.services.create).
    """
    _decide(suggestion, actor, SuggestionState.ACCEPTED)
    note = AnnotationCreate(
        body=changes.get("body", suggestion.text),
        start_ms=suggestion.start_ms,
        end_ms=suggestion.end_ms,
        move_id=changes.get("move_id", suggestion.move_id),
        goal_id=changes.get("goal_id", suggestion.goal_id),
        private=changes.get("private", False),
    )
    annotation = notes.create(suggestion.video, actor, note)
    suggestion.annotation_id = annotation.id
    db.session().flush()
    return annotation


def dismiss(suggestion: Suggestion, actor) -> Suggestion:
    """Put the suggestion aside for good: regenerating will not offer it again."""
    _decide(suggestion, actor, SuggestionState.DISMISSED)
    db.session().flush()
    return suggestion


def _decide(suggestion: Suggestion, actor, state: SuggestionState) -> None:
    """One conditional UPDATE, so two people deciding at once make one note, not two, on
    SQLite (no row locks) as on PostgreSQL."""
    session = db.session()
    claimed = session.execute(
        update(Suggestion)
        .where(Suggestion.id == suggestion.id, Suggestion.state == SuggestionState.OPEN)
        .values(state=state, decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(suggestion)
    if not claimed:
        raise Conflict(f"This suggestion was already {suggestion.state}.")
