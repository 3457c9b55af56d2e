// Progressive enhancement of /search/: Pagefind's UI, opened on ?q= when a query is given.
window.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  // Shown by default, so readers without JavaScript (or without this script) learn where to look.
  document.getElementById("search-fallback").hidden = true;
  const bundle = box.dataset.bundle;
  // The briefings are indexed in bundles of their own, by year (plugins/briefing/search.py): the
  // site's bundle lists them, and the UI searches them all as one.
  let merged = [];
  try {
    const listed = await fetch(`${bundle}bundles.json`);
    if (listed.ok) merged = await listed.json();
  } catch {
    // Without the list, the site's own bundle still finds actors, issues and pages.
  }
  const ui = new PagefindUI({
    element: "#search",
    bundlePath: bundle,
    showImages: false,
    mergeIndex: merged.map((name) => ({ bundlePath: `${bundle}${name}/` })),
  });
  // Pagefind labels its field only with a title; a visible label serves every reader.
  const input = box.querySelector("input");
  if (input) {
    input.id = "search-input";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = box.dataset.label;
    box.prepend(label);
  }
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
