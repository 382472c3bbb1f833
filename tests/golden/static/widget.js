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
