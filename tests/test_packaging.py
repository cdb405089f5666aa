"""The wheel a registry install gets holds every package of the source tree, and the cleaner's models."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def _packages(root: Path, name: str) -> set[str]:
    return {".".join((name, *p.parent.relative_to(root).parts)) for p in root.rglob("__init__.py")
            if "__pycache__" not in p.parts}


def test_the_wheel_holds_every_subpackage(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for part in ("src", "flows"):
        shutil.copytree(REPO / part, tree / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / part, tree / part)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "--no-build-isolation",
                          "-w", str(tmp_path / "dist")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("newsclean-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    in_wheel = {n.rsplit("/", 1)[0].replace("/", ".") for n in names if n.endswith("/__init__.py")}
    expected = _packages(REPO / "src" / "newsclean", "newsclean") | _packages(REPO / "flows", "newsclean_flows")
    assert "newsclean.fetch" in expected and expected <= in_wheel
    assert "newsclean_flows/deploy.py" in names and "newsclean_flows/pipeline.py" in names
    shipped = {p.name for p in (REPO / "src" / "newsclean" / "clean" / "model").iterdir()}
    assert {f"newsclean/clean/model/{name}" for name in shipped} <= set(names)  # the cleaner's trained models
    assert "newsclean/extract/model/page_kind.txt" in names  # the page-kind recogniser
