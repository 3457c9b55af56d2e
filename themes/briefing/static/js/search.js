// Progressive enhancement of /search/: Pagefind's UI, opened on ?q= when a query is given.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  // Shown by default, so readers without JavaScript (or without this script) learn where to look.
  document.getElementById("search-fallback").hidden = true;
  const ui = new PagefindUI({ element: "#search", bundlePath: box.dataset.bundle, showImages: false });
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
