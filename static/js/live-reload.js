// Live reload while writing, loaded only when the site runs in debug mode (see
// blueprints/live_reload.py). The stream named in data-events reports "reload" once what this
// page shows has changed on disk since it was drawn.
(function () {
  "use strict";
  var url = document.currentScript.dataset.events;
  var source = null;

  function open() {
    if (source) return;
    source = new EventSource(url);
    source.addEventListener("reload", function () {
      source.close();
      window.location.reload();
    });
  }

  // A browser keeps about six connections to a host: a hidden tab gives its stream back, so a
  // writer's many open pages never starve the one in front. On return the page's own version
  // is asked about again, so a change made meanwhile reloads it at once.
  function close() {
    if (source) source.close();
    source = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) close();
    else open();
  });
  if (!document.hidden) open();
})();
