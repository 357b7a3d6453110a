"""Search on both databases: what matches (titles, notes, the words said), stemming, hostile
queries, the index following every change, and the API and page around it."""

import pytest

from tests.conftest import bearer
from tests.lesson_analysis.conftest import fake_result

HOSTILE = ['"', '"unclosed', 'NEAR(', "NEAR(fractions pizza, 2)", "*", "fract*", "-", "--",
           "- fractions", "OR", "fractions OR", "OR OR OR", "AND", "NOT fractions", "^pizza",
           "pizza:", "col:pizza", "(((", ")", "{}", "'; DROP TABLE videos; --", "\x00",
           "\x02pizza\x03", "ü ñ 分数 😀", "Ω≈ç√", "pizza \\", "%_%", "&amp; <b>", "x" * 200,
           "a " * 100, '"" "" ""', "-pizza", "pizza -", ":", "+", "\u200b", "''"]  # fmt: skip


@pytest.fixture
def lesson(app, make_user, make_ready_video):
    """A teacher's lesson titled about fractions, and the teacher."""
    teacher = make_user("teacher", name="Ada Teacher")
    return teacher, make_ready_video(teacher, title="Fractions with pizza slices")


def find(app, user, text, **options):
    from webapp.library import search

    with app.app_context():
        return search.search(user, text, **options)


def note(app, video_id, author, body, **extra) -> int:
    from webapp import db
    from webapp.annotations import services
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.video.models import Video

    with app.app_context():
        video = db.session().get(Video, video_id)
        author = db.session().merge(author)
        created = services.create(
            video, author, AnnotationCreate(body=body, **{"start_ms": 12_500, **extra})
        )
        db.session().commit()
        return created.id


def captions(app, video_id, vtt: bytes) -> None:
    from webapp import db
    from webapp.annotations import transcripts
    from webapp.video.models import Video

    with app.app_context():
        transcripts.attach(db.session().get(Video, video_id), vtt, "lesson.vtt")
        db.session().commit()


def analyse(app, video_id, said: str) -> None:
    """Store an analysis result whose transcript says `said` at 1 s, as the job does."""
    from webapp import db
    from webapp.analysis import running
    from webapp.analysis.models import AnalysisStatus, LessonAnalysis

    with app.app_context():
        db.session().merge(
            LessonAnalysis(video_id=video_id, status=AnalysisStatus.RUNNING, run_token="tok")
        )
        db.session().commit()
        assert running.finish(video_id, "tok", fake_result(said))


def kinds(hits) -> list[tuple[str, int | None]]:
    return [(hit.kind, hit.start_ms) for hit in hits]


def test_a_title_matches_with_its_words_marked(app, lesson):
    teacher, video_id = lesson
    [hit] = find(app, teacher, "pizza")
    assert (hit.video_id, hit.kind, hit.start_ms) == (video_id, "title", None)
    assert hit.video_title == "Fractions with pizza slices" and hit.owner_name == "Ada Teacher"
    assert hit.snippet == "Fractions with <mark>pizza</mark> slices"


def test_stemming_finds_other_forms_of_a_word(app, lesson):
    teacher, video_id = lesson
    note(app, video_id, teacher, "One good question about halves")
    assert kinds(find(app, teacher, "questions")) == [("note", 12_500)]
    assert kinds(find(app, teacher, "slice")) == [("title", None)]


def test_a_note_matches_at_its_moment_escaped(app, lesson):
    teacher, video_id = lesson
    note(app, video_id, teacher, "Students <script>alert(1)</script> argued about denominators")
    [hit] = find(app, teacher, "denominator")
    assert (hit.kind, hit.start_ms) == ("note", 12_500)
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>denominators</mark>" in hit.snippet


def test_a_reply_is_a_note_too(app, lesson):
    teacher, video_id = lesson
    parent = note(app, video_id, teacher, "Wait time was short")
    note(app, video_id, teacher, "Agreed, count to five next time", parent_id=parent)
    assert kinds(find(app, teacher, "count five")) == [("note", 12_500)]


def test_uploaded_captions_match_at_the_cue_and_leave_when_deleted(app, client, lesson):
    teacher, video_id = lesson
    vtt = b"WEBVTT\n\n00:01.000 --> 00:02.000\nHello.\n\n00:42.250 --> 00:44.000\n"
    captions(app, video_id, vtt + b"Who can share a strategy & a reason?\n")
    [hit] = find(app, teacher, "strategies")
    assert (hit.kind, hit.start_ms) == ("transcript", 42_250)
    assert hit.snippet == "Who can share a <mark>strategy</mark> &amp; a reason?"
    captions(app, video_id, b"WEBVTT\n\n00:05.000 --> 00:06.000\nNew words only.\n")
    assert find(app, teacher, "strategy") == [] and kinds(find(app, teacher, "words")) == [
        ("transcript", 5000)
    ]
    headers = bearer(client, teacher.email)
    assert client.delete(f"/api/v1/videos/{video_id}/captions", headers=headers).status_code == 204
    assert find(app, teacher, "words") == []


def test_the_analysis_transcript_matches_until_the_analysis_is_deleted(app, client, lesson):
    teacher, video_id = lesson
    analyse(app, video_id, "Why is one eighth smaller than one quarter?")
    [hit] = find(app, teacher, "eighths")
    assert (hit.kind, hit.start_ms) == ("transcript", 1000)
    headers = bearer(client, teacher.email)
    assert client.delete(f"/api/v1/videos/{video_id}/analysis", headers=headers).status_code == 204
    assert find(app, teacher, "eighth") == []


