// The search index (search/search_index.json, the text of every page: hundreds of KB) is
// fetched when a reader opens search, not on the first load of every page. Material's
// script requests it as soon as a page loads; this runs before it (theme/main.html) and
// holds that one request until search is opened: the search toggle (a click, the "/" or
// "s" key), the search box's focus, or a search result's link (?h=) that highlights the
// terms on arrival. It also names Material's search dialog, which has no name.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  let open;
  const opened = new Promise((resolve) => {
    open = resolve;
  });
  const { open: openRequest, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.isSearchIndex = INDEX.test(new URL(url, location.href).pathname);
    return openRequest.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!this.isSearchIndex) return send.apply(this, body);
    opened.then(() => send.apply(this, body));
  };
  if (new URLSearchParams(location.search).has("h")) open();
  const watch = () => {
    const toggle = document.getElementById("__search");
    if (toggle) toggle.addEventListener("change", () => toggle.checked && open());
    const query = document.querySelector("[data-md-component=search-query]");
    if (query) query.addEventListener("focus", open);
    const dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog) dialog.setAttribute("aria-label", "Search");
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
