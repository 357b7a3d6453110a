"""The printable debrief summary of a video."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from webapp import permissions
from webapp.annotations import review
from webapp.video.models import Video

bp = Blueprint("annotations_pages", __name__, template_folder="templates")


@bp.get("/videos/<int:video_id>/summary")
@login_required
def summary(video_id: int):
    """Goals, notes grouped by goal and move, and next steps, each linking to its moment."""
    video = permissions.load(Video, video_id)
    return render_template(
        "annotations/summary.html", video=video, summary=review.debrief_summary(video, current_user)
    )
