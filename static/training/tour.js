/* The first-visit tour of the Seller Center (driver.js, vendored in static/vendor/).
 *
 * It starts on its own while #tour says data-autostart="1" (the person has not closed it yet),
 * and again from the help menu's "Take the tour". Closing or finishing it posts to the
 * data-dismiss-url, so it is remembered for the person, not the browser.
 * Steps whose element is not on the page are left out.
 */
(function () {
  "use strict";

  var STEPS = [
    { element: "[data-tour='scenarios'], a[href*='/scenarios']", title: "Scenarios",
      description: "Missions to practise: each builds a fresh sandbox and grades what you do on its timeline." },
    { element: "#sidenav a[href$='/settings/']", title: "Linked accounts and account type",
      description: "Account Settings holds the shop links (unlink, relink), the account type and the connected apps." },
    { element: "[data-testid='account-type']", title: "Account type",
      description: "Personal, creator or business: switching shows what you gain and lose first." },
    { element: "#sidenav a[href$='/exports/']", title: "Data exports",
      description: "Back up orders, products and customers before anything drastic; the file arrives in the Inbox." },
    { element: "[data-tour='close-account'], #sidenav a[href$='/settings/']", title: "Closing the account",
      description: "Close or pause the account from Account Settings: a checklist, a confirmation email, then a grace period." },
    { element: "#clock", title: "The sandbox clock",
      description: "Each sandbox keeps its own time: move it forward to see a 30-day grace period end in one click." }
  ];

  function csrfHeaders() {
    var raw = document.body.getAttribute("data-hx-headers") || "{}";
    try { return JSON.parse(raw); } catch (e) { return {}; }
  }

  function remember(holder) {
    if (holder.getAttribute("data-autostart") !== "1") { return; }
    holder.setAttribute("data-autostart", "0");
    var headers = csrfHeaders();
    headers["X-Requested-With"] = "fetch";
    fetch(holder.getAttribute("data-dismiss-url"), { method: "POST", headers: headers, credentials: "same-origin" });
  }

  // driver.js marks the highlighted element as a popup trigger (aria-expanded and friends);
  // on a plain element (the clock, a badge, its own placeholder) that is invalid ARIA, so the
  // marks are taken off as soon as they are set (an observer runs before anything else can).
  var TRIGGERS = "a[href], button";
  var watcher = new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var el = change.target;
      if (el.classList.contains("driver-active-element") && !el.matches(TRIGGERS) &&
          el.hasAttribute("aria-expanded")) {
        ["aria-expanded", "aria-haspopup", "aria-controls"].forEach(function (name) {
          el.removeAttribute(name);
        });
      }
    });
  });

  function start(holder) {
    var factory = window.driver && window.driver.js && window.driver.js.driver;
    if (!factory) { return; }
    var steps = [{ popover: { title: "Welcome to your practice Seller Center",
      description: "A short tour of where things are. Close it at any time; the Help menu brings it back." } }];
    STEPS.forEach(function (step) {
      var element = document.querySelector(step.element);
      if (element) {
        steps.push({ element: element, popover: { title: step.title, description: step.description } });
      }
    });
    var tour = factory({
      showProgress: true,
      allowClose: true,
      steps: steps,
      onDestroyed: function () { watcher.disconnect(); remember(holder); }
    });
    watcher.observe(document.body, { attributes: true, subtree: true, attributeFilter: ["aria-expanded"] });
    tour.drive();
  }

  function wire() {
    var holder = document.getElementById("tour");
    if (!holder || holder.getAttribute("data-wired") === "1") { return; }
    holder.setAttribute("data-wired", "1");
    document.querySelectorAll("[data-tour-start]").forEach(function (button) {
      button.addEventListener("click", function () { start(holder); });
    });
    if (holder.getAttribute("data-autostart") === "1") { start(holder); }
  }

  document.addEventListener("DOMContentLoaded", wire);
  document.addEventListener("htmx:load", wire);
})();
