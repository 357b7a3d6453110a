"""JSON API for teachers' feedback on a closed cycle."""

from flask import Blueprint
from flask_login import current_user, login_required

from webapp import permissions
from webapp.coaching.models import Cycle
from webapp.openapi import operation
from webapp.program import feedback
from webapp.program.schemas import FeedbackCreate, FeedbackOut

api = Blueprint("program_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Coaching"


@api.post("/cycles/<int:cycle_id>/feedback")
@login_required
@operation(body=FeedbackCreate, response=FeedbackOut, status=201, errors=(403, 404, 409))
def answer_feedback(cycle_id: int, body: FeedbackCreate):
    """Answer the three questions on a closed cycle's coaching, once (its teacher only).

    The comment reaches the coach only with `share_comment`; the ratings never reach anyone
    one by one: coaches and admins see averages over at least 3 teachers.
    """
    cycle = permissions.load(Cycle, cycle_id)
    ratings = body.model_dump(include=set(feedback.QUESTIONS))
    row = feedback.answer(cycle, current_user, ratings, body.comment, body.share_comment)
    return FeedbackOut.model_validate(row)
