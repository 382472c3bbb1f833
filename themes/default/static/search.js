// Index filters: narrow the models by text, task, library, language, license, size and weight
// format, and sort them by name, by last change or by parameter count. The data comes from
// search-index.js (classic scripts, so it works from file://): it holds the first models by
// name and, for a long catalog, the names of the shards with the rest (search/<name>.js),
// loaded by <script> once a reader asks for more than the first page. The state lives in
// the URL hash (#task=fill-mask&q=bert) so a view can be shared. Without JavaScript the
// page's own list stays as it is.
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
  // The models of one index file, their strings resolved against that file's own table.
  function records(part, offset) {
    var strings = part.strings;
    function str(i) { return strings[i]; }
    return part.models.map(function (row, i) {
      var task = data.tasks[row[at.task]], tags = row[at.tags].map(str);
      var library = str(row[at.library]), license = str(row[at.license]);
      return {
        row: row, at: offset + i, library: library, license: license,
        dir: row[at.dir] || "models/" + row[at.id],
        text: [row[at.id], row[at.summary], tags.join(" "), task ? task[0] : "", row[at.task]]
          .join(" ").toLowerCase(),
        facets: { task: [row[at.task]], library: [library], license: [license],
                  language: row[at.languages].map(str), size: [sizeOf(row[at.params] || 0)],
                  format: (row[at.formats] || []).map(str) }
      };
    });
  }
  var models = records(data, 0);
  var total = data.total || models.length;
  var shards = data.shards || [], arrived = [], next = 0, loading = false, failed = false;
  var sorted = {};  // by sort: the models in that order, made when first asked for
  function ordered(by) {
    if (!by) return models;
    if (!sorted[by]) {
      sorted[by] = models.slice().sort(by === "updated" ? function (a, b) {
        var x = a.row[at.updated], y = b.row[at.updated];
        return x < y ? 1 : x > y ? -1 : 0;  // newest first; the sort is stable, so ties keep name order
      } : function (a, b) {
        return (b.row[at.params] || 0) - (a.row[at.params] || 0);  // largest first, unknown last
      });
    }
    return sorted[by];
  }
  var complete = function () { return next >= shards.length; };
  // Load every shard (each a classic script that files its data under its own name); models
  // join the list in name order as soon as the shards before them are in.
  var redraw = 0;
  function loadAll() {
    if (loading || complete()) return;
    loading = true;
    var store = window.SITEGEN_SHARDS = window.SITEGEN_SHARDS || {};
    shards.forEach(function (name, i) {
      var script = document.createElement("script");
      script.src = "search/" + name + ".js";
      script.onload = script.onerror = function (e) {
        arrived[i] = store[name] && e.type === "load" ? store[name] : { strings: [], models: [] };
        if (e.type !== "load") failed = true;
        delete store[name];
        var grew = false;
        while (next < shards.length && arrived[next]) {
          models = models.concat(records(arrived[next], models.length));
          arrived[next++] = null;
          grew = true;
        }
        if (grew) { sorted = {}; hay = null; }
        if (grew && !redraw) redraw = requestAnimationFrame(function () { redraw = 0; apply(true); });
      };
      document.head.appendChild(script);
    });
  }
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
    if (m.library) meta.appendChild(chip("chip-plain", m.library));
    if (m.license) meta.appendChild(chip("chip-plain", m.license));
    if (m.row[at.params] > 0) {  // as the |short_count filter of the templates: 7.24B params
      var params = el("span", "card-params", shortCount(m.row[at.params]) + " params");
      params.title = String(m.row[at.params]).replace(/\B(?=(\d{3})+$)/g, ",") + " parameters";
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
  // Draw the next page of cards, or up to `upTo` (what the reader asked for before the
  // list grew); `want` remembers it while the shards load.
  var want = 0;
  function showMore(upTo) {
    want = Math.max(shown + PAGE, upTo || 0);
    var end = Math.min(want, matches.length), frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) frag.appendChild(card(matches[i]));
    list.appendChild(frag);
    shown = end;
    more.hidden = shown >= matches.length && (complete() || loading);
  }
  // Every model's text in one string: a word is found in all of them by one pass of the
  // browser's own string search, rather than a search per model.
  var hay = null, starts = null;
  function hits(word) {
    if (!hay) {
      hay = models.map(function (m) { return m.text; }).join("\u0000");
      starts = new Int32Array(models.length + 1);
      for (var i = 0, pos = 0; i < models.length; i++) { starts[i] = pos; pos += models[i].text.length + 1; }
      starts[models.length] = hay.length + 1;
    }
    var found = new Uint8Array(models.length), k = 0, at = hay.indexOf(word);
    while (at !== -1) {
      while (starts[k + 1] <= at) k++;
      found[k] = 1;
      at = hay.indexOf(word, starts[k + 1]);
    }
    return found;
  }
  var last = { key: "", text: null, found: [] };
  // Filter and draw; `keep`: the list grew under the reader, so keep as many cards as shown.
  function apply(keep) {
    var text = q.value.toLowerCase(), words = text.split(/\s+/).filter(Boolean);
    var wanted = facets.filter(function (s) { return s.value; });
    var key = models.length + "|" + sort.value + "|" + facets.map(function (s) { return s.value; }).join("|");
    if (!complete() && (words.length || wanted.length || sort.value)) loadAll();
    // Typing on narrows the last result: search only within it.
    var narrow = key === last.key && last.text !== null && text.indexOf(last.text) === 0;
    var pool = narrow ? last.found : ordered(sort.value);
    // A long list is searched for one word at once: the first word, or the one being typed.
    var probe = !words.length || (narrow && pool.length < 10000) ? -1 : narrow ? words.length - 1 : 0;
    var found = probe < 0 ? null : hits(words[probe]);
    matches = pool.filter(function (m) {
      if (found && !found[m.at]) return false;
      for (var i = 0; i < wanted.length; i++) {
        if (m.facets[wanted[i].getAttribute("data-facet")].indexOf(wanted[i].value) === -1) return false;
      }
      for (var j = 0; j < words.length; j++) if (j !== probe && m.text.indexOf(words[j]) === -1) return false;
      return true;
    });
    last = { key: key, text: text, found: matches };
    var keepShown = keep ? want : 0;
    list.textContent = "";
    shown = 0;
    showMore(keepShown);
    var noun = total === 1 ? " model" : " models", all = total.toLocaleString("en-US") + noun;
    var some = matches.length.toLocaleString("en-US");
    count.textContent = !words.length && !wanted.length ? all
      : !complete() ? some + " of the first " + models.length.toLocaleString("en-US") + " of " + all
        + " (loading the rest)"
      : matches.length === total ? all : some + " of " + all + (failed ? " (part of the index failed to load)" : "");
    empty.hidden = matches.length !== 0 || !complete();
  }

  form.hidden = false;
  more.querySelector("button").addEventListener("click", function () {
    var first = shown;
    if (shown + PAGE > matches.length) loadAll();  // the rest follows as it loads
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
  form.addEventListener("focusin", loadAll);  // a reader about to filter: start loading now
  form.addEventListener("pointerdown", loadAll);
  window.addEventListener("hashchange", function () { readHash(); apply(); });
})();