def test_the_title_and_notes_follow_every_change(app, client, lesson):
    teacher, video_id = lesson
    headers = bearer(client, teacher.email)
    note_id = note(app, video_id, teacher, "Lovely turn and talk")
    reply = client.patch(
        f"/api/v1/videos/{video_id}", headers=headers, json={"title": "Ratio tables"}
    )
    assert reply.status_code == 200
    assert find(app, teacher, "pizza") == [] and kinds(find(app, teacher, "ratio")) == [
        ("title", None)
    ]
    reply = client.patch(
        f"/api/v1/annotations/{note_id}", headers=headers, json={"body": "Cold call worked"}
    )
    assert reply.status_code == 200
    assert find(app, teacher, "lovely") == [] and kinds(find(app, teacher, "cold call")) == [
        ("note", 12_500)
    ]
    assert client.delete(f"/api/v1/annotations/{note_id}", headers=headers).status_code == 204
    assert find(app, teacher, "cold") == []
    assert client.delete(f"/api/v1/videos/{video_id}", headers=headers).status_code == 204
    assert find(app, teacher, "ratio") == []


def test_query_syntax_phrases_alternatives_and_exclusions(app, lesson):
    teacher, video_id = lesson
    note(app, video_id, teacher, "The students explained equivalent fractions", start_ms=1000)
    note(app, video_id, teacher, "Fractions explained by the teacher", start_ms=2000)
    assert len(find(app, teacher, "explained fractions")) == 2
    assert kinds(find(app, teacher, '"equivalent fractions"')) == [("note", 1000)]
    assert kinds(find(app, teacher, '"fractions equivalent"')) == []
    assert sorted(kinds(find(app, teacher, "students or teacher"))) == [
        ("note", 1000),
        ("note", 2000),
    ]
    assert kinds(find(app, teacher, "explained -students")) == [("note", 2000)]


def test_ranked_and_limited(app, lesson, make_ready_video):
    teacher, video_id = lesson
    for n in range(5):
        note(app, video_id, teacher, f"pizza {'pizza ' * n}note {n}", start_ms=n * 1000)
    hits = find(app, teacher, "pizza", limit=3)
    assert len(hits) == 3
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "- * ( )", '""'])
def test_nothing_to_look_for_finds_nothing(app, lesson, text):
    teacher, _ = lesson
    assert find(app, teacher, text) == []


def test_hostile_queries_never_fail(app, client, lesson):
    teacher, video_id = lesson
    note(app, video_id, teacher, "pizza NEAR the fractions")
    headers = bearer(client, teacher.email)
    for text in HOSTILE:
        reply = client.get("/api/v1/search", query_string={"q": text}, headers=headers)
        assert reply.status_code == 200, (text, reply.get_json())
        assert client.get("/search", query_string={"q": text}, headers=headers).status_code == 200
    assert kinds(find(app, teacher, "NEAR(pizza")) == [("note", 12_500)]  # words, no operator


def test_an_over_long_query_is_a_clear_422(app, client, lesson):
    teacher, _ = lesson
    headers = bearer(client, teacher.email)
    reply = client.get("/api/v1/search", query_string={"q": "x" * 500}, headers=headers)
    assert reply.status_code == 422
    assert reply.get_json()["error"]["fields"] == {"q": "At most 200 characters."}
    page = client.get("/search", query_string={"q": "y" * 500}, headers=headers)
    assert page.status_code == 422 and "Search for at most 200 characters." in page.get_data(
        as_text=True
    )


def test_the_api_answers_hits_with_links_to_the_moment(app, client, lesson):
    teacher, video_id = lesson
    note(app, video_id, teacher, "Pizza boxes as wholes")
    reply = client.get("/api/v1/search?q=pizza&limit=5", headers=bearer(client, teacher.email))
    assert reply.status_code == 200
    hits = reply.get_json()["hits"]
    assert [(h["kind"], h["url"]) for h in hits] == [
        ("note", f"/videos/{video_id}#t=12500"),
        ("title", f"/videos/{video_id}"),
    ] or [(h["kind"], h["url"]) for h in hits] == [
        ("title", f"/videos/{video_id}"),
        ("note", f"/videos/{video_id}#t=12500"),
    ]
    assert {h["owner_name"] for h in hits} == {"Ada Teacher"}
    assert client.get("/api/v1/search?q=pizza").status_code == 401
    assert (
        client.get("/api/v1/search?limit=0", headers=bearer(client, teacher.email)).status_code
        == 422
    )


def test_the_page_groups_hits_by_lesson(app, client, auth, lesson, make_ready_video):
    teacher, video_id = lesson
    other = make_ready_video(teacher, title="Decimals")
    note(app, video_id, teacher, "Pizza <b>fractions</b>", start_ms=45_000)
    note(app, other, teacher, "Pizza money", start_ms=3_000)
    auth.login(teacher.email)
    html = client.get("/search?q=pizza").get_data(as_text=True)
    assert html.count('<li class="card">') == 2 and "2 lessons found" in html
    assert f'href="/videos/{video_id}#t=45000">0:45' in html
    assert f'href="/videos/{other}#t=3000">0:03' in html
    assert "&lt;b&gt;fractions&lt;/b&gt;" in html and "<b>fractions" not in html
    assert 'role="search"' in html and '<label for="f-q">' in html
    assert "Nothing found" in client.get("/search?q=zebra").get_data(as_text=True)
    assert "found" not in client.get("/search").get_data(as_text=True)


def test_search_is_in_the_api_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit"}
    assert "SearchResults" in document["components"]["schemas"]
