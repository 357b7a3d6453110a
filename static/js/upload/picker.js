// Choosing files: the file input and the drop zone both hand the chosen files over.

/** Call `onFiles(files)` for every choice in `input` and every drop on `dropZone`. */
export function wirePicker({ form, input, dropZone }, onFiles) {
  input.addEventListener("change", () => {
    onFiles([...input.files]);
    input.value = ""; // so choosing the same file again fires another change
  });

  for (const type of ["dragenter", "dragover"]) {
    dropZone.addEventListener(type, (event) => {
      if (![...(event.dataTransfer?.types || [])].includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      dropZone.classList.add("dragover");
    });
  }
  for (const type of ["dragleave", "dragend"]) {
    dropZone.addEventListener(type, (event) => {
      if (type === "dragleave" && dropZone.contains(event.relatedTarget)) return;
      dropZone.classList.remove("dragover");
    });
  }
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragover");
    onFiles([...(event.dataTransfer?.files || [])]);
  });
  // A file dropped next to the zone must not navigate away from the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());

  form.addEventListener("submit", (event) => event.preventDefault());
}
