// The search page: Pagefind's interface over the index the build made, started with ?q= when given.
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
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
})();
