/*
 * The portal's own behaviour. The Content-Security-Policy runs no inline script and applies no
 * style= attribute, so templates describe what they need with data- attributes and this file
 * does it.
 */
(function () {
  "use strict";

  // «Фильтры» on a phone: show or hide the filters of a list.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-portal-toggle='filters']");
    if (!button) {
      return;
    }
    var bar = button.closest(".filter-bar");
    if (bar) {
      bar.classList.toggle("expanded");
    }
  });

  // Widths given as data-portal-width="42" (per cent), e.g. a progress bar. Setting a style
  // property from a script is allowed by the CSP; a style= attribute in the HTML is not.
  function applyWidths(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var elements = scope.querySelectorAll("[data-portal-width]");
    if (scope.matches && scope.matches("[data-portal-width]")) {
      elements = [scope].concat(Array.prototype.slice.call(elements));
    }
    Array.prototype.forEach.call(elements, function (element) {
      var percent = Math.max(0, Math.min(100, parseFloat(element.getAttribute("data-portal-width")) || 0));
      element.style.width = percent + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyWidths(document);
  });
  // Content that htmx swaps in (the import's progress, every second).
  document.addEventListener("htmx:load", function (event) {
    applyWidths(event.target);
  });
})();
