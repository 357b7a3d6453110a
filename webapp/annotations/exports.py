"""Exports: a WebVTT metadata track (one cue per annotation, JSON payload) and a CSV sheet."""

import csv
import io
import json
import unicodedata

import webvtt

from webapp.annotations.models import Annotation
from webapp.annotations.schemas import AnnotationOut
from webapp.coaching.models import Goal, Move
from webapp.schemas import rfc3339

# Spreadsheet programs run cells starting with these as formulas, some after leading spaces,
# and some read the full-width and small forms (U+FF1D, U+FE66, …) as the ASCII ones: NFKC
# folds those, and the minus and hyphen signs it keeps are listed.
FORMULA_START = ("=", "+", "-", "@", "\u2212", "\u2010", "\u2011", "\u2012", "\u2013")


def timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _cue_end(annotation: Annotation, duration_ms: int) -> int:
    """Points show for a second (cues need an end after their start)."""
    if annotation.end_ms is not None:
        return annotation.end_ms
    return max(min(annotation.start_ms + 1000, duration_ms), annotation.start_ms + 1)


def _payload(annotation: Annotation, moves: dict[int, Move], goals: dict[int, Goal]) -> str:
    """The note as the API answers it, with its move and goal spelt out for the player."""
    data = AnnotationOut.model_validate(annotation).model_dump(mode="json")
    move = moves.get(annotation.move_id)
    goal = goals.get(annotation.goal_id)
    data["move"] = {"code": move.code, "name": move.name, "colour": move.colour} if move else None
    data["goal"] = goal.statement if goal else None
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Cue text may not contain "-->", and markup characters are best kept out of it.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_vtt(annotations: list[Annotation], duration_ms: int, moves, goals) -> str:
    track = webvtt.WebVTT()
    for annotation in annotations:
        track.captions.append(
            webvtt.Caption(
                timestamp(annotation.start_ms),
                timestamp(_cue_end(annotation, duration_ms)),
                _payload(annotation, moves, goals),
                identifier=f"annotation-{annotation.id}",
            )
        )
    return track.content


def _cell(value) -> str:
    """The value as text, quoted with a leading ' when a spreadsheet could run it."""
    text = "" if value is None else str(value)
    if text[:1].isspace() or unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_START):
        return "'" + text  # tab, CR, LF and spaces too: they may hide a formula after them
    return text


CSV_COLUMNS = ["id", "parent_id", "start", "end", "start_ms", "end_ms", "author", "role", "kind",
               "move_code", "move", "goal", "body", "private", "resolved", "created_at",
               "link"]  # fmt: skip


def to_csv(annotations: list[Annotation], moves, goals, link_for) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        move, goal = moves.get(a.move_id), goals.get(a.goal_id)
        row = [
            a.id, a.parent_id, timestamp(a.start_ms),
            timestamp(a.end_ms) if a.end_ms is not None else "", a.start_ms, a.end_ms,
            a.author.name, a.author.role, a.kind, move.code if move else "",
            move.name if move else "", goal.statement if goal else "", a.body,
            "yes" if a.private else "no", "yes" if a.resolved_at else "no",
            rfc3339(a.created_at), link_for(a),
        ]  # fmt: skip
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
