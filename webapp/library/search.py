"""Search the lessons a person may watch: their titles, the notes they may read, the words said.

`search(user, text)` is the one interface; the SQL inside is each database's own full-text
search. PostgreSQL matches a stored `to_tsvector('english', …)` column (GIN indexed) against
`websearch_to_tsquery` and ranks by `ts_rank`; SQLite matches FTS5 tables (porter stemmer, so
"questions" finds "question" on both) and ranks by bm25. Both index what migration 0015 set up
(webapp/library/search_index.py).

Every row comes through webapp/access.py, exactly as the lists take them: lessons and their
cues by `video_clause`, notes by `note_clause` (never another person's "only me" notes, never a
deleted note's erased text). Each source gives its best `limit` hits, the best `limit` of those
win, and only the winners' snippets are made: marking words is the costly part.
"""

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Integer, cast, func, literal, literal_column, null, select, table, union_all

from webapp import access, db, permissions
from webapp.annotations.models import Annotation
from webapp.errors import ValidationError
from webapp.library import search_query
from webapp.library.models import TranscriptCue
from webapp.video.models import Video

MAX_QUERY = 200
DEFAULT_LIMIT, MAX_LIMIT = 30, 100
# The databases mark matched words with these; the snippet is escaped, then they become <mark>.
START, STOP = "\x02", "\x03"
MARKERS = re.compile(f"([{START}{STOP}])")
# How PostgreSQL's snippets carry < and > past its headline parser (see Postgres.snippets).
LT, GT = "\x01", "\x04"
UNDISGUISE = str.maketrans({LT: "<", GT: ">"})
SNIPPET_WORDS = 18


class Kind(enum.StrEnum):
    TITLE = "title"
    NOTE = "note"
    TRANSCRIPT = "transcript"


@dataclass(frozen=True)
class Hit:
    """A place a lesson matched; `start_ms` is the moment (None for the title)."""

    video_id: int
    video_title: str
    owner_name: str
    kind: Kind
    snippet: Markup
    start_ms: int | None
    rank: float


@dataclass(frozen=True)
class Source:
    """One kind of searchable text, its FTS5 table (SQLite) and who may see its rows."""

    kind: Kind
    model: type
    text: object
    start_ms: object
    fts_table: str
    visible: Callable

    @property
    def id(self):
        return self.model.id

    @property
    def video_id(self):
        return Video.id if self.model is Video else self.model.video_id


def _visible_cues(user):
    return TranscriptCue.video_id.in_(select(Video.id).where(access.video_clause(user)))


SOURCES = (
    Source(Kind.TITLE, Video, Video.title, None, "fts_videos", access.video_clause),
    Source(Kind.NOTE, Annotation, Annotation.body, Annotation.start_ms, "fts_annotations",
           access.note_clause),
    Source(Kind.TRANSCRIPT, TranscriptCue, TranscriptCue.text, TranscriptCue.start_ms,
           "fts_transcript_cues", _visible_cues),
)  # fmt: skip


