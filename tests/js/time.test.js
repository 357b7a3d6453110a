import assert from "node:assert/strict";
import { test } from "node:test";

import { formatDuration, formatTime } from "../../static/js/lib/time.js";

test("formatTime shows m:ss, and h:mm:ss from an hour on", () => {
  assert.equal(formatTime(0), "0:00");
  assert.equal(formatTime(4.9), "0:04");
  assert.equal(formatTime(65), "1:05");
  assert.equal(formatTime(3600), "1:00:00");
  assert.equal(formatTime(3725), "1:02:05");
});

test("formatTime treats nonsense as zero", () => {
  for (const value of [NaN, Infinity, -3, undefined]) assert.equal(formatTime(value), "0:00");
});

test("formatDuration words how long is left", () => {
  assert.equal(formatDuration(42.4), "42 s");
  assert.equal(formatDuration(185), "3 min 5 s");
  assert.equal(formatDuration(3720), "1 h 2 min");
  assert.equal(formatDuration(-1), "");
  assert.equal(formatDuration(Infinity), "");
});
