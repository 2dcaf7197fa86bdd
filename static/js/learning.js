// Learning from use on the section form. Progressive enhancement only: without this file the
// "unclear / not relevant" control posts and comes back to the same question, and a link leads
// to the library of mitigations.
(function () {
  "use strict";

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function directionOf(card) {
    var select = card.querySelector("[data-impact-toggle] select");
    return select ? select.value : "";
  }

  // Suggestions are fetched once, the first time the answer is a harm.
  function loadSuggestionsIfHarm(card) {
    var slot = card.querySelector("[data-suggestions]");
    if (slot && directionOf(card) === "negative" && window.htmx) {
      window.htmx.trigger(slot, "learning-harm");
    }
  }

  function init(root) {
    within(root, "[data-question]").forEach(function (card) {
      loadSuggestionsIfHarm(card);
      if (card.hasAttribute("data-learning-ready")) return;
      card.setAttribute("data-learning-ready", "");
      var toggle = card.querySelector("[data-impact-toggle]");
      if (toggle) toggle.addEventListener("change", function () { loadSuggestionsIfHarm(card); });
      // The feedback control is not part of the answer: changing it asks for no score preview.
      var feedback = card.querySelector("[data-question-feedback]");
      if (feedback) feedback.addEventListener("change", function (event) { event.stopPropagation(); });
    });
  }

  // "Use this text": copy a suggestion into the mitigation field (after what is there already),
  // then put the cursor in the field so the person can adapt it.
  function useSuggestion(event) {
    var button = event.target.closest && event.target.closest("[data-use-suggestion]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-target"));
    if (!field) return;
    var text = button.getAttribute("data-text");
    field.value = field.value.trim() ? field.value.replace(/\s+$/, "") + "\n" + text : text;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    var status = button.closest("[data-suggestions]").querySelector("[data-suggestion-status]");
    if (status) status.textContent = "Copied into the mitigation field.";
    field.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("click", useSuggestion);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target && event.target.isConnected ? event.target : document;
    init(target.closest ? (target.closest("[data-question]") || target) : document);
  });
  // A remark that was not accepted (400) says why beside its button; one that was clears the
  // comment box for the next.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.matches && source.matches("[data-feedback-form]") && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("[data-feedback-form]") || !event.detail.successful) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.tagName === "TEXTAREA") el.value = "";
      if (el.type === "radio") el.checked = false;
    });
  });
})();
