#!/usr/bin/env python3
"""Writes the HTML of the documentation site that is not an API reference tool's own output:
the guides (the READMEs and docs/*.md, rendered), the Go reference (`go doc -all`, as a page),
and the index page that links everything. `tools/docs/build.sh` (make docs) runs the reference
tools first, into SITE/api/<language>/; this script links the ones that are there.

    build-site.py SITE

Links between the Markdown files become links between their pages; a link to another file of
the repository gets a copy of that file under SITE/source/; a link to a directory goes to its
guide or reference page, or to the repository on the web. A link to a file that does not exist
fails the build: the README is the broken one then.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import markdown
import tomllib
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor
from pygments.formatters import HtmlFormatter

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Guide:
    source: str  # from the repository root
    page: str  # from the site root
    title: str
    summary: str


# The guides in reading order. Any other docs/*.md or bindings-*/README.md is added after them
# (titled by its first heading), so a new one is published without being named here.
GUIDES = [
    Guide(
        "README.md", "guides/overview.html", "Overview", "the quick start, every language's first call, errors, testing"
    ),
    Guide("bindings-python/README.md", "guides/python.html", "Python", "the `sendivent` package (sync and async)"),
    Guide(
        "bindings-wasm/README.md",
        "guides/javascript.html",
        "JavaScript and TypeScript",
        "`@sendivent/wasm` for Node, Deno, Bun, workers and browsers",
    ),
    Guide("bindings-c/README.md", "guides/c-and-go.html", "C and Go", "libsendivent, its header and the Go package"),
    Guide(
        "bindings-uniffi/README.md",
        "guides/kotlin-and-swift.html",
        "Kotlin and Swift",
        "the JVM jar and the Swift package",
    ),
    Guide("cli/README.md", "guides/cli.html", "Command line", "the `sendivent` CLI"),
    Guide(
        "tests/mock-server/README.md",
        "guides/mock-server.html",
        "The mock API",
        "`sendivent-mock`, a local Sendivent for your tests",
    ),
    Guide("docs/errors.md", "guides/errors.html", "Errors", "every error code and class, in every language"),
    Guide(
        "docs/contract.md", "guides/contract.html", "The behaviour contract", "what every language does the same way"
    ),
    Guide(
        "tests/vectors/README.md", "guides/test-vectors.html", "Shared test vectors", "the cases every language runs"
    ),
]

# Files and directories that READMEs link to and that have a page of their own on the site.
PAGES = {
    "include/sendivent.h": "api/c/sendivent_8h.html",
    "core": "api/rust/sendivent/index.html",
    "bindings-uniffi/kotlin": "guides/kotlin-and-swift.html#kotlin",
    "bindings-uniffi/swift": "guides/kotlin-and-swift.html#swift",
}


@dataclass(frozen=True)
class Reference:
    directory: str  # under SITE/api/
    start: str  # the page to open, from the directory
    title: str
    tool: str


REFERENCES = [
    Reference("rust", "sendivent/index.html", "Rust", "rustdoc"),
    Reference("python", "sendivent.html", "Python", "pdoc"),
    Reference("typescript", "index.html", "JavaScript and TypeScript", "TypeDoc"),
    Reference("c", "sendivent_8h.html", "C", "Doxygen"),
    Reference("go", "index.html", "Go", "go doc"),
]

# Go packages of the SDK (the examples are programs, not API).
GO_PACKAGES = [".", "./sendiventtest"]

STYLE = """
:root { --fg: #1d1f21; --muted: #5b6168; --line: #d9dde2; --accent: #0b5cad; --code: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); display: flex; }
nav { width: 17rem; flex: none; padding: 1.5rem 1.25rem; border-right: 1px solid var(--line);
      position: sticky; top: 0; height: 100vh; overflow-y: auto; font-size: 0.93rem; }
nav h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em;
         color: var(--muted); margin: 1.4rem 0 0.4rem; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { margin: 0.2rem 0; }
nav a.current { font-weight: 600; }
main { flex: 1; min-width: 0; max-width: 58rem; padding: 1.5rem 2.5rem 4rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font: 0.88em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
:not(pre) > code { background: var(--code); padding: 0.1em 0.3em; border-radius: 3px; }
pre { background: var(--code); padding: 0.8rem 1rem; overflow-x: auto; border-radius: 5px; }
.highlight { background: var(--code); border-radius: 5px; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
h1, h2, h3 { line-height: 1.25; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; margin-top: 2.2rem; }
.muted { color: var(--muted); }
dl.cards dt { font-weight: 600; margin-top: 0.8rem; }
dl.cards dd { margin: 0.1rem 0 0 0; color: var(--muted); }
"""


def github_slug(value: str, separator: str) -> str:
    """Heading ids as GitHub makes them, which is what the READMEs' `#…` links name."""
    value = re.sub(r"[^\w\- ]", "", value.strip().lower())
    return value.replace(" ", separator)


def relative(from_page: str, to: str) -> str:
    """The URL of `to` (a site path, maybe with #fragment) from the page `from_page`."""
    path, _, fragment = to.partition("#")
    url = posixpath.relpath(path, posixpath.dirname(from_page) or ".")
    return f"{url}#{fragment}" if fragment else url


class Site:
    def __init__(self, site: Path) -> None:
        self.site = site
        with open(ROOT / "Cargo.toml", "rb") as f:
            package = tomllib.load(f)["workspace"]["package"]
        self.version = package["version"]
        self.repository = package["repository"].rstrip("/")
        self.guides = [g for g in GUIDES if (ROOT / g.source).exists()]
        known = {g.source for g in GUIDES}
        extra = sorted(
            p
            for p in [*ROOT.glob("docs/*.md"), *ROOT.glob("bindings-*/README.md")]
            if str(p.relative_to(ROOT)) not in known
        )
        for path in extra:
            source = str(path.relative_to(ROOT))
            heading = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
            slug = source.removesuffix(".md").replace("/README", "").replace("/", "-").lower()
            self.guides.append(Guide(source, f"guides/{slug}.html", heading[1] if heading else source, ""))
        self.by_source = {g.source: g for g in self.guides}
        # The tools' references that build.sh wrote, and Go's, which this script writes.
        self.references = [
            r for r in REFERENCES if r.directory == "go" or (site / "api" / r.directory / r.start).exists()
        ]
        self.errors: list[str] = []

    # Links -------------------------------------------------------------------------------------

    def rewrite(self, href: str, guide: Guide) -> str:
        """The site URL of a link written in `guide`'s Markdown."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith(("#", "//")):
            return href
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(guide.source), path))
        suffix = f"#{fragment}" if fragment else ""
        if target.startswith("../") or target == "..":
            self.errors.append(f"{guide.source}: link {href!r} leaves the repository")
            return href
        if target in self.by_source:
            return relative(guide.page, self.by_source[target].page + suffix)
        if target in PAGES:
            page = PAGES[target]
            return relative(guide.page, page if "#" in page or not suffix else page + suffix)
        if (ROOT / target).is_dir():
            readme = posixpath.join(target, "README.md")
            if readme in self.by_source:
                return relative(guide.page, self.by_source[readme].page + suffix)
            return f"{self.repository}/tree/main/{target}{suffix}"
        if (ROOT / target).is_file():
            copy = self.site / "source" / target
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / target, copy)
            return relative(guide.page, f"source/{target}{suffix}")
        self.errors.append(f"{guide.source}: link {href!r} names {target}, which does not exist")
        return href

    # Pages -------------------------------------------------------------------------------------

    def nav(self, page: str) -> str:
        def item(to: str, title: str) -> str:
            current = ' class="current"' if to.partition("#")[0] == page else ""
            return f'<li><a href="{html.escape(relative(page, to))}"{current}>{html.escape(title)}</a></li>'

        guides = "".join(item(g.page, g.title) for g in self.guides)
        refs = "".join(item(f"api/{r.directory}/{r.start}", r.title) for r in self.references)
        kotlin = self.by_source.get("bindings-uniffi/README.md")
        if kotlin:
            refs += item(kotlin.page + "#kotlin", "Kotlin and Swift (guide)")
        return (
            f'<nav><a href="{relative(page, "index.html")}"><strong>Sendivent SDK</strong></a> '
            f'<span class="muted">{html.escape(self.version)}</span>'
            f"<h2>Guides</h2><ul>{guides}</ul><h2>API reference</h2><ul>{refs}</ul></nav>"
        )

    def write(self, page: str, title: str, body: str) -> None:
        out = self.site / page
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)} · Sendivent SDK</title>"
            f'<link rel="stylesheet" href="{relative(page, "assets/site.css")}">'
            f'<link rel="stylesheet" href="{relative(page, "assets/pygments.css")}">'
            f"</head><body>{self.nav(page)}<main>{body}</main></body></html>\n",
            encoding="utf-8",
        )

    def render_guide(self, guide: Guide) -> None:
        text = (ROOT / guide.source).read_text(encoding="utf-8")
        md = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                "sane_lists",
                TocExtension(slugify=github_slug, separator="-"),
                CodeHiliteExtension(guess_lang=False, css_class="highlight"),
                LinkExtension(self, guide),
            ]
        )
        body = md.convert(hide_rustdoc_lines(text))
        self.write(guide.page, guide.title, body)

    def render_go(self) -> None:
        """`go doc -all` of each package, with an anchor on every declaration."""
        sections = []
        index = []
        for package in GO_PACKAGES:
            out = subprocess.run(
                ["go", "doc", "-all", package],
                cwd=ROOT / "bindings-c/go",
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "CGO_ENABLED": "1"},
            ).stdout
            name = re.match(r"package (\w+)", out)
            pkg = name[1] if name else package
            lines = []
            for line in out.splitlines():
                decl = re.match(r"^(?:func (?:\([^)]*\) )?|type )(\w+)", line)
                escaped = html.escape(line)
                if decl:
                    receiver = re.match(r"^func \(\w* ?\*?(\w+)\) ", line)
                    anchor = f"{pkg}.{receiver[1] + '.' if receiver else ''}{decl[1]}"
                    lines.append(f'<span id="{html.escape(anchor)}">{escaped}</span>')
                    if not receiver:
                        index.append((pkg, decl[1], anchor))
                else:
                    lines.append(escaped)
            sections.append(f'<h2 id="{pkg}">package {pkg}</h2><pre>' + "\n".join(lines) + "</pre>")
        toc = "".join(
            f'<li><a href="#{pkg}">package {pkg}</a>: '
            + ", ".join(
                f'<a href="#{html.escape(a)}"><code>{html.escape(n)}</code></a>' for p, n, a in index if p == pkg
            )
            + "</li>"
            for pkg in dict.fromkeys(p for p, _, _ in index)
        )
        guide = self.by_source.get("bindings-c/README.md")
        intro = (
            f"<p>The Go package over libsendivent, as <code>go doc -all</code> shows it. How to build, link "
            f'and use it: <a href="{relative("api/go/index.html", guide.page + "#go")}">the C and Go guide</a>.</p>'
            if guide
            else ""
        )
        self.write(
            "api/go/index.html", "Go reference", f"<h1>Go reference</h1>{intro}<ul>{toc}</ul>" + "".join(sections)
        )

    def render_rust_index(self) -> None:
        """rustdoc's own pages (help, settings) link `api/rust/index.html`, the list of crates,
        which stable rustdoc does not write for a multi-crate output."""
        rust = self.site / "api/rust"
        if not rust.is_dir() or (rust / "index.html").exists():
            return
        crates = sorted(d.name for d in rust.iterdir() if (d / "all.html").is_file())
        items = "".join(f'<li><a href="{c}/index.html"><code>{c}</code></a></li>' for c in crates)
        self.write("api/rust/index.html", "Rust reference", f"<h1>Rust reference</h1><ul>{items}</ul>")

    def render_index(self) -> None:
        guides = "".join(
            f'<dt><a href="{g.page}">{html.escape(g.title)}</a></dt><dd>{inline(g.summary)}</dd>' for g in self.guides
        )
        refs = "".join(
            f'<dt><a href="api/{r.directory}/{r.start}">{html.escape(r.title)}</a></dt>'
            f"<dd>generated by {html.escape(r.tool)}</dd>"
            for r in self.references
        )
        kotlin = self.by_source.get("bindings-uniffi/README.md")
        if kotlin:
            refs += (
                f'<dt><a href="{kotlin.page}#kotlin">Kotlin and Swift</a></dt>'
                "<dd>the guide: uniffi generates both APIs from the same Rust interface</dd>"
            )
        body = (
            f"<h1>Sendivent SDK {html.escape(self.version)}</h1>"
            "<p>Multi-channel notifications through the Sendivent API from Rust, Python, JavaScript and "
            "TypeScript, C, Go, Kotlin and Swift: one Rust core, the same behaviour in every language.</p>"
            f'<h2>Guides</h2><dl class="cards">{guides}</dl>'
            f'<h2>API reference</h2><dl class="cards">{refs}</dl>'
        )
        self.write("index.html", "Documentation", body)

    def build(self) -> int:
        assets = self.site / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        (assets / "site.css").write_text(STYLE.lstrip(), encoding="utf-8")
        (assets / "pygments.css").write_text(
            HtmlFormatter(style="default").get_style_defs(".highlight"), encoding="utf-8"
        )
        self.render_go()
        self.render_rust_index()
        for guide in self.guides:
            self.render_guide(guide)
        self.render_index()
        missing = [r.title for r in REFERENCES if r not in self.references]
        if missing:
            self.errors.append(f"no API reference for {', '.join(missing)} under {self.site}/api/")
        for error in self.errors:
            print(f"build-site: {error}", file=sys.stderr)
        if self.errors:
            return 1
        print(f"build-site: {len(self.guides)} guides, {len(self.references)} API references → {self.site}/index.html")
        return 0


def inline(text: str) -> str:
    """A one-line summary with `code` spans."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def hide_rustdoc_lines(text: str) -> str:
    """Drops the lines rustdoc hides in ```rust blocks (`# ` prefixed): the README is also the
    core's crate documentation, whose examples are doc tests."""
    out, in_rust = [], False
    for line in text.split("\n"):
        fence = re.match(r"^\s*```(\w*)", line)
        if fence:
            in_rust = not in_rust and fence[1] == "rust"
        elif in_rust and re.match(r"^\s*#(?: |$)", line):
            continue
        out.append(line)
    return "\n".join(out)


class LinkExtension(Extension):
    """Rewrites every `<a href>` and `<img src>` of a guide with `Site.rewrite`."""

    def __init__(self, site: Site, guide: Guide) -> None:
        super().__init__()
        self.site = site
        self.guide = guide

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(LinkRewriter(md, self.site, self.guide), "sendivent-links", 0)


class LinkRewriter(Treeprocessor):
    def __init__(self, md: markdown.Markdown, site: Site, guide: Guide) -> None:
        super().__init__(md)
        self.site = site
        self.guide = guide

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute):
                element.set(attribute, self.site.rewrite(element.get(attribute, ""), self.guide))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    return Site(Path(sys.argv[1]).resolve()).build()


if __name__ == "__main__":
    sys.exit(main())
