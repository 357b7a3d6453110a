// Suggested moments as data: which to show, in what order, and their words. Pure (no DOM), so
// node's test runner covers it.

/** The suggestions to list: open ones (and dismissed ones when asked), in time order. */
export function visibleSuggestions(items, showDismissed) {
  return items
    .filter((s) => s.state === "open" || (showDismissed && s.state === "dismissed"))
    .sort((a, b) => a.start_ms - b.start_ms || a.id - b.id);
}

/** How many are still open. */
export function openCount(items) {
  return items.filter((s) => s.state === "open").length;
}

/** "long_wait" -> "Long wait": a suggestion's kind as a label. */
export function kindLabel(kind) {
  const words = String(kind ?? "")
    .replace(/[_-]+/g, " ")
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : "Moment";
}

/** A suggestion's action URL: the page gives the action's URL for suggestion 0. */
export function suggestionUrl(template, id) {
  return template.replace("/0/", `/${id}/`);
}

/** What the list says when it shows none. */
export function emptySuggestions(items, showDismissed) {
  if (!items.length) return "No suggested moments for this lesson.";
  const dismissed = items.filter((s) => s.state === "dismissed").length;
  if (!showDismissed && dismissed) return "No open suggestions left (some were dismissed).";
  return "No open suggestions left.";
}

/** Replace the suggestion with the server's copy of it (same id). */
export function replaceSuggestion(items, updated) {
  return items.map((s) => (s.id === updated.id ? { ...s, ...updated } : s));
}
