"""The lesson analysis job (low-priority queue): ids in, figures stored, rq sees failures.

It reads the smallest stored copy with the lesson's sound (the MP4 rendition), runs the pure
engine (worker/analysis) on it in a scratch folder, and stores the result with the service.
What a retry cannot change ends the analysis at once with its reason: no audio track (`off`),
a file ffmpeg refuses or a missing model folder (`failed`). A run deleted or started afresh
meanwhile stops at its next progress report and stores nothing. Anything else raises, so rq
retries with backoff; the failure callback records the reason once no retry is left, and a
killed worker's analysis is found by the reconciler.
"""

import logging
import shutil
import tempfile
from pathlib import Path

from flask import current_app

from webapp.analysis import running
from webapp.analysis.services import NO_AUDIO
from webapp.video.storage import StorageError, storage
from worker.analysis import ModelNotFound, NoAudioTrack, analyse
from worker.ffrun import FFmpegError, FFmpegTimeout
from worker.media import Limits, MediaRejected, find_binaries

log = logging.getLogger(__name__)

MODEL_MISSING = (
    "Lesson analysis is not set up correctly on this server, so this lesson could not be "
    "analysed: ask your program admin to check the speech model (ASR_MODEL). Details: {detail}"
)


def analyse_video(video_id: int, token: str) -> str:
    """Transcribe and measure one ready video's lesson (run `token`), then store the result."""
    with current_app.app_context():
        video = running.begin(video_id, token)
        if video is None:
            return "nothing to do"
        key = running.input_key(video)
        scratch = Path(tempfile.mkdtemp(prefix=f"debrief-analysis-{video_id}-{token}-"))
        try:
            source = scratch / f"lesson{Path(key).suffix.lower() or '.bin'}"
            storage().download_file(key, source)
            result = analyse(
                source,
                model_path=current_app.config["ASR_MODEL"] or None,
                language=current_app.config["ASR_LANGUAGE"],
                binaries=_binaries(),
                limits=Limits(max_seconds=current_app.config["MAX_VIDEO_SECONDS"]),
                on_progress=running.ProgressRecorder(video_id, token),
            )
        except running.RunCancelled:
            return "cancelled"
        except NoAudioTrack:
            running.turn_off(video_id, token, NO_AUDIO)
            return "no audio"
        except MediaRejected as refused:
            running.fail(video_id, token, refused.reason)
            return "rejected"
        except ModelNotFound as missing:
            log.error("Analysis of video %s: %s", video_id, missing)
            running.fail(video_id, token, MODEL_MISSING.format(detail=missing))
            return "no model"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        stored = running.finish(video_id, token, result.to_dict())
        return "done" if stored else "dropped"


def _binaries():
    return find_binaries(
        current_app.config["FFMPEG"] or None, current_app.config["FFPROBE"] or None
    )


def reason_for(exc: BaseException | None) -> str:
    """Turn an internal failure into a sentence a teacher (or their admin) can act on."""
    if isinstance(exc, FFmpegTimeout):
        return (
            "Reading this recording's sound took far longer than it should and was stopped. "
            "Run the analysis again; if it happens again, contact your program admin."
        )
    if isinstance(exc, FFmpegError):
        return (
            "We could not read this recording's sound; the file may be damaged. "
            "Run the analysis again, or upload the recording again."
        )
    if isinstance(exc, (StorageError, OSError)):
        return (
            "Storage was unavailable while analysing this lesson. "
            "Run the analysis again in a few minutes."
        )
    if isinstance(exc, MemoryError):
        return (
            "The analysis ran out of memory. Ask your program admin to give the workers more "
            "memory or use a smaller speech model, then run it again."
        )
    return (
        "The analysis failed unexpectedly. Run it again; if it happens again, contact your "
        "program admin."
    )


def on_analysis_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Called by rq on every failure: wait again while retries remain, else record why."""
    video_id, token = job.args
    with current_app.app_context():
        if job.retries_left:
            running.requeue_for_retry(video_id, token)
        else:
            log.error("Analysis of video %s failed: %r", video_id, exc_value)
            running.fail(video_id, token, reason_for(exc_value))
