"""The suggested moments API's bodies and answers (DESIGN §6, issue "Measure the lesson")."""

from typing import Literal

from pydantic import MISSING, Field

from webapp.annotations.schemas import BODY, MAX_BODY
from webapp.schemas import Body, Id, Out

# models.SuggestionKind and SuggestionState spelt out (tests/test_schema_enums.py).
SuggestionKindValue = Literal["long_wait", "short_wait", "student_talk", "monologue"]
SuggestionStateValue = Literal["open", "accepted", "dismissed"]


class SuggestedNoteCreate(Body):
    """The note accepting a suggestion makes, at its moment or range: send `{}` to take it as
    suggested, or change its text, tags or privacy first."""

    body: str | MISSING = Field(
        MISSING, max_length=MAX_BODY, description=f"{BODY}; the suggestion's text unless sent"
    )
    move_id: Id | MISSING | None = Field(
        MISSING, description="A move of the video's framework, null for none; else the suggested"
    )
    goal_id: Id | MISSING | None = Field(
        MISSING, description="A goal of the video's cycle, null for none; else the suggested"
    )
    private: bool = Field(False, description='"Only me": a note nobody else ever sees')


class SuggestionOut(Out):
    """A moment the lesson's figures suggest noting, with the move and goal it is evidence for."""

    id: int
    kind: SuggestionKindValue
    start_ms: int
    end_ms: int | None = Field(description="Where its range ends; null for a moment")
    text: str = Field(description="The evidence, in words: the note's text when accepted")
    move_id: int | None
    goal_id: int | None
    state: SuggestionStateValue = Field(description="Accepted and dismissed ones stay so")
    annotation_id: int | None = Field(description="The note accepting it made (while it exists)")


class SuggestionList(Out):
    suggestions: list[SuggestionOut]
