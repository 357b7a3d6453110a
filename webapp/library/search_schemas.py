"""The search API's query and answer (GET /api/v1/search)."""

from typing import Literal

from pydantic import Field

from webapp.library.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY
from webapp.schemas import Out, Query


class SearchQuery(Query):
    q: str = Field(
        "",
        max_length=MAX_QUERY,
        description='Words to find (all of them); "quoted words" together, `or` between '
        "alternatives, -word to exclude. Blank finds nothing.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="At most this many hits")


class SearchHit(Out):
    video_id: int
    video_title: str
    owner_name: str
    kind: Literal["title", "note", "transcript"]
    snippet: str = Field(
        description="HTML: the matched text, escaped, its matched words in <mark> elements"
    )
    start_ms: int | None = Field(description="The moment of the note or words; null for a title")
    rank: float = Field(description="Higher is better; comparable within one answer only")
    url: str = Field(description="The lesson's page, at the moment (#t=<ms>) when there is one")


class SearchResults(Out):
    """The best hits first, among the lessons and notes I may see (the lists' rule)."""

    hits: list[SearchHit]
