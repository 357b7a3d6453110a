import assert from "node:assert/strict";
import { test } from "node:test";

import { cueText, parseTile, tileAt, trackCues } from "../../static/js/lib/vtt.js";

const BASE = "http://example.test/videos/1/media/thumbs.vtt";

test("parseTile reads a storyboard cue and resolves its URL", () => {
  assert.deepEqual(parseTile("thumbs/sprite-0001.jpg#xywh=160,0,160,90", BASE), {
    url: "http://example.test/videos/1/media/thumbs/sprite-0001.jpg",
    x: 160,
    y: 0,
    w: 160,
    h: 90,
  });
  assert.equal(parseTile("thumbs/sprite.jpg", BASE), null);
  assert.equal(parseTile("", BASE), null);
});

test("tileAt finds the tile showing, and keeps the last one past the end", () => {
  const tiles = [
    { start: 0, end: 2, url: "a" },
    { start: 2, end: 4, url: "b" },
  ];
  assert.equal(tileAt(tiles, 0).url, "a");
  assert.equal(tileAt(tiles, 2).url, "b");
  assert.equal(tileAt(tiles, 9).url, "b");
  assert.equal(tileAt([], 1), null);
  assert.equal(tileAt([{ start: 1, end: 2 }], 0.5), null);
});

test("cueText prefers the browser's markup-free text", () => {
  const cue = { text: "<i>raw</i>", getCueAsHTML: () => ({ textContent: " Half  of\nit " }) };
  assert.equal(cueText(cue), "Half of it");
  assert.equal(cueText({ text: "plain  words" }), "plain words");
});

test("trackCues answers null for a track without a source", async () => {
  assert.equal(await trackCues(null), null);
  assert.equal(await trackCues({ src: "", track: { mode: "disabled" } }), null);
});

test("trackCues turns a disabled track on and waits for it to load", async () => {
  const listeners = {};
  const element = {
    src: BASE,
    readyState: 0,
    track: { mode: "disabled", cues: [{ text: "one" }] },
    addEventListener: (type, fn) => {
      listeners[type] = fn;
    },
  };
  const loading = trackCues(element);
  assert.equal(element.track.mode, "hidden");
  listeners.load();
  assert.deepEqual(await loading, [{ text: "one" }]);
});
