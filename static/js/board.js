// Portfolio dashboard: a table region is a tab stop only while it scrolls sideways, so keyboard
// users can scroll the wide ones (WCAG 2.1.1) without stepping through every narrow table too.
// Without this script every region stays focusable, which is the safe side.
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".table-responsive[data-focus-when-scrolling]").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
