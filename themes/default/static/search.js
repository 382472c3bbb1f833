// Index filters: narrow the models by text, task, library, language, license, size and weight
// format, and sort them by name, by last change or by parameter count. The data comes from search-index.js (a classic script, so
// it works from file://); the state lives in the URL hash (#task=fill-mask&q=bert) so a view
// can be shared. Without JavaScript the page's full list stays as it is.
(function () {
  "use strict";
  var data = window.SITEGEN_INDEX;
  var form = document.querySelector("[data-filters]");
  var list = document.getElementById("models");
  if (!data || !form || !list) return;
  var PAGE = 60;
  var q = document.getElementById("filter-q");
  var sort = document.getElementById("filter-sort");
  var count = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  var more = document.getElementById("filter-more");
  var facets = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var at = {};
  data.fields.forEach(function (name, i) { at[name] = i; });

  var strings = data.strings;
  function str(i) { return strings[i]; }
  // A parameter count's size bucket: the option of the size filter whose range holds it
  // (the buckets are drawn by the page; 0 is an unknown size).
  var sizeSelect = document.getElementById("filter-size");
  var buckets = sizeSelect ? Array.prototype.filter.call(sizeSelect.options, function (o) { return o.value; })
    .map(function (o) { return [o.value, +o.getAttribute("data-lo"), +o.getAttribute("data-hi")]; }) : [];
  function sizeOf(params) {
    for (var i = 0; i < buckets.length; i++) {
      if (params ? buckets[i][1] <= params && params < buckets[i][2] : !buckets[i][2]) return buckets[i][0];
    }
    return "";
  }
  var models = data.models.map(function (row) {
    var task = data.tasks[row[at.task]], tags = row[at.tags].map(str);
    return {
      row: row,
      dir: row[at.dir] || "models/" + row[at.id],
      text: [row[at.id], row[at.summary], tags.join(" "), task ? task[0] : "", row[at.task]]
        .join(" ").toLowerCase(),
      facets: { task: [row[at.task]], library: [str(row[at.library])], license: [str(row[at.license])],
                language: row[at.languages].map(str), size: [sizeOf(row[at.params] || 0)],
                format: (row[at.formats] || []).map(str) }
    };
  });
  var byUpdated = models.slice().sort(function (a, b) {
    var x = a.row[at.updated], y = b.row[at.updated];
    return x < y ? 1 : x > y ? -1 : 0;  // newest first; the sort is stable, so ties keep name order
  });
  var byParams = models.slice().sort(function (a, b) {
    return (b.row[at.params] || 0) - (a.row[at.params] || 0);  // largest first, unknown last
  });
  var matches = [], shown = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  // An id wraps only after "/", "-" and "_" (as the |wbr filter of the templates does).
  function wrapAt(node, text) {
    text.replace(/([\/_-])/g, "$1\n").split("\n").forEach(function (piece, i) {
      if (i) node.appendChild(document.createElement("wbr"));
      node.appendChild(document.createTextNode(piece));
    });
    return node;
  }
  function shortCount(n) {
    var units = [["T", 1e12], ["B", 1e9], ["M", 1e6], ["K", 1e3]];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][1] * 0.9995) return String(parseFloat((n / units[i][1]).toPrecision(3))) + units[i][0];
    }
    return String(n);
  }
  function chip(cls, text) { return el("span", "chip " + cls, text); }
  function card(m) {
    var row = m.row, id = row[at.id], slash = id.lastIndexOf("/");
    var li = el("li", "card");
    var link = el("a", "card-link");
    link.href = m.dir + "/index.html";
    if (row[at.thumb]) {
      var img = el("img", "card-thumb");
      img.loading = "lazy"; img.alt = ""; img.src = m.dir + "/" + row[at.thumb];
      link.appendChild(img);
    }
    var title = el("span", "card-title");
    if (slash > 0) title.appendChild(wrapAt(el("span", "card-owner"), id.slice(0, slash + 1)));
    wrapAt(title, id.slice(slash + 1));
    link.appendChild(title);
    li.appendChild(link);
    var meta = el("p", "card-meta"), task = data.tasks[row[at.task]];
    meta.appendChild(task ? chip("chip-task chip-" + task[1], task[0]) : el("span", "chip", "No task"));
    if (str(row[at.library])) meta.appendChild(chip("chip-plain", str(row[at.library])));
    if (str(row[at.license])) meta.appendChild(chip("chip-plain", str(row[at.license])));
    if (row[at.params] > 0) {  // as the |short_count filter of the templates: 7.24B params
      var params = el("span", "card-params", shortCount(row[at.params]) + " params");
      params.title = String(row[at.params]).replace(/\B(?=(\d{3})+$)/g, ",") + " parameters";
      meta.appendChild(params);
    }
    if (row[at.updated]) {
      var date = el("span", "card-date", "Updated "), time = el("time", "", row[at.updated]);
      time.setAttribute("datetime", row[at.updated]);
      date.appendChild(time);
      meta.appendChild(date);
    }
    li.appendChild(meta);
    var summary = row[at.adult] ? "Marked not for all audiences: open the page to see its card."
      : row[at.summary];
    if (summary) li.appendChild(el("p", "card-summary", summary));
    return li;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    q.value = params.get("q") || "";
    facets.concat([sort]).forEach(function (select) {
      var key = select === sort ? "sort" : select.getAttribute("data-facet");
      var value = params.get(key) || "";
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; })
        ? value : "";
    });
  }
  function writeHash() {
    var params = new URLSearchParams();
    if (q.value) params.set("q", q.value);
    facets.forEach(function (s) { if (s.value) params.set(s.getAttribute("data-facet"), s.value); });
    if (sort.value) params.set("sort", sort.value);
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function showMore() {
    var end = Math.min(shown + PAGE, matches.length), frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) frag.appendChild(card(matches[i]));
    list.appendChild(frag);
    shown = end;
    more.hidden = shown >= matches.length;
  }
  var last = { key: "", text: null, found: [] };
  function apply() {
    var text = q.value.toLowerCase(), words = text.split(/\s+/).filter(Boolean);
    var wanted = facets.filter(function (s) { return s.value; });
    var key = sort.value + "|" + facets.map(function (s) { return s.value; }).join("|");
    // Typing on narrows the last result: search only within it.
    var pool = key === last.key && last.text !== null && text.indexOf(last.text) === 0 ? last.found
      : sort.value === "updated" ? byUpdated : sort.value === "params" ? byParams : models;
    matches = pool.filter(function (m) {
      for (var i = 0; i < wanted.length; i++) {
        if (m.facets[wanted[i].getAttribute("data-facet")].indexOf(wanted[i].value) === -1) return false;
      }
      for (var j = 0; j < words.length; j++) if (m.text.indexOf(words[j]) === -1) return false;
      return true;
    });
    last = { key: key, text: text, found: matches };
    list.textContent = "";
    shown = 0;
    showMore();
    var total = models.length, noun = total === 1 ? " model" : " models";
    count.textContent = matches.length === total ? total.toLocaleString("en-US") + noun
      : matches.length.toLocaleString("en-US") + " of " + total.toLocaleString("en-US") + noun;
    empty.hidden = matches.length !== 0;
  }

  form.hidden = false;
  more.querySelector("button").addEventListener("click", function () {
    var first = shown;
    showMore();
    var next = list.children[first];
    if (next) next.querySelector("a").focus();
  });
  readHash();
  apply();
  var pending = 0;
  q.addEventListener("input", function () {
    apply();
    clearTimeout(pending);  // the URL follows once typing pauses: rewriting it costs a frame
    pending = setTimeout(writeHash, 250);
  });
  facets.concat([sort]).forEach(function (s) {
    s.addEventListener("change", function () { apply(); writeHash(); });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
})();
