"""What a person typed into the search box, as a query each database runs without complaint.

The syntax is PostgreSQL's web search (`websearch_to_tsquery`): words must all appear,
"quoted words" appear together, `or` offers an alternative, `-word` excludes. Everything else
(FTS5 operators such as NEAR( or *, stray quotes, punctuation) is only text, and only its words
count. One parse serves both databases: SQLite gets an FTS5 expression in which every word is
a quoted string, PostgreSQL the parse written back in web-search syntax, so no input can be a
syntax error on either and both read a query alike.
"""

import re
from dataclasses import dataclass

# A "quoted phrase" (its closing quote optional), or a run of anything but spaces.
TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Alternative:
    """Text matching every phrase of `include` and none of `exclude` (a phrase: its words)."""

    include: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]


def parse(text: str) -> list[Alternative]:
    """The alternatives `text` asks for; none when it has no word to look for."""
    groups: list[tuple[list, list]] = [([], [])]
    for match in TOKEN.finditer(text):
        quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            groups.append(([], []))
            continue
        negative = bare is not None and bare.startswith("-") and len(bare) > 1
        words = tuple(word.lower() for word in WORD.findall(quoted if bare is None else bare))
        # A quoted phrase is one term; the words of anything else (NEAR(pizza) are each one.
        terms = [words] if bare is None or negative else [(word,) for word in words]
        groups[-1][1 if negative else 0].extend(term for term in terms if term)
    # Nothing to include leaves nothing to find: an exclusion alone is not a search.
    return [Alternative(tuple(inc), tuple(exc)) for inc, exc in groups if inc]


def _phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'  # \w+ words never hold a quote


def fts5(alternatives: list[Alternative]) -> str:
    """An FTS5 MATCH expression: quoted strings joined by AND, NOT and OR, nothing else."""
    parts = []
    for alternative in alternatives:
        expression = " AND ".join(map(_phrase, alternative.include))
        if alternative.exclude:
            excluded = " OR ".join(map(_phrase, alternative.exclude))
            expression = f"({expression}) NOT ({excluded})"
        parts.append(f"({expression})")
    return " OR ".join(parts)


def websearch(alternatives: list[Alternative]) -> str:
    """The same query in `websearch_to_tsquery` syntax (words only: no NUL byte, no quote)."""
    return " or ".join(
        " ".join([*map(_phrase, a.include), *("-" + _phrase(p) for p in a.exclude)])
        for a in alternatives
    )
