// Index filter: narrow the model list by text and task; the state lives in the URL hash
// (#q=bert&task=fill-mask) so a filtered view can be shared. Works from file:// too.
(function () {
  "use strict";
  var form = document.querySelector("[data-filters]");
  var list = document.getElementById("models");
  if (!form || !list) return;
  var q = document.getElementById("filter-q");
  var task = document.getElementById("filter-task");
  var count = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  var cards = Array.prototype.slice.call(list.children);

  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    q.value = params.get("q") || "";
    var t = params.get("task") || "";
    task.value = Array.prototype.some.call(task.options, function (o) { return o.value === t; }) ? t : "";
  }
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-search");
      var ok = (!task.value || card.getAttribute("data-task") === task.value) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown === cards.length ? cards.length + " models"
      : shown + " of " + cards.length + " models";
    empty.hidden = shown !== 0;
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (q.value) params.set("q", q.value);
    if (task.value) params.set("task", task.value);
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  form.hidden = false;
  readHash();
  apply();
  q.addEventListener("input", function () { apply(); writeHash(); });
  task.addEventListener("change", function () { apply(); writeHash(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
})();
