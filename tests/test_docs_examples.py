"""The worked examples of docs/extending.md run as written, and its package matches the test plug-in."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTENDING = ROOT / "docs" / "extending.md"
PLUGIN = ROOT / "tests" / "fixtures" / "plugin" / "despatch_memo"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", EXTENDING.read_text(encoding="utf-8"), re.S | re.M)


def test_the_python_examples_run_in_order():
    blocks = _blocks("python")
    assert len(blocks) >= 8
    namespace: dict = {"__name__": "extending_example"}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"docs/extending.md python block {i + 1}", "exec"), namespace)  # noqa: S102
        except Exception as e:  # pragma: no cover - the message says which block
            raise AssertionError(f"docs/extending.md, python block {i + 1} fails: {type(e).__name__}: {e}") from e
    for name in ("MemoReader", "KeywordAnnotator", "ShortNote", "MarkdownWriter"):
        assert name in namespace


def test_the_documented_components_are_the_installed_plugins_code():
    """The test plug-in (tests/test_plugins.py installs it) is the code the page shows, entry points included."""
    module = (PLUGIN / "despatch_memo.py").read_text(encoding="utf-8")
    documented = "\n".join(_blocks("python"))
    for cls in ("MemoReader", "KeywordAnnotator", "ShortNote", "MarkdownWriter"):
        body = re.search(rf"^class {cls}\b.*?(?=^\S|\Z)", module, re.S | re.M).group(0)
        code = [ln.split("  #")[0].rstrip() for ln in body.splitlines()
                if ln.strip() and not ln.strip().startswith('"')]
        shown = {ln.split("  #")[0].rstrip() for ln in documented.splitlines()}
        assert [ln for ln in code if ln not in shown] == [], cls
    eps = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    page = tomllib.loads(_blocks("toml")[0])["project"]["entry-points"]
    for group, names in eps.items():
        assert page[group] == names
