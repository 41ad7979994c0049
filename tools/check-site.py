#!/usr/bin/env python3
"""`make docs-test`: the documentation site was built and has no broken internal link.

Every `href`/`src` of every HTML page under SITE that names a local file must name one that
exists (a directory counts when it has an index.html, as a static host serves it), and a
`#fragment` into an HTML or SVG file must name an `id` (or an `<a name>`) in it. External links
(`https:`, `mailto:`, …) are not followed: the site is checked offline. The pages the site must
have (the index, each guide, each language's reference) are checked too.

    tools/check-site.py [SITE]        # default target/site
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]

# Pages that `make docs` must have written (from the site root).
REQUIRED = [
    "index.html",
    "guides/overview.html",
    "guides/python.html",
    "guides/javascript.html",
    "guides/c-and-go.html",
    "guides/kotlin-and-swift.html",
    "guides/mock-server.html",
    "guides/errors.html",
    "guides/contract.html",
    "api/rust/sendivent/index.html",
    "api/python/sendivent.html",
    "api/typescript/index.html",
    "api/c/sendivent_8h.html",
    "api/go/index.html",
]

# The attributes that load or lead to another file.
LINK_ATTRIBUTES = {"href", "src", "xlink:href", "poster", "data"}

# Links the site cannot fix, each with its reason: (the folder of the pages, the exact link).
FOREIGN = {
    # rustdoc copies the docs of a dependency's blanket implementations into every type's page;
    # tracing's `WithSubscriber::with_current_subscriber` links `dispatcher#…` relative to
    # tracing's own docs, which `cargo doc --no-deps` does not build (and which would resolve
    # there only).
    ("api/rust/", "dispatcher#setting-the-default-subscriber"),
}

# rustdoc's source pages mark lines `id="12"` and link ranges as `#12-20`, which its script
# highlights; the range is valid when its first line exists.
LINE_RANGE = re.compile(r"^(\d+)-\d+$")


class Page(HTMLParser):
    """The links and the anchors (ids and `<a name>`) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int]] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in LINK_ATTRIBUTES and not (tag == "meta" or (tag == "link" and self._is_hint(attrs))):
                self.links.append((value, self.getpos()[0]))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append((candidate.split()[0], self.getpos()[0]))

    handle_startendtag = handle_starttag

    @staticmethod
    def _is_hint(attrs: list[tuple[str, str | None]]) -> bool:
        """`<link rel="canonical|alternate">` point at the published site, not at a file here."""
        rel = dict(attrs).get("rel") or ""
        return any(r in rel.split() for r in ("canonical", "alternate"))


class Checker:
    def __init__(self, site: Path, required: list[str] = REQUIRED) -> None:
        self.site = site.resolve()
        self.required = required
        self.anchor_cache: dict[Path, set[str]] = {}

    def anchors(self, file: Path) -> set[str]:
        if file not in self.anchor_cache:
            text = file.read_text(encoding="utf-8", errors="replace")
            if file.suffix == ".svg":
                self.anchor_cache[file] = set(re.findall(r'\bid="([^"]+)"', text))
            else:
                page = Page()
                page.feed(text)
                self.anchor_cache[file] = page.anchors
        return self.anchor_cache[file]

    def resolve(self, page: Path, link: str) -> tuple[Path | None, str]:
        """The file a link names (None for a link that leaves the site) and its fragment."""
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith("//"):
            return None, ""
        path = unquote(parts.path)
        if not path:
            return page, parts.fragment
        target = (self.site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
        return target.resolve(), parts.fragment

    def check_link(self, page: Path, link: str) -> str | None:
        """What is wrong with a link of `page`, or None."""
        if link.startswith(("javascript:", "data:", "mailto:", "tel:")):
            return None
        target, fragment = self.resolve(page, link)
        if target is None:
            return None
        try:
            target.relative_to(self.site)
        except ValueError:
            return "leaves the site"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
        if fragment and target.suffix in (".html", ".svg"):
            anchors = self.anchors(target)
            range_start = LINE_RANGE.match(fragment)
            # A browser tries the fragment as written, then percent-decoded (rustdoc's ids keep
            # `%3C` and `%3E` in them, other tools' do not).
            if not ({fragment, unquote(fragment)} & anchors) and not (range_start and range_start[1] in anchors):
                return f"no anchor #{fragment} in {target.relative_to(self.site)}"
        return None

    def check(self) -> tuple[list[str], int, int]:
        problems = [f"missing page {p}" for p in self.required if not (self.site / p).is_file()]
        pages = sorted(self.site.rglob("*.html"))
        links = 0
        for page in pages:
            parser = Page()
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
            self.anchor_cache[page.resolve()] = parser.anchors
            relative_page = page.relative_to(self.site).as_posix()
            for link, line in parser.links:
                links += 1
                if any(relative_page.startswith(folder) and link == known for folder, known in FOREIGN):
                    continue
                problem = self.check_link(page.resolve(), link)
                if problem:
                    problems.append(f"{page.relative_to(self.site)}:{line}: {link}: {problem}")
        return problems, len(pages), links


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/site"
    if not (site / "index.html").is_file():
        print(f"check-site: {site}/index.html does not exist; run `make docs`", file=sys.stderr)
        return 1
    problems, pages, links = Checker(site).check()
    for problem in problems[:200]:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        print(f"check-site: {len(problems)} broken link(s) or missing page(s) in {site}", file=sys.stderr)
        return 1
    print(f"check-site: {pages} pages, {links} local links and anchors, none broken")
    return 0


if __name__ == "__main__":
    sys.exit(main())
