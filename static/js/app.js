// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var CHARACTERISED = ["positive", "negative", "uncertain"];

  function directionOf(card) {
    var checked = card.querySelector("[data-impact-toggle] select, [data-impact-toggle] input:checked");
    return checked ? checked.value : "";
  }

  // Show the impact record only for answers that have one; hidden inputs are disabled so a
  // value left behind after changing the direction is not submitted.
  function syncImpactFields(card) {
    var fields = card.querySelector("[data-impact-fields]");
    if (!fields) return;
    var show = CHARACTERISED.indexOf(directionOf(card)) !== -1;
    fields.hidden = !show;
    fields.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
  }

  function init(root) {
    root.querySelectorAll(".question-card").forEach(function (card) {
      syncImpactFields(card);
      var toggle = card.querySelector("[data-impact-toggle]");
      if (toggle) toggle.addEventListener("change", function () { syncImpactFields(card); });
    });
    var summary = root.querySelector("#error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
