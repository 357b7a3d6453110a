"""A person corrects a turn's speaker, and the lesson figures follow. Functions flush.

Teacher and student are the engine's estimate (who sounds nearer the phone); the owner or a
coach they accepted may say otherwise, one turn at a time. The figures are then computed again
from the stored turns by the engine's own definitions (worker/analysis/stored.py): talk
shares, student turns, the longest monologue, talk per minute, and who spoke after each
question. The questions themselves stay as found (finding them needs the words).

A correction lives in the analysis row only: running the analysis again starts afresh from the
recording, with the engine's estimate and no correction (the audit keeps who corrected what).
"""

from webapp import db
from webapp.analysis.models import AnalysisStatus, LessonAnalysis
from webapp.errors import Conflict, NotFound
from webapp.sharing import audit
from webapp.suggestions import services as suggestions
from webapp.video.models import Video
from worker.analysis.stored import refigure


def correct_turn(video: Video, index: int, speaker: str, actor) -> LessonAnalysis:
    """Set who spoke in turn `index` (0 is the first), recompute the figures and refresh the
    suggested moments. 409 unless the analysis is done; 404 for a turn it does not have."""
    # Locked: two corrections at once both count, and a run finishing meanwhile waits.
    analysis = db.session().get(LessonAnalysis, video.id, with_for_update=True)
    if analysis is None or analysis.status != AnalysisStatus.DONE:
        raise Conflict("Turns can be corrected once the lesson has been analysed.")
    if not 0 <= index < len(analysis.turns):
        raise NotFound(f"This lesson has {len(analysis.turns)} turns; there is no turn {index}.")
    turns = list(analysis.turns)
    was = turns[index]["speaker"]
    turns[index] = {**turns[index], "speaker": speaker, "corrected": True}
    metrics, questions = refigure(
        analysis.duration_ms or 0, analysis.speech, turns, analysis.questions
    )
    # New lists and dicts, not changed ones: a JSON column only notices a new value.
    analysis.turns, analysis.metrics, analysis.questions = turns, metrics, questions
    audit.record(actor, "analysis.turn_corrected", video=video, turn=index,
                 start_ms=turns[index]["start_ms"], speaker=speaker, was=was)  # fmt: skip
    db.session().flush()
    suggestions.refresh(video, analysis)
    return analysis
