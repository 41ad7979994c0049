"""Unit tests of tools/check-version.py: on a copy of the files it reads, it passes, and each
kind of mismatch makes it fail with the file named."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_version", ROOT / "tools/check-version.py")
assert spec and spec.loader
check_version = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = check_version  # dataclasses look their module up
spec.loader.exec_module(check_version)


class CheckVersion(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        with open(ROOT / "Cargo.toml", "rb") as f:
            members = tomllib.load(f)["workspace"]["members"]
        files = {
            "Cargo.toml",
            "Cargo.lock",
            "fuzz/Cargo.lock",
            "bindings-python/pyproject.toml",
            "bindings-wasm/js/package.json",
            "bindings-wasm/build.sh",
        }
        files |= {f"{m}/Cargo.toml" for m in members}
        files |= {p.path for p in check_version.PLACES + check_version.COINCIDENCES}
        files |= {path for path, _ in check_version.SPLIT_PLACES}
        for path in files:
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / path, self.root / path)
        self.version = check_version.workspace_version(self.root)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def problems(self) -> list[str]:
        with contextlib.redirect_stdout(io.StringIO()):
            return check_version.check(self.root)

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.root / path
        text = file.read_text(encoding="utf-8")
        self.assertIn(old, text)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def assert_fails_on(self, path: str) -> None:
        problems = self.problems()
        self.assertTrue(any(p.startswith(path) for p in problems), f"nothing about {path} in {problems}")

    def test_the_repository_passes(self) -> None:
        self.assertEqual(self.problems(), [])

    def test_a_bump_of_cargo_toml_alone_fails_everywhere_it_is_stated(self) -> None:
        self.edit("Cargo.toml", f'version = "{self.version}"', 'version = "9.8.7"')
        problems = " ".join(self.problems())
        for path in (
            "api/openapi.json",
            "bindings-python/python/sendivent/__init__.py",
            "bindings-wasm/js/lib/description.gen.mjs",
            "bindings-uniffi/kotlin/pom.xml",
            "bindings-uniffi/kotlin/demo/pom.xml",
            "bindings-c/src/version_gen.rs",
            "include/sendivent.h",
            "Cargo.lock",
        ):
            self.assertIn(path, problems)

    def test_a_stale_stamp_fails(self) -> None:
        self.edit(
            "bindings-uniffi/kotlin/demo/pom.xml", f"<version>{self.version}</version>", "<version>0.0.9</version>"
        )
        self.assert_fails_on("bindings-uniffi/kotlin/demo/pom.xml")

    def test_a_stale_header_define_fails(self) -> None:
        text = (self.root / "include/sendivent.h").read_text(encoding="utf-8")
        text = re.sub(r"#define SENDIVENT_VERSION_PATCH \d+", "#define SENDIVENT_VERSION_PATCH 99", text)
        (self.root / "include/sendivent.h").write_text(text, encoding="utf-8")
        self.assert_fails_on("include/sendivent.h")

    def test_a_hand_written_copy_fails(self) -> None:
        (self.root / "bindings-c/go/version.go").parent.mkdir(parents=True, exist_ok=True)
        (self.root / "bindings-c/go/version.go").write_text(f'package sendivent\n\nconst V = "{self.version}"\n')
        self.assert_fails_on("bindings-c/go/version.go:3")

    def test_a_crate_with_its_own_version_fails(self) -> None:
        self.edit("cli/Cargo.toml", "version.workspace = true", f'version = "{self.version}"')
        self.assert_fails_on("cli/Cargo.toml")

    def test_a_written_python_version_fails(self) -> None:
        self.edit("bindings-python/pyproject.toml", 'dynamic = ["version"]', f'version = "{self.version}"')
        self.assert_fails_on("bindings-python/pyproject.toml")

    def test_a_built_npm_package_with_another_version_fails(self) -> None:
        (self.root / "bindings-wasm/pkg").mkdir(parents=True)
        (self.root / "bindings-wasm/pkg/package.json").write_text('{"version": "0.0.0-dev"}')
        self.assert_fails_on("bindings-wasm/pkg/package.json")

    def test_a_moved_place_fails(self) -> None:
        self.edit("bindings-python/python/sendivent/_constants.py", "VERSION = ", "SDK_VERSION = ")
        self.assert_fails_on("bindings-python/python/sendivent/_constants.py")


if __name__ == "__main__":
    unittest.main()
