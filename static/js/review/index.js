// The review page's notes, put together from their parts: the list, filters, timeline,
// composer, shortcuts and polling, around one timeline shared by coach and teacher, and the
// lesson analysis under it (analysis/). Importing this boots nothing: call bootReview()
// (pages/watch.js does, after the player).

import { setUpAnalysis } from "../analysis/index.js";
import { setUpComposer } from "./composer.js";
import { wireFilters } from "./filters.js";
import { bindReviewKeys } from "./keyboard.js";
import { setUpList } from "./list.js";
import { followDeepLinks, setUpPlayback } from "./playback.js";
import { startSync } from "./sync.js";
import { setUpTimeline } from "./timeline.js";

/** Start the review page's notes on `video`; `data` is the page's review JSON. */
export function bootReview(video, data) {
  const ui = findElements();
  // What the parts share: the page, the notes (id -> note, threads and replies alike) and the
  // threads that pass the filters, in time order (set by each render).
  const review = {
    data,
    video,
    ui,
    lookups: {
      moves: new Map(data.moves.map((m) => [m.id, m])),
      goals: new Map(data.goals.map((g) => [g.id, g])),
      kinds: new Map(data.kinds.map((k) => [k.value, k.label])),
    },
    notes: new Map(),
    shown: [],
    nowMs: () => Math.round(video.currentTime * 1000),
    seekMs: (ms) => {
      video.currentTime = ms / 1000;
    },
    say: (message) => {
      ui.live.textContent = message;
    },
  };
  const playback = setUpPlayback(review);
  const { render } = setUpList(review, { onRendered: playback.refollow });
  wireFilters(ui.filters, ui.filterClear, render);
  setUpTimeline(review);
  const composer = setUpComposer(review, { render });
  bindReviewKeys(review, { jump: playback.jump, ...composer });
  setUpAnalysis(review, { openComposer: composer.openComposer });
  followDeepLinks(review);
  startSync(review, render);
}

function findElements() {
  const $ = (id) => document.getElementById(id);
  return {
    list: $("notes"),
    empty: $("notes-empty"),
    count: $("notes-count"),
    live: $("notes-live"),
    timeline: $("timeline"),
    playhead: $("timeline-playhead"),
    pending: $("timeline-pending"),
    tip: $("timeline-tip"),
    tipThumb: $("timeline-thumb"),
    tipText: $("timeline-tip-text"),
    open: $("note-open"),
    composer: $("composer"),
    composerTime: $("composer-time"),
    body: $("composer-body"),
    move: $("composer-move"),
    kind: $("composer-kind"),
    goal: $("composer-goal"),
    private: $("composer-private"),
    error: $("composer-error"),
    cancel: $("composer-cancel"),
    rangeClear: $("composer-range-clear"),
    rangeStatus: $("range-status"),
    prev: $("note-prev"),
    next: $("note-next"),
    follow: $("follow"),
    filters: {
      move: $("filter-move"),
      goal: $("filter-goal"),
      kind: $("filter-kind"),
      author: $("filter-author"),
      unresolved: $("filter-unresolved"),
    },
    filterClear: $("filter-clear"),
    filterSummary: $("filter-summary"),
  };
}
