// Where the picture comes from: HLS through hls.js (transmuxing in its worker), native HLS, or
// the MP4 fallback; and a message when nothing can play.

/**
 * Attach the best source to the player's <video> (recorded in data-engine). Returns
 * `detach()`, which a switch to another source (the complete stream replacing the preview)
 * calls first.
 */
export function attachSource(player, video) {
  const { hls: hlsUrl, mp4: mp4Url, hlsWorker } = player.dataset;
  let hls = null;

  function useMp4() {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    if (!mp4Url) return;
    const at = video.currentTime;
    const playing = !video.paused;
    video.src = mp4Url;
    player.dataset.engine = "mp4";
    if (at || playing) resumeOnLoad(video, at, playing);
  }

  const Hls = window.Hls;
  if (hlsUrl && typeof Hls?.isSupported === "function" && Hls.isSupported()) {
    hls = new Hls({
      // A same-origin worker file (worker-src 'self'); without one hls.js stays on this thread.
      enableWorker: Boolean(hlsWorker),
      workerPath: hlsWorker || null,
      capLevelToPlayerSize: true,
      startLevel: -1,
      // The preview is a growing (EVENT) playlist, which hls.js would start near its end.
      startPosition: 0,
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) useMp4();
    });
    hls.loadSource(hlsUrl);
    hls.attachMedia(video);
    player.dataset.engine = "hls.js";
  } else if (hlsUrl && video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = hlsUrl;
    player.dataset.engine = "native-hls";
    video.addEventListener(
      "error",
      () => {
        if (mp4Url && video.currentSrc !== mp4Url) useMp4();
      },
      { once: true },
    );
  } else {
    useMp4();
  }
  reportFailures(player, video, useMp4);
  return () => {
    if (hls) hls.destroy();
    hls = null;
  };
}

/**
 * Play `urls` (the API's playback) instead, from the same moment and in the same state: the
 * complete stream replacing the preview or quick copy once the video is ready, without a reload.
 */
export function switchSource(player, video, detach, urls) {
  const at = video.currentTime;
  const playing = !video.paused && !video.ended;
  detach();
  player.dataset.hls = urls.hls || "";
  player.dataset.mp4 = urls.mp4 || "";
  player.dataset.preview = "false";
  resumeOnLoad(video, at, playing);
  return attachSource(player, video);
}

/** Once the new source has loaded, go back to where the old one was, playing if it was. */
function resumeOnLoad(video, at, playing) {
  video.addEventListener(
    "loadedmetadata",
    () => {
      video.currentTime = at;
      if (playing) video.play().catch(() => {});
    },
    { once: true },
  );
}

/** When nothing can play, say so instead of showing a silent black box. */
function reportFailures(player, video, useMp4) {
  const mp4Url = player.dataset.mp4;
  let reloadedAt = -Infinity;
  video.addEventListener("error", () => {
    if (player.dataset.engine !== "mp4" && mp4Url) return; // a fallback is on its way
    // The MP4 plays from a short-lived storage URL: after a long pause it may have expired.
    // Ask the app again (it checks access and redirects to a fresh URL), once in a while.
    if (mp4Url && performance.now() - reloadedAt > 30_000) {
      reloadedAt = performance.now();
      useMp4();
      return;
    }
    if (document.getElementById("player-error")) return;
    const message = document.createElement("p");
    message.id = "player-error";
    message.className = "notice player-error";
    message.setAttribute("role", "alert");
    const original = document.querySelector('a[href$="/original"]');
    message.textContent =
      "This video could not be played here. Reload the page to try again" +
      (original ? ", or download the original." : ".");
    player.parentElement.querySelector(".controls")?.after(message);
  });
}
