import assert from "node:assert/strict";
import { test } from "node:test";

import { span } from "../../static/js/notes-view.js";

test("span shows a moment, or a range with an en dash", () => {
  assert.equal(span({ start_ms: 83_000, end_ms: null }), "1:23");
  assert.equal(span({ start_ms: 83_000, end_ms: 100_500 }), "1:23–1:40");
});
