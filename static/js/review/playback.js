// Following playback on the review page: the playhead on the timeline, the note being played
// highlighted (and scrolled to in the list), previous/next note, and #t=<ms> deep links.

import { span } from "../notes-view.js";

/** How long a moment (a note without an end) counts as playing. */
const MOMENT_MS = 5000;

/** The note playing at `ms` among threads in time order: the latest that covers it, or null. */
export function noteAt(threads, ms) {
  let found = null;
  for (const note of threads) {
    if (note.start_ms > ms) break;
    const end = note.end_ms ?? note.start_ms + MOMENT_MS;
    if (ms <= end) found = note;
  }
  return found;
}

/**
 * The note to jump to from `ms` (direction 1 next, -1 previous), or null. Previous skips a
 * note that began less than a second ago, so pressing it twice does not stay put.
 */
export function jumpTarget(threads, ms, direction) {
  const target =
    direction > 0
      ? threads.find((n) => n.start_ms > ms + 250)
      : [...threads].reverse().find((n) => n.start_ms < ms - 1000);
  return target ?? null;
}

/** The moment of a "#t=<ms>" link, or null. */
export function hashMoment(hash) {
  const match = /^#t=(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/** Follow the video; returns {jump, refollow} (refollow after the list is redrawn). */
export function setUpPlayback(review) {
  const { ui, video, data } = review;
  let current = null; // the id of the highlighted note

  function follow() {
    const t = review.nowMs();
    ui.playhead.style.left = `${(100 * t) / (data.duration_ms || 1)}%`;
    const found = noteAt(review.shown, t);
    if (found?.id === current) return;
    ui.list.querySelector(".note.current")?.classList.remove("current");
    ui.list.querySelector('[aria-current="true"]')?.removeAttribute("aria-current");
    current = found?.id ?? null;
    if (!found) return;
    const item = document.getElementById(`note-${found.id}`);
    if (!item) return;
    item.classList.add("current");
    item.setAttribute("aria-current", "true");
    if (ui.follow.checked && !ui.list.contains(document.activeElement)) scrollIntoList(item);
  }

  /** Scroll the list box (not the page) so the item shows; on phones the list is not a box. */
  function scrollIntoList(item) {
    const box = ui.list;
    if (box.scrollHeight <= box.clientHeight) return;
    const top = item.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - 8);
    }
  }

  function jump(direction) {
    const target = jumpTarget(review.shown, review.nowMs(), direction);
    if (!target) {
      review.say(direction > 0 ? "No later note." : "No earlier note.");
      return;
    }
    review.seekMs(target.start_ms);
    review.say(`${span(target)}: ${target.body.slice(0, 120)}`);
  }

  for (const type of ["timeupdate", "seeked"]) video.addEventListener(type, follow);
  ui.prev.addEventListener("click", () => jump(-1));
  ui.next.addEventListener("click", () => jump(1));
  return {
    jump,
    refollow() {
      current = null;
      follow();
    },
  };
}

/** /videos/<id>#t=<ms> starts at that moment, on load and whenever the hash changes. */
export function followDeepLinks(review) {
  const { video } = review;
  function seekToHash() {
    const ms = hashMoment(location.hash);
    if (ms === null) return;
    const go = () => review.seekMs(ms);
    if (video.readyState >= 1) go();
    else video.addEventListener("loadedmetadata", go, { once: true });
  }
  window.addEventListener("hashchange", seekToHash);
  seekToHash();
}
