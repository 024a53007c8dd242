"""`make audit` (scripts/audit.py): 0 only when everything was checked and is clean, 1 for a known
vulnerability, 2 with a plain NOT CHECKED when an advisory database could not be reached.

pip-audit and npm are replaced by stand-ins that answer what the real ones answer (their JSON, as
captured from real runs, and their exit status) and record how they were called; npm is also run
for real against a registry that cannot be reached."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit.py"

PIP_CLEAN = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "sqlparse", "version": "0.6.1", "vulns": []},
    ],
    "fixes": [],
}
PIP_FOUND = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.1",
            "vulns": [
                {"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-0001"], "description": "..."}
            ],
        },
        {"name": "sqlparse", "version": "0.6.1", "vulns": []},
    ],
    "fixes": [],
}
# What pip-audit printed here, exit status 0 ("No known vulnerabilities found"), when PyPI's
# advisory API could not answer: every package skipped.
PIP_ALL_SKIPPED = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
        {"name": "sqlparse", "skip_reason": "Dependency not found on PyPI and could not be audited: sqlparse (0.6.1)"},
    ],
    "fixes": [],
}
PIP_NO_NETWORK = (
    "Traceback (most recent call last):\n  ...\nrequests.exceptions.ConnectionError: "
    "HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries exceeded\n"
)
NPM_CLEAN = {
    "auditReportVersion": 2,
    "vulnerabilities": {},
    "metadata": {
        "vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0, "total": 0},
        "dependencies": {"total": 27},
    },
}
NPM_FOUND = {
    "auditReportVersion": 2,
    "vulnerabilities": {"sass": {"name": "sass", "severity": "high", "range": "<1.99.0", "fixAvailable": True}},
    "metadata": {
        "vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 1, "critical": 0, "total": 1},
        "dependencies": {"total": 27},
    },
}
# What npm audit printed here (exit status 1) when the registry refused the advisory endpoint.
NPM_REFUSED = {
    "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    "statusCode": 405,
    "error": {"summary": "", "detail": ""},
}


def stand_in(tmp_path: Path, name: str, stdout: str, status: int, stderr: str = "") -> Path:
    """An executable that records its arguments in <name>.args, prints `stdout` and exits `status`."""
    path = tmp_path / name
    path.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(path) + '.args'!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.stdout.write({stdout!r}); sys.stderr.write({stderr!r}); sys.exit({status})\n"
    )
    path.chmod(0o755)
    return path


def calls(program: Path) -> list[list[str]]:
    return [json.loads(line) for line in Path(str(program) + ".args").read_text().splitlines()]


def audit(tmp_path, pip, npm, *, env=None):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==5.2.19 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--pip-audit", str(pip), "--npm", str(npm), "--cwd", str(ROOT), str(lock)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return result.returncode, result.stdout + result.stderr


def test_everything_checked_and_clean_passes(tmp_path):
    pip = stand_in(tmp_path, "pip-audit", json.dumps(PIP_CLEAN), 0)
    npm = stand_in(tmp_path, "npm", json.dumps(NPM_CLEAN), 0)
    status, out = audit(tmp_path, pip, npm)
    assert status == 0, out
    assert "pip-audit requirements.lock: 2 packages checked, no known vulnerabilities" in out
    assert "npm audit: 27 packages checked, no known vulnerabilities" in out
    # The lock as written, nothing installed; the npm packages of this checkout.
    [pip_args] = calls(pip)
    assert pip_args[:3] == ["--disable-pip", "--requirement", str(tmp_path / "requirements.lock")]
    assert pip_args[pip_args.index("--format") + 1] == "json"
    assert calls(npm) == [["audit", "--json"]]


def test_a_vulnerable_python_package_fails_and_is_named_with_its_fix(tmp_path):
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", json.dumps(PIP_FOUND), 1),
        stand_in(tmp_path, "npm", json.dumps(NPM_CLEAN), 0),
    )
    assert status == 1, out
    assert "django 5.2.1: PYSEC-2025-1 (CVE-2025-0001); fixed in 5.2.2" in out
    assert "known vulnerabilities found" in out


def test_a_vulnerable_npm_package_fails(tmp_path):
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", json.dumps(PIP_CLEAN), 0),
        stand_in(tmp_path, "npm", json.dumps(NPM_FOUND), 1),
    )
    assert status == 1, out
    assert "sass (high, <1.99.0); npm audit fix can fix it" in out


def test_packages_pip_audit_skipped_are_not_a_pass_though_it_exits_0(tmp_path):
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", json.dumps(PIP_ALL_SKIPPED), 0, "No known vulnerabilities found\n"),
        stand_in(tmp_path, "npm", json.dumps(NPM_CLEAN), 0),
    )
    assert status == 2, out
    assert "pip-audit requirements.lock: NOT CHECKED: 2 of 2 packages could not be checked" in out
    assert "could not be reached" in out and "This is not a pass" in out


def test_an_unreachable_pip_advisory_database_is_said_plainly(tmp_path):
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", "", 1, PIP_NO_NETWORK),
        stand_in(tmp_path, "npm", json.dumps(NPM_CLEAN), 0),
    )
    assert status == 2, out
    assert "NOT CHECKED: the advisory database could not be reached" in out
    assert "HTTPSConnectionPool(host='api.osv.dev'" in out  # why, in pip-audit's words


def test_a_refused_npm_advisory_endpoint_is_not_a_finding(tmp_path):
    """npm audit exits 1 both for vulnerabilities and for a network error: only its JSON tells."""
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", json.dumps(PIP_CLEAN), 0),
        stand_in(tmp_path, "npm", json.dumps(NPM_REFUSED), 1),
    )
    assert status == 2, out
    assert "npm audit: NOT CHECKED" in out and "405 Method Not Allowed" in out


def test_findings_win_over_not_checked_and_both_are_said(tmp_path):
    status, out = audit(
        tmp_path,
        stand_in(tmp_path, "pip-audit", json.dumps(PIP_FOUND), 1),
        stand_in(tmp_path, "npm", json.dumps(NPM_REFUSED), 1),
    )
    assert status == 1, out
    assert "PYSEC-2025-1" in out and "npm audit: NOT CHECKED" in out


def test_a_missing_tool_is_not_checked(tmp_path):
    status, out = audit(tmp_path, tmp_path / "no-such-pip-audit", stand_in(tmp_path, "npm", json.dumps(NPM_CLEAN), 0))
    assert status == 2, out
    assert "no-such-pip-audit: not found" in out


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed by make assets")
def test_real_npm_against_an_unreachable_registry_is_not_checked(tmp_path):
    env = {
        **os.environ,
        "npm_config_registry": "http://127.0.0.1:9/",
        "npm_config_fetch_retries": "0",
        "npm_config_cache": str(tmp_path / "npm-cache"),
        "npm_config_update_notifier": "false",
    }
    status, out = audit(
        tmp_path, stand_in(tmp_path, "pip-audit", json.dumps(PIP_CLEAN), 0), shutil.which("npm"), env=env
    )
    assert status == 2, out
    assert "npm audit: NOT CHECKED: the registry's advisory database could not be reached" in out
