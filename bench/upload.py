"""(c) Presigned multipart upload through the API against boto3 upload_file: goal ≥ 0.9."""

import os
import tempfile
import time
from pathlib import Path

from boto3.s3.transfer import TransferConfig

from bench import api, services
from bench.report import Check, Result
from webapp.video.storage import MIB, S3Storage

CHUNK = 16 * MIB
ROUNDS = 2  # each way twice, alternating which goes first; the best of each counts


def random_file(path: Path, size: int) -> Path:
    """Write `size` random bytes (incompressible, like video) in 16 MiB chunks."""
    with open(path, "wb") as f:
        for start in range(0, size, CHUNK):
            f.write(os.urandom(min(CHUNK, size - start)))
    return path


def boto3_upload(svc: services.Services, path: Path, key: str) -> float:
    """Upload with boto3 upload_file (16 MiB parts, 4 at once) on the app's client settings."""
    settings = svc.settings()
    store = S3Storage(settings["S3_ENDPOINT_URL"], services.BUCKET, *services.S3_KEYS, "us-east-1")
    config = TransferConfig(multipart_threshold=CHUNK, multipart_chunksize=CHUNK, max_concurrency=4)
    start = time.perf_counter()
    store.client.upload_file(str(path), services.BUCKET, key, Config=config)
    return time.perf_counter() - start


def best_of_both(svc: services.Services, path: Path) -> tuple[float, api.Upload]:
    """Upload both ways ROUNDS times, alternating the order; return each way's best."""
    app = api.make_app(svc)
    client = app.test_client()
    headers = api.bearer(client)
    boto, presigned = [], []
    for i in range(ROUNDS):
        steps = [
            lambda i=i: boto.append(boto3_upload(svc, path, f"bench/boto3-{i}.bin")),
            lambda: presigned.append(api.presigned_upload(client, headers, path)),
        ]
        for step in steps if i % 2 == 0 else steps[::-1]:
            step()
    return min(boto), min(presigned, key=lambda u: u.completed - u.started)


def run(quick: bool) -> Result:
    """Upload the same file both ways to the same private S3 and compare the best times."""
    size = (256 if quick else 512) * MIB
    with services.running() as svc, tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        path = random_file(Path(tmp) / "lesson.mp4", size)
        baseline, upload = best_of_both(svc, path)
    presigned = upload.completed - upload.started
    mb = size / 1e6
    return Result(
        name="upload",
        title=f"(c) Presigned multipart upload vs boto3 upload_file, {size // MIB} MiB, "
        f"best of {ROUNDS}",
        figures=[
            ("boto3 upload_file: time", baseline, "s"),
            ("presigned parts + complete: time", presigned, "s"),
            ("  of which POST …/upload/complete", upload.completed - upload.parts_done, "s"),
            ("boto3 upload_file: throughput", mb / baseline, "MB/s"),
            ("presigned upload: throughput", mb / presigned, "MB/s"),
        ],
        checks=[Check("throughput presigned / boto3", baseline / presigned, ">=", 0.9)],
    )
