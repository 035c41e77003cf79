/* The dashboard's charts: every <canvas data-chart="…"> is drawn by the vendored Chart.js from
   the configuration the server wrote into the attribute (monitoring/dashboard.py: Chart.config_json).
   A static file, because the Content-Security-Policy allows no inline script. The numbers are
   also in the table under each chart, so nothing is lost without JavaScript or in print. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var config;
    try {
      config = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    config.options = config.options || {};
    config.options.plugins = { legend: { position: "bottom" } };
    new Chart(canvas, config);
  });
})();
