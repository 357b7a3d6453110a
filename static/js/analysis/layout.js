// The analysis lane as data: where each talk band and question tick sits on the lesson, and the
// words that go with it. Pure (no DOM), so node's test runner covers it.

import { formatTime } from "../lib/time.js";

export const SPEAKERS = { teacher: "Teacher", student: "Student", unknown: "Not sure" };

/** How many characters of the transcript a tooltip shows before it is cut with "…". */
const WORDS_MAX = 220;

const clamp = (ms, durationMs) => Math.max(0, Math.min(ms, durationMs));
const percent = (ms, durationMs) => Number(((100 * ms) / durationMs).toFixed(3));

/** "1:23–1:40" for a stretch of the lesson. */
export function spanText(startMs, endMs) {
  return `${formatTime(startMs / 1000)}–${formatTime(endMs / 1000)}`;
}

/**
 * The talk bands: one per turn that lies in the lesson, with `index` its position in `turns`
 * (what the correction API takes) and left/width as percentages. The gaps are the silences.
 */
export function bandLayout(turns, durationMs) {
  if (!durationMs) return [];
  const bands = [];
  turns.forEach((turn, index) => {
    const start = clamp(turn.start_ms, durationMs);
    const end = clamp(turn.end_ms, durationMs);
    if (end <= start) return;
    bands.push({
      index,
      speaker: SPEAKERS[turn.speaker] ? turn.speaker : "unknown",
      corrected: Boolean(turn.corrected),
      start_ms: start,
      end_ms: end,
      left: percent(start, durationMs),
      width: percent(end - start, durationMs),
    });
  });
  return bands;
}

/** The question ticks, in time order, each at its question's start as a percentage. */
export function tickLayout(questions, durationMs) {
  if (!durationMs) return [];
  return questions
    .map((question, index) => ({ ...question, index }))
    .filter((q) => q.start_ms >= 0 && q.start_ms <= durationMs)
    .sort((a, b) => a.start_ms - b.start_ms)
    .map((q) => ({ ...q, left: percent(q.start_ms, durationMs) }));
}

/** The silences between talk (the lane's gaps), at least `minMs` long, in time order. */
export function silences(turns, durationMs, minMs = 1000) {
  const sorted = [...turns].sort((a, b) => a.start_ms - b.start_ms);
  const gaps = [];
  let reached = 0;
  for (const turn of sorted) {
    if (turn.start_ms - reached >= minMs) gaps.push({ start_ms: reached, end_ms: turn.start_ms });
    reached = Math.max(reached, turn.end_ms);
  }
  if (durationMs - reached >= minMs) gaps.push({ start_ms: reached, end_ms: durationMs });
  return gaps;
}

/** The transcript's words spoken between two moments: the cues overlapping them, cut short. */
export function wordsBetween(cues, startMs, endMs, max = WORDS_MAX) {
  const text = cues
    .filter((cue) => cue.end_ms > startMs && cue.start_ms < endMs)
    .map((cue) => cue.text.trim())
    .filter(Boolean)
    .join(" ");
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** "4.2 s", "12 s": a wait or a turn's length. */
export function seconds(ms) {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** What a band says (its tooltip and its accessible name). */
export function bandText(band, cues) {
  const who = band.speaker === "unknown" ? "Speaker not sure" : `${SPEAKERS[band.speaker]} talk`;
  const head = `${who}, ${spanText(band.start_ms, band.end_ms)} (${seconds(band.end_ms - band.start_ms)})`;
  const words = wordsBetween(cues, band.start_ms, band.end_ms);
  const fixed = band.corrected ? " · corrected by hand" : "";
  return words ? `${head}${fixed}: “${words}”` : `${head}${fixed}`;
}

/** The wait after a question, in words. */
export function waitText(question) {
  if (question.wait_ms == null) return "nobody spoke after it";
  const who = SPEAKERS[question.next_speaker];
  const next = who && question.next_speaker !== "unknown" ? `, then the ${who.toLowerCase()}` : "";
  return `waited ${seconds(question.wait_ms)}${next}`;
}

/** What a tick says (its tooltip and its accessible name). */
export function tickText(question) {
  const kind = question.open ? "Open question" : "Closed question";
  return `${kind} at ${formatTime(question.start_ms / 1000)}, ${waitText(question)}: “${question.text}”`;
}

/** The position to move to in a roving list of `count` items after `key`, or null. */
export function rovingIndex(key, current, count) {
  if (!count) return null;
  const moves = {
    ArrowRight: current + 1,
    ArrowDown: current + 1,
    ArrowLeft: current - 1,
    ArrowUp: current - 1,
    Home: 0,
    End: count - 1,
  };
  if (!(key in moves)) return null;
  return Math.max(0, Math.min(moves[key], count - 1));
}

/** The correction API's URL for the turn at `index`, under the analysis's URL. */
export function turnUrl(analysisUrl, index) {
  return `${analysisUrl}/turns/${index}`;
}
