/* The kg/lb switch: every load written with a unit is shown in the reader's choice, on every page.
   The choice stays on this device (localStorage); without this script loads show as the site has them. */
(function () {
  "use strict";
  var KEY = "fitfocus-units";
  var switches = document.querySelectorAll(".units-switch");

  function chosen() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function apply(unit) {
    if (unit !== "kg" && unit !== "lb") return;
    document.querySelectorAll(".load[data-kg]").forEach(function (el) {
      el.textContent = el.getAttribute("data-" + unit + "-text");
    });
    document.querySelectorAll(".units-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-units") === unit ? "true" : "false");
    });
    document.dispatchEvent(new CustomEvent("fitfocus-units", { detail: unit }));
  }

  switches.forEach(function (box) {
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-units]");
      if (!button) return;
      var unit = button.getAttribute("data-units");
      try { window.localStorage.setItem(KEY, unit); } catch (e) { /* private mode: this page only */ }
      apply(unit);
    });
  });
  apply(chosen());
})();
