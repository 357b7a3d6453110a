import assert from "node:assert/strict";
import { test } from "node:test";

import {
  dropNote,
  mergeNotes,
  noteUrl,
  pollSince,
  repliesByThread,
  threadsOf,
} from "../../static/js/review/notes.js";
import { freshMessage } from "../../static/js/review/sync.js";

const ME = 1;
const note = (id, fields = {}) => ({
  id,
  start_ms: 0,
  end_ms: null,
  parent_id: null,
  author: { id: ME, name: "Coach" },
  updated_at: "2024-05-01T10:00:00",
  ...fields,
});
const notesOf = (...items) => new Map(items.map((n) => [n.id, n]));

test("mergeNotes counts only notes new to us and written by someone else", () => {
  const notes = notesOf(note(1));
  const theirs = { author: { id: 2, name: "Teacher" } };
  const fresh = mergeNotes(notes, [note(1), note(2, theirs), note(3)], ME);
  assert.equal(fresh, 1);
  assert.deepEqual([...notes.keys()], [1, 2, 3]);
  // an edit of a known note by someone else is merged but is not "new"
  const edited = note(2, { ...theirs, body: "edited", updated_at: "2024-05-01T10:05:00" });
  assert.equal(mergeNotes(notes, [edited], ME), 0);
  assert.equal(notes.get(2).body, "edited");
});

test("mergeNotes drops a tombstone's note and ignores an unchanged one", () => {
  const notes = notesOf(note(1), note(2));
  const same = note(1);
  mergeNotes(notes, [same, { id: 2, deleted: true, updated_at: "2024-05-01T11:00:00" }], ME);
  assert.deepEqual([...notes.keys()], [1]);
  assert.notEqual(notes.get(1), same, "an unchanged note keeps the object we had");
});

test("pollSince reaches ten seconds back, without the Z the API does not take", () => {
  assert.equal(pollSince("2024-05-01T10:00:05Z"), "2024-05-01T09:59:55.000");
});

test("threadsOf leaves replies out and orders by time, then id", () => {
  const notes = notesOf(
    note(3, { start_ms: 500 }),
    note(1, { start_ms: 900 }),
    note(2, { start_ms: 500 }),
    note(4, { parent_id: 1 }),
  );
  assert.deepEqual(
    threadsOf(notes).map((n) => n.id),
    [2, 3, 1],
  );
});

test("repliesByThread groups replies under their thread, oldest first", () => {
  const notes = notesOf(note(1), note(7, { parent_id: 1 }), note(5, { parent_id: 1 }), note(2));
  const replies = repliesByThread(notes);
  assert.deepEqual([...replies.keys()], [1]);
  assert.deepEqual(
    replies.get(1).map((n) => n.id),
    [5, 7],
  );
});

test("dropNote forgets a thread with its replies, and a reply alone", () => {
  const notes = notesOf(note(1), note(2, { parent_id: 1 }), note(3), note(4, { parent_id: 3 }));
  dropNote(notes, 1);
  assert.deepEqual([...notes.keys()], [3, 4]);
  dropNote(notes, 4);
  assert.deepEqual([...notes.keys()], [3]);
});

test("noteUrl fills the id into the page's URL of note 0", () => {
  assert.equal(noteUrl("/api/v1/annotations/0", 42), "/api/v1/annotations/42");
  assert.equal(noteUrl("/api/v1/videos/10/annotations/0", 7), "/api/v1/videos/10/annotations/7");
});

test("freshMessage counts notes from others in words", () => {
  assert.equal(freshMessage(1), "1 new note from others.");
  assert.equal(freshMessage(3), "3 new notes from others.");
});
