// Gallery lightbox. A thumbnail links to "#view-N"; the view shows through :target, with or
// without JavaScript. This script only adds keys (Escape closes, arrows move), keeps Tab in
// the open view, and gives focus back to the thumbnail of the last image seen on close.
(function () {
  "use strict";
  var last = null;  // id of the view open before the current hash

  function openView() {
    var id = decodeURIComponent(location.hash.slice(1));
    var view = id ? document.getElementById(id) : null;
    return view && view.hasAttribute("data-lightbox") ? view : null;
  }

  function follow(link) {  // move without piling up history entries
    if (!link) return;
    location.replace(link.getAttribute("href"));
    sync();  // now, not when "hashchange" arrives: keys pressed meanwhile find focus in place
  }

  function sync() {
    var view = openView();
    if (view) {
      view.querySelector("[data-close]").focus({ preventScroll: true });
    } else if (last) {
      var thumb = document.querySelector('a.lightbox-open[href="#' + last + '"]');
      if (thumb) thumb.focus();
    }
    last = view ? view.id : null;
  }

  document.addEventListener("keydown", function (event) {
    var view = openView();
    if (!view || event.altKey || event.ctrlKey || event.metaKey) return;
    var key = { Escape: "[data-close]", ArrowLeft: "[data-prev]", ArrowRight: "[data-next]" }[event.key];
    if (key) {
      event.preventDefault();
      follow(view.querySelector(key));
    } else if (event.key === "Tab") {
      var links = view.querySelectorAll("a[href]:not([tabindex='-1'])");
      var first = links[0], end = links[links.length - 1];
      if (event.shiftKey ? document.activeElement === first : document.activeElement === end) {
        event.preventDefault();
        (event.shiftKey ? end : first).focus();
      } else if (!view.contains(document.activeElement)) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-lightbox] [data-prev], [data-lightbox] [data-next], [data-lightbox] [data-close], .lightbox-backdrop");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    follow(link);
  });

  window.addEventListener("hashchange", sync);
  sync();
})();
