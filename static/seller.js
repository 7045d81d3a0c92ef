// Small behaviours of the Seller Center pages. Everything lives in static files: the
// Content-Security-Policy allows no inline script, style attribute or event handler.
(function () {
  "use strict";

  // Progress bars carry their value in data-progress; the width is set here (CSSOM changes
  // are allowed by the policy, a style="width: …" attribute is not).
  function drawProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = value + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawProgress(document);
  });
  document.addEventListener("htmx:load", function (event) {
    drawProgress(event.target);
  });

  // A "select all" box ticks every checkbox of its name (data-select-all="order") on the page.
  // Delegated from the document, so it works on pages htmx swaps in as well.
  document.addEventListener("change", function (event) {
    var all = event.target.closest ? event.target.closest("[data-select-all]") : null;
    if (!all) {
      return;
    }
    var name = all.dataset.selectAll;
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();

// At phone width the clock is a <details> menu over the page: once the focus leaves it (Tab
// past its last move), it closes, so it never covers the element that has the focus.
(function () {
  "use strict";
  document.addEventListener("focusout", function (event) {
    var menu = event.target.closest ? event.target.closest("details.clock-menu") : null;
    if (menu && menu.open && !(event.relatedTarget && menu.contains(event.relatedTarget))) {
      menu.open = false;
    }
  });
})();
