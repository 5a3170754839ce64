// Gives each highlighted code block a bar with its language and a button that copies its text.
// Loaded only on articles with code; without it the block is the plain, scrollable <pre>.
(function () {
  "use strict";
  var RESET_MS = 2000; // how long the button says "Copied"

  function copier(code, status) {
    var button = document.createElement("button");
    var timer = null;
    button.type = "button";
    button.className = "code-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.replace(/\n$/, "")).then(
        function () {
          button.textContent = "Copied";
          button.setAttribute("aria-label", "Code copied");
          button.classList.add("copied");
          status.textContent = "Code copied to the clipboard";
        },
        function () {
          button.textContent = "Copy failed";
          status.textContent = "The browser did not allow copying: select the code instead";
        },
      );
      clearTimeout(timer);
      timer = setTimeout(function () {
        button.textContent = "Copy";
        button.setAttribute("aria-label", "Copy code");
        button.classList.remove("copied");
        status.textContent = "";
      }, RESET_MS);
    });
    return button;
  }

  function enhance(block) {
    var pre = block.querySelector("pre");
    var code = pre && pre.querySelector("code");
    if (!code) return;
    var bar = document.createElement("div");
    bar.className = "code-bar";
    var language = document.createElement("span");
    var match = /\blanguage-(\S+)/.exec(block.className);
    language.className = "code-lang";
    language.textContent = match && match[1] !== "text" ? match[1] : "";
    bar.appendChild(language);
    if (navigator.clipboard && window.isSecureContext) {
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      bar.appendChild(status);
      bar.appendChild(copier(code, status));
    }
    block.insertBefore(bar, pre);
  }

  document.querySelectorAll(".prose div.highlight").forEach(enhance);
})();
