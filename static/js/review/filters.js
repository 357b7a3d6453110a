// The notes filters: the controls that choose them, and which threads pass (pure, so node's test
// runner covers it).

/** The chosen filters; null (or false for `unresolved`) means "any". The goal filter is optional. */
export function readFilters(controls) {
  return {
    move: controls.move.value ? Number(controls.move.value) : null,
    goal: controls.goal?.value ? Number(controls.goal.value) : null,
    kind: controls.kind.value || null,
    author: controls.author.value ? Number(controls.author.value) : null,
    unresolved: controls.unresolved.checked,
  };
}

/** True when `note` passes every chosen filter. */
export function passesFilters(note, filters) {
  const f = filters;
  return (
    (f.move === null || note.move_id === f.move) &&
    (f.goal === null || note.goal_id === f.goal) &&
    (f.kind === null || note.kind === f.kind) &&
    (f.author === null || note.author.id === f.author) &&
    (!f.unresolved || !note.resolved)
  );
}

/** How many filters are chosen, for the "(2 active)" beside the summary. */
export function countActive(filters) {
  return Object.values(filters).filter((v) => v !== null && v !== false).length;
}

/** The threads' authors, id -> name, in order of name: the author filter's choices. */
export function authorsOf(threads) {
  const authors = new Map(threads.map((n) => [n.author.id, n.author.name]));
  return new Map([...authors].sort((a, b) => a[1].localeCompare(b[1])));
}

/** Refill the author filter; the choice stays while its author still has notes. */
export function refreshAuthorFilter(select, threads) {
  const chosen = select.value;
  const authors = authorsOf(threads);
  select.replaceChildren(
    new Option("Anyone", ""),
    ...[...authors].map(([id, name]) => new Option(name, id)),
  );
  select.value = authors.has(Number(chosen)) ? chosen : "";
}

/** Call `onChange` on every change; the clear button resets every control first. */
export function wireFilters(controls, clearButton, onChange) {
  for (const control of Object.values(controls)) control?.addEventListener("change", onChange);
  clearButton.addEventListener("click", () => {
    for (const control of Object.values(controls)) {
      if (!control) continue;
      if (control.type === "checkbox") control.checked = false;
      else control.value = "";
    }
    onChange();
  });
}
