import assert from "node:assert/strict";
import { test } from "node:test";

import {
  completedParts,
  partCount,
  partLength,
  partsToSend,
  renewAt,
  retryDelay,
  reusableParts,
} from "../../static/js/upload/parts.js";

const MB = 1024 * 1024;

test("a file is cut into whole parts and a shorter last one", () => {
  assert.equal(partCount(25 * MB, 10 * MB), 3);
  assert.equal(partCount(20 * MB, 10 * MB), 2);
  assert.equal(partCount(0, 10 * MB), 1, "an empty file still has one part to complete");
  assert.equal(partLength(1, 25 * MB, 10 * MB), 10 * MB);
  assert.equal(partLength(3, 25 * MB, 10 * MB), 5 * MB);
});

test("reusableParts keeps the whole parts S3 holds and sends short ones again", () => {
  const uploaded = [
    { part_number: 1, size: 10 * MB, etag: '"a"' },
    { part_number: 2, size: 4 * MB, etag: '"cut-off"' },
    { part_number: 3, size: 5 * MB, etag: '"c"' },
    { part_number: 4, size: 5 * MB, etag: '"beyond the end"' },
  ];
  const { etags, bytes } = reusableParts(uploaded, 25 * MB, 10 * MB);
  assert.deepEqual(
    [...etags],
    [
      [1, '"a"'],
      [3, '"c"'],
    ],
  );
  assert.equal(bytes, 15 * MB);
  assert.deepEqual(partsToSend(3, etags), [2]);
  assert.deepEqual(reusableParts(undefined, 25 * MB, 10 * MB).bytes, 0);
});

test("completedParts lists every ETag in part order", () => {
  const etags = new Map([
    [3, '"c"'],
    [1, '"a"'],
    [2, '"b"'],
  ]);
  assert.deepEqual(completedParts(etags), [
    { part_number: 1, etag: '"a"' },
    { part_number: 2, etag: '"b"' },
    { part_number: 3, etag: '"c"' },
  ]);
});

test("retries back off exponentially and URLs renew a minute early", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((attempt) => retryDelay(1000, attempt)),
    [1000, 2000, 4000, 8000, 16000],
  );
  assert.equal(renewAt(500, 900), 500 + 840_000);
  assert.equal(renewAt(0, undefined), 3_540_000, "an hour when the plan does not say");
});
