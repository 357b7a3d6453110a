import assert from "node:assert/strict";
import { test } from "node:test";

import { splitMatch } from "../../static/js/transcript.js";

test("splitMatch cuts the text around the first match, ignoring case", () => {
  assert.deepEqual(splitMatch("Half of the Strip is shaded", "strip"), [
    "Half of the ",
    "Strip",
    " is shaded",
  ]);
  assert.equal(splitMatch("Half", "quarter"), null);
  assert.equal(splitMatch("Half", ""), null);
});
