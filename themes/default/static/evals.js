// The evaluations page: a filter box and a task picker narrow the rows of its tables (sorting
// is widget.js's). Without JavaScript the form stays hidden and every row is shown.
(function () {
  "use strict";
  var form = document.querySelector("[data-evals-filter]");
  if (!form) return;
  var query = form.elements.q, task = form.elements.task;
  var count = form.querySelector("[data-evals-count]");
  var rows = [];
  document.querySelectorAll("table[data-evals-table]").forEach(function (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      rows.push({ row: row, text: row.textContent.toLowerCase().replace(/\s+/g, " "),
                  task: row.getAttribute("data-task") || "" });
    });
  });
  function apply() {
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean), wanted = task.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!wanted || r.task === wanted) && words.every(function (w) { return r.text.indexOf(w) >= 0; });
      r.row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
