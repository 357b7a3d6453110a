import assert from "node:assert/strict";
import { test } from "node:test";

import { draftSpan, pendingSpan } from "../../static/js/review/composer.js";
import { quickMoves } from "../../static/js/review/keyboard.js";

const NO_RANGE = { in: null, out: null };

test("draftSpan notes the moment now when no range is marked", () => {
  assert.deepEqual(draftSpan(NO_RANGE, 4_000), { start_ms: 4_000, end_ms: null });
});

test("draftSpan takes a marked range, or [ up to now once it spans half a second", () => {
  assert.deepEqual(draftSpan({ in: 1_000, out: 3_000 }, 9_000), { start_ms: 1_000, end_ms: 3_000 });
  assert.deepEqual(draftSpan({ in: 1_000, out: null }, 2_000), { start_ms: 1_000, end_ms: 2_000 });
  assert.deepEqual(draftSpan({ in: 1_000, out: null }, 1_500), { start_ms: 1_000, end_ms: null });
});

test("pendingSpan shows the draft's range, or the range being marked, growing with playback", () => {
  assert.equal(pendingSpan(null, NO_RANGE, 5_000), null);
  assert.deepEqual(pendingSpan(null, { in: 1_000, out: null }, 5_000), {
    start: 1_000,
    end: 5_000,
  });
  assert.deepEqual(pendingSpan(null, { in: 1_000, out: 2_000 }, 5_000), {
    start: 1_000,
    end: 2_000,
  });
  assert.equal(pendingSpan(null, { in: 6_000, out: null }, 5_000), null, "played back past [");
  const draft = { start_ms: 1_000, end_ms: 3_000 };
  assert.deepEqual(pendingSpan(draft, { in: 1_000, out: null }, 9_000), {
    start: 1_000,
    end: 3_000,
  });
  assert.equal(pendingSpan({ start_ms: 1_000, end_ms: null }, NO_RANGE, 9_000), null);
});

test("quickMoves maps each quick key, as typed, to its move", () => {
  const moves = [
    { id: 1, quick_key: 1 },
    { id: 2, quick_key: null },
    { id: 3, quick_key: "9" },
  ];
  const byKey = quickMoves(moves);
  assert.deepEqual([...byKey.keys()], ["1", "9"]);
  assert.equal(byKey.get("9").id, 3);
});
