import assert from "node:assert/strict";
import { test } from "node:test";

import {
  failureReport,
  newQuarter,
  percentOf,
  progressLine,
  smoothSpeed,
} from "../../static/js/upload/progress.js";

const MB = 1024 * 1024;

test("percentOf stays within 0–100, and an empty file is at 0", () => {
  assert.equal(percentOf(5 * MB, 20 * MB), 25);
  assert.equal(percentOf(30 * MB, 20 * MB), 100);
  assert.equal(percentOf(0, 0), 0);
});

test("smoothSpeed starts from the first rate, then moves only part of the way", () => {
  assert.equal(smoothSpeed(0, 1000), 1000);
  assert.equal(smoothSpeed(1000, 2000), 1300);
});

test("progressLine gives speed and time left once bytes move", () => {
  const line = progressLine({
    percent: 50.7,
    sent: 10 * MB,
    size: 20 * MB,
    speed: 2e6,
    stalledMs: 0,
  });
  assert.equal(line, "50% · 10.0 MB of 20.0 MB · 2.0 MB/s · about 5 s left");
});

test("progressLine says it waits for the network rather than guess a speed", () => {
  const stalled = { percent: 10, sent: MB, size: 10 * MB, speed: 2e6, stalledMs: 9000 };
  assert.equal(progressLine(stalled), "10% · 1.0 MB of 10.0 MB · waiting for the network…");
  const slow = { ...stalled, speed: 500, stalledMs: 0 };
  assert.equal(progressLine(slow), "10% · 1.0 MB of 10.0 MB");
  const almost = { percent: 99, sent: 10 * MB - 1000, size: 10 * MB, speed: 1e6, stalledMs: 0 };
  assert.equal(progressLine(almost), "99% · 10.0 MB of 10.0 MB · 1.0 MB/s");
});

test("newQuarter announces 25, 50 and 75% once each, never 100%", () => {
  assert.equal(newQuarter(10), null);
  assert.equal(newQuarter(26), 1);
  assert.equal(newQuarter(30, 1), null);
  assert.equal(newQuarter(80, 1), 3, "a quarter skipped by a fast part is not read out");
  assert.equal(newQuarter(100, 3), null);
});

test("failureReport keeps parts only for a resumable failure of a created video", () => {
  const dropped = Object.assign(new Error("Part 2 could not be sent."), { resumable: true });
  const kept = failureReport(dropped, true);
  assert.equal(kept.message, "Part 2 could not be sent.");
  assert.match(kept.advice, /parts already sent are kept/);
  assert.equal(kept.retryable, true);
  assert.equal(failureReport(dropped, false).advice, "");
});

test("failureReport offers another try after network or server trouble, not a refusal", () => {
  const refused = Object.assign(new Error("Too large."), { status: 413 });
  assert.deepEqual(failureReport(refused, false), {
    message: "Too large.",
    advice: "",
    retryable: false,
  });
  assert.equal(failureReport(Object.assign(new Error("x"), { status: 503 }), true).retryable, true);
  assert.equal(failureReport(new Error("offline"), false).retryable, true);
  assert.equal(failureReport(undefined, false).message, "The upload failed.");
});
