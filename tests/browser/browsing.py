"""Helpers of the browser tests: open pages in Chromium and watch what goes wrong."""

from dataclasses import dataclass, field

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTICLE = "article.md-content__inner"  # the page's content (search results are articles too)


@dataclass
class Server:
    url: str  # ends in /
    log: list = field(default_factory=list)

    def __call__(self, path: str = "") -> str:
        return self.url + path


class Monitor:
    """Everything that went wrong in a browser context: console errors, uncaught
    exceptions, failed requests, HTTP errors, and requests to any other host (which
    site_server.chromium refuses)."""

    def __init__(self, context, base: str) -> None:
        self.base = base
        self.problems: list[str] = []
        self.allowed_statuses: dict[str, int] = {}
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught: {error.error}"))
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _local(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(("data:", "blob:", "about:"))

    def _console(self, message) -> None:
        if message.location.get("url") in self.allowed_statuses:
            return  # "Failed to load resource" for a status the test expects
        if message.type in ("error", "assert"):
            self.problems.append(f"console {message.type}: {message.text} ({message.location})")

    def _request(self, request) -> None:
        if not self._local(request.url):
            self.problems.append(f"request to another host: {request.url}")

    def _failed(self, request) -> None:
        # ERR_ABORTED: the page's own navigation (a reload) cancelled a request in flight.
        if self._local(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400 and self.allowed_statuses.get(response.url) != response.status:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def allow(self, url: str, status: int) -> None:
        self.allowed_statuses[url] = status

    def clear(self) -> None:
        """Forget the problems seen so far: a tab's next page starts with none."""
        self.problems.clear()


@dataclass
class Browse:
    """Opens pages in fresh browser contexts, or one after another in a tab (`visit`);
    each context's Monitor is kept."""

    browser: object
    server: Server
    contexts: list = field(default_factory=list)

    def context(self, scheme: str = "light", viewport=None, javascript: bool = True, **options):
        context = self.browser.new_context(
            viewport=viewport or DESKTOP,
            color_scheme=scheme,
            java_script_enabled=javascript,
            reduced_motion="reduce",
            **options,
        )
        context.monitor = Monitor(context, self.server.url)
        self.contexts.append(context)
        return context

    def open(self, path="", scheme="light", viewport=None, javascript=True, idle=False, **opts):
        """A new page at `path`, loaded (see goto); `page.monitor` has its problems."""
        page = self.tab(scheme, viewport, javascript, **opts)
        goto(page, self.server(path), idle)
        return page

    def tab(self, scheme="light", viewport=None, javascript=True, **opts):
        """A blank page in a new context, to `visit` pages in one after another."""
        context = self.context(scheme, viewport, javascript, **opts)
        page = context.new_page()
        page.monitor = context.monitor
        return page

    def visit(self, tab, path: str):
        """Load `path` in `tab` as a reader's next page: the tab's context keeps its cache
        (a new context per page would start a new renderer process and fetch and
        compile the site's scripts again); `tab.monitor` then holds this page's problems."""
        tab.monitor.clear()
        tab.emulate_media(color_scheme="light")  # the tab's own: see `shown`
        tab.set_viewport_size(DESKTOP)
        goto(tab, self.server(path))
        return tab

    def close(self) -> None:
        for context in self.contexts:
            context.close()


SCHEMES = {"light": "default", "dark": "slate"}  # each one's <body data-md-color-scheme>


def shown(page, scheme: str, viewport: dict):
    """The page, loaded in the light scheme at desktop width, as a reader whose system
    prefers `scheme` sees it on a screen of `viewport`'s size: the palette follows the
    system's preference (mkdocs.yml), and the layout the width, so neither needs a
    second load. What the page already shows is left as it is."""
    if page.viewport_size != viewport:
        page.set_viewport_size(viewport)
    if page.locator("body").get_attribute("data-md-color-scheme") != SCHEMES[scheme]:
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(  # Material switches on the media query's change event
            "s => document.body.dataset.mdColorScheme === s", arg=SCHEMES[scheme]
        )
    return page


def goto(page, url: str, idle: bool = False):
    """Load `url`; with `idle`, also wait until the network has been quiet for 0.5 s
    (the search index, which Material's worker fetches after the page has loaded)."""
    response = page.goto(url, wait_until="load")
    if idle:
        page.wait_for_load_state("networkidle")
    return response


# Every Python block of the article, in page order, with what the page shows under it.
PAGE_BLOCKS = """() => [...document.querySelectorAll(
    "article.md-content__inner div.language-python.highlight")].map((node) => {
  const quiz = node.closest(".quiz-question");
  const output = node.nextElementSibling;
  const right = quiz && quiz.querySelector("input.quiz-choice[data-correct]");
  return {
    id: node.querySelector("button[data-md-type=copy]")?.dataset.clipboardTarget ?? null,
    quiz: !!quiz,
    output: output && output.matches(".verified-output")
      ? output.querySelector("code").textContent : null,
    answer: right ? right.closest("label").textContent.trim() : null,
  };
})"""
