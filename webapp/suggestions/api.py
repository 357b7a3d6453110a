"""JSON API for suggested moments: list a video's, accept one as a note, dismiss one.

A suggestion is its video's (webapp/access.py): whoever may watch the video sees them (404
for anyone else); accepting makes a note, so accepting and dismissing are for whoever may
comment on it (403 for those who may only watch).
"""

from flask import Blueprint
from flask_login import current_user, login_required

from webapp import permissions
from webapp.annotations.schemas import AnnotationOut
from webapp.openapi import operation
from webapp.suggestions import services
from webapp.suggestions.models import Suggestion
from webapp.suggestions.schemas import SuggestedNoteCreate, SuggestionList, SuggestionOut
from webapp.video.models import Video

api = Blueprint("suggestions_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Suggestions"


@api.get("/videos/<int:video_id>/suggestions")
@login_required
@operation(response=SuggestionList, errors=(404,))
def list_suggestions(video_id: int):
    """Moments the lesson's figures suggest noting, in time order, decided ones included.

    Made when the analysis finishes (and again when a turn's speaker is corrected); empty
    until then.
    """
    video = permissions.load(Video, video_id)
    rows = services.of_video(video)
    return SuggestionList(suggestions=[SuggestionOut.model_validate(s) for s in rows])


@api.post("/suggestions/<int:suggestion_id>/accept")
@login_required
@operation(
    body=SuggestedNoteCreate, response=AnnotationOut, status=201, errors=(403, 404, 409, 429)
)
def accept_suggestion(suggestion_id: int, body: SuggestedNoteCreate):
    """Accept a suggestion: it becomes a note at its moment or range, with its evidence and tags.

    409 once it was accepted or dismissed. The note counts against the same limits as any.
    """
    suggestion = permissions.load(Suggestion, suggestion_id, edit=True)
    return AnnotationOut.model_validate(services.accept(suggestion, current_user, body.sent()))


@api.post("/suggestions/<int:suggestion_id>/dismiss")
@login_required
@operation(response=SuggestionOut, errors=(403, 404, 409))
def dismiss_suggestion(suggestion_id: int):
    """Dismiss a suggestion; the video remembers it, and it is not suggested again.

    409 once it was accepted or dismissed.
    """
    suggestion = permissions.load(Suggestion, suggestion_id, edit=True)
    return SuggestionOut.model_validate(services.dismiss(suggestion, current_user))
