// Correcting a turn's speaker: choosing a band opens a small menu under the lane with
// "Teacher", "Student" and "Not sure"; the server answers with the whole analysis, figures
// recomputed, which the page then draws again.

import { api } from "../lib/http.js";
import { bandLayout, SPEAKERS, spanText, turnUrl } from "./layout.js";
import { laneDuration } from "./lane.js";

/** The menu's question about a band. */
export function menuText(band) {
  const how = band.corrected ? "corrected by hand" : "the estimate";
  const now = band.speaker === "unknown" ? "not sure" : band.speaker;
  return `Who is speaking at ${spanText(band.start_ms, band.end_ms)}? Now: ${now} (${how}).`;
}

/** Wire the menu; returns {open(band, button), refresh(analysis)}. */
export function setUpSpeakerMenu(review, ui, { lane, onChanged }) {
  let band = null;
  let busy = false;

  function show() {
    ui.menuText.textContent = menuText(band);
    for (const choice of ui.menuChoices) {
      choice.setAttribute("aria-pressed", String(choice.dataset.speaker === band.speaker));
    }
    ui.menuError.hidden = true;
    ui.menu.hidden = false;
  }

  function close() {
    const index = band?.index;
    band = null;
    ui.menu.hidden = true;
    if (index != null) lane.focusBand(index);
  }

  async function choose(speaker) {
    if (!band || busy) return;
    if (speaker === band.speaker && band.corrected) return;
    busy = true;
    try {
      const analysis = await api("PATCH", turnUrl(review.data.urls.analysis, band.index), {
        speaker,
      });
      onChanged(analysis);
      refresh(analysis);
      review.say(`Marked ${spanText(band.start_ms, band.end_ms)} as ${SPEAKERS[speaker]}.`);
    } catch (err) {
      ui.menuError.textContent = err.message;
      ui.menuError.hidden = false;
    } finally {
      busy = false;
    }
  }

  /** Follow a new analysis: the chosen band as it is now, or close when it is gone. */
  function refresh(analysis) {
    if (!band) return;
    const again = bandLayout(analysis.turns ?? [], laneDuration(review.data, analysis)).find(
      (b) => b.index === band.index,
    );
    if (!again || analysis.status !== "done") {
      band = null;
      ui.menu.hidden = true;
      return;
    }
    band = again;
    show();
  }

  for (const choice of ui.menuChoices) {
    choice.addEventListener("click", () => choose(choice.dataset.speaker));
  }
  ui.menuClose.addEventListener("click", close);
  ui.menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });

  return {
    open(chosen) {
      band = chosen;
      show();
      const pressed = [...ui.menuChoices].find((c) => c.dataset.speaker === band.speaker);
      (pressed ?? ui.menuChoices[0]).focus();
    },
    refresh,
  };
}
