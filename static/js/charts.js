// Draws every ```chart block: reads its JSON config (data, never code) and redraws on theme change.
(function () {
  "use strict";
  var PALETTES = {
    light: ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2"],
    dark: ["#60a5fa", "#fbbf24", "#34d399", "#f87171", "#c4b5fd", "#22d3ee"],
  };
  var PER_SLICE = { pie: true, doughnut: true, polarArea: true };
  var drawn = [];

  function theme() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  function translucent(hex) {
    return hex + "33";
  }

  // Only datasets whose author chose no colours follow the theme.
  function colour(chart) {
    var palette = PALETTES[theme()];
    chart.data.datasets.forEach(function (dataset, i) {
      if (!dataset.$themed) return;
      if (PER_SLICE[chart.config.type]) {
        dataset.backgroundColor = dataset.data.map(function (_, j) {
          return palette[j % palette.length];
        });
        dataset.borderColor = getComputedStyle(document.body).backgroundColor;
      } else {
        var line = chart.config.type === "line" || chart.config.type === "radar";
        dataset.borderColor = palette[i % palette.length];
        dataset.backgroundColor = line ? translucent(palette[i % palette.length]) : palette[i % palette.length];
      }
    });
  }

  function defaults() {
    var style = getComputedStyle(document.body);
    Chart.defaults.color = style.color;
    Chart.defaults.borderColor = theme() === "dark" ? "rgba(255,255,255,0.14)" : "rgba(0,0,0,0.1)";
    Chart.defaults.font.family = style.fontFamily;
  }

  function draw(figure) {
    var source = figure.querySelector("script.chart-config");
    var canvas = figure.querySelector("canvas");
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (e) {
      figure.classList.add("chart-failed");
      return;
    }
    config.options = config.options || {};
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) config.options.animation = false;
    config.data.datasets.forEach(function (dataset) {
      dataset.$themed = !dataset.backgroundColor && !dataset.borderColor;
    });
    var chart = new Chart(canvas, config);
    colour(chart);
    chart.update("none");
    drawn.push(chart);
    var table = figure.querySelector("details.chart-data");
    if (table) table.open = false;
    figure.classList.add("chart-drawn");
  }

  function start() {
    if (!window.Chart) return;
    defaults();
    Chart.defaults.plugins.colors.enabled = false;
    document.querySelectorAll("figure.chart").forEach(draw);
  }

  document.addEventListener("insights:theme", function () {
    if (!window.Chart) return;
    defaults();
    drawn.forEach(function (chart) {
      colour(chart);
      chart.update("none");
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
