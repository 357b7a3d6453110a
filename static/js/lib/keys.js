// Page-wide keyboard shortcuts must stay out of the way of someone typing.

const TYPING = "input, textarea, select, [contenteditable]:not([contenteditable=false])";
const MODIFIERS = ["ctrlKey", "metaKey", "altKey"];

/** True when the key press belongs to a form field (or is a browser/OS shortcut). */
export function isTyping(event, { except = null } = {}) {
  if (event.defaultPrevented || MODIFIERS.some((m) => event[m])) return true;
  const target = event.target;
  if (except && target === except) return false;
  return typeof target?.closest === "function" && Boolean(target.closest(TYPING));
}

/** The key as a shortcut name: letters lower-cased, named keys ("ArrowLeft", " ") as they are. */
export function shortcutKey(event) {
  return event.key.length === 1 ? event.key.toLowerCase() : event.key;
}
