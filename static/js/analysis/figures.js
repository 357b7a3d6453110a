// The lesson figures and the analysis's state, in words. Pure (no DOM), so node's test runner
// covers it.

import { formatDuration } from "../lib/time.js";

/** How often the page asks again while the analysis waits or runs. */
export const POLL_MS = 3000;

const DASH = "—";

/** "38%" (a share 0–100), "—" when it is undefined (no talk, no questions). */
export function formatPercent(value) {
  return value == null || !Number.isFinite(value) ? DASH : `${Math.round(value)}%`;
}

/** "0.4 s", "4.2 s", "45 s", "6 min 5 s"; "—" when undefined. */
export function formatSeconds(value) {
  if (value == null || !Number.isFinite(value) || value < 0) return DASH;
  if (value < 10) return `${value.toFixed(1)} s`;
  if (value < 60) return `${Math.round(value)} s`;
  return formatDuration(value);
}

const row = (key, label, value, detail = "") => ({ key, label, value, detail });

/** The figures panel's rows: {key, label, value, detail} in reading order. */
export function figureRows(m) {
  const talk = (s) => (s > 0 ? formatSeconds(s) : "");
  // The two shares are read side by side: round one and show the rest, so they add up to 100.
  const student = m.student_talk_pct == null ? null : Math.round(m.student_talk_pct);
  const teacher = student == null ? m.teacher_talk_pct : 100 - student;
  return [
    row("student_talk", "Student talk", formatPercent(student), talk(m.student_talk_s)),
    row("teacher_talk", "Teacher talk", formatPercent(teacher), talk(m.teacher_talk_s)),
    row("questions", "Questions", String(m.questions)),
    row(
      "open_questions",
      "Open questions",
      String(m.open_questions),
      m.questions ? `of ${m.questions}` : "",
    ),
    row("mean_wait", "Mean wait time", formatSeconds(m.mean_wait_s), "after a question"),
    row("median_wait", "Median wait time", formatSeconds(m.median_wait_s)),
    row("wait_ge_3s", "Waited ≥ 3 s", formatPercent(m.wait_ge_3s_pct), "of questions"),
    row("student_turns", "Student turns", String(m.student_turns)),
    row("monologue", "Longest teacher monologue", formatSeconds(m.longest_teacher_monologue_s)),
  ];
}

/** Whether the page should ask again in a moment. */
export function isInProgress(analysis) {
  return analysis.status === "pending" || analysis.status === "running";
}

/** The sentence under the panel's heading for the analysis's state. */
export function stateText(analysis) {
  switch (analysis.status) {
    case "pending":
      return "The analysis is waiting for a free worker. This panel updates by itself.";
    case "running":
      return `Analysing the lesson: ${analysis.progress ?? 0}%. This panel updates by itself.`;
    case "failed":
      return `The analysis failed: ${analysis.error || "no reason was given."}`;
    case "off":
      return analysis.error || "This lesson has not been analysed.";
    default:
      return "";
  }
}

/** "Analysed with tiny.en (analyser 1.0.0)": where the figures came from. */
export function provenance(analysis) {
  if (analysis.status !== "done") return "";
  const parts = [];
  if (analysis.model) parts.push(`Analysed with ${analysis.model}`);
  if (analysis.version) parts.push(`analyser ${analysis.version}`);
  return parts.length === 2 ? `${parts[0]} (${parts[1]}).` : parts.length ? `${parts[0]}.` : "";
}

/** The re-run button's words: "again" only when there has been an analysis. */
export function rerunLabel(analysis) {
  return analysis.status === "off" && !analysis.updated_at
    ? "Run the analysis"
    : "Run the analysis again";
}
