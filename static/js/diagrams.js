// Loads Mermaid only when a diagram comes near the viewport and draws it in the page's own
// palette and font; redraws on a theme switch. A diagram keeps a legible size: one wider than
// its frame (the <pre>, styled as a card) scrolls sideways inside it, and a button under it
// shows it full screen in a <dialog>. A diagram Mermaid cannot read becomes an error box.
const MERMAID = new URL("../vendor/mermaid/mermaid.esm.min.mjs", import.meta.url).href;
const FONT_SIZE = 16; // px: Mermaid's label size at a scale of 1
const MIN_SCALE = 0.8; // shrinks labels to 12.8 px at most; past that the frame scrolls
const blocks = [...document.querySelectorAll("pre.mermaid")];
const shown = new Set();
const errors = new Map(); // block -> the error box standing in for it
let loading = null;
let viewer = null;

for (const block of blocks) block.dataset.source = block.textContent;

const probe = document.createElement("span");
probe.hidden = true;
document.body.append(probe);

// "#rrggbb" of a custom property: light-dark() resolves only in a computed colour, and Mermaid
// mixes its shades from hex.
function cssColour(name) {
  probe.style.color = `var(${name})`;
  const [r, g, b] = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g).map(Number);
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

// Pie slices in the palette charts take (static/js/charts.js), then six deeper (light) or paler
// (dark) shades of it for slices 7 to 12: Mermaid's own pie colours are mixed from the node
// colours, near the page background, and one of them is the background itself.
const PIE = {
  light: ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2",
    "#1e3a8a", "#92400e", "#065f46", "#991b1b", "#4c1d95", "#155e75"],
  dark: ["#60a5fa", "#fbbf24", "#34d399", "#f87171", "#c4b5fd", "#22d3ee",
    "#bfdbfe", "#fde68a", "#a7f3d0", "#fecaca", "#ddd6fe", "#a5f3fc"],
};

function pieVariables(dark, c) {
  const slices = PIE[dark ? "dark" : "light"].map((hex, i) => [`pie${i + 1}`, hex]);
  return {
    ...Object.fromEntries(slices),
    pieOpacity: "1", // Mermaid's 0.7 lets the page show through and washes the colours out
    pieStrokeColor: c.bg, // a gap between slices, as charts have
    pieOuterStrokeColor: c.line,
    // Labels sit on the slices: white on the strong light colours, dark on the pale dark ones.
    pieSectionTextColor: dark ? "#111418" : "#ffffff",
    pieTitleTextColor: c.text,
    pieLegendTextColor: c.text,
  };
}

function themeVariables() {
  const c = Object.fromEntries(
    ["--bg", "--bg-soft", "--text", "--muted", "--line", "--accent", "--accent-soft"].map(
      (name) => [name.slice(2), cssColour(name)],
    ),
  );
  const dark = document.documentElement.dataset.theme === "dark";
  return {
    ...pieVariables(dark, c),
    darkMode: dark,
    fontFamily: getComputedStyle(document.body).fontFamily,
    fontSize: `${FONT_SIZE}px`,
    background: c.bg,
    primaryColor: c["accent-soft"],
    primaryBorderColor: c.accent,
    primaryTextColor: c.text,
    secondaryColor: c["bg-soft"],
    secondaryBorderColor: c.line,
    secondaryTextColor: c.text,
    tertiaryColor: c.bg,
    tertiaryBorderColor: c.line,
    tertiaryTextColor: c.text,
    textColor: c.text,
    titleColor: c.text,
    lineColor: c.muted,
    mainBkg: c["accent-soft"],
    nodeBorder: c.accent,
    nodeTextColor: c.text,
    clusterBkg: c["bg-soft"],
    clusterBorder: c.line,
    edgeLabelBackground: c.bg,
    actorBkg: c["accent-soft"],
    actorBorder: c.accent,
    actorTextColor: c.text,
    actorLineColor: c.muted,
    signalColor: c.text,
    signalTextColor: c.text,
    labelBoxBkgColor: c["bg-soft"],
    labelBoxBorderColor: c.line,
    labelTextColor: c.text,
    loopTextColor: c.text,
    noteBkgColor: c["bg-soft"],
    noteBorderColor: c.line,
    noteTextColor: c.text,
    activationBkgColor: c["bg-soft"],
    activationBorderColor: c.muted,
    sequenceNumberColor: c.bg,
  };
}

function natural(svg) {
  const box = svg.viewBox.baseVal;
  return box && box.width ? { width: box.width, height: box.height } : svg.getBBox();
}

function sizeTo(svg, scale) {
  const { width, height } = natural(svg);
  svg.removeAttribute("width");
  svg.style.maxWidth = "none";
  svg.style.width = `${width * scale}px`;
  svg.style.height = `${height * scale}px`;
}

// As large as it was drawn, or as the frame allows, but never below MIN_SCALE.
function fit(block) {
  const svg = block.querySelector("svg");
  if (!svg) return;
  const room = block.clientWidth - 2; // a pixel each side for rounding, so a fit never scrolls
  sizeTo(svg, Math.min(1, Math.max(room / natural(svg).width, MIN_SCALE)));
  const scrolls = block.scrollWidth > block.clientWidth + 1;
  if (scrolls) block.tabIndex = 0; // a scrolling region must be reachable by keyboard
  else block.removeAttribute("tabindex");
  block.classList.toggle("diagram-scrolls", scrolls);
}

