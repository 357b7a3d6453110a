import assert from "node:assert/strict";
import { test } from "node:test";

import { hashMoment, jumpTarget, noteAt } from "../../static/js/review/playback.js";
import { msAtPointer, tipText } from "../../static/js/review/timeline.js";

const threads = [
  { id: 1, start_ms: 1_000, end_ms: null, body: "A moment" },
  { id: 2, start_ms: 10_000, end_ms: 30_000, body: "A range" },
  { id: 3, start_ms: 12_000, end_ms: null, body: "Inside the range" },
];

test("noteAt finds the latest note covering the moment; a moment lasts five seconds", () => {
  assert.equal(noteAt(threads, 500), null);
  assert.equal(noteAt(threads, 1_000)?.id, 1);
  assert.equal(noteAt(threads, 6_000)?.id, 1);
  assert.equal(noteAt(threads, 6_001), null);
  assert.equal(noteAt(threads, 11_000)?.id, 2);
  assert.equal(noteAt(threads, 13_000)?.id, 3);
  assert.equal(noteAt(threads, 20_000)?.id, 2);
  assert.equal(noteAt([], 0), null);
});

test("jumpTarget skips the note just reached going on, and one just begun going back", () => {
  assert.equal(jumpTarget(threads, 0, 1)?.id, 1);
  assert.equal(jumpTarget(threads, 9_800, 1)?.id, 3, "a note 0.2 s ahead counts as reached");
  assert.equal(jumpTarget(threads, 12_000, 1), null);
  assert.equal(jumpTarget(threads, 12_500, -1)?.id, 2, "the note begun 0.5 s ago is skipped");
  assert.equal(jumpTarget(threads, 13_500, -1)?.id, 3);
  assert.equal(jumpTarget(threads, 1_500, -1), null);
});

test("hashMoment reads #t=<ms> links only", () => {
  assert.equal(hashMoment("#t=83000"), 83_000);
  assert.equal(hashMoment("#t=0"), 0);
  assert.equal(hashMoment("#t=1:23"), null);
  assert.equal(hashMoment("#notes"), null);
  assert.equal(hashMoment(""), null);
});

test("msAtPointer maps the pointer's place on the timeline to a moment", () => {
  const rect = { left: 100, width: 400 };
  assert.equal(msAtPointer(100, rect, 60_000), 0);
  assert.equal(msAtPointer(300, rect, 60_000), 30_000);
  assert.equal(msAtPointer(500, rect, 60_000), 60_000);
});

test("tipText names a note's move, else its kind, or gives the time", () => {
  const lookups = {
    moves: new Map([[4, { name: "Cold call" }]]),
    kinds: new Map([["question", "Question"]]),
  };
  const coded = { start_ms: 83_000, end_ms: null, move_id: 4, kind: "question", body: "Good" };
  assert.equal(tipText(coded, 83_000, lookups), "1:23 · Cold call: Good");
  const plain = { ...coded, move_id: null, end_ms: 90_000, body: "x".repeat(200) };
  assert.equal(tipText(plain, 83_000, lookups), `1:23–1:30 · Question: ${"x".repeat(140)}`);
  assert.equal(tipText(undefined, 83_500, lookups), "1:23");
});
