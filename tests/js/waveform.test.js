import assert from "node:assert/strict";
import { test } from "node:test";

import { columnPeaks, usablePeaks } from "../../static/js/player/waveform.js";

test("columnPeaks keeps the extremes of the pairs under each column", () => {
  // Four min/max pairs drawn on two columns.
  const values = [-0.1, 0.2, -0.5, 0.1, -0.2, 0.9, 0, 0.3];
  assert.deepEqual(columnPeaks(values, 2), [
    [-0.5, 0.2],
    [-0.2, 0.9],
  ]);
});

test("columnPeaks stretches few pairs over many columns", () => {
  const columns = columnPeaks([-1, 1], 3);
  assert.equal(columns.length, 3);
  assert.deepEqual(columns[0], [-1, 1]);
});

test("usablePeaks wants at least one pair", () => {
  assert.equal(usablePeaks({ data: [0, 1] }), true);
  assert.equal(usablePeaks({ data: [0] }), false);
  assert.equal(usablePeaks(null), false);
  assert.equal(usablePeaks({ data: "no" }), false);
});
