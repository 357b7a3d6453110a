// What an upload's row says as it goes: the progress line (percent, bytes, speed, time left),
// which milestones screen readers hear, and what a failure leaves. Pure, so node tests it.

import { humanSize } from "../lib/files.js";
import { formatDuration } from "../lib/time.js";

/** With no byte moving for this long, the line says it is waiting rather than guessing a speed. */
const STALLED_MS = 8000;

/** Percent sent, 0–100 (0 for an empty file). */
export function percentOf(sent, size) {
  return size ? Math.min(100, (sent / size) * 100) : 0;
}

/** Bytes per second, smoothed so the speed and time left do not jump about. */
export function smoothSpeed(previous, rate) {
  return previous ? previous * 0.7 + rate * 0.3 : rate;
}

/** "42% · 1.0 MB of 2.4 MB · 3.1 MB/s · about 5 s left"; `stalledMs` since a byte last moved. */
export function progressLine({ percent, sent, size, speed, stalledMs }) {
  const parts = [`${Math.floor(percent)}%`, `${humanSize(sent)} of ${humanSize(size)}`];
  if (stalledMs > STALLED_MS) {
    parts.push("waiting for the network…");
  } else if (speed > 1024) {
    parts.push(`${(speed / 1e6).toFixed(1)} MB/s`);
    const left = (size - sent) / speed;
    if (left > 0.5) parts.push(`about ${formatDuration(left)} left`);
  }
  return parts.join(" · ");
}

/** The quarter (1–3) to announce when `percent` passes one not yet announced, else null. */
export function newQuarter(percent, announced = 0) {
  const quarter = Math.floor(percent / 25);
  return quarter > announced && quarter < 4 ? quarter : null;
}

/**
 * What the row says after `err`: {message, advice, retryable}. Advice tells that parts sent are
 * kept when the video exists and the error is resumable; trying again is worth it after a
 * network or storage failure, not after a refusal.
 */
export function failureReport(err, hasVideo) {
  const message = err?.message || "The upload failed.";
  const advice =
    hasVideo && err?.resumable
      ? " The parts already sent are kept: try again, or choose the same file later to resume."
      : "";
  const retryable = Boolean(err?.resumable || !err?.status || err.status >= 500);
  return { message, advice, retryable };
}