def search(user, text: str, *, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """The best `limit` places matching `text` that `user` may see, best first.

    Blank text, or text without a word, finds nothing; text over MAX_QUERY characters is
    refused (422) rather than cut, so nobody is shown results for a query they did not type.
    """
    if len(text) > MAX_QUERY:
        raise ValidationError(
            f"Search for at most {MAX_QUERY} characters.", {"q": f"At most {MAX_QUERY} characters."}
        )
    alternatives = search_query.parse(text)
    if not alternatives or not user.is_authenticated:
        return []
    session = db.session()
    dialect = (
        SQLite(alternatives) if session.bind.dialect.name == "sqlite" else Postgres(alternatives)
    )
    ranked = union_all(
        *(select(*best.c) for best in (dialect.best(s, user, limit) for s in SOURCES))
    ).subquery()
    rows = session.execute(
        select(ranked).order_by(ranked.c.score.desc(), ranked.c.kind, ranked.c.ref).limit(limit)
    ).all()
    snippets = {}
    for source in SOURCES:
        ids = [row.ref for row in rows if row.kind == source.kind]
        if ids:
            query = dialect.snippets(source, ids)
            snippets.update(((source.kind, ref), raw) for ref, raw in session.execute(query))
    lessons = _lessons({row.video_id for row in rows})
    return [
        Hit(video_id=row.video_id, video_title=lessons[row.video_id].title,
            owner_name=lessons[row.video_id].owner.name, kind=Kind(row.kind),
            snippet=marked(snippets.get((row.kind, row.ref), "")),
            start_ms=row.start_ms, rank=float(row.score))
        for row in rows
    ]  # fmt: skip


def _lessons(ids: set[int]) -> dict[int, Video]:
    """The hits' lessons with their owners, in one query."""
    if not ids:
        return {}
    return {v.id: v for v in db.session().scalars(select(Video).where(Video.id.in_(ids)))}


def mark_shown(hits: list[Hit]) -> None:
    """A note or the words said are a lesson's content: the owner's audit records the read.

    A title alone is what the lists show, and is not recorded (like the lists).
    """
    for video in _lessons({hit.video_id for hit in hits if hit.kind != Kind.TITLE}).values():
        permissions.mark_read(video)


def marked(raw: str) -> Markup:
    """The database's snippet, escaped, its marked words in <mark> (always balanced)."""
    out, inside = [], False
    for piece in MARKERS.split(raw.translate(UNDISGUISE)):
        if piece not in (START, STOP):
            out.append(str(escape(piece)))
        elif (piece == START) != inside:  # a start opens only when closed, a stop the reverse
            out.append("</mark>" if inside else "<mark>")
            inside = not inside
    return Markup("".join(out) + ("</mark>" if inside else ""))


def _columns(source: Source, score) -> list:
    start = source.start_ms if source.start_ms is not None else cast(null(), Integer)
    return [
        source.id.label("ref"),
        source.video_id.label("video_id"),
        literal(str(source.kind)).label("kind"),
        start.label("start_ms"),
        score.label("score"),
    ]


class SQLite:
    """FTS5: `<table> MATCH expression`, ranked by bm25 (lower is better, so negated)."""

    def __init__(self, alternatives):
        self.expression = search_query.fts5(alternatives)

    def best(self, source: Source, user, limit: int):
        fts, name = (
            table(source.fts_table, literal_column("rowid")),
            literal_column(source.fts_table),
        )
        return (
            select(*_columns(source, -func.bm25(name)))
            .select_from(
                fts.join(source.model, source.id == literal_column(f"{source.fts_table}.rowid"))
            )
            .where(name.op("MATCH")(self.expression), source.visible(user))
            .order_by(func.bm25(name))
            .limit(limit)
            .subquery()
        )

    def snippets(self, source: Source, ids: list[int]):
        name, rowid = literal_column(source.fts_table), literal_column(f"{source.fts_table}.rowid")
        if source.kind == Kind.TITLE:
            mark = func.highlight(name, 0, START, STOP)
        else:
            mark = func.snippet(name, 0, START, STOP, "…", SNIPPET_WORDS)
        return (
            select(rowid, mark)
            .select_from(table(source.fts_table))
            .where(name.op("MATCH")(self.expression), rowid.in_(ids))
        )


# A literal (never a bound parameter), so the planner matches the indexes' expression.
ENGLISH = literal_column("'english'::regconfig")


class Postgres:
    """`fts_vector @@ websearch_to_tsquery(…)` (the stored `to_tsvector('english', text)`),
    ranked by ts_rank."""

    def __init__(self, alternatives):
        self.query = func.websearch_to_tsquery(ENGLISH, search_query.websearch(alternatives))

    def best(self, source: Source, user, limit: int):
        # The stored `to_tsvector('english', text)` column migration 0015 added (not mapped).
        vector = literal_column(f"{source.model.__tablename__}.fts_vector")
        score = func.ts_rank(vector, self.query)
        return (
            select(*_columns(source, score))
            .where(vector.op("@@")(self.query), source.visible(user))
            .order_by(score.desc())
            .limit(limit)
            .subquery()
        )

    def snippets(self, source: Source, ids: list[int]):
        # Whole titles; a window of words round the first match of anything longer. The
        # parser drops what looks like an HTML tag, so angle brackets go in disguised.
        window = f"MaxWords={SNIPPET_WORDS + 6}, MinWords={SNIPPET_WORDS // 2}"
        options = f"StartSel={START}, StopSel={STOP}, " + (
            "HighlightAll=true" if source.kind == Kind.TITLE else window
        )
        text = func.translate(source.text, "<>", LT + GT)
        headline = func.ts_headline(ENGLISH, text, self.query, options)
        return select(source.id, headline).where(source.id.in_(ids))
