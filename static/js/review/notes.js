// The review page's notes as data: merging what the server sends, threads in time order and
// their replies. Pure (a Map of id -> note, no DOM), so node's test runner covers it.

/** How far back each poll reaches, so a note saved while the last poll ran is never missed. */
const POLL_OVERLAP_MS = 10_000;

/** Merge notes from the server into `notes`; returns how many are new and by someone else. */
export function mergeNotes(notes, items, myId) {
  let fromOthers = 0;
  for (const item of items) {
    const known = notes.get(item.id);
    if (known && known.updated_at === item.updated_at) continue;
    if (item.deleted) {
      // a tombstone: only its id and time are left
      notes.delete(item.id);
      continue;
    }
    notes.set(item.id, item);
    if (item.author.id !== myId && !known) fromOthers += 1;
  }
  return fromOthers;
}

/** The `since` of the next poll: the server's time less the overlap, as the API reads it. */
export function pollSince(serverTime) {
  return new Date(Date.parse(serverTime) - POLL_OVERLAP_MS).toISOString().replace(/Z$/, "");
}

/** The threads (notes that are not replies), in time order. */
export function threadsOf(notes) {
  return [...notes.values()]
    .filter((n) => n.parent_id == null)
    .sort((a, b) => a.start_ms - b.start_ms || a.id - b.id);
}

/** Replies by the id of their thread, oldest first. */
export function repliesByThread(notes) {
  const replies = new Map();
  for (const note of notes.values()) {
    if (note.parent_id == null) continue;
    if (!replies.has(note.parent_id)) replies.set(note.parent_id, []);
    replies.get(note.parent_id).push(note);
  }
  for (const list of replies.values()) list.sort((a, b) => a.id - b.id);
  return replies;
}

/** Forget a deleted note and its replies (the server deletes them with it). */
export function dropNote(notes, id) {
  for (const other of [...notes.values()]) {
    if (other.id === id || other.parent_id === id) notes.delete(other.id);
  }
}

/** One note's API URL: the page gives the URL of note 0. */
export function noteUrl(template, id) {
  return template.replace(/0$/, String(id));
}
