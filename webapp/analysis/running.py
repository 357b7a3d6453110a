"""State changes the analysis job makes, each a short transaction of its own (like
webapp/video/processing.py), so the page can watch and a killed worker leaves a row the
reconciler understands.

Every write names the run (`run_token`) in its WHERE clause and checks that a row changed:
a run that was deleted, restarted or reconciled away meanwhile changes nothing, whatever the
database's locking (SQLite has no row locks), and its stored objects are deleted again.
"""

import io
import json
import time
from functools import partial

from flask import current_app
from sqlalchemy import or_, select, update

from webapp import db
from webapp.analysis.models import IN_PROGRESS, AnalysisStatus, LessonAnalysis
from webapp.analysis.queueing import TURNED_OFF
from webapp.annotations import transcripts
from webapp.db import utcnow
from webapp.library import search_index
from webapp.library.models import CueSource
from webapp.suggestions import services as suggestions
from webapp.transaction import after_commit
from webapp.video.models import Video
from webapp.video.storage import storage


class RunCancelled(Exception):
    """The analysis was deleted or started afresh while this run worked: stop quietly."""


def _this_run(video_id: int, token: str, *statuses: AnalysisStatus):
    return (
        LessonAnalysis.video_id == video_id,
        LessonAnalysis.run_token == token,
        LessonAnalysis.status.in_(statuses),
    )


