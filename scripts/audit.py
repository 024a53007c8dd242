#!/usr/bin/env python3
"""`make audit`: known vulnerabilities in the locked Python packages and in the npm packages.

    python scripts/audit.py [--pip-audit PATH] [--npm PATH] [--service pypi|osv] LOCK...

Runs pip-audit on each lock file (the pins and hashes as written, `--disable-pip`: nothing is
installed) and `npm audit` on package-lock.json, and says for each what it found. Exit status:

    0  every package was checked and none has a known vulnerability
    1  a known vulnerability was found (listed, with the fixed versions where known)
    2  something could not be checked: an advisory database could not be reached, or it did not
       know some packages. That is not a pass, and the message says so: pip-audit itself exits 0
       when every package was skipped as "not found", and npm audit exits 1 for a network error.

Findings win over "not checked" (1, with the not-checked message too): there is something to fix.
Only the standard library: it runs before, or without, the project's virtualenv.
"""

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

CLEAN, FOUND, NOT_CHECKED = 0, 1, 2
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300


@dataclass
class Result:
    what: str  # "pip-audit requirements.lock"
    checked: int = 0
    findings: list[str] = field(default_factory=list)
    not_checked: str = ""  # why, when something was not checked

    @property
    def status(self) -> int:
        if self.findings:
            return FOUND
        return NOT_CHECKED if self.not_checked else CLEAN

    def report(self) -> str:
        lines = []
        if self.findings:
            lines.append(f"{self.what}: {len(self.findings)} known vulnerabilities:")
            lines += [f"  {finding}" for finding in self.findings]
        if self.not_checked:
            lines.append(f"{self.what}: NOT CHECKED: {self.not_checked}")
        if not lines:
            lines.append(f"{self.what}: {self.checked} packages checked, no known vulnerabilities")
        return "\n".join(lines)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def read_pip_audit(what: str, returncode: int, stdout: str, stderr: str) -> Result:
    """pip-audit's `--format json` answer: {"dependencies": [{"name", "version", "vulns"} or
    {"name", "skip_reason"}], "fixes": [...]}. No JSON means it failed before it could say."""
    result = Result(what)
    try:
        dependencies = json.loads(stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = last_line(stderr) or last_line(stdout) or f"pip-audit exited {returncode} and said nothing"
        result.not_checked = f"the advisory database could not be reached or pip-audit failed ({reason})"
        return result
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in dependencies:
        for vuln in dependency.get("vulns") or []:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            aliases = ", ".join(vuln.get("aliases") or [])
            result.findings.append(
                f"{dependency['name']} {dependency.get('version', '')}: {vuln.get('id')}"
                + (f" ({aliases})" if aliases else "")
                + f"; fixed in {fixed}"
            )
    result.checked = len(dependencies) - len(skipped)
    if not dependencies:
        result.not_checked = "pip-audit found no packages to check in the lock file"
    elif skipped:
        result.not_checked = (
            f"{len(skipped)} of {len(dependencies)} packages could not be checked: the advisory database "
            f"could not be reached or does not know them (e.g. {skipped[0]['skip_reason']})"
        )
    elif returncode not in (0, 1):
        result.not_checked = f"pip-audit exited {returncode}: {last_line(stderr)}"
    return result


def read_npm_audit(what: str, returncode: int, stdout: str, stderr: str) -> Result:
    """npm audit's `--json` answer: {"metadata": {"vulnerabilities": {"low": n, ..., "total": n},
    "dependencies": {"total": n}}, "vulnerabilities": {name: {...}}}, or {"error": {...}} (and
    often a "message") when the registry's audit endpoint could not be asked."""
    result = Result(what)
    try:
        answer = json.loads(stdout)
    except ValueError:
        answer = None
    answer = answer if isinstance(answer, dict) else {}
    counts = (answer.get("metadata") or {}).get("vulnerabilities")
    if "error" in answer or not isinstance(counts, dict):
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        reason = (
            answer.get("message")
            or error.get("summary")
            or error.get("code")
            or last_line(stderr)
            or f"npm audit exited {returncode} and said nothing"
        )
        result.not_checked = f"the registry's advisory database could not be reached or npm audit failed ({reason})"
        return result
    for name, vulnerability in sorted((answer.get("vulnerabilities") or {}).items()):
        fix = vulnerability.get("fixAvailable")
        result.findings.append(
            f"{name} ({vulnerability.get('severity', '?')}, {vulnerability.get('range', '?')})"
            + ("; npm audit fix can fix it" if fix else "; no fix available")
        )
    total = counts.get("total", sum(v for v in counts.values() if isinstance(v, int)))
    if total and not result.findings:
        result.findings.append(f"{total} vulnerabilities (npm audit gave no details)")
    result.checked = (answer["metadata"].get("dependencies") or {}).get("total", 0)
    return result


def run(command: list[str], cwd: Path) -> tuple[int, str, str]:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except FileNotFoundError:
        return 127, "", f"{command[0]}: not found"
    except subprocess.TimeoutExpired:
        return 124, "", f"{command[0]} did not answer in {TIMEOUT_SECONDS} s"
    return done.returncode, done.stdout, done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("locks", nargs="+", type=Path, help="pip-compile lock files, with hashes")
    parser.add_argument("--pip-audit", default="pip-audit")
    parser.add_argument("--npm", default="npm")
    parser.add_argument(
        "--service", default="pypi", choices=["pypi", "osv"], help="pip-audit's advisory database (default: pypi)"
    )
    parser.add_argument("--cwd", type=Path, default=ROOT, help="where package-lock.json is")
    args = parser.parse_args(argv)

    results = []
    for lock in args.locks:
        command = [
            args.pip_audit,
            "--disable-pip",
            "--requirement",
            str(lock),
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--vulnerability-service",
            args.service,
        ]
        results.append(read_pip_audit(f"pip-audit {lock.name}", *run(command, args.cwd)))
    results.append(read_npm_audit("npm audit", *run([args.npm, "audit", "--json"], args.cwd)))

    for result in results:
        print(result.report())
    status = max(results, key=lambda r: (r.status == FOUND, r.status == NOT_CHECKED)).status
    if status == FOUND:
        print(
            "\nmake audit: known vulnerabilities found (above): upgrade them (make lock LOCK_ARGS='-P NAME', "
            "npm update NAME)."
        )
    elif status == NOT_CHECKED:
        print(
            "\nmake audit: NOT CHECKED: an advisory database could not be reached (above). "
            "This is not a pass: run it again where the advisory services can be reached."
        )
    else:
        print("\nmake audit: no known vulnerabilities.")
    return status


if __name__ == "__main__":
    sys.exit(main())
