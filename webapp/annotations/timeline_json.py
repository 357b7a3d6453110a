"""A note as JSON text written by the database, for timelines of thousands of notes.

Reading 5,000 rows into Python and encoding them again took most of a timeline request
(about 80 ms); SQLite's `json_object` and PostgreSQL's `json_build_object` write the same
objects in a fraction of that. The shape is the API's `AnnotationOut` (a deleted note is a
`DeletedAnnotation` tombstone of id, deleted and updated_at), and a test validates what each
database writes against those models and holds it equal to their own serialisation.
"""

from itertools import chain

from sqlalchemy import Text, case, cast, func, literal_column

from webapp.annotations.models import Annotation
from webapp.auth.models import User


def note_json(dialect: str):
    """A column expression: each row's note (joined with its author) as JSON text."""
    a = Annotation
    deleted = _flag(dialect, a.deleted_at.is_not(None))
    tombstone = _object(
        dialect, {"id": a.id, "deleted": deleted, "updated_at": _stamp(dialect, a.updated_at)}
    )
    author = _object(dialect, {"id": User.id, "name": User.name, "role": User.role})
    note = _object(
        dialect,
        {
            "id": a.id,
            "video_id": a.video_id,
            "author": author,
            "start_ms": a.start_ms,
            "end_ms": a.end_ms,
            "body": a.body,
            "kind": a.kind,
            "move_id": a.move_id,
            "goal_id": a.goal_id,
            "parent_id": a.parent_id,
            "private": _flag(dialect, a.private),
            "resolved": _flag(dialect, a.resolved_at.is_not(None)),
            "edited": _flag(dialect, a.edited_at.is_not(None)),
            "deleted": deleted,
            "created_at": _stamp(dialect, a.created_at),
            "updated_at": _stamp(dialect, a.updated_at),
        },
    )
    return cast(case((a.deleted_at.is_not(None), tombstone), else_=note), Text)


def _object(dialect: str, fields: dict):
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    # Keys as SQL literals: PostgreSQL cannot type a bound parameter in a variadic "any" call.
    pairs = ((literal_column(f"'{key}'"), value) for key, value in fields.items())
    return build(*chain.from_iterable(pairs))


def _flag(dialect: str, condition):
    """A JSON true/false; SQLite has no boolean type, so it gets JSON text."""
    if dialect == "postgresql":
        return condition
    return func.json(case((condition, "true"), else_="false"))


def _stamp(dialect: str, column):
    """UTC with microseconds and a Z, as the API writes every time (`webapp.schemas.rfc3339`)."""
    if dialect == "postgresql":
        return func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    # SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return func.replace(column, " ", "T").op("||")("Z")
