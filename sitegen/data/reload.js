// Added by `sitegen serve` to the pages it serves (never to a built site): reload when the
// site is rebuilt, and show the build's errors over the page until they are fixed.
(function () {
  "use strict";
  var version = new URL(document.currentScript.src).searchParams.get("v");
  var overlay = null;

  function show(problems) {
    if (overlay) { overlay.remove(); overlay = null; }
    // A model's error page lists its own errors: no overlay over it.
    if (!problems.length || document.body.classList.contains("sitegen-error")) return;
    overlay = document.createElement("section");
    overlay.className = "sitegen-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-label", "Build errors");
    var head = document.createElement("header");
    var title = document.createElement("h2");
    title.textContent = problems.length === 1 ? "1 build error" : problems.length + " build errors";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", function () { overlay.hidden = true; });
    head.appendChild(title);
    head.appendChild(close);
    overlay.appendChild(head);
    var list = document.createElement("pre");
    list.textContent = problems.join("\n");
    overlay.appendChild(list);
    var note = document.createElement("p");
    note.textContent = "Fix the file and save: this page reloads by itself.";
    overlay.appendChild(note);
    document.body.appendChild(overlay);
  }

  var events = new EventSource("/__sitegen/events");
  events.onmessage = function (e) {
    var state = JSON.parse(e.data);
    if (String(state.version) !== version) {
      events.close();
      location.reload();
      return;
    }
    show(state.problems);
  };
  // The server keeps a few pages listening; when newer ones take this one's place, it says
  // so, and this page stops (it would otherwise reconnect and push out another).
  events.addEventListener("bye", function () { events.close(); });
})();
