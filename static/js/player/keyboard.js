// The player's shortcuts: space/K play, J/L ±10 s, arrows ±5 s, F full screen, C captions.

import { isTyping, shortcutKey } from "../lib/keys.js";

/** Listen on the document; the seek bar keeps the shortcuts although it is an input. */
export function bindPlayerKeys(actions, scrub) {
  const { togglePlay, seekBy, toggleFullscreen, toggleCaptions } = actions;
  const byKey = {
    " ": togglePlay,
    k: togglePlay,
    j: () => seekBy(-10),
    l: () => seekBy(10),
    ArrowLeft: () => seekBy(-5),
    ArrowRight: () => seekBy(5),
    f: toggleFullscreen,
    c: toggleCaptions,
  };
  document.addEventListener("keydown", (event) => {
    if (isTyping(event, { except: scrub })) return;
    const key = shortcutKey(event);
    const onButton =
      event.target instanceof Element && event.target.closest("button, a[href], summary");
    if (key === " " && onButton) return; // space activates the focused button
    const action = byKey[key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
