// One file's row in the upload list, cloned from the page's <template id="upload-row">.

import { humanSize } from "../lib/files.js";

function cloneRow(template, file) {
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelector('[data-role="name"]').textContent = file.name;
  row.querySelector('[data-role="size"]').textContent = humanSize(file.size);
  return row;
}

/** A row for `file` at the top of `list`; returns it and its parts by data-role. */
export function addRow(template, list, file) {
  const row = cloneRow(template, file);
  const $ = (role) => row.querySelector(`[data-role="${role}"]`);
  const el = {
    row,
    bar: $("bar"),
    meta: $("meta"),
    cancel: $("cancel"),
    retry: $("retry"),
    open: $("open"),
  };
  el.bar.setAttribute("aria-label", `Upload progress of ${file.name}`);
  el.cancel.setAttribute("aria-label", `Cancel upload of ${file.name}`);
  el.retry?.setAttribute("aria-label", `Try again to upload ${file.name}`);
  list.prepend(row);
  return el;
}

/** A row that refuses `file` with `message`; Dismiss removes it and goes back to `input`. */
export function addRefusal(template, list, file, message, input) {
  const row = cloneRow(template, file);
  row.dataset.state = "refused";
  row.querySelector('[data-role="bar"]').remove();
  const meta = row.querySelector('[data-role="meta"]');
  meta.textContent = message;
  meta.setAttribute("role", "alert");
  const cancel = row.querySelector('[data-role="cancel"]');
  cancel.textContent = "Dismiss";
  cancel.setAttribute("aria-label", `Dismiss the message about ${file.name}`);
  cancel.addEventListener("click", () => {
    row.remove();
    input.focus();
  });
  row.querySelector('[data-role="retry"]')?.remove();
  list.prepend(row);
}
