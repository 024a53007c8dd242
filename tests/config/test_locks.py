"""The lock files say exactly what pyproject.toml asks for, each package pinned with its hashes.

`make .venv` (and so `make test` and CI) installs requirements-dev.lock with --require-hashes, and the
Dockerfile requirements.lock: a dependency added to pyproject.toml without re-locking would never be
installed, and one removed would still be. Each failure says the fix: run `make lock`."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FIX = "pyproject.toml and the lock disagree: run `make lock` and commit requirements*.lock"
PROJECT = "kirklees-casework (pyproject.toml)"


def read_lock(path: Path) -> dict[str, dict]:
    """{name: {"version", "hashes", "via"}} from a pip-compile lock file."""
    packages: dict[str, dict] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line):
            current = packages[canonicalize_name(match[1])] = {"version": match[2], "hashes": [], "via": []}
        elif current is not None and (match := re.match(r"^\s+--hash=sha256:([0-9a-f]{64})", line)):
            current["hashes"].append(match[1])
        elif current is not None and (match := re.match(r"^\s+#\s+(?:via\s+)?(\S.*)$", line)):
            if match[1] != "via":
                current["via"].append(match[1].strip())
        elif line and not line.startswith((" ", "#")):
            raise AssertionError(f"{path.name}: a line this test cannot read: {line!r}")
    return packages


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirements(*extras: str) -> dict[str, Requirement]:
    config = project()["project"]
    lines = list(config["dependencies"])
    for extra in extras:
        lines += config["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


LOCKS = {
    "requirements.lock": requirements(),
    "requirements-dev.lock": requirements("embedded", "test"),
}


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_dependency_is_pinned_at_a_version_pyproject_allows(lock_name):
    locked = read_lock(ROOT / lock_name)
    for name, requirement in LOCKS[lock_name].items():
        assert name in locked, f"{requirement} is not in {lock_name}. {FIX}"
        assert requirement.specifier.contains(locked[name]["version"], prereleases=True), (
            f"{lock_name} pins {name}=={locked[name]['version']}, pyproject.toml asks for {requirement}. {FIX}"
        )


@pytest.mark.parametrize("lock_name", LOCKS)
def test_the_lock_asks_for_nothing_pyproject_no_longer_does(lock_name):
    """The lock's direct dependencies (pip-compile writes `via kirklees-casework (pyproject.toml)`)
    are exactly pyproject's: a removed dependency is not still installed."""
    direct = {name for name, package in read_lock(ROOT / lock_name).items() if PROJECT in package["via"]}
    stale = direct - set(LOCKS[lock_name])
    assert not stale, f"{lock_name} still pins {sorted(stale)} for pyproject.toml, which no longer asks. {FIX}"
    assert direct == set(LOCKS[lock_name]), FIX


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_locked_package_has_hashes(lock_name):
    locked = read_lock(ROOT / lock_name)
    assert len(locked) > len(LOCKS[lock_name])  # and their own dependencies
    unhashed = [name for name, package in locked.items() if not package["hashes"]]
    assert not unhashed, f"{lock_name}: no hash for {unhashed}. {FIX}"


@pytest.mark.parametrize("lock_name", LOCKS)
def test_the_build_backend_is_locked_too(lock_name):
    """The project itself is installed with --no-build-isolation, from the locked setuptools."""
    locked = read_lock(ROOT / lock_name)
    for line in project()["build-system"]["requires"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked and requirement.specifier.contains(locked[name]["version"]), f"{requirement}: {FIX}"


def test_production_runs_the_versions_the_tests_ran():
    production = read_lock(ROOT / "requirements.lock")
    development = read_lock(ROOT / "requirements-dev.lock")
    differ = {
        name: (package["version"], development.get(name, {}).get("version"))
        for name, package in production.items()
        if development.get(name, {}).get("version") != package["version"]
    }
    assert not differ, f"requirements-dev.lock must pin production's versions: {differ}. {FIX}"


def test_the_virtualenv_and_the_image_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert re.search(r"^\$\(VENV\)/\.installed: requirements-dev\.lock", makefile, re.M)  # re-installs on change
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "-r requirements.lock" in dockerfile


def test_the_reader_understands_pip_compile(tmp_path):
    lock = tmp_path / "x.lock"
    lock.write_text(
        "#\n# generated\n#\ndjango==5.2.19 \\\n    --hash=sha256:"
        + "a" * 64
        + " \\\n    --hash=sha256:"
        + "b" * 64
        + "\n    # via\n    #   kirklees-casework (pyproject.toml)\n    #   django-filter\n"
        + "sqlparse==0.6.1 \\\n    --hash=sha256:"
        + "c" * 64
        + "\n    # via django\n\n"
        + "# The following packages are considered to be unsafe in a requirements file:\n"
        + "setuptools==84.2.1 \\\n    --hash=sha256:"
        + "d" * 64
        + "\n    # via kirklees-casework (pyproject.toml::build-system.requires)\n"
    )
    assert read_lock(lock) == {
        "django": {"version": "5.2.19", "hashes": ["a" * 64, "b" * 64], "via": [PROJECT, "django-filter"]},
        "sqlparse": {"version": "0.6.1", "hashes": ["c" * 64], "via": ["django"]},
        "setuptools": {
            "version": "84.2.1",
            "hashes": ["d" * 64],
            "via": ["kirklees-casework (pyproject.toml::build-system.requires)"],
        },
    }
