"""Search, as JSON (GET /api/v1/search) and as a page (GET /search): thin views over
webapp/library/search.py, which decides what each person may find."""

from itertools import groupby

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.errors import ValidationError
from webapp.library import search as library
from webapp.library.search_schemas import SearchHit, SearchQuery, SearchResults
from webapp.openapi import operation

api = Blueprint("search_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Search"
bp = Blueprint("search", __name__, template_folder="templates")


def hit_url(hit: library.Hit) -> str:
    """The lesson's page, opened at the hit's moment (the review page honours #t=<ms>)."""
    anchor = None if hit.start_ms is None else f"t={hit.start_ms}"
    return url_for("video_pages.show", video_id=hit.video_id, _anchor=anchor)


@api.get("/search")
@login_required
@operation(query=SearchQuery, response=SearchResults)
def search(query: SearchQuery):
    """Search lesson titles, the notes I may read and the words said in lessons.

    Exactly the lessons the lists show me, and of their notes only those I may read. Hits
    are ranked; their snippet is HTML (escaped text, matched words in <mark>).
    """
    hits = library.search(current_user, query.q, limit=query.limit)
    library.mark_shown(hits)
    return SearchResults(hits=[_hit_out(hit) for hit in hits])


def _hit_out(hit: library.Hit) -> SearchHit:
    return SearchHit(**{**vars(hit), "kind": str(hit.kind)}, url=hit_url(hit))


@bp.get("/search")
@login_required
def results():
    """The search page: the hits grouped by lesson, each opening the lesson at its moment."""
    text = request.args.get("q", "")
    try:
        hits = library.search(current_user, text)
    except ValidationError as err:
        return _page(text[: library.MAX_QUERY], [], err.message), 422
    library.mark_shown(hits)
    return _page(text, _by_lesson(hits), None)


def _page(q: str, lessons: list, error: str | None) -> str:
    return render_template("library/search.html", q=q, lessons=lessons, error=error,
                           hit_url=hit_url, max_query=library.MAX_QUERY)  # fmt: skip


def _by_lesson(hits: list[library.Hit]) -> list[tuple[library.Hit, list[library.Hit]]]:
    """Lessons in the order of their best hit; within one, the title, then by moment."""
    order = {}
    for hit in hits:
        order.setdefault(hit.video_id, len(order))
    ranked = sorted(hits, key=lambda h: order[h.video_id])
    grouped = []
    for _, group in groupby(ranked, key=lambda h: h.video_id):
        lesson_hits = sorted(group, key=lambda h: (h.start_ms is not None, h.start_ms or 0))
        grouped.append((lesson_hits[0], lesson_hits))
    return grouped
