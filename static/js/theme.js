// Runs in <head>, before the first paint, so a stored dark theme never flashes light.
(function () {
  "use strict";
  var KEY = "insights-theme";
  var root = document.documentElement;
  var media = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "dark" || value === "light" ? value : null;
    } catch (e) {
      return null; // storage blocked: follow the system
    }
  }

  // The button is an icon: its name says what a click does, and a tooltip shows it too.
  function label(button) {
    var name = "Switch to " + (root.dataset.theme === "dark" ? "light" : "dark") + " theme";
    button.setAttribute("aria-label", name);
    button.title = name;
  }

  function use(theme) {
    root.dataset.theme = theme;
    var button = document.querySelector(".theme-toggle");
    if (button) label(button);
    document.dispatchEvent(new CustomEvent("insights:theme", { detail: theme }));
  }

  root.dataset.theme = stored() || (media.matches ? "dark" : "light");
  media.addEventListener("change", function () {
    if (!stored()) use(media.matches ? "dark" : "light");
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    label(button);
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = root.dataset.theme === "dark" ? "light" : "dark";
      try {
        window.localStorage.setItem(KEY, next);
      } catch (e) {
        // not remembered, but still switched for this page
      }
      use(next);
    });
  });
})();
