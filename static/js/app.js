// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var CHARACTERISED = ["positive", "negative", "uncertain"];

  function directionOf(card) {
    var checked = card.querySelector("[data-impact-toggle] select, [data-impact-toggle] input:checked");
    return checked ? checked.value : "";
  }

  // Show the impact record only for answers that have one; hidden inputs are disabled so a
  // value left behind after changing the direction is not submitted. Fields the server
  // flagged as wrong stay visible so the person can see and clear them.
  function syncImpactFields(card) {
    var fields = card.querySelector("[data-impact-fields]");
    if (!fields) return;
    var show = CHARACTERISED.indexOf(directionOf(card)) !== -1 || !!fields.querySelector(".is-invalid");
    fields.hidden = !show;
    fields.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
  }

  // After an error, or after htmx replaces part of the page, put keyboard and screen-reader
  // focus somewhere meaningful: the error summary if there is one, else an element marked
  // data-focus-after-swap.
  function placeFocus(root) {
    var target = root.querySelector("#error-summary") || root.querySelector("[data-focus-after-swap]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function init(root) {
    // An htmx swap may hand over the card itself (one question saved on its own).
    var cards = Array.prototype.slice.call(root.querySelectorAll(".question-card"));
    if (root.matches && root.matches(".question-card")) cards.unshift(root);
    cards.forEach(function (card) {
      syncImpactFields(card);
      var toggle = card.querySelector("[data-impact-toggle]");
      if (toggle) toggle.addEventListener("change", function () { syncImpactFields(card); });
    });
    placeFocus(root);
  }

  // A link in an error summary moves focus into the field it names (a plain fragment link
  // only scrolls), opening a collapsed <details> or hidden impact block around it first.
  function followErrorLink(event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#'], #error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    var details = field.closest("details");
    if (details) details.open = true;
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("click", followErrorLink);
  // afterSettle fires once the new content is in place; an outerHTML swap may have detached
  // the element the event started on, in which case look in the whole document.
  document.addEventListener("htmx:afterSettle", function (event) {
    init(event.target && event.target.isConnected ? event.target : document);
  });
})();
