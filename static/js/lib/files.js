// Checks on a chosen file before any byte moves. Pure: the limits come from the server (the
// upload form's data attributes), so the rules are written once, in webapp/video/services.py.

/** Sizes the way the server words them (1024-based). */
export function humanSize(bytes) {
  let size = bytes;
  for (const unit of ["bytes", "KB", "MB", "GB"]) {
    if (size < 1024 || unit === "GB") {
      if (unit === "bytes") return size === 1 ? "1 byte" : `${Math.round(size)} bytes`;
      return `${size.toFixed(1)} ${unit}`;
    }
    size /= 1024;
  }
  return "";
}

/** "mov" for "Lesson.MOV"; "" when there is none. */
export function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** The video's title from its file name, at most 200 characters. */
export function titleFor(name) {
  const dot = name.lastIndexOf(".");
  const title = (dot > 0 ? name.slice(0, dot) : name).trim();
  return (title || name || "Recording").slice(0, 200);
}

/** The server's limits from the form: {maxBytes, extensions: Set of "mov", "mp4", …}. */
export function limitsFrom(dataset) {
  const extensions = (dataset.extensions || "").split(/[\s,]+/).filter(Boolean);
  return {
    maxBytes: Number(dataset.maxBytes) || 0,
    extensions: new Set(extensions.map((e) => e.replace(/^\./, "").toLowerCase())),
  };
}

/** A reason to refuse the file before any byte moves, or null (the server checks again). */
export function problemWith(file, { maxBytes = 0, extensions = new Set() } = {}) {
  if (file.size === 0) return `${file.name} is empty. Choose the recording again.`;
  if (maxBytes && file.size > maxBytes) {
    return (
      `${file.name} is ${humanSize(file.size)}; the limit is ${humanSize(maxBytes)}. ` +
      "Trim the recording or export it at a lower quality."
    );
  }
  const type = (file.type || "").toLowerCase();
  const media = type.startsWith("video/") || type.startsWith("audio/");
  if (!media && extensions.size && !extensions.has(extension(file.name))) {
    return (
      `${file.name} does not look like a video or audio recording. ` +
      "Choose a video file such as .mov, .mp4 or .webm."
    );
  }
  return null;
}
