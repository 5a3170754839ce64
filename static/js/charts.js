// Draws every ```chart block from its JSON config (data, never code) in the page's colours and
// font, laid out for the width it has, and draws it anew when the theme or that width changes,
// and in the light theme for printing: paper is light whatever the screen's theme.
// Every colour and font the site sets goes into the chart's own config, never Chart.defaults,
// which a chart reads once, when it is made.
(function () {
  "use strict";
  var PALETTES = {
    light: ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2"],
    dark: ["#60a5fa", "#fbbf24", "#34d399", "#f87171", "#c4b5fd", "#22d3ee"],
  };
  var PER_SLICE = { pie: true, doughnut: true, polarArea: true };
  var RADIAL = { radar: true, polarArea: true };
  var NARROW = 480; // px of chart width under which a chart takes its phone layout
  var charts = [];
  var probe, measure;
  var printing = false;

  function theme() {
    return !printing && document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  // A custom property holds light-dark(...) unresolved; an element's computed colour is resolved,
  // in the light scheme while printing (the print stylesheet makes the page light, but only once
  // printing has begun, after ``beforeprint``).
  function cssColour(name) {
    probe.style.color = "var(" + name + ")";
    return getComputedStyle(probe).color;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // The author's options laid over the site's: whatever the author set wins.
  function merge(site, author) {
    if (!isObject(site) || !isObject(author)) return author === undefined ? site : author;
    var out = {};
    Object.keys(site).forEach(function (key) {
      out[key] = site[key];
    });
    Object.keys(author).forEach(function (key) {
      out[key] = merge(site[key], author[key]);
    });
    return out;
  }

  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }

  // Words into lines no wider than `width`; a single longer word keeps its own line.
  function wrap(text, width, font) {
    var lines = [];
    String(text).split(/\s+/).forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last !== undefined && textWidth(last + " " + word, font) <= width) {
        lines[lines.length - 1] = last + " " + word;
      } else if (word) {
        lines.push(word);
      }
    });
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function look(width) {
    var narrow = width < NARROW;
    return {
      narrow: narrow,
      width: width,
      text: cssColour("--text"),
      muted: cssColour("--muted"),
      grid: cssColour("--chart-grid"),
      surface: cssColour("--bg"),
      family: getComputedStyle(document.body).fontFamily,
      size: narrow ? 12 : 14,
      titleSize: narrow ? 15 : 17,
    };
  }

  function font(l, size, weight) {
    return { family: l.family, size: size || l.size, weight: weight || "normal", lineHeight: 1.25 };
  }

  function cssFont(f) {
    return f.weight + " " + f.size + "px " + f.family;
  }

  // Category labels on a horizontal axis wrap onto lines of the width each category has, so
  // they never need to turn sideways.
  function wrappedTicks(l, count) {
    var room = Math.max(40, (l.width - 48) / Math.max(count, 1) - 8);
    var f = cssFont(font(l));
    return function (value) {
      return wrap(this.getLabelForValue(value), room, f);
    };
  }

  function scale(l, id, config) {
    var scaleOptions = {
      ticks: { color: l.muted, font: font(l), maxRotation: 0, autoSkipPadding: 8 },
      grid: { color: l.grid },
      border: { color: l.grid, dash: [2, 3] },
      title: { color: l.text, font: font(l) },
    };
    if (RADIAL[config.type]) {
      scaleOptions.ticks.backdropColor = l.surface;
      scaleOptions.angleLines = { color: l.grid };
      scaleOptions.pointLabels = { color: l.text, font: font(l) };
      scaleOptions.border = { color: l.grid };
    }
    var author = (config.options.scales || {})[id] || {};
    var horizontalIndex = id === "x" && config.options.indexAxis !== "y";
    if (horizontalIndex && config.data.labels && (!author.type || author.type === "category")) {
      scaleOptions.ticks.callback = wrappedTicks(l, config.data.labels.length);
    }
    return scaleOptions;
  }

  function siteOptions(config, l) {
    var scales = {};
    var ids = RADIAL[config.type] ? ["r"] : PER_SLICE[config.type] ? [] : ["x", "y"];
    ids.concat(Object.keys(config.options.scales || {})).forEach(function (id) {
      scales[id] = scale(l, id, config);
    });
    var title = (config.options.plugins || {}).title || {};
    var titleFont = font(l, l.titleSize, "600");
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      color: l.text,
      borderColor: l.grid,
      font: font(l),
      layout: { padding: l.narrow ? 0 : 4 },
      scales: scales,
      plugins: {
        legend: {
          position: l.narrow || PER_SLICE[config.type] ? "bottom" : "top",
          labels: {
            color: l.text,
            font: font(l),
            boxWidth: l.narrow ? 12 : 16,
            boxHeight: 12,
            padding: l.narrow ? 8 : 12,
          },
        },
        title: { color: l.text, font: titleFont, padding: { top: 0, bottom: 10 } },
        subtitle: { color: l.muted, font: font(l) },
        tooltip: {
          backgroundColor: l.text,
          titleColor: l.surface,
          bodyColor: l.surface,
          footerColor: l.surface,
          titleFont: font(l, l.size, "600"),
          bodyFont: font(l),
          padding: 10,
        },
      },
    };
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) options.animation = false;
    var merged = merge(options, config.options);
    if (typeof title.text === "string") {
      merged.plugins.title.text = wrap(title.text, l.width - 8, cssFont(titleFont));
    }
    return merged;
  }

  // The plot keeps most of the height: a phone gets a taller box, and more for many categories.
  function height(config, l) {
    if (PER_SLICE[config.type] || RADIAL[config.type]) {
      return Math.round(l.narrow ? l.width + 110 : 380);
    }
    var categories = (config.data.labels || []).length;
    var base = l.narrow ? 320 : Math.min(400, Math.max(280, l.width * 0.5));
    return Math.round(base + (l.narrow ? 12 : 6) * Math.max(0, categories - 5));
  }

  // Only datasets whose author chose no colours follow the theme.
  function colour(config, surface) {
    var palette = PALETTES[theme()];
    config.data.datasets.forEach(function (dataset, i) {
      if (dataset.backgroundColor || dataset.borderColor) return;
      if (PER_SLICE[config.type]) {
        dataset.backgroundColor = dataset.data.map(function (_, j) {
          return palette[j % palette.length];
        });
        dataset.borderColor = surface;
      } else {
        var line = config.type === "line" || config.type === "radar";
        var hex = palette[i % palette.length];
        dataset.borderColor = hex;
        dataset.backgroundColor = line ? hex + "33" : hex; // translucent under a line
      }
    });
  }

  // A chart is made anew for each theme and width: Chart.js keeps the element colours it first
  // resolved, so changing them on a live chart leaves its bars and slices in the old theme.
  function build(entry, animate) {
    var l = look(entry.box.clientWidth);
    var config = JSON.parse(JSON.stringify(entry.source));
    colour(config, l.surface);
    config.options = siteOptions(entry.source, l);
    if (!animate) config.options.animation = false;
    entry.width = l.width;
    entry.box.style.height = height(entry.source, l) + "px";
    if (entry.chart) entry.chart.destroy();
    entry.chart = new Chart(entry.canvas, config);
  }

  function draw(figure) {
    var entry = { figure: figure, canvas: figure.querySelector("canvas") };
    entry.box = figure.querySelector(".chart-canvas");
    try {
      entry.source = JSON.parse(figure.querySelector("script.chart-config").textContent);
      entry.source.options = entry.source.options || {};
      // The box must show before it is measured; it stays hidden until there is a chart in it.
      figure.classList.add("chart-drawn");
      build(entry, true);
    } catch (e) {
      figure.classList.remove("chart-drawn");
      figure.classList.add("chart-failed");
      return;
    }
    charts.push(entry);
    var table = figure.querySelector("details.chart-data");
    if (table) table.open = false;
  }

  function start() {
    if (!window.Chart) return;
    probe = document.createElement("span");
    probe.hidden = true;
    document.body.appendChild(probe);
    measure = document.createElement("canvas").getContext("2d");
    Chart.defaults.plugins.colors.enabled = false;
    document.querySelectorAll("figure.chart").forEach(draw);
    var resized = new ResizeObserver(function () {
      charts.forEach(function (entry) {
        if (entry.box.clientWidth !== entry.width) build(entry, false);
      });
    });
    charts.forEach(function (entry) {
      resized.observe(entry.figure);
    });
    function rebuild() {
      charts.forEach(function (entry) {
        build(entry, false);
      });
    }
    document.addEventListener("insights:theme", rebuild);
    // Only a dark page's charts change for paper; the probe then resolves the light scheme.
    function print(starts) {
      if (document.documentElement.dataset.theme !== "dark") return;
      printing = starts;
      probe.style.colorScheme = starts ? "light" : "";
      rebuild();
    }
    window.addEventListener("beforeprint", function () {
      print(true);
    });
    window.addEventListener("afterprint", function () {
      print(false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
