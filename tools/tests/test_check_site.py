"""Unit tests of tools/check-site.py on tiny fake sites: a sound site passes, and each kind of
broken link (missing file, missing anchor, a link out of the site, a missing required page) is
reported with its page and line."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_site", ROOT / "tools/check-site.py")
assert spec and spec.loader
check_site = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = check_site
spec.loader.exec_module(check_site)

SOUND = {
    "index.html": """<!DOCTYPE html><html><head><link rel="stylesheet" href="assets/site.css">
<link rel="canonical" href="/published/elsewhere.html"><script src="assets/app.js"></script></head>
<body><a href="guides/a.html">a</a> <a href="guides/a.html#usage">usage</a> <a href="api/">api</a>
<a href="https://example.com/missing.html">external</a> <a href="mailto:x@example.com">mail</a>
<a href="#top" id="top">top</a> <img src="assets/logo.svg" alt=""><a href="guides/a.html?q=1#usage">query</a>
<svg><use href="assets/icons.svg#icon-1"></use></svg></body></html>""",
    "guides/a.html": """<html><body><h2 id="usage">Usage</h2><a name="legacy"></a>
<a href="../index.html#top">back</a> <a href="#legacy">legacy</a> <a href="../src/lib.rs.html#3-5">lines</a></body></html>""",  # noqa: E501
    "api/index.html": "<html><body>api</body></html>",
    "src/lib.rs.html": '<html><body><a id="3" href="#3">3</a></body></html>',
    "assets/site.css": "body {}",
    "assets/app.js": "",
    "assets/logo.svg": "<svg/>",
    "assets/icons.svg": '<svg><g id="icon-1"></g></svg>',
}


class CheckSite(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.site = Path(self.tmp.name)
        for path, text in SOUND.items():
            (self.site / path).parent.mkdir(parents=True, exist_ok=True)
            (self.site / path).write_text(text, encoding="utf-8")

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def check(self, required: list[str] | None = None) -> list[str]:
        problems, _, _ = check_site.Checker(self.site, required or ["index.html"]).check()
        return problems

    def add_link(self, page: str, link: str) -> None:
        with open(self.site / page, "a", encoding="utf-8") as f:
            f.write(f'\n<a href="{link}">broken</a>\n')

    def test_a_sound_site_passes(self) -> None:
        self.assertEqual(self.check(), [])
        _, pages, links = check_site.Checker(self.site, ["index.html"]).check()
        self.assertEqual(pages, 4)
        self.assertGreaterEqual(links, 15)

    def test_a_link_to_a_missing_file_fails(self) -> None:
        self.add_link("guides/a.html", "b.html")
        self.assertEqual(self.check(), ["guides/a.html:3: b.html: no such file"])

    def test_a_missing_anchor_fails(self) -> None:
        self.add_link("index.html", "guides/a.html#install")
        self.assertEqual(self.check(), ["index.html:7: guides/a.html#install: no anchor #install in guides/a.html"])

    def test_a_missing_anchor_in_the_same_page_fails(self) -> None:
        self.add_link("guides/a.html", "#nowhere")
        self.assertEqual(self.check(), ["guides/a.html:3: #nowhere: no anchor #nowhere in guides/a.html"])

    def test_a_missing_svg_symbol_fails(self) -> None:
        self.add_link("index.html", "assets/icons.svg#icon-2")
        self.assertTrue(self.check()[0].endswith("no anchor #icon-2 in assets/icons.svg"))

    def test_a_directory_without_an_index_fails(self) -> None:
        self.add_link("index.html", "assets/")
        self.assertTrue(self.check()[0].endswith("assets/: no such file"))

    def test_a_link_out_of_the_site_fails(self) -> None:
        self.add_link("guides/a.html", "../../outside.html")
        self.assertTrue(self.check()[0].endswith("leaves the site"))

    def test_a_broken_stylesheet_or_image_fails(self) -> None:
        (self.site / "assets/site.css").unlink()
        (self.site / "assets/logo.svg").unlink()
        problems = self.check()
        self.assertEqual(len(problems), 2)
        self.assertIn("assets/site.css: no such file", problems[0])

    def test_a_missing_required_page_fails(self) -> None:
        self.assertEqual(self.check(["index.html", "api/c/index.html"]), ["missing page api/c/index.html"])

    def test_the_command_fails_on_a_broken_site_and_passes_on_a_sound_one(self) -> None:
        import subprocess

        def run() -> int:
            return subprocess.run(
                [sys.executable, str(ROOT / "tools/check-site.py"), str(self.site)], capture_output=True
            ).returncode

        # The real REQUIRED pages are not in the fake site: write them, then break one link.
        for page in check_site.REQUIRED:
            if not (self.site / page).exists():
                (self.site / page).parent.mkdir(parents=True, exist_ok=True)
                (self.site / page).write_text("<html></html>", encoding="utf-8")
        self.assertEqual(run(), 0)
        self.add_link("guides/a.html", "missing.html")
        self.assertEqual(run(), 1)


if __name__ == "__main__":
    unittest.main()
