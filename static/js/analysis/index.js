// The review page's lesson analysis, put together from its parts: the lane under the notes
// timeline, the speaker menu, the figures panel and the suggested moments. Importing this
// boots nothing: review/index.js calls setUpAnalysis() with the review's shared state.

import { setUpLane } from "./lane.js";
import { setUpFigures } from "./panel.js";
import { setUpSpeakerMenu } from "./speaker.js";
import { setUpSuggestions } from "./suggestions.js";

/** Start the analysis parts; `openComposer` is the note composer's (for accepting). */
export function setUpAnalysis(review, { openComposer }) {
  const ui = findElements();
  if (!ui.figures.panel || !review.data.urls.analysis) return;
  let seen = null; // the last analysis's status and time, to reload suggestions on a change

  const lane = setUpLane(review, ui.lane, { onBand: (band) => menu?.open(band) });
  // Only those who may analyse the lesson may correct it (the page has the menu for them).
  const menu = ui.menu.menu
    ? setUpSpeakerMenu(review, ui.menu, { lane, onChanged: (a) => figures.show(a) })
    : null;
  const suggestions = setUpSuggestions(review, ui.suggestions, { openComposer });
  const figures = setUpFigures(review, ui.figures, {
    onAnalysis(analysis) {
      if (analysis.status === "done") lane.draw(analysis);
      else lane.hide();
      menu?.refresh(analysis);
      const now = `${analysis.status} ${analysis.updated_at}`;
      if (now !== seen && !["pending", "running"].includes(analysis.status)) suggestions.reload();
      seen = now;
    },
  });
  figures.load();
}

function findElements() {
  const $ = (id) => document.getElementById(id);
  return {
    lane: {
      wrap: $("analysis-lane-wrap"),
      lane: $("analysis-lane"),
      bands: $("lane-bands"),
      bandsEmpty: $("lane-bands-empty"),
      ticks: $("lane-ticks"),
      playhead: $("lane-playhead"),
      tip: $("lane-tip"),
      tipText: $("lane-tip-text"),
    },
    menu: {
      menu: $("speaker-menu"),
      menuText: $("speaker-menu-text"),
      menuChoices: document.querySelectorAll("#speaker-menu [data-speaker]"),
      menuClose: $("speaker-menu-close"),
      menuError: $("speaker-menu-error"),
    },
    figures: {
      panel: $("figures-panel"),
      state: $("analysis-state"),
      progress: $("analysis-progress"),
      figures: $("figures"),
      caveat: $("figures-caveat"),
      notes: $("analysis-notes"),
      provenance: $("analysis-provenance"),
      rerun: $("analysis-rerun"),
      remove: $("analysis-delete"),
      error: $("analysis-error"),
    },
    suggestions: {
      panel: $("suggestions-panel"),
      heading: $("suggestions-h"),
      list: $("suggestions"),
      count: $("suggestions-count"),
      empty: $("suggestions-empty"),
      toggle: $("suggestions-toggle"),
      showDismissed: $("suggestions-dismissed"),
    },
  };
}
