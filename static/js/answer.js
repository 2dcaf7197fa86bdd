// The section form, made faster with a keyboard. Progressive enhancement only: without this
// file every field shows, every group box is its own tab stop, and each "Save this question"
// button saves through an ordinary form post.
(function () {
  "use strict";

  function directionOf(card) {
    var select = card.querySelector("[data-impact-toggle] select");
    return select ? select.value : "";
  }

  // Fields that apply to one direction only (benefit distribution, how a benefit is secured)
  // hide, and are left out of the post, for the others. app.js has already shown or hidden the
  // whole impact block; this runs after it.
  function syncDirectionFields(card) {
    var direction = directionOf(card);
    card.querySelectorAll("[data-show-for]").forEach(function (block) {
      var show = block.getAttribute("data-show-for").split(" ").indexOf(direction) !== -1 ||
        !!block.querySelector(".is-invalid");
      block.hidden = !show;
      if (!show) {
        block.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = true; });
      } else if (!card.querySelector("[data-impact-fields]").hidden) {
        block.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = false; });
      }
    });
  }

  // ---- population groups: one tab stop for the whole table, arrow keys inside it

  function visibleRows(picker) {
    return Array.prototype.filter.call(picker.querySelectorAll("[data-group-row]"), function (row) {
      return !row.hidden;
    });
  }

  function boxIn(row, column) {
    return row ? row.querySelector("[data-group-col='" + column + "']") : null;
  }

  function makeActive(picker, box) {
    picker.querySelectorAll("[data-group-col]").forEach(function (el) { el.tabIndex = -1; });
    if (box) box.tabIndex = 0;
  }

  function activeBox(picker) {
    var box = picker.querySelector("[data-group-col][tabindex='0']");
    if (box && !box.closest("tr").hidden) return box;
    var first = boxIn(visibleRows(picker)[0], 0);
    makeActive(picker, first);
    return first;
  }

  function move(picker, box, key) {
    var rows = visibleRows(picker);
    var index = rows.indexOf(box.closest("tr"));
    var column = box.getAttribute("data-group-col");
    var target = null;
    if (key === "ArrowDown") target = boxIn(rows[Math.min(index + 1, rows.length - 1)], column);
    else if (key === "ArrowUp") target = boxIn(rows[Math.max(index - 1, 0)], column);
    else if (key === "ArrowRight") target = boxIn(rows[index], 1);
    else if (key === "ArrowLeft") target = boxIn(rows[index], 0);
    else if (key === "Home") target = boxIn(rows[0], column);
    else if (key === "End") target = boxIn(rows[rows.length - 1], column);
    if (!target) return false;
    makeActive(picker, target);
    target.focus();
    return true;
  }

  function filterRows(picker, text) {
    var wanted = text.trim().toLowerCase();
    picker.querySelectorAll("[data-group-row]").forEach(function (row) {
      row.hidden = wanted !== "" && row.getAttribute("data-group-text").indexOf(wanted) === -1;
    });
    activeBox(picker);
  }

  // "More than others" implies "Affected"; un-ticking "Affected" clears "More than others".
  function keepTicksConsistent(box) {
    var row = box.closest("tr");
    var affected = boxIn(row, 0);
    var more = boxIn(row, 1);
    if (box === more && more.checked) affected.checked = true;
    if (box === affected && !affected.checked) more.checked = false;
  }

  function initPicker(picker) {
    if (picker.hasAttribute("data-ready")) return;
    picker.setAttribute("data-ready", "");
    var filter = picker.querySelector("[data-group-filter]");
    picker.querySelector(".group-filter").hidden = false;
    picker.querySelectorAll(".js-only-hint").forEach(function (hint) { hint.hidden = false; });
    activeBox(picker);
    filter.addEventListener("input", function () { filterRows(picker, filter.value); });
    filter.addEventListener("keydown", function (event) {
      // Enter or Down in the filter goes to the first matching group, never submits the form.
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        var box = activeBox(picker);
        if (box) box.focus();
      }
    });
    picker.addEventListener("keydown", function (event) {
      var box = event.target.closest && event.target.closest("[data-group-col]");
      if (box && move(picker, box, event.key)) event.preventDefault();
    });
    picker.addEventListener("focusin", function (event) {
      if (event.target.matches("[data-group-col]")) makeActive(picker, event.target);
    });
    picker.addEventListener("change", function (event) {
      if (event.target.matches("[data-group-col]")) keepTicksConsistent(event.target);
    });
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function init(root) {
    within(root, "[data-question]").forEach(function (card) {
      syncDirectionFields(card);
      if (!card.hasAttribute("data-direction-ready")) {
        card.setAttribute("data-direction-ready", "");
        var toggle = card.querySelector("[data-impact-toggle]");
        if (toggle) toggle.addEventListener("change", function () { syncDirectionFields(card); });
      }
    });
    within(root, "[data-group-picker]").forEach(initPicker);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target && event.target.isConnected ? event.target : document;
    init(target.closest ? (target.closest("[data-question]") || target) : document);
  });
  // The preview only means something for an answer with an impact; skip the round trip for
  // the others (their impact fields, preview included, are hidden).
  document.addEventListener("htmx:confirm", function (event) {
    var el = event.detail.elt;
    if (!el || !el.classList || !el.classList.contains("answer-preview")) return;
    var card = el.closest("[data-question]");
    if (card && ["positive", "negative", "uncertain"].indexOf(directionOf(card)) === -1) {
      event.preventDefault();
    }
  });

  // A question that could not be saved comes back with its errors (400) or a conflict note
  // (409): show them rather than dropping the answer, as htmx does by default for errors.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var status = event.detail.xhr.status;
    if (source && source.closest && source.closest("[data-question]") && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
