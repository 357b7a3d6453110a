// The audio waveform under the video: min/max peaks (audiowaveform's JSON) drawn on a canvas,
// the played part in another colour, a playhead; clicking it seeks.

import { request } from "../lib/http.js";

/** Peaks as one [low, high] per canvas column; `values` holds min,max pairs. */
export function columnPeaks(values, width) {
  const count = Math.floor(values.length / 2);
  const columns = [];
  for (let x = 0; x < width; x++) {
    const from = Math.floor((x / width) * count);
    const to = Math.max(from + 1, Math.floor(((x + 1) / width) * count));
    let low = 0;
    let high = 0;
    for (let i = from; i < to && i < count; i++) {
      low = Math.min(low, values[2 * i]);
      high = Math.max(high, values[2 * i + 1]);
    }
    columns.push([low, high]);
  }
  return columns;
}

/** True for a peaks document worth drawing. */
export function usablePeaks(data) {
  return Boolean(data) && Array.isArray(data.data) && data.data.length >= 2;
}

/** Fetch the peaks and keep the canvas drawn, sized and clickable. */
export function setUpWaveform(player, video, canvas, { duration, seekTo }) {
  const url = player.dataset.peaks;
  if (!url || !canvas) return;
  let peaks = null;
  let columns = [];

  function size() {
    if (!peaks) return;
    const ratio = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    columns = columnPeaks(peaks.data, canvas.width);
    draw();
  }

  function draw() {
    if (!peaks || !canvas.width) return;
    const ctx = canvas.getContext("2d");
    const { width, height } = canvas;
    const styles = getComputedStyle(canvas);
    const colour = (name) => styles.getPropertyValue(name).trim();
    const count = Math.floor(peaks.data.length / 2);
    const end = duration() || (count * peaks.samples_per_pixel) / peaks.sample_rate;
    const playX = end ? (video.currentTime / end) * width : 0;
    const mid = height / 2;
    const [played, rest] = [colour("--wave-played"), colour("--wave-colour")];
    ctx.clearRect(0, 0, width, height);
    columns.forEach(([low, high], x) => {
      const top = mid - high * mid * 0.95;
      const bottom = mid - low * mid * 0.95;
      ctx.fillStyle = x < playX ? played : rest;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    });
    ctx.fillStyle = colour("--wave-head");
    const head = 2 * (window.devicePixelRatio || 1);
    ctx.fillRect(Math.min(width - 2, Math.max(0, playX - 1)), 0, head, height);
  }

  request("GET", url)
    .then((data) => {
      if (!usablePeaks(data)) return;
      peaks = data;
      canvas.hidden = false;
      player.classList.add("has-waveform");
      size();
    })
    .catch(() => {
      /* the player works without it */
    });

  for (const type of ["timeupdate", "durationchange", "loadedmetadata", "seeked"]) {
    video.addEventListener(type, draw);
  }
  canvas.addEventListener("click", (event) => {
    const rect = canvas.getBoundingClientRect();
    if (rect.width && duration()) seekTo(((event.clientX - rect.left) / rect.width) * duration());
  });
  if ("ResizeObserver" in window) new ResizeObserver(size).observe(canvas);
  else window.addEventListener("resize", size);
  document.addEventListener("fullscreenchange", () => requestAnimationFrame(size));
  // Move the playhead smoothly while playing (timeupdate fires only about 4 times a second).
  const tick = () => {
    if (!peaks || video.paused || video.ended) return;
    draw();
    requestAnimationFrame(tick);
  };
  video.addEventListener("play", () => requestAnimationFrame(tick));
}
