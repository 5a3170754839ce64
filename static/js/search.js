// Search where no server answers it: the static export. The export's search page is the page
// for an empty query, so when the address asks for a query that the page was not made for, this
// script fetches the index the export wrote (search/index.json) and shows the matches itself.
// On the site itself the page already holds its results and this script does nothing.
(() => {
  "use strict";
  const section = document.querySelector(".search-results");
  const params = new URLSearchParams(location.search);
  const asked = (params.get("q") || "").trim();
  const tag = (params.get("tag") || "").trim();
  if (!section || !asked || section.dataset.query) return;

  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  // The same reading as the server's: "quoted phrases", words, a trailing * for a prefix when
  // the last word before it has two letters or digits at least.
  const prefixable = (text) => ((text.match(/[\p{L}\p{N}]+/gu) || [""]).at(-1)).length >= 2;
  const terms = [...asked.slice(0, 200).matchAll(/"([^"]*)(?:"(\*)?|$)|([^\s"]+)/g)]
    .map(([, phrase, star, word]) => word
      ? { text: fold(word.replace(/\*+$/, "")), prefix: word.endsWith("*") }
      : { text: fold(phrase.trim().split(/\s+/).join(" ")), prefix: Boolean(star) })
    .map((term) => ({ ...term, prefix: term.prefix && prefixable(term.text) }))
    .filter((term) => /[\p{L}\p{N}]/u.test(term.text))
    .slice(0, 8);

  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = terms.map((term) => new RegExp(
    `(?<![\\p{L}\\p{N}])${escape(term.text)}${term.prefix ? "" : "(?![\\p{L}\\p{N}])"}`, "u"));

  const input = document.querySelector("#search-page-q");
  if (input) input.value = asked;
  const select = document.querySelector("#search-page-tag");
  if (select) select.value = tag;

  const element = (name, attributes = {}, ...children) => {
    const node = document.createElement(name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    node.append(...children);
    return node;
  };

  // A window of the text around the first match, matched words in <mark>; text nodes only.
  const snippet = (text, folded) => {
    const first = Math.min(...patterns.map((p) => folded.search(p)).filter((i) => i >= 0));
    const start = Number.isFinite(first) ? Math.max(0, first - 60) : 0;
    const piece = text.slice(start, start + 200);
    const foldedPiece = folded.slice(start, start + 200);
    const paragraph = element("p", { class: "summary snippet" });
    if (start > 0) paragraph.append("…");
    let at = 0;
    const marks = [];
    patterns.forEach((pattern) => {
      const global = new RegExp(pattern.source, "gu");
      for (const found of foldedPiece.matchAll(global)) marks.push([found.index, found[0].length]);
    });
    marks.sort((a, b) => a[0] - b[0]).forEach(([index, length]) => {
      if (index < at) return;
      paragraph.append(piece.slice(at, index), element("mark", {}, piece.slice(index, index + length)));
      at = index + length;
    });
    paragraph.append(piece.slice(at), start + 200 < text.length ? "…" : "");
    return paragraph;
  };

  const show = (entries) => {
    const hits = entries
      .filter((entry) => !tag || entry.tags.some(([slug]) => slug === tag))
      .map((entry) => {
        // Folding keeps lengths only for most scripts; the snippet is cut from the folded text.
        const fields = [entry.title, entry.tags.map(([, name]) => name).join(" "), entry.text]
          .map(fold);
        const score = patterns.reduce((sum, pattern) => {
          const where = fields.findIndex((field) => pattern.test(field));
          return where < 0 ? -Infinity : sum + [10000, 100, 1][where];
        }, 0);
        return { entry, score, folded: fields[2] };
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || b.entry.date.localeCompare(a.entry.date));

    // Pages as the server makes them: ?page=N, the site's number of results a page.
    const perPage = Math.max(1, Number(section.dataset.perPage) || 10);
    const pages = Math.max(1, Math.ceil(hits.length / perPage));
    const wanted = Number.parseInt(params.get("page") || "1", 10);
    const number = Number.isInteger(wanted) && wanted > 1 ? wanted : 1;
    const summary = element("p", { id: "search-summary", class: "search-summary", role: "status" },
      `${hits.length} result${hits.length === 1 ? "" : "s"} for `, element("strong", {}, asked),
      pages > 1 ? `, page ${number} of ${pages}` : "");
    const list = element("ol", { class: "cards search-hits" });
    hits.slice((number - 1) * perPage, number * perPage).forEach(({ entry, folded }) => {
      const tags = element("ul", { class: "tags", "aria-label": "Tags" });
      entry.tags.forEach(([slug, name]) =>
        tags.append(element("li", {}, element("a", { href: `/tags/${slug}/` }, `#${name}`))));
      list.append(element("li", { class: "card" },
        element("h2", {}, element("a", { href: `/insights/${entry.slug}/` }, entry.title)),
        element("p", { class: "meta" }, element("time", { datetime: entry.date }, entry.shown)),
        snippet(fold(entry.text).length === entry.text.length ? entry.text : folded, folded),
        ...(entry.tags.length ? [tags] : [])));
    });
    const pageLink = (to, rel, text) => {
      const query = new URLSearchParams({ q: asked, ...(tag ? { tag } : {}) });
      if (to > 1) query.set("page", String(to));
      return element("a", { ...(rel ? { rel } : {}), href: `/search/?${query}` }, text);
    };
    const nav = element("nav", { class: "pagination", "aria-label": "Result pages" },
      ...(number > 1 ? [pageLink(number - 1, "prev", "← Better matches")] : []),
      element("span", {}, `Page ${number} of ${pages}`),
      ...(number < pages ? [pageLink(number + 1, "next", "More results →")] : []));
    const empty = hits.length
      ? element("p", { class: "search-empty" }, "No results on this page. ",
        pageLink(1, "", "Back to the first page"), ".")
      : element("p", { class: "search-empty" }, "Nothing matches. Try fewer or other words, or ",
        "browse ", element("a", { href: "/tags/" }, "the tags"), ".");
    section.replaceChildren(summary, list.children.length ? list : empty,
      ...(pages > 1 ? [nav] : []));
  };

  fetch("/search/index.json")
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(show)
    .catch(() => section.replaceChildren(element("p", { class: "search-empty", role: "status" },
      "Search is not available here. Browse ", element("a", { href: "/tags/" }, "the tags"), ".")));
})();
