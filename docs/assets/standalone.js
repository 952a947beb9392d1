// Puts each "Copy with the code it needs from above" button (rendered hidden by
// src/verified_docs/website/standalone_html.py) beside Material's copy button, which
// Material's script adds to the block. Material's clipboard handling copies the
// button's data-clipboard-text on a click; this script only places the button.
(() => {
  const place = () => {
    for (const button of document.querySelectorAll(".verified-copy-standalone[hidden]")) {
      const nav = button.parentElement.querySelector("pre > .md-code__nav");
      if (!nav) continue;
      nav.prepend(button);
      button.hidden = false;
    }
  };
  // Material's document$ emits on the first load and after each instant navigation.
  if (window.document$) window.document$.subscribe(place);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", place);
  else place();
})();
