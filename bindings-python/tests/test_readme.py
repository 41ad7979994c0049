"""The READMEs' Python examples stay valid Python (they are copies of the tested examples)."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("readme", "at_least"), [("README.md", 2), ("bindings-python/README.md", 5)])
def test_every_python_block_in_the_readme_compiles(readme: str, at_least: int) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / readme).read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= at_least
    for number, block in enumerate(blocks):
        compile(block, f"{readme} python block {number}", "exec")
