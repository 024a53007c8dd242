"""The floors of DESIGN.md §3 hold because a check fails the build when an import breaks them.

`make test` runs import-linter on the real tree before the suite; these tests make sure the
contract it runs covers every package, and really refuses an upward or sideways import.
"""
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([Path(sys.executable).with_name("lint-imports"), "--no-cache"], cwd=tree,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60)


def test_every_package_of_the_project_stands_on_a_floor_of_the_import_contract():
    floors = {name.strip() for layer in CONTRACT["contracts"][0]["layers"] for name in layer.split("|")}
    assert set(CONTRACT["root_packages"]) == PACKAGES
    assert floors == PACKAGES


def test_the_real_tree_keeps_the_floors():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("importer, imported", [
    ("kirklees", "wards"),        # the ground floor knows no app
    ("wards", "councillors"),     # an app never imports one above it
    ("casework", "engagement"),   # siblings never import each other
    ("engagement", "casework"),
    ("councillors", "pages"),
])
def test_an_import_that_breaks_a_floor_fails_the_check_naming_both_modules(tmp_path, importer, imported):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / importer / "helpers.py").write_text(f"import {imported}.models\n")
    (tmp_path / imported / "models.py").write_text("")

    result = lint_imports(tmp_path)

    assert result.returncode == 1
    assert f"{importer} is not allowed to import {imported}" in result.stdout
    assert f"{importer}.helpers -> {imported}.models" in result.stdout
