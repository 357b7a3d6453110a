import assert from "node:assert/strict";
import { test } from "node:test";

import {
  extension,
  humanSize,
  limitsFrom,
  problemWith,
  titleFor,
} from "../../static/js/lib/files.js";

const limits = limitsFrom({ maxBytes: "1048576", extensions: "mov mp4 webm" });
const file = (name, size, type = "") => ({ name, size, type });

test("humanSize words sizes like the server (1024-based)", () => {
  assert.equal(humanSize(1), "1 byte");
  assert.equal(humanSize(512), "512 bytes");
  assert.equal(humanSize(1536), "1.5 KB");
  assert.equal(humanSize(5 * 1024 ** 3), "5.0 GB");
  assert.equal(humanSize(3 * 1024 ** 4), "3072.0 GB");
});

test("limitsFrom reads the upload form's data attributes", () => {
  assert.equal(limits.maxBytes, 1048576);
  assert.deepEqual([...limits.extensions], ["mov", "mp4", "webm"]);
  const loose = limitsFrom({ extensions: ".MOV, .mp4" });
  assert.deepEqual([...loose.extensions], ["mov", "mp4"]);
  assert.equal(loose.maxBytes, 0);
});

test("problemWith refuses empty and oversized files", () => {
  assert.match(problemWith(file("a.mp4", 0), limits), /a\.mp4 is empty/);
  assert.match(problemWith(file("big.mp4", 2 * 1048576), limits), /the limit is 1\.0 MB/);
  assert.equal(problemWith(file("big.mp4", 2 * 1048576), { ...limits, maxBytes: 0 }), null);
});

test("problemWith accepts media by type or by the server's extensions", () => {
  assert.equal(problemWith(file("clip", 10, "video/mp4"), limits), null);
  assert.equal(problemWith(file("voice.bin", 10, "audio/ogg"), limits), null);
  assert.equal(problemWith(file("Lesson.MOV", 10), limits), null);
  assert.match(problemWith(file("notes.pdf", 10, "application/pdf"), limits), /does not look/);
  assert.match(problemWith(file("clip.mkv", 10), limits), /does not look/);
});

test("extension and titleFor take the file name apart", () => {
  assert.equal(extension("Lesson.Final.MOV"), "mov");
  assert.equal(extension(".hidden"), "");
  assert.equal(titleFor("  Fractions.mp4"), "Fractions");
  assert.equal(titleFor(".mp4"), ".mp4");
  assert.equal(titleFor(`${"x".repeat(300)}.mp4`).length, 200);
});
