// Example picker: with JavaScript, show one example at a time and pick it from a native <select>.
// Without JavaScript every example stays visible, one after another.
(function () {
  "use strict";
  document.querySelectorAll("[data-widget]").forEach(function (widget) {
    var picker = widget.querySelector("[data-picker]");
    var examples = widget.querySelectorAll("[data-example]");
    if (!picker || examples.length < 2) return;
    var select = picker.querySelector("select");
    function show(id) {
      examples.forEach(function (ex) { ex.hidden = ex.id !== id; });
    }
    var wanted = location.hash.slice(1);
    var start = Array.prototype.some.call(examples, function (ex) { return ex.id === wanted; })
      ? wanted : select.value;
    select.value = start;
    show(start);
    picker.hidden = false;
    widget.classList.add("has-picker");
    select.addEventListener("change", function () {
      show(select.value);
      history.replaceState(null, "", "#" + select.value);
    });
  });
})();

// Sortable tables (evaluation results): each header becomes a button; a second press
// reverses the order. Without JavaScript the table keeps the card's order.
(function () {
  "use strict";
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
          if (x === y) return 0;
          if (x === null) return 1;  // rows without a number stay last either way
          if (y === null) return -1;
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  function key(cell, numeric) {
    if (!cell) return null;
    if (numeric) {
      var v = cell.getAttribute("data-value");
      return v === null || v === "" ? null : parseFloat(v);
    }
    return cell.textContent.trim().toLowerCase();
  }
})();
