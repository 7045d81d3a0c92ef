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
