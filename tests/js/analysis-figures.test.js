import assert from "node:assert/strict";
import { test } from "node:test";

import {
  figureRows,
  formatPercent,
  formatSeconds,
  isInProgress,
  provenance,
  rerunLabel,
  stateText,
} from "../../static/js/analysis/figures.js";
import {
  emptySuggestions,
  kindLabel,
  openCount,
  replaceSuggestion,
  suggestionUrl,
  visibleSuggestions,
} from "../../static/js/analysis/moments.js";

const METRICS = {
  duration_s: 600, speech_s: 420, silence_s: 180, teacher_talk_s: 260.4, student_talk_s: 159.6,
  student_talk_pct: 38.0, teacher_talk_pct: 62.0, questions: 14, open_questions: 6,
  mean_wait_s: 2.14, median_wait_s: 1.8, wait_ge_3s_pct: 28.57, student_turns: 23,
  longest_teacher_monologue_s: 365, talk_per_minute: [],
}; // prettier-ignore

test("formatPercent rounds, and says — for an undefined share", () => {
  assert.equal(formatPercent(28.57), "29%");
  assert.equal(formatPercent(0), "0%");
  assert.equal(formatPercent(null), "—");
});

test("formatSeconds keeps a decimal under 10 s, then whole seconds, then minutes", () => {
  assert.equal(formatSeconds(0.44), "0.4 s");
  assert.equal(formatSeconds(4.2), "4.2 s");
  assert.equal(formatSeconds(45.4), "45 s");
  assert.equal(formatSeconds(365), "6 min 5 s");
  assert.equal(formatSeconds(null), "—");
});

test("figureRows lists every lesson figure in reading order", () => {
  const rows = figureRows(METRICS);
  assert.deepEqual(
    rows.map((r) => [r.label, r.value, r.detail]),
    [
      ["Student talk", "38%", "2 min 40 s"],
      ["Teacher talk", "62%", "4 min 20 s"],
      ["Questions", "14", ""],
      ["Open questions", "6", "of 14"],
      ["Mean wait time", "2.1 s", "after a question"],
      ["Median wait time", "1.8 s", ""],
      ["Waited ≥ 3 s", "29%", "of questions"],
      ["Student turns", "23", ""],
      ["Longest teacher monologue", "6 min 5 s", ""],
    ],
  );
});

test("figureRows rounds the two talk shares so that they add up to 100", () => {
  const rows = figureRows({ ...METRICS, student_talk_pct: 35.5, teacher_talk_pct: 64.5 });
  assert.deepEqual(
    rows.slice(0, 2).map((r) => r.value),
    ["36%", "64%"],
  );
});

test("figureRows copes with a lesson without talk or questions", () => {
  const quiet = { ...METRICS, student_talk_pct: null, teacher_talk_pct: null, questions: 0,
    open_questions: 0, mean_wait_s: null, median_wait_s: null, wait_ge_3s_pct: null,
    teacher_talk_s: 0, student_talk_s: 0 }; // prettier-ignore
  const values = Object.fromEntries(figureRows(quiet).map((r) => [r.key, [r.value, r.detail]]));
  assert.deepEqual(values.student_talk, ["—", ""]);
  assert.deepEqual(values.open_questions, ["0", ""]);
  assert.deepEqual(values.mean_wait, ["—", "after a question"]);
});

test("stateText tells each state in words, with progress and the error", () => {
  assert.match(stateText({ status: "pending" }), /waiting/);
  assert.match(stateText({ status: "running", progress: 40 }), /40%/);
  assert.equal(
    stateText({ status: "failed", error: "The audio could not be read." }),
    "The analysis failed: The audio could not be read.",
  );
  assert.equal(
    stateText({ status: "off", error: "This recording has no audio track." }),
    "This recording has no audio track.",
  );
  assert.equal(stateText({ status: "done" }), "");
  assert.ok(isInProgress({ status: "running" }) && !isInProgress({ status: "failed" }));
});

test("provenance and the re-run label", () => {
  assert.equal(
    provenance({ status: "done", model: "tiny.en", version: "1.0.0" }),
    "Analysed with tiny.en (analyser 1.0.0).",
  );
  assert.equal(provenance({ status: "running", model: "tiny.en" }), "");
  assert.equal(rerunLabel({ status: "off", updated_at: null }), "Run the analysis");
  assert.equal(
    rerunLabel({ status: "done", updated_at: "2025-01-01T00:00:00Z" }),
    "Run the analysis again",
  );
});

const SUGGESTIONS = [
  { id: 3, kind: "long_wait", start_ms: 9_000, state: "open" },
  { id: 1, kind: "short_wait", start_ms: 2_000, state: "dismissed" },
  { id: 2, kind: "student_talk", start_ms: 2_000, state: "open" },
  { id: 4, kind: "monologue", start_ms: 1_000, state: "accepted" },
];

test("visibleSuggestions lists open ones in time order, dismissed ones when asked", () => {
  assert.deepEqual(
    visibleSuggestions(SUGGESTIONS, false).map((s) => s.id),
    [2, 3],
  );
  assert.deepEqual(
    visibleSuggestions(SUGGESTIONS, true).map((s) => s.id),
    [1, 2, 3],
  );
  assert.equal(openCount(SUGGESTIONS), 2);
});

test("suggestion words and URLs", () => {
  assert.equal(kindLabel("long_wait"), "Long wait");
  assert.equal(kindLabel(null), "Moment");
  assert.equal(
    suggestionUrl("/api/v1/suggestions/0/accept", 120),
    "/api/v1/suggestions/120/accept",
  );
  assert.equal(emptySuggestions([], false), "No suggested moments for this lesson.");
  assert.match(emptySuggestions(SUGGESTIONS.slice(1, 2), false), /dismissed/);
  const next = replaceSuggestion(SUGGESTIONS, { id: 2, state: "accepted", annotation_id: 9 });
  assert.deepEqual(next[2], {
    id: 2,
    kind: "student_talk",
    start_ms: 2_000,
    state: "accepted",
    annotation_id: 9,
  });
  assert.equal(SUGGESTIONS[2].state, "open", "the old list is left as it was");
});
