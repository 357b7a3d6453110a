// The watch page player, put together from its parts. Importing this boots nothing: call
// bootPlayer() (pages/watch.js does).

import { setUpControls } from "./controls.js";
import { bindPlayerKeys } from "./keyboard.js";
import { loadThumbnails, setUpScrubPreview } from "./previews.js";
import { attachSource, switchSource } from "./source.js";
import { setUpWaveform } from "./waveform.js";

/** "The full version now plays here", with a way to the notes that reopens this moment. */
function readyNotice(video) {
  const notice = document.createElement("p");
  notice.className = "notice";
  notice.id = "ready-notice";
  notice.setAttribute("role", "status");
  const link = document.createElement("a");
  link.textContent = "Show the notes and transcript";
  link.href = location.pathname;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    location.replace(`${location.pathname}#t=${Math.floor(video.currentTime * 1000)}`);
    location.reload();
  });
  notice.append("The full-quality version is ready and plays here now. ", link, ".");
  return notice;
}

/** Start the player in `root`, if the page has one; returns its actions or null. */
export function bootPlayer(root = document) {
  const player = root.getElementById("player");
  const video = root.getElementById("video");
  if (!player || !video) return null;
  const $ = (id) => root.getElementById(id);
  if (player.dataset.portrait === "true") player.classList.add("portrait");

  let detach = attachSource(player, video);
  // The watch page's status poll says when the complete stream is there (status.js). Not
  // playing: reload, for the notes, storyboard and transcript a ready video has. Playing: the
  // complete stream takes over in place, and the page offers the rest when the viewer wants it.
  document.addEventListener("video-ready", (event) => {
    if (video.paused) {
      window.location.reload();
      return;
    }
    detach = switchSource(player, video, detach, event.detail.playback);
    root.getElementById("preview-limit")?.setAttribute("hidden", "");
    root.getElementById("preparing-notice")?.replaceWith(readyNotice(video));
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
