// The upload page, put together from its parts: parts go straight from the browser to S3
// through presigned URLs. Importing this boots nothing: call bootUploader() (pages/upload.js
// does).
//
// For each file: check it here before any byte moves (against the server's size limit and
// accepted extensions, read from the form's data attributes), create the video
// (POST /api/v1/videos), PUT every part (sender.js), then complete. A reload resumes: the video
// id is remembered per file in localStorage (store.js) and GET /api/v1/videos/{id}/upload tells
// which parts S3 already holds.

import { limitsFrom, problemWith } from "../lib/files.js";
import { wirePicker } from "./picker.js";
import { UploadQueue } from "./queue.js";
import { addRefusal } from "./row.js";
import { storeKey } from "./store.js";
import { Upload } from "./upload.js";

const FILES_AT_ONCE = 2;

const inProgress = (upload) => upload.state === "running" || upload.state === "waiting";

/** Start the upload page: the file input, the drop zone, and the unload guard. */
export function bootUploader() {
  const $ = (id) => document.getElementById(id);
  const form = $("upload-form");
  const input = $("file-input");
  if (!form || !input) return;
  const announcer = $("upload-status");
  // What every upload needs of the page.
  const page = {
    form,
    list: $("upload-list"),
    rowTemplate: $("upload-row"),
    cycleSelect: $("cycle-select"),
    consentBox: $("consent"),
    queue: new UploadQueue(FILES_AT_ONCE),
    announce: (text) => announce(announcer, text),
  };
  const uploads = [];

  function addFiles(files) {
    const { list, rowTemplate, consentBox, queue } = page;
    const refuse = (file, message) => addRefusal(rowTemplate, list, file, message, input);
    const limits = limitsFrom(form.dataset);
    for (const file of files) {
      if (consentMissing(consentBox)) {
        refuse(
          file,
          "Your school requires you to confirm its consent policy first: tick the " +
            "box above, then choose the file again.",
        );
        consentBox.focus();
        continue;
      }
      const problem = problemWith(file, limits);
      if (problem) {
        refuse(file, problem);
        continue;
      }
      if (uploads.some((u) => storeKey(u.file) === storeKey(file) && inProgress(u))) {
        refuse(file, `${file.name} is already uploading.`);
        continue;
      }
      const upload = new Upload(file, page);
      uploads.push(upload);
      queue.push(upload);
    }
    queue.pump();
  }

  wirePicker({ form, input, dropZone: $("drop-zone") }, addFiles);
  window.addEventListener("beforeunload", (event) => {
    if (uploads.some(inProgress)) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need this to show the prompt
    }
  });
}

/** Tell screen readers about milestones only, not every progress tick. */
function announce(announcer, text) {
  if (!announcer) return;
  announcer.textContent = "";
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

/** The school may require the consent box ticked before anything is sent. */
function consentMissing(consentBox) {
  return consentBox?.dataset.required === "true" && !consentBox.checked;
}
