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

// Every page follows the background work of its sandbox (lifecycle/follow.py): a hidden element
// polls with the sandbox's version as the page was rendered; when a job changed the sandbox
// (a deletion finalized, an export ready, a request lapsed), the answer triggers
// "sandbox-changed" and the page is fetched again and swapped in, where it is scrolled to. While
// the trainee is filling in a form, nothing they typed is thrown away: a notice offers the
// changes instead. While a menu or the tour is open, it waits for the next poll.
(function () {
  "use strict";
  var refreshing = false;

  function edited(form) {
    return form.dataset.edited === "1";
  }

  // A form counts as being filled in once the trainee changed one of its fields, until it is
  // sent (a filter sent by htmx keeps its choice in the address, which the refresh reloads).
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form) {
      form.dataset.edited = "1";
    }
  });
  function sent(form) {
    if (form && form.tagName === "FORM") {
      delete form.dataset.edited;
    }
  }
  document.addEventListener("submit", function (event) {
    sent(event.target);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    sent(event.detail && event.detail.elt);
  });

  function busy() {
    return Boolean(
      document.body.classList.contains("driver-active") ||
        document.querySelector(".dropdown-menu.show, .offcanvas.show, .modal.show, details.clock-menu[open]")
    );
  }

  function notice(shown) {
    var box = document.getElementById("sandbox-changed");
    if (box) {
      box.hidden = !shown;
    }
  }

  function refresh() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    var here = window.location.href;
    window
      .fetch(here, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        // The page now answers with another one (the account was deleted): go there.
        if (response.redirected && new URL(response.url).pathname !== window.location.pathname) {
          window.location.assign(response.url);
          return null;
        }
        if (!response.ok || window.location.href !== here) {
          return null;
        }
        return response.text().then(function (html) {
          window.htmx.swap(document.body, html, { swapStyle: "innerHTML" });
        });
      })
      .catch(function () {
        // The server did not answer: the next poll asks again.
      })
      .then(function () {
        refreshing = false;
      });
  }

  document.addEventListener("sandbox-changed", function () {
    if (Array.prototype.some.call(document.forms, edited)) {
      notice(true);
    } else if (!busy()) {
      refresh();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-sandbox-refresh]")) {
      refresh();
    }
  });
})();
