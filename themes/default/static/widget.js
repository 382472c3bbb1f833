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

// Detected boxes: pointing at or focusing a legend row (or a box) highlights that box and
// dims the others.
(function () {
  "use strict";
  document.querySelectorAll("[data-regions]").forEach(function (figure) {
    function mark(index) {
      figure.classList.toggle("has-active", index !== null);
      figure.querySelectorAll("[data-region]").forEach(function (el) {
        el.classList.toggle("active", el.getAttribute("data-region") === index);
      });
    }
    figure.querySelectorAll("[data-region]").forEach(function (el) {
      var index = el.getAttribute("data-region");
      el.addEventListener("pointerenter", function () { mark(index); });
      el.addEventListener("pointerleave", function () { mark(null); });
      el.addEventListener("focus", function () { mark(index); });
      el.addEventListener("blur", function () { mark(null); });
    });
  });
})();

// Transcripts: each timestamp becomes a button that plays the example's audio from there.
(function () {
  "use strict";
  document.querySelectorAll(".transcript").forEach(function (list) {
    var example = list.closest("[data-example]") || list.closest(".example") || document;
    var audio = example.querySelector("audio");
    if (!audio) return;
    list.querySelectorAll(".timestamp[data-seek]").forEach(function (stamp) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "timestamp";
      button.textContent = stamp.textContent;
      button.setAttribute("aria-label", "Play from " + stamp.textContent);
      button.addEventListener("click", function () {
        audio.currentTime = parseFloat(stamp.getAttribute("data-seek")) || 0;
        audio.play();
      });
      stamp.replaceWith(button);
    });
  });
})();

// Input and output images: a slider wipes between them (both stay side by side without
// JavaScript).
(function () {
  "use strict";
  document.querySelectorAll("[data-compare]").forEach(function (box) {
    var before = box.querySelector(".compare-before img");
    var after = box.querySelector(".compare-after img");
    if (!before || !after) return;
    var stage = document.createElement("div");
    stage.className = "compare-stage";
    var base = before.cloneNode();
    var top = after.cloneNode();
    top.className = "compare-top";
    stage.appendChild(base);
    stage.appendChild(top);
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = "0";
    slider.max = "100";
    slider.value = "50";
    slider.className = "compare-slider";
    slider.setAttribute("aria-label", "Show more of the input (left) or the output (right)");
    function update() { top.style.clipPath = "inset(0 0 0 " + slider.value + "%)"; }
    slider.addEventListener("input", update);
    update();
    box.classList.add("compare-active");
    box.insertBefore(slider, box.firstChild);
    box.insertBefore(stage, slider);
  });
})();
