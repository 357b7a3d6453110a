// Resuming after a reload: the video each file started is remembered in localStorage, keyed by
// the file's name, size and modification time, so choosing the same file again picks it up.

const STORE_PREFIX = "debrief.upload:";

/** The same key for the same file chosen again (there is no path or content hash to go by). */
export const storeKey = (file) => `${STORE_PREFIX}${file.name}:${file.size}:${file.lastModified}`;

/** What was remembered for `file` ({videoId, name, size, lastModified}), or null. */
export function remembered(file) {
  try {
    const saved = JSON.parse(localStorage.getItem(storeKey(file)) || "null");
    return saved && Number.isInteger(saved.videoId) ? saved : null;
  } catch {
    return null;
  }
}

export function remember(file, videoId) {
  try {
    const { name, size, lastModified } = file;
    localStorage.setItem(storeKey(file), JSON.stringify({ videoId, name, size, lastModified }));
  } catch {
    /* private mode or full: resuming is a convenience */
  }
}

export function forget(file) {
  try {
    localStorage.removeItem(storeKey(file));
  } catch {
    /* ignore */
  }
}
