// Progressive enhancement of /search/: Pagefind's UI, opened on ?q= when a query is given.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  const ui = new PagefindUI({ element: "#search", bundlePath: box.dataset.bundle, showImages: false });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
