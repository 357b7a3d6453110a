"""Object storage on any S3-compatible server, behind a small interface.

Rows record keys, never URLs. Browsers get short-lived presigned URLs; workers copy objects
to local scratch paths. botocore errors become FileNotFoundError or StorageError.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

MIB = 1024 * 1024
STREAM_PART_MIN = 5 * MIB  # the smallest part S3 accepts
MAX_STREAM_PARTS = 9_000  # S3 allows 10,000 parts per upload


class StorageError(RuntimeError):
    """The store failed or was unreachable; usually worth retrying."""


@dataclass(frozen=True)
class StoredPart:
    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str


@dataclass(frozen=True)
class PendingUpload:
    key: str
    upload_id: str
    initiated: datetime


def _translate(err: Exception, key: str = "") -> Exception:
    if isinstance(err, ClientError):
        code = err.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NotFound", "NoSuchUpload"):
            return FileNotFoundError(key or code)
    return StorageError(f"Object storage error for {key or 'request'}: {err}")


class S3Storage:
    def __init__(
        self,
        endpoint_url: str,
        bucket: str,
        access_key: str,
        secret_key: str,
        region: str,
        public_endpoint_url: str = "",
    ):
        # SeaweedFS (and other S3 servers) corrupt uploads with the newer default checksums.
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 5, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        )
        credentials = {
            "aws_access_key_id": access_key,
            "aws_secret_access_key": secret_key,
            "region_name": region,
            "config": config,
        }
        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url, **credentials)
        # Presigned URLs must name the host browsers reach, which may differ from ours.
        self.signer = (
            boto3.client("s3", endpoint_url=public_endpoint_url, **credentials)
            if public_endpoint_url and public_endpoint_url != endpoint_url
            else self.client
        )

    def ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            try:
                self.client.create_bucket(Bucket=self.bucket)
            except ClientError as err:
                if "BucketAlreadyOwnedByYou" not in str(err):
                    raise _translate(err) from err

    # Multipart uploads from browsers -------------------------------------------------

    def start_multipart(self, key: str, content_type: str) -> str:
        try:
            reply = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType=content_type
            )
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err
        return reply["UploadId"]

    def sign_part(self, key: str, upload_id: str, part_number: int, size: int, expires: int) -> str:
        """A URL for one part of exactly `size` bytes: Content-Length is a signed header, so
        S3 refuses (403) a body of any other length."""
        params = {
            "Bucket": self.bucket,
            "Key": key,
            "UploadId": upload_id,
            "PartNumber": part_number,
            "ContentLength": size,
        }
        return self.signer.generate_presigned_url("upload_part", Params=params, ExpiresIn=expires)

    def list_parts(self, key: str, upload_id: str) -> list[StoredPart]:
        parts, marker = [], 0
        while True:
            try:
                reply = self.client.list_parts(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumberMarker=marker
                )
            except (ClientError, BotoCoreError) as err:
                raise _translate(err, key) from err
            parts += [
                StoredPart(p["PartNumber"], p["ETag"].strip('"'), p["Size"])
                for p in reply.get("Parts", [])
            ]
            if not reply.get("IsTruncated"):
                return parts
            marker = reply["NextPartNumberMarker"]

    def complete_multipart(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        body = {
            "Parts": [{"PartNumber": n, "ETag": f'"{etag.strip(chr(34))}"'} for n, etag in parts]
        }
        try:
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload=body
            )
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except (ClientError, BotoCoreError) as err:
            translated = _translate(err, key)
            if not isinstance(translated, FileNotFoundError):
                raise translated from err

    def pending_uploads(self) -> Iterator[PendingUpload]:
        paginator = self.client.get_paginator("list_multipart_uploads")
        try:
            for page in paginator.paginate(Bucket=self.bucket):
                for upload in page.get("Uploads", []):
                    initiated = upload["Initiated"].replace(tzinfo=None)
                    yield PendingUpload(upload["Key"], upload["UploadId"], initiated)
        except (ClientError, BotoCoreError) as err:
            raise _translate(err) from err

    # Whole objects ---------------------------------------------------------------------

    def put_stream(self, key: str, stream: BinaryIO, content_type: str, size_hint: int = 0) -> None:
        """Stream to the store in parts, holding at most two parts in memory.

        boto3 keeps up to ten parts of a non-seekable stream in memory by default (160 MiB at
        16 MiB parts), which alone breaks a web worker's memory budget; two small parts do not.
        """
        part_size = max(STREAM_PART_MIN, -(-size_hint // MAX_STREAM_PARTS))
        config = TransferConfig(
            multipart_chunksize=part_size, multipart_threshold=part_size, max_concurrency=2
        )
        config.max_in_memory_upload_chunks = 2  # s3transfer's setting; boto3 does not pass it
        try:
            self.client.upload_fileobj(
                stream, self.bucket, key, ExtraArgs={"ContentType": content_type}, Config=config
            )
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def upload_file(self, path: Path, key: str, content_type: str) -> None:
        try:
            self.client.upload_file(
                str(path), self.bucket, key, ExtraArgs={"ContentType": content_type}
            )
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def download_file(self, key: str, path: Path) -> None:
        try:
            self.client.download_file(self.bucket, key, str(path))
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def head(self, key: str) -> ObjectInfo:
        try:
            reply = self.client.head_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err
        return ObjectInfo(key, reply["ContentLength"], reply.get("ContentType", ""))

    def put_bytes(self, key: str, body: bytes, content_type: str) -> None:
        """Store a small object (a playlist) in one request."""
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, key) from err

    def list_keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield item["Key"]
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, prefix) from err

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        """The "folders" directly under prefix, e.g. each videos/<uuid>/."""
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/"):
                for item in page.get("CommonPrefixes", []):
                    yield item["Prefix"]
        except (ClientError, BotoCoreError) as err:
            raise _translate(err, prefix) from err

    def delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            try:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})
            except (ClientError, BotoCoreError) as err:
                raise _translate(err, keys[start]) from err

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under `prefix`; returns how many went."""
        if not prefix.endswith("/"):
            raise ValueError("delete_prefix needs a prefix ending in /")
        keys = list(self.list_keys(prefix))
        self.delete_keys(keys)
        return len(keys)

    def presigned_get(
        self,
        key: str,
        expires: int,
        download_name: str | None = None,
        content_type: str | None = None,
    ) -> str:
        params = {"Bucket": self.bucket, "Key": key}
        if download_name:
            params["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
        if content_type:
            params["ResponseContentType"] = content_type
        return self.signer.generate_presigned_url("get_object", Params=params, ExpiresIn=expires)

    def worker_url(self, key: str, expires: int) -> str:
        """A short-lived URL on our own endpoint, for ffmpeg to read an object in ranges."""
        params = {"Bucket": self.bucket, "Key": key}
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires)


def storage() -> S3Storage:
    """The app's store, created once per app."""
    app = current_app
    if "storage" not in app.extensions:
        app.extensions["storage"] = S3Storage(
            app.config["S3_ENDPOINT_URL"],
            app.config["S3_BUCKET"],
            app.config["S3_ACCESS_KEY_ID"],
            app.config["S3_SECRET_ACCESS_KEY"],
            app.config["S3_REGION"],
            app.config["S3_PUBLIC_ENDPOINT_URL"],
        )
    return app.extensions["storage"]
