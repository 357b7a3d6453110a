// The watch page player: HLS through hls.js (or natively), MP4 as the fallback, custom
// controls, keyboard shortcuts, storyboard previews over the seek bar and an audio waveform.

const player = document.getElementById("player");
const video = document.getElementById("video");

/** m:ss, or h:mm:ss from one hour on. */
export function formatTime(seconds) {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Parse a storyboard WebVTT: [{start, end, url, x, y, w, h}], URLs made absolute. */
export function parseThumbnails(text, baseUrl) {
  const cues = [];
  const toSeconds = (stamp) => {
    const parts = stamp.trim().split(":").map(Number);
    return parts.reduce((total, part) => total * 60 + part, 0);
  };
  for (const block of text.replace(/\r/g, "").split(/\n{2,}/)) {
    const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
    const at = lines.findIndex((l) => l.includes("-->"));
    if (at < 0 || !lines[at + 1]) continue;
    const [from, to] = lines[at].split("-->");
    const [path, hash = ""] = lines[at + 1].split("#");
    const match = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(hash);
    if (!match) continue;
    const [x, y, w, h] = match.slice(1).map(Number);
    cues.push({
      start: toSeconds(from),
      end: toSeconds(to.trim().split(/\s+/)[0]),
      url: new URL(path, baseUrl).href,
      x, y, w, h,
    });
  }
  return cues;
}

let thumbnails = [];
let thumbnailsLoading = null;

/** Fetch the storyboard once for the page (the seek bar and the notes timeline share it). */
export function loadThumbnails() {
  const url = player?.dataset.thumbnails;
  if (!url || thumbnailsLoading) return thumbnailsLoading;
  const base = new URL(url, location.href).href;
  thumbnailsLoading = fetch(base, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : ""))
    .then((text) => {
      thumbnails = parseThumbnails(text, base);
      // Warm the cache so the first hover shows a picture, not an empty box.
      for (const src of new Set(thumbnails.map((c) => c.url))) new Image().src = src;
    })
    .catch(() => { /* previews are a convenience */ });
  return thumbnailsLoading;
}

function thumbnailAt(seconds) {
  return thumbnails.find((c) => seconds >= c.start && seconds < c.end) ||
    (thumbnails.length && seconds >= thumbnails[thumbnails.length - 1].start
      ? thumbnails[thumbnails.length - 1] : null);
}

/** Show the storyboard tile for a moment in `box` (hidden when there is none). */
export function showThumbnail(box, seconds) {
  const cue = thumbnailAt(seconds);
  box.hidden = !cue;
  if (!cue) return;
  box.style.backgroundImage = `url("${cue.url.replace(/"/g, "%22")}")`;
  box.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
  box.style.width = `${cue.w}px`;
  box.style.height = `${cue.h}px`;
}

if (player && video) setUp();

