"""Bodies and answers of the feedback API."""

from typing import Annotated

from pydantic import Field

from webapp.program.feedback import MAX_COMMENT
from webapp.program.models import RATING_MAX, RATING_MIN
from webapp.schemas import Body, Out, Timestamp

Rating = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]


class FeedbackCreate(Body):
    """The teacher's answer when a cycle has closed: three ratings from 1 to 5."""

    useful: Rating = Field(description="Was the coaching useful to you?")
    safe: Rating = Field(description="Did it feel safe and non-evaluative?")
    would_continue: Rating = Field(description="Would you continue with this coaching?")
    comment: str = Field("", max_length=MAX_COMMENT)
    share_comment: bool = Field(
        False, description="Send the comment to the coach; otherwise nobody else reads it."
    )


class FeedbackOut(Out):
    """The teacher's own answer, as only they see it."""

    cycle_id: int
    useful: int
    safe: int
    would_continue: int
    comment: str
    share_comment: bool
    created_at: Timestamp
