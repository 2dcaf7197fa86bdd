// Accessibility helpers that apply to every page (progressive enhancement: pages work without).
(function () {
  "use strict";

  // A confirmation shown after a redirect ("Section saved") is in a role=status box that is
  // already filled when the page loads, which screen readers do not announce (WCAG 4.1.3). When
  // the address names a place on the page (#D05, the section just saved) the reader stays there
  // and the text is repeated a moment later into an empty live region, which is announced;
  // otherwise focus moves to the confirmation. An error summary, focused by app.js, wins.
  function announceConfirmation() {
    var box = document.querySelector("[data-focus-on-load]");
    if (!box || document.getElementById("error-summary")) return;
    if (window.location.hash && document.getElementById(window.location.hash.slice(1))) {
      var announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      document.body.appendChild(announcer);
      window.setTimeout(function () { announcer.textContent = box.textContent.trim(); }, 300);
      return;
    }
    if (document.activeElement && document.activeElement !== document.body) return;
    box.focus();
  }

  // A table wider than its box scrolls inside it; keyboard users can only scroll a box they can
  // focus, and a focusable box needs a role and a name (WCAG 1.4.10, 2.1.1).
  function labelOf(region) {
    var caption = region.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heading = region.closest("section, article, main");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() + " (table)" : "Table";
  }

  // A table outside a scroll box would widen the whole page on a phone; give it one.
  function boxWideTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-responsive") || table.scrollWidth <= table.parentElement.clientWidth + 1) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function markScrollableRegions() {
    boxWideTables();
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        if (!region.hasAttribute("aria-label")) region.setAttribute("aria-label", labelOf(region));
        region.setAttribute("data-made-scrollable", "");
      } else if (!scrolls && region.hasAttribute("data-made-scrollable")) {
        ["tabindex", "role", "aria-label", "data-made-scrollable"].forEach(function (name) {
          region.removeAttribute(name);
        });
      }
    });
  }

  // The sticky save bar must never hide the control that has focus (WCAG 2.4.11). CSS scroll
  // padding covers most cases; this catches the rest (e.g. a tall bar after zooming).
  function keepFocusAboveStickyBar(event) {
    // Wait until the browser has scrolled the newly focused control into view itself.
    window.requestAnimationFrame(function () { moveAboveStickyBar(event.target); });
  }

  function moveAboveStickyBar(target) {
    var bar = document.querySelector(".sticky-actions");
    if (!bar || !target.getBoundingClientRect || bar.contains(target)) return;
    if (window.getComputedStyle(bar).position !== "sticky") return;
    var barTop = bar.getBoundingClientRect().top;
    var bottom = target.getBoundingClientRect().bottom;
    if (bottom > barTop - 8 && barTop < window.innerHeight) {
      window.scrollBy({ top: bottom - barTop + 16, behavior: "instant" });
    }
  }

  var resizeTimer = null;
  document.addEventListener("DOMContentLoaded", function () {
    markScrollableRegions();
    announceConfirmation();
  });
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollableRegions, 150);
  });
  document.addEventListener("htmx:afterSettle", markScrollableRegions);
  document.addEventListener("focusin", keepFocusAboveStickyBar);
})();
