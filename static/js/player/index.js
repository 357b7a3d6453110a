// The watch page player, put together from its parts. Importing this boots nothing: call
// bootPlayer() (pages/watch.js does).

import { setUpControls } from "./controls.js";
import { bindPlayerKeys } from "./keyboard.js";
import { loadThumbnails, setUpScrubPreview } from "./previews.js";
import { attachSource, switchSource } from "./source.js";
import { setUpWaveform } from "./waveform.js";

/** Start the player in `root`, if the page has one; returns its actions or null. */
export function bootPlayer(root = document) {
  const player = root.getElementById("player");
  const video = root.getElementById("video");
  if (!player || !video) return null;
  const $ = (id) => root.getElementById(id);
  if (player.dataset.portrait === "true") player.classList.add("portrait");

  let detach = attachSource(player, video);
  // The watch page's status poll says when the complete stream is there (status.js).
  document.addEventListener("video-ready", (event) => {
    detach = switchSource(player, video, detach, event.detail.playback);
    root.getElementById("preparing-notice")?.remove();
    root.getElementById("preview-limit")?.setAttribute("hidden", "");
  });
  const actions = setUpControls(player, video, {
    play: $("play"),
    back: $("back"),
    forward: $("forward"),
    time: $("time"),
    scrub: $("scrub"),
    speed: $("speed"),
    fullscreen: $("fullscreen"),
    captions: $("captions"),
    captionsTrack: $("captions-track"),
    previewLimit: $("preview-limit"),
  });
  const scrub = $("scrub");
  setUpScrubPreview(
    { scrub, preview: $("scrub-preview"), thumb: $("scrub-thumb"), previewTime: $("scrub-time") },
    actions.duration,
  );
  if (!player.classList.contains("audio-only")) loadThumbnails($("thumbnails-track"));
  bindPlayerKeys(actions, scrub);
  setUpWaveform(player, video, $("waveform"), actions);
  return actions;
}
