"""The built wheel carries the curated catalog: installed, it links what the checkout links.

Builds the wheel with ``uv build``, installs it into a fresh virtual environment from uv's
cache (offline), runs the installed ``citegraph ingest`` of the seed paper away from the
checkout, and compares its MENTIONS edges with the checkout's own run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from corpus import CORPUS

REPO = Path(__file__).resolve().parents[1]
SEED_PAPER = CORPUS / "seed-paper.txt"
UV = REPO / ".cache" / "bootstrap" / "bin" / "uv"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SEED_PAPER.is_file(), reason="no seed paper")]


def _uv() -> str:
    found = str(UV) if UV.is_file() else shutil.which("uv")
    if found is None:
        pytest.fail("uv is needed to build the wheel (scripts/setup.sh installs it)")
    return found


def _env(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CITEGRAPH_", "NEO4J_", "VIRTUAL_ENV", "PYTHON"))}
    return {**env, "CITEGRAPH_STORE": str(store)}


def _mentions(command: list[str], store: Path, cwd: Path) -> set[tuple[str, str]]:
    env = _env(store)
    ingest = subprocess.run([*command, "ingest", "--no-progress", str(SEED_PAPER)], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    out = store.with_suffix(".export.json")
    export = subprocess.run([*command, "export", "--format", "json", "-o", str(out)], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=300)
    assert export.returncode == 0, export.stderr
    edges = json.loads(out.read_text(encoding="utf-8"))["edges"]
    return {(e["source"], e["target"]) for e in edges if e["type"] == "MENTIONS"}


def _install(uv: str, python: Path, wheel: Path, tmp_path: Path) -> None:
    """The wheel with its dependencies at the locked versions: from uv's cache when it has
    them (offline), else fetched from PyPI once (which fills the cache)."""
    pins = tmp_path / "requirements.txt"
    subprocess.run([uv, "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project",
                    "-o", str(pins)], cwd=REPO, check=True, capture_output=True, timeout=300)
    command = [uv, "pip", "install", "--python", str(python), "-r", str(pins), str(wheel)]
    install = subprocess.run([*command, "--offline"], capture_output=True, text=True,
                             timeout=600)
    if install.returncode != 0:
        install = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr


def test_installed_wheel_links_the_same_mentions_as_the_checkout(tmp_path: Path) -> None:
    uv = _uv()
    dist = tmp_path / "dist"
    build = subprocess.run([uv, "build", "--wheel", "--offline", "-o", str(dist)], cwd=REPO,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    wheel = next(dist.glob("citegraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "citegraph/_data/catalog/instruments.yaml" in names
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--offline", "--python", sys.executable, str(venv)],
                   check=True, capture_output=True, timeout=300)
    _install(uv, venv / "bin" / "python", wheel, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    installed = _mentions([str(venv / "bin" / "citegraph")], tmp_path / "installed.json",
                          elsewhere)
    checkout = _mentions([sys.executable, "-m", "citegraph.cli"], tmp_path / "checkout.json",
                         REPO)
    assert installed, "the installed citegraph linked no mentions"
    assert installed == checkout


def test_a_missing_catalog_is_an_error_not_silence(tmp_path: Path) -> None:
    env = {**_env(tmp_path / "g.json"), "CITEGRAPH_CATALOG_DIR": str(tmp_path / "none")}
    result = subprocess.run([sys.executable, "-m", "citegraph.cli", "ingest", "--no-progress",
                             str(SEED_PAPER)], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0
    assert "catalog directory" in result.stderr and "not found" in result.stderr
