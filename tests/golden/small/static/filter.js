// Filters the exercise library in place. Without JavaScript the facet links do the same job.
// The choice is kept in the address (?muscle=glutes&equipment=dumbbell) so it survives a reload.
(function () {
  "use strict";
  var form = document.getElementById("exercise-filter");
  var list = document.getElementById("exercise-list");
  var empty = document.getElementById("exercise-empty");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll(".exercise-card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var status = form.querySelector(".filter-count");

  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var match = selects.every(function (select) {
        if (!select.value) return true;
        return (card.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) !== -1;
      });
      card.hidden = !match;
      if (match) shown += 1;
    });
    empty.hidden = shown !== 0;
    status.textContent = shown + (shown === 1 ? " exercise" : " exercises") + " shown";
  }

  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    select.addEventListener("change", function () {
      var query = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
      var search = query.toString();
      // A facet page (/exercises/muscle/glutes/) lists only its own exercises: filter the whole library.
      var library = form.getAttribute("data-library");
      if (library) {
        window.location.assign(library + (search ? "?" + search : ""));
        return;
      }
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
      apply();
    });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  // The form does what the facet links do; on a phone, fold the links away so the list comes first.
  var facets = document.querySelector("details.facets");
  if (facets && window.matchMedia("(max-width: 36rem)").matches) facets.open = false;
  apply();
})();
