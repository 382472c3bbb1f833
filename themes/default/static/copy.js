// Copy buttons on the model id, on each code block of the card and on each Use-this-model snippet. Without JavaScript there are
// no buttons (the text stays selectable). navigator.clipboard needs a secure context, which a
// page opened from file:// is not: there the text is selected and copied with execCommand, and
// if even that is refused it stays selected for Ctrl+C.
(function () {
  "use strict";
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return sel;
  }
  function fallback(node, text) {
    var sel = select(node), done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    if (done) sel.removeAllRanges();
    return done;
  }
  function say(button, label, text) {
    button.textContent = text;
    clearTimeout(button._reset);
    button._reset = setTimeout(function () { button.textContent = label; }, 2000);
  }
  function add(after, source, label, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label;
    button.setAttribute("aria-label", name);
    button.addEventListener("click", function () {
      var text = source.getAttribute("data-copy") || source.textContent;
      var failed = function () {
        say(button, label, fallback(source, text) ? "Copied" : "Press Ctrl+C");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { say(button, label, "Copied"); }, failed);
      } else {
        failed();
      }
    });
    after.parentNode.insertBefore(button, after.nextSibling);
    return button;
  }
  var head = document.querySelector(".model-head h1[data-copy]");
  if (head) add(head, head, "Copy id", "Copy model id " + head.getAttribute("data-copy"));
  function wrapped(block, name) {
    var wrap = document.createElement("div");
    wrap.className = "code-wrap";
    block.parentNode.insertBefore(wrap, block);
    wrap.appendChild(block);
    add(block, block, "Copy", name);
  }
  var blocks = document.querySelectorAll(".model-card pre");
  for (var i = 0; i < blocks.length; i++) wrapped(blocks[i], "Copy code block " + (i + 1));
  var snippets = document.querySelectorAll(".usage-snippet");
  for (var j = 0; j < snippets.length; j++) {
    var pre = snippets[j].querySelector("pre"), summary = snippets[j].querySelector("summary");
    if (pre) wrapped(pre, "Copy the code: " + (summary ? summary.textContent.replace(/\s+/g, " ").trim() : "snippet " + (j + 1)));
  }
})();
