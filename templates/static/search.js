// The search page: Pagefind's interface over the index the build made, started with ?q= when given.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var bundle = element.getAttribute("data-bundle");
  // The index comes in parts (the build indexes again only the parts whose pages changed):
  // parts.json names the ones to merge into the main bundle's.
  fetch(bundle + "parts.json").then(function (response) {
    return response.ok ? response.json() : [];
  }).catch(function () {
    return [];
  }).then(function (parts) {
    start(bundle, Array.isArray(parts) ? parts : []);
  });

  function start(bundle, parts) {
    var base = bundle.replace(/pagefind\/$/, "");
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: base,
      mergeIndex: parts.map(function (part) {
        return { bundlePath: bundle + part, baseUrl: base };
      }),
      showSubResults: false,
      showImages: false,
      resetStyles: false
    });
    // Pagefind's box has only a placeholder: give it a visible label of its own.
    var input = element.querySelector("input");
    if (input) {
      input.id = "search-query";
      var label = document.createElement("label");
      label.setAttribute("for", input.id);
      label.className = "search-label";
      label.textContent = "Search posts and exercises";
      element.insertBefore(label, element.firstChild);
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
})();