def begin(video_id: int, token: str) -> Video | None:
    """Mark the run `token` running for a new attempt; None when there is nothing to do."""
    session = db.session()
    if not current_app.config["ANALYSIS_ENABLED"]:
        analysis = session.get(LessonAnalysis, video_id)
        if analysis is not None and analysis.run_token == token:
            analysis.reset(AnalysisStatus.OFF, TURNED_OFF)
        session.commit()
        return None
    claimed = session.execute(
        update(LessonAnalysis)
        .where(*_this_run(video_id, token, *IN_PROGRESS))
        .values(
            status=AnalysisStatus.RUNNING,
            progress=0,
            attempt=LessonAnalysis.attempt + 1,
            error=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.rollback()
        return None
    session.commit()
    return session.get(Video, video_id)


def input_key(video: Video) -> str:
    """The smallest stored copy with the lesson's sound: the MP4 rendition, else the source."""
    mp4 = (video.outputs or {}).get("mp4")
    if mp4 and video.output_prefix:
        return video.output_prefix + mp4
    return video.source_key


class ProgressRecorder:
    """Store progress at most every `interval` seconds, in its own short commit; raise
    RunCancelled once the run is no longer the analysis's."""

    def __init__(self, video_id: int, token: str, interval: float = 2.0):
        self.video_id, self.token, self.interval = video_id, token, interval
        self.last, self.value = 0.0, 0

    def __call__(self, percent: float) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and percent < 100:
            return
        self.last = now
        self.value = int(min(max(percent, 0), 99))  # 100 is for done
        session = db.session()
        changed = session.execute(
            update(LessonAnalysis)
            .where(*_this_run(self.video_id, self.token, AnalysisStatus.RUNNING))
            .values(progress=self.value)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if not changed:
            raise RunCancelled(self.video_id)


def finish(video_id: int, token: str, result: dict) -> bool:
    """Store a finished run (the engine's `to_dict()`) and make its transcript the captions.

    False when the run is no longer the analysis's: the result is dropped. The objects are
    written first under names of this run's own, so a run that loses changes nothing stored.
    """
    video = db.session().get(Video, video_id)
    if video is None:
        db.session().rollback()
        return False
    prefix = f"{video.prefix}analysis/"
    result_key, captions_key = f"{prefix}analysis-{token}.json", f"{prefix}captions-{token}.vtt"
    body = json.dumps(result, separators=(",", ":")).encode()
    storage().put_stream(result_key, io.BytesIO(body), "application/json", size_hint=len(body))
    written = [result_key]
    captions = transcripts.automatic_captions(
        [(s["start_ms"], s["end_ms"], s["text"]) for s in result["transcript"]]
    )
    if captions is not None:
        storage().put_stream(captions_key, io.BytesIO(captions.encode()), "text/vtt")
        written.append(captions_key)
    try:
        stored = _store(video_id, token, result, result_key, captions_key if captions else None)
    except BaseException:
        db.session().rollback()
        storage().delete_keys(written)
        raise
    if not stored:
        storage().delete_keys(written)
    return stored


def _store(video_id: int, token: str, result: dict, result_key: str, captions_key: str | None):
    session = db.session()
    # The analysis row first, then the video's: the order deletion takes them in too.
    old_result = session.scalar(
        select(LessonAnalysis.result_key)
        .where(*_this_run(video_id, token, AnalysisStatus.RUNNING))
        .with_for_update()
    )
    claimed = session.execute(
        update(LessonAnalysis)
        .where(*_this_run(video_id, token, AnalysisStatus.RUNNING))
        .values(result_key=result_key, **_figures(result))
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.rollback()
        return False
    obsolete = [old_result] if old_result else []
    words = [(s["start_ms"], s["end_ms"], s["text"]) for s in result["transcript"]]
    search_index.replace_cues(video_id, CueSource.ANALYSIS, words)
    old_captions = session.scalar(
        select(Video.captions_key).where(Video.id == video_id).with_for_update()
    )
    # The teacher's own captions always win; older automatic ones are replaced (or, with no
    # words this time, removed).
    switched = session.execute(
        update(Video)
        .where(Video.id == video_id, or_(Video.captions_key.is_(None), Video.captions_automatic))
        .values(captions_key=captions_key, captions_automatic=captions_key is not None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if switched and old_captions and old_captions != captions_key:
        obsolete.append(old_captions)
    if captions_key and not switched:
        obsolete.append(captions_key)
    video = session.get(Video, video_id, populate_existing=True)
    suggestions.refresh(video, session.get(LessonAnalysis, video_id, populate_existing=True))
    after_commit(partial(storage().delete_keys, obsolete))
    session.commit()
    session.expire_all()
    return True


def _figures(result: dict) -> dict:
    return {
        "status": AnalysisStatus.DONE,
        "error": None,
        "progress": 100,
        "model": result["model"],
        "version": result["version"],
        "language": result["language"],
        "duration_ms": result["duration_ms"],
        "metrics": result["metrics"],
        "questions": result["questions"],
        "turns": result["turns"],
        # The words' timings stay in the stored result: the row keeps what pages show.
        "transcript": [
            {"start_ms": s["start_ms"], "end_ms": s["end_ms"], "text": s["text"]}
            for s in result["transcript"]
        ],
        "speech": result["speech"],
        "notes": list(result.get("notes") or []),
        "finished_at": utcnow(),
    }


def turn_off(video_id: int, token: str, reason: str) -> None:
    """Nothing to analyse (no sound): say so, for good."""
    _end(video_id, token, AnalysisStatus.OFF, reason)


def fail(video_id: int, token: str, reason: str) -> None:
    _end(video_id, token, AnalysisStatus.FAILED, reason)


def requeue_for_retry(video_id: int, token: str) -> None:
    """rq will run the job again: the analysis waits (pending), not "running"."""
    _set(video_id, token, (AnalysisStatus.RUNNING,), status=AnalysisStatus.PENDING, progress=0)


def _end(video_id: int, token: str, status: AnalysisStatus, reason: str) -> None:
    _set(video_id, token, IN_PROGRESS, status=status, error=reason, progress=0,
         finished_at=utcnow(), run_token=None)  # fmt: skip


def _set(video_id: int, token: str, statuses, **values) -> None:
    session = db.session()
    session.rollback()  # whatever the failed attempt left half done
    session.execute(
        update(LessonAnalysis)
        .where(*_this_run(video_id, token, *statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
