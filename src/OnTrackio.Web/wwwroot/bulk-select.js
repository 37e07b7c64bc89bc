// "Select all on this page" ticks every row's checkbox, and unticking a row unticks it. Without this script the
// checkbox still works: the server then takes every asset of the page.
for (const all of document.querySelectorAll("[data-select-all]")) {
  const rows = () => document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"][form="${all.form.id}"]`);
  all.addEventListener("change", () => rows().forEach((row) => { row.checked = all.checked; }));
  rows().forEach((row) => row.addEventListener("change", () => { if (!row.checked) { all.checked = false; } }));
}
