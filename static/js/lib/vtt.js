// WebVTT through the browser's own parser: a <track> element loads the file, and we read its
// TextTrack cues. Only the cue payloads we define ourselves are parsed here.

/** The cues of a <track> element once it has loaded (null when it fails or has no source). */
export function trackCues(trackElement) {
  const track = trackElement?.track;
  if (!track || !trackElement.src) return Promise.resolve(null);
  if (track.mode === "disabled") track.mode = "hidden"; // a disabled track never loads
  const cues = () => [...(track.cues ?? [])];
  if (trackElement.readyState === 2) return Promise.resolve(cues()); // HTMLTrackElement.LOADED
  if (trackElement.readyState === 3) return Promise.resolve(null); // HTMLTrackElement.ERROR
  return new Promise((resolve) => {
    trackElement.addEventListener("load", () => resolve(cues()), { once: true });
    trackElement.addEventListener("error", () => resolve(null), { once: true });
  });
}

/** A storyboard cue's text ("sprite.jpg#xywh=x,y,w,h") as {url, x, y, w, h}, or null. */
export function parseTile(text, baseUrl) {
  const [path, hash = ""] = String(text).trim().split("#");
  const match = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(hash);
  if (!path || !match) return null;
  const [x, y, w, h] = match.slice(1).map(Number);
  return { url: new URL(path, baseUrl).href, x, y, w, h };
}

/** The tile showing at `seconds` in a sorted list of {start, end, …}; the last one past the end. */
export function tileAt(tiles, seconds) {
  const found = tiles.find((t) => seconds >= t.start && seconds < t.end);
  if (found) return found;
  const last = tiles[tiles.length - 1];
  return last && seconds >= last.start ? last : null;
}

/** A caption cue's words without markup (the browser decodes entities and drops tags). */
export function cueText(cue) {
  const words = typeof cue.getCueAsHTML === "function" ? cue.getCueAsHTML().textContent : cue.text;
  return words.replace(/\s+/g, " ").trim();
}
