import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { forget, remember, remembered, storeKey } from "../../static/js/upload/store.js";

const file = { name: "Lesson.MOV", size: 1234, lastModified: 1714557600000 };

/** A stand-in for the browser's localStorage (node has none). */
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    items,
  };
}

beforeEach(() => {
  globalThis.localStorage = memoryStorage();
});
afterEach(() => {
  delete globalThis.localStorage;
});

test("storeKey tells files apart by name, size and modification time", () => {
  assert.equal(storeKey(file), "debrief.upload:Lesson.MOV:1234:1714557600000");
  assert.notEqual(storeKey({ ...file, size: 1235 }), storeKey(file));
  assert.notEqual(storeKey({ ...file, lastModified: 1 }), storeKey(file));
});

test("a remembered video is found again for the same file until forgotten", () => {
  assert.equal(remembered(file), null);
  remember(file, 42);
  assert.deepEqual(remembered({ ...file }), { videoId: 42, ...file });
  assert.equal(remembered({ ...file, size: 1 }), null);
  forget(file);
  assert.equal(remembered(file), null);
});

test("remembered ignores what it cannot trust", () => {
  localStorage.setItem(storeKey(file), "{not json");
  assert.equal(remembered(file), null);
  localStorage.setItem(storeKey(file), JSON.stringify({ videoId: "42" }));
  assert.equal(remembered(file), null);
});

test("without storage (private mode, or full) uploads still work, without resuming", () => {
  const broken = () => {
    throw new Error("QuotaExceededError");
  };
  globalThis.localStorage = { getItem: broken, setItem: broken, removeItem: broken };
  assert.doesNotThrow(() => remember(file, 42));
  assert.equal(remembered(file), null);
  assert.doesNotThrow(() => forget(file));
});
