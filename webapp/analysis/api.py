"""JSON API for a lesson's analysis: read it, run it again, delete it.

Access is exactly the video's: whoever may watch the video reads its analysis (404 for
anyone else, admins included); the owner and their accepted coaches may run it again and
correct its turns; only the owner deletes it.
"""

from flask import Blueprint
from flask_login import current_user, login_required

from webapp import access, permissions
from webapp.analysis import corrections, services
from webapp.analysis.schemas import AnalysisOut, TurnUpdate
from webapp.errors import Forbidden
from webapp.openapi import operation
from webapp.video.models import Video

api = Blueprint("analysis_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Analysis"


@api.get("/videos/<int:video_id>/analysis")
@login_required
@operation(response=AnalysisOut, errors=(404,))
def get_analysis(video_id: int):
    """The lesson's transcript, teacher/student turns, questions with wait times and figures.

    Always answers for a video I may watch: `pending` while the video is processing or the
    analysis waits for a worker, `running` (with `progress`), `done`, `failed` or `off`
    (analysis turned off, no audio track, or a lesson made ready before analysis existed),
    with `error` saying why.
    """
    video = permissions.load(Video, video_id)
    return AnalysisOut.model_validate(services.describe(video))


@api.post("/videos/<int:video_id>/analysis")
@login_required
@operation(response=AnalysisOut, status=202, errors=(403, 404, 409))
def rerun_analysis(video_id: int):
    """Analyse the lesson again (the owner, or a coach they accepted).

    The old results are dropped and the analysis waits for a worker (`pending`); one already
    waiting or running is left as it is. 409 while the video is not ready, when it has no
    audio track, or when analysis is turned off.
    """
    video = _load_to_analyse(video_id)
    return AnalysisOut.model_validate(services.rerun(video, current_user))


@api.patch("/videos/<int:video_id>/analysis/turns/<int:index>")
@login_required
@operation(body=TurnUpdate, response=AnalysisOut, errors=(403, 404, 409))
def correct_turn(video_id: int, index: int, body: TurnUpdate):
    """Correct who spoke in a turn (0 is the first); the figures follow.

    The owner, or a coach they accepted. Talk shares, student turns, the longest monologue
    and who answered each question are computed again, and the suggested moments made
    again. The turn is marked `corrected`. 409 unless the analysis is done; a re-run starts
    afresh from the recording, without corrections.
    """
    video = _load_to_analyse(video_id)
    analysis = corrections.correct_turn(video, index, body.speaker, current_user)
    return AnalysisOut.model_validate(analysis)


def _load_to_analyse(video_id: int) -> Video:
    """The video, for the owner or a coach they accepted (403 for other viewers, else 404)."""
    video = permissions.load(Video, video_id)
    if not access.can_analyse_video(current_user, video):
        raise Forbidden("You can view this lesson but not change its analysis.")
    return video


@api.delete("/videos/<int:video_id>/analysis")
@login_required
@operation(status=204, errors=(403, 404))
def delete_analysis(video_id: int):
    """Delete the analysis and its stored results (the owner only).

    Automatic captions made from it go too; captions the teacher uploaded stay.
    """
    video = permissions.load(Video, video_id, edit=True)
    services.delete(video, current_user)