// An element with a class and its text; a button that submits nothing.
function make(tag, className, text = "") {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  if (tag === "button") node.type = "button";
  return node;
}

function tools(block) {
  if (block.nextElementSibling?.classList.contains("diagram-tools")) return;
  const bar = make("div", "diagram-tools");
  const hint = make("span", "diagram-hint", "Scroll sideways for more");
  const open = make("button", "diagram-open", "Full screen");
  open.addEventListener("click", () => show(block));
  bar.append(hint, open);
  block.after(bar);
}

function failed(block, error) {
  const [first, ...rest] = String(error && error.message ? error.message : error).split("\n");
  const box = make("div", "render-error");
  box.setAttribute("role", "note");
  const message = document.createElement("p");
  const kind = document.createElement("strong");
  kind.textContent = "Diagram not shown:";
  message.append(kind, ` ${first}`);
  box.append(message);
  if (rest.join("").trim()) {
    box.append(make("pre", "error-detail", rest.join("\n")));
  }
  const source = document.createElement("pre");
  source.append(document.createElement("code"));
  source.firstChild.textContent = block.dataset.source;
  box.append(source);
  block.after(box);
  errors.set(block, box);
  block.textContent = block.dataset.source; // not Mermaid's own error picture
  block.classList.add("diagram-failed");
  block.dataset.error = first;
}

async function draw(nodes) {
  if (!nodes.length) return;
  loading ??= import(MERMAID).then((module) => module.default);
  const mermaid = await loading;
  // Labels as SVG text, not HTML: "strict" alone still lets an <img> in a label fetch its src.
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    htmlLabels: false,
    theme: "base",
    themeVariables: themeVariables(),
  });
  for (const node of nodes) {
    node.removeAttribute("data-processed");
    node.textContent = node.dataset.source;
    node.classList.remove("diagram-failed", "diagram-drawn");
    errors.get(node)?.remove();
    errors.delete(node);
  }
  for (const node of nodes) {
    try {
      await mermaid.run({ nodes: [node] });
      tools(node);
      fit(node);
      node.classList.add("diagram-drawn");
    } catch (error) {
      failed(node, error);
    }
  }
}

// One <dialog> for every diagram: the SVG moves into it while it is open, so no id repeats.
function dialog() {
  if (viewer) return viewer;
  viewer = make("dialog", "diagram-dialog");
  viewer.setAttribute("aria-label", "Diagram, full screen");
  const bar = make("div", "dialog-bar");
  const zoom = make("button", "dialog-zoom");
  const close = make("button", "dialog-close", "Close");
  const body = make("div", "dialog-body");
  body.tabIndex = 0;
  bar.append(zoom, close);
  viewer.append(bar, body);
  document.body.append(viewer);

  let actual = false;
  const scale = () => {
    const svg = body.querySelector("svg");
    const size = natural(svg);
    const whole = Math.min(1, body.clientWidth / size.width, body.clientHeight / size.height);
    sizeTo(svg, actual ? 1 : whole);
    zoom.textContent = actual ? "Fit to screen" : "Actual size";
  };
  viewer.rescale = (reset) => {
    if (reset) actual = false;
    scale();
  };
  zoom.addEventListener("click", () => {
    actual = !actual;
    scale();
  });
  close.addEventListener("click", () => viewer.close());
  viewer.addEventListener("close", () => {
    const block = viewer.owner;
    block.replaceChildren(body.querySelector("svg"));
    block.style.minHeight = "";
    fit(block);
    viewer.owner = null;
    // Closed by Escape or the button: take back the history entry that opening added.
    if (history.state && history.state.diagram) history.back();
  });
  // The back gesture closes the diagram rather than leaving the page.
  window.addEventListener("popstate", () => {
    if (viewer.open) viewer.close();
  });
  return viewer;
}

function show(block) {
  const view = dialog();
  const svg = block.querySelector("svg");
  if (!svg || view.open) return;
  block.style.minHeight = `${block.offsetHeight}px`; // the page keeps its place underneath
  view.owner = block;
  view.querySelector(".dialog-body").replaceChildren(svg);
  history.pushState({ diagram: true }, "");
  view.showModal();
  view.rescale(true);
}

const observer = new IntersectionObserver(
  (entries) => {
    const ready = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
    for (const node of ready) {
      observer.unobserve(node);
      shown.add(node);
    }
    draw(ready);
  },
  { rootMargin: "400px 0px" },
);
for (const block of blocks) observer.observe(block);

new ResizeObserver(() => {
  for (const block of shown) if (block.classList.contains("diagram-drawn")) fit(block);
  if (viewer && viewer.open) viewer.rescale(false);
}).observe(document.documentElement);

document.addEventListener("insights:theme", () => {
  if (viewer && viewer.open) viewer.close();
  draw([...shown]);
});
