"""One long lesson, many workers: chunked output matches a single pass, failures end cleanly,
and the dispatcher is fair between teachers. Real Redis, storage and ffmpeg."""

import itertools
import json
import subprocess

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from tests.conftest import bearer
from tests.video.conftest import make_clip, run_jobs, upload_via_api
from webapp import db, queue
from webapp.queue import fetch_job
from webapp.video.models import EncodePart, PartState, Video
from webapp.video.queueing import job_id
from webapp.video.storage import storage


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture(scope="module")
def lesson(tmp_path_factory, binaries):
    """21 s at 30 fps: five 4 s chunks, the last one taking the 1 s tail."""
    path = tmp_path_factory.mktemp("chunks") / "lesson.mp4"
    return make_clip(binaries.ffmpeg, path, seconds=21, size="640x360", fps=30)


def process(app, client, headers, path, chunk_seconds: int) -> dict:
    app.config["LADDER_CHUNK_SECONDS"] = chunk_seconds
    video_id = upload_via_api(client, headers, path)
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "ready", video["error"]
    with app.app_context():
        job = fetch_job(job_id(db.session().get(Video, video_id)))
        assert job.return_value() == ("chunked" if chunk_seconds else "ready")
    return video


def probe_url(binaries, client, headers, url, entries: str, stream: str) -> list[dict]:
    """ffprobe's packets or frames of a published file, fetched through the media gateway."""
    location = client.get(url, headers=headers).headers["Location"]
    out = subprocess.run(
        [binaries.ffprobe, "-v", "error", "-select_streams", stream, "-show_entries", entries,
         "-of", "json", location], capture_output=True, check=True,
    )  # fmt: skip
    return next(iter(json.loads(out.stdout).values()))


def segments(client, headers, video: dict, rung: str) -> list[float]:
    base = video["playback"]["hls"].rsplit("/", 1)[0]
    text = client.get(f"{base}/{rung}/index.m3u8", headers=headers).get_data(as_text=True)
    return [float(line[8:].rstrip(",")) for line in text.splitlines() if line.startswith("#EXTINF")]


def storyboard(binaries, client, headers, video: dict) -> tuple[list[tuple], list[list[int]]]:
    """The thumbs.vtt cues (start, end, tile) and each cue's tile as grey pixels."""
    vtt_url = video["playback"]["thumbnails_vtt"]
    lines = client.get(vtt_url, headers=headers).get_data(as_text=True).splitlines()
    cues = [(line.split(" --> ")[0], line.split(" --> ")[1], lines[i + 1])
            for i, line in enumerate(lines) if " --> " in line]  # fmt: skip
    sheet_url = vtt_url.rsplit("/", 1)[0] + "/thumbs/sprite-0001.jpg"
    location = client.get(sheet_url, headers=headers).headers["Location"]
    ask = [binaries.ffprobe, "-v", "error", "-show_entries", "stream=width", "-of", "csv=p=0"]
    width = int(subprocess.run([*ask, location], capture_output=True, check=True).stdout)
    decode = [binaries.ffmpeg, "-v", "error", "-i", location, "-f", "rawvideo", "-pix_fmt", "gray"]
    grey = subprocess.run([*decode, "-"], capture_output=True, check=True).stdout
    tiles = []
    for _, _, tile in cues:
        assert tile.startswith("thumbs/sprite-0001.jpg#xywh=")
        x, y, w, h = (int(v) for v in tile.split("=")[1].split(","))
        tiles.append([grey[(y + row) * width + x + col] for row in range(h) for col in range(w)])
    return cues, tiles


