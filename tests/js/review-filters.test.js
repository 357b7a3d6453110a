import assert from "node:assert/strict";
import { test } from "node:test";

import {
  authorsOf,
  countActive,
  passesFilters,
  readFilters,
} from "../../static/js/review/filters.js";
import { countLabel, emptyMessage } from "../../static/js/review/list.js";

const ANY = { move: null, goal: null, kind: null, author: null, unresolved: false };
const note = {
  id: 1,
  move_id: 4,
  goal_id: null,
  kind: "strength",
  author: { id: 2, name: "Teacher" },
  resolved: false,
};

test("readFilters turns the controls' values into ids, and empty into null", () => {
  const controls = {
    move: { value: "4" },
    goal: null, // a video without goals has no goal filter
    kind: { value: "" },
    author: { value: "2" },
    unresolved: { checked: true },
  };
  assert.deepEqual(readFilters(controls), {
    move: 4,
    goal: null,
    kind: null,
    author: 2,
    unresolved: true,
  });
});

test("passesFilters needs every chosen filter to match", () => {
  assert.ok(passesFilters(note, ANY));
  assert.ok(passesFilters(note, { ...ANY, move: 4, kind: "strength", author: 2 }));
  assert.ok(!passesFilters(note, { ...ANY, move: 5 }));
  assert.ok(!passesFilters(note, { ...ANY, goal: 1 }));
  assert.ok(!passesFilters(note, { ...ANY, kind: "question" }));
  assert.ok(!passesFilters(note, { ...ANY, author: 3 }));
  assert.ok(passesFilters(note, { ...ANY, unresolved: true }));
  assert.ok(!passesFilters({ ...note, resolved: true }, { ...ANY, unresolved: true }));
});

test("countActive counts chosen filters, not the unticked box", () => {
  assert.equal(countActive(ANY), 0);
  assert.equal(countActive({ ...ANY, move: 4, unresolved: true }), 2);
});

test("authorsOf lists each author once, by name", () => {
  const by = (id, name) => ({ author: { id, name } });
  const authors = authorsOf([by(3, "Zoë"), by(1, "Ana"), by(3, "Zoë"), by(2, "Ben")]);
  assert.deepEqual(
    [...authors],
    [
      [1, "Ana"],
      [2, "Ben"],
      [3, "Zoë"],
    ],
  );
});

test("countLabel shows how many pass the filters only when some are hidden", () => {
  assert.equal(countLabel(12, 12), "(12)");
  assert.equal(countLabel(3, 12), "(3 of 12)");
});

test("emptyMessage tells filters from an empty video, and invites only annotators", () => {
  assert.equal(emptyMessage(5, true), "No notes match these filters.");
  assert.match(emptyMessage(0, true), /Press N/);
  assert.equal(emptyMessage(0, false), "No notes yet.");
});
