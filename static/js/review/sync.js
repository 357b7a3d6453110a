// Keeping the notes current: load them once, then poll for changes (every poll_ms while the tab
// is visible, and as soon as it is shown again), telling screen readers about notes by others.

import { api } from "../lib/http.js";
import { mergeNotes, pollSince } from "./notes.js";

/** The live region's words for notes others added since the last look. */
export function freshMessage(count) {
  return `${count} new ${count === 1 ? "note" : "notes"} from others.`;
}

/** Load the notes, draw them with `render`, and keep them current. */
export function startSync(review, render) {
  const { ui, data, notes } = review;
  let since = null; // the server's time of the last answer

  const markRead = () => api("POST", data.urls.read).catch(() => {});

  async function load() {
    const page = await api("GET", data.urls.annotations);
    since = page.server_time;
    mergeNotes(notes, page.annotations, data.me.id);
    render();
    markRead();
  }

  async function poll() {
    if (document.hidden || since === null) return;
    const from = pollSince(since);
    try {
      const page = await api("GET", `${data.urls.annotations}?since=${encodeURIComponent(from)}`);
      const countBefore = notes.size;
      since = page.server_time;
      const fresh = mergeNotes(notes, page.annotations, data.me.id);
      if (fresh || notes.size !== countBefore || page.annotations.length) render();
      if (fresh) {
        review.say(freshMessage(fresh));
        markRead();
      }
    } catch {
      /* offline for a moment: the next poll catches up */
    }
  }

  load().catch((err) => {
    ui.empty.hidden = false;
    ui.empty.textContent = `The notes could not be loaded: ${err.message}`;
  });
  setInterval(poll, data.poll_ms);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
}
