import assert from "node:assert/strict";
import { test } from "node:test";

import {
  bandLayout,
  bandText,
  rovingIndex,
  seconds,
  silences,
  tickLayout,
  tickText,
  turnUrl,
  waitText,
  wordsBetween,
} from "../../static/js/analysis/layout.js";

const TURNS = [
  { start_ms: 1_000, end_ms: 4_000, speaker: "teacher" },
  { start_ms: 7_500, end_ms: 9_500, speaker: "student", corrected: true },
  { start_ms: 9_500, end_ms: 9_500, speaker: "teacher" }, // empty: no band
  { start_ms: 9_800, end_ms: 12_000, speaker: "someone" }, // unknown speaker, past the end
];
const CUES = [
  { start_ms: 1_000, end_ms: 2_500, text: "Why do you think" },
  { start_ms: 2_500, end_ms: 4_000, text: " one half is bigger? " },
  { start_ms: 7_500, end_ms: 9_500, text: "Fewer pieces." },
];

test("bandLayout places each turn as percentages and keeps its index in turns", () => {
  const bands = bandLayout(TURNS, 10_000);
  assert.deepEqual(
    bands.map((b) => [b.index, b.speaker, b.left, b.width, b.corrected]),
    [
      [0, "teacher", 10, 30, false],
      [1, "student", 75, 20, true],
      [3, "unknown", 98, 2, false],
    ],
  );
  assert.equal(bands[2].end_ms, 10_000, "clamped to the lesson");
  assert.deepEqual(bandLayout(TURNS, 0), []);
});

test("tickLayout sorts questions by time and keeps those inside the lesson", () => {
  const questions = [
    { start_ms: 8_000, end_ms: 9_000, text: "Is it?", open: false },
    { start_ms: 1_000, end_ms: 4_000, text: "Why?", open: true },
    { start_ms: 20_000, end_ms: 21_000, text: "Late?", open: false },
  ];
  const ticks = tickLayout(questions, 10_000);
  assert.deepEqual(
    ticks.map((t) => [t.text, t.left, t.index]),
    [
      ["Why?", 10, 1],
      ["Is it?", 80, 0],
    ],
  );
});

test("silences are the gaps between turns of at least a second", () => {
  assert.deepEqual(silences(TURNS.slice(0, 2), 10_000), [
    { start_ms: 0, end_ms: 1_000 },
    { start_ms: 4_000, end_ms: 7_500 },
  ]);
  assert.deepEqual(silences([], 3_000), [{ start_ms: 0, end_ms: 3_000 }]);
});

test("wordsBetween joins the cues that overlap, and cuts long text", () => {
  assert.equal(wordsBetween(CUES, 1_000, 4_000), "Why do you think one half is bigger?");
  assert.equal(wordsBetween(CUES, 3_000, 8_000), "one half is bigger? Fewer pieces.");
  assert.equal(wordsBetween(CUES, 4_000, 7_500), "", "touching is not overlapping");
  assert.equal(wordsBetween(CUES, 0, 10_000, 12), "Why do you…");
});

test("bandText names the speaker, the span and the words", () => {
  const [teacher, student, unknown] = bandLayout(TURNS, 10_000);
  assert.equal(
    bandText(teacher, CUES),
    "Teacher talk, 0:01–0:04 (3.0 s): “Why do you think one half is bigger?”",
  );
  assert.equal(
    bandText(student, CUES),
    "Student talk, 0:07–0:09 (2.0 s) · corrected by hand: “Fewer pieces.”",
  );
  assert.equal(bandText(unknown, CUES), "Speaker not sure, 0:09–0:10 (0.2 s)");
});

test("tickText says open or closed (not just a colour), the wait and who spoke next", () => {
  const open = {
    start_ms: 61_000,
    text: "Why?",
    open: true,
    wait_ms: 4_200,
    next_speaker: "student",
  };
  assert.equal(tickText(open), "Open question at 1:01, waited 4.2 s, then the student: “Why?”");
  const closed = { start_ms: 0, text: "Done?", open: false, wait_ms: null, next_speaker: null };
  assert.equal(tickText(closed), "Closed question at 0:00, nobody spoke after it: “Done?”");
  assert.equal(waitText({ wait_ms: 12_400, next_speaker: "unknown" }), "waited 12 s");
  assert.equal(seconds(400), "0.4 s");
});

test("rovingIndex moves along a row and stops at its ends", () => {
  assert.equal(rovingIndex("ArrowRight", 0, 3), 1);
  assert.equal(rovingIndex("ArrowRight", 2, 3), 2);
  assert.equal(rovingIndex("ArrowLeft", 0, 3), 0);
  assert.equal(rovingIndex("End", 0, 3), 2);
  assert.equal(rovingIndex("Home", 2, 3), 0);
  assert.equal(rovingIndex("Enter", 1, 3), null);
  assert.equal(rovingIndex("ArrowRight", 0, 0), null);
});

test("turnUrl addresses a turn by its position", () => {
  assert.equal(turnUrl("/api/v1/videos/7/analysis", 3), "/api/v1/videos/7/analysis/turns/3");
});
