import assert from "node:assert/strict";
import { test } from "node:test";

import { isTyping, shortcutKey } from "../../static/js/lib/keys.js";

const target = (inField) => ({ closest: () => (inField ? {} : null) });
const key = (extra) => ({ key: "k", target: target(false), ...extra });

test("isTyping is true in a form field and with a modifier", () => {
  assert.equal(isTyping(key({})), false);
  assert.equal(isTyping(key({ target: target(true) })), true);
  assert.equal(isTyping(key({ ctrlKey: true })), true);
  assert.equal(isTyping(key({ metaKey: true })), true);
  assert.equal(isTyping(key({ defaultPrevented: true })), true);
  assert.equal(isTyping(key({ target: null })), false);
});

test("isTyping lets one field (the seek bar) keep the shortcuts", () => {
  const scrub = target(true);
  assert.equal(isTyping(key({ target: scrub }), { except: scrub }), false);
  assert.equal(isTyping(key({ target: scrub, altKey: true }), { except: scrub }), true);
});

test("shortcutKey lower-cases letters and keeps named keys", () => {
  assert.equal(shortcutKey({ key: "K" }), "k");
  assert.equal(shortcutKey({ key: " " }), " ");
  assert.equal(shortcutKey({ key: "ArrowLeft" }), "ArrowLeft");
});
