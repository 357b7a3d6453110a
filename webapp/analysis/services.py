"""Lesson analysis operations for the API and the processing job. They flush; callers commit.

A video gets its analysis row when it becomes ready (`video_ready`, connected to the video's
`published` signal, so it runs in the transaction that publishes it), and the job is enqueued
after that commit. Without a row (a
video still processing, or one made ready before analysis existed) `describe` answers what
will happen instead, without writing anything: no GET changes data.
"""

from functools import partial

from flask import current_app
from sqlalchemy import delete as delete_rows

from webapp import db
from webapp.analysis import queueing
from webapp.analysis.models import IN_PROGRESS, AnalysisStatus, LessonAnalysis
from webapp.analysis.queueing import TURNED_OFF
from webapp.annotations import transcripts
from webapp.errors import Conflict
from webapp.library import search_index
from webapp.library.models import CueSource
from webapp.sharing import audit
from webapp.suggestions import services as suggestions
from webapp.transaction import after_commit
from webapp.video.models import PENDING, Status, Video
from webapp.video.processing import published
from webapp.video.storage import storage

NO_AUDIO = "This recording has no audio track."
NOT_ANALYSED = "This lesson has not been analysed: run the analysis to see its figures."
NOT_PROCESSED = "This recording could not be processed, so it cannot be analysed."


def enabled() -> bool:
    return bool(current_app.config["ANALYSIS_ENABLED"])


def find(video: Video) -> LessonAnalysis | None:
    return db.session().get(LessonAnalysis, video.id)


def artefacts_prefix(video: Video) -> str:
    """Where the analysis keeps its stored objects (DESIGN §5)."""
    return f"{video.prefix}analysis/"


@published.connect
def _on_published(video: Video, **_) -> None:
    video_ready(video)


def video_ready(video: Video) -> LessonAnalysis:
    """The video has just become ready: analyse it once that commits (or say why not)."""
    analysis = find(video)
    if analysis is None:
        analysis = LessonAnalysis(video_id=video.id)
        db.session().add(analysis)
    reason = _why_not(video)
    analysis.reset(AnalysisStatus.OFF if reason else AnalysisStatus.PENDING, reason)
    search_index.forget_cues(video.id, CueSource.ANALYSIS)  # the transcript went with it
    db.session().flush()
    if reason is None:
        queueing.enqueue_after_commit(video, analysis)
    return analysis


def _why_not(video: Video) -> str | None:
    if not enabled():
        return TURNED_OFF
    if video.has_audio is False:  # None: not probed (older rows): the job finds out
        return NO_AUDIO
    return None


def describe(video: Video) -> LessonAnalysis:
    """The video's analysis, or an unsaved one saying what will happen (nothing is written)."""
    analysis = find(video)
    if analysis is not None:
        return analysis
    virtual = LessonAnalysis(video_id=video.id)
    if not enabled():
        virtual.reset(AnalysisStatus.OFF, TURNED_OFF)
    elif video.status in PENDING or video.status == Status.UPLOADING:
        virtual.reset(AnalysisStatus.PENDING)  # it runs once the video is ready
    elif video.status == Status.FAILED:
        virtual.reset(AnalysisStatus.OFF, NOT_PROCESSED)
    else:
        virtual.reset(AnalysisStatus.OFF, NOT_ANALYSED)
    return virtual


def rerun(video: Video, actor) -> LessonAnalysis:
    """Analyse the lesson again from its recording; one already waiting or running is left.

    Recorded in the teacher's audit: a coach's re-run replaces the figures the teacher sees.
    """
    if video.status != Status.READY:
        raise Conflict("A lesson can be analysed once its video is ready.")
    if not enabled():
        raise Conflict(TURNED_OFF)
    if video.has_audio is False:
        raise Conflict(NO_AUDIO)
    analysis = find(video)
    if analysis is not None and analysis.status in IN_PROGRESS:
        queueing.enqueue_after_commit(video, analysis)  # a no-op while its job lives
        return analysis
    audit.record(actor, "analysis.rerun", video=video)
    return video_ready(video)


def delete(video: Video, actor) -> None:
    """Remove the analysis, its suggestions, its stored objects and its automatic captions.

    The analysis row goes first, then the video is read again under lock: the order a
    finishing run takes them in (running.finish), so whichever commits second sees the other.
    """
    session = db.session()
    analysis = find(video)
    token = analysis.run_token if analysis is not None else None
    removed = session.execute(
        delete_rows(LessonAnalysis).where(LessonAnalysis.video_id == video.id)
    ).rowcount
    search_index.forget_cues(video.id, CueSource.ANALYSIS)
    session.refresh(video, with_for_update={"of": Video})
    automatic = video.captions_automatic
    if automatic:
        transcripts.detach(video)
    if not (removed or automatic):
        return  # nothing to delete: nothing to record
    suggestions.forget(video)  # notes made from them stay
    queueing.cancel_after_commit(video, token)
    after_commit(partial(storage().delete_prefix, artefacts_prefix(video)))
    audit.record(actor, "analysis.deleted", video=video)
    session.flush()
