// Filters the exercise library in place: by name, and by muscle, equipment, level and category.
// Without JavaScript the facet links (static pages) do the same job. The choice is kept in the
// address (?q=lunge&muscle=glutes) so it survives a reload and can be shared, and the facet links
// follow it: with JavaScript a link sets its filter here instead of opening its page.
(function () {
  "use strict";
  var form = document.getElementById("exercise-filter");
  var list = document.getElementById("exercise-list");
  var empty = document.getElementById("exercise-empty");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll(".exercise-card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var name = form.querySelector('input[name="q"]');
  var status = form.querySelector(".filter-count");
  var chips = Array.prototype.slice.call(document.querySelectorAll("a[data-facet]"));
  var library = form.getAttribute("data-library");  // set on a facet page, which lists only its own

  function words(text) {
    return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  }

  function query() {
    var search = new URLSearchParams();
    if (name.value.trim()) search.set("q", name.value.trim());
    selects.forEach(function (s) { if (s.value) search.set(s.name, s.value); });
    return search.toString();
  }

  function apply() {
    var wanted = words(name.value);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-name") || "";
      var match = wanted.every(function (word) { return text.indexOf(word) !== -1; }) &&
        selects.every(function (select) {
          if (!select.value) return true;
          return (card.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) !== -1;
        });
      card.hidden = !match;
      if (match) shown += 1;
    });
    empty.hidden = shown !== 0;
    status.textContent = shown + (shown === 1 ? " exercise" : " exercises") + " shown";
    chips.forEach(function (chip) {
      var select = form.querySelector('select[name="' + chip.getAttribute("data-facet") + '"]');
      if (select && select.value === chip.getAttribute("data-value")) chip.setAttribute("aria-current", "true");
      else chip.removeAttribute("aria-current");
    });
  }

  function changed() {
    var search = query();
    if (library) {
      window.location.assign(library + (search ? "?" + search : ""));
      return;
    }
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    apply();
  }

  var params = new URLSearchParams(window.location.search);
  name.value = params.get("q") || "";
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    select.addEventListener("change", changed);
  });
  name.addEventListener("input", function () {
    if (!library) changed();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    changed();
  });
  chips.forEach(function (chip) {
    chip.addEventListener("click", function (event) {
      var select = form.querySelector('select[name="' + chip.getAttribute("data-facet") + '"]');
      if (!select) return;
      event.preventDefault();
      var value = chip.getAttribute("data-value");
      select.value = select.value === value ? "" : value;  // a second click on the same chip clears it
      changed();
    });
  });
  form.hidden = false;
  // The form does what the facet links do; on a phone, fold the links away so the list comes first.
  var facets = document.querySelector("details.facets");
  if (facets && window.matchMedia("(max-width: 36rem)").matches) facets.open = false;
  apply();
})();
