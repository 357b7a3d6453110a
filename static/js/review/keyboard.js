// The review page's shortcuts: , and . previous and next note; for those who may annotate, N
// notes the current moment, [ and ] mark a range, and a move's quick key (1–9) notes it with
// that move.

import { isTyping, shortcutKey } from "../lib/keys.js";

/** The moves that have a quick key, by that key ("1" … "9"). */
export function quickMoves(moves) {
  return new Map(moves.filter((m) => m.quick_key).map((m) => [String(m.quick_key), m]));
}

/** Listen on the document; keys typed into a field stay in the field. */
export function bindReviewKeys(review, { jump, openComposer, markIn, markOut }) {
  const canAnnotate = review.data.can_annotate;
  const byQuickKey = quickMoves(review.data.moves);
  document.addEventListener("keydown", (event) => {
    if (isTyping(event)) return;
    const key = shortcutKey(event);
    const actions = { ",": () => jump(-1), ".": () => jump(1) };
    if (canAnnotate) {
      Object.assign(actions, { n: () => openComposer(), "[": markIn, "]": markOut });
      const move = byQuickKey.get(key);
      if (move) actions[key] = () => openComposer(move);
    }
    const action = actions[key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
