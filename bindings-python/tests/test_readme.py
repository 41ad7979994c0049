"""The root README's Python examples stay valid Python (they are copies of the tested examples)."""

import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_every_python_block_in_the_readme_compiles() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5
    for number, block in enumerate(blocks):
        compile(block, f"README.md python block {number}", "exec")
