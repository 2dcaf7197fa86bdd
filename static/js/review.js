// The review page: a verdict is recorded in place (htmx swaps the answer's card). Without this
// file, or without JavaScript, each verdict is an ordinary post and redirect.
(function () {
  "use strict";

  function isCard(el) {
    return !!(el && el.classList && el.classList.contains("review-card"));
  }

  // A refused verdict comes back as 400 with the card showing the choice and the error: swap it
  // in like a success (htmx leaves 4xx responses out by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 && isCard(event.detail.target)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The button that was pressed went away with the old card: put focus on the card's message,
  // the error when the verdict was refused (WCAG 3.3.1, 4.1.3), so it is read out and the next
  // Tab continues from the card.
  function focusMessage(card) {
    var message = card && card.querySelector(".verdict-message");
    if (message) message.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    var card = isCard(target) && target.isConnected ? target : null;
    if (!card && target && target.id) card = document.getElementById(target.id);
    if (isCard(card)) focusMessage(card);
  });

  // After a full-page refusal (no htmx), start at the error too.
  document.addEventListener("DOMContentLoaded", function () {
    var error = document.querySelector("[data-verdict-error]");
    if (error) error.focus();
  });
})();
