import assert from "node:assert/strict";
import { test } from "node:test";

import { percentText, showProgress } from "../../static/js/status.js";

test("percentText shows the API's progress as it is", () => {
  assert.equal(percentText(37), "37%");
  assert.equal(percentText(0), "0%");
  assert.equal(percentText(100), "100%");
});

test("showProgress writes the same percentage into every holder on the page", () => {
  const badge = { textContent: "9%" };
  const notice = { textContent: "19%" };
  const seen = [];
  const root = {
    querySelectorAll(selector) {
      seen.push(selector);
      return [badge, notice];
    },
  };
  showProgress(root, 37);
  assert.deepEqual(seen, ['[data-role="progress"]']);
  assert.equal(badge.textContent, "37%");
  assert.equal(notice.textContent, "37%");
});
