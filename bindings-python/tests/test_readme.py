"""The READMEs' Python examples stay valid Python (they are copies of the tested examples)."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("readme", ["README.md", "bindings-python/README.md"])
def test_every_python_block_in_the_readme_compiles(readme: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / readme).read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5
    for number, block in enumerate(blocks):
        compile(block, f"{readme} python block {number}", "exec")