def test_chunked_outputs_match_a_single_pass(app, client, teacher_headers, binaries, lesson):
    _, headers = teacher_headers
    chunked = process(app, client, headers, lesson, chunk_seconds=4)
    single = process(app, client, headers, lesson, chunk_seconds=0)
    with app.app_context():
        assert db.session().query(EncodePart).count() == 0  # the plan is gone once published
    assert chunked["renditions"] == single["renditions"]
    rungs = [str(r["height"]) for r in single["renditions"]]
    for rung in rungs:
        got, want = (
            segments(client, headers, chunked, rung),
            segments(client, headers, single, rung),
        )
        assert len(got) == len(want)
        assert all(abs(a - b) < 0.034 for a, b in zip(got, want, strict=True))
        assert max(got) <= 4.1  # every segment within the target
    for kind in ("poster", "thumbnails_vtt", "peaks"):
        assert bool(chunked["playback"][kind]) == bool(single["playback"][kind])
    # The chunks' tiles (4 s chunks, so the 5 s marks fall at different places in each) make the
    # single pass's storyboard: the same cues, and each tile the picture at the same moment.
    (cues, tiles), (want_cues, want_tiles) = (storyboard(binaries, client, headers, video)
                                              for video in (chunked, single))  # fmt: skip
    assert cues == want_cues and len(cues) == 5

    def apart(a: list[int], b: list[int]) -> float:
        return sum(abs(p - q) for p, q in zip(a, b, strict=True)) / len(a)

    for i, tile in enumerate(tiles):
        nearest = min(range(len(want_tiles)), key=lambda j: apart(tile, want_tiles[j]))
        assert nearest == i, f"tile {i} looks like the single pass's tile {nearest}"

    def frames(video):
        return probe_url(binaries, client, headers, video["playback"]["mp4"],
                         "packet=pts_time,duration_time", "v:0")  # fmt: skip

    def audio(video):
        return probe_url(binaries, client, headers, video["playback"]["mp4"],
                         "packet=pts_time,duration_time", "a:0")  # fmt: skip

    ours, theirs = frames(chunked), frames(single)
    assert abs(len(ours) - len(theirs)) <= 1  # within one frame of the single pass
    times = sorted(float(p["pts_time"]) for p in ours)
    steps = {round(b - a, 4) for a, b in itertools.pairwise(times)}
    assert steps == {round(1 / 30, 4)}  # continuous: no gap, no duplicated frame at joins
    sound = [(float(p["pts_time"]), float(p["duration_time"])) for p in audio(chunked)]
    gaps = [b[0] - (a[0] + a[1]) for a, b in itertools.pairwise(sound)]
    assert max(abs(g) for g in gaps) < 0.001  # one audio encode: no seam anywhere
    assert abs(sound[-1][0] + sound[-1][1] - times[-1]) < 0.1


def test_a_chunk_that_fails_for_good_fails_the_video_and_leaves_nothing(
    app, client, teacher_headers, lesson
):
    _, headers = teacher_headers
    app.config["LADDER_CHUNK_SECONDS"] = 4
    app.config["VIDEO_CPU_SECONDS_PER_SECOND"] = 0.0001  # every part is over its budget
    video_id = upload_via_api(client, headers, lesson)
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "failed" and "more computer time" in video["error"]
    with app.app_context():
        prefix = db.session().get(Video, video_id).prefix
        left = [k[len(prefix) :] for k in storage().list_keys(prefix)]
        assert db.session().query(EncodePart).count() == 0
    assert [k for k in left if k.startswith(("r", "preview", "quick"))] == []


def test_teachers_take_turns_on_the_queue(app, client, make_user, lesson):
    """Three long uploads of one teacher, then one of another: the parts alternate."""
    app.config["LADDER_CHUNK_SECONDS"] = 4
    busy, other = make_user("teacher"), make_user("teacher")
    for i in range(3):
        upload_via_api(client, bearer(client, busy.email), lesson, title=f"mine {i}")
    upload_via_api(client, bearer(client, other.email), lesson, title="theirs")
    served: dict[int, int] = {}  # part id → its teacher, in the order the parts were done
    while run_one_job(app):
        with app.app_context():
            done = db.session().execute(
                select(EncodePart.id, Video.owner_id)
                .join(Video, Video.id == EncodePart.video_id)
                .where(EncodePart.state == PartState.DONE)
            )
            for part_id, owner in done:
                served.setdefault(part_id, owner)
    order = list(served.values())
    assert len(order) == 4 * 6  # five chunks and the extras, for each lesson
    # Turns, not the order of uploads: theirs began at once, alternating with the busy
    # teacher's, and all of theirs were done within the first twelve parts.
    assert other.id in order[:2] and busy.id in order[:2]
    assert order[:12].count(other.id) == 6


def run_one_job(app) -> bool:
    with app.app_context():
        worker = SimpleWorker([queue.get_queue()], connection=queue.connection(),
                              serializer=queue.SERIALIZER)  # fmt: skip
        return worker.work(burst=True, max_jobs=1)
