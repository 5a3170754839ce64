// Loads Mermaid only when a diagram comes near the viewport, then redraws on theme change.
const MERMAID = new URL("../vendor/mermaid/mermaid.esm.min.mjs", import.meta.url).href;
const blocks = [...document.querySelectorAll("pre.mermaid")];
const shown = new Set();
let loading = null;

for (const block of blocks) block.dataset.source = block.textContent;

function mermaidTheme() {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "default";
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
    theme: mermaidTheme(),
  });
  for (const node of nodes) {
    node.removeAttribute("data-processed");
    node.textContent = node.dataset.source;
    node.classList.remove("diagram-failed", "diagram-drawn");
  }
  for (const node of nodes) {
    try {
      await mermaid.run({ nodes: [node] });
      node.classList.add("diagram-drawn");
    } catch (error) {
      // Keep the source readable and say why it is not a picture.
      node.textContent = node.dataset.source;
      node.classList.add("diagram-failed");
      node.dataset.error = String(error && error.message ? error.message : error).split("\n")[0];
    }
  }
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

document.addEventListener("insights:theme", () => draw([...shown]));