function setUp() {
  const $ = (id) => document.getElementById(id);
  const controls = {
    play: $("play"), back: $("back"), forward: $("forward"), time: $("time"), scrub: $("scrub"),
    preview: $("scrub-preview"), thumb: $("scrub-thumb"), previewTime: $("scrub-time"),
    speed: $("speed"), fullscreen: $("fullscreen"), waveform: $("waveform"),
  };
  const { hls: hlsUrl, mp4: mp4Url, peaks: peaksUrl } = player.dataset;
  const audioOnly = player.classList.contains("audio-only");
  if (player.dataset.portrait === "true") player.classList.add("portrait");

  // Source ---------------------------------------------------------------------------------
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
    if (at || playing) {
      video.addEventListener("loadedmetadata", () => {
        video.currentTime = at;
        if (playing) video.play().catch(() => {});
      }, { once: true });
    }
  }

  const Hls = window.Hls;
  if (hlsUrl && Hls && typeof Hls.isSupported === "function" && Hls.isSupported()) {
    hls = new Hls({
      enableWorker: false, // a blob: worker is refused by the CSP
      capLevelToPlayerSize: true,
      startLevel: -1,
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
    video.addEventListener("error", () => {
      if (mp4Url && video.currentSrc !== mp4Url) useMp4();
    }, { once: true });
  } else {
    useMp4();
  }

  // When nothing can play, say so instead of showing a silent black box.
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
    message.textContent = "This video could not be played here. Reload the page to try again" +
      (document.querySelector('a[href$="/original"]') ? ", or download the original." : ".");
    player.parentElement.querySelector(".controls")?.after(message);
  });

  // Play, seek, speed, time ----------------------------------------------------------------
  const duration = () => (Number.isFinite(video.duration) ? video.duration : 0);

  function seekTo(seconds) {
    const end = duration();
    video.currentTime = Math.max(0, end ? Math.min(seconds, end) : seconds);
    render();
  }
  const seekBy = (delta) => seekTo(video.currentTime + delta);

  function togglePlay() {
    if (video.paused || video.ended) {
      const started = video.play();
      if (started) started.catch(() => { /* interrupted by a pause or a source change */ });
    } else {
      video.pause();
    }
  }

  function renderPlayState() {
    const playing = !video.paused && !video.ended;
    controls.play.textContent = playing ? "Pause" : "Play";
    controls.play.setAttribute("aria-label", playing ? "Pause (space or K)" : "Play (space or K)");
    player.classList.toggle("playing", playing);
  }

  let dragging = false;
  function render() {
    const end = duration();
    controls.time.textContent = `${formatTime(video.currentTime)} / ${formatTime(end)}`;
    if (!dragging && end) controls.scrub.value = String(Math.round((video.currentTime / end) * 1000));
    controls.scrub.setAttribute("aria-valuetext",
      `${formatTime(video.currentTime)} of ${formatTime(end)}`);
    drawWaveform();
  }

  controls.play.addEventListener("click", togglePlay);
  controls.back.addEventListener("click", () => seekBy(-10));
  controls.forward.addEventListener("click", () => seekBy(10));
  video.addEventListener("click", togglePlay);
  for (const type of ["play", "pause", "ended"]) video.addEventListener(type, renderPlayState);
  for (const type of ["timeupdate", "durationchange", "loadedmetadata", "seeked"]) {
    video.addEventListener(type, render);
  }
  controls.speed.addEventListener("change", () => {
    video.playbackRate = Number(controls.speed.value) || 1;
  });
  video.addEventListener("ratechange", () => {
    const option = [...controls.speed.options].find((o) => Number(o.value) === video.playbackRate);
    if (option) controls.speed.value = option.value;
  });

  // Seek bar and storyboard preview ---------------------------------------------------------
  controls.scrub.addEventListener("input", () => {
    dragging = true;
    const seconds = (Number(controls.scrub.value) / 1000) * duration();
    showPreview(seconds, Number(controls.scrub.value) / 1000);
    if (duration()) video.currentTime = seconds;
  });
  controls.scrub.addEventListener("change", () => {
    dragging = false;
    render();
  });
  const endDrag = () => {
    dragging = false;
    hidePreview();
  };
  controls.scrub.addEventListener("pointerup", endDrag);
  controls.scrub.addEventListener("blur", endDrag);
  controls.scrub.addEventListener("pointermove", (event) => {
    const rect = controls.scrub.getBoundingClientRect();
    if (!rect.width) return;
    const fraction = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    showPreview(fraction * duration(), fraction);
  });
  controls.scrub.addEventListener("pointerleave", () => {
    if (!dragging) hidePreview();
  });

  if (!audioOnly) loadThumbnails();

  function showPreview(seconds, fraction) {
    if (!duration()) return;
    showThumbnail(controls.thumb, seconds);
    controls.previewTime.textContent = formatTime(seconds);
    const preview = controls.preview;
    preview.hidden = false;
    // Keep the tooltip inside the seek bar's box.
    const track = controls.scrub.getBoundingClientRect();
    const width = preview.offsetWidth;
    const wrap = controls.scrub.parentElement.getBoundingClientRect();
    let left = track.left - wrap.left + fraction * track.width - width / 2;
    left = Math.max(0, Math.min(left, wrap.width - width));
    preview.style.left = `${left}px`;
  }

  function hidePreview() {
    controls.preview.hidden = true;
  }

  // Full screen ------------------------------------------------------------------------------
  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (player.requestFullscreen) {
      player.requestFullscreen().catch(() => {});
    } else if (video.webkitEnterFullscreen) {
      video.webkitEnterFullscreen(); // iPhone Safari: only the video element goes full screen
    }
  }
  controls.fullscreen.addEventListener("click", toggleFullscreen);

  // Captions (when the owner added some) -------------------------------------------------------
  const captionsButton = document.getElementById("captions");
  const captionsTrack = document.getElementById("captions-track")?.track;
  function toggleCaptions() {
    if (!captionsButton || !captionsTrack) return;
    const on = captionsTrack.mode !== "showing";
    captionsTrack.mode = on ? "showing" : "hidden";
    captionsButton.setAttribute("aria-pressed", String(on));
  }
  if (captionsTrack) captionsTrack.mode = "hidden"; // loaded for the transcript, shown on demand
  captionsButton?.addEventListener("click", toggleCaptions);
  document.addEventListener("fullscreenchange", () => {
    const full = document.fullscreenElement === player;
    // Our controls sit outside the player: show the native ones while full screen.
    video.controls = full;
    controls.fullscreen.textContent = full ? "Exit full screen" : "Full screen";
    requestAnimationFrame(sizeWaveform);
  });

  // Keyboard -----------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const onScrub = target === controls.scrub;
    if (!onScrub && target instanceof Element &&
        target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])")) {
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const onButton = target instanceof Element && target.closest("button, a[href], summary");
    const actions = {
      " ": togglePlay, k: togglePlay,
      j: () => seekBy(-10), l: () => seekBy(10),
      ArrowLeft: () => seekBy(-5), ArrowRight: () => seekBy(5),
      f: toggleFullscreen, c: toggleCaptions,
    };
    if (key === " " && onButton) return; // space activates the focused button
    const action = actions[key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // Waveform ------------------------------------------------------------------------------------
  let peaks = null;
  const canvas = controls.waveform;
  if (peaksUrl && canvas) {
    fetch(peaksUrl, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data || !Array.isArray(data.data) || data.data.length < 2) return;
        peaks = data;
        canvas.hidden = false;
        player.classList.add("has-waveform");
        sizeWaveform();
      })
      .catch(() => { /* the player works without it */ });
  }

  function sizeWaveform() {
    if (!peaks) return;
    const ratio = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    drawWaveform();
  }

  function drawWaveform() {
    if (!peaks || !canvas.width) return;
    const ctx = canvas.getContext("2d");
    const { width, height } = canvas;
    const values = peaks.data;
    const count = Math.floor(values.length / 2);
    const styles = getComputedStyle(canvas);
    const played = styles.getPropertyValue("--wave-played").trim() || "#60a5fa";
    const rest = styles.getPropertyValue("--wave-colour").trim() || "#94a3b8";
    const end = duration() || (count * peaks.samples_per_pixel) / peaks.sample_rate;
    const playX = end ? (video.currentTime / end) * width : 0;
    const mid = height / 2;
    ctx.clearRect(0, 0, width, height);
    for (let x = 0; x < width; x++) {
      const from = Math.floor((x / width) * count);
      const to = Math.max(from + 1, Math.floor(((x + 1) / width) * count));
      let low = 0;
      let high = 0;
      for (let i = from; i < to && i < count; i++) {
        low = Math.min(low, values[2 * i]);
        high = Math.max(high, values[2 * i + 1]);
      }
      const top = mid - high * mid * 0.95;
      const bottom = mid - low * mid * 0.95;
      ctx.fillStyle = x < playX ? played : rest;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
    // The playhead.
    ctx.fillStyle = styles.getPropertyValue("--wave-head").trim() || "#f59e0b";
    ctx.fillRect(Math.min(width - 2, Math.max(0, playX - 1)), 0, 2 * (window.devicePixelRatio || 1),
      height);
  }

  if (canvas) {
    canvas.addEventListener("click", (event) => {
      const rect = canvas.getBoundingClientRect();
      if (!rect.width || !duration()) return;
      seekTo(((event.clientX - rect.left) / rect.width) * duration());
    });
    if ("ResizeObserver" in window) new ResizeObserver(sizeWaveform).observe(canvas);
    else window.addEventListener("resize", sizeWaveform);
  }

  // Move the playhead smoothly while playing (timeupdate fires only about 4 times a second).
  const tick = () => {
    if (!peaks || video.paused || video.ended) return;
    drawWaveform();
    requestAnimationFrame(tick);
  };
  video.addEventListener("play", () => requestAnimationFrame(tick));

  render();
  renderPlayState();
}
