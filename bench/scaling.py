"""(h) One lesson, many workers: ready time with 1 and with 2 workers, each pinned to one core.

Three runs of the same 1080p recording, each with fresh services: today's single pass on one
worker, the chunked ladder on one worker, and the chunked ladder on two. Pinning (taskset)
makes "a worker" one core, so the scaling is measurable on this 2-core machine.
"""

from bench.media import recording
from bench.playable import served
from bench.report import Check, Result
from worker.media import find_binaries


def ready_time(src, workers: int, chunk_seconds: int) -> float:
    with served(workers, pinned=True, LADDER_CHUNK_SECONDS=str(chunk_seconds)) as app:
        _, times = app.upload_and_watch(src, timeout=3 * 3600)
    return times["ready"]


def run(quick: bool) -> Result:
    # Ten minutes is ten chunks: two workers split them evenly (five minutes gave 3 + 2).
    seconds = 120 if quick else 600
    src = recording(find_binaries(), seconds)
    single = ready_time(src, 1, chunk_seconds=0)
    chunked = ready_time(src, 1, chunk_seconds=60)
    two = ready_time(src, 2, chunk_seconds=60)
    return Result(
        name="scaling",
        title=f"(h) Ready time of a {seconds // 60} min 1080p30 recording, one core per worker",
        figures=[
            ("single pass, 1 worker", single, "s"),
            ("chunked (60 s chunks), 1 worker", chunked, "s"),
            ("chunked (60 s chunks), 2 workers", two, "s"),
            ("scaling 1 → 2 workers", chunked / two, "x"),
            ("chunked / single pass on 1 worker", chunked / single, ""),
        ],
        checks=[
            Check("1 worker / 2 workers", chunked / two, ">=", 1.8),
            Check("chunked / single pass, 1 worker", chunked / single, "<=", 1.10),
        ],
    )
